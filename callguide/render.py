"""One Jinja2 environment for every output (site pages, PDF HTML, exports).

Autoescaping is on for every template, including the Markdown ones: values
from proposals reach a page only escaped, or as HTML made by ``markdown.render``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import model as m
from .call import date_cn, numeral_cn
from .markdown import plain, render, render_inline
from .topics import money

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(templates: Path = TEMPLATES) -> Environment:
    """The environment for the templates in ``templates`` (a project root's ``templates/``)."""
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=render,
        md_inline=render_inline,
        plain=plain,
        date_cn=date_cn,
        numeral_cn=numeral_cn,
        money=money,
        trl_name=m.trl_name,
    )
    env.globals.update(
        FIELDS=m.FIELDS,
        REGIONS=m.REGIONS,
        PROJECT_TYPES=m.PROJECT_TYPES,
        IMPORT_CATEGORIES=m.IMPORT_CATEGORIES,
        TRL_LEVELS=m.TRL_LEVELS,
        GUIDE_LABELS={k: f.title for k, f in m.Guide.model_fields.items()},
    )
    return env
