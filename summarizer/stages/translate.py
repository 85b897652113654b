"""Stage 6, translate: beside each cited sentence of a report written in another language than
the brief's, its translation, labelled as one.

The brief is checked before this stage, on the original sentences; a translation is only shown.
One call per report (per ``BATCH`` of its cited sentences) asks the model for the sentences in
the brief's language; every answer is kept in the run store like any other, so each translation
is made once. A translation is kept only if it holds the same figures, dates and names as its
sentence, is of a plausible length, and is not alike another sentence's; the others are left out
and counted in the diagnostics with the reason.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import combinations

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import Citation, DroppedItem, IncidentBrief, Source, Translation, TranslationResponse, Usage
from summarizer.text.language import DEFAULT, NAMES, month_number, number_spans, weekday_number
from summarizer.text.numbers import CITATION_MARKER

BATCH = 8  # sentences per call: an answer of ~8 translated sentences stays far inside max_tokens
TOKENS_PER_SENTENCE = 110  # a long news sentence is ~60 tokens in English; room for the JSON around it
# A translation outside this share of its sentence's length was cut (a quote without the clause
# that says who speaks) or padded. English runs ~0.8-1.2 of French, Spanish or Portuguese.
LENGTH_RATIO = (0.6, 2.0)
TWIN_LIKENESS = 0.6  # two translations of one answer this alike: one sentence translated in another's place
# A name: a capitalised word after a space, not one that opens the sentence or a quote in it
# ("Bankass", "MINUSMA", "Peuls", "Keïta"; not « Ils …).
NAME = re.compile(r"(?<![«“\"':—–][\s\u00a0])(?<=[\s\u00a0])[^\W\d_]{3,}\b")


def translated(brief: IncidentBrief, llm: LLM | None, language: str, run: Callable = map) -> IncidentBrief:
    """The brief with a translation of each cited sentence whose source is not in ``language``.

    ``run`` maps one call over the batches (``pool.map`` to send them all at once).

    Example:
        >>> brief = translated(brief, llm, "en")
        >>> brief.sources[0].translations[0].text
    """
    if llm is None:
        return brief
    by_id = {source.id: source for source in brief.sources}
    batches: list[tuple[Source, dict[int, str]]] = []  # a report and its sentences to translate in one call
    for source_id, numbers in untranslated(brief, language).items():
        text = {s.n: s.text for s in by_id[source_id].sentences}
        batches += [(by_id[source_id], {n: text[n] for n in numbers[i:i + BATCH]}) for i in range(0, len(numbers), BATCH)]
    if not batches:
        return brief

    def ask(batch: tuple[Source, dict[int, str]]):
        source, sentences = batch
        return llm.structured(
            TranslationResponse,
            system=render("translate_system", language=NAMES.get(language, language)),
            user=render("translate_user", source_language=NAMES.get(source.language, source.language),
                        sentences=[{"n": n, "text": text} for n, text in sentences.items()]),
            max_tokens=TOKENS_PER_SENTENCE * len(sentences), reasks=0,
        )

    usage, dropped = Usage(), []
    found: dict[str, list[Translation]] = {}
    for (source, sentences), answer in zip(batches, run(ask, batches), strict=True):
        usage = usage + answer.usage
        response = answer.salvaged(TranslationResponse)
        given = {item.n: item.text.strip() for item in (response.sentences if response else []) if item.n in sentences}
        twins = _alike(given)
        for n, original in sentences.items():
            problem = translation_problem(original, given.get(n), source.language, language)
            if problem is None and n in twins:
                problem = f"the translation is that of another sentence too (sentence {twins[n]}'s is alike)"
            if problem:
                dropped.append(DroppedItem(source_id=source.id, what=f"translation of sentence {n}", reason=problem))
            else:
                found.setdefault(source.id, []).append(Translation(sentence=n, text=given[n]))

    sources = [s.model_copy(update={"translations": found.get(s.id, [])}) for s in brief.sources]
    diagnostics = brief.diagnostics.model_copy(update={
        "usage": brief.diagnostics.usage + usage, "dropped": brief.diagnostics.dropped + dropped,
    })
    return brief.model_copy(update={"sources": sources, "diagnostics": diagnostics})


def translation_problem(original: str, translation: str | None, source_language: str | None, language: str) -> str | None:
    """Why a translation may not stand beside its sentence, or None when it may.

    Its figures must be the sentence's (a "1" in words aside: "un village" is "a village", "one
    village" alike), and its months and weekdays ("fin mars" is no "April 1"); every name the
    sentence writes must be in it (accents aside: "Keita" for "Keïta"; a translation that makes
    "157 Peuls" "157 people" loses whom the figure counts); and its length must be a plausible
    share of the sentence's.

    Example:
        >>> translation_problem("Au moins 84 morts.", "At least 48 dead.", "fr", "en")
        'the translation has 48 where the sentence has 84'
    """
    if not translation:
        return "the model gave no translation"
    share = len(translation) / max(len(original), 1)
    if not LENGTH_RATIO[0] <= share <= LENGTH_RATIO[1]:
        return f"the translation is {share:.1f} times the sentence's length"
    written, said = _figures(original, source_language), _figures(translation, language)
    if written != said:
        has = ", ".join(map(str, sorted(said - written))) or "no other figure"
        where = ", ".join(map(str, sorted(written - said))) or "none of them"
        return f"the translation has {has} where the sentence has {where}"
    if _calendar(original, source_language) != _calendar(translation, language):
        return "the translation names another month or weekday than the sentence"
    kept = _folded(translation)
    if lost := [name for name in names_in(original) if _folded(name) not in kept]:
        return f"the translation leaves out the name {lost[0]!r}"
    return None


def _alike(given: dict[int, str]) -> dict[int, int]:
    """Sentence number -> another's whose translation in the same answer is alike: the model
    skipped one sentence and wrote the next in its place, and which one is right is not known."""
    twins: dict[int, int] = {}
    for a, b in combinations(sorted(given), 2):
        if difflib.SequenceMatcher(None, given[a].lower(), given[b].lower()).ratio() >= TWIN_LIKENESS:
            twins.setdefault(a, b)
            twins.setdefault(b, a)
    return twins


def _figures(text: str, language: str | None) -> set[int]:
    """The numbers a text writes, but a "1" written as a word ("un", "one", "a")."""
    text = CITATION_MARKER.sub(" ", text)  # "[3.4]" in a report is a marker, not a figure
    return {value for start, end, value in number_spans(text, language or DEFAULT)
            if value != 1 or text[start:end].strip().isdigit()}


def _calendar(text: str, language: str | None) -> set[tuple[str, int]]:
    """The months and weekdays a text names; in English only capitalised ("may" is no month)."""
    named = set()
    for word in re.findall(r"[^\W\d_]+(?:-feira)?", text):
        if language == "en" and not word[0].isupper():
            continue
        if (month := month_number(word)) is not None:
            named.add(("month", month))
        if (day := weekday_number(word)) is not None:
            named.add(("weekday", day))
    return named


def names_in(sentence: str) -> list[str]:
    """The capitalised words of a sentence after its first word: the names a translation keeps."""
    return [m[0] for m in NAME.finditer(sentence) if m[0][0].isupper()]


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def untranslated(brief: IncidentBrief, language: str) -> dict[str, list[int]]:
    """Source id -> the numbers of the cited sentences it writes in another language than ``language``."""
    cited = _cited(brief)
    return {
        source.id: sorted(cited[source.id]) for source in brief.sources
        if source.id in cited and source.language and source.language != language
    }


def _cited(brief: IncidentBrief) -> dict[str, set[int]]:
    """Source id -> the numbers of its sentences the brief quotes (its ledger, claims, disputes, timeline)."""
    citations: Iterable[Citation] = [
        *(c for row in brief.casualties for c in row.citations),
        *(c for claim in brief.claims for c in claim.citations),
        *(c for dispute in brief.disputes for p in dispute.positions for c in p.citations),
        *(c for event in brief.timeline for c in event.citations),
    ]
    cited: dict[str, set[int]] = {}
    for citation in citations:
        cited.setdefault(citation.source_id, set()).update(citation.sentences)
    return cited
