"""The brief as GitHub-flavoured Markdown, with footnotes that quote every cited sentence."""

from __future__ import annotations

import re

from summarizer.render import citations as shared
from summarizer.text.labels import Labels
from summarizer.schema import Citation, IncidentBrief, Sentence, Source

# Article text is data: backslash-escape what Markdown would read as markup or raw HTML.
_MARKUP = re.compile(r"([\\`*_\[\]<>|#~&])")


def md(text: str) -> str:
    """Inline-safe Markdown for arbitrary text: markup escaped, newlines folded to spaces."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


class _Footnotes:
    """One footnote per distinct citation, numbered in order of first use."""

    def __init__(self, brief: IncidentBrief):
        self.brief = brief
        self.numbers = shared.source_numbers(brief)
        self.order: dict[Citation, int] = {}
        self.words = Labels(brief.language)

    def refs(self, citations: list[Citation]) -> str:
        """The footnote markers of ``citations``, numbering each new one."""
        marks = []
        for citation in citations:
            if citation not in self.order:
                self.order[citation] = len(self.order) + 1
            marks.append(f"[^{self.order[citation]}]")
        return "".join(marks)

    def lines(self) -> list[str]:
        """One footnote line per citation: source, sentence numbers and the quoted sentences."""
        out, words = [], self.words
        for citation, n in self.order.items():
            source = self.brief.source(citation.source_id)
            if source is None:
                out.append(f"[^{n}]: {words('Unknown source')} `{citation.source_id}`.")
                continue
            label = words("sentence" if len(citation.sentences) == 1 else "sentences")
            quotes = " ".join(_quoted(source, s, self.brief.language) for s in shared.cited_sentences(self.brief, citation))
            out.append(
                f"[^{n}]: {words('Source {n}', n=self.numbers[source.id])}, {_source_reference(source)}, "
                f"{label} {shared.sentence_numbers(citation.sentences)}: {quotes}"
            )
        return out


def _quoted(source: Source, sentence: Sentence, language: str) -> str:
    """A cited sentence in quotes, with its translation beside it when the run made one."""
    translation = shared.translation_of(source, sentence.n)
    quote = f"“{md(sentence.text)}”"
    return f"{quote} ({shared.translation_label(source, language)}: “{md(translation)}”)" if translation else quote


def code(text: str) -> str:
    """A code span that holds any text, backticks included."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _source_reference(source: Source) -> str:
    """``ICARO Media Group (`000_x.txt`)``: the source's name and its file."""
    name = shared.source_name(source)
    if source.path and name != source.path:
        return f"{md(name)} ({code(source.path)})"
    return code(name) if name == source.path else md(name)


def _source_cell(source: Source) -> str:
    """Outlet, title and file of a source for the sources table."""
    parts = [md(source.outlet)] if source.outlet else []
    if source.title:
        parts.append(f"“{md(source.title)}”")
    if source.path:
        parts.append(code(source.path).replace("|", "\\|"))
    return ", ".join(parts) or code(source.id)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def to_markdown(brief: IncidentBrief) -> str:
    """Render a brief as Markdown: summary, casualties, disputes, actors, claims, timeline, sources, questions.

    Source markers are footnotes (``[^3]``); each footnote names the source and quotes the
    sentences cited.

    Example:
        >>> text = to_markdown(brief)
        >>> "| Malian soldiers | killed | two | Malian army |" in text
        True
    """
    notes = _Footnotes(brief)
    numbers, words = notes.numbers, notes.words
    out: list[str] = [f"# {md(brief.title)}", ""]

    facts = [brief.incident_type, shared.when_label(brief), shared.where_label(brief)]
    sources_fact = words("{n} sources ({k} independent)", n=len(brief.sources), k=shared.independent_source_count(brief))
    out += [" · ".join(md(f) for f in facts if f) + " · " + sources_fact, ""]

    out += [f"## {words('Summary')}", ""]
    summary = " ".join(f"{md(s.text)}{notes.refs(s.citations)}" for s in brief.summary)
    out += [summary or f"*{shared.no_summary_note(brief)}*", ""]

    groups = shared.casualty_groups(brief)
    if groups:
        out += [f"## {words('Casualties')}", ""]
        rows = [
            [md(f"{c.party} ({c.party_as_written})" if c.party_as_written else c.party), words.metric(c.metric), md(c.figure),
             md(c.claimant), notes.refs(c.citations)]
            for group in groups
            for c in group.claims
        ]
        out += _table([words(h) for h in ("Party", "Metric", "Figure", "Claimant", "Sources")], rows) + [""]
        out += [words("Lowest and highest figure per party:"), ""]
        rows = [
            [md(g.party), words.metric(g.metric), words(g.label), str(g.range.claims if g.range else len(g.claims))]
            for g in groups
        ]
        out += _table([words(h) for h in ("Party", "Metric", "Range", "Claims")], rows) + [""]

    if brief.disputes:
        out += [f"## {words('Disputes')}", ""]
        for dispute in brief.disputes:
            out += [f"### {md(dispute.question)} ({words(dispute.kind)})", ""]
            out += _table(
                [md(p.claimant) for p in dispute.positions],
                [[md(p.statement) for p in dispute.positions], [notes.refs(p.citations) for p in dispute.positions]],
            )
            out += [""]

    if brief.actors:
        out += [f"## {words('Actors')}", ""]
        # Where each is named, as source:sentence labels: its sentences are not quoted in the footnotes.
        rows = [[md(a.name), md(words(a.side) if a.side else ""), md(", ".join(a.aliases)),
                 " ".join(shared.citation_label(brief, c, numbers) for c in a.citations)] for a in brief.actors]
        out += _table([words(h) for h in ("Actor", "Side", "Also written", "Named in")], rows) + [""]

    if brief.claims:
        out += [f"## {words('Claims')}", ""]
        rows = [
            [md(c.statement), md(c.claimant), words(c.status), str(c.independent_sources), notes.refs(c.citations)]
            for c in brief.claims
        ]
        out += _table([words(h) for h in ("Statement", "Claimant", "Status", "Independent sources", "Sources")], rows) + [""]

    if brief.timeline:
        out += [f"## {words('Timeline')}", ""]
        rows = [
            [md(e.date.iso or e.date.as_written), md(e.event), notes.refs(e.citations)]
            for e in brief.timeline
        ]
        out += _table([words(h) for h in ("Date", "Event", "Sources")], rows) + [""]

    out += [f"## {words('Sources')}", ""]
    rows = []
    for source in brief.sources:
        flags = []
        for flag in source.flags:
            text = f"**{words(flag)}**" if flag in shared.WARNING_FLAGS else words(flag)
            if flag == "copy" and source.copy_of in numbers:
                text += " " + words("of {n}", n=numbers[source.copy_of])
            flags.append(text)
        rows.append([
            str(numbers[source.id]),
            _source_cell(source),
            source.published.isoformat() if source.published else "",
            ", ".join(flags),
            md(source.adds or ""),
        ])
    out += _table(["#"] + [words(h) for h in ("Source", "Published", "Flags", "Adds")], rows) + [""]
    flagged = [(numbers[s.id], note) for s in brief.sources for note in s.notes]
    if flagged:
        out += [f"- {words('Source {n}', n=n)}: {md(note)}" for n, note in flagged] + [""]

    if brief.open_questions:
        out += [f"## {words('Open questions')}", ""]
        out += [f"- {md(q)}" for q in brief.open_questions] + [""]

    out += ["---", "", f"*{md(shared.diagnostics_line(brief))}*", ""]
    out += notes.lines()
    return "\n".join(out) + "\n"
