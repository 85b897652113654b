"""A casualty row as code reads it around the model's answer: whose dead the sentence names
beside the figure, in the sentence that writes the figure, and who the sentence says gives it.
The model (in-process) answers each figure call with what a small model was seen to answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fake_model import FakeModel

from summarizer import summarize
from summarizer.text.parties import party_is_a_speaker, party_read_beside


def brief_of(tmp_path: Path, text: str, figures: dict[str, list[dict]]):
    """The brief of one report, the model answering each figure call by a fragment of its sentence."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text("Flood and fighting\n\nNorthern Courier\n\n" + text)

    def answer(name: str, body: dict) -> dict:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if name == "ClaimsResponse":
            return {"notes": [{"n": 1, "kind": "event", "by": "reporter", "when": None}] * 3}
        if name == "SentenceCasualties":
            asked = re.search(r'Sentence: "\[\d+\] (.*)"', user)[1]
            return {"figures": next((f for key, f in figures.items() if key in asked), [])}
        if name == "DisagreementCheck":
            return {"question": "none", "disagree": False, "kind": "other"}
        if name == "PairCheck":
            return {"answer": "no"}
        return {"summary": [{"text": "A report.", "claims": [1]}] * 2, "title": "Flood", "incident_type": "flood", "places": []}

    fake = FakeModel(answer)
    return summarize(folder, base_url=fake.base_url, model="scripted", store=tmp_path / "runs.db", chat_model=fake)


def rows(brief) -> set[tuple[str, str, str, str]]:
    return {(c.party, c.metric, c.figure, c.claimant) for c in brief.casualties}


def test_a_party_that_is_the_body_giving_the_figure_becomes_whom_the_sentence_counts(tmp_path):
    brief = brief_of(tmp_path, "A spokesman for the health ministry said 340 people had died in the floods.", {
        "340 people": [{"by": "A spokesman", "party": "health ministry", "metric": "killed", "figure": "340"}]})
    assert {r[:3] for r in rows(brief)} == {("people", "killed", "340")}


def test_a_party_the_sentence_does_not_write_gives_way_to_the_noun_it_counts_with_whose_they_are(tmp_path):
    brief = brief_of(tmp_path, "A local official said the army withdrew with at least 15 fighters from the Northern Legion killed.", {
        "15 fighters": [{"by": "A local official", "party": "army fighters", "metric": "killed", "figure": "at least 15"}]})
    assert {r[0] for r in rows(brief)} == {"fighters from the Northern Legion"}


def test_a_figure_of_the_sentence_before_is_read_and_cited_where_it_is_written(tmp_path):
    text = ("Officials said 145 Egyptian victims had been killed in the flood. "
            "Three children were also killed, the ministry said.")
    brief = brief_of(tmp_path, text, {
        "145 Egyptian": [{"by": "Officials", "party": "Egyptian victims", "metric": "killed", "figure": "145"}],
        "Three children": [{"by": "the ministry", "party": "children", "metric": "killed", "figure": "Three"},
                           {"by": "Officials", "party": "victims", "metric": "killed", "figure": "145"}]})
    workers = [c for c in brief.casualties if c.figure == "145"]
    assert [c.party for c in workers] == ["Egyptian victims"]  # one row, not a second one for "victims"
    (sentence,) = {n for c in workers for x in c.citations for n in x.sentences}
    assert "145" in brief.sources[0].sentences[sentence - 1].text


def test_a_figure_of_the_sentence_before_keeps_the_speaker_that_sentence_names(tmp_path):
    # The model, asked about the second sentence, also lists the first one's figure with the
    # second one's speaker: the row is the first sentence's, with the speaker it names.
    text = ("Le bilan officiel de la police s'établit à neuf morts. "
            "L'hôpital régional a reçu onze blessés, a indiqué son directeur.")
    brief = brief_of(tmp_path, text, {
        "neuf morts": [{"by": "police", "party": "people", "metric": "killed", "figure": "neuf"}],
        "onze blessés": [{"by": "son directeur", "party": "people", "metric": "wounded", "figure": "onze"},
                         {"by": "son directeur", "party": "people", "metric": "killed", "figure": "neuf"}]})
    assert {(c.figure, c.claimant) for c in brief.casualties if c.figure == "neuf"} == {("neuf", "police")}


