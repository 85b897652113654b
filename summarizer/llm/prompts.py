"""Prompt templates: every word the model reads comes from ``prompts/*.j2``, or from a folder
of templates of the same names that a user gives (``--prompts DIR``, ``SUMMARIZER_PROMPTS``).

Article text is only ever passed in as a template variable, never rendered as a template:
``{{ }}`` or ``{% %}`` inside a report stays literal text.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta

from summarizer.errors import InputError

PACKAGE_DIR = Path(__file__).parents[1]  # the summarizer package (this file is summarizer/llm/prompts.py)
_override: Path | None = None  # the user's templates for the run in progress (see ``user_prompts``)


def prompts_dir() -> Path:
    # A wheel carries the templates inside the package; a source checkout keeps them at the top.
    for candidate in (PACKAGE_DIR / "_prompts", PACKAGE_DIR.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"prompt templates not found beside {PACKAGE_DIR}; reinstall incident-brief")


def user_prompts_dir() -> Path | None:
    """The user's folder of templates for the run in progress, if one was given."""
    return _override


def template_folders() -> list[Path]:
    """Where templates are read from, first match wins: the user's folder, then the project's."""
    return [*([_override] if _override else []), prompts_dir()]


def check_prompts(folder: str | os.PathLike) -> Path:
    """The folder, once each template in it is known to be one of the project's, to parse, and to
    use no variable the pipeline does not give it; else an InputError naming the file and what to do.

    Example:
        >>> check_prompts("my-prompts")  # my-prompts/extract_system.j2 overrides that one template
        PosixPath('my-prompts')
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of prompt templates; pass a folder of .j2 files")
    defaults = {p.name: p for p in prompts_dir().glob("*.j2")}
    templates = sorted(folder.glob("*.j2"))
    if not templates:
        raise InputError(f"{folder}: holds no .j2 template; copy the ones to change from {prompts_dir()}")
    environment = _new_environment([folder])
    for path in templates:
        if path.name not in defaults:
            raise InputError(f"{path}: no pipeline prompt has this name; use one of {', '.join(sorted(defaults))}")
        try:
            used = jinja2.meta.find_undeclared_variables(environment.parse(path.read_text(encoding="utf-8")))
        except jinja2.TemplateSyntaxError as error:
            raise InputError(f"{path}:{error.lineno}: {error.message}; fix the template") from None
        given = jinja2.meta.find_undeclared_variables(environment.parse(defaults[path.name].read_text(encoding="utf-8")))
        if unknown := sorted(used - given):
            raise InputError(f"{path}: uses variable '{unknown[0]}', which the pipeline does not give this prompt; "
                             f"it gives {', '.join(sorted(given)) or 'none'}")
    return folder


@contextlib.contextmanager
def user_prompts(folder: str | os.PathLike | None) -> Iterator[None]:
    """Within the block, templates the user's folder (``Settings.prompts``: the argument, else
    ``SUMMARIZER_PROMPTS``) holds replace the project's of the same name."""
    global _override
    earlier, _override = _override, (check_prompts(folder) if folder else None)
    try:
        yield
    finally:
        _override = earlier


@lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    return _new_environment(list(folders))


def _new_environment(folders: list[Path]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **data) -> str:
    """Render ``prompts/<name>.j2`` (or the user's template of that name) with data.

    Example:
        >>> render("extract_system")[:40]
    """
    return _environment(tuple(template_folders())).get_template(f"{name}.j2").render(**data).strip()
