"""Stage 4, consolidate: every article's claims -> one ``IncidentBrief``.

Code does what code can do exactly: merging the same claim across sources, spotting copied
reports, grouping casualty figures and their ranges, figure disputes, dates. One model call
does what needs meaning: which names are one party, which claims contradict each other, the
summary and the title. The model refers to claims by number; code maps numbers back to the
sentences they cite, so nothing it writes is shown without a citation.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from summarizer.text.dates import resolve, time_words
from summarizer.text.metrics import GENERIC_PARTY
from summarizer.text.numbers import figure_in_text, parse_figure
from summarizer.text.words import CLAIM_STOPWORDS, NAME_STOPWORDS, REPORTER, stem
from summarizer.text.instructions import instruction_in
from summarizer.text.language import PERSON_NOUNS, party_in_english
from summarizer.llm.client import LLM
from summarizer.llm.pool import CallPool
from summarizer.llm.prompts import render
from summarizer.stages.segment import split_sentences
from summarizer.schema import (
    Actor, Article, ArticleExtraction, CasualtyClaim, CasualtyRange, Citation, Claim, ConsolidationResponse,
    DateValue, Diagnostics, DisagreementCheck, DroppedItem, Dispute, IncidentBrief, Place, Position, SegmentedArticle,
    Source, SummarySentence, TimelineEvent, Usage, When, consolidation_problems,
)

SAME_CLAIM = 0.7  # share of the shorter claim's words in the longer above which they say the same thing
# Off-topic: the core is the words in half of the other reports; a report on the incident covers
# a quarter of it, or is 60% made of it when short (measured on the samples and a set of
# off-topic and short on-topic reports in tests/fixtures/offtopic).
CORE_SHARE, MIN_COVERAGE, MIN_PURITY = 0.5, 0.25, 0.6
# Words miss a report on another incident when the folder mixes languages; names do not. The core
# names are those 60% of the other reports write; a report on the incident has at least one of
# them among its five most written names and holds a tenth of them (on the five dev folders: the
# three distractors 0 and at most 0.08, the 31 reports on their incident at least 1 and 0.15).
NAME_CORE_SHARE, TOP_NAMES, MIN_NAME_COVERAGE = 0.6, 5, 0.1
COPY_SHARE = 0.5  # share of a report's 6-word runs found in another report that makes it a copy
# A report dated this far from the middle of the others' dates is flagged: a mistyped year, or a
# report of another time. The dev folders' reports span at most 7 weeks (a follow-up at day 47).
FAR_DATE_DAYS = 60

@dataclass
class MergedClaim:
    """One statement and every source that makes it."""

    kind: str
    text: str
    by: str
    when: str | None
    citations: dict[str, set[int]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)

    def cite(self, source_id: str, ids: list[int]) -> None:
        self.citations.setdefault(source_id, set()).update(ids)

    def citation_list(self) -> list[Citation]:
        return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in self.citations.items()]


def consolidate(
    articles: Sequence[SegmentedArticle], extractions: Sequence[ArticleExtraction], llm: LLM | None,
    off_topic: dict[str, str] | None = None, concurrency: int = 1,
) -> IncidentBrief:
    """Merge per-article extractions into a brief (not yet verified: see ``verify.verify_brief``).

    Its model calls (one per candidate dispute, one for the summary) depend on no other call:
    with ``concurrency`` above 1 they are all in flight at once.

    Example:
        >>> brief = consolidate(segmented, extractions, llm)
        >>> [(c.claimant, c.figure) for c in brief.casualties]
    """
    by_id = {a.article.id: a for a in articles}
    off = find_off_topic(articles) if off_topic is None else off_topic
    sources = build_sources(articles, off)
    extractions = [e for e in extractions if e.article_id not in off]
    independent = {s.id: s.copy_of or s.id for s in sources}
    merged = merge_claims(extractions, independent)
    names = canonical_names(
        [c.by for e in extractions for c in e.claims]
        + [x for e in extractions for c in e.casualties for x in (c.by, c.party)]
    )
    usage = Usage()

    # A casualty party is named among parties alone: "rebels" is no part of "a spokesman for the rebels".
    parties = canonical_names([c.party for e in extractions for c in e.casualties], specific=True)
    casualties = casualty_claims(extractions, names, {a.article.id: a.article.language for a in articles}, parties)
    casualties, earlier = without_earlier_events(casualties, articles)
    with CallPool(concurrency) as pool:
        draft = pool.submit(_draft, llm, merged)
        claim_disputes, dispute_usage = disagreements(merged, names, llm, run=pool.map)
        drafted, draft_usage = draft.result()
    disputes = figure_disputes(casualties) + claim_disputes
    usage = usage + dispute_usage + draft_usage
    claims = _claims(merged, disputes, names, independent, by_id)
    flag_internal_errors(sources, disputes)

    return IncidentBrief(
        title=(drafted.title if drafted else None) or _fallback_title(articles),
        incident_type=drafted.incident_type if drafted else None,
        summary=_summary(drafted, merged),
        when=_when(claims),
        where=_places(drafted, articles),
        actors=_actors(names, articles),
        casualties=casualties,
        casualty_ranges=casualty_ranges(casualties),
        claims=claims,
        disputes=disputes,
        timeline=_timeline(claims),
        sources=_with_additions(sources, claims),
        open_questions=_open_questions(disputes),
        diagnostics=Diagnostics(
            model=llm.endpoint.identity if llm else "none", endpoint=llm.endpoint.label if llm else "none", usage=usage,
            dropped=earlier,
        ),
    )


# --------------------------------------------------------------------------- sources


def build_sources(articles: Sequence[SegmentedArticle], off: dict[str, str] | None = None) -> list[Source]:
    """One ``Source`` per article, with flags code can establish: copies, notices, boilerplate, off-topic."""
    shingles = {a.article.id: _shingles(" ".join(s.text for s in a.sentences)) for a in articles}
    sources = []
    for position, segmented in enumerate(articles):
        article = segmented.article
        flags, notes = [], []
        copy_of = None
        mine = shingles[article.id]
        for earlier in articles[:position]:
            theirs = shingles[earlier.article.id]
            if mine and len(mine & theirs) / len(mine) >= COPY_SHARE:
                copy_of = earlier.article.id
                flags.append("copy")
                notes.append(f"copy: {len(mine & theirs) / len(mine):.0%} of its 6-word runs appear in {earlier.article.path or earlier.article.id}")
                break
        if article.removed:
            flags.append("boilerplate-removed")
            notes.append("boilerplate-removed: " + ", ".join(f"'{r}'" for r in article.removed))
        from summarizer.stages.load import notice_flag

        for notice in article.notices:
            if (flag := notice_flag(notice)) and flag not in flags:
                flags.append(flag)
                notes.append(f"{flag}: '{notice}'")
        if words := instruction_in(article.text):
            flags.append("prompt-injection")
            notes.append(f"prompt-injection: contains '{words}', treated as text only")
        if off and article.id in off:
            flags.append("off-topic")
            notes.append(off[article.id])
        if article.date_problem:
            flags.append("bad-date")
            notes.append(f"bad-date: {article.date_problem}")
        elif article.published is None:
            flags.append("no-date")
            notes.append("no-date: the report carries no publication date; its relative dates are not resolved")
        elif far := far_date(article, articles):
            flags.append("far-date")
            notes.append(far)
        sources.append(Source(
            id=article.id, path=article.path, outlet=article.outlet, title=article.title, url=article.url,
            published=article.published, language=article.language, flags=flags, notes=notes, copy_of=copy_of, sentences=segmented.sentences,
        ))
    return sources


def far_date(article: Article, articles: Sequence[SegmentedArticle]) -> str | None:
    """Why a report's date stands apart from the other reports' (median, needs two of them), if it does."""
    others = sorted(a.article.published for a in articles if a.article.published and a.article.id != article.id)
    if len(others) < 2 or article.published is None:
        return None
    middle = others[len(others) // 2]
    days = abs((article.published - middle).days)
    if days <= FAR_DATE_DAYS:
        return None
    return (f"far-date: published {article.published.isoformat()}, {days:,} days from the other reports' "
            f"(median {middle.isoformat()}); check its date, or whether it reports this incident")


def find_off_topic(articles: Sequence[SegmentedArticle]) -> dict[str, str]:
    """Reports about another incident, by id, with the reason; code only, before any model call.

    The incident's core vocabulary is the words most of the *other* reports share. A report on
    the incident covers a good part of it, or (when short) is made mostly of it; a report on
    another incident, even a neighbouring one, does neither. Needs three reports to judge.

    When that would leave out half the reports or more, what "the others" share is not one
    incident's (two reports on Mali and one on Libya share only weekdays): the report that shares
    the least with the rest is set aside as off-topic and the rest are judged again.

    Example:
        >>> find_off_topic([segment(a) for a in load("samples/tinzaouatene").articles])
        {}
    """
    remaining = list(articles)
    set_aside: dict[str, str] = {}
    verdicts = _off_topic(remaining)
    while len(remaining) >= 3 and 2 * len(verdicts) >= len(remaining):
        names = {a.article.id: set(_names(a)) for a in remaining}
        share = {i: sum(len(mine & theirs) / (len(mine | theirs) or 1) for j, theirs in names.items() if j != i)
                 for i, mine in names.items()}
        apart = min(remaining, key=lambda a: share[a.article.id])
        set_aside[apart.article.id] = (
            f"off-topic: of all the reports it shares the fewest names with the others "
            f"({share[apart.article.id] / (len(remaining) - 1):.0%} on average); left out of claims, figures and disputes"
        )
        remaining.remove(apart)
        verdicts = _off_topic(remaining)
    return {**set_aside, **verdicts}


def _off_topic(articles: Sequence[SegmentedArticle]) -> dict[str, str]:
    if len(articles) < 3:
        return {}
    words = {a.article.id: _topic_words(a) for a in articles}
    names = {a.article.id: _names(a) for a in articles}
    # How many reports write each word and each name; a report's "others" are these less its own.
    word_reports = Counter(w for ws in words.values() for w in ws)
    name_reports = Counter(n for ns in names.values() for n in ns)
    others = len(articles) - 1
    verdicts = {}
    for article in articles:
        me = article.article.id
        mine = words[me]
        core = {w for w, n in word_reports.items() if n - (w in mine) >= max(2, CORE_SHARE * others)}
        if core and mine:
            coverage, purity = len(mine & core) / len(core), len(mine & core) / len(mine)
            if coverage < MIN_COVERAGE and purity < MIN_PURITY:
                verdicts[me] = (
                    f"off-topic: shares {coverage:.0%} of the words the other reports have in common "
                    f"({purity:.0%} of its own); left out of claims, figures and disputes"
                )
                continue
        core_names = {n for n, k in name_reports.items() if k - (n in names[me]) >= max(2, NAME_CORE_SHARE * others)}
        top = [n for n, _ in names[me].most_common(TOP_NAMES)]
        if core_names and len(top) == TOP_NAMES and not set(top) & core_names:
            coverage = len(set(names[me]) & core_names) / len(core_names)
            if coverage < MIN_NAME_COVERAGE:
                verdicts[me] = (
                    f"off-topic: its most written names ({', '.join(top[:3])}) are none of those the other "
                    f"reports share ({', '.join(sorted(core_names)[:3])}, ...); left out of claims, figures and disputes"
                )
    return verdicts


def _names(article: SegmentedArticle) -> Counter:
    """The proper names a report writes and how often: capitalised words inside a sentence, and
    acronyms, in any language ("Derna", "JNIM", "Ogossagou"), without a possessive."""
    found: Counter = Counter()
    for sentence in article.sentences:
        for i, token in enumerate(re.findall(r"[^\W\d_][\w'’-]*", sentence.text)):
            acronym = token.isupper() and len(token) >= 3
            if acronym or (i > 0 and token[0].isupper() and len(token) > 3 and not token.isupper()):
                found[re.split(r"['’]", token.lower())[0]] += 1
    return found


def _topic_words(article: SegmentedArticle) -> set[str]:
    return {stem(w) for s in article.sentences for w in re.findall(r"[a-z]+", s.text.lower()) if len(w) > 3}


def _shingles(text: str, size: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


# --------------------------------------------------------------------------- claims


def merge_claims(extractions: Sequence[ArticleExtraction], independent: dict[str, str]) -> list[MergedClaim]:
    """Claims of the same kind whose words mostly overlap are one claim carried by several sources."""
    merged: list[MergedClaim] = []
    for extraction in extractions:
        for claim in extraction.claims:
            words = claim_stems(claim.text)
            match = next((m for m in merged if _same_claim(m.words, words)), None)
            if match is None:
                match = MergedClaim(kind=claim.kind, text=claim.text, by=claim.by, when=claim.when, words=words)
                merged.append(match)
            elif match.when is None and claim.when:
                match.when = claim.when
            match.cite(extraction.article_id, claim.ids)
    return merged


def claim_stems(text: str) -> set[str]:
    """A claim's words as 5-letter stems ("crashed" ~ "crash"), stopwords left out: what two claims share."""
    return {stem(w) for w in re.findall(r"[^\W_]+", text.lower()) if w not in CLAIM_STOPWORDS and len(w) > 1}


