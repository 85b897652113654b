"""The output layer: an ``IncidentBrief`` as Markdown, JSON, a self-contained HTML page, or a terminal view.

Example:
    >>> from summarizer.render import to_html, to_markdown, print_terminal
    >>> Path("brief.html").write_text(to_html(brief), encoding="utf-8")
    >>> print_terminal(brief)
"""

from __future__ import annotations

from summarizer.render.html import to_html
from summarizer.render.markdown import to_markdown
from summarizer.render.terminal import print_terminal
from summarizer.schema import IncidentBrief

__all__ = ["to_markdown", "to_json", "to_html", "print_terminal"]


def to_json(brief: IncidentBrief) -> str:
    """The brief exactly as ``IncidentBrief.model_dump_json(indent=2)``; it validates back unchanged.

    Example:
        >>> IncidentBrief.model_validate_json(to_json(brief)) == brief
        True
    """
    return brief.model_dump_json(indent=2)
