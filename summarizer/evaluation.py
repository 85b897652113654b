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

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from rich.table import Table

from summarizer.schema import Citation, IncidentBrief, Metric

# --------------------------------------------------------------------------- term patterns

# A pattern is a list of alternatives; an alternative is a list of terms that must ALL appear;
# a term is a string or a list of variants (any one will do). A bare string alternative is one
# term. Terms match whole words, case- and accent-insensitively, with hyphens read as spaces;
# a trailing "*" makes a term a prefix ("obliterat*" matches "obliterated").
Term = str | list[str]
Pattern = list[str | list[Term]]


def normalise(text: str) -> str:
    """Lower-case, accents and curly quotes removed, hyphens and dashes read as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().translate(_PUNCT)
    return " ".join(text.split())


_PUNCT = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ", "\u2015": " ",
})


@functools.lru_cache(maxsize=4096)
def _term_regex(variant: str) -> re.Pattern[str]:
    prefix = variant.endswith("*")
    words = normalise(variant.rstrip("*")).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(r"(?<!\w)" + body + ("" if prefix else r"(?!\w)"))


def _alternatives(pattern: Pattern) -> Iterator[list[list[str]]]:
    for alternative in pattern:
        terms = [alternative] if isinstance(alternative, str) else alternative
        yield [[term] if isinstance(term, str) else list(term) for term in terms]


def _alternative_weight(alternative: list[list[str]], text: str) -> int:
    """Length of the matched variants when every term matches, else 0."""
    total = 0
    for variants in alternative:
        hits = [len(normalise(v.rstrip("*"))) for v in variants if _term_regex(v).search(text)]
        if not hits:
            return 0
        total += max(hits)
    return total


def pattern_weight(pattern: Pattern, text: str) -> int:
    """How strongly ``text`` matches ``pattern``: 0 for no match, else the longest matched alternative."""
    norm = normalise(text)
    return max((_alternative_weight(alt, norm) for alt in _alternatives(pattern)), default=0)


def matches(pattern: Pattern, text: str) -> bool:
    """Whether some alternative of ``pattern`` has all its terms in ``text``.

    Example:
        >>> matches([[["two", "2"], ["soldiers", "troops"], "killed"]], "Two soldiers were killed")
        True
    """
    return pattern_weight(pattern, text) > 0


# --------------------------------------------------------------------------- gold labels


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# A claimant reference: a key of ``Gold.claimants``, or a list of keys any one of which is right.
ClaimantKeys = Annotated[list[str], BeforeValidator(_as_list)]


class GoldModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldSource(GoldModel):
    file: str = Field(description="File name in the sample folder; briefs are mapped to it via Source.path.")
    outlet: str | None = None
    published: str | None = Field(None, description="ISO date the report carries, if any.")
    flags: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class GoldClaimant(GoldModel):
    name: str
    aliases: Pattern = Field(default_factory=list)

    @property
    def pattern(self) -> Pattern:
        return [self.name, *self.aliases]


class GoldFact(GoldModel):
    id: str
    statement: str
    match: Pattern = Field(min_length=1)
    sources: list[str] = Field(min_length=1, description="Files that state the fact.")
    also_in: list[str] = Field(default_factory=list, description="Files that state it loosely: citing them is no error.")
    claimant: ClaimantKeys = Field(default_factory=list, description="Empty when the reporter states it.")
    note: str | None = None


class GoldParty(GoldModel):
    name: str
    aliases: Pattern = Field(default_factory=list)

    @property
    def pattern(self) -> Pattern:
        return [self.name, *self.aliases]


class GoldFigure(GoldModel):
    as_written: str
    low: int | None = None
    high: int | None = Field(None, description="None when open-ended ('at least 20') or vague.")
    forms: Pattern = Field(default_factory=list, description="Ways a brief may write it: 'at least 20', '20'.")


class GoldCasualty(GoldModel):
    id: str
    party: GoldParty
    metric: Metric
    figure: GoldFigure
    claimant: ClaimantKeys = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    note: str | None = None


class GoldPosition(GoldModel):
    id: str
    claimant: ClaimantKeys = Field(default_factory=list)
    statement: str
    match: Pattern = Field(min_length=1, description="Matched against 'claimant: statement' of a brief position.")
    sources: list[str] = Field(min_length=1)
    also_in: list[str] = Field(default_factory=list)


class GoldDispute(GoldModel):
    id: str
    question: str
    kind: Literal["figure", "cause", "date", "characterisation", "other"]
    positions: list[GoldPosition] = Field(min_length=2)
    note: str | None = None


class GoldDate(GoldModel):
    id: str
    iso: str
    as_written: str
    event: str
    resolved_from: str | None = None
    sources: list[str] = Field(min_length=1)


class Gold(GoldModel):
    """Hand-reviewed labels for one sample folder; see evals/README.md for the format."""

    folder: str
    sources: list[GoldSource]
    claimants: dict[str, GoldClaimant]
    facts: list[GoldFact]
    casualties: list[GoldCasualty]
    disputes: list[GoldDispute]
    dates: list[GoldDate] = Field(default_factory=list)
    unresolved: list[str] = Field(default_factory=list, description="What the reports leave open or garble.")

    @model_validator(mode="after")
    def _references_resolve(self) -> Gold:
        files = {s.file for s in self.sources}
        problems: list[str] = []

        def check(where: str, sources: Iterable[str], claimants: Iterable[str] = ()) -> None:
            problems.extend(f"{where}: unknown source {f!r}" for f in sources if f not in files)
            problems.extend(f"{where}: unknown claimant {c!r}" for c in claimants if c not in self.claimants)

        for fact in self.facts:
            check(fact.id, [*fact.sources, *fact.also_in], fact.claimant)
        for cas in self.casualties:
            check(cas.id, cas.sources, cas.claimant)
        for dispute in self.disputes:
            for pos in dispute.positions:
                check(f"{dispute.id}/{pos.id}", [*pos.sources, *pos.also_in], pos.claimant)
        for date in self.dates:
            check(date.id, date.sources)
        ids = [x.id for x in [*self.facts, *self.casualties, *self.disputes, *self.dates]]
        problems.extend(f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1}))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file.

    Example:
        >>> gold = load_gold("evals/gold/tinzaouatene.yaml")
        >>> len(gold.facts) >= 25
        True
    """
    with open(path, encoding="utf-8") as f:
        return Gold.model_validate(yaml.safe_load(f))


