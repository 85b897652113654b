"""The HTML report in a real headless Chromium: clicks highlight exactly the cited sentences.

Uses Debian's chromium and chromedriver through selenium with explicit paths, so nothing is
downloaded. Screenshots land in tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summarizer.render import to_html
from summarizer.schema import IncidentBrief

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "briefs" / "sample_brief.json"
ARTIFACTS = ROOT / "tests" / "artifacts"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Chromium and chromedriver: install them with "
    "`apt-get install -y chromium chromium-driver` (Debian/Ubuntu)",
)

# Source ids of the sample reports (first 12 hex of the SHA-256 of each file).
ICARO, AL_JAZEERA_RETOLD, AI_IMAGE, ERRONEOUS, AIRSTRIKES = (
    "92be7118835e", "d23f7b4fdabf", "cbf50b83d3e3", "bdc80d449b14", "ca8d85e58b51",
)

HIGHLIGHTED = "return Array.from(document.querySelectorAll('.s.hl'), e => [e.dataset.source, Number(e.dataset.n)]);"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium: pip install 'selenium>=4.20'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1440,900", "--force-device-scale-factor=1",
    ):
        options.add_argument(flag)
    # An explicit driver path keeps Selenium Manager from resolving (or downloading) a driver.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, tmp_path):
    """The fixture brief's HTML report, written to a file and opened via file://."""
    brief = IncidentBrief.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "brief.html"
    path.write_text(to_html(brief), encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def _highlighted(driver) -> set[tuple[str, int]]:
    return {(source, n) for source, n in driver.execute_script(HIGHLIGHTED)}


def _wait_until_in_view(driver, element) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    in_view = (
        "const r = arguments[0].getBoundingClientRect(), v = document.getElementById('reader').getBoundingClientRect();"
        "return r.top >= v.top && r.bottom <= v.bottom;"
    )
    WebDriverWait(driver, 5).until(lambda d: d.execute_script(in_view, element))


def _screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def test_report_opens_without_loading_any_resource(page):
    assert page.title.startswith("Tuareg separatists claim victory")
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_clicking_a_citation_marker_highlights_exactly_its_sentences(page):
    from selenium.webdriver.common.by import By

    summary_markers = page.find_elements(By.CSS_SELECTOR, "#summary .markers")
    summary_markers[0].find_elements(By.CSS_SELECTOR, ".cite")[0].click()
    assert _highlighted(page) == {(ICARO, 1)}

    # "...Wagner confirmed the death of its local commander, Sergei Shevchenko." cites 004, 10-11.
    marker = summary_markers[3].find_elements(By.CSS_SELECTOR, ".cite")[1]
    assert marker.text == "5"
    marker.click()

    assert _highlighted(page) == {(AIRSTRIKES, 10), (AIRSTRIKES, 11)}
    first = page.find_element(By.CSS_SELECTOR, f'.s[data-source="{AIRSTRIKES}"][data-n="10"]')
    _wait_until_in_view(page, first)
    assert "2 sentences in 1 source" in page.find_element(By.ID, "reader-status").text
    _screenshot(page, "report_citation.png")


def test_clicking_a_claim_highlights_its_sentences_in_every_source_that_carries_them(page):
    from selenium.webdriver.common.by import By

    page.find_element(By.CSS_SELECTOR, "#claim-c06 .statement").click()

    assert _highlighted(page) == {(ICARO, 11), (AL_JAZEERA_RETOLD, 11), (AI_IMAGE, 8), (ERRONEOUS, 10)}


def test_clicking_the_same_marker_again_clears_the_highlight(page):
    from selenium.webdriver.common.by import By

    marker = page.find_elements(By.CSS_SELECTOR, "#summary .cite")[0]
    marker.click()
    marker.click()

    assert _highlighted(page) == set()


def test_clicking_a_dispute_position_highlights_its_sentences_in_its_colour(page):
    from selenium.webdriver.common.by import By

    army = page.find_elements(By.CSS_SELECTOR, "#dispute-2 .position")[1]
    assert army.find_element(By.CSS_SELECTOR, ".claimant").text.lower() == "malian army"
    army.find_element(By.CSS_SELECTOR, ".statement").click()

    army_sentences = {(ICARO, 11), (AL_JAZEERA_RETOLD, 11), (ERRONEOUS, 10)}
    assert _highlighted(page) == army_sentences
    coloured = page.execute_script("return document.querySelectorAll('.s.hl.hl-p1').length")
    assert coloured == len(army_sentences)

    page.find_element(By.CSS_SELECTOR, "#dispute-2 .compare").click()

    separatist_sentences = {(ICARO, 8), (AL_JAZEERA_RETOLD, 9), (ERRONEOUS, 10)}
    assert _highlighted(page) == army_sentences | separatist_sentences
    p0 = {(s, int(n)) for s, n in page.execute_script(
        "return Array.from(document.querySelectorAll('.s.hl-p0'), e => [e.dataset.source, e.dataset.n]);")}
    assert p0 == separatist_sentences
    assert "5 sentences in 3 sources" in page.find_element(By.ID, "reader-status").text
    page.execute_script("document.getElementById('dispute-2').scrollIntoView({block: 'center'});")
    _screenshot(page, "report_dispute.png")