def _containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller word set found in the larger: 1.0 when one claim restates the other."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _same_claim(a: set[str], b: set[str]) -> bool:
    return _containment(a, b) >= SAME_CLAIM


def _claims(
    merged: list[MergedClaim], disputes: list[Dispute], names: dict[str, str], independent: dict[str, str],
    articles: dict[str, SegmentedArticle],
) -> list[Claim]:
    def sentences_of(position: Position) -> set[tuple[str, int]]:
        return {(c.source_id, n) for c in position.citations for n in c.sentences}

    disputed = {x for d in disputes for p in d.positions for x in sentences_of(p)}
    denial_sentences = {(s, n) for m in merged if m.kind == "denial" for s, ns in m.citations.items() for n in ns}
    # A claim is denied when a dispute sets it against a denial.
    denied = {
        x for d in disputes for p in d.positions
        if not sentences_of(p) & denial_sentences
        and any(sentences_of(q) & denial_sentences for q in d.positions if q is not p)
        for x in sentences_of(p)
    }
    corpus_year = _corpus_year(articles)
    claims = []
    for number, claim in enumerate(merged, start=1):
        cited = {(s, n) for s, ns in claim.citations.items() for n in ns}
        sources = {independent.get(s, s) for s in claim.citations}
        if claim.kind != "denial" and cited & denied:
            status = "denied"
        elif cited & disputed:
            status = "disputed"
        elif len(sources) >= 2:
            status = "corroborated"
        else:
            status = "single-source"
        claims.append(Claim(
            id=f"C{number}", kind=claim.kind, statement=claim.text, claimant=_canonical(claim.by, names),
            status=status, when=_resolve_when(claim, articles, corpus_year), citations=claim.citation_list(),
            independent_sources=len(sources),
        ))
    return claims