def test_a_figure_listed_again_from_a_sentence_with_its_own_call_is_dropped_and_counted(tmp_path):
    # Asked about the second sentence, the model lists the first one's figure with the first one's
    # subject for claimant; the first sentence's own call gives the row, with its speaker.
    text = ("Ten rebels were killed in the strike, the ministry said. "
            "Troops later put thirteen fighters out of action, the minister said.")
    brief = brief_of(tmp_path, text, {
        "Ten rebels": [{"by": "the ministry", "party": "rebels", "metric": "killed", "figure": "Ten"}],
        "thirteen": [{"by": "Ten rebels", "party": "rebels", "metric": "killed", "figure": "Ten"},
                     {"by": "the minister", "party": "fighters", "metric": "killed", "figure": "thirteen"}]})
    assert {(c.figure, c.metric, c.claimant) for c in brief.casualties} == {
        ("Ten", "killed", "the ministry"), ("thirteen", "killed or captured", "the minister")}
    assert [d.reason for d in brief.diagnostics.dropped if d.what == "casualty: Ten"] == [
        "figure of sentence [1], which its own figure call reads"]


def test_a_figure_the_model_missed_is_a_row_where_the_sentence_says_what_whose_and_who(tmp_path):
    text = ("On Friday, Abduljalil announced that his ministry alone would issue figures, and gave a registered toll of 3,166. "
            "Some 40 houses burned in the old town, the mayor said. "
            "About 200 people died in the valley.")
    brief = brief_of(tmp_path, text, {"3,166": [{"by": "Red Crescent", "party": "voices", "metric": "killed",
                                                 "figure": "never explained"}]})
    # the toll, with the speaker the sentence names; no row for houses, none for a figure nobody gives
    assert rows(brief) == {("people", "killed", "3,166", "Abduljalil")}


def test_a_part_of_a_toll_is_a_row_but_no_side_of_a_dispute_over_how_many(tmp_path):
    hospital = ("A medical source in the town reported some fifty wounded admitted to its hospital. "
                "The UN mission said 65 people were wounded.")
    brief = brief_of(tmp_path, hospital, {
        "fifty": [{"by": "A medical source", "party": "people", "metric": "wounded", "figure": "some fifty"}],
        "65": [{"by": "The UN mission", "party": "people", "metric": "wounded", "figure": "65"}]})
    assert {(c.figure, c.claimant) for c in brief.casualties} == {("some fifty", "A medical source"), ("65", "The UN mission")}
    assert [d for d in brief.disputes if d.kind == "figure"] == []

    toll = hospital.replace(" admitted to its hospital", "")
    other = tmp_path / "other"
    other.mkdir()
    brief = brief_of(other, toll, {
        "fifty": [{"by": "A medical source", "party": "people", "metric": "wounded", "figure": "some fifty"}],
        "65": [{"by": "The UN mission", "party": "people", "metric": "wounded", "figure": "65"}]})
    [dispute] = [d for d in brief.disputes if d.kind == "figure"]
    assert [p.claimant for p in dispute.positions] == ["A medical source", "The UN mission"]


def test_a_toll_the_figure_closes_gives_its_metric_over_the_models(tmp_path):
    # The model's "killed or captured" for a death toll, and "missing" for the dead when the
    # sentence's other figure is of the missing: the toll's own word decides; a figure after a
    # toll of another figure keeps the word after it.
    text = ("The regional council put the death toll at 2,150 on Friday. "
            "A relief official said the dead had passed 900 and that about 4,000 people were missing. "
            "El balance oficial era de 300 muertos, con 120 personas aún desaparecidas.")
    brief = brief_of(tmp_path, text, {
        "2,150": [{"by": "regional council", "party": "people", "metric": "killed or captured", "figure": "2,150"}],
        "900": [{"by": "A relief official", "party": "people", "metric": "missing", "figure": "900"}],
        "300 muertos": [{"by": "reporter", "party": "personas", "metric": "killed", "figure": "120"}]})
    # (the official's "about 4,000" missing, which the model did not list, code reads whole: what, whose, who)
    assert {(c.figure, c.metric) for c in brief.casualties} == {
        ("2,150", "killed"), ("900", "killed"), ("about 4,000", "missing"), ("120", "missing")}