# --------------------------------------------------------------------------- scores


class Scores(BaseModel):
    """Every metric of one brief against one gold file; rates are in [0, 1], None when undefined."""

    fact_recall: float | None = None
    attribution_precision: float | None = None
    attribution_recall: float | None = None
    fact_claimant_accuracy: float | None = None
    casualty_recall: float | None = None
    casualty_claimant_accuracy: float | None = None
    dispute_recall: float | None = None
    date_recall: float | None = None
    citation_validity: float | None = None
    unsupported_figures: int = 0
    seconds: float | None = Field(None, description="Wall time from brief.diagnostics.")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens: int = 0

    # The counts behind the rates, and what was missed, for reading a failure.
    facts: tuple[int, int] = (0, 0)
    casualties: tuple[int, int] = (0, 0)
    casualties_claimant_right: int = 0
    disputes: tuple[int, int] = (0, 0)
    dates: tuple[int, int] = (0, 0)
    citations: tuple[int, int] = (0, 0)
    missed_facts: list[str] = Field(default_factory=list)
    missed_casualties: list[str] = Field(default_factory=list)
    wrong_fact_claimants: list[str] = Field(default_factory=list, description="'fact id: brief claimants'.")
    wrong_claimants: list[str] = Field(default_factory=list, description="'casualty id: brief claimants'.")
    missed_disputes: list[str] = Field(default_factory=list)
    missed_dates: list[str] = Field(default_factory=list)
    invalid_citations: list[str] = Field(default_factory=list)
    unsupported: list[str] = Field(default_factory=list, description="'where: number' for each unsupported figure.")


RATE_METRICS = (
    "fact_recall", "attribution_precision", "attribution_recall", "fact_claimant_accuracy",
    "casualty_recall", "casualty_claimant_accuracy", "dispute_recall", "date_recall", "citation_validity",
)
COUNT_METRICS = ("unsupported_figures", "seconds", "calls", "prompt_tokens", "completion_tokens", "tokens")


@dataclass(frozen=True)
class _Item:
    """A brief statement that can carry a gold fact."""

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
    _score_disputes(brief, gold, scores)
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
    """
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
    scores.casualties = (found, len(gold.casualties))
    scores.casualties_claimant_right = right
    scores.casualty_recall = _rate(found, len(gold.casualties))
    scores.casualty_claimant_accuracy = _rate(right, found)


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
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
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


def _figure_items(brief: IncidentBrief) -> Iterator[tuple[str, str, tuple[Citation, ...]]]:
    for i, c in enumerate(brief.claims):
        yield f"claims[{i}] {c.id}", c.statement, tuple(c.citations)
    for i, c in enumerate(brief.casualties):
        yield f"casualties[{i}]", c.figure, tuple(c.citations)
    for i, s in enumerate(brief.summary):
        yield f"summary[{i}]", s.text, tuple(s.citations)
    for i, d in enumerate(brief.disputes):
        for j, p in enumerate(d.positions):
            yield f"disputes[{i}].positions[{j}]", p.statement, tuple(p.citations)
    for i, e in enumerate(brief.timeline):
        yield f"timeline[{i}]", e.event, tuple(e.citations)


def _score_figures(brief: IncidentBrief, scores: Scores) -> None:
    texts = {(s.id, x.n): x.text for s in brief.sources for x in s.sentences}
    for where, text, citations in _figure_items(brief):
        cited: set[str] = set()
        for c in citations:
            for n in c.sentences:
                cited |= numbers_in(texts.get((c.source_id, n), ""))
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
    for metric in (*RATE_METRICS, *COUNT_METRICS):
        table.add_row(metric, *(_cell(getattr(s, metric), metric) for s in rows.values()))
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
