"""Loading HTML pages (trafilatura), headline-only reports, pages of several articles and
reports that repeat themselves. The fixtures are short made-up reports in tests/fixtures/html/
and tests/fixtures/inputs/; the pipeline runs against the loopback scripted server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_robustness import ReportResponder, all_sentences, folder_with, run, skipped_reason

from summarizer.errors import InputError
from summarizer.stages.load import load
from summarizer.stages.segment import segment

FIXTURES = Path(__file__).parent / "fixtures"
HTML = FIXTURES / "html"
INPUTS = FIXTURES / "inputs"


@pytest.fixture
def responder(scripted_llm) -> ReportResponder:
    responder = ReportResponder()
    scripted_llm.set_responder(responder)
    return responder


def sentences(path: Path) -> list[str]:
    [article] = load(path).articles
    return [s.text for s in segment(article).sentences]


def test_a_date_given_only_in_json_ld_is_the_publication_date():
    [article] = load(HTML / "jsonld_date.html").articles

    assert article.published == dt.date(2024, 3, 14)
    assert (article.title, article.outlet) == ("Gunmen attack market town in Tillabéri region", "Niger Courier")
    assert "datePublished" not in article.text and "Home" not in article.text


def test_a_related_stories_list_inside_the_article_is_not_text_but_a_list_of_facts_is():
    got = sentences(HTML / "related_links.html")

    for link in ("Related stories", "Convoy attacked on the Gao road", "Talks stall in Algiers",
                 "Aid flights suspended in Ménaka"):
        assert not any(link in s for s in got)
    assert got[0].startswith("A drone strike destroyed a fuel depot on the outskirts of Kidal")
    assert "Two fuel tankers parked beside the depot were destroyed." in got  # a list item, without its "- " marker
    assert "The roof of a storage building collapsed." in got


@pytest.mark.parametrize("name, headline", [
    ("inputs/headline_only.txt", "Army says convoy ambushed near Ménaka"),
    ("html/headline_only.html", "Explosion reported in Ouagadougou"),
])
def test_a_report_that_is_only_a_headline_is_skipped_with_a_reason_naming_it(tmp_path, name, headline):
    folder = folder_with(tmp_path, INPUTS / "gao_report.txt", FIXTURES / name)

    corpus = load(folder)

    assert [a.path for a in corpus.articles] == ["gao_report.txt"]
    assert skipped_reason(corpus, Path(name).name) == f"only a headline ('{headline}'), no text to read"


def test_headlines_in_a_list_of_texts_or_records_are_skipped_like_files():
    corpus = load(["Army says convoy ambushed near Ménaka", {"text": "Convoy ambushed", "title": "Ambush"},
                   "Gunmen attacked a convoy near Ménaka on Sunday. Two drivers were killed."])

    assert [a.path for a in corpus.articles] == ["item 2"]
    assert [(s.path, s.reason) for s in corpus.skipped] == [
        ("item 0", "only a headline ('Army says convoy ambushed near Ménaka'), no text to read"),
        ("item 1", "only a headline ('Ambush'), no text to read"),
    ]


def test_a_folder_of_only_a_headline_is_an_input_error_saying_why(tmp_path):
    with pytest.raises(InputError, match=r"headline_only.txt: only a headline \('Army says convoy ambushed near Ménaka'\)"):
        load(folder_with(tmp_path, INPUTS / "headline_only.txt"))


def test_a_headline_beside_a_report_is_listed_as_skipped_in_the_brief_and_costs_no_call(scripted_llm, responder, tmp_path):
    brief = run(scripted_llm, tmp_path, folder_with(tmp_path, INPUTS / "gao_report.txt", INPUTS / "headline_only.txt"))

    assert [s.path for s in brief.sources] == ["gao_report.txt"]
    assert brief.diagnostics.skipped_files == [
        "headline_only.txt: only a headline ('Army says convoy ambushed near Ménaka'), no text to read"]
    assert responder.asked.count("ClaimsResponse") == 1


def test_each_entry_of_a_live_blog_is_its_own_report_with_its_own_heading_and_time():
    corpus = load(HTML / "live_blog.html")

    got = [(a.path, a.title, str(a.published), a.outlet, a.url) for a in corpus.articles]
    page = ("Desert Dispatch", "https://desertdispatch.example/live/menaka-fighting")
    assert got == [
        ("live_blog.html[0]", "Aid groups pause deliveries", "2024-05-07", *page),
        ("live_blog.html[1]", "Army gives first toll", "2024-05-06", *page),
        ("live_blog.html[2]", "Gunfire heard overnight", "2024-05-06", *page),
    ]
    assert [s.text for s in segment(corpus.articles[1]).sentences] == [
        "The army said three soldiers were killed and five wounded when their patrol was ambushed east of Ménaka.",
        "It said the attackers had withdrawn after a two-hour exchange of fire.",
    ]
    assert all("live coverage" not in a.text and "7 May, 09:40" not in a.text for a in corpus.articles)


def test_teaser_cards_beside_an_article_do_not_split_the_page(tmp_path):
    page = (HTML / "related_links.html").read_text().replace("</article>", """</article>
<section class="more"><h2>More from Sahara Ledger</h2>
<article><h3><a href="/floods">Floods cut the road to Mopti</a></h3><p>Heavy rain washed away a bridge south of Mopti, drivers said.</p></article>
<article><h3><a href="/strike">Teachers strike in Niamey</a></h3><p>Teachers in Niamey began a three-day strike over unpaid wages.</p></article>
</section>""")
    (tmp_path / "with_teasers.html").write_text(page)

    corpus = load(tmp_path / "with_teasers.html")

    assert [a.path for a in corpus.articles] == ["with_teasers.html"]
    assert "Kidal" in corpus.articles[0].text and "Mopti" not in corpus.articles[0].text


@pytest.mark.parametrize("path", [HTML / "repeated_paragraphs.html", INPUTS / "repeated_report.txt"])
def test_paragraphs_a_report_repeats_are_read_once(path):
    assert sentences(path) == [
        "A passenger bus struck a roadside bomb on the road between Bandiagara and Bankass on Monday morning.",
        "Four civilians were killed and eleven wounded, a hospital official in Bandiagara said.",
        "No group has said it planted the device.",
    ]


def test_a_repeated_casualty_sentence_is_asked_about_once(scripted_llm, responder, tmp_path):
    brief = run(scripted_llm, tmp_path, folder_with(tmp_path, INPUTS / "repeated_report.txt"))

    assert all_sentences(brief).count("Four civilians were killed") == 1
    assert responder.asked.count("SentenceCasualties") == 1


def test_a_page_trafilatura_cannot_judge_is_read_as_its_text_not_lost(tmp_path):
    (tmp_path / "fragment.html").write_text("<p>Gunmen killed two herders near Ansongo on Friday, a local official said.</p>")

    assert sentences(tmp_path / "fragment.html") == ["Gunmen killed two herders near Ansongo on Friday, a local official said."]
