"""Score an ``IncidentBrief`` against hand-reviewed gold labels (``evals/gold/tinzaouatene.yaml``).

Pure and deterministic: matching is plain text matching of the brief against term patterns
written by a reviewer; no model is involved, so two runs over one brief give one score.
``evals/README.md`` defines every metric with a worked example.

Example:
    >>> gold = load_gold("evals/gold/tinzaouatene.yaml")
    >>> scores = score(brief, gold)
    >>> check_thresholds(scores, load_thresholds("evals/thresholds.toml"))
    []
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from pydantic import BaseModel, Field
from rich.table import Table

from summarizer.eval.gold import Gold, GoldCasualty, GoldFigure, GoldPosition, load_gold, sentence_claimants
from summarizer.eval.patterns import matches, normalise, pattern_weight
from summarizer.schema import CasualtyClaim, Citation, IncidentBrief
from summarizer.text.numbers import numbers_in as figure_numbers
from summarizer.text.words import MONTHS

__all__ = ["Scores", "score", "compare", "check_thresholds", "load_thresholds", "load_gold", "numbers_in",
           "resolve_claimant", "RATE_METRICS", "COUNT_METRICS"]

# --------------------------------------------------------------------------- scores


class Scores(BaseModel):
    """Every metric of one brief against one gold file; rates are in [0, 1], None when undefined."""

    fact_recall: float | None = None
    attribution_precision: float | None = None
    attribution_recall: float | None = None
    fact_claimant_accuracy: float | None = None
    casualty_precision: float | None = None
    casualty_recall: float | None = None
    casualty_claimant_accuracy: float | None = None
    claimant_accuracy: float | None = None
    dispute_precision: float | None = None
    dispute_recall: float | None = None
    actor_side_accuracy: float | None = None
    on_topic_kept: float | None = None
    distractors_flagged: float | None = None
    date_precision: float | None = None
    date_recall: float | None = None
    citation_validity: float | None = None
    actor_fragmentation: float | None = None
    unsupported_figures: int = 0
    seconds: float | None = Field(None, description="Wall time from brief.diagnostics.")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens: int = 0

    # The counts behind the rates, and what was missed, for reading a failure.
    facts: tuple[int, int] = (0, 0)
    casualties: tuple[int, int] = (0, 0)
    casualty_rows: tuple[int, int] = (0, 0)
    casualties_claimant_right: int = 0
    claimants: tuple[int, int] = (0, 0)
    claimants_unjudged: int = 0
    disputes: tuple[int, int] = (0, 0)
    disputes_shown: tuple[int, int] = (0, 0)
    dates: tuple[int, int] = (0, 0)
    dates_shown: tuple[int, int] = (0, 0)
    citations: tuple[int, int] = (0, 0)
    missed_facts: list[str] = Field(default_factory=list)
    missed_casualties: list[str] = Field(default_factory=list)
    wrong_fact_claimants: list[str] = Field(default_factory=list, description="'fact id: brief claimants'.")
    wrong_claimants: list[str] = Field(default_factory=list, description="'casualty id: brief claimants'.")
    wrong_casualty_rows: list[str] = Field(default_factory=list, description="'casualties[i] row: why'.")
    wrong_item_claimants: list[str] = Field(
        default_factory=list, description="'where: brief claimant, gold: keys' for every claim, row or position.",
    )
    missed_disputes: list[str] = Field(default_factory=list)
    wrong_disputes: list[str] = Field(default_factory=list, description="'disputes[i] question: why'.")
    party_names: dict[str, list[str]] = Field(
        default_factory=dict, description="Gold actor key -> the casualty-table party names that resolve to it.",
    )
    unresolved_parties: list[str] = Field(default_factory=list, description="Party names of no gold actor.")
    wrong_sides: list[str] = Field(default_factory=list)
    dropped_on_topic: list[str] = Field(default_factory=list, description="On-topic files flagged off-topic.")
    unflagged_distractors: list[str] = Field(default_factory=list)
    missed_dates: list[str] = Field(default_factory=list)
    wrong_dates: list[str] = Field(default_factory=list, description="Day dates in the brief that no gold date has.")
    invalid_citations: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list, description="'where: number' for each unsupported figure.")


RATE_METRICS = (
    "fact_recall", "attribution_precision", "attribution_recall", "fact_claimant_accuracy",
    "casualty_precision", "casualty_recall", "casualty_claimant_accuracy", "claimant_accuracy",
    "dispute_precision", "dispute_recall", "actor_side_accuracy", "on_topic_kept", "distractors_flagged",
    "date_precision", "date_recall", "citation_validity",
)
COUNT_METRICS = (
    "actor_fragmentation", "unsupported_figures", "seconds", "calls", "prompt_tokens", "completion_tokens", "tokens",
)
# The figures a reader judges a brief by, first in every table.
HEADLINE_METRICS = (
    "casualty_precision", "casualty_recall", "claimant_accuracy", "dispute_precision", "dispute_recall",
    "actor_fragmentation", "on_topic_kept", "date_precision", "date_recall", "fact_recall", "unsupported_figures",
)


@dataclass(frozen=True)
class _Item:
    """A statement the brief shows a reader: where it is, its words, who it says asserts them."""

    where: str
    text: str
    claimant: str | None
    citations: tuple[Citation, ...]


def score(brief: IncidentBrief, gold: Gold) -> Scores:
    """Score ``brief`` against ``gold``; see evals/README.md for each metric.

    Example:
        >>> s = score(IncidentBrief.model_validate_json(open("perfect.json").read()), gold)
        >>> s.fact_recall, s.unsupported_figures
        (1.0, 0)
    """
    files = {s.id: PurePath(s.path).name if s.path else s.id for s in brief.sources}
    scores = Scores()
    _score_facts(brief, gold, files, scores)
    _score_casualties(brief, gold, scores)
    _score_casualty_rows(brief, gold, files, scores)
    _score_claimants(brief, gold, files, scores)
    _score_disputes(brief, gold, scores)
    _score_dispute_precision(brief, gold, scores)
    _score_actors(brief, gold, scores)
    _score_topic(brief, gold, files, scores)
    _score_dates(brief, gold, scores)
    _score_citations(brief, scores)
    _score_figures(brief, scores)
    diag = brief.diagnostics
    scores.seconds = diag.seconds.get("total", sum(diag.seconds.values())) if diag.seconds else None
    scores.calls = diag.usage.calls
    scores.prompt_tokens = diag.usage.prompt_tokens
    scores.completion_tokens = diag.usage.completion_tokens
    scores.tokens = diag.usage.prompt_tokens + diag.usage.completion_tokens
    return scores


def _rate(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _fact_items(brief: IncidentBrief) -> list[_Item]:
    items = [
        _Item(f"claims[{i}] {c.id}", f"{c.claimant}: {c.statement}", c.claimant, tuple(c.citations))
        for i, c in enumerate(brief.claims)
    ]
    items += [
        _Item(f"casualties[{i}]", f"{c.claimant}: {c.figure} {c.party} {c.metric}", c.claimant, tuple(c.citations))
        for i, c in enumerate(brief.casualties)
    ]
    items += [_Item(f"summary[{i}]", s.text, None, tuple(s.citations)) for i, s in enumerate(brief.summary)]
    return items


def resolve_claimant(text: str, gold: Gold) -> set[str]:
    """The gold claimant keys whose longest matching alias is the longest match in ``text``.

    Longest wins so that "Russian military bloggers" is the bloggers, not the (Malian) military.
    A name "X of Y" is X when X is a claimant ("the interior ministry of the eastern government"
    is the ministry, not the government), else the whole ("the head of the WMO" is the WMO).
    """
    head = re.split(r"\s+of\s+", text, maxsplit=1)[0]
    if head != text and (keys := resolve_claimant(head, gold)):
        return keys
    weights = {key: pattern_weight(c.pattern, text) for key, c in gold.claimants.items()}
    best = max(weights.values(), default=0)
    return {key for key, w in weights.items() if w == best} if best else set()


def _score_facts(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    items = _fact_items(brief)
    matched = precision_sum = recall_sum = 0.0
    claimant_checked = claimant_right = 0
    for fact in gold.facts:
        hits = [item for item in items if matches(fact.match, item.text)]
        if not hits:
            scores.missed_facts.append(fact.id)
            continue
        matched += 1
        required, allowed = set(fact.sources), set(fact.sources) | set(fact.also_in)

        def attribution(item: _Item) -> tuple[float, float]:
            cited = {files.get(c.source_id, c.source_id) for c in item.citations}
            precision = len(cited & allowed) / len(cited) if cited else 0.0
            return precision, len(cited & required) / len(required)

        # The best-attributed matching item counts: a summary sentence that also touches the
        # fact must not spoil the claim that carries it.
        precision, recall = max(
            (attribution(item) for item in hits),
            key=lambda pr: (2 * pr[0] * pr[1] / (pr[0] + pr[1]) if pr[0] + pr[1] else 0.0, pr[0], pr[1]),
        )
        precision_sum += precision
        recall_sum += recall
        with_claimant = [item for item in hits if item.claimant is not None]
        if fact.claimant and with_claimant:
            claimant_checked += 1
            if any(resolve_claimant(item.claimant, gold) & set(fact.claimant) for item in with_claimant):
                claimant_right += 1
            else:
                names = sorted({item.claimant for item in with_claimant})
                scores.wrong_fact_claimants.append(f"{fact.id}: {', '.join(names)}")
    n = len(gold.facts)
    scores.facts = (int(matched), n)
    scores.fact_recall = _rate(matched, n)
    scores.attribution_precision = _rate(precision_sum, int(matched))
    scores.attribution_recall = _rate(recall_sum, int(matched))
    scores.fact_claimant_accuracy = _rate(claimant_right, claimant_checked)


def _figure_matches(figure: GoldFigure, low: int | None, high: int | None, written: str) -> bool:
    if figure.low is not None and low == figure.low and (figure.high is None or high == figure.high):
        return True
    return bool(figure.forms) and matches(figure.forms, written)


def _score_casualties(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    found = right = 0
    for cas in gold.casualties:
        rows = [
            row for row in brief.casualties
            if row.metric == cas.metric
            and matches(cas.party.pattern, row.party)
            and _figure_matches(cas.figure, row.low, row.high, row.figure)
        ]
        if not rows:
            scores.missed_casualties.append(cas.id)
            continue
        found += 1
        if any(resolve_claimant(row.claimant, gold) & set(cas.claimant) for row in rows):
            right += 1
        else:
            scores.wrong_claimants.append(f"{cas.id}: {', '.join(sorted({r.claimant for r in rows}))}")
    scores.casualties_claimant_right = right
    scores.casualty_claimant_accuracy = _rate(right, found)


def resolve_actor(text: str, gold: Gold) -> set[str]:
    """The gold actor keys whose longest matching alias is the longest match in ``text``."""
    weights = {key: pattern_weight(a.pattern, text) for key, a in gold.actors.items()}
    best = max(weights.values(), default=0)
    return {key for key, w in weights.items() if w == best} if best else set()


def _party_is(cas: GoldCasualty, party: str, gold: Gold) -> bool:
    if cas.party.actor is not None and cas.party.actor in resolve_actor(party, gold):
        return True
    return matches(cas.party.pattern, party)


def _row_problem(row: CasualtyClaim, cas: GoldCasualty, cited: set[str], gold: Gold) -> str | None:
    """Why ``row`` is not the gold casualty claim ``cas`` (None when it is)."""
    if row.metric != cas.metric or not _figure_matches(cas.figure, row.low, row.high, row.figure):
        return "figure"
    if not _party_is(cas, row.party, gold):
        return f"party (gold: {cas.party.name})"
    if not resolve_claimant(row.claimant, gold) & set(cas.claimant):
        return f"claimant (gold: {', '.join(gold.claimants[k].name for k in cas.claimant)})"
    if not cited & set(cas.sources):
        return "sources (cites none that states it)"
    return None


def _score_casualty_rows(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    """Every row a reader sees is right or wrong; recall counts gold claims some right row shows."""
    found: set[str] = set()
    right = 0
    for i, row in enumerate(brief.casualties):
        cited = {files.get(c.source_id, c.source_id) for c in row.citations}
        problems = {cas.id: _row_problem(row, cas, cited, gold) for cas in gold.casualties}
        hits = [cid for cid, problem in problems.items() if problem is None]
        if hits:
            right += 1
            found.update(hits)
            continue
        near = sorted({p for p in problems.values() if p != "figure"})
        why = "wrong " + " or ".join(near) if near else "no gold casualty claim has this figure and metric"
        where = ", ".join(sorted(cited))
        scores.wrong_casualty_rows.append(
            f"casualties[{i}] {row.claimant}: {row.figure} {row.party} {row.metric} [{where}]: {why}"
        )
    scores.casualty_rows = (right, len(brief.casualties))
    scores.casualty_precision = _rate(right, len(brief.casualties))
    scores.casualties = (len(found), len(gold.casualties))
    scores.casualty_recall = _rate(len(found), len(gold.casualties))
    scores.missed_casualties = [cas.id for cas in gold.casualties if cas.id not in found]


def _shown(brief: IncidentBrief) -> Iterator[_Item]:
    """Every statement a reader sees with its citations: claims, casualty figures, summary
    sentences, dispute positions and timeline events, in that order."""
    for i, c in enumerate(brief.claims):
        yield _Item(f"claims[{i}] {c.id}", c.statement, c.claimant, tuple(c.citations))
    for i, c in enumerate(brief.casualties):
        yield _Item(f"casualties[{i}]", c.figure, c.claimant, tuple(c.citations))
    for i, s in enumerate(brief.summary):
        yield _Item(f"summary[{i}]", s.text, None, tuple(s.citations))
    for i, d in enumerate(brief.disputes):
        for j, p in enumerate(d.positions):
            yield _Item(f"disputes[{i}].positions[{j}]", p.statement, p.claimant, tuple(p.citations))
    for i, e in enumerate(brief.timeline):
        yield _Item(f"timeline[{i}]", e.event, None, tuple(e.citations))


def _score_claimants(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    """Every claimant shown, judged by the gold claimants of the sentences its item cites."""
    by_source: dict[str, dict[int, set[str]]] = {}
    for source in brief.sources:
        labels = gold.sentences.get(files.get(source.id, source.id))
        if labels:
            by_source[source.id] = sentence_claimants(labels, [(x.n, x.text) for x in source.sentences])
    judged = right = unjudged = 0
    for item in _shown(brief):
        if item.claimant is None:
            continue
        where, claimant, citations = item.where, item.claimant, item.citations
        allowed: set[str] = set()
        for c in citations:
            labelled = by_source.get(c.source_id, {})
            for n in c.sentences:
                allowed |= labelled.get(n, set())
        if not allowed:
            unjudged += 1
            continue
        judged += 1
        if resolve_claimant(claimant, gold) & allowed:
            right += 1
        else:
            names = ", ".join(sorted(gold.claimants[k].name for k in allowed))
            scores.wrong_item_claimants.append(f"{where}: {claimant!r}, gold: {names}")
    scores.claimants = (right, judged)
    scores.claimants_unjudged = unjudged
    scores.claimant_accuracy = _rate(right, judged)


def _two_distinct(links: list[set[int]]) -> bool:
    """Whether two different brief positions match two different gold positions."""
    return any(
        a != b for i, left in enumerate(links) for right in links[i + 1:] for a in left for b in right
    )


def _score_disputes(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    found = 0
    for dispute in gold.disputes:
        shown = False
        for candidate in brief.disputes:
            links = [
                {g for g, pos in enumerate(dispute.positions) if matches(pos.match, f"{p.claimant}: {p.statement}")}
                for p in candidate.positions
            ]
            if _two_distinct(links):
                shown = True
                break
        if shown:
            found += 1
        else:
            scores.missed_disputes.append(dispute.id)
    scores.disputes = (found, len(gold.disputes))
    scores.dispute_recall = _rate(found, len(gold.disputes))


def _position_is(position: GoldPosition, claimant: str, statement: str, gold: Gold) -> bool:
    if not matches(position.match, f"{claimant}: {statement}"):
        return False
    return not position.claimant or bool(resolve_claimant(claimant, gold) & set(position.claimant))


def _score_dispute_precision(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    """A shown dispute is right when two of its positions are two different positions of one gold
    dispute, each with that position's claimant."""
    right = 0
    for i, candidate in enumerate(brief.disputes):
        best_links = 0
        for dispute in gold.disputes:
            links = [
                {g for g, pos in enumerate(dispute.positions) if _position_is(pos, p.claimant, p.statement, gold)}
                for p in candidate.positions
            ]
            if _two_distinct(links):
                best_links = 2
                break
            best_links = max(best_links, sum(1 for link in links if link))
        if best_links == 2:
            right += 1
            continue
        claimants = " vs ".join(p.claimant for p in candidate.positions)
        why = "one side matches a gold position" if best_links else "no side matches a gold position"
        scores.wrong_disputes.append(f"disputes[{i}] {candidate.question!r} ({claimants}): {why}")
    scores.disputes_shown = (right, len(brief.disputes))
    scores.dispute_precision = _rate(right, len(brief.disputes))


