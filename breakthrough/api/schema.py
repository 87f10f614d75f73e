"""The OpenAPI schema as committed in openapi.json (a reviewed snapshot)."""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi.json")


def schema_text() -> str:
    from .api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
