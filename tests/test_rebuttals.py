"""Disputes code finds in the sentences: one party denies what another says. Code proposes each
side (its claimant, its sentence's own words); the model (in-process) only says whether two
sentences of different reports disagree. Sentences are invented, in English, French and Spanish."""

from __future__ import annotations

from pathlib import Path

from fake_model import FakeModel

from summarizer import summarize
from summarizer.stages.consolidate.rebuttals import _denial, question


def brief_of(tmp_path: Path, reports: dict[str, str], disagree: bool = True, asked: list | None = None):
    folder = tmp_path / "reports"
    folder.mkdir(parents=True)
    for name, text in reports.items():
        (folder / name).write_text("Unrest in the valley\n\nValley Courier\n\n" + text)

    def answer(name: str, body: dict) -> dict:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if name == "ClaimsResponse":
            return {"notes": [{"n": 1, "kind": "event", "by": "reporter", "when": None}] * 3}
        if name == "SentenceCasualties":
            return {"figures": []}
        if name == "DisagreementCheck":
            return {"question": "none", "disagree": False, "kind": "other"}
        if name == "PairCheck":
            if asked is not None:
                asked.append(user)
            return {"answer": "yes" if disagree else "no"}
        return {"summary": [{"text": "A report.", "claims": [1]}] * 2, "title": "Unrest", "incident_type": "clash", "places": []}

    fake = FakeModel(answer)
    return summarize(folder, base_url=fake.base_url, model="scripted", store=tmp_path / "runs.db", chat_model=fake)


def sides(brief) -> list[list[tuple[str, str]]]:
    return [[(p.claimant, p.statement) for p in d.positions] for d in brief.disputes]


def test_a_denial_in_the_clause_after_an_accusation_sets_the_two_clauses_side_by_side_without_a_call(tmp_path):
    asked: list = []
    brief = brief_of(tmp_path, {"a.txt": (
        "Rights groups have accused the provincial police of beating detained farmers in the valley, "
        "but these claims have been denied by the interior ministry. The valley was calm on Sunday.")}, asked=asked)
    assert sides(brief) == [[
        ("Rights groups", "Rights groups have accused the provincial police of beating detained farmers in the valley"),
        ("the interior ministry", "but these claims have been denied by the interior ministry")]]
    assert brief.disputes[0].question == "What is denied by the interior ministry?"
    assert not any("denied by the interior ministry" in u for u in asked)  # the sentence's grammar says it


def test_a_denial_of_the_allegations_is_set_against_the_sentence_before_it_when_the_model_agrees(tmp_path):
    reports = {"a.txt": "Farmers in the valley accused the river militia of burning their granaries. "
                        "The river militia denied the allegations on Monday."}
    brief = brief_of(tmp_path / "yes", reports)
    assert [(c, s[:28]) for c, s in sides(brief)[0]] == [
        ("Farmers in the valley", "Farmers in the valley accuse"), ("The river militia", "The river militia denied the")]
    assert brief_of(tmp_path / "no", reports, disagree=False).disputes == []  # the model chooses


def test_a_french_denial_finds_the_accusation_of_another_report_that_names_the_denier(tmp_path):
    brief = brief_of(tmp_path, {
        "a.txt": "Le collectif des éleveurs a désigné la milice des Collines Rouges comme seule responsable du massacre.",
        "b.txt": "Le marché a rouvert mardi. La milice des Collines Rouges, dissoute par le gouvernement, nie toute implication."})
    [[accuser, denier]] = sides(brief)
    assert denier == ("La milice des Collines Rouges",
                      "La milice des Collines Rouges, dissoute par le gouvernement, nie toute implication.")
    assert accuser[1].startswith("Le collectif des éleveurs a désigné")
    assert brief.disputes[0].positions[0].citations[0].source_id != brief.disputes[0].positions[1].citations[0].source_id


def test_a_spanish_denial_with_a_pronoun_for_subject_is_the_sentence_subjects():
    denied, stated = _denial("a", 1, {1: "El ministerio de Justicia abrió una investigación, pero la rechaza en su informe."}) or (None, None)
    assert denied is None or denied.by != "la"
    denied, _ = _denial("a", 1, {1: "El ministerio de Justicia ha anunciado una investigación, pero él niega el trabajo forzoso."})
    assert denied.by == "El ministerio de Justicia"


def test_what_no_one_names_as_denier_is_no_dispute(tmp_path):
    for text in ("Thousands died and the exact toll remains in dispute.",
                 "In response to allegations, officials met on Monday.",
                 "Nobody denied that the bridge fell."):
        assert _denial("a", 1, {1: text}) is None or _denial("a", 1, {1: text})[0].by.lower() not in {"nobody", "in response to"}


def test_the_question_is_written_in_the_briefs_language():
    assert question("la milice", "fr") == "Que conteste la milice ?"
    assert question("el ministerio", "es") == "¿Qué niega el ministerio?"
    assert question("the ministry", "de") == "What is denied by the ministry?"


