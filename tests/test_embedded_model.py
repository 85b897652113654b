"""End to end on the real embedded model: Qwen2.5-Coder-1.5B in llama.cpp's server, on the CPU.

Slow (minutes on two cores); the model answers at temperature 0 with a fixed seed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.text.numbers import figure_in_text
from summarizer.stages.verify import unresolved, unsupported_numbers

SAMPLES = Path(__file__).parent.parent / "samples" / "tinzaouatene"
TWO_REPORTS = ["000_4c4ab83dc6f2d891.txt", "001_a6fe8bb564ac4d9a.txt"]


@pytest.fixture(scope="module")
def two_report_brief(embedded_model_cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-reports")
    for name in TWO_REPORTS:
        shutil.copy(SAMPLES / name, folder / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMARIZER_CACHE_DIR", str(embedded_model_cache))
        for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
            patch.delenv(name, raising=False)
        brief = summarize(folder, store=tmp_path_factory.mktemp("store") / "runs.db")
        from summarizer.local.server import stop_shared_server

        stop_shared_server()
    return brief


@pytest.mark.local_model
def test_the_embedded_model_briefs_two_reports_with_every_citation_resolving(two_report_brief):
    brief = two_report_brief
    sources = {s.id: s for s in brief.sources}
    citations = [c for item in [*brief.claims, *brief.casualties, *brief.summary] for c in item.citations]

    assert brief.diagnostics.model.startswith("embedded:qwen2.5-coder-1.5b")
    assert brief.diagnostics.usage.calls >= 3
    assert brief.claims and brief.casualties
    assert unresolved(citations, sources) == []


@pytest.mark.local_model
def test_every_figure_the_embedded_model_reports_is_in_a_sentence_it_cites(two_report_brief):
    brief = two_report_brief
    sources = {s.id: s for s in brief.sources}
    for claim in brief.casualties:
        cited = [s.text for c in claim.citations for s in sources[c.source_id].sentences if s.n in c.sentences]
        assert any(figure_in_text(claim.figure, text) for text in cited), claim
    for item in [*brief.claims, *brief.summary]:
        text = getattr(item, "statement", None) or item.text
        assert unsupported_numbers(text, item.citations, sources) == [], item


@pytest.mark.local_model
def test_the_embedded_model_attributes_the_armys_toll_to_the_army(two_report_brief):
    army_rows = [
        c for c in two_report_brief.casualties
        if (c.metric, c.low) == ("killed", 2) and any(w in c.claimant.lower() for w in ("army", "military", "mali"))
    ]
    assert army_rows, [(c.claimant, c.party, c.metric, c.figure) for c in two_report_brief.casualties]
    assert {two_report_brief.source(x.source_id).path for x in army_rows[0].citations} <= set(TWO_REPORTS)


LONG_READ = Path(__file__).parent / "fixtures" / "long" / "derna_long_read_first_part.txt"
SMALL_CONTEXT = 2560  # the embedded model started with a context the long read does not fit in


@pytest.mark.local_model
def test_a_report_longer_than_the_embedded_models_context_is_briefed_with_citations_from_its_later_window(
    embedded_model, tmp_path,
):
    from summarizer.stages.extract import claim_windows, window_chars
    from summarizer.store import RunStore

    folder = tmp_path / "long"
    folder.mkdir()
    shutil.copy(LONG_READ, folder / LONG_READ.name)
    store = tmp_path / "runs.db"

    brief = summarize(folder, context_tokens=SMALL_CONTEXT, store=store)

    source = brief.sources[0]
    windows = claim_windows(source.sentences, window_chars(SMALL_CONTEXT))
    calls = RunStore(store).calls(limit=500)
    # For the embedded model code reads the claims, window by window: no claims call, and claims from every window.
    assert len(windows) > 1 and not [c for c in calls if c["purpose"] == "ClaimsResponse"]
    claimed = {n for claim in brief.claims for c in claim.citations for n in c.sentences}
    assert all(claimed & {s.n for s in window} for window in windows), (sorted(claimed), [w[0].n for w in windows])
    # Every call the model answered fitted the small context, prompt and answer.
    answered = [c for c in calls if c["prompt_tokens"]]
    assert answered and all(c["prompt_tokens"] + c["completion_tokens"] <= SMALL_CONTEXT for c in answered), answered
    later = {s.n for window in windows[1:] for s in window}
    cited = {n for item in [*brief.claims, *brief.casualties] for c in item.citations for n in c.sentences}
    assert cited & later, (sorted(cited), min(later))
    assert unresolved([c for item in [*brief.claims, *brief.casualties, *brief.summary] for c in item.citations],
                      {s.id: s for s in brief.sources}) == []



FRENCH_REPORT = (  # our own words, of an incident we made up
    "Attaque meurtrière à Dounkoro\n\nL'Écho du Plateau\n\n"
    "Au moins 23 civils ont été tués dimanche soir dans l'attaque du village de Dounkoro, selon le maire de la commune, "
    "Issa Kanouté. "
    "Des hommes armés venus à moto ont incendié des greniers et des maisons avant de se replier vers la brousse. "
    "L'armée affirme avoir tué six assaillants lors d'une opération de ratissage lundi. "
    "Les survivants ont trouvé refuge dans le bourg voisin de Sélinkoro."
)


@pytest.mark.local_model
def test_a_french_report_gives_an_english_brief_with_a_checked_translation_beside_its_figure(embedded_model, tmp_path):
    from summarizer.text.language import detect
    from summarizer.text.numbers import numbers_in

    folder = tmp_path / "french"
    folder.mkdir()
    (folder / "echo_du_plateau.txt").write_text(FRENCH_REPORT, encoding="utf-8")

    brief = summarize(folder, store=tmp_path / "runs.db")

    (source,) = brief.sources
    assert source.language == "fr" and brief.language == "en"
    assert detect(" ".join([brief.title, *(s.text for s in brief.summary)])) == "en", brief.title
    civilians = [c for c in brief.casualties if c.low == 23]
    assert civilians, [(c.party, c.figure, c.claimant) for c in brief.casualties]
    (cited,) = {n for c in civilians[0].citations for n in c.sentences}
    translations = {t.sentence: t.text for t in source.translations}
    assert cited in translations, brief.diagnostics.dropped
    assert detect(translations[cited]) == "en" and 23 in numbers_in(translations[cited], "en"), translations[cited]
    original = {s.n: s.text for s in source.sentences}
    for n, text in translations.items():  # what is shown beside a sentence keeps its figures
        assert set(numbers_in(text, "en")) - {1} == set(numbers_in(original[n], "fr")) - {1}, (original[n], text)
