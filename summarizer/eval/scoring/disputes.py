"""Disputes: which gold disputes the brief sets out, and which shown disputes are real ones."""

from __future__ import annotations

from summarizer.eval.gold import Gold, GoldPosition
from summarizer.eval.patterns import matches
from summarizer.eval.scoring.claimants import resolve_claimant
from summarizer.eval.scoring.scores import Scores, rate, tally
from summarizer.schema import IncidentBrief


def _two_distinct(links: list[set[int]]) -> bool:
    """Whether two different brief positions match two different gold positions."""
    return any(
        a != b for i, left in enumerate(links) for right in links[i + 1:] for a in left for b in right
    )


def score_disputes(brief: IncidentBrief, gold: Gold, languages: dict[str, str], scores: Scores) -> None:
    """Dispute recall: a gold dispute is shown when two positions of one brief dispute match two of its own
    (and counted in each language of the reports its positions come from)."""
    found = 0
    for dispute in gold.disputes:
        shown = False
        for candidate in brief.disputes:
            links = [
                {g for g, pos in enumerate(dispute.positions) if matches(pos.match, f"{p.claimant}: {p.statement}")}
                for p in candidate.positions
            ]
            if _two_distinct(links):
                shown = True
                break
        tally(scores, "disputes", [f for p in dispute.positions for f in p.sources], languages, shown)
        if shown:
            found += 1
        else:
            scores.missed_disputes.append(dispute.id)
    scores.disputes = (found, len(gold.disputes))
    scores.dispute_recall = rate(found, len(gold.disputes))


def _position_is(position: GoldPosition, claimant: str, statement: str, gold: Gold) -> bool:
    if not matches(position.match, f"{claimant}: {statement}"):
        return False
    return not position.claimant or bool(resolve_claimant(claimant, gold) & set(position.claimant))


def score_dispute_precision(
    brief: IncidentBrief, gold: Gold, files: dict[str, str], languages: dict[str, str], scores: Scores,
) -> None:
    """A shown dispute is right when two of its positions are two different positions of one gold
    dispute, each with that position's claimant (counted in each language of the reports it cites)."""
    right = 0
    for i, candidate in enumerate(brief.disputes):
        best_links = 0
        for dispute in gold.disputes:
            links = [
                {g for g, pos in enumerate(dispute.positions) if _position_is(pos, p.claimant, p.statement, gold)}
                for p in candidate.positions
            ]
            if _two_distinct(links):
                best_links = 2
                break
            best_links = max(best_links, sum(1 for link in links if link))
        cited = {files.get(c.source_id, c.source_id) for p in candidate.positions for c in p.citations}
        tally(scores, "disputes_shown", cited, languages, best_links == 2)
        if best_links == 2:
            right += 1
            continue
        claimants = " vs ".join(p.claimant for p in candidate.positions)
        why = "one side matches a gold position" if best_links else "no side matches a gold position"
        scores.wrong_disputes.append(f"disputes[{i}] {candidate.question!r} ({claimants}): {why}")
    scores.disputes_shown = (right, len(brief.disputes))
    scores.dispute_precision = rate(right, len(brief.disputes))
