"""Disputes over who the dead were (stages/consolidate/victims.py): code proposes a civilians row
against a fighters row of another voice, the model confirms, each side is its sentence's words.
The model is the in-process fake (tests/fake_model.py) at the LLM seam."""

from __future__ import annotations

import re

from fake_model import FakeModel

from summarizer.llm.client import LLM
from summarizer.llm.endpoint import Endpoint
from summarizer.schema import CasualtyClaim, Citation
from summarizer.stages.consolidate.victims import victim_disputes, victim_pairs
from summarizer.stages.load import from_text
from summarizer.stages.segment import segment
from summarizer.text.numbers import parse_figure

FRENCH = [
    "Au moins 130 civils ont été tués samedi à Barsa par des assaillants, selon les habitants.",
    "Dans un communiqué, le groupe affirme avoir tué 80 miliciens et non des civils.",
    "Le groupe a perdu trois combattants, a-t-il dit.",
]
SPANISH = [
    "Medicina Legal confirmó que dos menores murieron en el bombardeo del campamento.",
    "El ministro dijo que en el bombardeo murieron diez disidentes, un objetivo legítimo.",
]


def row(party: str, figure: str, claimant: str, article, n: int) -> CasualtyClaim:
    low, high, qualifier = parse_figure(figure, article.article.language)
    return CasualtyClaim(party=party, metric="killed", figure=figure, low=low, high=high, qualifier=qualifier,
                         claimant=claimant, citations=[Citation(source_id=article.article.id, sentences=(n,))])


def rows_of(sentences: list[str], spec: list[tuple[str, str, str]]):
    articles = [segment(from_text(s)) for s in sentences]
    return articles, [row(party, figure, by, articles[i], 1) for i, (party, figure, by) in enumerate(spec)]


def test_civilians_counted_by_one_voice_and_fighters_by_another_are_proposed_in_two_languages():
    articles, rows = rows_of(FRENCH, [("civilians", "Au moins 130", "residents"), ("militiamen", "80", "the group"),
                                      ("fighters", "trois", "the group")])
    pairs = victim_pairs(rows, articles)
    # "trois combattants" is no count of 130 dead: not of one order
    assert [(a.party, b.party) for a, b in pairs] == [("civilians", "militiamen")]
    articles, rows = rows_of(SPANISH, [("menores", "dos", "Medicina Legal"), ("disidentes", "diez", "El ministro")])
    assert [(a.party, b.party) for a, b in victim_pairs(rows, articles)] == [("menores", "disidentes")]


def test_no_pair_where_a_count_is_no_number_or_another_order_of_dead():
    sentences = ["The group said scores of civilians had been killed by a drone.", "Seven rebels were killed, the coalition said.",
                 "The army said 20 fighters were killed."]
    articles, rows = rows_of(sentences, [("civilians", "scores of", "the group"), ("rebels", "Seven", "the coalition"),
                                         ("fighters", "20", "the army")])
    assert victim_pairs(rows, articles) == []
    articles, rows = rows_of(SPANISH, [("menores", "dos", "Medicina Legal"), ("disidentes", "diez", "El ministro")])
    rows[1].low = rows[1].high = 40
    assert victim_pairs(rows, articles) == []


def test_no_pair_within_one_voice_or_from_the_reports_own_voice():
    articles, rows = rows_of(FRENCH[:2], [("civilians", "Au moins 130", "the group"), ("militiamen", "80", "the group")])
    assert victim_pairs(rows, articles) == []
    articles, rows = rows_of(FRENCH[:2], [("civilians", "Au moins 130", "residents"), ("militiamen", "80", "reporter")])
    assert victim_pairs(rows, articles) == []


def plain_reading(name: str, body: dict) -> dict:
    """A small model's plain reading: the same dead, named apart, when B says A's word is wrong ("et non des civils")."""
    assert name == "PairCheck"
    text = body["messages"][-1]["content"]
    second = re.search(r"^Sentence B \(by .*?\): (.*)$", text, re.M)[1]
    return {"answer": "yes" if re.search(r"\b(?:et non|not|no) (?:des )?civil", second) else "no"}


def test_the_model_confirms_each_pair_and_each_side_is_its_sentence_with_its_claimant(tmp_path):
    articles, rows = rows_of(FRENCH, [("civils", "Au moins 130", "residents"), ("miliciens", "80", "the group"),
                                      ("combattants", "trois", "the group")])
    refused = FakeModel(lambda name, body: {"answer": "no"})
    llm = LLM(Endpoint(model="scripted", base_url=refused.base_url), chat_model=refused, cache=False)
    assert victim_disputes(rows, articles, llm)[0] == []  # what the model does not confirm is not shown
    fake = FakeModel(plain_reading)
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    disputes, usage = victim_disputes(rows, articles, llm, language="fr")
    assert len(fake.requests_for("PairCheck")) == 1
    assert [d.question for d in disputes] == ["Qui étaient les morts : civils ou miliciens ?"]
    positions = disputes[0].positions
    assert [(p.claimant, p.statement) for p in positions] == [("residents", FRENCH[0]), ("the group", FRENCH[1])]
    assert disputes[0].kind == "characterisation"
    assert victim_disputes(rows, articles, None) == ([], usage.__class__())  # without a model, none shown


def test_confirmed_pairs_that_share_a_row_are_one_dispute_with_every_position():
    sentences = [SPANISH[0], SPANISH[1], "Le ministre a dit que dix dissidents sont morts dans le bombardement."]
    articles, rows = rows_of(sentences, [("menores", "dos", "Medicina Legal"), ("disidentes", "diez", "El ministro"),
                                         ("dissidents", "dix", "le ministre")])
    fake = FakeModel(lambda name, body: {"answer": "yes"})
    llm = LLM(Endpoint(model="scripted", base_url=fake.base_url), chat_model=fake, cache=False)
    disputes, _ = victim_disputes(rows, articles, llm, language="es")
    assert len(fake.requests_for("PairCheck")) == 2
    assert [d.question for d in disputes] == ["¿Quiénes eran los muertos: menores o disidentes?"]
    assert [p.claimant for p in disputes[0].positions] == ["Medicina Legal", "El ministro", "le ministre"]
