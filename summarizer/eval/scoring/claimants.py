"""Who asserts what: brief claimant and actor names resolved to gold keys, and claimant accuracy."""

from __future__ import annotations

import re

from summarizer.eval.gold import Gold, sentence_claimants
from summarizer.eval.patterns import pattern_weight
from summarizer.eval.scoring.items import shown
from summarizer.eval.scoring.scores import Scores, rate, tally
from summarizer.schema import IncidentBrief


def resolve_claimant(text: str, gold: Gold) -> set[str]:
    """The gold claimant keys whose longest matching alias is the longest match in ``text``.

    Longest wins so that "Russian military bloggers" is the bloggers, not the (Malian) military.
    A name "X of Y" is X when X is a claimant ("the interior ministry of the eastern government"
    is the ministry, not the government), else the whole ("the head of the WMO" is the WMO).
    """
    head = re.split(r"\s+of\s+", text, maxsplit=1)[0]
    if head != text and (keys := resolve_claimant(head, gold)):
        return keys
    weights = {key: pattern_weight(c.pattern, text) for key, c in gold.claimants.items()}
    best = max(weights.values(), default=0)
    return {key for key, w in weights.items() if w == best} if best else set()


def resolve_actor(text: str, gold: Gold) -> set[str]:
    """The gold actor keys whose longest matching alias is the longest match in ``text``."""
    weights = {key: pattern_weight(a.pattern, text) for key, a in gold.actors.items()}
    best = max(weights.values(), default=0)
    return {key for key, w in weights.items() if w == best} if best else set()


def score_claimants(
    brief: IncidentBrief, gold: Gold, files: dict[str, str], languages: dict[str, str], scores: Scores,
) -> None:
    """Every claimant shown, judged by the gold claimants of the sentences its item cites (and
    counted per language of the reports it cites)."""
    by_source: dict[str, dict[int, set[str]]] = {}
    for source in brief.sources:
        labels = gold.sentences.get(files.get(source.id, source.id))
        if labels:
            by_source[source.id] = sentence_claimants(labels, [(x.n, x.text) for x in source.sentences])
    judged = right = unjudged = 0
    for item in shown(brief):
        if item.claimant is None:
            continue
        where, claimant, citations = item.where, item.claimant, item.citations
        allowed: set[str] = set()
        for c in citations:
            labelled = by_source.get(c.source_id, {})
            for n in c.sentences:
                allowed |= labelled.get(n, set())
        if not allowed:
            unjudged += 1
            continue
        judged += 1
        cited = {files.get(c.source_id, c.source_id) for c in citations}
        is_right = bool(resolve_claimant(claimant, gold) & allowed)
        tally(scores, "claimants", cited, languages, is_right)
        if is_right:
            right += 1
        else:
            names = ", ".join(sorted(gold.claimants[k].name for k in allowed))
            scores.wrong_item_claimants.append(f"{where}: {claimant!r}, gold: {names}")
    scores.claimants = (right, judged)
    scores.claimants_unjudged = unjudged
    scores.claimant_accuracy = rate(right, judged)