def _resolve_when(claim: MergedClaim, articles: dict[str, SegmentedArticle], corpus_year: int | None) -> DateValue | None:
    if not claim.when:
        return None
    best = None
    for source_id in claim.citations:
        article = articles[source_id].article
        value = resolve(claim.when, article.published, corpus_year)
        value.citations = [Citation(source_id=source_id, sentences=tuple(sorted(claim.citations[source_id])))]
        if value.precision != "unknown":
            return value
        best = best or value
    return best


def _corpus_year(articles: dict[str, SegmentedArticle]) -> int | None:
    years = Counter(a.article.published.year for a in articles.values() if a.article.published)
    return years.most_common(1)[0][0] if years else None


# --------------------------------------------------------------------------- casualties


def casualty_claims(
    extractions: Sequence[ArticleExtraction], names: dict[str, str], languages: dict[str, str | None] | None = None,
    parties: dict[str, str] | None = None,
) -> list[CasualtyClaim]:
    """One row per (party, metric, figure, claimant), with every source that states it.

    A party a report names in French, Spanish or Portuguese is shown in English where the brief has
    a word for it ("civils" -> "civilians"), its own words kept beside it; the figure stays as written.
    """
    rows: dict[tuple, CasualtyClaim] = {}
    for extraction in extractions:
        language = (languages or {}).get(extraction.article_id)
        for item in extraction.casualties:
            low, high, qualifier = parse_figure(item.figure, language)
            written, claimant = _canonical(item.party, names if parties is None else parties), _canonical(item.by, names)
            party = party_in_english(written, language) or written
            key = (party.lower(), item.metric, low, high, qualifier, claimant.lower())
            citation = Citation(source_id=extraction.article_id, sentences=tuple(sorted(set(item.ids))))
            if key in rows:
                rows[key].citations = _merged_by_source([*rows[key].citations, citation])
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
        when = _earlier_date(row, by_id, start, _corpus_year(by_id))
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


