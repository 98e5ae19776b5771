"""Whatever an editor types, ``check`` answers with problems that have a place: never a traceback, never a hang.

The samples are mutated the ways real edits go wrong (characters inserted, lines spliced and
re-indented, values swapped for other YAML), by Hypothesis, seeded so every run tries the same cases.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callguide import problems as pr
from callguide.check import check_paths
from callguide.cli import main

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((PROJECT / "proposals").glob("*.yaml"))
TEXTS = [p.read_text(encoding="utf-8") for p in SAMPLES]
TRICKY = [*":-#\"'\t[]{}|>&*!%@`,?\n \\", "：", "，", "\u3000", "\xa0", "①", "•", "“", "\ufeff", "\x85"]
VALUES = [
    "[]",
    "{}",
    "~",
    '""',
    "!!binary aGk=",
    "!custom x",
    "&a x",
    "*a",
    "1e9",
    "-1",
    ".inf",
    "0x10",
    "0o17",
    "1_000",
    "yes",
    "2026-01-01",
    "12:30:00",
    "[{name: x}, 走出去]",
    "[[引进来], 走出去]",
    "{a: [1, {b: 2}]}",
    "|",
    ">-",
    "'unclosed",
    '"unclosed',
]


@st.composite
def mutants(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["insert", "splice", "indent", "value", "delete"]))
        if kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(TRICKY)) + lines[i][at:]
        elif kind == "splice":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif kind == "indent":
            shift = draw(st.integers(-4, 4))
            lines[i] = " " * max(0, shift) + lines[i][max(0, -shift) :]
        elif kind == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}"
        elif kind == "delete" and len(lines) > 1:
            del lines[i]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=300,
    derandomize=True,  # the same cases every run
    deadline=5000,  # ms per case: a hang fails
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutants())
def test_check_never_crashes_on_a_mutated_sample(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    checked, problems = check_paths([path])
    assert len(checked) == 1
    for p in problems:
        assert p.line >= 1 and p.column >= 1 and p.code and p.message, p
    assert pr.format_text(problems, 1).endswith("\n")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--format", "json", str(path)])
    assert code in (0, 1)


@pytest.mark.parametrize(
    ("value", "kind"), [("[{name: x}, 走出去]", "键值映射"), ("[[引进来], 走出去]", "列表")]
)
def test_a_mapping_or_list_inside_project_types_is_a_type_problem(
    tmp_path: Path, value: str, kind: str
) -> None:
    lines = TEXTS[0].splitlines()
    i = lines.index("project_types:")
    j = i + 1
    while lines[j].startswith("  - "):
        j += 1
    path = tmp_path / "nested.yaml"
    path.write_text("\n".join([*lines[:i], f"project_types: {value}", *lines[j:]]) + "\n", encoding="utf-8")
    _, problems = check_paths([path])
    first = next(p for p in problems if p.key == "project_types[0]")
    assert (first.code, first.line) == ("type", i + 1)
    assert kind in first.message and "{" not in first.message and "[" not in first.message