def test_a_toll_named_as_a_bodys_is_that_bodys_whoever_spoke_before(tmp_path):
    text = ("The regional council put the death toll at 2,150 on Friday. "
            "Before that, the toll used by the city's doctors was 700.")
    brief = brief_of(tmp_path, text, {
        "2,150": [{"by": "regional council", "party": "people", "metric": "killed", "figure": "2,150"}],
        "700": [{"by": "regional council", "party": "people", "metric": "killed", "figure": "700"}]})
    assert {(c.figure, c.claimant) for c in brief.casualties} == {
        ("2,150", "regional council"), ("700", "the city's doctors")}


def test_the_figures_of_one_sentence_share_the_speaker_it_names_over_one_of_the_sentence_before(tmp_path):
    text = ("Des proches des victimes, interrogés par une agence de presse, parlent de trente morts. "
            "Le préfet de la région, Jean Dupuis, a évoqué quelque 20 morts et 45 blessés.")
    brief = brief_of(tmp_path, text, {
        "trente morts": [{"by": "Des proches des victimes", "party": "people", "metric": "killed", "figure": "trente"}],
        "45 blessés": [{"by": "Le préfet de la région", "party": "people", "metric": "killed", "figure": "20"},
                       {"by": "agence de presse", "party": "people", "metric": "wounded", "figure": "45"}]})
    assert {(c.figure, c.claimant) for c in brief.casualties if c.figure != "trente"} == {
        ("quelque 20", "Le préfet de la région"), ("45", "Le préfet de la région")}


def test_a_claimant_turned_into_english_from_the_sentence_gives_way_to_the_speaker_it_names(tmp_path):
    brief = brief_of(tmp_path, "L'armée a bombardé un camp mardi, tuant dix combattants, selon le ministère de la Défense.", {
        "dix combattants": [{"by": "army", "party": "combattants", "metric": "killed", "figure": "dix"}]})
    assert {r[3] for r in rows(brief)} == {"le ministère de la Défense"}


def test_offices_and_bodies_are_no_party_and_named_people_after_a_figure_are():
    assert party_is_a_speaker("health ministry") and party_is_a_speaker("secretary general of the federation")
    assert party_is_a_speaker("porte-parole du gouvernement") and party_is_a_speaker("Instituto")
    assert not party_is_a_speaker("soldiers of the army") and not party_is_a_speaker("Red Crescent volunteers")
    sentence = "According to its secretary general, three Libyan Red Crescent volunteers were among the dead."
    assert party_read_beside("three", sentence) == "Libyan Red Crescent volunteers"
    assert party_read_beside("20", "Officials said 20 Wagner personnel died.") == "Wagner personnel"


def test_two_groups_joined_after_a_figure_are_its_party_together():
    sentence = "The group said it killed 50 Russians and 10 Malian soldiers, while the coalition claimed several Malians and Russians."
    assert party_read_beside("several", sentence) == "Malians and Russians"
    assert party_read_beside("10", sentence) == "Malian soldiers"
    assert party_read_beside("dix", "Selon l'armée, dix civils et militaires ont été tués.") == "civils et militaires"
    assert party_read_beside("Two", "Two soldiers and three civilians died.") == "soldiers"  # two figures, two parties


def test_a_party_is_not_merged_into_two_parties_joined_with_it():
    from summarizer.stages.consolidate.names import canonical_names

    parties = canonical_names(["Russians", "Malians and Russians", "soldiers", "Malian soldiers"], specific=True)
    assert parties["russians"] == "Russians" and parties["malians and russians"] == "Malians and Russians"
    assert parties["soldiers"] == "Malian soldiers"  # one more specific name of one party still is
    names = canonical_names(["CSP", "CSP-PSD", "CSP-PSD", "Framework for Peace, Security and Development (CSP-PSD)"])
    assert names["csp"] == names["framework for peace, security and development (csp-psd)"] == "CSP-PSD"


