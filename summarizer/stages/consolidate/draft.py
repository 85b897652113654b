"""Consolidate, the model's draft: one call writes the title, the summary (citing claims by number)
and the places; code maps every number back to the sentences it cites. The embedded model picks the
claims whose sentences are the summary instead of writing it, where the reports are in the brief's
language (``_chosen_summary``)."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import ConsolidationResponse, Place, SegmentedArticle, SummarySentence, Usage, consolidation_problems
from summarizer.schema.answers import PlaceGroup, SummaryChoice, SummaryDraft
from summarizer.stages.consolidate.claims import MergedClaim, merged_by_source
from summarizer.stages.consolidate.names import where_written
from summarizer.stages.segment import split_sentences
from summarizer.text.spelling import same_name, spellings_in

# The summary call reads the claims most reports carry, up to this many characters (~1,000
# tokens): prompt processing is ~70 tokens/s on two cores, and however many reports come in the
# call stays far inside the model's 8k context. (All 44 claims of the samples were 2,970 tokens, 43 s.)
DRAFT_CHARS = 4_000
# The embedded model's pick is shown fewer: it picked among the first five listed in 5 of 5 calls on
# the dev set (2026-12-07), and the list was most of the samples' prompt tokens over budget.
PICK_CHARS = 2_500


def draft_summary(
    llm: LLM | None, merged: list[MergedClaim], language: str = "English", verbatim: bool = False,
) -> tuple[ConsolidationResponse | None, Usage]:
    """The title, summary and places. With ``verbatim`` (every report is in the brief's language)
    the embedded model picks the claims whose sentences are the summary (``_chosen_summary``);
    otherwise the model writes it, in ``language``."""
    if llm is None or not merged:
        return None, Usage()
    picks = verbatim and llm.endpoint.is_embedded
    shown = sorted(_draft_claims(merged, PICK_CHARS if picks else DRAFT_CHARS))
    rows = [
        {"number": i + 1, "kind": merged[i].kind, "by": merged[i].by, "sources": len(merged[i].citations),
         "text": merged[i].text}
        for i in shown
    ]
    if picks:
        return _chosen_summary(llm, merged, rows, language)
    answer = llm.structured(
        ConsolidationResponse,
        system=render("consolidate_system", language=language),
        user=render("consolidate_user", claims=rows),
        check=lambda response: consolidation_problems(response, len(merged)),
        max_tokens=700,
        reasks=0,  # a re-ask repeats the whole answer; bad references are dropped below instead
    )
    response = answer.salvaged(ConsolidationResponse)
    if response is not None and answer.value is None:
        response.summary = [
            s for s in response.summary if s.claims and all(1 <= n <= len(merged) for n in s.claims)
        ]
    return response, answer.usage


def _chosen_summary(
    llm: LLM, merged: list[MergedClaim], rows: list[dict], language: str,
) -> tuple[ConsolidationResponse | None, Usage]:
    """The embedded model's draft: it picks the claims whose sentences, as the reports write them,
    are the summary, and names the title, the type and the places; code builds the draft from them.

    Writing its own sentences, it copied claims (three of the four sentences of the derna summary,
    2026-12-07) or bent them: "MINUSMA ... called for at least one hundred civilians to be killed"
    for a mission that condemned the killing (ogossagou). The draft was a fifth of the samples'
    output tokens (258 of 1,253). Sentences in another language than the brief's are no summary of
    it: a folder with such a report gets the written draft.
    """
    shown = {row["number"] for row in rows}

    def problems(response: SummaryChoice) -> list[str]:
        return [f"summary: {n} is not a number of the claims listed" for n in response.summary if n not in shown]

    answer = llm.structured(
        SummaryChoice,
        system=render("summary_choice_system", language=language),
        user=render("consolidate_user", claims=rows),
        check=problems, max_tokens=200, reasks=0,
    )
    choice = answer.salvaged(SummaryChoice)
    if choice is None:
        return None, answer.usage
    picked = [n for n in dict.fromkeys(choice.summary) if n in shown]
    return ConsolidationResponse.model_construct(
        summary=[SummaryDraft(text=merged[n - 1].text, claims=[n]) for n in picked],
        title=choice.title, incident_type=choice.incident_type,
        places=[PlaceGroup(name=name, spellings=[]) for name in choice.places],
    ), answer.usage


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


def summary_sentences(drafted: ConsolidationResponse | None, merged: list[MergedClaim]) -> list[SummarySentence]:
    """The drafted summary, one sentence per entry, each citing the claims its entry cites.

    The model sometimes writes two sentences in one entry, or the same sentence twice. Split,
    each sentence is verified on its own: one with a number its claims do not hold takes only
    itself out of the summary, not its neighbour.
    """
    if drafted is None:
        return []
    sentences, seen = [], set()
    for entry in drafted.summary:
        citations = merged_by_source(c for n in entry.claims for c in merged[n - 1].citation_list())
        for text in split_sentences(entry.text):
            if text not in seen:
                seen.add(text)
                sentences.append(SummarySentence(text=text, citations=citations))
    return sentences


def brief_places(drafted: ConsolidationResponse | None, articles: Sequence[SegmentedArticle]) -> list[Place]:
    """The places the model names, each with every spelling the reports write it in, in any script
    (``text/spelling.py``: "Tin Zaouatene", "تنزاواتن"); two places that are one name are one place."""
    if drafted is None:
        return []
    places: list[tuple[list[str], str | None]] = []
    for group in drafted.places:
        spellings = [s for s in dict.fromkeys([group.name, *group.spellings]) if where_written([s], articles)]
        if not spellings:
            continue
        spellings = list(dict.fromkeys([*spellings, *(found for a in articles for sentence in a.sentences
                                                       for found in spellings_in(sentence.text, spellings[0]))]))
        same = next((known for known, _ in places if any(same_name(a, b) for a in known for b in spellings)), None)
        if same is None:
            places.append((spellings, group.country))
        else:
            same += [s for s in spellings if s not in same]
    return [
        Place(name=spellings[0], spellings=spellings[1:], country=country, citations=where_written(spellings, articles))
        for spellings, country in places
    ]