def test_two_reports_giving_different_years_for_one_event_are_a_date_dispute_when_the_model_agrees(tmp_path):
    reports = {
        "a.txt": "The council led by General Okafor Tembe seized power in 2019 and closed the border.",
        "b.txt": "The ruling council, led by General Okafor Tembe since it took power in 2021, closed the border.",
        "c.txt": "Farmers marched in 2023 to the capital."}
    brief = brief_of(tmp_path / "yes", reports)
    dated = [d for d in brief.disputes if d.kind == "date"]
    assert [d.question for d in dated] == ["2019 or 2021?"]
    paths = {s.id: s.path for s in brief.sources}
    assert sorted(paths[c.source_id] for p in dated[0].positions for c in p.citations) == ["a.txt", "b.txt"]
    assert [d for d in brief_of(tmp_path / "no", reports, disagree=False).disputes if d.kind == "date"] == []


def test_a_sentence_that_gives_both_years_is_no_date_dispute_with_another_that_does(tmp_path):
    reports = {
        "a.txt": "General Okafor Tembe led the council through coups in 2019 and 2021.",
        "b.txt": "General Okafor Tembe led the council through the coups of 2019 and 2021."}
    assert [d for d in brief_of(tmp_path, reports).disputes if d.kind == "date"] == []


def test_one_voice_denying_one_accusation_in_two_reports_is_one_dispute_citing_both(tmp_path):
    brief = brief_of(tmp_path, {
        "a.txt": "Le collectif des éleveurs a désigné la milice des Collines Rouges comme seule responsable du massacre.",
        "b.txt": "Le marché a rouvert mardi. La milice des Collines Rouges, dissoute par le gouvernement, nie toute implication.",
        "c.txt": "Les écoles restent fermées. La milice des Collines Rouges continue de rejeter toute responsabilité."})
    [dispute] = brief.disputes
    paths = {s.id: s.path for s in brief.sources}
    assert sorted(paths[c.source_id] for c in dispute.positions[1].citations) == ["b.txt", "c.txt"]


def test_a_denied_description_is_set_only_against_a_sentence_that_gives_that_description(tmp_path):
    """"denies that the guards are hired militiamen": the other side must call them that; a
    sentence that only shares the guards and an accusation is no side (the model would say yes)."""
    denial = "The mining company denies that the guards at the site are hired militiamen and says they are police."
    loose = "Villagers have accused the guards at the site of beating two herders near the river."
    describing = "Villagers say the guards at the site are hired militiamen paid by the mining company."
    assert sides(brief_of(tmp_path / "loose", {"a.txt": loose + " The valley was calm.", "b.txt": denial})) == []
    (found,) = sides(brief_of(tmp_path / "right", {"a.txt": loose + " " + describing, "b.txt": denial}))
    assert found[0] == ("Villagers", describing)
    assert found[1][0] == "The mining company"


def test_a_french_or_spanish_denied_description_names_what_the_other_side_must_write():
    (fr, _), (es, _) = (_denial("a", 1, {1: text}) for text in (
        "L'armée nie que les victimes soient des civils, affirmant qu'il s'agissait de combattants.",
        "El ministerio niega que los muertos sean menores de edad."))
    assert (fr.by, sorted(fr.corrects)) == ("L'armée", ["civil"])
    assert (es.by, sorted(es.corrects)) == ("El ministerio", ["edad", "menor"])


def test_one_voice_denying_one_accusation_in_two_reports_words_is_one_dispute_with_every_side(tmp_path):
    """Two reports each write the accusation in their own words and the same ministry's denial: one
    dispute, the accusations first; a denier that names no one, and an accusation of something
    else, stay disputes of their own."""
    brief = brief_of(tmp_path, {
        "a.txt": "There have been accusations of beatings of detained farmers by the provincial police, "
                 "which the Valley Interior Ministry refutes. The valley was calm on Sunday.",
        "b.txt": "Accusations have surfaced of beatings of detained farmers by police officers. "
                 "The Valley Interior Ministry, however, denies the allegations. Roads were open.",
        "c.txt": "Rights groups have accused the provincial police of burning farms near the river, "
                 "but these claims have been denied by the Valley Interior Ministry. Markets opened.",
    })
    assert sorted(len(d.positions) for d in brief.disputes) == [2, 4]
    [both] = [d for d in brief.disputes if len(d.positions) == 4]
    assert [p.citations[0].source_id for p in both.positions] == [
        both.positions[0].citations[0].source_id, both.positions[1].citations[0].source_id] * 2
    assert "which the Valley Interior Ministry refutes" in both.positions[2].statement
    assert "denies the allegations" in both.positions[3].statement


def test_a_denial_of_an_accusation_it_names_is_set_against_the_sentence_that_makes_it(tmp_path):
    """"il rejette l'accusation de travail forcé": what it denies is forced labour, not the inquiry
    the rest of its sentence announces; another voice's sentence that says men were forced is the other side."""
    reports = {
        "a.txt": "Human Rights Watch dit avoir confirmé au moins 133 morts. "
                 "L'ONG s'appuie sur des témoignages de rescapés qui décrivent des hommes forcés par des soldats à creuser, "
                 "sans être payés, un travail de plusieurs jours. Le marché a rouvert.",
        "b.txt": "Le ministère de la Justice a annoncé l'ouverture d'une enquête par le tribunal de Kaya, "
                 "mais il rejette l'accusation de travail forcé.",
    }
    found = sides(brief_of(tmp_path, reports))
    # the side of "L'ONG s'appuie sur ..." is the NGO the sentence before names
    assert [(a[0], a[1].startswith("L'ONG s'appuie"), b[0]) for a, b in found] == [
        ("Human Rights Watch", True, "Le ministère de la Justice")]