def _score_actors(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    """Casualty-table party names per gold actor (1.0 is one name each), and the sides actors carry."""
    if not gold.actors:
        return
    names: dict[str, set[str]] = {}
    for row in brief.casualties:
        keys = resolve_actor(row.party, gold)
        if not keys:
            scores.unresolved_parties.append(row.party)
        for key in keys:
            names.setdefault(key, set()).add(normalise(row.party))
    scores.party_names = {key: sorted(v) for key, v in sorted(names.items())}
    scores.actor_fragmentation = sum(len(v) for v in names.values()) / len(names) if names else None
    with_side = [a for a in brief.actors if a.side]
    right = 0
    for actor in with_side:
        keys = resolve_actor(" ; ".join([actor.name, *actor.aliases]), gold)
        sides = {normalise(gold.actors[k].side) for k in keys}
        side = normalise(actor.side or "")
        if any(s and (s in side or side in s) for s in sides):
            right += 1
        else:
            scores.wrong_sides.append(f"{actor.name}: {actor.side!r}, gold: {', '.join(sorted(sides)) or 'no actor'}")
    scores.actor_side_accuracy = _rate(right, len(with_side))


def _score_topic(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    """No report about the incident flagged off-topic; every distractor flagged."""
    flagged = {files.get(s.id, s.id): "off-topic" in s.flags for s in brief.sources}
    on_topic = [s.file for s in gold.sources if not s.off_topic and s.file in flagged]
    distractors = [s.file for s in gold.sources if s.off_topic and s.file in flagged]
    scores.dropped_on_topic = [f for f in on_topic if flagged[f]]
    scores.unflagged_distractors = [f for f in distractors if not flagged[f]]
    scores.on_topic_kept = _rate(len(on_topic) - len(scores.dropped_on_topic), len(on_topic))
    scores.distractors_flagged = _rate(len(distractors) - len(scores.unflagged_distractors), len(distractors))


def _brief_isos(brief: IncidentBrief) -> set[str]:
    values = [brief.when.start, brief.when.end, *(d.iso for d in brief.when.dates)]
    values += [e.date.iso for e in brief.timeline]
    values += [c.when.iso for c in brief.claims if c.when]
    isos: set[str] = set()
    for value in values:
        if value:  # an interval "2024-07-22/2024-07-27" or "2024-07-22..2024-07-27" names both ends
            isos.update(part.strip() for part in re.split(r"/|\.\.", value) if part.strip())
    return isos


def _score_dates(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    isos = _brief_isos(brief)
    scores.missed_dates = [d.id for d in gold.dates if d.iso not in isos]
    found = len(gold.dates) - len(scores.missed_dates)
    scores.dates = (found, len(gold.dates))
    scores.date_recall = _rate(found, len(gold.dates))
    # Precision over the days the brief shows (a year or a month alone is not judged here).
    days = {iso for iso in isos if _DAY.fullmatch(iso)}
    gold_days = {d.iso for d in gold.dates}
    scores.wrong_dates = sorted(days - gold_days)
    scores.dates_shown = (len(days & gold_days), len(days))
    scores.date_precision = _rate(len(days & gold_days), len(days))


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _all_citations(brief: IncidentBrief) -> Iterator[tuple[str, Citation]]:
    for i, s in enumerate(brief.summary):
        yield from ((f"summary[{i}]", c) for c in s.citations)
    for i, d in enumerate(brief.when.dates):
        yield from ((f"when.dates[{i}]", c) for c in d.citations)
    for i, p in enumerate(brief.where):
        yield from ((f"where[{i}]", c) for c in p.citations)
    for i, a in enumerate(brief.actors):
        yield from ((f"actors[{i}]", c) for c in a.citations)
    for i, c in enumerate(brief.casualties):
        yield from ((f"casualties[{i}]", x) for x in c.citations)
    for i, c in enumerate(brief.claims):
        yield from ((f"claims[{i}]", x) for x in c.citations)
        if c.when:
            yield from ((f"claims[{i}].when", x) for x in c.when.citations)
    for i, d in enumerate(brief.disputes):
        for j, p in enumerate(d.positions):
            yield from ((f"disputes[{i}].positions[{j}]", c) for c in p.citations)
    for i, e in enumerate(brief.timeline):
        yield from ((f"timeline[{i}]", c) for c in [*e.citations, *e.date.citations])


def _score_citations(brief: IncidentBrief, scores: Scores) -> None:
    numbers = {s.id: {x.n for x in s.sentences} for s in brief.sources}
    total = valid = 0
    for where, citation in _all_citations(brief):
        total += 1
        known = numbers.get(citation.source_id)
        if known is not None and citation.sentences and set(citation.sentences) <= known:
            valid += 1
        else:
            scores.invalid_citations.append(f"{where}: {citation.source_id} {list(citation.sentences)}")
    scores.citations = (valid, total)
    scores.citation_validity = _rate(valid, total)


# --------------------------------------------------------------------------- figures

NUMBER_WORDS = {
    w: str(i) for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split(), start=1)
}
_MONTH = r"(?:" + "|".join(MONTHS["en"]) + ")"
# Dates the brief resolved itself ("25 July 2024", "2024-07-25") are checked by date_recall, not here.
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?\b|\b{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH}\s+\d{{4}}\b",
    re.I,
)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w)|\b(" + "|".join(NUMBER_WORDS) + r"|dozens?)\b", re.I,
)


