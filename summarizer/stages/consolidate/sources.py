"""Consolidate, sources: one ``Source`` per report with what code can tell of it (copies,
notices, injected instructions, off-topic, dates far from the others'), before any model call."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarizer.text.labels import Labels
from summarizer.schema import Article, Claim, Dispute, SegmentedArticle, Source
from summarizer.schema.article import DATE_PROBLEMS
from summarizer.stages.load import notice_flag
from summarizer.text.instructions import instruction_in
from summarizer.text.language import DEFAULT
from summarizer.text.words import stem

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


def build_sources(
    articles: Sequence[SegmentedArticle], off: dict[str, str] | None = None, language: str = DEFAULT,
) -> list[Source]:
    """One ``Source`` per article, with flags code can establish: copies, notices, boilerplate, off-topic;
    each flag's note is written in the brief's ``language`` (English where it has no words for it)."""
    words = Labels(language)
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
                notes.append(words("copy: {share} of its 6-word runs appear in {other}", share=words.percent(len(mine & theirs) / len(mine)),
                                   other=earlier.article.path or earlier.article.id))
                break
        if article.removed:
            flags.append("boilerplate-removed")
            notes.append(words("{flag}: {detail}", flag=words("boilerplate-removed"),
                               detail=", ".join(f"'{r}'" for r in article.removed)))
        for notice in article.notices:
            if (flag := notice_flag(notice)) and flag not in flags:
                flags.append(flag)
                notes.append(words("{flag}: {detail}", flag=words(flag), detail=f"'{notice}'"))
        if found := instruction_in(article.text):
            flags.append("prompt-injection")
            notes.append(words("prompt-injection: contains '{words}', treated as text only", words=found))
        if off and article.id in off:
            flags.append("off-topic")
            notes.append(off[article.id])
        if article.date_problem:
            flags.append("bad-date")
            notes.append(words("{flag}: {detail}", flag=words("bad-date"), detail=date_problem_in(article.date_problem, words)))
        elif article.published is None:
            flags.append("no-date")
            notes.append(words("no-date: the report carries no publication date; its relative dates are not resolved"))
        elif far := far_date(article, articles, language):
            flags.append("far-date")
            notes.append(far)
        sources.append(Source(
            id=article.id, path=article.path, outlet=article.outlet, title=article.title, url=article.url,
            published=article.published, language=article.language, flags=flags, notes=notes, copy_of=copy_of, sentences=segmented.sentences,
        ))
    return sources


def far_date(article: Article, articles: Sequence[SegmentedArticle], language: str = DEFAULT) -> str | None:
    """Why a report's date stands apart from the other reports' (median, needs two of them), if it does."""
    others = sorted(a.article.published for a in articles if a.article.published and a.article.id != article.id)
    if len(others) < 2 or article.published is None:
        return None
    middle = others[len(others) // 2]
    days = abs((article.published - middle).days)
    if days <= FAR_DATE_DAYS:
        return None
    words = Labels(language)
    return words("far-date: published {date}, {days} days from the other reports' (median {median}); check its date, "
                 "or whether it reports this incident", date=article.published.isoformat(), days=words.number(days),
                 median=middle.isoformat())


def find_off_topic(articles: Sequence[SegmentedArticle], language: str = DEFAULT) -> dict[str, str]:
    """Reports about another incident, by id, with the reason in the brief's ``language``; code only,
    before any model call.

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
    words = Labels(language)
    verdicts = _off_topic(remaining, words)
    while len(remaining) >= 3 and 2 * len(verdicts) >= len(remaining):
        names = {a.article.id: set(_names(a)) for a in remaining}
        share = {i: sum(len(mine & theirs) / (len(mine | theirs) or 1) for j, theirs in names.items() if j != i)
                 for i, mine in names.items()}
        apart = min(remaining, key=lambda a: share[a.article.id])
        set_aside[apart.article.id] = words(
            "off-topic: of all the reports it shares the fewest names with the others ({share} on average); "
            "left out of claims, figures and disputes", share=words.percent(share[apart.article.id] / (len(remaining) - 1)))
        remaining.remove(apart)
        verdicts = _off_topic(remaining, words)
    return {**set_aside, **verdicts}


def _off_topic(articles: Sequence[SegmentedArticle], labels: Labels) -> dict[str, str]:
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
                verdicts[me] = labels(
                    "off-topic: shares {coverage} of the words the other reports have in common ({purity} of its own); "
                    "left out of claims, figures and disputes", coverage=labels.percent(coverage), purity=labels.percent(purity))
                continue
        core_names = {n for n, k in name_reports.items() if k - (n in names[me]) >= max(2, NAME_CORE_SHARE * others)}
        top = [n for n, _ in names[me].most_common(TOP_NAMES)]
        if core_names and len(top) == TOP_NAMES and not set(top) & core_names:
            coverage = len(set(names[me]) & core_names) / len(core_names)
            if coverage < MIN_NAME_COVERAGE:
                verdicts[me] = labels(
                    "off-topic: its most written names ({names}) are none of those the other reports share "
                    "({shared}, ...); left out of claims, figures and disputes",
                    names=", ".join(top[:3]), shared=", ".join(sorted(core_names)[:3]))
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


def flag_internal_errors(sources: list[Source], disputes: Sequence[Dispute], language: str = DEFAULT) -> None:
    """A report that says, in its own voice, both sides of a dispute contradicts itself; its note
    is in the brief's ``language``.

    Quoting two parties who disagree is reporting, not an error: only positions the report
    states itself ("reporter") count.
    """
    words = Labels(language)
    for dispute in disputes:
        own_sides = Counter(
            c.source_id for p in dispute.positions if p.claimant == "reporter"
            for c in {c.source_id: c for c in p.citations}.values()
        )
        for source in sources:
            if own_sides[source.id] >= 2 and "internal-error" not in source.flags:
                source.flags.append("internal-error")
                source.notes.append(words("{flag}: {detail}", flag=words("internal-error"), detail=words(
                    "it states more than one answer to '{question}'", question=dispute.question)))


def with_additions(sources: list[Source], claims: Sequence[Claim], language: str = DEFAULT) -> list[Source]:
    """What each source adds, in the brief's ``language``: the claims no other source carries, and one of them."""
    words = Labels(language)
    for source in sources:
        only_here = [c for c in claims if [x.source_id for x in c.citations] == [source.id]]
        if only_here:
            source.adds = words.count(len(only_here), "{n} claim no other source carries, e.g. {id}: {statement}",
                                      "{n} claims no other source carries, e.g. {id}: {statement}",
                                      id=only_here[0].id, statement=only_here[0].statement)
    return sources


def date_problem_in(problem: str, words: Labels) -> str:
    """Why a report's date was not taken (``Article.date_problem``), in the brief's language; the
    date as the report writes it.

    Example:
        >>> date_problem_in("'2024-02-30' is not a date", Labels("fr"))
        "« 2024-02-30 » n'est pas une date"
    """
    for template in DATE_PROBLEMS:
        pattern = "^" + re.escape(template).replace(re.escape("{date}"), "(?P<date>.*)") + "$"
        if m := re.match(pattern, problem):
            return words(template, date=m.group("date"))
    return problem
