"""The JSON Schema editors get in their editor is generated from the model and committed."""

from __future__ import annotations

import json
from pathlib import Path

from callguide.model import FIELDS, IMPORT_CATEGORIES, Proposal
from callguide.schema import SCHEMA_PATH, render_schema

PROJECT = Path(__file__).resolve().parent.parent


def test_the_committed_schema_is_current() -> None:
    committed = (PROJECT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == render_schema(), "schema/proposal.schema.json is stale: run `python build.py schema`"


def test_the_schema_speaks_chinese_to_editors() -> None:
    schema = json.loads(render_schema())
    props = schema["properties"]
    assert props["title"]["title"] == "项目名称"
    assert props["field"]["enum"] == list(FIELDS)
    assert props["import_category"]["anyOf"][0]["enum"] == list(IMPORT_CATEGORIES)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {n for n, f in Proposal.model_fields.items() if f.is_required()}
    tech = schema["$defs"]["KeyTechnology"]["properties"]["trl_current"]
    assert (tech["minimum"], tech["maximum"], tech["title"]) == (1, 13, "当前自评等级")