def numbers_in(text: str, *, skip_dates: bool = False) -> set[str]:
    """Numbers in ``text`` as canonical strings: digits, number words one..twenty, 'dozens'.

    Example:
        >>> sorted(numbers_in("Two soldiers killed and 10 injured; dozens missing"))
        ['10', '2', 'dozens']
    """
    if skip_dates:
        text = _DATE.sub(" ", text)
    text = re.sub(r"\bno one\b", " ", text, flags=re.I)  # "no one was killed" is not a figure
    found = set()
    for digits, word in _NUMBER.findall(text):
        if digits:
            found.add(digits.replace(",", ""))
        else:
            word = word.lower()
            found.add("dozens" if word.startswith("dozen") else NUMBER_WORDS[word])
    return found


def _score_figures(brief: IncidentBrief, scores: Scores) -> None:
    texts = {(s.id, x.n): x.text for s in brief.sources for x in s.sentences}
    for item in _shown(brief):
        where, text, citations = item.where, item.text, item.citations
        cited: set[str] = set()
        for c in citations:
            for n in c.sentences:
                sentence = texts.get((c.source_id, n), "")
                # a French or Spanish sentence's words count too: "cent morts" holds the summary's 100
                cited |= numbers_in(sentence) | {str(v) for v in figure_numbers(sentence)}
        for number in sorted(numbers_in(text, skip_dates=True) - cited):
            scores.unsupported.append(f"{where}: {number}")
    scores.unsupported_figures = len(scores.unsupported)


