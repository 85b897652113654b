"""The brief in a terminal (rich), readable at any width from 80 columns.

What a reader needs first: title, when and where, the summary, the casualty ledger per party,
the disputes, the most named actors and the most corroborated claims, then one line saying how to get the rest
(``--full``, or ``--format md|html``). Nothing is cut mid-word: figures and citations never
wrap, names and statements wrap whole. Every string from the brief is wrapped in ``Text`` so
rich never reads it as console markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.render import citations as shared
from summarizer.text.labels import Labels
from summarizer.schema import Citation, IncidentBrief

STATUS_STYLE = {"corroborated": "green", "single-source": "yellow", "disputed": "magenta", "denied": "red"}
POSITION_STYLE = ("cyan", "magenta", "yellow", "green")


def _markers(brief: IncidentBrief, citations: list[Citation], numbers: dict[str, int]) -> str:
    """``[1][2]``: one marker per cited source."""
    cited = dict.fromkeys(numbers.get(c.source_id, 0) for c in citations)
    return "".join(f"[{n}]" if n else "[?]" for n in cited)


def _cites(brief: IncidentBrief, citations: list[Citation], numbers: dict[str, int]) -> Text:
    """``[1:10] [2:10]``: source number and sentence numbers, for table cells."""
    return Text(" ".join(shared.citation_label(brief, c, numbers) for c in citations), style="cyan")


def _append_translation(line: Text, brief: IncidentBrief, citations: list[Citation]) -> None:
    """The translation of a statement's cited sentences on a line of its own, labelled, when there is one."""
    translated = shared.translated_citations(brief, citations)
    if translated:
        label, text = translated
        line.append(f"\n  {label}: ", style="dim")
        line.append(text, style="dim italic")


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold")


def _bulleted(console: Console, title: str) -> Table:
    """The section's title printed, and the grid its bulleted lines go in (a bullet, then the line)."""
    console.print(_section(title))
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=3)
    table.add_column(ratio=1)
    return table


MOST_CORROBORATED = 8  # claims shown without --full
MOST_NAMED = 8  # actors shown without --full


def _actors(console: Console, brief: IncidentBrief, numbers: dict[str, int], full: bool) -> list:
    """The actors, the most often named first: name, the other ways the reports write it, and where.
    Returns those shown."""
    ranked = sorted(brief.actors, key=lambda a: -sum(len(c.sentences) for c in a.citations))
    shown = ranked if full else ranked[:MOST_NAMED]
    if not shown:
        return shown
    words = Labels(brief.language)
    table = _bulleted(console, words("Actors") if full else
                      words("Actors, most named ({shown} of {total})", shown=len(shown), total=len(brief.actors)))
    for actor in shown:
        line = Text(actor.name, style="bold")
        if actor.side and words(actor.side).lower() != actor.name.lower():  # not "civilians · civilians"
            line.append(f" · {words(actor.side)}")
        if actor.aliases:
            line.append(f" ({words('also: {aliases}', aliases=', '.join(actor.aliases))})", style="dim")
        line.append(" ")
        line.append_text(_cites(brief, actor.citations, numbers))
        table.add_row("  •", line)
    console.print(table)
    return shown


def _most_corroborated(brief: IncidentBrief) -> list:
    """The claims most sources carry, disputed and denied ones among them, in the brief's order."""
    ranked = sorted(brief.claims, key=lambda c: (-c.independent_sources, c.status != "disputed"))
    keep = {id(c) for c in ranked[:MOST_CORROBORATED]}
    return [c for c in brief.claims if id(c) in keep]


def _open_questions(console: Console, brief: IncidentBrief) -> None:
    if brief.open_questions:
        questions = Table.grid(padding=(0, 1))
        questions.add_column(width=1)
        questions.add_column(ratio=1)
        for question in brief.open_questions:
            questions.add_row("•", Text(question))
        console.print(_section(Labels(brief.language)("Open questions")))
        console.print(questions)


def _compact_sources(console: Console, brief: IncidentBrief, numbers: dict[str, int]) -> None:
    words = Labels(brief.language)
    console.print(_section(words("Sources")))
    lines = Table.grid(padding=(0, 1), expand=True)
    lines.add_column(justify="right", style="cyan", no_wrap=True)
    lines.add_column(ratio=1)
    for source in brief.sources:
        name = source.outlet or source.title or source.path or source.id
        line = Text(name, style="bold")
        line.append(f" · {source.published.isoformat() if source.published else words('undated')}", style="dim")
        if source.path and source.path != name:
            line.append(f" · {source.path}", style="dim")
        for flag in source.flags:
            label = words("copy of {n}", n=numbers[source.copy_of]) if flag == "copy" and source.copy_of in numbers else words(flag)
            line.append(f" [{label}]", style="bold red" if flag in shared.WARNING_FLAGS else "dim")
        lines.add_row(f"[{numbers[source.id]}]", line)
    console.print(lines)


