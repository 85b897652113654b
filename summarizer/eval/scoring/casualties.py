"""The casualty table: each row right or wrong against the gold casualty claims, and one name per actor."""

from __future__ import annotations

from summarizer.eval.gold import Gold, GoldCasualty, GoldFigure
from summarizer.eval.patterns import matches, normalise
from summarizer.eval.scoring.claimants import resolve_actor, resolve_claimant
from summarizer.eval.scoring.scores import Scores, rate, tally
from summarizer.schema import CasualtyClaim, IncidentBrief


def _figure_matches(figure: GoldFigure, low: int | None, high: int | None, written: str) -> bool:
    if figure.low is not None and low == figure.low and (figure.high is None or high == figure.high):
        return True
    return bool(figure.forms) and matches(figure.forms, written)


def score_casualties(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    """Of the gold casualty claims some row shows, how many it gives the gold claimant."""
    found = right = 0
    for cas in gold.casualties:
        rows = [
            row for row in brief.casualties
            if row.metric == cas.metric
            and matches(cas.party.pattern, row.party)
            and _figure_matches(cas.figure, row.low, row.high, row.figure)
        ]
        if not rows:
            scores.missed_casualties.append(cas.id)
            continue
        found += 1
        if any(resolve_claimant(row.claimant, gold) & set(cas.claimant) for row in rows):
            right += 1
        else:
            scores.wrong_claimants.append(f"{cas.id}: {', '.join(sorted({r.claimant for r in rows}))}")
    scores.casualties_claimant_right = right
    scores.casualty_claimant_accuracy = rate(right, found)


def _party_is(cas: GoldCasualty, party: str, gold: Gold) -> bool:
    if cas.party.actor is not None and cas.party.actor in resolve_actor(party, gold):
        return True
    return matches(cas.party.pattern, party)


def _row_problem(row: CasualtyClaim, cas: GoldCasualty, cited: set[str], gold: Gold) -> str | None:
    """Why ``row`` is not the gold casualty claim ``cas`` (None when it is)."""
    if row.metric != cas.metric or not _figure_matches(cas.figure, row.low, row.high, row.figure):
        return "figure"
    if not _party_is(cas, row.party, gold):
        return f"party (gold: {cas.party.name})"
    if not resolve_claimant(row.claimant, gold) & set(cas.claimant):
        return f"claimant (gold: {', '.join(gold.claimants[k].name for k in cas.claimant)})"
    if not cited & set(cas.sources):
        return "sources (cites none that states it)"
    return None


def score_casualty_rows(
    brief: IncidentBrief, gold: Gold, files: dict[str, str], languages: dict[str, str], scores: Scores,
) -> None:
    """Every row a reader sees is right or wrong; recall counts gold claims some right row shows.

    Both are also counted per language of the reports a row cites, and a gold claim comes from.
    """
    found: set[str] = set()
    right = 0
    for i, row in enumerate(brief.casualties):
        cited = {files.get(c.source_id, c.source_id) for c in row.citations}
        problems = {cas.id: _row_problem(row, cas, cited, gold) for cas in gold.casualties}
        hits = [cid for cid, problem in problems.items() if problem is None]
        tally(scores, "casualty_rows", cited, languages, bool(hits))
        if hits:
            right += 1
            found.update(hits)
            continue
        near = sorted({p for p in problems.values() if p != "figure"})
        why = "wrong " + " or ".join(near) if near else "no gold casualty claim has this figure and metric"
        where = ", ".join(sorted(cited))
        scores.wrong_casualty_rows.append(
            f"casualties[{i}] {row.claimant}: {row.figure} {row.party} {row.metric} [{where}]: {why}"
        )
    scores.casualty_rows = (right, len(brief.casualties))
    scores.casualty_precision = rate(right, len(brief.casualties))
    scores.casualties = (len(found), len(gold.casualties))
    scores.casualty_recall = rate(len(found), len(gold.casualties))
    scores.missed_casualties = [cas.id for cas in gold.casualties if cas.id not in found]
    for cas in gold.casualties:
        tally(scores, "casualties", cas.sources, languages, cas.id in found)


def score_actors(brief: IncidentBrief, gold: Gold, scores: Scores) -> None:
    """Casualty-table party names per gold actor (1.0 is one name each), and the sides actors carry."""
    if not gold.actors:
        return
    names: dict[str, set[str]] = {}
    for row in brief.casualties:
        keys = resolve_actor(row.party, gold)
        if not keys:
            scores.unresolved_parties.append(row.party)
        for key in keys:
            names.setdefault(key, set()).add(normalise(row.party))
    scores.party_names = {key: sorted(v) for key, v in sorted(names.items())}
    scores.actor_fragmentation = sum(len(v) for v in names.values()) / len(names) if names else None
    with_side = [a for a in brief.actors if a.side]
    right = 0
    for actor in with_side:
        keys = resolve_actor(" ; ".join([actor.name, *actor.aliases]), gold)
        sides = {normalise(gold.actors[k].side) for k in keys}
        side = normalise(actor.side or "")
        if any(s and (s in side or side in s) for s in sides):
            right += 1
        else:
            scores.wrong_sides.append(f"{actor.name}: {actor.side!r}, gold: {', '.join(sorted(sides)) or 'no actor'}")
    scores.actor_side_accuracy = rate(right, len(with_side))
