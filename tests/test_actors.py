"""The incident's actors (stages/consolidate/actors.py): which names are one party, and the sides
code can read, on reports in the styles of two dev folders and in three languages."""

from __future__ import annotations

import pytest

from summarizer.stages.consolidate.actors import incident_actors
from summarizer.stages.consolidate.names import canonical_names
from summarizer.stages.load import from_text
from summarizer.stages.segment import segment
from summarizer.text.nations import nation_of


def actors_of(texts: list[str], claimants: list[str], parties: list[str]):
    articles = [segment(from_text(t)) for t in texts]
    return incident_actors(canonical_names(claimants + parties), canonical_names(parties, specific=True), articles)


def by_name(found) -> dict[str, object]:
    return {a.name: a for a in found.actors}


@pytest.mark.parametrize("word, country", [
    ("Malian", "ML"), ("Mali's", "ML"), ("maliennes", "ML"), ("Burkinabe", "BF"), ("burkinabè", "BF"),
    ("colombiano", "CO"), ("colombienne", "CO"), ("Colombian", "CO"), ("Libyan", "LY"), ("libyens", "LY"),
    ("Nigerian", "NG"), ("Nigerien", "NE"), ("égyptiens", "EG"), ("Sudanese", "SD"),
    ("army", None), ("Wagner", None), ("Peuls", None), ("French", None), ("human", None), ("coalition", None),
])
def test_a_word_names_a_country_by_its_name_or_a_demonym_in_any_language_read(word, country):
    assert nation_of(word) == country


def test_one_countrys_forces_are_one_actor_whatever_the_reports_call_them_and_its_junta_stays_its_own():
    found = actors_of(
        ["The separatist coalition said it killed 10 Malian soldiers near the border with Algeria in Mali.",
         "The Malian army said two soldiers died in Mali. Mali's military junta denied the rebels' claims.",
         "The Malian military said 10 were hurt."],
        ["The Malian army", "Mali's military junta", "the Malian military", "the separatist coalition"],
        ["Malian soldiers", "soldiers"],
    )
    assert {found.names[w] for w in ("the malian army", "the malian military", "malian soldiers", "soldiers")} == {
        "Malian army"}
    # its casualty rows count its people, under one name
    assert found.parties["malian soldiers"] == found.parties["soldiers"] == "Malian soldiers"
    actors = by_name(found)
    assert set(actors["Malian army"].aliases) >= {"malian soldiers", "the malian military"}
    # The junta is the government, not the army: another folder's gold keeps them apart; both are on one side.
    assert found.names["mali's military junta"] == "Mali's military junta"
    assert actors["Malian army"].side == actors["Mali's military junta"].side == "government"
    assert actors["the separatist coalition"].side == "separatist"


def test_forces_named_without_their_country_join_it_only_where_one_countrys_forces_are_named():
    text = ["Les militaires maliens ont riposté. L'armée a perdu trois soldats au Mali."]
    alone = actors_of(text, ["l'armée malienne", "l'armée"], ["les militaires maliens", "soldats"])
    assert alone.names["l'armée"] == alone.names["soldats"] == alone.names["l'armée malienne"]
    two = ["Malian soldiers and Burkinabe troops fought in Mali; the military lost three soldiers."]
    both = actors_of(two, ["the Malian army", "the military"], ["Malian soldiers", "Burkinabe troops"])
    assert both.names["the military"] == "the military"  # whose: code cannot tell
    assert both.parties["burkinabe troops"] != both.parties["malian soldiers"]


def test_the_forces_of_a_spanish_folder_are_one_actor_and_dissidents_are_an_armed_group():
    found = actors_of(
        ["El Ejército colombiano bombardeó un campamento de disidentes de las FARC en Guaviare, Colombia.",
         "Los militares dijeron que murieron diez disidentes."],
        ["el Ejército colombiano", "los militares", "Fuerza Aérea Colombiana"],
        ["disidentes de las FARC", "soldados"],
    )
    forces = {found.names[w] for w in ("el ejército colombiano", "los militares", "fuerza aérea colombiana")}
    assert forces == {"Ejército colombiano"}
    actors = by_name(found)
    assert "soldados" in actors["Ejército colombiano"].aliases
    assert actors["Ejército colombiano"].side == "government"
    assert actors[found.parties["disidentes de las farc"]].side == "armed group"


def test_civilians_are_one_party_but_a_people_of_somewhere_stays_its_own_and_a_flood_has_no_government_side():
    found = actors_of(
        ["Libyan officials said residents and civilians died in Derna, Libya, and Egyptian civilians too.",
         "Villagers fled; the Libyan army searched."],
        ["Libyan officials", "the Libyan army"],
        ["civilians", "residents", "villagers", "Egyptian civilians"],
    )
    assert found.parties["residents"] == found.parties["villagers"] == found.parties["civilians"] == "civilians"
    assert found.parties["egyptian civilians"] == "Egyptian civilians"
    actors = by_name(found)
    assert actors["civilians"].side == "civilians"
    assert actors["the Libyan army"].side is None  # no armed party's side is read: no "government"


