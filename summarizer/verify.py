"""Stage 5, verify: nothing reaches the brief unless the sentences it cites support it.

Used twice: on each article's extraction (items whose citations do not resolve, or whose
figure is not in a cited sentence, are dropped and counted), and on the finished brief
(every citation resolves; every number in a statement appears in a sentence it cites).
"""

from __future__ import annotations

from pydantic import ValidationError

from summarizer.figures import numbers_in
from summarizer.schema import (
    Citation, DroppedItem, ExtractedCasualty, ExtractedClaim, ExtractionResponse, Source, grounding_problems,
)


def keep_grounded(raw: dict, sentences: dict[int, str], source_id: str) -> tuple[ExtractionResponse, list[DroppedItem]]:
    """Keep the items of a raw extraction that are well-formed and grounded; say why others went.

    Example:
        >>> kept, dropped = keep_grounded({"claims": [{"kind": "event", "text": "x", "by": "reporter", "ids": [99]}]}, {1: "x"}, "a1")
        >>> len(kept.claims), dropped[0].reason
        (0, 'claims[1] cites sentence [99] that does not exist')
    """
    kept = ExtractionResponse()
    dropped: list[DroppedItem] = []
    seen: set[tuple] = set()
    for field, model in (("casualties", ExtractedCasualty), ("claims", ExtractedClaim)):
        for item in raw.get(field) or []:
            try:
                parsed = model.model_validate(item)
            except ValidationError as e:
                dropped.append(DroppedItem(source_id=source_id, what=f"{field}: {str(item)[:120]}", reason=f"malformed: {e.errors()[0]['msg']}"))
                continue
            single = ExtractionResponse(**{field: [parsed]})
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
    """Numbers written in ``text`` that no cited sentence contains."""
    cited = " ".join(
        s.text for c in citations if (src := sources.get(c.source_id))
        for s in src.sentences if s.n in c.sentences
    )
    available = set(numbers_in(cited))
    return [n for n in numbers_in(text) if n not in available]


def _describe(item: ExtractedCasualty | ExtractedClaim) -> str:
    if isinstance(item, ExtractedCasualty):
        return f"casualty: {item.party} {item.metric} {item.figure} (by {item.by})"
    return f"claim: {item.text}"
