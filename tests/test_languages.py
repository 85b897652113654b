"""Reports in English, French, Spanish and Portuguese: sentence ends, figures and dates per language,
in sentences shaped as those presses write them."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.text.dates import resolve, time_words
from summarizer.text.metrics import states_casualty_figure
from summarizer.text.numbers import figure_as_written, figure_in_text, numbers_in, parse_figure
from summarizer.text.language import detect, party_in_english
from summarizer.stages.load import from_text
from summarizer.stages.segment import split_sentences


@pytest.mark.parametrize(("text", "language"), [
    ("Two soldiers were killed when rebels attacked the convoy near the border on Saturday.", "en"),
    ("Un village peul du cercle de Bankass a été le théâtre d'un carnage ce samedi à l'aube.", "fr"),
    ("Diez disidentes murieron este martes en un bombardeo, según el Ministerio de Defensa.", "es"),
    ("Pelo menos vinte e cinco pessoas morreram nas cheias, segundo a proteção civil.", "pt"),
    ("قتل أربعة وثمانون شخصا في الهجوم على القرية يوم السبت", "ar"),
    ("115", "en"),  # too short to tell: read as English
])
def test_a_reports_language_is_detected(text, language):
    assert detect(text) == language


def test_the_language_identifier_is_built_once_and_kept_in_the_cache(monkeypatch):
    from py3langid.langid import LanguageIdentifier

    from summarizer.settings import cache_dir
    from summarizer.text import language

    text = "Un village peul du cercle de Bankass a été le théâtre d'un carnage ce samedi à l'aube."
    language._identifier.cache_clear()
    assert language._identifier().classify(text)[0] == "fr"
    [kept] = (cache_dir() / "langid").glob("identifier-*.pickle")

    def not_again(*args, **kwargs):
        raise AssertionError("the identifier was built again")

    language._identifier.cache_clear()
    with monkeypatch.context() as patch:  # a new process: loaded from the cache, not built
        patch.setattr(LanguageIdentifier, "from_model_file", classmethod(not_again))
        assert language._identifier().classify(text)[0] == "fr"

    kept.write_bytes(kept.read_bytes()[:1000])  # cut short (a full disk, a killed process)
    language._identifier.cache_clear()
    assert language._identifier().classify(text)[0] == "fr"  # built again, and kept whole
    language._identifier.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(LanguageIdentifier, "from_model_file", classmethod(not_again))
        assert language._identifier().classify(text)[0] == "fr"
    assert not list(kept.parent.glob("*.part"))


@pytest.mark.parametrize(("text", "sentences"), [
    ("Selon lui, 400 cases sont parties en fumée. « Ils tiraient », a raconté cet élu. À Bamako, rien.",
     ["Selon lui, 400 cases sont parties en fumée.", "« Ils tiraient », a raconté cet élu.", "À Bamako, rien."]),
    ("M. Traoré est arrivé lundi. Était-ce prévu ? Non.", ["M. Traoré est arrivé lundi.", "Était-ce prévu ?", "Non."]),
    ("El Sr. Pérez habló. ¿Quién disparó? ¡Nadie lo sabe!", ["El Sr. Pérez habló.", "¿Quién disparó?", "¡Nadie lo sabe!"]),
    ("O Dr. Silva falou. Ele disse que 25 morreram.", ["O Dr. Silva falou.", "Ele disse que 25 morreram."]),
    ("قتل ٨٤ شخصا. وقال الجيش إن الهجوم فشل؟ نعم.", ["قتل ٨٤ شخصا.", "وقال الجيش إن الهجوم فشل؟", "نعم."]),
    ("The U.S. Army said two died. Mr. Smith left.", ["The U.S. Army said two died.", "Mr. Smith left."]),
])
def test_sentences_end_where_each_language_ends_them(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(("text", "numbers"), [
    # English: compound words, hundreds, scales, dozens (each read wrong before: 20, 3, 1, 2)
    ("Twenty-five soldiers were killed.", [25]),
    ("three hundred houses and 2,000 people", [300, 2000]),
    ("1.5 million people were displaced", [1_500_000]),
    ("nearly two dozen fighters", [24]),
    ("hundreds of people", []),  # vague, not 100
    # French
    ("attribuent exactement à Wagner quatre-vingt-quatre morts et aux FAMa 47", [84, 47]),
    ("une trentaine de blessés et deux cents disparus", [30, 200]),
    ("plus de 2 000 personnes déplacées", [2000]),
    ("un village a été attaqué", []),  # an article, not a figure
    # Spanish
    ("ochenta muertos y veinticinco heridos", [80, 25]),
    ("1.200 personas y una decena de menores", [1200, 10]),
    # Portuguese
    ("vinte e cinco mortos e duas dezenas de feridos", [25, 20]),
    # Arabic-Indic digits
    ("٨٤ قتيلا", [84]),
])
def test_numbers_are_read_in_digits_and_in_words_of_the_language(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(("figure", "parsed"), [
    ("at least 20", (20, None, "at least")),
    ("Twenty-five", (25, 25, "exact")),
    ("plus de cent", (100, None, "at least")),
    ("au moins 160", (160, None, "at least")),
    ("une centaine", (100, 100, "about")),
    ("des dizaines", (None, None, "vague")),
    ("entre 91 et 600", (91, 600, "exact")),
    ("más de 40", (40, None, "at least")),
    ("cerca de 300", (300, 300, "about")),
    ("pelo menos 11", (11, None, "at least")),
])
def test_a_written_figure_is_parsed_with_its_qualifier_in_each_language(figure, parsed):
    assert parse_figure(figure) == parsed


@pytest.mark.parametrize(("sentence", "gives_figure"), [
    ("Twenty-five soldiers were killed in the ambush.", True),
    ("Selon des sources locales, plus de 100 habitants ont été abattus à Ogossagou.", True),
    ("Un premier décompte faisait état de 115 corps retrouvés en fin de matinée.", True),
    ("Les assaillants avaient tué des dizaines de villageois.", True),
    ("Le 23 mars 2019, des hommes armés ont attaqué le village et tué des habitants.", False),  # a date, no figure
    ("Plus de 400 cases sont parties en fumée.", False),  # a figure, not of people hurt
    ("Diez disidentes murieron este martes en un bombardeo.", True),
    ("Siete menores de edad figuran entre los muertos.", True),
    ("Pelo menos 25 pessoas morreram nas cheias.", True),
])
def test_casualty_sentences_are_found_in_each_language(sentence, gives_figure):
    assert states_casualty_figure(sentence) is gives_figure


def test_a_figure_is_found_in_its_sentence_and_restored_to_its_words():
    sentence = "Les autorités attribuent à Wagner quatre-vingt-quatre morts, selon le rapport."
    assert figure_in_text("84", sentence) and figure_in_text("quatre-vingt-quatre", sentence)
    assert not figure_in_text("85", sentence)
    assert figure_as_written("84", sentence) == "quatre-vingt-quatre"
    assert figure_as_written("100", "Selon des sources locales, plus de 100 habitants ont été tués.") == "plus de 100"
    assert figure_as_written("40", "Murieron más de 40 guerrilleros.") == "más de 40"
    # the model's English for the sentence's own number words is the sentence's figure; "one" is not
    assert figure_as_written("Twelve", "Le bilan de la police s'établit à douze morts.") == "douze"
    assert figure_as_written("forty", "Murieron más de cuarenta guerrilleros.") == "más de cuarenta"
    assert figure_as_written("one", "Un soldat a été tué.") == "one"
    # a word of a count the model cut short is that count, as the sentence writes it
    assert figure_as_written("dozen", "Parents had reported a dozen children missing.") == "a dozen"
    assert figure_as_written("trentaine", "Une trentaine de blessés ont été évacués.") == "Une trentaine"
    assert figure_as_written("many", "Parents had reported a dozen children missing.") == "many"
    # verification keeps a correct English row it used to drop ("Twenty-five" was read as 20)
    assert figure_in_text("Twenty-five", "Twenty-five soldiers were killed.")


PUBLISHED = dt.date(2024, 8, 2)  # a Friday


@pytest.mark.parametrize(("sentence", "written", "iso"), [
    ("Les combats ont éclaté jeudi 1er août près de la frontière.", "jeudi 1er août", "2024-08-01"),
    ("L'attaque a eu lieu samedi dernier.", "samedi dernier", "2024-07-27"),
    ("Hier, le bilan était de 47 morts.", "Hier", "2024-08-01"),
    ("Ils ont attaqué entre le 25 et le 27 juillet.", "entre le 25 et le 27 juillet", "2024-07-25/2024-07-27"),
    ("El ataque ocurrió el pasado martes en el Guaviare.", "el pasado martes", "2024-07-30"),
    ("El bombardeo del 1 de marzo de 2024 mató a siete menores.", "1 de marzo de 2024", "2024-03-01"),
    ("O ataque aconteceu na quinta-feira.", "na quinta-feira", "2024-08-01"),
    ("As cheias de 12 de setembro deixaram milhares de mortos.", "12 de setembro", "2024-09-12"),
])
def test_dates_are_read_and_resolved_in_each_language(sentence, written, iso):
    assert time_words(sentence) == written
    assert resolve(written, PUBLISHED).iso == iso


def test_avant_hier_is_not_yesterday():
    assert time_words("Avant-hier, rien ne s'est passé.") is None


def test_a_french_header_date_and_title_are_read():
    article = from_text("Centre du Mali : plus de cent morts\n\nSahel Matin\nsamedi 23 mars 2019\n\nUn village a été attaqué.")
    assert (article.title, article.published, article.language) == (
        "Centre du Mali : plus de cent morts", dt.date(2019, 3, 23), "fr")


# ---- a party named in another language is one party with its English name -----------------------

@pytest.mark.parametrize("party, lang, english", [
    ("des civils", "fr", "civilians"), ("les habitants", "fr", "residents"), ("militaires", "fr", "soldiers"),
    ("los menores", "es", "minors"), ("civiles", "es", "civilians"), ("crianças", "pt", "children"),
    ("villageois peuls", "fr", None),  # more than a common noun: kept as written
    ("civils", "en", None),            # an English report's word is its own
    ("soldados", None, None),          # no language known: nothing guessed
])
def test_a_party_named_by_a_common_noun_has_the_brief_s_english_name(party, lang, english):
    assert party_in_english(party, lang) == english


def test_french_and_english_figures_for_civilians_are_one_party_with_one_range():
    from summarizer.stages.consolidate.casualties import casualty_claims, casualty_ranges
    from summarizer.render.citations import casualty_groups
    from summarizer.schema import ArticleExtraction, ExtractedCasualty, IncidentBrief

    fr = ArticleExtraction(article_id="fr1", claims=[], casualties=[
        ExtractedCasualty(ids=[2], by="MINUSMA", party="civils", metric="killed", figure="au moins une centaine")])
    en = ArticleExtraction(article_id="en1", claims=[], casualties=[
        ExtractedCasualty(ids=[4], by="the UN", party="civilians", metric="killed", figure="134")])
    rows = casualty_claims([fr, en], {}, {"fr1": "fr", "en1": "en"})

    assert [(r.party, r.party_as_written, r.figure) for r in rows] == [
        ("civilians", "civils", "au moins une centaine"), ("civilians", None, "134")]
    [span] = casualty_ranges(rows)
    assert (span.party, span.low, span.high, span.claims) == ("civilians", 100, 134, 2)
    brief = IncidentBrief.model_construct(casualties=rows, casualty_ranges=[span])
    assert [g.name for g in casualty_groups(brief)] == ["civilians (civils)"]


@pytest.mark.parametrize(("party", "lang", "brief", "shown"), [
    ("des civils", "fr", "en", "civilians"),
    ("civilians", "en", "fr", "civils"),
    ("soldiers", "en", "fr", "soldats"),  # the first of French's words for them, not "militaires"
    ("menores", "es", "fr", "mineurs"),
    ("muertos", "es", "pt", "mortos"),
    ("soldats", "fr", "fr", None),  # the brief's own language: as written
    ("Wagner fighters", "en", "fr", None),  # no word for the phrase: as written
])
def test_a_party_is_shown_in_the_brief_s_language_where_the_project_has_a_word_for_it(party, lang, brief, shown):
    from summarizer.text.language import party_in_language

    assert party_in_language(party, lang, brief) == shown


def test_a_french_brief_of_french_and_english_reports_names_the_party_in_french():
    from summarizer.stages.consolidate.casualties import casualty_claims, figure_disputes
    from summarizer.schema import ArticleExtraction, ExtractedCasualty

    fr = ArticleExtraction(article_id="fr1", claims=[], casualties=[
        ExtractedCasualty(ids=[2], by="MINUSMA", party="civils", metric="killed", figure="au moins une centaine")])
    en = ArticleExtraction(article_id="en1", claims=[], casualties=[
        ExtractedCasualty(ids=[4], by="the UN", party="civilians", metric="killed", figure="134")])
    rows = casualty_claims([fr, en], {}, {"fr1": "fr", "en1": "en"}, brief_language="fr")

    assert [(r.party, r.party_as_written, r.figure) for r in rows] == [
        ("civils", None, "au moins une centaine"), ("civils", "civilians", "134")]
    [dispute] = figure_disputes(rows, "fr")
    assert dispute.question == "Combien de morts parmi les civils ?"
    assert [p.statement for p in dispute.positions] == ["au moins une centaine morts", "134 morts"]
    [english] = figure_disputes(casualty_claims([fr, en], {}, {"fr1": "fr", "en1": "en"}), "en")
    assert english.question == "How many civilians were killed?"
    assert [p.statement for p in english.positions] == ["au moins une centaine killed", "134 killed"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Tinzaouatene", "Tin Zaouatene", True),  # a space in one spelling
    ("Tinzaouatene", "Tinzaouaten", True),
    ("Tinzaouatene", "تنزاواتن", True),  # Arabic writes few vowels; French writes "ou" for "w"
    ("Tinzaouatene", "Тинзауатен", True),  # Cyrillic
    ("Ouagadougou", "واغادوغو", True),
    ("Derna", "درنة", True),
    ("Kidal", "Kadel", False),  # one key, but two Latin names not written alike
    ("Mali", "مالي", False),  # a key this short names too many places
    ("Kidal", "Gao", False),
])
def test_a_name_in_two_spellings_or_scripts_is_one_name(a, b, same):
    from summarizer.text.spelling import same_name

    assert same_name(a, b) is same and same_name(b, a) is same


def test_the_spellings_of_a_name_are_found_in_any_script_and_in_latin_only_as_names_are_written():
    from summarizer.text.spelling import spellings_in

    assert spellings_in("Des combats à Tin Zaouatene, que la presse arabe écrit تنزاواتن.", "Tinzaouatene") == [
        "Tin Zaouatene", "تنزاواتن"]
    assert spellings_in("the tin zaouatene road", "Tinzaouatene") == []  # not capitalised: no name


def test_a_place_the_model_names_carries_every_spelling_the_reports_write_and_joins_its_twin(tmp_path):
    from summarizer.schema import ConsolidationResponse
    from summarizer.stages.consolidate.draft import brief_places
    from summarizer.stages.segment import segment

    reports = [
        "Combats à Tin Zaouatene\n\nLe Courrier\n\nDes combats ont eu lieu à Tin Zaouatene samedi, près de Kidal.",
        "Fighting in Tinzaouaten\n\nThe Wire\n\nRebels said they held Tinzaouaten after two days of fighting.",
        "معارك في تنزاواتن\n\nالصحيفة\n\nقال المتمردون إنهم سيطروا على تنزاواتن بعد يومين من القتال.",
    ]
    articles = [segment(from_text(text, path=f"{i}.txt")) for i, text in enumerate(reports)]
    drafted = ConsolidationResponse.model_validate({
        "summary": [{"text": "Fighting.", "claims": [1]}] * 2, "title": "t", "incident_type": "battle",
        "places": [{"name": "Tinzaouaten", "spellings": [], "country": "Mali"},
                   {"name": "Tin Zaouatene", "spellings": [], "country": None},
                   {"name": "Kidal", "spellings": [], "country": "Mali"}],
    })

    places = brief_places(drafted, articles)

    assert [(p.name, sorted(p.spellings)) for p in places] == [
        ("Tinzaouaten", sorted(["Tin Zaouatene", "تنزاواتن"])), ("Kidal", [])]
    assert places[0].country == "Mali"
    assert {c.source_id for c in places[0].citations} == {a.article.id for a in articles}