def _merged_by_source(citations: Sequence[Citation]) -> list[Citation]:
    """One citation per source, with the union of its sentences, in first-seen order."""
    union: dict[str, set[int]] = {}
    for citation in citations:
        union.setdefault(citation.source_id, set()).update(citation.sentences)
    return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in union.items()]


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


def figure_disputes(casualties: Sequence[CasualtyClaim]) -> list[Dispute]:
    """Where claims give different figures for one party and metric, each figure is a position."""
    groups = by_party_and_metric(casualties)
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
            question=f"How many {_plural(party)} were {metric}?",
            kind="figure",
            positions=[
                Position(claimant=c.claimant, statement=f"{c.figure} {metric}", citations=c.citations)
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


# --------------------------------------------------------------------------- names


def canonical_names(names: Sequence[str], *, specific: bool = False) -> dict[str, str]:
    """Map every written name to one display name per party, by code alone: the one most often
    written, or with ``specific`` the group's most specific one.

    "CSP-PSD alliance" and "the CSP-PSD" are one name; so are "soldiers" and "Malian soldiers"
    when no other name also contains "soldiers". Meaning ("rebels" = "CSP-PSD") is not guessed:
    a small model got it wrong more often than right, and a wrong merge misattributes figures.

    Example:
        >>> canonical_names(["CSP-PSD", "the CSP-PSD alliance", "Malian army"])["the csp-psd alliance"]
        'CSP-PSD'
    """
    written: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        cleaned = " ".join(name.split()).strip(" .,;:'\"")
        if cleaned and cleaned.lower() not in REPORTER:
            written[_name_key(cleaned)][cleaned] += 1
    keys = [k for k in written if k]
    parent = {k: k for k in keys}
    for key in keys:
        if len(key) == 1 and key[0] in {_singular(w) for w in GENERIC_PARTY}:
            continue  # "civilians" are not all "Egyptian civilians"
        # "soldiers" -> "Malian soldiers", but not "Russians" -> "Russian military bloggers".
        supersets = [other for other in keys if set(key) < set(other) and len(other) == len(key) + 1]
        # Merge into a larger name only when the larger names form one chain (no ambiguity).
        if supersets and all(set(a) <= set(b) or set(b) <= set(a) for a in supersets for b in supersets):
            parent[key] = min(supersets, key=len)
    def root(key):
        while parent[key] != key:
            key = parent[key]
        return key
    named: set[tuple] = set()
    if specific:  # "Wagner fighters", "Wagner personnel", "fighters from Russia's Wagner Group": one group's members
        by_group: dict[str, list[tuple]] = defaultdict(list)
        for key in keys:
            for group in _group_of_members(written[key]):
                by_group[group].append(key)
        for members in by_group.values():
            for key in members[1:]:
                if (a := root(members[0])) != (b := root(key)):
                    parent[b] = a
                    named.add(a)
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for key in keys:
        groups[root(key)].update(written[key])
    # With ``specific``, the most specific name of a group is its display name ("Wagner fighters"
    # for "fighters": a group is merged only where one chain of names holds every one of its names);
    # members merged by their group's name show the most written name that has it.
    def shown(r: tuple, c: Counter) -> Counter:
        if r in named:
            return Counter({form: k for form, k in c.items() if _group_of_members(Counter([form]))}) or c
        return written[r] if specific else c

    display = {r: max(shown(r, c).items(), key=lambda kv: (kv[1], -len(kv[0])))[0] for r, c in groups.items()}
    return {
        original.lower(): display[root(key)]
        for key in keys for original in written[key]
    }


# Words for the members of an armed group, and the words that join them to its name.
MEMBER_NOUNS = {
    "fighter", "personnel", "mercenarie", "mercenary", "operative", "member", "men", "militant", "combatant",
    "element", "recruit", "gunmen", "combattant", "membre", "mercenaire", "élément", "homme", "combatiente",
    "miembro", "integrante", "hombre", "mercenario", "guerrillero", "disidente", "dissident", "guerrilla",
    "rebel", "insurgent", "jihadist", "rebelle", "insurgé", "djihadiste", "jihadiste", "rebelde", "insurgente",
    "yihadista",
}
JOINING = {"from", "of", "de", "du", "des", "del", "la", "le", "les", "el", "los", "las", "group", "groupe", "grupo"}
# "Malian", "Russian", "Sudanese", "malienne", "colombiano": a nationality is no group's name.
NATIONALITY = re.compile(r"(?:an|ian|ese|ish|ien|ienne|iens|ain|aine|ais|aise|ano|ana|anos|ense|eño|eña|ino|ina|i)$", re.I)


def _group_of_members(written: Counter) -> set[str]:
    """The group names a party name gives its members by ("Wagner" of "Wagner fighters" and of
    "fighters from Russia's Wagner Group"), where every other word of it is a member's word."""
    groups: set[str] = set()
    for form in written:
        tokens = re.findall(r"[^\W\d_][\w-]*", form.replace("'s", "").replace("’s", ""))
        names = [t.lower() for t in tokens if t[0].isupper() and not NATIONALITY.search(t)
                 and _singular(t.lower()) not in MEMBER_NOUNS and t.lower() not in JOINING]
        rest = [_singular(t.lower()) for t in tokens if t.lower() not in names]
        if names and all(w in MEMBER_NOUNS or w in JOINING or w in NAME_STOPWORDS for w in rest) \
                and any(w in MEMBER_NOUNS for w in rest):
            groups.add(names[-1])  # the head of the name: "Russia's Wagner Group" is Wagner's, not Russia's
    return groups


def _name_key(name: str) -> tuple[str, ...]:
    # "Permanent Strategic Framework ... (CSP-PSD)" is known by its acronym.
    if m := re.search(r"\(([A-Z][A-Za-z0-9-]{1,12})\)", name):
        name = m.group(1)
    words = re.findall(r"[^\W_]+", name.lower().replace("'s", ""))
    return tuple(sorted({_singular(w) for w in words if w not in NAME_STOPWORDS}))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _canonical(name: str, names: dict[str, str]) -> str:
    cleaned = " ".join(name.split()).strip(" .,;:'\"")
    if cleaned.lower() in REPORTER:
        return "reporter"
    return names.get(cleaned.lower(), cleaned)


# --------------------------------------------------------------------------- disputes between claims

MAX_CANDIDATES = 8  # each candidate pair costs one small model call
# The summary call reads the claims most reports carry, up to this many characters (~1,000
# tokens): prompt processing is ~70 tokens/s on two cores, and however many reports come in the
# call stays far inside the model's 8k context. (All 44 claims of the samples were 2,970 tokens, 43 s.)
DRAFT_CHARS = 4_000
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
DENIAL = re.compile(r"\b(den(y|ies|ied)|refute[sd]?|reject(s|ed)?)\b", re.I)
# Words that mark a position against another: a dispute needs one, a restatement does not.
CONTRAST = re.compile(
    r"\b(den(y|ies|ied)|refute[sd]?|reject(s|ed)?|not|no one|contest(ed|s)?|however|while|whereas|but|"
    r"claim(s|ed|ing)?|due to|because|instead|accus(e|es|ed|ations))\b", re.I)
MIN_SIMILARITY = 0.12  # below this two claims are about different things


def disagreements(
    merged: list[MergedClaim], names: dict[str, str], llm: LLM | None, run: Callable = map,
) -> tuple[list[Dispute], Usage]:
    """Claims by different claimants (or sources) about the same thing, that the model says disagree.

    Code picks candidate pairs that share rare words; the model only answers, per pair,
    whether the two disagree and on what. ``run`` maps the check over the pairs (``pool.map``
    to send them all at once).
    """
    usage = Usage()
    if llm is None:
        return [], usage

    def check(pair: tuple[MergedClaim, MergedClaim]):
        a, b = pair
        return llm.structured(
            DisagreementCheck, system=render("disagree_system"),
            user=render("disagree_user", first=a, second=b,
                        first_by=_canonical(a.by, names), second_by=_canonical(b.by, names)),
            max_tokens=120, reasks=0,
        )

    disputes = []
    pairs = _candidate_pairs(merged, names)
    for (a, b), answer in zip(pairs, run(check, pairs), strict=True):
        usage = usage + answer.usage
        if (answer.value and answer.value.disagree and _about_both(answer.value.question, a, b)
                and (answer.value.kind != "cause" or all(CAUSE_CUE.search(c.text) for c in (a, b)))):
            disputes.append(Dispute(
                question=answer.value.question, kind=answer.value.kind,
                positions=[
                    Position(claimant=_canonical(c.by, names), statement=c.text, citations=c.citation_list())
                    for c in (a, b)
                ],
            ))
    return disputes, usage


# A dispute over a cause sets two accounts of how something happened against each other: each
# side's sentence must give one, a cause ("causing it to crash", "due to technical difficulties")
# or the circumstances ("crashed while on a training flight", "hit by fire"), not merely mention
# the event ("no fatalities in the reported crash").
CAUSE_CUE = re.compile(
    r"(?<!\w)(?:because|caus\w*|due to|owing to|blam\w*|responsib\w*|after|following|shot|brought down|"
    r"downed|result(?:ed|s)? (?:of|from)|led to|technical|mechanical|accident\w*|malfunction\w*|failure|"
    r"damag\w*|hit|struck|attack\w*|fired?|while|during|amid|"
    r"parce que|à cause|en raison|dûe? à|suite à|après|responsab\w*|provoqu\w*|abattu\w*|endommag\w*|touchée?|"
    r"attaqu\w*|panne|défaillance|lors d\w*|pendant|alors qu\w*|"
    r"porque|debido|a causa|por culpa|tras|provoc\w*|derrib\w*|dañ\w*|falla|durante|mientras|devido|enquanto)"
    r"(?!\w)", re.I)

QUESTION_WORDS = {"what", "which", "who", "whom", "when", "where", "why", "how", "many", "much", "did",
                  "does", "was", "were", "is", "are", "cause", "caused", "happen", "happened", "according"}


def _about_both(question: str, a: MergedClaim, b: MergedClaim) -> bool:
    """A small model sometimes answers a question neither claim raises: the question's telling
    words must be found in both claims."""
    words = claim_stems(" ".join(w for w in re.findall(r"[A-Za-z0-9'-]+", question) if w.lower() not in QUESTION_WORDS))
    return bool(words & a.words) and bool(words & b.words)


def _candidate_pairs(merged: list[MergedClaim], names: dict[str, str]) -> list[tuple[MergedClaim, MergedClaim]]:
    """Pairs of claims from different claimants or reports that are about the same thing.

    Similarity is the cosine of rarity-weighted word sets (inverse document frequency over the
    claims), so two claims about "the helicopter" in Kidal outrank two that merely mention
    Mali. Restatements (nearly the same words) agree and are left out. The model's claim kinds
    are not trusted here: it files a cause under "actor" as readily as under "cause".
    """
    frequency = Counter(w for m in merged for w in m.words)
    weight = {w: math.log(len(merged) / n) for w, n in frequency.items() if not w.isdigit()}
    norm = {id(m): math.sqrt(sum(weight.get(w, 0.0) ** 2 for w in m.words)) or 1.0 for m in merged}
    scored = []
    for i, a in enumerate(merged):
        for b in merged[i + 1:]:
            voices = {_canonical(a.by, names), _canonical(b.by, names)}
            different_voice = len(voices) == 2
            # A party rarely disputes itself; reporters can, across reports ("2020" here, "2022"
            # there) and within one (003 says both), which is the report's own error.
            if not different_voice and voices != {"reporter"}:
                continue
            if _containment(a.words, b.words) >= SAME_CLAIM * 0.9:
                continue  # near-restatements agree; they are not a dispute
            cosine = sum(weight.get(w, 0.0) ** 2 for w in a.words & b.words) / (norm[id(a)] * norm[id(b)])
            contested = bool({a.kind, b.kind} & {"cause", "denial", "allegation"})
            contrast = bool(CONTRAST.search(a.text) or CONTRAST.search(b.text))
            score = cosine * (1.2 if contested else 1.0) * (1.6 if contrast else 1.0)
            years_a, years_b = set(YEAR.findall(a.text)), set(YEAR.findall(b.text))
            if years_a and years_b and years_a != years_b:
                score *= 2.0  # two claims about one thing with different years: a date dispute or an error
            if _denies_the_sentence_before(a, b):
                score = max(score, 1.0)  # "... deny the allegations." shares few words with them
            if score >= MIN_SIMILARITY:
                scored.append((score, i, a, b))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(a, b) for _, _, a, b in scored[:MAX_CANDIDATES]]