def test_one_countrys_civilians_and_victims_are_one_party_in_two_languages_but_its_people_and_soldiers_are_not():
    found = actors_of(
        ["Libyan authorities said 145 Egyptian victims had been repatriated; Egypt said 87 bodies of Egyptian "
         "civilians came home. Sudanese victims were buried in Tobruk. Egyptians and Egyptian soldiers helped.",
         "Les autorités ont rapatrié les victimes égyptiennes; des civils égyptiens sont rentrés."],
        ["Libyan authorities", "Egypt"],
        ["Egyptian victims", "Egyptian civilians", "victimes égyptiennes", "Sudanese victims", "Egyptians",
         "Egyptian soldiers"],
    )
    egyptian = found.parties["egyptian civilians"]
    assert found.parties["egyptian victims"] == found.parties["victimes égyptiennes"] == egyptian
    assert found.parties["sudanese victims"] != egyptian  # another country's
    assert found.parties["egyptians"] != egyptian and found.parties["egyptian soldiers"] != egyptian


def test_a_sentence_saying_two_names_are_one_joins_them():
    found = actors_of(
        ["The coalition, known as CSP-PSD, said it lost seven men. The separatist coalition took prisoners.",
         "The Permanent Strategic Framework (CSP-PSD) spoke. A group, known as the CSP, said more."],
        ["the separatist coalition", "CSP-PSD", "Malian army"],
        ["rebels"],
    )
    assert found.names["the separatist coalition"] == found.names["csp-psd"]
    assert found.names["malian army"] == "Malian army"
    assert found.parties["rebels"] == "rebels"  # no sentence says the rebels are the coalition


def test_a_name_given_for_short_is_the_same_actor():
    found = actors_of(
        ["The rebel group, called the Permanent Strategic Framework, or CSP for short, denounced the strikes.",
         "The CSP said it won."],
        ["the Permanent Strategic Framework", "CSP"], [],
    )
    assert found.names["the permanent strategic framework"] == found.names["csp"]


def test_a_noun_for_people_is_one_actor_in_every_language_and_is_shown_in_the_briefs():
    texts = ["Diez disidentes murieron en el bombardeo.", "Ten dissidents died, the army said.",
             "Les dissidents ont perdu dix hommes ; des civils aussi."]
    articles = [segment(from_text(t)) for t in texts]
    parties = ["disidentes", "dissidents", "les dissidents", "civils"]
    names, specific = canonical_names(parties), canonical_names(parties, specific=True)
    english = incident_actors(names, specific, articles)
    assert {english.names[w] for w in ("disidentes", "dissidents", "les dissidents")} == {"dissidents"}
    assert english.names["civils"] == "civilians"
    both = incident_actors(*(lambda p: (canonical_names(p), canonical_names(p, specific=True)))(["civils", "habitants"]),
                           [segment(from_text("Des civils et des habitants sont morts."))])
    assert both.names["habitants"] == both.names["civils"] == "civilians"  # a civilians actor of French names
    french = incident_actors(names, specific, articles, "fr")
    assert french.names["civils"] == "civils" and french.names["disidentes"] == "dissidents"
    assert {a.name for a in french.actors} >= {"civils", "dissidents"}


def test_members_of_one_groups_part_are_one_party_in_two_languages_and_two_groups_stay_apart():
    parties = canonical_names(["integrantes de la estructura de Gentil Duarte", "membres de la structure de Gentil Duarte",
                               "integrantes de la disidencia de las FARC", "Wagner fighters", "fighters from Russia's Wagner Group"],
                              specific=True)
    assert parties["integrantes de la estructura de gentil duarte"] == parties["membres de la structure de gentil duarte"]
    assert parties["integrantes de la disidencia de las farc"] != parties["membres de la structure de gentil duarte"]
    assert parties["fighters from russia's wagner group"] == "Wagner fighters"


def test_a_name_and_its_acronym_in_brackets_are_one_actor_whatever_the_article():
    found = actors_of(
        ["Le Groupe de soutien à l'islam et aux musulmans (JNIM) a revendiqué l'attaque.", "Le JNIM dit avoir tué 300 miliciens.",
         "Le Collectif Justice pour Barsalogho (CJB) parle de 400 morts. Le collectif Justice pour Barsalogho accuse l'armée."],
        ["Le Groupe de soutien à l'islam et aux musulmans (JNIM)", "Le JNIM", "Le Collectif Justice pour Barsalogho (CJB)",
         "collectif Justice pour Barsalogho", "l'armée"], ["miliciens"])
    assert found.names["le jnim"] == found.names["le groupe de soutien à l'islam et aux musulmans (jnim)"]
    assert found.names["collectif justice pour barsalogho"] == found.names["le collectif justice pour barsalogho (cjb)"]
    assert len({found.names["le jnim"], found.names["collectif justice pour barsalogho"], found.names["l'armée"]}) == 3