# --------------------------------------------------------------------------- reporting


def _cell(value: float | int | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric in RATE_METRICS:
        return f"{value:.2f}"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def compare(rows: Mapping[str, Scores]) -> Table:
    """A table with one column per run and one row per metric, for reading runs side by side.

    Example:
        >>> rich.print(compare({"baseline": s1, "new prompt": s2}))
    """
    table = Table(title="Brief scores")
    table.add_column("metric")
    for name in rows:
        table.add_column(name, justify="right")
    rest = [m for m in (*RATE_METRICS, *COUNT_METRICS) if m not in HEADLINE_METRICS]
    for metric in (*HEADLINE_METRICS, *rest):
        table.add_row(metric, *(_cell(getattr(s, metric), metric) for s in rows.values()),
                      end_section=metric == HEADLINE_METRICS[-1])
    return table


def load_thresholds(path: str | Path) -> dict[str, dict[str, float]]:
    """Read ``[min]`` and ``[max]`` tables of metric bounds from a TOML file."""
    with open(path, "rb") as f:
        return tomllib.load(f)


def check_thresholds(scores: Scores, thresholds: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One message per bound ``scores`` misses; an empty list means it passes.

    Example:
        >>> check_thresholds(scores, {"min": {"fact_recall": 0.5}, "max": {"unsupported_figures": 3}})
        ['fact_recall 0.40 is below the minimum 0.5']
    """
    failures = []
    known = set(RATE_METRICS) | set(COUNT_METRICS)
    for bound, table in thresholds.items():
        if bound not in ("min", "max"):
            failures.append(f"unknown threshold table [{bound}]; use [min] or [max]")
            continue
        for metric, limit in table.items():
            if metric not in known:
                failures.append(f"unknown metric {metric!r} in [{bound}]")
                continue
            value = getattr(scores, metric)
            if value is None:
                failures.append(f"{metric} is undefined (nothing to measure) but has a [{bound}] of {limit:g}")
            elif bound == "min" and value < limit:
                failures.append(f"{metric} {_cell(value, metric)} is below the minimum {limit:g}")
            elif bound == "max" and value > limit:
                failures.append(f"{metric} {_cell(value, metric)} is above the maximum {limit:g}")
    return failures

