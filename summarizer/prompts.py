"""Prompt templates: every word the model reads comes from ``prompts/*.j2``.

Article text is only ever passed in as a template variable, never rendered as a template:
``{{ }}`` or ``{% %}`` inside a report stays literal text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

PACKAGE_DIR = Path(__file__).parent


def prompts_dir() -> Path:
    # A wheel carries the templates inside the package; a source checkout keeps them at the top.
    for candidate in (PACKAGE_DIR / "_prompts", PACKAGE_DIR.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"prompt templates not found beside {PACKAGE_DIR}; reinstall summarizer")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **data) -> str:
    """Render ``prompts/<name>.j2`` with data.

    Example:
        >>> render("extract_system")[:40]
    """
    return _environment().get_template(f"{name}.j2").render(**data).strip()