def _denies_the_sentence_before(a: MergedClaim, b: MergedClaim) -> bool:
    """One claim denies, in the next sentence of the same report, what the other states."""
    for source in set(a.citations) & set(b.citations):
        for first, second in ((a, b), (b, a)):
            if DENIAL.search(second.text) and any(n + 1 in second.citations[source] for n in first.citations[source]):
                return True
    return False


# --------------------------------------------------------------------------- the model's part


def _draft(llm: LLM | None, merged: list[MergedClaim]) -> tuple[ConsolidationResponse | None, Usage]:
    if llm is None or not merged:
        return None, Usage()
    shown = sorted(_draft_claims(merged))
    rows = [
        {"number": i + 1, "kind": merged[i].kind, "by": merged[i].by, "sources": len(merged[i].citations),
         "text": merged[i].text}
        for i in shown
    ]
    answer = llm.structured(
        ConsolidationResponse,
        system=render("consolidate_system"),
        user=render("consolidate_user", claims=rows),
        check=lambda response: consolidation_problems(response, len(merged)),
        max_tokens=700,
        reasks=0,  # a re-ask repeats the whole answer; bad references are dropped below instead
    )
    response = answer.value
    if response is None and answer.raw:
        try:
            response = ConsolidationResponse.model_validate(answer.raw)
        except Exception:
            return None, answer.usage
        response.summary = [
            s for s in response.summary if s.claims and all(1 <= n <= len(merged) for n in s.claims)
        ]
    return response, answer.usage


