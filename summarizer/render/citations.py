"""What every output format shares: source numbers, cited sentences, figure and range labels."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.schema import CasualtyClaim, CasualtyRange, Citation, IncidentBrief, Sentence, Source
from summarizer.text.labels import Labels

# Flags a reader must see before trusting a source; the others are housekeeping.
WARNING_FLAGS = ("copy", "internal-error", "prompt-injection")


def source_numbers(brief: IncidentBrief) -> dict[str, int]:
    """Source id -> the 1-based number every format shows for it (its place in ``brief.sources``)."""
    return {source.id: n for n, source in enumerate(brief.sources, start=1)}


def source_name(source: Source) -> str:
    """The shortest name that identifies a source: its outlet, else its title, else its file."""
    return source.outlet or source.title or source.path or source.id


def cited_sentences(brief: IncidentBrief, citation: Citation) -> list[Sentence]:
    """The sentences a citation points at, in its order; numbers the source lacks are skipped."""
    source = brief.source(citation.source_id)
    if source is None:
        return []
    by_number = {sentence.n: sentence for sentence in source.sentences}
    return [by_number[n] for n in citation.sentences if n in by_number]


def translation_of(source: Source | None, n: int) -> str | None:
    """The machine translation beside sentence ``n`` of ``source``, if the run made one."""
    if source is None:
        return None
    return next((t.text for t in source.translations if t.sentence == n), None)


def translation_label(source: Source, language: str = "en") -> str:
    """``'machine translation from French'``: how every format labels a translation, in the brief's ``language``."""
    words = Labels(language)
    return words("machine translation from {language}", language=words.language_name(source.language))


def translated_citations(brief: IncidentBrief, citations: list[Citation]) -> tuple[str, str] | None:
    """(label, text): the translation of the sentences a statement cites in its first source, when
    every one of them has one; else None (a statement in the brief's language has none)."""
    if not citations:
        return None
    source = brief.source(citations[0].source_id)
    texts = [translation_of(source, n) for n in citations[0].sentences]
    if source is None or not texts or not all(texts):
        return None
    return translation_label(source, brief.language), " ".join(texts)


def sentence_numbers(numbers: tuple[int, ...] | list[int]) -> str:
    """``(3, 4, 5, 9)`` -> ``'3–5, 9'``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def citation_label(brief: IncidentBrief, citation: Citation, numbers: dict[str, int] | None = None) -> str:
    """``[2:10–11]``: the source's number and the cited sentence numbers."""
    numbers = numbers if numbers is not None else source_numbers(brief)
    number = numbers.get(citation.source_id, "?")
    return f"[{number}:{sentence_numbers(citation.sentences)}]"


def range_label(casualty_range: CasualtyRange, claims: list[CasualtyClaim]) -> str:
    """Lowest to highest figure: ``'2–17+'``, ``'20+'``, ``'7'``; ``'unquantified'`` when no figure is a number."""
    low, high = casualty_range.low, casualty_range.high
    if low is None and high is None:
        return "unquantified"
    if high is None:
        # Open-ended: the highest stated floor is the most a reader can say.
        floors = [c.low for c in claims if c.high is None and c.low is not None]
        top = max(floors, default=low)
        if low is None or top == low:
            return f"{top}+"
        return f"{low}–{top}+"
    if low is None or low == high:
        return str(high)
    return f"{low}–{high}"


@dataclass
class CasualtyGroup:
    """The claims about one party and metric, with the range across them."""

    party: str
    metric: str
    range: CasualtyRange | None
    claims: list[CasualtyClaim]

    @property
    def name(self) -> str:
        """The party, with the reports' own words where the brief gives it in English: 'civilians (civils)'."""
        written = list(dict.fromkeys(c.party_as_written for c in self.claims if c.party_as_written))
        return f"{self.party} ({', '.join(written)})" if written else self.party

    @property
    def label(self) -> str:
        """The range of the group's figures, as every format shows it."""
        if self.range is None:
            return "—"
        return range_label(self.range, self.claims)


def casualty_groups(brief: IncidentBrief) -> list[CasualtyGroup]:
    """Casualty claims grouped by (party, metric), in the order parties first appear."""
    groups: dict[tuple[str, str], CasualtyGroup] = {}
    for claim in brief.casualties:
        key = (claim.party, claim.metric)
        if key not in groups:
            groups[key] = CasualtyGroup(claim.party, claim.metric, None, [])
        groups[key].claims.append(claim)
    for casualty_range in brief.casualty_ranges:
        key = (casualty_range.party, casualty_range.metric)
        if key not in groups:
            groups[key] = CasualtyGroup(casualty_range.party, casualty_range.metric, None, [])
        groups[key].range = casualty_range
    order = {party: i for i, party in enumerate(dict.fromkeys(party for party, _ in groups))}
    return sorted(groups.values(), key=lambda g: order[g.party])


def when_label(brief: IncidentBrief) -> str | None:
    """``'2024-07-25 – 2024-07-27'``, one date, or None when the sources do not settle it."""
    start, end = brief.when.start, brief.when.end
    if start and end and start != end:
        return f"{start} – {end}"
    return start or end


def where_label(brief: IncidentBrief) -> str | None:
    """The first place with its region and country: ``'Tinzaouatene, Kidal, Mali'``."""
    if not brief.where:
        return None
    place = brief.where[0]
    parts = [place.name] + [p for p in (place.region, place.country) if p and p != place.name]
    return ", ".join(dict.fromkeys(parts))


def independent_source_count(brief: IncidentBrief) -> int:
    """Sources that are not copies of another source in the brief."""
    ids = {source.id for source in brief.sources}
    return sum(1 for s in brief.sources if not ("copy" in s.flags and (s.copy_of is None or s.copy_of in ids)))


def no_summary_note(brief: IncidentBrief) -> str | None:
    """What to show in place of an empty summary: why there is none. None when there is one."""
    if brief.summary:
        return None
    words = Labels(brief.language)
    checked = words("The figures and claims below are each checked against their sources.")
    dropped = sum(1 for d in brief.diagnostics.dropped if d.what.startswith("summary sentence"))
    if not dropped:
        return f"{words('No summary was drafted.')} {checked}"
    if dropped == 1:
        why = words("No summary: the one drafted sentence stated what its cited sentences do not hold and was left out "
                    "(see the dropped items).")
    else:
        why = words("No summary: {n} drafted sentences stated what their cited sentences do not hold and were left out "
                    "(see the dropped items).", n=dropped)
    return f"{why} {checked}"


def diagnostics_line(brief: IncidentBrief) -> str:
    """One line, in the brief's language: model, endpoint, calls, tokens, wall time, re-asks, dropped items.

    Example (a brief in French): ``qwen via local · 13 appels · 2 778 jetons lus + 716 générés · 50,4 s · 0 nouvelles demandes · écartés : 3``
    """
    d, words = brief.diagnostics, Labels(brief.language)
    seconds = d.seconds.get("total", sum(d.seconds.values()))  # stages add up to "total"; do not count twice
    return " · ".join((
        words("{model} via {endpoint}", model=d.model, endpoint=d.endpoint),
        words.count(d.usage.calls, "{n} call", "{n} calls"),
        words("{prompt} prompt + {completion} completion tokens",
              prompt=words.number(d.usage.prompt_tokens), completion=words.number(d.usage.completion_tokens)),
        words("{seconds} s", seconds=words.number(round(seconds, 1), "0.0")),
        words.count(d.reasks, "{n} re-ask", "{n} re-asks"),
        words("{n} dropped", n=len(d.dropped)),
    ))
