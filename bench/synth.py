"""Synthetic proposals for benchmarks: the shipped samples, recombined into N distinct topics.

Each synthetic topic draws every text section from a sample chosen at random
(seeded), so texts, lengths, lists and tables vary from topic to topic the way
the samples do; the key technologies, funding and TRL sentences come together
from one sample so that they agree. Field, region and project types are chosen
in rotation, and every topic gets a distinct title, slug and proposer.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from callguide import model as m

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "# yaml-language-server: $schema=../schema/proposal.schema.json\n"
_SUFFIXES = ("联合研发", "关键技术攻关", "国际合作示范", "协同创新", "联合实验室建设", "技术引进与再创新")
# guide sections taken from any sample; the others (funding, trl) stay with the key technologies
_FREE_SECTIONS = (
    "research_content",
    "acceptance_indicators",
    "performance_indicators",
    "eligibility",
    "deliverables",
    "call_scope",
)


def samples() -> list[dict]:
    out = []
    for path in sorted((PROJECT / "proposals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "accepted") == "accepted":
            out.append(data)
    return out


def _overview(rng: random.Random, base: list[dict]) -> str:
    """One or two paragraphs, each from a sample's overview (lengths stay within the model's limit)."""
    first = rng.choice(base)["overview"].strip().split("\n\n")
    second = rng.choice(base)["overview"].strip().split("\n\n")
    text = "\n\n".join([first[0], second[-1]]) if len(first) > 1 and len(second) > 1 else first[0]
    return text + "\n"


def synthesize(n: int, seed: int = 2026) -> list[tuple[str, dict]]:
    """``n`` valid, accepted, distinct proposals as (slug, data)."""
    rng = random.Random(seed)
    base = samples()
    out = []
    for i in range(n):
        core = base[i % len(base)]
        data = dict(core)
        field = m.FIELDS[i % len(m.FIELDS)]
        data["field"] = field
        data.pop("field_other", None)
        if field == m.OTHER_FIELD:
            data["field_other"] = "科技服务"
        data["region"] = m.REGIONS[(i // 3) % len(m.REGIONS)]
        data["partner_countries"] = rng.choice(base).get("partner_countries")
        types = rng.sample(m.PROJECT_TYPES, k=1 + i % 3)
        data["project_types"] = types
        data.pop("import_category", None)
        if m.IMPORT_TYPE in types:
            data["import_category"] = m.IMPORT_CATEGORIES[i % len(m.IMPORT_CATEGORIES)]
        data["overview"] = _overview(rng, base)
        guide = dict(core["guide"])
        for key in _FREE_SECTIONS:
            guide.pop(key, None)
            value = rng.choice(base)["guide"].get(key)
            if value is None and key != "performance_indicators":  # the only optional section
                value = core["guide"][key]
            if value is not None:
                guide[key] = value
        data["guide"] = {k: guide[k] for k in m.GUIDE_SECTIONS if k in guide}
        stem = rng.choice(base)["title"][:36]
        data["title"] = f"{stem}{_SUFFIXES[i % len(_SUFFIXES)]}（{i + 1:04d}）"
        data["order"] = i
        data["proposer"] = dict(core["proposer"], name=f"合成{i:05d}号", phone=f"0531-8{i:07d}")
        out.append((f"synthetic-{i + 1:04d}", {k: v for k, v in data.items() if v is not None}))
    return out


def write(n: int, root: Path) -> Path:
    """A project root with ``n`` synthetic proposals (and the real call.yaml, content and templates)."""
    import shutil

    folder = root / "proposals"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, data in synthesize(n):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (folder / f"{slug}.yaml").write_text(HEADER + text, encoding="utf-8")
    for name in ("mkdocs.yml", "call.yaml"):
        if (PROJECT / name).exists():
            shutil.copy2(PROJECT / name, root / name)
    for name in ("content", "templates"):
        if (PROJECT / name).exists() and not (root / name).exists():
            shutil.copytree(PROJECT / name, root / name)
    return root