def _draft_claims(merged: list[MergedClaim], budget: int = DRAFT_CHARS) -> list[int]:
    """The claims the summary is drafted from: most reports first, background last, to the budget.

    The rest are in the brief, only not in this prompt, so no count of reports can overflow it.
    """
    ranked = sorted(range(len(merged)), key=lambda i: (-len(merged[i].citations), merged[i].kind == "background", i))
    chosen, used = [], 0
    for i in ranked:
        if used + len(merged[i].text) > budget and chosen:
            break
        chosen.append(i)
        used += len(merged[i].text)
    return chosen


def _union_citations(claims: Sequence[MergedClaim]) -> list[Citation]:
    union: dict[str, set[int]] = {}
    for claim in claims:
        for source_id, numbers in claim.citations.items():
            union.setdefault(source_id, set()).update(numbers)
    return [Citation(source_id=s, sentences=tuple(sorted(n))) for s, n in union.items()]


def _summary(drafted: ConsolidationResponse | None, merged: list[MergedClaim]) -> list[SummarySentence]:
    """The drafted summary, one sentence per entry, each citing the claims its entry cites.

    The model sometimes writes two sentences in one entry, or the same sentence twice. Split,
    each sentence is verified on its own: one with a number its claims do not hold takes only
    itself out of the summary, not its neighbour.
    """
    if drafted is None:
        return []
    sentences, seen = [], set()
    for entry in drafted.summary:
        citations = _union_citations([merged[n - 1] for n in entry.claims])
        for text in split_sentences(entry.text):
            if text not in seen:
                seen.add(text)
                sentences.append(SummarySentence(text=text, citations=citations))
    return sentences


