"""The output layer: Markdown, JSON, HTML and terminal views of one IncidentBrief.

Every test renders the hand-written brief of the five sample reports in
tests/fixtures/briefs/sample_brief.json.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from rich.console import Console

from summarizer.render import print_terminal, to_html, to_json, to_markdown
from summarizer.schema import IncidentBrief

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "briefs" / "sample_brief.json"
SAMPLES = ROOT / "samples" / "tinzaouatene"
EXPORTED_SCHEMA = ROOT / "schemas" / "incident_brief.schema.json"

HOSTILE_SENTENCE = "Officials said <script>alert(1)</script> and {{ 7*7 }} were found."


@pytest.fixture
def brief() -> IncidentBrief:
    return IncidentBrief.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def hostile_brief(brief: IncidentBrief) -> IncidentBrief:
    """The sample brief with markup and template syntax in a sentence, a title and a claimant."""
    hostile = brief.model_copy(deep=True)
    hostile.sources[0].sentences[0].text = HOSTILE_SENTENCE
    hostile.title = "Brief <b>bold</b> {{ 7*7 }}"
    hostile.claims[0].claimant = "spokesman \"quoted\" 'single' </script><script>alert(2)</script>"
    return hostile


def _footnote(markdown: str, label: str) -> str:
    line = next(line for line in markdown.splitlines() if line.startswith(f"[^{label}]: "))
    return line


# --------------------------------------------------------------------------- fixture


def test_fixture_sources_are_the_sample_files_with_real_sentence_offsets(brief):
    assert [s.path for s in brief.sources] == sorted(p.name for p in SAMPLES.glob("*.txt"))
    for source in brief.sources:
        text = (SAMPLES / source.path).read_text(encoding="utf-8")
        assert source.id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        assert [s.n for s in source.sentences] == list(range(1, len(source.sentences) + 1))
        for sentence in source.sentences:
            assert text[sentence.start:sentence.end] == sentence.text


def test_fixture_citations_point_at_existing_sentences(brief):
    numbers = {s.id: {x.n for x in s.sentences} for s in brief.sources}
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))

    def citations(node):
        if isinstance(node, dict):
            if set(node) == {"source_id", "sentences"}:
                yield node
            for value in node.values():
                yield from citations(value)
        elif isinstance(node, list):
            for value in node:
                yield from citations(value)

    found = list(citations(payload))
    assert len(found) > 50
    for citation in found:
        assert set(citation["sentences"]) <= numbers[citation["source_id"]], citation


# --------------------------------------------------------------------------- markdown


# Lines the Markdown of the sample brief must hold, by what they show a reader.
MARKDOWN_LINES = {
    "each-casualty-claim-with-its-claimant": (
        "| Malian soldiers | killed | two | Malian army |",
        "| Malian soldiers | wounded | 10 | Malian army |",
        "| CSP-PSD rebels | killed | 7 | CSP-PSD |",
        "| CSP-PSD rebels | wounded | 12 | CSP-PSD |",
        "| Wagner fighters | killed | at least 20 | Russian military bloggers |",
    ),
    "the-lowest-and-highest-figure-per-party": (
        "| Malian soldiers | killed | 2–17+ | 3 |",
        "| Wagner fighters | killed | 20+ | 2 |",
        "| CSP-PSD rebels | wounded | 12 | 1 |",
        "| civilians | killed | unquantified | 1 |",
    ),
    "timeline-source-flags-and-open-questions": (
        "| 2024-07-26 | An army helicopter crashes in Kidal. |",
        "**copy** of 1",
        "**internal-error**",
        "- Was the helicopter that crashed in Kidal brought down by the CSP-PSD or lost to a technical fault?",
    ),
}


@pytest.mark.parametrize("lines", MARKDOWN_LINES.values(), ids=MARKDOWN_LINES.keys())
def test_markdown_shows(brief, lines):
    markdown = to_markdown(brief)

    for line in lines:
        assert line in markdown


def test_markdown_footnote_names_the_source_and_quotes_the_cited_sentence(brief):
    markdown = to_markdown(brief)
    row = next(line for line in markdown.splitlines() if line.startswith("| Malian soldiers | killed | two |"))
    first_marker = re.search(r"\[\^(\d+)\]", row).group(1)

    footnote = _footnote(markdown, first_marker)

    assert "Source 1, ICARO Media Group (`000_4c4ab83dc6f2d891.txt`), sentence 10" in footnote
    assert "“The Malian army confirmed that two soldiers were killed and 10 injured in the recent clashes.”" in footnote


def test_markdown_summary_sentences_carry_footnote_markers(brief):
    markdown = to_markdown(brief)
    summary = markdown.split("## Summary\n\n", 1)[1].split("\n", 1)[0]

    assert "Sergei Shevchenko.[^" in summary
    assert len(re.findall(r"\[\^\d+\]", summary)) == sum(len(s.citations) for s in brief.summary)


def test_markdown_every_footnote_marker_has_a_footnote(brief):
    markdown = to_markdown(brief)
    used = set(re.findall(r"\[\^(\d+)\](?!:)", markdown))
    defined = set(re.findall(r"^\[\^(\d+)\]: ", markdown, flags=re.MULTILINE))

    assert used == defined


def test_markdown_sets_dispute_positions_side_by_side(brief):
    markdown = to_markdown(brief)
    section = markdown.split("### Why did the helicopter crash in Kidal? (cause)\n\n", 1)[1]

    assert section.splitlines()[0] == "| CSP-PSD | Malian army |"
    assert section.splitlines()[2] == (
        "| Separatist fire damaged it and brought it down. "
        "| It crashed on a routine mission from technical difficulties; no one was killed. |"
    )


def test_markdown_escapes_markup_in_article_text(hostile_brief):
    markdown = to_markdown(hostile_brief)

    assert "<script>" not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown


# --------------------------------------------------------------------------- json


def test_json_is_the_model_dump_and_round_trips(brief):
    text = to_json(brief)

    assert text == brief.model_dump_json(indent=2)
    assert IncidentBrief.model_validate_json(text) == brief


def test_json_validates_against_the_exported_schema(brief):
    text = to_json(brief)
    if EXPORTED_SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(json.loads(text), json.loads(EXPORTED_SCHEMA.read_text(encoding="utf-8")))
    else:
        assert IncidentBrief.model_validate_json(text) == brief


# --------------------------------------------------------------------------- html


def test_html_loads_nothing_from_the_network(brief):
    page = to_html(brief)
    soup = BeautifulSoup(page, "html.parser")

    assert soup.find_all("link") == []
    assert [s for s in soup.find_all("script") if s.has_attr("src")] == []
    assert [t.name for t in soup.find_all(src=True)] == []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if re.search(r"(https?:)?//", value) and not (tag.name == "a" and name == "href"):
                pytest.fail(f"<{tag.name} {name}={value!r}> refers to the network")
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "url(" not in styles and "@import" not in styles
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy


def test_html_renders_each_source_sentence_as_a_numbered_span(brief):
    soup = BeautifulSoup(to_html(brief), "html.parser")
    spans = soup.select("#reader span.s")

    expected = [(s.id, x.n, x.text) for s in brief.sources for x in s.sentences]
    assert [(e["data-source"], int(e["data-n"]), e.get_text()) for e in spans] == expected


def test_html_shows_markup_and_template_syntax_in_articles_literally(hostile_brief):
    page = to_html(hostile_brief)
    soup = BeautifulSoup(page, "html.parser")
    source_id = hostile_brief.sources[0].id

    span = soup.select_one(f'span.s[data-source="{source_id}"][data-n="1"]')
    assert span.get_text() == HOSTILE_SENTENCE
    assert span.find("script") is None
    assert "Officials said &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }} were found." in page
    assert "alert(1)</script>" not in page
    assert soup.h1.get_text() == "Brief <b>bold</b> {{ 7*7 }}"
    claim = soup.select_one("#claim-c01")
    assert claim["data-label"].startswith("spokesman \"quoted\" 'single' </script><script>alert(2)</script>: ")
    assert "alert(2)</script>" not in page
    assert len(soup.find_all("script")) == 1


def test_html_marks_copied_erroneous_and_injected_sources_with_a_badge(brief):
    brief.sources[2].flags.append("prompt-injection")
    soup = BeautifulSoup(to_html(brief), "html.parser")

    def badges(source_id):
        return [b.get_text() for b in soup.select(f"#src-{source_id} .badge")]

    assert badges("d23f7b4fdabf") == ["copy of 1"]
    assert badges("bdc80d449b14") == ["internal error"]
    assert badges("cbf50b83d3e3") == ["prompt injection"]
    assert badges("92be7118835e") == []


def test_html_citation_markers_carry_their_source_and_sentences(brief):
    soup = BeautifulSoup(to_html(brief), "html.parser")
    shevchenko = soup.select("#summary .markers")[3].select(".cite")

    assert [b.get_text() for b in shevchenko] == ["1", "5"]
    assert json.loads(shevchenko[1]["data-cites"]) == [["ca8d85e58b51", [10, 11]]]


def test_html_dispute_positions_sit_in_one_row_with_their_own_colour(brief):
    soup = BeautifulSoup(to_html(brief), "html.parser")
    helicopter = soup.select_one("#dispute-2")

    positions = helicopter.select(".positions > .position")
    assert [p.select_one(".claimant").get_text() for p in positions] == ["CSP-PSD", "Malian army"]
    assert [p["data-position"] for p in positions] == ["0", "1"]
    assert positions[1].select("blockquote")[0].get_text() == (
        "1·11Additionally, an army helicopter crashed in Kidal, though no fatalities were reported."
    )


# --------------------------------------------------------------------------- terminal


def _terminal_text(brief: IncidentBrief, width: int = 100, *, full: bool = False) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    print_terminal(brief, console, full=full)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_fits_its_width_and_cuts_no_word(brief, width):
    text = _terminal_text(brief, width)

    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text  # rich truncates with an ellipsis: nothing may be cut
    flat = re.sub(r"\s+", " ", text)
    for claim in brief.casualties:
        assert claim.party in flat and claim.claimant in flat and claim.figure in flat
    for dispute in brief.disputes:
        assert all(p.claimant in flat for p in dispute.positions)


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_shows_the_ledger_disputes_and_most_corroborated_claims_then_how_to_get_the_rest(brief, width):
    text = _terminal_text(brief, width)
    flat = re.sub(r"\s+", " ", text)

    assert "Shevchenko.[1][5]" in flat
    assert "Malian soldiers · killed · 2–17+" in flat
    assert re.search(r"two by Malian army \[1:10\] \[2:10\] \[3:8\]", flat)
    assert "• CSP-PSD: Separatist fire damaged it and brought it down. [1:8] [2:9] [4:10]" in flat
    assert f"Most corroborated claims (8 of {len(brief.claims)})" in flat
    shown = [c for c in brief.claims if c.statement in flat]
    assert len(shown) == 8 and min(c.independent_sources for c in shown) >= max(
        c.independent_sources for c in brief.claims if c not in shown)
    more_actors = f"{len(brief.actors) - 8} more actors, " if len(brief.actors) > 8 else ""
    assert f"Not shown: {more_actors}{len(brief.claims) - 8} more claims, {len(brief.timeline)} timeline events." in flat
    assert "add --full" in flat and "--format html" in flat
    assert "copy of 1" in flat and "internal-error" in flat
    assert "• Who are the white soldiers shown among the prisoners?" in flat
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m via http://127.0.0.1:8765/v1 · 7 calls" in flat


def test_terminal_full_shows_every_claim_and_the_timeline(brief):
    flat = re.sub(r"\s+", " ", _terminal_text(brief, 120, full=True))

    assert all(re.sub(r"\s+", " ", c.statement) in flat for c in brief.claims)
    assert "Timeline" in flat and "Not shown" not in flat


def test_terminal_prints_console_markup_in_the_brief_literally(brief):
    brief.casualties[0].claimant = "[bold red]army[/]"
    brief.disputes[0].positions[0].claimant = "[/]"
    brief.open_questions[0] = "What does [link=x]this[/link] mean?"

    text = _terminal_text(brief)

    assert "[bold red]army[/]" in text
    assert "• [/]: " in text
    assert "What does [link=x]this[/link] mean?" in text


def test_a_brief_whose_summary_was_all_dropped_says_why_in_every_rendering(brief):
    from summarizer.schema import DroppedItem

    brief.summary = []
    brief.diagnostics.dropped += [
        DroppedItem(what="summary sentence: The coalition lost control in 2023 ...", reason="number(s) [2023] in no cited sentence"),
        DroppedItem(what="summary sentence: The army took Tinzaouatene ...", reason="number(s) [2023] in no cited sentence"),
    ]
    note = "No summary: 2 drafted sentences stated what their cited sentences do not hold and were left out"

    assert note in " ".join(_terminal_text(brief).split())
    assert note in to_markdown(brief).split("## Summary\n\n", 1)[1].split("\n", 1)[0]
    assert note in BeautifulSoup(to_html(brief), "html.parser").select_one("#summary .no-summary").text


def test_a_brief_with_a_summary_shows_no_such_note(brief):
    assert "No summary" not in _terminal_text(brief)
    assert "No summary" not in to_markdown(brief)
    assert BeautifulSoup(to_html(brief), "html.parser").select_one("#summary .no-summary") is None


def test_terminal_lists_the_most_named_actors_with_their_other_names_and_where_they_are_named(brief):
    text = _terminal_text(brief, 120)
    flat = re.sub(r"\s+", " ", text)
    named = sorted(brief.actors, key=lambda a: -sum(len(c.sentences) for c in a.citations))
    shown = [a for a in named if f"• {a.name}" in flat]

    assert brief.actors and len(shown) == min(8, len(brief.actors))
    top = named[0]
    assert re.search(rf"• {re.escape(top.name)}.*?\[\d+:", flat)
    assert all(alias in flat for alias in top.aliases)
    assert len([a for a in named if f"• {a.name} " in re.sub(r"\s+", " ", _terminal_text(brief, 120, full=True))]) == len(named)


def test_markdown_has_an_actors_table_naming_each_actor_where_it_is_named(brief):
    markdown = to_markdown(brief)
    section = markdown.split("## Actors\n\n", 1)[1].split("\n\n", 1)[0]

    assert section.startswith("| Actor | Side | Also written | Named in |")
    assert len(section.splitlines()) == 2 + len(brief.actors)
    for actor in brief.actors:
        assert re.search(rf"^\| {re.escape(actor.name)} \|.*\| (\[\d+:[^]]+\] ?)+ \|$", section, re.M)


# --------------------------------------------------------------------------- the brief's language

ENGLISH_HEADINGS = ("Summary", "Casualties", "Disputes", "Actors", "Claims", "Open questions")  # "Sources" is French too


@pytest.fixture
def french_brief(brief: IncidentBrief) -> IncidentBrief:
    """The sample brief as one written in French: its labels are the formats', its content the reports'."""
    return brief.model_copy(update={"language": "fr"})


def test_every_label_has_a_word_per_language_with_the_same_placeholders():
    from summarizer.text.labels import LANGUAGES, WORDS

    fields = re.compile(r"\{(\w+)\}")
    for english, words in WORDS.items():
        assert len(words) == len(LANGUAGES), english
        for word in words:
            assert sorted(fields.findall(word)) == sorted(fields.findall(english)), (english, word)


def test_markdown_of_a_french_brief_has_french_headings_columns_and_metrics(french_brief, brief):
    markdown = to_markdown(french_brief)

    for heading in ("## Résumé", "## Victimes", "## Divergences", "## Acteurs", "## Affirmations", "## Sources"):
        assert heading in markdown
    assert "| Partie | Bilan | Chiffre | Déclarant | Sources |" in markdown
    assert "| Malian soldiers | morts | two | Malian army |" in markdown  # the report's words stay as written
    assert not [h for h in ENGLISH_HEADINGS if f"## {h}\n" in markdown]
    assert "| Malian soldiers | killed | two | Malian army |" in to_markdown(brief)


def test_terminal_of_a_french_brief_says_who_claims_each_figure_in_french(french_brief):
    out = io.StringIO()
    print_terminal(french_brief, Console(file=out, width=120))
    text = out.getvalue()

    assert "Victimes, par partie et par déclarant" in text
    assert "selon Malian army" in text and "by Malian army" not in text
    assert " · morts" in text and "Divergences" in text and "Pour tout voir, ajoutez --full" in text


def test_html_of_a_french_brief_is_marked_french_and_labels_its_sections_in_french(french_brief):
    soup = BeautifulSoup(to_html(french_brief), "html.parser")

    assert soup.html["lang"] == "fr"
    headings = [h.get_text(" ", strip=True) for h in soup.find_all("h2")]
    assert headings[0] == "Résumé" and "Chronologie" in headings
    assert not set(headings) & set(ENGLISH_HEADINGS)
    assert [th.get_text() for th in soup.select("table.casualties th")] == ["Partie", "Fourchette", "Chiffre", "Déclarant", "Sources"]
    assert json.loads(soup.find(id="reader")["data-words"])["sentences"] == "phrases"


def test_a_translation_is_labelled_in_the_brief_language_with_the_report_language_named_in_it(brief):
    from summarizer.render.citations import translation_label

    source = brief.sources[0].model_copy(update={"language": "en"})
    assert translation_label(source) == "machine translation from English"
    assert translation_label(source, "fr") == "traduction automatique, original en anglais"
    assert translation_label(source.model_copy(update={"language": "ar"}), "es") == "traducción automática, original en árabe"


def test_the_diagnostics_line_is_in_the_brief_language_and_unchanged_in_english(brief, french_brief):
    from summarizer.render.citations import diagnostics_line

    usage = brief.diagnostics.usage.model_copy(update={"calls": 13, "prompt_tokens": 2778, "completion_tokens": 716})
    diagnostics = brief.diagnostics.model_copy(update={"usage": usage, "seconds": {"total": 50.44}, "reasks": 1})
    english = diagnostics_line(brief.model_copy(update={"diagnostics": diagnostics}))
    french = diagnostics_line(french_brief.model_copy(update={"diagnostics": diagnostics}))
    dropped = len(diagnostics.dropped)

    assert english.endswith(f" · 13 calls · 2,778 prompt + 716 completion tokens · 50.4 s · 1 re-ask · {dropped} dropped")
    assert french.endswith(f" · 13 appels · 2\u202f778 jetons lus + 716 générés · 50,4 s · 1 nouvelle demande · écartés : {dropped}")
    assert "calls" not in french and "tokens" not in french


def test_every_format_shows_each_actors_side_in_the_brief_language_and_html_lists_the_actors(brief, french_brief):
    for b in (brief, french_brief):
        b.actors[0].side = "government"
        b.actors[1].side = "armed group"
    soup = BeautifulSoup(to_html(brief), "html.parser")
    rows = soup.select("section#actors tr.actor")
    assert [r.find("td").get_text() for r in rows] == [a.name for a in brief.actors]
    assert [r.find_all("td")[1].get_text() for r in rows[:2]] == ["government", "armed group"]
    ids = {s.id for s in brief.sources}
    assert all(json.loads(r["data-cites"]) and {c[0] for c in json.loads(r["data-cites"])} <= ids for r in rows)

    french = BeautifulSoup(to_html(french_brief), "html.parser").select("section#actors tr.actor")
    assert [r.find_all("td")[1].get_text() for r in french[:2]] == ["gouvernement", "groupe armé"]
    assert "| gouvernement |" in to_markdown(french_brief) and "| government |" in to_markdown(brief)
    out = io.StringIO()
    print_terminal(french_brief, Console(file=out, width=120))
    assert f"{french_brief.actors[0].name} · gouvernement" in re.sub(r"\s+", " ", out.getvalue())
