"""One Jinja2 environment for every output (site pages, PDF HTML, exports).

Autoescaping is on for every template, including the Markdown ones: values
from proposals reach a page only escaped, or as HTML made by ``markdown.render``.
The environment is sandboxed: a template reaches the attributes of what it is
given, never Python's internals (``__globals__``, ``__class__`` …), so it cannot
walk from a public object to anything else in memory.
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from . import model as m
from .call import date_cn, date_en, datetime_cn, datetime_en, phone_international
from .markdown import render

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(templates: Path = TEMPLATES, html: bool = True) -> Environment:
    """The environment for the templates in ``templates`` (a project root's ``templates/``).

    ``html=False`` for Markdown that is not turned into HTML by us (``build.py diff``): no
    autoescaping, the values being escaped for Markdown by the caller.
    """
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=render,
        date_cn=date_cn,
        datetime_cn=datetime_cn,
        iso=lambda value: value.isoformat(),
        trl_name=m.trl_name,
        # the English pages
        en=m.ENUM_EN.__getitem__,
        date_en=date_en,
        datetime_en=datetime_en,
        money_en=m.money_en,
        trl_name_en=m.trl_name_en,
        phone_international=phone_international,
    )
    env.globals.update(
        REGIONS=m.REGIONS,
        PROJECT_TYPES=m.PROJECT_TYPES,
        TRL_LEVELS=m.TRL_LEVELS,
        GUIDE_LABELS={k: f.title for k, f in m.Guide.model_fields.items()},
        LABELS=m.LABELS,
        LABELS_EN=m.LABELS_EN,
    )
    return env


def describe_template_error(exc: TemplateError) -> str:
    """``templates/site/topic.md.j2:12: 'x' is undefined``: the template and line an error comes from."""
    where = ""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name}:{exc.lineno}"
    else:
        for frame, line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.endswith((".j2", ".html", ".css")):
                where = f"{name}:{line}"
    return f"{where}: {exc.message or exc}" if where else str(exc)
