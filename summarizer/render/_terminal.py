"""The brief in a terminal (rich), readable at 100 columns.

Every string from the brief is wrapped in ``Text`` so rich never reads it as console markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.render._citations import (
    WARNING_FLAGS,
    casualty_groups,
    citation_label,
    diagnostics_line,
    independent_source_count,
    no_summary_note,
    source_numbers,
    when_label,
    where_label,
)
from summarizer.schema import Citation, IncidentBrief

STATUS_STYLE = {"corroborated": "green", "single-source": "yellow", "disputed": "magenta", "denied": "red"}
POSITION_STYLE = ("cyan", "magenta", "yellow", "green")


def _markers(brief: IncidentBrief, citations: list[Citation], numbers: dict[str, int]) -> str:
    """``[1][2]``: one marker per cited source."""
    cited = dict.fromkeys(numbers.get(c.source_id, 0) for c in citations)
    return "".join(f"[{n}]" if n else "[?]" for n in cited)


def _cites(brief: IncidentBrief, citations: list[Citation], numbers: dict[str, int]) -> Text:
    """``[1:10] [2:10]``: source number and sentence numbers, for table cells."""
    return Text(" ".join(citation_label(brief, c, numbers) for c in citations), style="cyan")


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold")


def print_terminal(brief: IncidentBrief, console: Console | None = None) -> None:
    """Print a brief to a rich console: headline, summary, casualties, disputes, timeline, sources.

    Example:
        >>> print_terminal(brief, Console(width=100))
    """
    console = console or Console()
    numbers = source_numbers(brief)

    facts = [f for f in (brief.incident_type, when_label(brief), where_label(brief)) if f]
    facts.append(f"{len(brief.sources)} sources, {independent_source_count(brief)} independent")
    headline = Group(Text(brief.title, style="bold"), Text(" · ".join(facts), style="dim"))
    console.print(Panel(headline, box=box.HEAVY, border_style="blue", padding=(0, 1)))

    summary = Text()
    for sentence in brief.summary:
        summary.append(sentence.text)
        summary.append(_markers(brief, sentence.citations, numbers), style="cyan")
        summary.append(" ")
    if note := no_summary_note(brief):
        summary.append(note, style="yellow")
    console.print(summary)
    console.print()

    groups = casualty_groups(brief)
    if groups:
        table = Table(title="Casualties", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      expand=True, padding=(0, 1))
        table.add_column("Party", style="bold", ratio=3)
        table.add_column("Metric", ratio=2)
        table.add_column("Figure", justify="right", no_wrap=True)
        table.add_column("Claimant", ratio=4)
        table.add_column("Sources", ratio=3)
        table.add_column("Range", justify="right", style="bold", no_wrap=True)
        for group in groups:
            for i, claim in enumerate(group.claims):
                first = i == 0
                table.add_row(
                    Text(group.party) if first else "",
                    Text(group.metric) if first else "",
                    Text(claim.figure),
                    Text(claim.claimant),
                    _cites(brief, claim.citations, numbers),
                    group.label if first else "",
                    end_section=i == len(group.claims) - 1,
                )
        console.print(table)

    if brief.disputes:
        console.print(_section("Disputes"))
        for dispute in brief.disputes:
            table = Table(title=Text(f"{dispute.question}  ({dispute.kind})", style="italic"), title_justify="left",
                          title_style="italic", box=box.ROUNDED, expand=True, show_lines=True)
            for i, position in enumerate(dispute.positions):
                table.add_column(Text(position.claimant), style=POSITION_STYLE[i % len(POSITION_STYLE)],
                                 ratio=1, overflow="fold")
            table.add_row(*(Text(p.statement) for p in dispute.positions))
            table.add_row(*(_cites(brief, p.citations, numbers) for p in dispute.positions))
            console.print(table)

    if brief.claims:
        table = Table(title="Claims", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      expand=True)
        table.add_column("Statement", ratio=8)
        table.add_column("Claimant", ratio=3)
        table.add_column("Status", no_wrap=True)
        table.add_column("Sources", ratio=3)
        for claim in brief.claims:
            table.add_row(Text(claim.statement), Text(claim.claimant),
                          Text(claim.status, style=STATUS_STYLE.get(claim.status, "")),
                          _cites(brief, claim.citations, numbers))
        console.print(table)

    if brief.timeline:
        table = Table(title="Timeline", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      expand=True)
        table.add_column("Date", no_wrap=True, style="bold")
        table.add_column("Event", ratio=1)
        table.add_column("Sources", width=18)
        for event in brief.timeline:
            table.add_row(Text(event.date.iso or event.date.as_written), Text(event.event),
                          _cites(brief, event.citations, numbers))
        console.print(table)

    table = Table(title="Sources", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="cyan")
    table.add_column("Source", ratio=4, overflow="fold")
    table.add_column("Published", no_wrap=True)
    table.add_column("Flags", no_wrap=True)
    table.add_column("Adds", ratio=5)
    for source in brief.sources:
        flags = Text()
        for flag in source.flags:
            label = flag
            if flag == "copy" and source.copy_of in numbers:
                label = f"copy of {numbers[source.copy_of]}"
            flags.append(label, style="bold red" if flag in WARNING_FLAGS else "dim")
            flags.append("\n")
        flags.rstrip()
        name = Text(source.outlet or source.title or "", style="bold")
        if source.outlet and source.title:
            name.append(f"\n{source.title}", style="")
        name.append(("\n" if name else "") + (source.path or source.id), style="dim")
        table.add_row(str(numbers[source.id]), name,
                      source.published.isoformat() if source.published else "—", flags, Text(source.adds or ""))
    console.print(table)

    if brief.open_questions:
        questions = Table.grid(padding=(0, 1))
        questions.add_column(width=1)
        questions.add_column(ratio=1)
        for question in brief.open_questions:
            questions.add_row("•", Text(question))
        console.print(_section("Open questions"))
        console.print(questions)

    console.print()
    console.print(Text(diagnostics_line(brief), style="dim"))