def print_terminal(brief: IncidentBrief, console: Console | None = None, *, full: bool = False) -> None:
    """Print a brief to a rich console: headline, summary, casualties per party, disputes, the most
    corroborated claims and the sources; with ``full``, every claim, the timeline and sources' notes.

    Example:
        >>> print_terminal(brief, Console(width=80))
    """
    console = console or Console()
    numbers, words = shared.source_numbers(brief), Labels(brief.language)

    facts = [f for f in (brief.incident_type, shared.when_label(brief), shared.where_label(brief)) if f]
    facts.append(words("{n} sources, {k} independent", n=len(brief.sources), k=shared.independent_source_count(brief)))
    headline = Group(Text(brief.title, style="bold"), Text(" · ".join(facts), style="dim"))
    console.print(Panel(headline, box=box.HEAVY, border_style="blue", padding=(0, 1)))

    summary = Text()
    for sentence in brief.summary:
        summary.append(sentence.text)
        summary.append(_markers(brief, sentence.citations, numbers), style="cyan")
        summary.append(" ")
    if note := shared.no_summary_note(brief):
        summary.append(note, style="yellow")
    console.print(summary)
    console.print()

    groups = shared.casualty_groups(brief)
    if groups:
        console.print(_section(words("Casualties, per party and claimant")))
        for group in groups:
            heading = Text("  ")
            heading.append(group.name, style="bold")
            heading.append(f" · {words.metric(group.metric)}")
            if group.label:
                heading.append(f" · {words(group.label)}", style="bold")
            console.print(heading)
            rows = Table.grid(padding=(0, 2), expand=True)
            rows.add_column(width=2)
            rows.add_column(justify="right", no_wrap=True)
            rows.add_column(ratio=1)
            rows.add_column(justify="right", max_width=30, overflow="fold")
            for claim in group.claims:
                rows.add_row("", Text(claim.figure), Text(words("by {claimant}", claimant=claim.claimant)), _cites(brief, claim.citations, numbers))
            console.print(rows)

    if brief.disputes:
        console.print(_section(words("Disputes")))
        for dispute in brief.disputes:
            console.print(Text(f"  {dispute.question}  ({words(dispute.kind)})", style="italic"))
            sides = Table.grid(padding=(0, 1), expand=True)
            sides.add_column(width=3)
            sides.add_column(ratio=1)
            for i, position in enumerate(dispute.positions):
                side = Text()
                side.append(position.claimant, style=f"bold {POSITION_STYLE[i % len(POSITION_STYLE)]}")
                side.append(": " + position.statement + " ")
                side.append_text(_cites(brief, position.citations, numbers))
                _append_translation(side, brief, position.citations)
                sides.add_row("  •", side)
            console.print(sides)

    actors = _actors(console, brief, numbers, full)

    claims = brief.claims if full else _most_corroborated(brief)
    if claims:
        table = _bulleted(console, words("Claims") if full else
                          words("Most corroborated claims ({shown} of {total})", shown=len(claims), total=len(brief.claims)))
        for claim in claims:
            line = Text(claim.statement + " ")
            line.append(f"({claim.claimant}; ", style="dim")
            line.append(words(claim.status), style=STATUS_STYLE.get(claim.status, ""))
            line.append(") ", style="dim")
            line.append_text(_cites(brief, claim.citations, numbers))
            _append_translation(line, brief, claim.citations)
            table.add_row("  •", line)
        console.print(table)

    if not full:
        _open_questions(console, brief)
        _compact_sources(console, brief, numbers)
        rest = [words(what, n=n) for what, n in (("{n} more actors", len(brief.actors) - len(actors)),
                                                 ("{n} more claims", len(brief.claims) - len(claims)),
                                                 ("{n} timeline events", len(brief.timeline))) if n > 0]
        console.print()
        console.print(Text(
            (words("Not shown: {rest}.", rest=", ".join(rest)) + " " if rest else "")
            + words("For everything, add --full; for the report with every sentence, --format html -o brief.html "
                    "(or --format md)."), style="dim"))
        console.print(Text(shared.diagnostics_line(brief), style="dim"))
        return

    if brief.timeline:
        table = Table(title=words("Timeline"), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      expand=True)
        table.add_column(words("Date"), no_wrap=True, style="bold")
        table.add_column(words("Event"), ratio=1)
        table.add_column(words("Sources"), width=18)
        for event in brief.timeline:
            table.add_row(Text(event.date.iso or event.date.as_written), Text(event.event),
                          _cites(brief, event.citations, numbers))
        console.print(table)

    table = Table(title=words("Sources"), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="cyan")
    table.add_column(words("Source"), ratio=4, overflow="fold")
    table.add_column(words("Published"), no_wrap=True)
    table.add_column(words("Flags"), no_wrap=True)
    table.add_column(words("Adds"), ratio=5)
    for source in brief.sources:
        flags = Text()
        for flag in source.flags:
            label = words(flag)
            if flag == "copy" and source.copy_of in numbers:
                label = words("copy of {n}", n=numbers[source.copy_of])
            flags.append(label, style="bold red" if flag in shared.WARNING_FLAGS else "dim")
            flags.append("\n")
        flags.rstrip()
        name = Text(source.outlet or source.title or "", style="bold")
        if source.outlet and source.title:
            name.append(f"\n{source.title}", style="")
        name.append(("\n" if name else "") + (source.path or source.id), style="dim")
        table.add_row(str(numbers[source.id]), name,
                      source.published.isoformat() if source.published else "—", flags, Text(source.adds or ""))
    console.print(table)

    _open_questions(console, brief)
    console.print()
    console.print(Text(shared.diagnostics_line(brief), style="dim"))
