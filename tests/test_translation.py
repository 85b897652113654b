"""The brief's language and the translations beside quoted sentences.

A report in another language than the brief's keeps its sentences as written; each one the brief
cites gets a machine translation beside it, labelled, made once (kept in the run store) and
checked to hold the sentence's figures. Nothing is checked against a translation, and a brief
with translations has the same rows, claims and disputes as one without. The model (in-process)
translates from a table, and writes one translation with a figure changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_model import FakeModel
from rich.console import Console

from summarizer import summarize
from summarizer.cli import cli
from summarizer.errors import SettingError
from summarizer.render import print_terminal, to_html, to_markdown
from summarizer.settings import Settings
from summarizer.stages.translate import translation_problem

FRENCH = ("Massacre à Kelbé\n\nLe Courrier du Nord\n\n"
          "Au moins 37 villageois ont été tués lundi à Kelbé, selon le maire de la commune. "
          "L'armée a annoncé l'arrestation de 4 suspects mardi. "
          "Les habitants ont fui vers la ville voisine.")
ENGLISH = ("Kelbe attack\n\nNorthern Wire\n\n"
           "Gunmen killed 35 villagers in Kelbe on Monday, a regional governor said. "
           "The army said it had arrested four suspects. "
           "Residents fled to a nearby town.")
# What the model writes for each French sentence: the second changes a figure (4 -> 14).
TRANSLATIONS = {
    "Au moins 37 villageois": "At least 37 villagers were killed on Monday in Kelbé, according to the town's mayor.",
    "L'armée a annoncé": "The army announced the arrest of 14 suspects on Tuesday.",
    "Les habitants ont fui": "The residents fled to the neighbouring town.",
    # and, for a brief in French, the English report's
    "Gunmen killed 35": "Des hommes armés ont tué 35 villageois à Kelbe lundi, a déclaré un gouverneur régional.",
    "The army said": "L'armée a déclaré avoir arrêté quatre suspects.",
    "Residents fled": "Les habitants ont fui vers une ville voisine.",
}
FIGURES = {
    "37 villageois": [{"by": "le maire de la commune", "party": "villageois", "metric": "killed", "figure": "Au moins 37"}],
    "35 villagers": [{"by": "a regional governor", "party": "villagers", "metric": "killed", "figure": "35"}],
}


class Translator:
    """The model: reads each sentence, finds its figures, drafts a summary, and translates from the table."""

    def __call__(self, name: str, body: dict) -> dict:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if name == "ClaimsResponse":
            return {"notes": [{"n": n, "kind": "event", "by": "reporter", "when": None} for n in (1, 2, 3)]}
        if name == "SentenceCasualties":
            asked = re.search(r'Sentence: "\[\d+\] (.*)"', user)[1]
            return {"figures": next((f for key, f in FIGURES.items() if key in asked), [])}
        if name == "DisagreementCheck":
            return {"question": "none", "disagree": False, "kind": "other"}
        if name == "PairCheck":
            return {"answer": "no"}
        if name == "TranslationResponse":
            numbered = re.findall(r"^(\d+)\. (.*)$", user, re.M)
            return {"sentences": [{"n": int(n), "text": next(t for k, t in TRANSLATIONS.items() if k in text)}
                                  for n, text in numbered]}
        return {"summary": [{"text": "Gunmen killed villagers in Kelbe.", "claims": [1]}] * 2,
                "title": "Kelbe attack", "incident_type": "attack", "places": []}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "01_courrier.txt").write_text(FRENCH, encoding="utf-8")
    (reports / "02_wire.txt").write_text(ENGLISH, encoding="utf-8")
    return reports


def brief_of(folder: Path, store: Path, fake: FakeModel, **settings):
    return summarize(folder, base_url=fake.base_url, model="scripted", store=store, chat_model=fake, **settings)


def test_each_cited_french_sentence_gets_an_english_translation_that_keeps_its_figures(folder, tmp_path):
    fake = FakeModel(Translator())
    brief = brief_of(folder, tmp_path / "runs.db", fake)

    french, english = (next(s for s in brief.sources if s.language == code) for code in ("fr", "en"))
    kept = {t.sentence: t.text for t in french.translations}
    assert kept[1].startswith("At least 37 villagers") and kept[3].startswith("The residents fled")
    assert 2 not in kept  # "14 suspects" for "4 suspects": left out, and said why
    (dropped,) = [d for d in brief.diagnostics.dropped if d.what.startswith("translation")]
    assert dropped.source_id == french.id and "14" in dropped.reason and "4" in dropped.reason
    assert english.translations == []
    asked = " ".join(m["content"] for body in fake.requests_for("TranslationResponse") for m in body["messages"])
    assert "Gunmen" not in asked and "Au moins 37 villageois" in asked  # only the French report is sent
    assert brief.language == "en"


def test_translations_change_no_row_claim_or_dispute_and_are_made_once(folder, tmp_path):
    store = tmp_path / "runs.db"
    plain = brief_of(folder, store, FakeModel(Translator()), translate=False)
    assert all(s.translations == [] for s in plain.sources)

    again = FakeModel(Translator())
    translated = brief_of(folder, store, again)
    asked = {r.response_model.__name__ for r in again.requests}
    assert asked == {"TranslationResponse"}  # every other answer came from the run store
    for part in ("casualties", "casualty_ranges", "claims", "disputes", "summary", "title"):
        assert getattr(translated, part) == getattr(plain, part), part

    third = FakeModel(Translator())
    assert brief_of(folder, store, third).sources == translated.sources
    assert third.requests == []  # the translated brief is the store's, and so is every translation


def test_every_format_labels_a_translation_beside_its_sentence(folder, tmp_path):
    brief = brief_of(folder, tmp_path / "runs.db", FakeModel(Translator()))
    label = "machine translation from French"

    markdown = to_markdown(brief)
    assert re.search(r"“Au moins 37 villageois[^”]*” \(" + label + r": “At least 37 villagers", markdown)
    assert "14 suspects" not in markdown

    page = to_html(brief)
    assert f'<span class="label">{label}:</span> At least 37 villagers' in page

    console = Console(width=200, record=True, color_system=None)
    print_terminal(brief, console, full=True)
    shown = console.export_text()
    assert f"{label}: At least 37 villagers" in shown and "Au moins 37 villageois" in shown


def test_the_brief_in_another_language_asks_the_model_to_write_in_it(folder, tmp_path):
    fake = FakeModel(Translator())
    brief = brief_of(folder, tmp_path / "runs.db", fake, language="fr")

    assert brief.language == "fr"
    (draft,) = fake.requests_for("ConsolidationResponse")
    assert "in French" in draft["messages"][0]["content"]
    # The English report's cited sentences are the ones now translated, into French.
    (request,) = fake.requests_for("TranslationResponse")
    assert "into French" in request["messages"][0]["content"] and "Gunmen killed 35" in request["messages"][1]["content"]
    assert next(s for s in brief.sources if s.language == "fr").translations == []


def test_a_brief_in_english_asks_exactly_what_it_asked_before_there_was_a_language():
    from summarizer.llm.prompts import render

    assert "French" not in render("consolidate_system", language="English")
    assert "Write the summary" not in render("consolidate_system", language="English")
    assert "in English, in a few words" in render("disagree_system", language="English")


@pytest.mark.parametrize(("original", "translation", "problem"), [
    ("Au moins 84 morts et 12 blessés.", "At least 84 dead and 12 wounded.", None),
    ("Un village a été attaqué.", "One village was attacked.", None),  # "un" and "one" are no figure
    ("Quatre-vingt-quatre soldats ont été tués.", "Eighty-four soldiers were killed.", None),
    ("Au moins 84 morts.", "At least 48 dead.", "the translation has 48 where the sentence has 84"),
    ("Au moins 84 morts.", "At least dead.", "the translation has no other figure where the sentence has 84"),
    ("Les habitants ont fui vers la ville voisine après l'attaque.", "Fled.", "the translation is 0.1 times"),
    ("Les habitants ont fui.", "", "the model gave no translation"),
    # the names the sentence writes, accents aside; a word that opens a quote is no name
    ("Selon la MINUSMA, au moins 157 Peuls ont été tués.", "According to MINUSMA, at least 157 people were killed.",
     "the translation leaves out the name 'Peuls'"),
    ("Le président Ibrahim Boubacar Keïta s'est rendu à Ogossagou.", "President Ibrahim Boubacar Keita went to Ogossagou.", None),
    ("Le maire a dit : « Ils sont venus de nuit. »", 'The mayor said: "They came at night."', None),
    # a date the sentence does not write: a digit "1" counts, and so do months and weekdays
    ("Fin mars, l'association avait annoncé 174 morts.", "On April 1, the association announced 174 dead.",
     "the translation has 1 where the sentence has none of them"),
    ("Fin mars, l'association avait annoncé 174 morts.", "At the end of April, the association announced 174 dead.",
     "the translation names another month or weekday"),
    ("Le village a été attaqué samedi.", "The village was attacked on Sunday.", "the translation names another month"),
    ("Cela peut arriver en mai, samedi.", "It may happen in May, on Saturday.", None),  # "may" is no month
])
def test_a_translation_stands_only_with_the_figures_of_its_sentence(original, translation, problem):
    found = translation_problem(original, translation, "fr", "en")
    assert (found is None) if problem is None else found.startswith(problem), found


def test_a_language_no_brief_can_be_written_in_is_refused_before_any_report_is_read(folder):
    with pytest.raises(SettingError, match="--language 'xx'"):
        Settings(language="xx")
    result = CliRunner().invoke(cli, [str(folder), "--language", "xx"])
    assert result.exit_code == 2 and "'xx' is not one of" in result.stderr


def test_a_folder_in_the_briefs_language_gives_the_same_brief_with_or_without_translations(folder, tmp_path):
    (folder / "01_courrier.txt").unlink()  # the English report alone
    store = tmp_path / "runs.db"
    first = brief_of(folder, store, FakeModel(Translator()), translate=False)  # as the eval runs it

    again = FakeModel(Translator())
    second = brief_of(folder, store, again)
    assert again.requests == [] and second.diagnostics.unchanged_since is not None
    assert second.casualties == first.casualties


def test_a_sentence_translated_in_another_ones_place_leaves_both_out(folder, tmp_path):
    class Shifted(Translator):  # skips sentence 2 and writes sentence 3's translation in its place
        def __call__(self, name, body):
            answer = super().__call__(name, body)
            if name == "TranslationResponse" and len(answer["sentences"]) == 3:
                answer["sentences"][1]["text"] = "The residents then fled to the neighbouring town."
            return answer

    brief = brief_of(folder, tmp_path / "runs.db", FakeModel(Shifted()))

    french = next(s for s in brief.sources if s.language == "fr")
    assert [t.sentence for t in french.translations] == [1]
    reasons = {d.what: d.reason for d in brief.diagnostics.dropped if d.source_id == french.id}
    assert "sentence 2's is alike" in reasons["translation of sentence 3"]
