"""The JSON Schemas of the content files, published as ``docs/schema/content-<kind>.schema.json``
by :mod:`plancycle.docs_gen` (validation mode: the shape a TOML file holds, read as JSON)."""

from __future__ import annotations

import json

from plancycle.content.models import DOCUMENT_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_path(kind: str) -> str:
    """The page of ``kind``'s schema under ``docs/``."""
    return f"schema/content-{kind.replace('_', '-')}.schema.json"


def content_schema_pages() -> dict[str, str]:
    """Each document kind's schema as indented JSON text, by its path under ``docs/``."""
    return {schema_path(kind): json.dumps({"$schema": DIALECT,
                                           **model.model_json_schema(mode="validation")},
                                          ensure_ascii=False, indent=2) + "\n"
            for kind, model in DOCUMENT_MODELS.items()}
