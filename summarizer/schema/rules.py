"""Checks of the model's answers against the numbered sentences: a problem is re-asked, or its item dropped."""

from __future__ import annotations

from summarizer.schema.answers import ClaimsResponse, ConsolidationResponse
from summarizer.schema.extraction import ExtractionResponse


def note_problems(response: ClaimsResponse, sentences: dict[int, str]) -> list[str]:
    """Notes that point at no sentence: the one error worth a re-ask."""
    # A claimant the sentence does not name is not re-asked (measured: it doubled the cost of a
    # report on the embedded model); verification gives such a claim to the report instead.
    return [
        f"notes[{i}] sentence {note.n} does not exist; sentences are numbered {min(sentences)} to {max(sentences)}"
        for i, note in enumerate(response.notes, start=1) if note.n not in sentences
    ]


def grounding_problems(response: ExtractionResponse, sentences: dict[int, str]) -> list[str]:
    """Why items of an extraction are not grounded in the numbered sentences (empty if all are)."""
    from summarizer.text.attribution import claimant_problem
    from summarizer.text.metrics import metric_of
    from summarizer.text.numbers import figure_in_text
    from summarizer.text.parties import party_beside_figure, party_is_a_participle, party_is_a_speaker, party_is_claimant
    from summarizer.text.words import words_supported

    problems = []
    for i, item in enumerate(response.casualties, start=1):
        missing = [n for n in item.ids if n not in sentences]
        if not item.ids or missing:
            problems.append(f"casualties[{i}] cites sentence {missing or 'none'} that does not exist")
        elif not any(figure_in_text(item.figure, sentences[n]) for n in item.ids):
            problems.append(f"casualties[{i}] figure '{item.figure}' is not in sentence {item.ids}")
        elif problem := claimant_problem(item.by, item.ids, sentences):
            problems.append(f"casualties[{i}] {problem}")
        elif party_is_claimant(item.party, item.by):
            problems.append(f"casualties[{i}] party '{item.party}' is its claimant '{item.by}': whose losses it counts is not said")
        elif party_is_a_participle(item.party):
            problems.append(f"casualties[{i}] party '{item.party}' is a verb, not who was counted")
        elif party_is_a_speaker(item.party):
            problems.append(f"casualties[{i}] party '{item.party}' is an office or a body that speaks, not who was counted")
        elif not any(metric_of(item.figure, item.metric, sentences[n]) == item.metric for n in item.ids):
            problems.append(f"casualties[{i}] sentence {item.ids} does not say '{item.figure}' were {item.metric}")
        elif not any(party_beside_figure(item.party, item.figure, sentences[n],
                                         " ".join(sentences[m] for m in item.ids if m < n)) for n in item.ids):
            problems.append(f"casualties[{i}] party '{item.party}' is not named beside '{item.figure}' in sentence {item.ids}")
    for i, item in enumerate(response.claims, start=1):
        missing = [n for n in item.ids if n not in sentences]
        if not item.ids or missing:
            problems.append(f"claims[{i}] cites sentence {missing or 'none'} that does not exist")
        elif not words_supported(item.text, " ".join(sentences[n] for n in item.ids)):
            problems.append(f"claims[{i}] text is not what sentence {item.ids} says: cite the sentence that says it")
        elif problem := claimant_problem(item.by, item.ids, sentences, figure=False):
            problems.append(f"claims[{i}] {problem}")
    return problems

def consolidation_problems(response: ConsolidationResponse, claims: int) -> list[str]:
    """Summary sentences that cite no claim, or claims that do not exist."""
    return [
        f"summary[{i}] must cite claims numbered 1 to {claims}"
        for i, sentence in enumerate(response.summary, start=1)
        if not sentence.claims or [n for n in sentence.claims if not 1 <= n <= claims]
    ]