def _actors(names: dict[str, str], articles: Sequence[SegmentedArticle]) -> list[Actor]:
    aliases: dict[str, set[str]] = defaultdict(set)
    for written, display in names.items():
        aliases[display].add(written)
    actors = []
    for display, written in aliases.items():
        spelled = sorted({w for w in written if w != display.lower()})
        citations = _where_written([display, *spelled], articles)
        if citations:
            actors.append(Actor(name=display, aliases=spelled, citations=citations))
    return actors


def _places(drafted: ConsolidationResponse | None, articles: Sequence[SegmentedArticle]) -> list[Place]:
    if drafted is None:
        return []
    places = []
    for group in drafted.places:
        spellings = [s for s in dict.fromkeys([group.name, *group.spellings]) if _where_written([s], articles)]
        if spellings:
            places.append(Place(
                name=spellings[0], spellings=spellings[1:], country=group.country,
                citations=_where_written(spellings, articles),
            ))
    return places


def _where_written(names: Sequence[str], articles: Sequence[SegmentedArticle], per_source: int = 3) -> list[Citation]:
    """Citations of the sentences that write any of ``names`` as a whole word."""
    patterns = [re.compile(r"\b" + re.escape(n) + r"\b", re.I) for n in names if len(n) > 1]
    citations = []
    for segmented in articles:
        hits = [s.n for s in segmented.sentences if any(p.search(s.text) for p in patterns)][:per_source]
        if hits:
            citations.append(Citation(source_id=segmented.article.id, sentences=tuple(hits)))
    return citations


