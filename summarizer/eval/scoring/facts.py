"""Fact recall and attribution: which gold facts the brief states, citing which reports, said by whom."""

from __future__ import annotations

from summarizer.eval.gold import Gold
from summarizer.eval.patterns import matches
from summarizer.eval.scoring.claimants import resolve_claimant
from summarizer.eval.scoring.items import Item
from summarizer.eval.scoring.scores import Scores, rate
from summarizer.schema import IncidentBrief


def _fact_items(brief: IncidentBrief) -> list[Item]:
    items = [
        Item(f"claims[{i}] {c.id}", f"{c.claimant}: {c.statement}", c.claimant, tuple(c.citations))
        for i, c in enumerate(brief.claims)
    ]
    items += [
        Item(f"casualties[{i}]", f"{c.claimant}: {c.figure} {c.party} {c.metric}", c.claimant, tuple(c.citations))
        for i, c in enumerate(brief.casualties)
    ]
    items += [Item(f"summary[{i}]", s.text, None, tuple(s.citations)) for i, s in enumerate(brief.summary)]
    return items


def score_facts(brief: IncidentBrief, gold: Gold, files: dict[str, str], scores: Scores) -> None:
    """Fact recall, the attribution of each fact found, and whether its claimant is the gold one."""
    items = _fact_items(brief)
    matched = precision_sum = recall_sum = 0.0
    claimant_checked = claimant_right = 0
    for fact in gold.facts:
        hits = [item for item in items if matches(fact.match, item.text)]
        if not hits:
            scores.missed_facts.append(fact.id)
            continue
        matched += 1
        required, allowed = set(fact.sources), set(fact.sources) | set(fact.also_in)

        def attribution(item: Item) -> tuple[float, float]:
            cited = {files.get(c.source_id, c.source_id) for c in item.citations}
            precision = len(cited & allowed) / len(cited) if cited else 0.0
            return precision, len(cited & required) / len(required)

        # The best-attributed matching item counts: a summary sentence that also touches the
        # fact must not spoil the claim that carries it.
        precision, recall = max(
            (attribution(item) for item in hits),
            key=lambda pr: (2 * pr[0] * pr[1] / (pr[0] + pr[1]) if pr[0] + pr[1] else 0.0, pr[0], pr[1]),
        )
        precision_sum += precision
        recall_sum += recall
        with_claimant = [item for item in hits if item.claimant is not None]
        if fact.claimant and with_claimant:
            claimant_checked += 1
            if any(resolve_claimant(item.claimant, gold) & set(fact.claimant) for item in with_claimant):
                claimant_right += 1
            else:
                names = sorted({item.claimant for item in with_claimant})
                scores.wrong_fact_claimants.append(f"{fact.id}: {', '.join(names)}")
    n = len(gold.facts)
    scores.facts = (int(matched), n)
    scores.fact_recall = rate(matched, n)
    scores.attribution_precision = rate(precision_sum, int(matched))
    scores.attribution_recall = rate(recall_sum, int(matched))
    scores.fact_claimant_accuracy = rate(claimant_right, claimant_checked)
