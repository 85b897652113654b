"""Consolidate, causes: disputes over what brought down an aircraft, where one voice says it downed
or damaged it ("The rebels claimed to have damaged a helicopter, causing it to crash") and another
gives a cause that is no one's attack ("it crashed on a routine mission", "à la suite d'une panne",
"por una falla técnica").

Code proposes: a sentence in which a named voice says an aircraft was shot down, damaged or hit,
set against a sentence of another voice that gives the same kind of aircraft an accident's cause
and says nothing of an attack. The model chooses: one small yes/no call per pair says whether the
two give different causes for the loss of one aircraft. Each side is its sentence's own words, with
the claimant its report gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import Dispute, PairCheck, SegmentedArticle, Usage
from summarizer.stages.consolidate.names import canonical
from summarizer.stages.consolidate.rebuttals import Side, _same_voice, side_position
from summarizer.text.attribution import claim_speaker
from summarizer.text.language import DEFAULT
from summarizer.text.words import REPORTER

# An aircraft, by the English word the brief's question uses, and its words in the languages read.
AIRCRAFT = {
    "helicopter": r"helicopters?|hélicoptères?|helicópteros?",
    "plane": r"planes?|airplanes?|aeroplanes?|avions?|aviones?|avião|aviões",
    "aircraft": r"aircraft|aéronefs?|aeronaves?|appareils?",
    "drone": r"drones?|drons?",
}
AIRCRAFT_WORD = {kind: re.compile(r"(?<!\w)(?:" + words + r")(?!\w)", re.I) for kind, words in AIRCRAFT.items()}
# Its loss by someone's hand: "damaged", "shot down", "abattu", "derribado".
ATTACKED = re.compile(
    r"(?<!\w)(?:shot down|shoot down|shooting down|brought down|bring down|bringing down|downed|damag\w*|destroy\w*|"
    r"abattu\w*|abattre|endommag\w*|détrui\w*|touché\w*|derrib\w*|abatid[oa]s?|dañ\w*|destru\w*|"
    r"danific\w*|abatid[oa]s?)(?!\w)", re.I)
# A cause that is no one's attack: "a routine mission", "technical difficulties", "une panne".
ACCIDENT = re.compile(
    r"(?<!\w)(?:routine|technical|mechanical|malfunction\w*|engine failure|accident\w*|bad weather|weather|"
    r"pilot error|panne|technique|mécanique|défaillance|intempéries|rutina|técnic[oa]s?|mecánic[oa]s?|falla|fallo|"
    r"avería|accidente|mal tiempo|rotina|mecânic[oa]s?|falha|acidente|mau tempo)(?!\w)", re.I)
NEAR = 80  # characters between the aircraft and the words of its loss, either way
MAX_CAUSE_CHECKS = 2  # pairs the model is asked about, each one small call
OTHER_CAUSE = ("Sentences A and B give different causes for the loss of the same {aircraft}: A says it was "
               "attacked, B gives a cause that is no attack.")
QUESTIONS = {
    "en": "What brought the {aircraft} down?", "fr": "Qu'est-ce qui a abattu l'appareil ({aircraft}) ?",
    "es": "¿Qué derribó la aeronave ({aircraft})?", "pt": "O que derrubou a aeronave ({aircraft})?",
}
IN_LANGUAGE = {  # the aircraft's name in the brief's questions
    "fr": {"helicopter": "hélicoptère", "plane": "avion", "aircraft": "aéronef", "drone": "drone"},
    "es": {"helicopter": "helicóptero", "plane": "avión", "aircraft": "aeronave", "drone": "dron"},
    "pt": {"helicopter": "helicóptero", "plane": "avião", "aircraft": "aeronave", "drone": "drone"},
}


def cause_question(aircraft: str, language: str = DEFAULT) -> str:
    """The question of a dispute over what brought an aircraft down, in the brief's language.

    Example:
        >>> cause_question("helicopter"), cause_question("helicopter", "fr")
        ('What brought the helicopter down?', "Qu'est-ce qui a abattu l'appareil (hélicoptère) ?")
    """
    name = IN_LANGUAGE.get(language, {}).get(aircraft, aircraft)
    return QUESTIONS.get(language, QUESTIONS[DEFAULT]).format(aircraft=name)


def _near(pattern: re.Pattern, text: str, spans: list[tuple[int, int]]) -> bool:
    return any(pattern.search(text[max(0, a - NEAR):b + NEAR]) for a, b in spans)


def cause_pairs(articles: Sequence[SegmentedArticle], names: dict[str, str]) -> list[tuple[Side, Side, str]]:
    """(attack side, accident side, aircraft) pairs of sentences by two voices, each named (the
    reporter's own narration takes no side); the attack side first, at most ``MAX_CAUSE_CHECKS``,
    one per attack claimant."""
    attacks, accidents = [], []
    for article in articles:
        sentences = {s.n: s.text for s in article.sentences}
        for n, text in sentences.items():
            for kind, word in AIRCRAFT_WORD.items():
                spans = [m.span() for m in word.finditer(text)]
                if not spans:
                    continue
                attacked, accident = _near(ATTACKED, text, spans), _near(ACCIDENT, text, spans)
                if attacked == accident:
                    continue  # neither, or both in one sentence (one voice setting out the two)
                by = claim_speaker(None, n, sentences)[0]
                if not by or by.lower() in REPORTER:
                    continue
                side = Side(by=by, text=text, source_id=article.article.id, n=n)
                (attacks if attacked else accidents).append((kind, side))
                break
    pairs, claimants = [], set()
    for kind, a in attacks:
        for other, b in accidents:
            voice = canonical(a.by, names)
            if other != kind or voice in claimants or voice == canonical(b.by, names) or _same_voice(a.by, b.by):
                continue
            claimants.add(voice)
            pairs.append((a, b, kind))
            break
    return pairs[:MAX_CAUSE_CHECKS]


def cause_disputes(
    articles: Sequence[SegmentedArticle], names: dict[str, str], llm: LLM | None, run: Callable = map,
    language: str = DEFAULT,
) -> tuple[list[Dispute], Usage]:
    """The disputes over what brought an aircraft down that the model confirms; none without a model."""
    pairs = cause_pairs(articles, names)
    if llm is None or not pairs:
        return [], Usage()

    def check(pair: tuple[Side, Side, str]):
        a, b, aircraft = pair
        return llm.structured(
            PairCheck, system=render("pair_check_system"),
            user=render("pair_check_user", first=a, second=b, first_by=canonical(a.by, names),
                        second_by=canonical(b.by, names), statement=OTHER_CAUSE.format(aircraft=aircraft)),
            max_tokens=20, reasks=0,
        )

    usage, disputes = Usage(), []
    for (a, b, aircraft), answer in zip(pairs, run(check, pairs)):
        usage = usage + answer.usage
        if answer.value and answer.value.answer == "yes":
            disputes.append(Dispute(question=cause_question(aircraft, language), kind="cause",
                                    positions=[side_position(side, names) for side in (a, b)]))
    return disputes, usage
