"""The JSON Schemas of plancycle's data: a schedule and a milestone as ``model_dump_json`` writes them.

The published copies live in ``docs/schema/`` and are written by::

    python -m plancycle.schema docs/schema

A test checks that they equal what this module generates, so they cannot go stale. The CLI's
``plancycle schedule --format json`` has its own top level (see the README), but each of its
milestones is a :class:`~plancycle.models.Milestone` in exactly this shape.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from plancycle.models import Milestone, Schedule

#: The JSON Schema dialect pydantic generates.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each published model, by name (``schedule``, ``milestone``).

    Serialization mode: the shape ``model_dump_json()`` writes (and ``model_validate_json`` reads
    back), every field present.
    """
    models: dict[str, type[BaseModel]] = {"schedule": Schedule, "milestone": Milestone}
    return {name: {"$schema": DIALECT, **model.model_json_schema(mode="serialization")}
            for name, model in models.items()}


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the committed file holds it: indented JSON, UTF-8, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write ``<name>.schema.json`` for each schema into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = directory / f"{name}.schema.json"
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    """``python -m plancycle.schema DIRECTORY``: write the schemas there."""
    if len(argv) != 1:
        print("usage: python -m plancycle.schema DIRECTORY", file=sys.stderr)
        return 2
    for path in write_schemas(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
