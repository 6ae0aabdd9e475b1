"""Renders the jinja2 prompt templates shipped in the `prompts` package.

StrictUndefined turns a missing variable into an error at render time instead of a silent
blank in what the model reads. jinja2 is imported with the first prompt rendered, so a
deployment without a model (the offline coach) never holds it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("prompts", ""),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render_prompt(name: str, **variables: Any) -> str:
    """Render `prompts/<name>` (e.g. "coach/system.j2") with the given variables."""
    return _environment().get_template(name).render(**variables)
