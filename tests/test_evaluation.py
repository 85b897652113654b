"""The eval scorer: a hand-written perfect brief scores 1.0, and each flaw costs exactly its share.

The perfect brief (tests/fixtures/briefs/tinzaouatene_perfect.json) holds the five sample
reports' real sentences and one claim per gold fact; the flawed briefs are derived from it here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rich.table import Table

from summarizer.eval import (
    RATE_METRICS,
    Gold,
    check_thresholds,
    compare,
    load_gold,
    load_thresholds,
    matches,
    normalise,
    numbers_in,
    resolve_claimant,
    score,
)
from summarizer.eval import GoldSentence, check_gold, sentence_claimants
from summarizer.eval.runner import folder_bounds
from summarizer.schema import CasualtyClaim, Citation, Claim, DateValue, Dispute, IncidentBrief, Position

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "gold" / "tinzaouatene.yaml"
THRESHOLDS = ROOT / "evals" / "thresholds.toml"
SAMPLES = ROOT / "samples" / "tinzaouatene"
PERFECT = Path(__file__).parent / "fixtures" / "briefs" / "tinzaouatene_perfect.json"


@pytest.fixture(scope="module")
def gold() -> Gold:
    return load_gold(GOLD)


@pytest.fixture
def perfect() -> IncidentBrief:
    return IncidentBrief.model_validate_json(PERFECT.read_text(encoding="utf-8"))


def claim(brief: IncidentBrief, claim_id: str):
    return next(c for c in brief.claims if c.id == claim_id)


def source_id(brief: IncidentBrief, file_prefix: str) -> str:
    return next(s.id for s in brief.sources if s.path.startswith(file_prefix))


# The samples hold no off-topic distractor: that rate is undefined for them.
DEFINED = [m for m in RATE_METRICS if m != "distractors_flagged"]


def rates(scores) -> dict[str, float | None]:
    return {m: getattr(scores, m) for m in DEFINED}


def assert_only_lowers(scores, metric: str) -> None:
    """Every defined rate but ``metric`` is still 1.0: the flaw cost that metric alone."""
    others = {m: v for m, v in rates(scores).items() if m != metric}
    assert others == dict.fromkeys(others, 1.0)


# --------------------------------------------------------------------------- the perfect brief


def test_perfect_brief_scores_one_on_every_rate_and_has_no_unsupported_figures(perfect, gold):
    scores = score(perfect, gold)

    assert rates(scores) == {m: 1.0 for m in DEFINED}
    assert scores.distractors_flagged is None
    assert scores.unsupported_figures == 0
    assert scores.facts == (len(gold.facts), len(gold.facts))
    assert scores.casualties == (len(gold.casualties), len(gold.casualties))
    assert scores.disputes == (len(gold.disputes), len(gold.disputes))


def test_perfect_brief_sources_are_the_sample_files_with_their_real_sentences(perfect):
    for source in perfect.sources:
        text = (SAMPLES / source.path).read_text(encoding="utf-8")
        for sentence in source.sentences:
            assert text[sentence.start:sentence.end] == sentence.text
    assert sorted(s.path for s in perfect.sources) == sorted(p.name for p in SAMPLES.iterdir())


def test_wall_time_and_tokens_pass_through_from_diagnostics(perfect, gold):
    scores = score(perfect, gold)

    assert scores.seconds == 75.5  # extract 60.0 + consolidate 15.5
    assert (scores.calls, scores.prompt_tokens, scores.completion_tokens, scores.tokens) == (6, 3610, 286, 3896)


# --------------------------------------------------------------------------- each flaw costs its share


def test_dropping_the_only_claim_of_a_fact_lowers_fact_recall_by_exactly_one_over_n(perfect, gold):
    perfect.claims = [c for c in perfect.claims if c.id != "treaty"]
    n = len(gold.facts)

    scores = score(perfect, gold)

    assert scores.fact_recall == (n - 1) / n
    assert scores.missed_facts == ["mutual-defence-treaty"]
    assert_only_lowers(scores, "fact_recall")
    assert scores.unsupported_figures == 0


def test_citing_a_wrong_source_beside_the_right_one_halves_that_facts_attribution_precision(perfect, gold):
    routine = claim(perfect, "heli-routine")  # the army's "routine mission": only 001 says it
    routine.citations = [*routine.citations, Citation(source_id=source_id(perfect, "000"), sentences=(11,))]
    n = len(gold.facts)

    scores = score(perfect, gold)

    assert scores.attribution_precision == (n - 0.5) / n
    assert scores.attribution_recall == 1.0
    assert scores.fact_recall == 1.0
    assert scores.citation_validity == 1.0
    assert scores.unsupported_figures == 0


def test_citing_only_a_wrong_source_loses_that_facts_attribution_precision_and_recall(perfect, gold):
    claim(perfect, "heli-routine").citations = [Citation(source_id=source_id(perfect, "000"), sentences=(11,))]
    n = len(gold.facts)

    scores = score(perfect, gold)

    assert scores.attribution_precision == (n - 1) / n
    assert scores.attribution_recall == (n - 1) / n
    assert scores.fact_recall == 1.0


def test_swapped_claimant_on_a_casualty_row_makes_it_a_wrong_row_and_a_missed_claim(perfect, gold):
    army_toll = perfect.casualties[0]
    assert (army_toll.party, army_toll.figure, army_toll.claimant) == ("Malian soldiers", "two", "Malian army")
    army_toll.claimant = "CSP-PSD"
    m, rows = len(gold.casualties), len(perfect.casualties)

    scores = score(perfect, gold)

    assert scores.casualty_precision == (rows - 1) / rows
    assert scores.casualty_recall == (m - 1) / m  # no right row shows the army's own toll any more
    assert scores.missed_casualties == ["army-2-malian-soldiers-killed"]
    assert scores.wrong_casualty_rows == [
        "casualties[0] CSP-PSD: two Malian soldiers killed [000_4c4ab83dc6f2d891.txt, 001_a6fe8bb564ac4d9a.txt, "
        "002_806d93aceca79ae8.txt]: wrong claimant (gold: Malian army)"
    ]
    assert scores.casualty_claimant_accuracy == (m - 1) / m
    assert scores.wrong_claimants == ["army-2-malian-soldiers-killed: CSP-PSD"]
    assert scores.fact_claimant_accuracy == 1.0  # the claim "The Malian army said two soldiers..." still names the army


def test_missing_dispute_lowers_dispute_recall_by_exactly_one_over_k(perfect, gold):
    perfect.disputes = [d for d in perfect.disputes if "helicopter" not in d.question]
    k = len(gold.disputes)

    scores = score(perfect, gold)

    assert scores.dispute_recall == (k - 1) / k
    assert scores.missed_disputes == ["helicopter-crash-cause"]
    assert_only_lowers(scores, "dispute_recall")


def test_dispute_with_one_matching_position_is_not_shown(perfect, gold):
    helicopter = next(d for d in perfect.disputes if "helicopter" in d.question)
    helicopter.positions[1].statement = "It declined to comment."

    scores = score(perfect, gold)

    assert scores.missed_disputes == ["helicopter-crash-cause"]


def test_invented_number_counts_as_exactly_one_unsupported_figure(perfect, gold):
    claim(perfect, "equipment").statement = (
        "The CSP-PSD said 30 vehicles and a large amount of equipment and weapons were seized or damaged."
    )

    scores = score(perfect, gold)

    assert scores.unsupported_figures == 1
    assert scores.unsupported == ["claims[9] equipment: 30"]
    assert rates(scores) == {m: 1.0 for m in DEFINED}


def test_figure_cited_from_a_sentence_that_lacks_it_is_unsupported(perfect, gold):
    # "at least 17" is in 003 sentence 4, not in sentence 5.
    perfect.casualties[7].citations = [Citation(source_id=source_id(perfect, "003"), sentences=(5,))]

    scores = score(perfect, gold)

    assert scores.unsupported == ["casualties[7]: 17"]


def test_citation_to_a_sentence_that_does_not_exist_lowers_citation_validity_only(perfect, gold):
    total = score(perfect, gold).citations[1]
    claim(perfect, "heli-routine").citations = [Citation(source_id=source_id(perfect, "001"), sentences=(12, 99))]

    scores = score(perfect, gold)

    assert scores.citation_validity == (total - 1) / total
    assert scores.invalid_citations == [f"claims[36]: {source_id(perfect, '001')} [12, 99]"]
    assert scores.attribution_precision == 1.0


def test_citation_to_an_unknown_source_is_invalid_and_wrongly_attributed(perfect, gold):
    total = score(perfect, gold).citations[1]
    claim(perfect, "heli-routine").citations = [Citation(source_id="000000000000", sentences=(1,))]
    n = len(gold.facts)

    scores = score(perfect, gold)

    assert scores.citation_validity == (total - 1) / total
    assert scores.attribution_precision == (n - 1) / n


# --------------------------------------------------------------------------- matching rules


def test_terms_match_whole_words_ignoring_case_accents_and_hyphens():
    pattern = [[["two", "2"], ["soldiers", "troops"], ["killed", "dead", "died"]]]

    assert matches(pattern, "The army said 2 troops DIED.")
    assert not matches(pattern, "12 soldiers were killed")  # "2" is not a word of "12"
    assert matches([["Goita"]], "Colonel Assimi Goïta")
    assert matches([["al-Qaeda"]], "an organization connected to al Qaeda")
    assert matches([["obliterat*"]], "decisively obliterated")
    assert normalise("Mali’s  army—Wagner") == "mali's army wagner"


def test_claimant_resolves_to_the_gold_party_with_the_longest_matching_alias(gold):
    assert resolve_claimant("Russian military bloggers", gold) == {"military_bloggers"}
    assert resolve_claimant("the Malian military", gold) == {"mali_gov"}
    assert resolve_claimant("Islamist group linked to al-Qaeda", gold) == {"al_qaeda_group"}
    assert resolve_claimant("spokesman Mohamed Elmaouloud Ramadane", gold) == {"csp_psd"}
    assert resolve_claimant("someone else", gold) == set()
    assert resolve_claimant("a spokesman of the separatist coalition", gold) == {"csp_psd"}  # "X of Y": Y when X is none


def test_a_claimant_named_x_of_y_is_x_when_x_is_a_claimant():
    derna = load_gold(GOLD.parent / "derna.yaml")
    # By longest alias alone this was the eastern government ("eastern government" is longer than "interior ministry").
    resolved = resolve_claimant("The interior ministry of the eastern government", derna)
    assert "interior_ministry" in resolved and "eastern_gov" not in resolved
    assert resolve_claimant("the head of the eastern government", derna) == {"eastern_gov"}


def test_digits_and_number_words_are_the_same_figure_and_resolved_dates_are_not_figures():
    assert numbers_in("seven rebels") == numbers_in("7 rebels") == {"7"}
    assert numbers_in("at least twenty, dozens more, 1,000 fled") == {"20", "dozens", "1000"}
    # a number word before a scale word is one figure: "one hundred" is 100, not one (ogossagou, 2026-12-07)
    assert numbers_in("at least one hundred civilians, two thousand displaced") == {"100", "2000"}
    assert numbers_in("Fighting began on 25 July 2024 (2024-07-25).", skip_dates=True) == set()
    assert numbers_in("no one was killed") == set()


# --------------------------------------------------------------------------- reporting and thresholds


def test_perfect_brief_passes_the_repository_thresholds(perfect, gold):
    assert check_thresholds(score(perfect, gold), folder_bounds(load_thresholds(THRESHOLDS), "tinzaouatene")) == []


def test_thresholds_report_each_bound_missed(perfect, gold):
    perfect.claims = [c for c in perfect.claims if c.id != "treaty"]
    claim(perfect, "equipment").statement = "The CSP-PSD said 30 vehicles and weapons were seized."
    thresholds = {"min": {"fact_recall": 0.999, "dispute_recall": 0.5}, "max": {"unsupported_figures": 0}}

    failures = check_thresholds(score(perfect, gold), thresholds)

    assert failures == [
        "fact_recall 0.99 is below the minimum 0.999",
        "unsupported_figures 1 is above the maximum 0",
    ]


def test_thresholds_name_unknown_metrics_and_undefined_values(gold):
    empty = score(IncidentBrief.model_validate_json(PERFECT.read_text()).model_copy(
        update={"claims": [], "casualties": [], "summary": []}), gold)

    failures = check_thresholds(empty, {"min": {"fact_recal": 0.5, "attribution_precision": 0.5}})

    assert failures == [
        "unknown metric 'fact_recal' in [min]",
        "attribution_precision is undefined (nothing to measure) but has a [min] of 0.5",
    ]


def test_compare_shows_runs_side_by_side(perfect, gold):
    good = score(perfect, gold)
    perfect.disputes = []
    worse = score(perfect, gold)

    table = compare({"perfect": good, "no disputes": worse})

    assert isinstance(table, Table)
    assert [c.header for c in table.columns] == ["metric", "perfect", "no disputes"]
    row = list(table.columns[0].cells).index("dispute_recall")
    assert list(table.columns[1].cells)[row] == "1.00"
    assert list(table.columns[2].cells)[row] == "0.00"


# --------------------------------------------------------------------------- the gold file itself


def test_gold_covers_the_required_ground(gold):
    assert len(gold.facts) >= 25
    assert {d.id for d in gold.disputes} >= {
        "malian-soldiers-death-toll", "helicopter-crash-cause", "junta-year-of-power",
        "wagner-or-trainers", "rights-abuses",
    }
    assert sorted(s.file for s in gold.sources) == sorted(p.name for p in SAMPLES.iterdir())


def test_every_gold_casualty_figure_and_party_is_written_in_each_of_its_sources(gold):
    for casualty in gold.casualties:
        for file in casualty.sources:
            text = (SAMPLES / file).read_text(encoding="utf-8")
            assert matches(casualty.figure.forms, text), (casualty.id, file)
            assert matches(casualty.party.pattern, text), (casualty.id, file)


def test_gold_weekdays_agree_with_their_iso_dates(gold):
    for date in gold.dates:
        weekday = dt.date.fromisoformat(date.iso).strftime("%A")
        named = [d for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
                 if d.lower() in date.as_written.lower()]
        assert named in ([], [weekday]), (date.id, date.iso, weekday)


def test_gold_rejects_references_to_unknown_sources_and_claimants(gold):
    data = gold.model_dump()
    data["facts"][0]["sources"] = ["999_missing.txt"]
    data["facts"][0]["claimant"] = ["nobody"]

    with pytest.raises(ValueError, match="unknown source '999_missing.txt'.*unknown claimant 'nobody'"):
        Gold.model_validate(data)


# --------------------------------------------------------------------------- what a reader sees: precision


def test_a_row_that_counts_no_people_lowers_casualty_precision_and_nothing_else(perfect, gold):
    rows = len(perfect.casualties)
    perfect.casualties.append(CasualtyClaim(  # the army's "five targets successfully dealt with"
        party="army", metric="killed or captured", figure="five", low=5, high=5, claimant="Malian army",
        citations=[Citation(source_id=source_id(perfect, "003"), sentences=(14,))],
    ))

    scores = score(perfect, gold)

    assert scores.casualty_precision == rows / (rows + 1)
    assert scores.casualty_recall == 1.0
    assert scores.wrong_casualty_rows == [
        f"casualties[{rows}] Malian army: five army killed or captured [003_b097853508f3dbe4.txt]: "
        "no gold casualty claim has this figure and metric"
    ]


def test_a_right_figure_under_the_wrong_party_is_a_wrong_row(perfect, gold):
    wagner = next(c for c in perfect.casualties if c.figure == "at least 15")
    wagner.party = "army"  # the local official's Wagner toll, shown as the army's
    rows = len(perfect.casualties)

    scores = score(perfect, gold)

    assert scores.casualty_precision == (rows - 1) / rows
    assert scores.missed_casualties == ["official-15-wagner-killed-or-captured"]
    assert scores.wrong_casualty_rows[0].endswith("wrong party (gold: Wagner fighters)")


def test_a_named_claimant_on_a_narrated_sentence_lowers_claimant_accuracy_though_it_matches_no_fact(perfect, gold):
    judged = score(perfect, gold).claimants[1]
    perfect.claims.append(Claim(  # 001 sentence 3 is the reporter's background: nobody is quoted
        id="junta-background", kind="background", claimant="Mali's armed forces and allied Russian mercenaries",
        statement="Mali's military rulers, led by Colonel Assimi Goita, took power in 2020.", status="single-source",
        citations=[Citation(source_id=source_id(perfect, "001"), sentences=(3,))], independent_sources=1,
    ))

    scores = score(perfect, gold)

    assert scores.claimants == (judged, judged + 1)
    assert scores.claimant_accuracy == judged / (judged + 1)
    assert scores.wrong_item_claimants == [
        f"claims[{len(perfect.claims) - 1}] junta-background: \"Mali's armed forces and allied Russian mercenaries\", "
        "gold: reporter"
    ]
    assert scores.fact_claimant_accuracy == 1.0  # the fact scorer never sees it: no gold fact is "took power"


def test_reporter_on_a_quoted_statement_is_a_wrong_claimant(perfect, gold):
    claim(perfect, "statement-sunday").claimant = "reporter"  # "... said a statement by ... Ramadane"

    scores = score(perfect, gold)

    assert scores.claimant_accuracy == (scores.claimants[1] - 1) / scores.claimants[1]
    assert scores.wrong_item_claimants[0].startswith("claims[")
    assert scores.wrong_item_claimants[0].endswith("statement-sunday: 'reporter', gold: CSP-PSD")


def test_a_dispute_between_one_claimant_and_itself_lowers_dispute_precision_not_recall(perfect, gold):
    k = len(perfect.disputes)
    army = source_id(perfect, "003")
    perfect.disputes.append(Dispute(question="How many army were killed or captured?", kind="figure", positions=[
        Position(claimant="Malian army", statement="five", citations=[Citation(source_id=army, sentences=(14,))]),
        Position(claimant="Malian army", statement="at least 15",
                 citations=[Citation(source_id=source_id(perfect, "000"), sentences=(14,))]),
    ]))

    scores = score(perfect, gold)

    assert scores.dispute_precision == k / (k + 1)
    assert scores.dispute_recall == 1.0
    assert scores.wrong_disputes == [
        f"disputes[{k}] 'How many army were killed or captured?' (Malian army vs Malian army): "
        "one side matches a gold position"  # "five" (targets) is the army's side of who prevailed, alone
    ]


def test_a_dispute_side_with_the_wrong_claimant_makes_the_dispute_wrong(perfect, gold):
    helicopter = next(d for d in perfect.disputes if "helicopter" in d.question)
    helicopter.positions[0].claimant = "Malian army"  # "we shot it down", given to the army

    scores = score(perfect, gold)

    assert scores.dispute_precision == (len(perfect.disputes) - 1) / len(perfect.disputes)
    assert scores.dispute_recall == 1.0  # recall reads the statements only


def test_one_actor_under_two_party_names_raises_actor_fragmentation(perfect, gold):
    before = score(perfect, gold)
    perfect.casualties[1].party = "military junta"  # the army's 10 wounded, under another name

    scores = score(perfect, gold)

    assert "military junta" in scores.party_names["mali_army"]
    assert len(scores.party_names["mali_army"]) == len(before.party_names["mali_army"]) + 1
    assert scores.actor_fragmentation == before.actor_fragmentation + 1 / len(before.party_names)
    assert scores.casualty_precision == 1.0  # the row is still right: "junta" is the army


def test_headline_rates_are_counted_per_report_language_and_pool_over_folders(perfect, gold):
    from summarizer.eval.runner import EvalResult, pooled, summary_json

    assert set(score(perfect, gold).by_language) == {"en"}  # the samples are all English
    fifth = "004_2120e10b01cfeea4.txt"
    french = gold.model_copy(update={"sources": [
        s.model_copy(update={"language": "fr"}) if s.file == fifth else s for s in gold.sources
    ]})
    rows_of_fifth = [r for r in perfect.casualties if any(c.source_id == source_id(perfect, "004") for c in r.citations)]
    only_fifth = next(r for r in rows_of_fifth if len(r.citations) == 1)
    only_fifth.claimant = "Malian army"  # e.g. the CSP's "several Malians and Russians", now the army's

    scores = score(perfect, french)

    fr, en = scores.by_language["fr"], scores.by_language["en"]
    assert fr.casualty_rows == (len(rows_of_fifth) - 1, len(rows_of_fifth))
    assert en.casualty_rows == (en.casualty_rows[1], en.casualty_rows[1])  # rows of the English reports: all right
    assert fr.casualty_rows[1] + en.casualty_rows[1] > len(perfect.casualties)  # a row citing both counts in both
    assert fr.rates()["casualty_precision"] < 1.0 == en.rates()["casualty_precision"]
    assert fr.claimants[0] < fr.claimants[1] and en.claimants[0] == en.claimants[1]

    total = pooled([scores, scores])
    assert total.by_language["fr"].casualty_rows == (2 * fr.casualty_rows[0], 2 * fr.casualty_rows[1])
    written = json.loads(summary_json([EvalResult(folder="a", gold="a.yaml", pipeline=scores, pipeline_brief=None)]))
    assert written["by_language"]["fr"]["rates"]["casualty_precision"] == fr.rates()["casualty_precision"]
    assert list(written["by_language"]) == ["en", "fr"]


def test_an_on_topic_report_flagged_off_topic_lowers_on_topic_kept(perfect, gold):
    next(s for s in perfect.sources if s.path.startswith("002")).flags.append("off-topic")

    scores = score(perfect, gold)

    assert scores.on_topic_kept == 4 / 5
    assert scores.dropped_on_topic == ["002_806d93aceca79ae8.txt"]
    assert scores.distractors_flagged is None  # the samples hold no distractor


def test_a_day_no_report_states_lowers_date_precision(perfect, gold):
    days = score(perfect, gold).dates_shown[1]
    perfect.when.dates.append(DateValue(as_written="Monday", iso="2024-07-29", precision="day"))

    scores = score(perfect, gold)

    assert scores.date_precision == days / (days + 1)
    assert scores.wrong_dates == ["2024-07-29"]
    assert scores.date_recall == 1.0


def test_sentence_labels_follow_the_pipelines_segmentation_not_the_reviewers():
    labels = [GoldSentence(claimant=["reporter"], snippet="Fighting broke out on"),
              GoldSentence(claimant=["army"], snippet="The army said that"),
              GoldSentence(claimant=["rebels"], snippet="The rebels said")]
    # The segmenter split the army's sentence in two and joined the rebels' to the one before.
    sentences = [(1, "Fighting broke out on Thursday."), (2, "The army said that two soldiers died;"),
                 (3, "ten were wounded. The rebels said seven.")]

    assert sentence_claimants(labels, sentences) == {1: {"reporter"}, 2: {"army"}, 3: {"army", "rebels"}}


def test_check_gold_reports_a_snippet_not_written_in_its_file(gold):
    labels = gold.sentences["000_4c4ab83dc6f2d891.txt"]
    labels.append(GoldSentence(claimant=["reporter"], snippet="A sentence no report holds"))

    assert check_gold(gold, SAMPLES) == [
        "000_4c4ab83dc6f2d891.txt: snippet 'A sentence no report holds' occurs 0 times (must be once)"
    ]


def test_every_gold_file_of_the_dev_set_is_written_where_it_says():
    for path in sorted((ROOT / "evals" / "gold").glob("*.yaml")):
        labels = load_gold(path)
        assert check_gold(labels, ROOT / labels.folder) == [], path.name
        assert labels.sentences, f"{path.name}: no sentence labels"


@pytest.mark.parametrize(("summary", "unsupported"), [
    ("More than 100 people died.", []),  # the cited French sentence writes it "cent"
    ("More than 200 people died.", ["200"]),
])
def test_a_figure_a_cited_french_sentence_writes_in_words_is_supported(perfect, gold, summary, unsupported):
    from summarizer.schema import SummarySentence
    source = next(s for s in perfect.sources if s.path.startswith("000"))
    source.sentences[0].text = "Le bilan dépasse désormais cent morts, selon les autorités."
    perfect.summary.append(SummarySentence(text=summary, citations=[Citation(source_id=source.id, sentences=(source.sentences[0].n,))]))

    scores = score(perfect, gold)

    assert [u.rsplit(": ", 1)[1] for u in scores.unsupported] == unsupported
