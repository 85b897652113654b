"""The brief as one self-contained HTML page: the brief on the left, the sources on the right.

Everything the page needs is inline; a Content-Security-Policy forbids any network request.
Article text reaches the page only through Jinja2 autoescaping and is never used as template
source, so markup or template syntax inside a report is shown literally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from summarizer.text.instructions import instruction_in
from summarizer.render import citations as shared
from summarizer.text.labels import LANGUAGES, Labels
from summarizer.schema import Citation, IncidentBrief, Sentence, Source

_TEMPLATE = "report.html.j2"
_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

FLAG_LABELS = {
    "copy": "copy",
    "internal-error": "internal error",
    "prompt-injection": "prompt injection",
    "boilerplate-removed": "boilerplate removed",
    "ai-generated-notice": "AI-generated notice",
    "opinion-notice": "opinion notice",
    "no-date": "no date",
    "bad-date": "bad date",
    "far-date": "date far from the others",
    "off-topic": "off topic",
}


def date_label(iso: str | None, language: str = "en") -> str:
    """``'2024-07-25'`` -> ``'25 Jul 2024'`` (``'25 juil. 2024'`` in French); ``'2024-07'`` -> ``'Jul 2024'``; other text as is."""
    if not iso:
        return ""
    locale = language if language in LANGUAGES else "en"
    try:
        if len(iso) == 10:
            return format_date(dt.date.fromisoformat(iso), "d MMM y", locale=locale)
        if len(iso) == 7:
            return format_date(dt.date.fromisoformat(iso + "-01"), "MMM y", locale=locale)
    except ValueError:
        pass
    return iso


def span_label(start: str | None, end: str | None, language: str = "en") -> str:
    """``('2024-07-25', '2024-07-27')`` -> ``'25–27 Jul 2024'``."""
    if not start or not end or start == end:
        return date_label(start or end, language)
    if len(start) == len(end) == 10 and start[:7] == end[:7]:
        return f"{int(start[8:])}–{date_label(end, language)}"
    return f"{date_label(start, language)} – {date_label(end, language)}"


@dataclass
class Marker:
    """One clickable citation: its source's number and what the page highlights."""

    number: int | str
    source_id: str
    sentences: list[int]
    title: str

    @property
    def cites(self) -> list[list]:
        """The cited sentences as the page's script reads them: [[source id, sentence numbers]]."""
        return [[self.source_id, self.sentences]]


@dataclass
class Quote:
    """A cited sentence shown under its citation number."""

    number: int | str
    sentence: Sentence
    translation: str | None = None  # the run's machine translation of the sentence, if it made one
    translation_label: str = ""


@dataclass
class SourceView:
    """A source as the page's right-hand pane shows it: number, name, paragraphs and badges."""

    number: int
    source: Source
    name: str
    paragraphs: list[list[Sentence]]
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    translations: dict[int, str] = field(default_factory=dict)  # sentence number -> its machine translation
    translation_label: str = ""


def _paragraphs(sentences: list[Sentence]) -> list[list[Sentence]]:
    """Sentences grouped into paragraphs: a gap of more than one character means a line break."""
    paragraphs: list[list[Sentence]] = []
    previous_end = None
    for sentence in sorted(sentences, key=lambda s: s.start):
        if previous_end is None or sentence.start - previous_end > 1:
            paragraphs.append([])
        paragraphs[-1].append(sentence)
        previous_end = sentence.end
    return paragraphs


def to_html(brief: IncidentBrief) -> str:
    """Render a brief as one self-contained HTML file (inline CSS and JS, no network at view time).

    Clicking a citation marker, claim, casualty row or timeline event highlights the cited
    sentences in the source column; a dispute position highlights its sentences in its colour.

    Example:
        >>> Path("brief.html").write_text(to_html(brief), encoding="utf-8")
    """
    numbers, words = shared.source_numbers(brief), Labels(brief.language)

    def flag_label(flag: str) -> str:
        return FLAG_LABELS.get(flag, flag) if words.language == "en" else words(flag)

    def markers(citations: list[Citation]) -> list[Marker]:
        out = []
        for citation in citations:
            source = brief.source(citation.source_id)
            name = shared.source_name(source) if source else words("Unknown source")
            label = words("sentence" if len(citation.sentences) == 1 else "sentences")
            out.append(Marker(
                number=numbers.get(citation.source_id, "?"),
                source_id=citation.source_id,
                sentences=list(citation.sentences),
                title=f"{words('Source {n}', n=numbers.get(citation.source_id, '?'))} · {name} · "
                      f"{label} {shared.sentence_numbers(citation.sentences)}",
            ))
        return out

    def cites(citations: list[Citation]) -> list[list]:
        return [[c.source_id, list(c.sentences)] for c in citations]

    def quotes(citations: list[Citation]) -> list[Quote]:
        out = []
        for citation in citations:
            source = brief.source(citation.source_id)
            for sentence in shared.cited_sentences(brief, citation):
                out.append(Quote(numbers.get(citation.source_id, "?"), sentence, shared.translation_of(source, sentence.n),
                                 shared.translation_label(source, brief.language)))
        return out

    sources = []
    for source in brief.sources:
        warnings = []
        for flag in source.flags:
            if flag in shared.WARNING_FLAGS:
                label = flag_label(flag)
                if flag == "copy" and source.copy_of in numbers:
                    label = words("copy of {n}", n=numbers[source.copy_of])
                warnings.append(label)
        sources.append(SourceView(
            number=numbers[source.id],
            source=source,
            name=shared.source_name(source),
            paragraphs=_paragraphs(source.sentences),
            translations={t.sentence: t.text for t in source.translations},
            translation_label=shared.translation_label(source, brief.language),
            warnings=warnings,
            flags=[flag_label(f) for f in source.flags if f not in shared.WARNING_FLAGS],
        ))

    template = _env.get_template(_TEMPLATE)
    return template.render(
        brief=brief,
        numbers=numbers,
        sources=sources,
        groups=shared.casualty_groups(brief),
        markers=markers,
        cites=cites,
        group_cites=lambda group: cites([c for claim in group.claims for c in claim.citations]),
        quotes=quotes,
        date_label=lambda iso: date_label(iso, brief.language),
        instruction_in=instruction_in,
        when=span_label(brief.when.start, brief.when.end, brief.language),
        where=shared.where_label(brief),
        independent=shared.independent_source_count(brief),
        diagnostics=shared.diagnostics_line(brief),
        no_summary=shared.no_summary_note(brief),
        flag_labels=FLAG_LABELS,
        t=words,
        reader_words={w: words(w) for w in ("sentence", "sentences", "in", "source", "sources")},
        status_counts={s: sum(1 for c in brief.claims if c.status == s)
                       for s in ("corroborated", "single-source", "disputed", "denied")},
    )