def test_the_embedded_model_is_not_asked_about_a_sentence_that_says_every_figures_what_whose_and_who(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "Clashes in the north\n\nNorthern Courier\n\n"
        "Fighting broke out near the border on Friday. "
        "Two soldiers were killed and five wounded, the army said. "
        "A statement by the rebel command followed. "
        "Seven fighters died in the clashes, it said.")
    seen: list[str] = []

    def answer(name: str, body: dict) -> dict:
        if name == "SentenceCasualties":
            user = next(m["content"] for m in body["messages"] if m["role"] == "user")
            seen.append(re.search(r'Sentence: "\[\d+\] (.*)"', user)[1])
            return {"figures": [{"by": "rebel command", "party": "fighters", "metric": "killed", "figure": "Seven"}]}
        if name == "PairCheck":
            return {"answer": "no"}
        return {"title": "Clashes", "incident_type": "clash", "summary": [1, 2], "places": []}

    embedded = FakeModel(answer)
    brief = summarize(folder, store=tmp_path / "runs.db", chat_model=embedded)

    assert brief.diagnostics.model.startswith("embedded:")
    assert seen == ["Seven fighters died in the clashes, it said."]  # "it" is whoever the sentences before name
    assert rows(brief) == {("soldiers", "killed", "Two", "the army"), ("soldiers", "wounded", "five", "the army"),
                           ("fighters", "killed", "Seven", "rebel command")}


def test_a_figure_two_verbs_give_is_a_row_for_each_metric(tmp_path):
    text = "A jihadist group claimed to have killed 12 soldiers, while the coalition claimed to have killed and wounded several militiamen."
    brief = brief_of(tmp_path, text, {
        "several": [{"by": "A jihadist group", "party": "soldiers", "metric": "killed", "figure": "12"},
                    {"by": "the coalition", "party": "militiamen", "metric": "killed", "figure": "several"}]})
    assert {(c.metric, c.figure) for c in brief.casualties} == {("killed", "12"), ("killed", "several"), ("wounded", "several")}


def test_the_party_of_n_others_is_read_after_the_word_other():
    assert party_read_beside("three", "Three other soldiers were wounded.") == "soldiers"
    assert party_read_beside("deux", "Deux autres civils sont morts.") == "civils"
    assert party_read_beside("40", "Some 40 other houses burned.") is None
    # members of a group no name says is no party (tests/test_figures.py): "autres" changes nothing there
    assert party_read_beside("Trois", "Trois autres membres du groupe, blessés, ont été faits prisonniers.") is None


@pytest.mark.parametrize(("figure", "sentence", "party"), [
    ("At least one", "At least one of the dead was a minor, according to the girl's father.", "minor"),
    ("Two", "Two of the dead were soldiers, the army said.", "soldiers"),
    ("Tres", "Tres de los muertos eran menores, según la Fiscalía.", "menores"),
    ("deux", "Selon la mairie, deux des victimes étaient des enfants.", "enfants"),
    ("Two", "Two of the dead were found in the river.", None),  # where, not who
    ("One", "One of the dead was a Canadian, officials said.", None),  # no noun for people code knows
])
def test_a_part_of_the_dead_is_the_people_it_is_said_to_be(figure, sentence, party):
    assert party_read_beside(figure, sentence) == party


@pytest.mark.parametrize(("figure", "sentence", "party"), [
    ("about 170", "The storm killed about 170 more people in other towns, according to the health minister.", "people"),
    ("Two", "Two more soldiers died in hospital, the army said.", "soldiers"),
    ("three", "Three additional rescuers were killed.", "rescuers"),
    ("Trois", "Trois autres civils ont été tués.", "civils"),
])
def test_the_people_of_a_figure_that_adds_to_a_toll_are_read_past_more_and_other(figure, sentence, party):
    assert party_read_beside(figure, sentence) == party
