"""Consolidate, casualties: one row per (party, metric, figure, claimant), the ranges per party,
and the figure disputes where claimants give different numbers for one party."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from summarizer.schema import ArticleExtraction, CasualtyClaim, CasualtyRange, Citation, Dispute, DroppedItem, Position, SegmentedArticle
from summarizer.stages.consolidate.claims import corpus_year, merged_by_source
from summarizer.stages.consolidate.names import canonical
from summarizer.text.dates import resolve, time_words
from summarizer.text.language import DEFAULT, PERSON_NOUNS, metric_name, party_in_language
from summarizer.text.metrics import counts_a_part
from summarizer.text.numbers import figure_in_text, parse_figure

def casualty_claims(
    extractions: Sequence[ArticleExtraction], names: dict[str, str], languages: dict[str, str | None] | None = None,
    parties: dict[str, str] | None = None, brief_language: str = DEFAULT,
) -> list[CasualtyClaim]:
    """One row per (party, metric, figure, claimant), with every source that states it.

    A party a report names in another language than the brief's is shown in the brief's where the
    project has a word for it ("civils" -> "civilians" in an English brief, "soldiers" -> "soldats" in
    a French one), its own words kept beside it; the figure stays as written.
    """
    rows: dict[tuple, CasualtyClaim] = {}
    for extraction in extractions:
        language = (languages or {}).get(extraction.article_id)
        for item in extraction.casualties:
            low, high, qualifier = parse_figure(item.figure, language)
            written, claimant = canonical(item.party, names if parties is None else parties), canonical(item.by, names)
            party = party_in_language(written, language, brief_language) or written
            key = (party.lower(), item.metric, low, high, qualifier, claimant.lower())
            citation = Citation(source_id=extraction.article_id, sentences=tuple(sorted(set(item.ids))))
            if key in rows:
                rows[key].citations = merged_by_source([*rows[key].citations, citation])
                continue
            rows[key] = CasualtyClaim(
                party=party, party_as_written=written if party != written else None, metric=item.metric, figure=item.figure, low=low, high=high, qualifier=qualifier,
                claimant=claimant, citations=[citation],
            )
    return list(rows.values())


# A figure whose own sentence dates it this long before the first report is another event's toll
# (background: "On 1 January, 37 villagers had been killed in a nearby village").
EARLIER_EVENT_DAYS = 7


def without_earlier_events(
    casualties: Sequence[CasualtyClaim], articles: Sequence[SegmentedArticle],
) -> tuple[list[CasualtyClaim], list[DroppedItem]]:
    """The rows whose figure is not dated, by its own sentence, before the incident; the rest, dropped.

    The incident is taken to begin at most EARLIER_EVENT_DAYS before the first report's date
    (reports follow an incident within days; follow-ups revise it later, not earlier). A figure
    dated in an earlier year, or on a day before that, counts another event.
    """
    dated = [a.article.published for a in articles if a.article.published]
    if not dated:
        return list(casualties), []
    start = min(dated) - dt.timedelta(days=EARLIER_EVENT_DAYS)
    by_id = {a.article.id: a for a in articles}
    kept, dropped = [], []
    for row in casualties:
        when = _earlier_date(row, by_id, start, corpus_year(by_id))
        if when is None:
            kept.append(row)
        else:
            dropped.append(DroppedItem(
                source_id=row.citations[0].source_id, what=f"casualty: {row.party} {row.metric} {row.figure} (by {row.claimant})",
                reason=f"another event: its sentence dates it {when}, before the incident (first report {min(dated)})"))
    return kept, dropped


def _earlier_date(row: CasualtyClaim, articles: dict[str, SegmentedArticle], start: dt.date, year: int | None) -> str | None:
    for citation in row.citations:
        article = articles.get(citation.source_id)
        for n in citation.sentences if article else ():
            sentence = found.text if (found := article.sentence(n)) else ""
            if not figure_in_text(row.figure, sentence) or not (words := time_words(sentence)):
                continue
            when = resolve(words, article.article.published, year)
            if when.precision == "day" and dt.date.fromisoformat(when.iso) < start:
                return when.iso
            if when.precision == "year" and int(when.iso) < start.year:
                return when.iso
            if when.precision == "month" and when.iso < f"{start.year:04d}-{start.month:02d}":
                return when.iso
    return None



def by_party_and_metric(casualties: Sequence[CasualtyClaim]) -> dict[tuple[str, str], list[CasualtyClaim]]:
    """The claims of each (party, metric), in the order each pair first appears."""
    groups: dict[tuple[str, str], list[CasualtyClaim]] = defaultdict(list)
    for claim in casualties:
        groups[(claim.party, claim.metric)].append(claim)
    return groups


def casualty_ranges(casualties: Sequence[CasualtyClaim]) -> list[CasualtyRange]:
    """Per party and metric, the lowest and highest figure any claim gives (vague ones left out)."""
    groups = by_party_and_metric(casualties)
    ranges = []
    for (party, metric), claims in groups.items():
        numbers = [n for c in claims for n in (c.low, c.high) if n is not None]
        ranges.append(CasualtyRange(
            party=party, metric=metric, low=min(numbers) if numbers else None,
            high=max(numbers) if numbers else None, claims=len(claims),
        ))
    return ranges


# A figure dispute's question and each position's metric, as code writes them in the brief's language.
FIGURE_QUESTIONS = {
    "en": "How many {party} were {metric}?", "fr": "Combien de {metric} parmi les {party} ?",
    "es": "¿Cuántos {metric} entre los {party}?", "pt": "Quantos {metric} entre os {party}?",
}


def figure_question(party: str, metric: str, language: str = DEFAULT) -> str:
    """The question of a figure dispute in the brief's language (English where there is no wording for it).

    Example:
        >>> figure_question("soldier", "killed"), figure_question("civils", "killed", "fr")
        ('How many soldiers were killed?', 'Combien de morts parmi les civils ?')
    """
    template = FIGURE_QUESTIONS.get(language, FIGURE_QUESTIONS[DEFAULT])
    return template.format(party=_plural(party), metric=metric_name(metric, language))


def tolls(casualties: Sequence[CasualtyClaim], articles: Sequence[SegmentedArticle]) -> list[CasualtyClaim]:
    """The rows whose figure is a toll, not a part of one (``metrics.counts_a_part``: "une cinquantaine
    de blessés admis à l'hôpital de la ville", "31 more bodies"): what a dispute over how many sets
    against each other. On ogossagou (2026-12-07) the wounded in one town's hospital were set against
    the UN mission's 65 wounded in all."""
    by_id = {a.article.id: a for a in articles}

    def part(claim: CasualtyClaim) -> bool:
        texts = [s.text for c in claim.citations if c.source_id in by_id
                 for n in c.sentences if (s := by_id[c.source_id].sentence(n))]
        writing = [t for t in texts if figure_in_text(claim.figure, t)]
        return bool(writing) and all(counts_a_part(claim.figure, t) for t in writing)

    return [c for c in casualties if not part(c)]


def figure_disputes(casualties: Sequence[CasualtyClaim], language: str = DEFAULT) -> list[Dispute]:
    """Where claims give different figures for one party and metric, each figure is a position;
    code writes the question in the brief's ``language``."""
    # "At least 15 killed or arrested" and "at least 20 killed" are two tolls of one party's dead:
    # a "killed or captured" row is set against the party's killed, where it has any.
    killed = {c.party for c in casualties if c.metric == "killed"}
    groups: dict[tuple[str, str], list[CasualtyClaim]] = defaultdict(list)
    for claim in casualties:
        toll = "killed" if claim.metric == "killed or captured" and claim.party in killed else claim.metric
        groups[(claim.party, toll)].append(claim)
    disputes = []
    for (party, metric), claims in groups.items():
        # A dispute sets claimants against each other: one claimant's two figures are a revision
        # or two counts, not a disagreement, and are left to the casualty table.
        figures: dict[tuple, set] = defaultdict(set)
        for c in claims:
            figures[(c.low, c.high, c.qualifier)].add(_claimant_key(c))
        if not any(len(a | b) >= 2 for a, b in combinations(figures.values(), 2)):
            continue
        # How many is disputed when two numbers differ: "several" beside "50" contradicts nothing.
        if len({low for low, _, _ in figures if low is not None}) < 2:
            continue
        disputes.append(Dispute(
            question=figure_question(party, metric, language),
            kind="figure",
            positions=[
                Position(claimant=c.claimant, statement=f"{c.figure} {metric_name(c.metric, language)}", citations=c.citations)
                for c in sorted(claims, key=lambda c: (c.low if c.low is not None else -1))
            ],
        ))
    return disputes


def _plural(party: str) -> str:
    """A party named in the singular ("At least one of the dead was a minor") as a question asks of
    it: "How many minors ...?". Only a noun the project knows for people is made plural.

    Example:
        >>> _plural("minor"), _plural("child"), _plural("soldiers"), _plural("Wagner")
        ('minors', 'children', 'soldiers', 'Wagner')
    """
    irregular = {"child": "children", "person": "people", "man": "men", "woman": "women"}
    if party in irregular:
        return irregular[party]
    return f"{party}s" if f"{party}s" in PERSON_NOUNS else party


def _claimant_key(claim: CasualtyClaim) -> tuple[str, ...]:
    """Who a figure is claimed by, for telling claimants apart: each report's reporter is its own."""
    if claim.claimant == "reporter":
        return ("reporter", *sorted({c.source_id for c in claim.citations}))
    return (claim.claimant.lower(),)
