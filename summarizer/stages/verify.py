"""Stage 5, verify: nothing reaches the brief unless the sentences it cites support it.

Used twice: on each article's extraction (items whose citations do not resolve, or whose
figure is not in a cited sentence, are dropped and counted), and on the finished brief
(every citation resolves; every number in a statement appears in a sentence it cites).
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from summarizer.text.numbers import figure_in_text, numbers_in
from summarizer.schema import (
    Citation, DroppedItem, ExtractedCasualty, ExtractedClaim, ExtractionResponse, IncidentBrief, Source,
    grounding_problems,
)


def keep_grounded(raw: dict, sentences: dict[int, str], source_id: str) -> tuple[ExtractionResponse, list[DroppedItem]]:
    """Keep the items of a raw extraction that are well-formed and grounded; say why others went.

    Example:
        >>> kept, dropped = keep_grounded({"claims": [{"kind": "event", "text": "x", "by": "reporter", "ids": [99]}]}, {1: "x"}, "a1")
        >>> len(kept.claims), dropped[0].reason
        (0, 'claims[1] cites sentence [99] that does not exist')
    """
    kept = ExtractionResponse.model_construct(casualties=[], claims=[])
    dropped: list[DroppedItem] = []
    seen: set[tuple] = set()
    for field, model in (("casualties", ExtractedCasualty), ("claims", ExtractedClaim)):
        for item in raw.get(field) or []:
            try:
                parsed = model.model_validate(item)
            except ValidationError as e:
                dropped.append(DroppedItem(source_id=source_id, what=f"{field}: {str(item)[:120]}", reason=f"malformed: {e.errors()[0]['msg']}"))
                continue
            single = ExtractionResponse.model_construct(**{"casualties": [], "claims": [], field: [parsed]})
            repair_citations(single, sentences)
            problems = grounding_problems(single, sentences)
            if field == "claims" and problems and " is not named in sentence " in problems[0]:
                # A claim's text is its own sentence, attribution words included: when the model
                # cannot name who asserts it, the report does. (A casualty figure stays strict.)
                parsed.by = "reporter"
                problems = grounding_problems(single, sentences)
            if problems:
                dropped.append(DroppedItem(source_id=source_id, what=_describe(parsed), reason=problems[0]))
                continue
            key = tuple(sorted(parsed.model_dump(exclude={"ids"}).items()))
            if key in seen:
                continue
            seen.add(key)
            getattr(kept, field).append(parsed)
    return kept, dropped


def repair_citations(response: ExtractionResponse, sentences: dict[int, str]) -> ExtractionResponse:
    """Point a casualty figure at the sentence that writes it when the model cited a neighbour.

    The figure is looked up within two sentences of the cited one; only a single exact match is
    taken. Nothing is rewritten: only the sentence numbers change. (Claims need no repair: their
    text is the sentence they cite.)
    """
    for item in response.casualties:
        if not item.ids or any(n in sentences and figure_in_text(item.figure, sentences[n]) for n in item.ids):
            continue
        near = {m for n in item.ids for m in range(n - 2, n + 3) if m in sentences}
        holding = [m for m in sorted(near) if figure_in_text(item.figure, sentences[m])]
        if len(holding) == 1:
            item.ids = holding
    return response


def unresolved(citations: list[Citation], sources: dict[str, Source]) -> list[str]:
    """Citations that point at no source, or at sentence numbers the source does not have."""
    problems = []
    for citation in citations:
        source = sources.get(citation.source_id)
        if source is None:
            problems.append(f"unknown source {citation.source_id}")
            continue
        numbers = {s.n for s in source.sentences}
        missing = [n for n in citation.sentences if n not in numbers]
        if missing or not citation.sentences:
            problems.append(f"{citation.source_id} has no sentence {missing or '(none cited)'}")
    return problems


def unsupported_numbers(text: str, citations: list[Citation], sources: dict[str, Source]) -> list[int]:
    """Numbers written in ``text`` that no cited sentence contains (each read in its report's language)."""
    available = {
        n for c in citations if (src := sources.get(c.source_id))
        for s in src.sentences if s.n in c.sentences for n in numbers_in(s.text, src.language)
    }
    return [n for n in numbers_in(text) if n not in available]


def _describe(item: ExtractedCasualty | ExtractedClaim) -> str:
    if isinstance(item, ExtractedCasualty):
        return f"casualty: {item.party} {item.metric} {item.figure} (by {item.by})"
    return f"claim: {item.text}"


def verify_brief(brief: IncidentBrief) -> IncidentBrief:
    """The last gate: drop every statement whose citations do not resolve or whose numbers no
    cited sentence contains, and count each drop in the diagnostics.

    Example:
        >>> verified = verify_brief(brief)
        >>> verified.diagnostics.dropped
    """
    sources = {s.id: s for s in brief.sources}
    dropped = list(brief.diagnostics.dropped)

    def grounded(what: str, text: str, citations: list[Citation]) -> bool:
        if not citations:
            reason = "no citation"
        elif problems := unresolved(citations, sources):
            reason = "; ".join(problems)
        elif numbers := unsupported_numbers(text, citations, sources):
            reason = f"number(s) {numbers} in no cited sentence"
        else:
            return True
        dropped.append(DroppedItem(source_id=None, what=f"{what}: {text[:120]}", reason=reason))
        return False

    claims = [c for c in brief.claims if grounded(f"claim {c.id}", c.statement, c.citations)]
    summary = [s for s in brief.summary if grounded("summary sentence", s.text, s.citations)]
    casualties = [
        c for c in brief.casualties
        if grounded("casualty figure", f"{c.figure}", c.citations)
    ]
    disputes = []
    for dispute in brief.disputes:
        positions = [p for p in dispute.positions if grounded(f"dispute position ({dispute.question})", p.statement, p.citations)]
        if len(positions) >= 2:
            disputes.append(dispute.model_copy(update={"positions": positions}))
    timeline = [t for t in brief.timeline if grounded("timeline event", t.event, t.citations)]
    title = brief.title
    if unsupported_numbers(title, [Citation(source_id=s.id, sentences=tuple(x.n for x in s.sentences)) for s in brief.sources], sources):
        dropped.append(DroppedItem(what=f"title: {title}", reason="a number in no source sentence"))
        title = re.sub(r"\s*\b\d[\d,]*\b", "", title).strip()
    return brief.model_copy(update={
        "title": title, "claims": claims, "summary": summary, "casualties": casualties, "disputes": disputes,
        "timeline": timeline,
        "diagnostics": brief.diagnostics.model_copy(update={"dropped": dropped}),
    })
