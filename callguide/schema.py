"""The JSON Schema of a proposal file, generated from the model (``.venv/bin/python build.py schema``)."""

from __future__ import annotations

import json

from .model import Proposal

SCHEMA_PATH = "schema/proposal.schema.json"
SCHEMA_ID = "https://example.org/call-guide/schema/proposal.schema.json"


def proposal_schema() -> dict:
    schema = Proposal.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def render_schema() -> str:
    return json.dumps(proposal_schema(), ensure_ascii=False, indent=2) + "\n"
