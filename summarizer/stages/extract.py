"""Stage 3, extract: an article's numbered sentences -> its claims and casualty figures.

Two kinds of model call, each small enough for a 1.5B model on a CPU to get right:
one per article for its claims, and one per sentence that code finds giving a casualty figure
(with the two sentences before it, so "the statement said" can be traced to who made it).
Every answer is checked against the sentences it cites; a claimant the sentences do not name is
re-asked once, and what still fails is dropped and counted, never shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import get_args

from summarizer.text.dates import time_words
from summarizer.text.kinds import claim_kind
from summarizer.text.attribution import (
    LOOKBACK, as_written, claim_claimant, claimant_problem, named_speaker, one_voice, sentence_claimant,
    toll_claimant, traced_claimant,
)
from summarizer.text.metrics import (
    METRIC_WORD, figure_candidates, metric_of, metric_read, metrics_joined, some_people, states_casualty_figure,
)
from summarizer.text.numbers import figure_as_written, figure_in_text, figure_spots
from summarizer.text.parties import (
    names_the_metric, party_among, party_beside_figure, party_is_a_participle, party_is_a_speaker, party_is_claimant,
    party_read_beside, party_with_complement, party_with_modifier,
)
from summarizer.text.instructions import instruction_in
from summarizer.text.speech import POSSESSIVE
from summarizer.llm.client import LLM
from summarizer.llm.pool import CallPool
from summarizer.llm.prompts import render
from summarizer.schema import (
    ArticleExtraction, ClaimsResponse, DroppedItem, Metric, SegmentedArticle, Sentence, SentenceCasualties, Usage,
    note_problems,
)
from summarizer.schema.answers import MAX_NOTES
from summarizer.stages.verify import keep_grounded

METRICS = set(get_args(Metric))


def extract(segmented: SegmentedArticle, llm: LLM, reasks: int = 1) -> ArticleExtraction:
    """Extract one article's claims and casualty figures.

    Example:
        >>> extraction = extract(segment(article), llm)
        >>> [(c.party, c.figure, c.by) for c in extraction.casualties]
    """
    return _verified(segmented, read_claims(segmented, llm, reasks), read_figures(segmented, llm, reasks))


class _Answers:
    """What the model answered for one article in one kind of call, before verification."""

    def __init__(self, items: list[dict], usage: Usage, reasks: int, seconds: float, dropped: list[DroppedItem]):
        self.items, self.usage, self.reasks, self.seconds, self.dropped = items, usage, reasks, seconds, dropped


# A report is read for claims in windows of whole sentences, each a call that fits the model's
# context with its instructions (~1,100 tokens) and answer (600) to spare, at ~3 characters a
# token for the worst-tokenised languages supported; and at most 8,000 characters, so that a
# window's 10 claims are a fair share of it. In the embedded model's 8,192 tokens a news report of
# up to ~1,300 words is one window; a long feature or transcript is several.
WINDOW_CHARS = 8_000
INSTRUCTION_TOKENS, CLAIMS_ANSWER_TOKENS, CHARS_PER_TOKEN = 1_100, 600, 3


def window_chars(context_tokens: int) -> int:
    """The characters of report one claims call may hold in a context of ``context_tokens``.

    Example:
        >>> window_chars(8192), window_chars(4096)
        (8000, 7188)
    """
    return min(WINDOW_CHARS, (context_tokens - INSTRUCTION_TOKENS - CLAIMS_ANSWER_TOKENS) * CHARS_PER_TOKEN)


def claim_windows(sentences: Sequence[Sentence], budget: int = WINDOW_CHARS) -> list[list[Sentence]]:
    """Consecutive runs of whole sentences of at most ``budget`` characters (a longer sentence alone).

    Each sentence is in exactly one window, so no claim is read twice or lost at an edge, and
    sentence numbers stay those of the whole report.

    Example:
        >>> [len(w) for w in claim_windows(segment(long_article).sentences)]
        [61, 58, 64, 40]
    """
    windows: list[list[Sentence]] = []
    size = 0
    for sentence in sentences:
        if windows and size + len(sentence.text) <= budget:
            windows[-1].append(sentence)
            size += len(sentence.text) + 1
        else:
            windows.append([sentence])
            size = len(sentence.text) + 1
    return windows


def read_claims(segmented: SegmentedArticle, llm: LLM, reasks: int = 1) -> _Answers:
    """Which sentences state the article's claims, of what kind and by whom: one call per window
    for a model at an endpoint; for the embedded model, code (``claims_by_code``).

    A claim's time words are found by code in its sentence (``dates.time_words``), exactly;
    the model's own ``when`` is not used (see ``schema.SentenceNote``). Where the sentence says
    plainly who speaks ("according to X", "X said that"), that is its claimant (``attribution.sentence_claimant``).
    """
    windows = claim_windows(segmented.sentences, window_chars(llm.endpoint.context_tokens))
    if llm.endpoint.is_embedded:
        return claims_by_code(windows)
    answers = []
    for number, window in enumerate(windows, start=1):
        answers.append(_read_window(segmented, window, llm, reasks))
        if len(windows) > 1:  # a long report: say how far it is read
            llm.progress("window-read", {"path": segmented.article.path or segmented.article.id, "window": number,
                                         "windows": len(windows), "sentences": (window[0].n, window[-1].n)})
    return _combined(answers)


def _read_window(segmented: SegmentedArticle, window: list[Sentence], llm: LLM, reasks: int) -> _Answers:
    article = segmented.article
    sentences = {s.n: s.text for s in window}
    answer = llm.structured(
        ClaimsResponse,
        system=render("extract_system"),
        user=render("extract_user", title=article.title, published=article.published, sentences=window),
        check=lambda response: note_problems(response, sentences),
        max_tokens=CLAIMS_ANSWER_TOKENS, reasks=reasks,
    )
    notes = answer.value.model_dump()["notes"] if answer.value else answer.raw_items("notes")
    claims = [
        {"ids": [note["n"]], "kind": note.get("kind"), "by": claim_claimant(note.get("by"), sentences.get(note["n"], "")),
         "when": time_words(sentences.get(note["n"], "")), "text": sentences.get(note["n"], "")}
        for note in notes if isinstance(note, dict) and isinstance(note.get("n"), int)
    ]
    dropped = []
    if answer.value is None and not claims:
        first, last = window[0].n, window[-1].n
        what = "the article's claims" if len(window) == len(segmented.sentences) else f"the claims of sentences {first}-{last}"
        dropped.append(DroppedItem(source_id=article.id, what=what, reason="; ".join(answer.errors) or "no usable answer"))
    return _Answers(claims, answer.usage, answer.reasks, answer.seconds, dropped)


def claims_by_code(windows: Sequence[Sequence[Sentence]]) -> _Answers:
    """Each window's first ``MAX_NOTES`` sentences as its claims, of the kind their words say
    (``kinds.claim_kind``) and by the speaker they name plainly (``attribution.named_speaker``), else
    the reporter: what the embedded model's claims call answered, without the call.

    On the dev set (2026-12-07) that call answered with the window's first ten sentences in 30 of
    its 33 answers (the other three: ten sentences in a row), filed 100 of the 330 as "cause" and
    gave for claimant "Kaya", "Guaviare", "trois jours après la tuerie de Barsalogho"; it was 49%
    of the model's time on the five folders (587 of 1,196 s). Code reads the claimant again in
    consolidation (``attribution.claim_speaker``), as it does the model's.
    """
    claims = [
        {"ids": [s.n], "kind": claim_kind(s.text), "by": named_speaker(s.text) or "reporter",
         "when": time_words(s.text), "text": s.text}
        for window in windows for s in window[:MAX_NOTES]
    ]
    return _Answers(claims, Usage(), 0, 0.0, [])


def casualty_sentences(segmented: SegmentedArticle) -> list[int]:
    """The sentences code finds giving a casualty figure: each gets one small figure call.

    A vague count of people and what befell them ("Une source a indiqué que plusieurs militaires
    étaient portés disparus") is one where the sentence names who gives it. Alone in a sentence
    nobody speaks ("Following the deaths of numerous soldiers, Mali launched airstrikes") it is
    background, and the embedded model gave it to the sentence's subject (the samples, 2026-12-08).
    """
    return [s.n for s in segmented.sentences
            if states_casualty_figure(s.text) or (some_people(s.text) and named_speaker(s.text) is not None)]


def read_figures(segmented: SegmentedArticle, llm: LLM, reasks: int = 1) -> _Answers:
    """One small call per sentence that code finds giving a casualty figure."""
    asked = casualty_sentences(segmented)
    return _combined([_sentence_figures(segmented, n, llm, reasks, asked) for n in asked])


def _combined(answers: Sequence[_Answers]) -> _Answers:
    """One article's calls of one kind (its windows, or its figure calls) as one answer."""
    return _Answers(
        [item for answer in answers for item in answer.items], sum((a.usage for a in answers), Usage()),
        sum(a.reasks for a in answers), sum(a.seconds for a in answers), [d for a in answers for d in a.dropped],
    )


def _verified(segmented: SegmentedArticle, claims: _Answers, figures: _Answers) -> ArticleExtraction:
    sentences = {s.n: s.text for s in segmented.sentences}
    kept, rejected = keep_grounded({"casualties": figures.items, "claims": claims.items}, sentences, segmented.article.id)
    rejected += _without_instructions(kept, sentences, segmented.article.id)
    return ArticleExtraction(
        article_id=segmented.article.id, casualties=kept.casualties, claims=kept.claims,
        dropped=claims.dropped + figures.dropped + rejected, reasks=claims.reasks + figures.reasks,
        usage=claims.usage + figures.usage, seconds=claims.seconds + figures.seconds,
    )


def _without_instructions(kept, sentences: dict[int, str], source_id: str) -> list[DroppedItem]:
    """Remove the claims and figures that cite a sentence speaking to a model; say why each went."""
    dropped = []
    for field in ("claims", "casualties"):
        items = getattr(kept, field)
        for item in list(items):
            if hostile := next((n for n in item.ids if instruction_in(sentences.get(n, ""))), None):
                items.remove(item)
                what = f"claim: {item.text}" if field == "claims" else f"casualty: {item.party} {item.metric} {item.figure}"
                dropped.append(DroppedItem(source_id=source_id, what=what[:160], reason=(
                    f"sentence [{hostile}] reads as an instruction to a model "
                    f"('{instruction_in(sentences[hostile])}'), not reporting")))
    return dropped


def _sentence_figures(segmented: SegmentedArticle, n: int, llm: LLM, reasks: int = 1,
                      asked: Sequence[int] = ()) -> _Answers:
    """The figures of sentence ``n``; one the model took from a sentence before that is in ``asked``
    (it has its own figure call) is that call's, and dropped here."""
    sentences = {s.n: s.text for s in segmented.sentences}
    before = [s for s in segmented.sentences if n - LOOKBACK <= s.n < n]
    if llm.endpoint.is_embedded and (read := _figures_code_reads(n, sentences, [])) and len(read) == len(
            figure_candidates(sentences[n])):
        # The sentence says it all for every figure it writes: the embedded model is not asked (on the
        # dev set, 2026-12-07, 54 of its 168 model calls, with every casualty score as before; the samples'
        # completion tokens 1,046 -> 716). A model at an endpoint is still asked: it may read more.
        return _Answers(read, Usage(), 0, 0.0, [])

    def problems(response: SentenceCasualties) -> list[str]:
        # A figure the sentence does not write is not re-asked: it is dropped and counted by
        # verification. Measured on the samples (2026-12-02): 3 of 20 figure calls listed a
        # figure of the sentences before, and each re-ask answered the same (30 s of 118 s).
        return [
            f"figures[{i}] {problem}" for i, figure in enumerate(response.figures, start=1)
            if figure_in_text(figure.figure, sentences[n]) and (problem := claimant_problem(figure.by, [n], sentences))
        ]

    answer = llm.structured(
        SentenceCasualties,
        system=render("casualty_system"),
        user=render("casualty_user", before=before, sentence=segmented.sentence(n)),
        check=problems, max_tokens=400, reasks=reasks,
    )
    figures = answer.value.figures if answer.value else answer.raw_items("figures")
    figures = [f if isinstance(f, dict) else f.model_dump() for f in figures]
    # the figures the sentence writes speak with one voice where it names one (``one_voice``)
    own = [i for i, f in enumerate(figures)
           if isinstance(f.get("figure"), str) and figure_in_text(f["figure"], sentences[n])]
    for i, by in zip(own, one_voice([figures[i].get("by") for i in own], sentences[n])):
        figures[i]["by"] = by
    # A claimant the model took from the figure's own sentence, where that sentence names its
    # speaker plainly, is the speaker ("Selon le maire de X, ..." is the mayor's, not X's). One
    # the model traced to the sentences before ("the coalition" -> its name) is kept, as are
    # claimants that differ between the figures of one sentence.
    # (of the figures the sentence writes: one the model took from a sentence before is that sentence's)
    one_claimant = len({figures[i].get("by") for i in own}) == 1
    items, dropped = [], []
    for data in figures:
        if (at := _writing(data.get("figure"), n, sentences)) != n and at in asked:
            # The embedded model lists the figures of the sentences shown before the one asked about
            # (31 of its 232 figures on the dev set, 2026-12-07), with that sentence's speaker or
            # subject for claimant ("Diez integrantes de la disidencia ..." for the ministry's "tres").
            dropped.append(DroppedItem(source_id=segmented.article.id, what=f"casualty: {data.get('figure')}"[:160],
                                       reason=f"figure of sentence [{at}], which its own figure call reads"))
            continue
        if isinstance(data.get("by"), str):
            data["by"] = as_written(data["by"], [n], sentences)
            if one_claimant and _taken_from(data["by"], n, sentences):
                data["by"] = sentence_claimant(data["by"], sentences[n]) or data["by"]
        # A figure of a sentence before this one (the model reads them for who speaks) is read,
        # party and metric, in the sentence that writes it, and cites it.
        at = _writing(data.get("figure"), n, sentences)
        if isinstance(data.get("by"), str) and (giver := toll_claimant(data["by"], sentences[at])):
            # A toll is its giver's, whoever the sentences before name: "Before that, the toll used
            # by health officials was 5,500" after the Red Crescent's own (derna, 2026-12-07).
            data["by"] = giver
        elif at != n and isinstance(data.get("by"), str):
            # A figure of a sentence before is given by the speaker that sentence names, not by the
            # one of the sentence asked about ("Le bilan officiel de la police s'établit à neuf
            # morts." listed again with the next sentence's "son directeur"). On guaviare
            # (2026-12-07) this was one of its three wrong rows.
            data["by"] = sentence_claimant(data["by"], sentences[at])
        if isinstance(data.get("figure"), str):
            data["figure"] = figure_as_written(data["figure"], sentences[at])
            # A metric outside the schema's ("exploded") is a malformed answer, dropped, not repaired.
            if data.get("metric") in METRICS and (metric := metric_of(data["figure"], data["metric"], sentences[at])):
                data["metric"] = metric  # the sentence's own word for what the figure counts
            if isinstance(data.get("party"), str):
                data["party"] = _party(data["party"], data.get("by") or "", data["figure"], at, sentences)
        if isinstance(data.get("by"), str):
            data["by"] = traced_claimant(data["by"], n, sentences)
        ids = _with_attribution(data.get("by", ""), at, sentences)
        if at != n and n not in ids and claimant_problem(data.get("by", ""), [n], {n: sentences[n]}) is None:
            ids = sorted({*ids, n})  # the asked sentence names who gives the figure
        items.append({"ids": ids, **data})
    items += _figures_code_reads(n, sentences, items) + _second_metrics(n, sentences, items)
    return _Answers(items, answer.usage, answer.reasks, answer.seconds, dropped)


def _second_metrics(n: int, sentences: dict[int, str], rows: list[dict]) -> list[dict]:
    """The row of a figure's other metric, where two verbs give it both ("claimed to have killed
    and wounded several Malians"): the model listed one (the samples, 2026-12-07)."""
    listed = {(r.get("figure"), r.get("metric")) for r in rows}
    added = []
    for row in rows:
        figure = row.get("figure")
        if not isinstance(figure, str):
            continue
        at = next((k for k in sorted(row.get("ids") or [], reverse=True)
                   if k in sentences and figure_in_text(figure, sentences[k])), None)
        if at is None:
            continue
        pair = metrics_joined(figure, sentences[at])
        for metric in pair - {row.get("metric")} if row.get("metric") in pair else ():
            if (figure, metric) not in listed:
                listed.add((figure, metric))
                added.append({**row, "metric": metric})
    return added


def _figures_code_reads(n: int, sentences: dict[int, str], listed: list[dict]) -> list[dict]:
    """The rows of figures sentence ``n`` writes that the model did not list, where the sentence
    itself says all of it: what the figure counts ("a registered toll of 3,166"), whose people they
    are (a noun for people beside it, or a toll of people), and who gives it, plainly ("X said",
    "according to X", "X announced"). Where any of it is unclear, no row.

    The embedded model, asked about "... Abduljalil announced ... and gave a registered toll of
    3,166", listed "never explained" and "gone its own way" (derna, 2026-12-07).
    """
    sentence = sentences[n]
    by = named_speaker(sentence)
    if by is None or POSSESSIVE.match(by):
        return []  # "Its secretary general said ...": whose, the sentences before say
    taken = [spot for item in listed if item.get("ids") and n in item["ids"] and isinstance(item.get("figure"), str)
             for spot in figure_spots(item["figure"], sentence)]
    rows = []
    for figure, start, end in figure_candidates(sentence):
        if any(a < end and start < b for a, b in taken):
            continue
        metric, party = metric_read(figure, sentence), party_read_beside(figure, sentence)
        if metric and party and not party_is_a_speaker(party):
            rows.append({"ids": [n], "by": by, "party": _qualified(party, figure, sentence), "metric": metric,
                         "figure": figure})
    return rows


def _taken_from(by: str, n: int, sentences: dict[int, str]) -> bool:
    """True when the model's claimant is of sentence ``n``: written there, or (turned into English,
    "army colombienne") made of no word the sentences before it write."""
    if by.lower() in sentences[n].lower():
        return True
    words = re.findall(r"[^\W\d_]{4,}", by.lower())
    before = " ".join(sentences.get(m, "") for m in range(n - LOOKBACK, n)).lower()
    return bool(words) and not any(w in before for w in words)


def _writing(figure: object, n: int, sentences: dict[int, str]) -> int:
    """The sentence that writes ``figure``: ``n``, else the nearest of the LOOKBACK before it, else ``n``."""
    if not isinstance(figure, str) or figure_in_text(figure, sentences[n]):
        return n
    return next((m for m in range(n - 1, n - LOOKBACK - 1, -1) if m in sentences and figure_in_text(figure, sentences[m])), n)


def _party(party: str, by: str, figure: str, n: int, sentences: dict[int, str]) -> str:
    """The model's party where the sentence names it beside the figure; else the noun code reads
    there ("au moins 91 corps", "169 blessés" -> people), else the model's, for verification to drop.

    On the barsalogho brief (2026-12-04), 14 of its 21 dropped figure rows had for party their
    claimant ("AFP", "Human Rights Watch": 5) or a word of the sentence not beside the figure
    ("radio" for "Un message radio ... évoque plus de 100 morts": 9).
    """
    read = party_read_beside(figure, sentences[n])
    # The noun the figure counts is its party: "reported a dozen children missing" is children, not
    # the parents the model took from the words before.
    # So is it where the model's party holds that noun but is not what the sentence writes ("army
    # fighters" for "15 fighters from Russia's Wagner Group"), or names an office ("health ministry").
    if read and (party_is_a_speaker(party) or read != "people" and (
            read.lower() not in party.lower() or party.lower() not in sentences[n].lower())):
        return _qualified(read, figure, sentences[n])
    # A metric word is no party: "169 blessés" counts people, not "the blessed".
    if (not party_is_claimant(party, by) and not party_is_a_participle(party)
            and not names_the_metric(party, figure, sentences[n])
            and party_beside_figure(party, figure, sentences[n], sentences.get(n - 1, ""))):
        return _qualified(party, figure, sentences[n])
    if read:
        return _qualified(read, figure, sentences[n])
    # "10,000 missing missing": a metric word for party counts people, unnamed.
    return "people" if METRIC_WORD.fullmatch(party.strip()) else party


def _qualified(party: str, figure: str, sentence: str) -> str:
    """The bare party noun as the sentence qualifies it: among whom ("losses among X and Y, with
    dozens killed"), whose ("fighters from X"), or which ("Wagner fighters")."""
    if among := party_among(party, figure, sentence):
        return among
    qualified = party_with_complement(party, figure, sentence)
    return qualified if qualified != party else party_with_modifier(party, figure, sentence)


def _with_attribution(by: str, n: int, sentences: dict[int, str]) -> list[int]:
    """The figure's sentence, plus the earlier sentence that names its claimant if it is not in it."""
    if claimant_problem(by, [n], {n: sentences[n]}) is None:
        return [n]
    for earlier in range(n - 1, n - LOOKBACK - 1, -1):
        if earlier in sentences and claimant_problem(by, [earlier], {earlier: sentences[earlier]}) is None:
            return [earlier, n]
    return [n]


def extract_all(
    articles: Sequence[SegmentedArticle], llm: LLM, *, concurrency: int = 1,
    on_read: Callable[[SegmentedArticle, int, float], None] | None = None,
    on_done: Callable[[SegmentedArticle, ArticleExtraction], None] | None = None,
) -> list[ArticleExtraction]:
    """Extract every article, results in input order, with up to ``concurrency`` calls in flight.

    Every call is queued at once, claims calls first, then figure calls. One at a time (the
    local server), calls that share a system prompt run back to back and reuse llama.cpp's
    prompt cache. Many at a time (a hosted endpoint), no call waits for another, so N reports
    cost about one call's latency as long as ``concurrency`` covers them.
    """
    def claims_of(segmented: SegmentedArticle) -> _Answers:
        answers = read_claims(segmented, llm)
        if on_read:
            on_read(segmented, len(answers.items), answers.seconds)
        return answers

    with CallPool(concurrency) as pool:
        claims = [pool.submit(claims_of, segmented) for segmented in articles]
        asked = [casualty_sentences(segmented) for segmented in articles]
        figures = [[pool.submit(_sentence_figures, segmented, n, llm, 1, numbers) for n in numbers]
                   for segmented, numbers in zip(articles, asked, strict=True)]
        read = [answers.result() for answers in claims]  # every "read" is reported before any "extracted"
        extractions = []
        for segmented, claim_answers, figure_answers in zip(articles, read, figures, strict=True):
            extraction = _verified(segmented, claim_answers, _combined([f.result() for f in figure_answers]))
            if on_done:
                on_done(segmented, extraction)
            extractions.append(extraction)
        return extractions
