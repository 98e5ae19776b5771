"""The JSON Schema editors get in their editor is generated from the model and committed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callguide.model import FIELDS, IMPORT_CATEGORIES, IMPORT_TYPE, OTHER_FIELD, Proposal
from callguide.schema import SCHEMA_PATH, render_schema

PROJECT = Path(__file__).resolve().parent.parent


def test_the_committed_schema_is_current() -> None:
    committed = (PROJECT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == render_schema(), (
        "schema/proposal.schema.json is stale: run `.venv/bin/python build.py schema`"
    )


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


# --- the rules the schema can express, as an editor's language server applies them ---------------


def _validator():
    """Draft 2020-12, with multipleOf compared in decimal as yaml-language-server does.

    Python's jsonschema divides floats (0.07 / 0.01 = 7.000000000000001) and would reject 0.07; the
    editors' language server (yaml-language-server, floatSafeRemainder) does not.
    """
    from decimal import Decimal

    import jsonschema
    from jsonschema import validators

    def multiple_of(validator, divisor, instance, schema):
        number = isinstance(instance, int | float) and not isinstance(instance, bool)
        if number and Decimal(repr(instance)) % Decimal(repr(divisor)) != 0:
            yield jsonschema.ValidationError(f"{instance} is not a multiple of {divisor}")

    base = jsonschema.Draft202012Validator
    cls = validators.extend(base, {"multipleOf": multiple_of})
    return cls(json.loads(render_schema()))


def _sample() -> dict:
    import yaml

    return yaml.safe_load(
        (PROJECT / "proposals" / "solid-state-lithium-battery-electrolyte.yaml").read_text("utf-8")
    )


def _errors(data: dict) -> list[str]:
    return [e.message for e in _validator().iter_errors(data)]


def test_every_sample_is_valid_against_the_schema() -> None:
    import yaml

    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        # as the editors' YAML 1.2 tools read a file: a date (revisions[].date) is text
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
        assert _errors(data) == [], path.name


@pytest.mark.parametrize("amount", [600, 0.07, 1850.57, 2850.5])
def test_amounts_with_two_decimals_pass(amount: float) -> None:
    data = _sample()
    data["investment"]["total"] = amount
    data["investment"]["provincial"] = min(amount, data["investment"]["provincial"])
    assert _errors(data) == []


def test_an_amount_with_three_decimals_fails() -> None:
    data = _sample()
    data["investment"]["total"] = 600.125
    assert _errors(data) == ["600.125 is not a multiple of 0.01"]


def test_field_other_is_required_exactly_when_the_field_is_other() -> None:
    data = _sample()
    assert "field_other" not in data
    other = dict(data, field=OTHER_FIELD)
    assert _errors(other) == ["'field_other' is a required property"]
    assert _errors(dict(other, field_other="海洋碳汇")) == []
    assert _errors(dict(data, field_other="海洋碳汇")) == ["'海洋碳汇' is not of type 'null'"]


def test_import_category_is_required_exactly_when_project_types_has_import() -> None:
    data = {k: v for k, v in _sample().items() if k != "import_category"}
    assert _errors(dict(data, project_types=["走出去"])) == []
    assert _errors(dict(data, project_types=["走出去", IMPORT_TYPE])) == [
        "'import_category' is a required property"
    ]
    both = dict(data, project_types=["走出去", IMPORT_TYPE], import_category="国产化替代")
    assert _errors(both) == []
    assert _errors(dict(both, project_types=["走出去"])) == ["'国产化替代' is not of type 'null'"]


def test_the_title_is_one_line() -> None:
    data = _sample()
    assert _errors(dict(data, title="固态锂电池电解质\n关键材料")) != []
    assert _errors(dict(data, title="固态锂电池电解质关键材料\n")) == []  # a block scalar's line end


def test_rules_the_schema_cannot_express_say_so() -> None:
    schema = json.loads(render_schema())
    provincial = schema["$defs"]["Investment"]["properties"]["provincial"]["description"]
    expected = schema["$defs"]["KeyTechnology"]["properties"]["trl_expected"]["description"]
    for description in (provincial, expected):
        assert "JSON Schema 无法表达" in description and "build.py check" in description


def _reasons(data: dict) -> list[str]:
    """The errors, with those inside an ``anyOf`` (``en`` may be null) spelled out."""
    return [c.message for e in _validator().iter_errors(data) for c in (e.context or [e])]


def test_the_english_summary_needs_its_title_and_summary_and_no_other_key() -> None:
    data = _sample()
    assert "en" in data  # the sample has one
    en = data["en"]
    assert "'title' is a required property" in _reasons(dict(data, en={"summary": en["summary"]}))
    assert "'summary' is a required property" in _reasons(dict(data, en={"title": en["title"]}))
    assert "Additional properties are not allowed ('tags' was unexpected)" in _reasons(
        dict(data, en=dict(en, tags=["x"]))
    )
    assert _errors(dict(data, en=dict(en, title="Two\nlines"))) != []
    assert _errors(dict(data, en=dict(en, keywords=[f"k{i}" for i in range(11)]))) != []
    assert _errors(dict(data, en=None)) == []


def test_partner_countries_are_described_for_editors() -> None:
    prop = json.loads(render_schema())["properties"]["partner_countries"]
    assert prop["title"] == "合作国家（地区）"
    assert "中国香港" in prop["description"] and "ISO 3166-1" in prop["description"]
