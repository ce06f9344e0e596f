"""The message catalogue's files: every ``data/texts*.toml`` merged into one table of texts.

The TOML files are the source. Parsing the 35 or so of them is most of a short command's own
work, so their merge is also kept compiled in ``data/texts.json`` together with a SHA-256
digest of the sources (names and bytes). The compiled file is used only when its digest is the
digest of the TOML files as they are now, so it can never be stale: an edited, added or removed
TOML file makes it unused (the files are parsed instead) until it is regenerated with
``python -m plancycle.textfiles``; a test says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import tomli

from plancycle.errors import DataError

COMPILED = "texts.json"
TABLES = ("milestone", "label")


def _sources() -> list[tuple[str, bytes]]:
    """Name and bytes of every ``texts*.toml`` shipped in ``plancycle/data``, by name."""
    data = resources.files("plancycle.data")
    entries = sorted((entry.name, entry) for entry in data.iterdir()
                     if entry.name.startswith("texts") and entry.name.endswith(".toml"))
    return [(name, _read(entry, name)) for name, entry in entries]


def _read(entry: Traversable, name: str) -> bytes:
    try:
        return entry.read_bytes()
    except OSError as exc:
        raise DataError(f"shipped data file {name} cannot be read: {exc}") from exc


def digest(sources: Sequence[tuple[str, bytes]]) -> str:
    """SHA-256 of the sources' names and bytes, in order."""
    hashed = hashlib.sha256()
    for name, raw in sources:
        hashed.update(f"{name}\0{len(raw)}\0".encode())
        hashed.update(raw)
    return hashed.hexdigest()


def merge(sources: Sequence[tuple[str, bytes]]) -> dict[str, dict[str, Any]]:
    """The ``milestone`` and ``label`` tables of all sources, parsed and merged. A key defined
    in two files is an error, so features cannot silently override each other."""
    merged: dict[str, dict[str, Any]] = {table: {} for table in TABLES}
    for name, raw in sources:
        try:
            parsed = tomli.loads(raw.decode("utf-8"))
        except (tomli.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"shipped data file {name} cannot be read: {exc}") from exc
        for table in TABLES:
            for key, value in parsed.get(table, {}).items():
                if key in merged[table]:
                    raise DataError(f"{name} defines {table} {key!r} again")
                merged[table][key] = value
    return merged


def compiled_text(sources: Sequence[tuple[str, bytes]]) -> str:
    """What ``data/texts.json`` must hold for ``sources``: their digest and their merge."""
    document = {"digest": digest(sources), **merge(sources)}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_texts() -> dict[str, dict[str, Any]]:
    """The merged tables: from ``data/texts.json`` when it was compiled from the TOML files as
    they are, else parsed from them."""
    sources = _sources()
    try:
        compiled = resources.files("plancycle.data").joinpath(COMPILED).read_bytes()
        document = json.loads(compiled)
    except (OSError, ValueError):
        document = None
    if isinstance(document, dict) and document.get("digest") == digest(sources):
        return {table: document[table] for table in TABLES}
    return merge(sources)


def main() -> int:
    """Write ``data/texts.json`` from the TOML files (``python -m plancycle.textfiles``)."""
    target = Path(str(resources.files("plancycle.data").joinpath(COMPILED)))
    target.write_text(compiled_text(_sources()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
