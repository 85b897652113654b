"""Consolidate, strikes: disputes over what an air strike hit, where one voice says it hit military
targets ("high-value targets including caches ... have been hit", "des cibles terroristes ont été
détruites") and another says it killed civilians ("scores of civilians had been murdered by a drone",
"des civils tués par une frappe", "niños muertos en el bombardeo").

Code proposes: a sentence in which a named voice says targets were hit, set against a sentence of
another voice that says civilians were killed by a strike, and no targets. The model chooses: one
small yes/no call per pair says whether the two describe what the same strikes hit differently.
Each side is its sentence's own words, with the claimant its report gives it.
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
from summarizer.text.metrics import METRIC
from summarizer.text.words import REPORTER

# What a military says its strikes hit, and its verbs, in the languages read.
TARGETS = re.compile(
    r"(?<!\w)(?:targets?|positions|caches|hideouts?|depots?|bases|fighters' vehicles|cibles?|objectifs?|"
    r"dépôts?|repaires?|objetivos?|blancos?|escondites?|alvos?|esconderijos?)(?!\w)", re.I)
HIT = re.compile(
    r"(?<!\w)(?:hit|struck|destroyed|neutrali[sz]ed|eliminated|dealt with|touchée?s?|détruite?s?|neutralisée?s?|"
    r"frappée?s?|alcanzad[oa]s?|destruid[oa]s?|neutralizad[oa]s?|impactad[oa]s?|atingid[oa]s?)(?!\w)", re.I)
CIVILIANS = re.compile(
    r"(?<!\w)(?:civilians?|villagers|residents|children|migrants|civils?|habitants|villageois|enfants|civiles|"
    r"pobladores|niños|niñas|menores|civis|moradores|crianças)(?!\w)", re.I)
STRIKE = re.compile(
    r"(?<!\w)(?:drones?|air ?strikes?|strikes?|bomb\w*|air raids?|frappes?|bombardements?|bombardé\w*|drones?|"
    r"bombarde\w*|dron(?:es)?|ataques? aéreos?|bombardei\w*)(?!\w)", re.I)
NEAR = 60  # characters between the targets and their verb
NEXT_TO = 2  # sentences apart in one report, for targets hit and civilians killed to be set side by side
MAX_STRIKE_CHECKS = 2
OTHER_HIT = ("Sentences A and B describe what the same strikes hit differently: A says they hit military targets, "
             "B says they killed civilians.")
QUESTIONS = {
    "en": "What did the strikes hit?", "fr": "Qu'ont touché les frappes ?", "es": "¿Qué alcanzaron los bombardeos?",
    "pt": "O que os ataques atingiram?",
}


def strike_question(language: str = DEFAULT) -> str:
    """The question of a dispute over what strikes hit, in the brief's language.

    Example:
        >>> strike_question("fr")
        "Qu'ont touché les frappes ?"
    """
    return QUESTIONS.get(language, QUESTIONS[DEFAULT])


def _targets_hit(text: str) -> bool:
    return any(HIT.search(text[max(0, m.start() - NEAR):m.end() + NEAR]) for m in TARGETS.finditer(text))


def _civilians_killed_by_a_strike(text: str) -> bool:
    return bool(CIVILIANS.search(text) and METRIC["killed"].search(text) and STRIKE.search(text))


def strike_pairs(articles: Sequence[SegmentedArticle], names: dict[str, str]) -> list[tuple[Side, Side]]:
    """(targets side, civilians side) pairs of sentences by two named voices (the reporter's own
    narration takes no side), at most ``MAX_STRIKE_CHECKS``, one per targets claimant. The targets
    must be said to be the strikes' (a strike named in their sentence or the two before), or the
    report must set the two side by side."""
    targets, civilians = [], []
    for article in articles:
        sentences = {s.n: s.text for s in article.sentences}
        for n, text in sentences.items():
            hit, killed = _targets_hit(text), _civilians_killed_by_a_strike(text)
            if hit == killed:
                continue  # neither, or one sentence setting out both
            by = claim_speaker(None, n, sentences)[0]
            if by and by.lower() not in REPORTER:
                side = Side(by=by, text=text, source_id=article.article.id, n=n)
                if killed:
                    civilians.append(side)
                else:  # the sentence or the two before it speak of strikes ("five targets dealt with" may be on the ground)
                    targets.append((side, bool(STRIKE.search(" ".join(sentences.get(k, "") for k in range(n - 2, n + 1))))))
    pairs, claimants = [], set()
    for a, of_strikes in targets:
        voice = canonical(a.by, names)
        for b in civilians:
            if voice in claimants or voice == canonical(b.by, names) or _same_voice(a.by, b.by):
                continue
            if not of_strikes and not (a.source_id == b.source_id and abs(a.n - b.n) <= NEXT_TO):
                continue  # targets not said to be the strikes', unless the report sets the two side by side
            claimants.add(voice)
            pairs.append((a, b))
    return pairs[:MAX_STRIKE_CHECKS]


def strike_disputes(
    articles: Sequence[SegmentedArticle], names: dict[str, str], llm: LLM | None, run: Callable = map,
    language: str = DEFAULT,
) -> tuple[list[Dispute], Usage]:
    """The disputes over what strikes hit that the model confirms; none without a model."""
    pairs = strike_pairs(articles, names)
    if llm is None or not pairs:
        return [], Usage()

    def check(pair: tuple[Side, Side]):
        a, b = pair
        return llm.structured(
            PairCheck, system=render("pair_check_system"),
            user=render("pair_check_user", first=a, second=b, first_by=canonical(a.by, names),
                        second_by=canonical(b.by, names), statement=OTHER_HIT),
            max_tokens=20, reasks=0,
        )

    usage, disputes = Usage(), []
    for (a, b), answer in zip(pairs, run(check, pairs)):
        usage = usage + answer.usage
        if answer.value and answer.value.answer == "yes":
            disputes.append(Dispute(question=strike_question(language), kind="characterisation",
                                    positions=[side_position(side, names) for side in (a, b)]))
    return disputes, usage


