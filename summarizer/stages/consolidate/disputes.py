"""Consolidate, disputes between claims: code picks pairs of claims about the same thing from
different voices; one small model call per pair says whether they disagree and on what."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import DisagreementCheck, Dispute, Position, Usage
from summarizer.stages.consolidate.claims import SAME_CLAIM, MergedClaim, claim_stems, containment
from summarizer.stages.consolidate.names import canonical
from summarizer.text.kinds import DENIAL, DENIAL_WORDS

MAX_CANDIDATES = 8  # each candidate pair costs one small model call

YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Words that mark a position against another: a dispute needs one, a restatement does not.
CONTRAST = re.compile(
    rf"(?<!\w)(?:{DENIAL_WORDS}|not|no one|contest(?:ed|s)?|however|while|whereas|but|"
    r"claim(?:s|ed|ing)?|due to|because|instead|accus(?:e|es|ed|ations)|"
    r"ne|pas|aucun\w*|jamais|contest\w*|cependant|pourtant|mais|alors que|tandis que|au contraire|"
    r"affirm\w*|assur\w*|à cause|parce que|accus\w*|mentent|"
    r"no|nunca|ningún|ninguna|pero|sin embargo|mientras|en cambio|aseguró|afirm\w*|debido|porque|acus\w*|"
    r"não|mas|porém|enquanto)(?!\w)", re.I)
MIN_SIMILARITY = 0.12  # below this two claims are about different things


def disagreements(
    merged: list[MergedClaim], names: dict[str, str], llm: LLM | None, run: Callable = map,
    language: str = "English",
) -> tuple[list[Dispute], Usage]:
    """Claims by different claimants (or sources) about the same thing, that the model says disagree.

    Code picks candidate pairs that share rare words; the model only answers, per pair,
    whether the two disagree and on what. ``run`` maps the check over the pairs (``pool.map``
    to send them all at once). The model writes the question in ``language``.
    """
    usage = Usage()
    if llm is None:
        return [], usage

    def check(pair: tuple[MergedClaim, MergedClaim]):
        a, b = pair
        return llm.structured(
            DisagreementCheck, system=render("disagree_system", language=language),
            user=render("disagree_user", first=a, second=b,
                        first_by=canonical(a.by, names), second_by=canonical(b.by, names)),
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
                    Position(claimant=canonical(c.by, names), statement=c.text, citations=c.citation_list())
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
            voices = {canonical(a.by, names), canonical(b.by, names)}
            different_voice = len(voices) == 2
            # A party rarely disputes itself; reporters can, across reports ("2020" here, "2022"
            # there) and within one (003 says both), which is the report's own error.
            if not different_voice and voices != {"reporter"}:
                continue
            if containment(a.words, b.words) >= SAME_CLAIM * 0.9:
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