# --------------------------------------------------------------------------- time, sources, questions


def _timeline(claims: Sequence[Claim]) -> list[TimelineEvent]:
    dated = [c for c in claims if c.when and c.when.precision in {"day", "range"} and c.kind != "background"]
    return [
        TimelineEvent(date=c.when, event=c.statement, citations=c.citations)
        for c in sorted(dated, key=lambda c: c.when.iso or "")
    ]


def _when(claims: Sequence[Claim]) -> When:
    values = [c.when for c in claims if c.when]
    days = sorted(
        part for v in values if v.precision in {"day", "range"} and v.iso
        for part in v.iso.split("/")
    )
    return When(
        start=days[0] if days else None, end=days[-1] if days else None,
        precision="day" if days else "unknown", dates=values,
    )


def flag_internal_errors(sources: list[Source], disputes: Sequence[Dispute]) -> None:
    """A report that says, in its own voice, both sides of a dispute contradicts itself.

    Quoting two parties who disagree is reporting, not an error: only positions the report
    states itself ("reporter") count.
    """
    for dispute in disputes:
        own_sides = Counter(
            c.source_id for p in dispute.positions if p.claimant == "reporter"
            for c in {c.source_id: c for c in p.citations}.values()
        )
        for source in sources:
            if own_sides[source.id] >= 2 and "internal-error" not in source.flags:
                source.flags.append("internal-error")
                source.notes.append(f"internal-error: it states more than one answer to '{dispute.question}'")


def _with_additions(sources: list[Source], claims: Sequence[Claim]) -> list[Source]:
    for source in sources:
        only_here = [c for c in claims if [x.source_id for x in c.citations] == [source.id]]
        if only_here:
            source.adds = f"{len(only_here)} claim(s) no other source carries, e.g. {only_here[0].id}: {only_here[0].statement}"
    return sources


def _open_questions(disputes: Sequence[Dispute]) -> list[str]:
    """What the reports leave unsettled: the question of each dispute, once."""
    return list(dict.fromkeys(d.question for d in disputes))


def _fallback_title(articles: Sequence[SegmentedArticle]) -> str:
    return next((a.article.title for a in articles if a.article.title), "Incident brief")
