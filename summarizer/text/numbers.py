"""Numbers as reports write them: "at least 20", "two", "dozens", "12".

Code, not the model, turns a written figure into numbers and checks that a figure really
appears in the sentence it cites, with the words the sentence puts around it.
"""

from __future__ import annotations

import re

from summarizer.text.language import ABOUT_NOUNS, MONTH_NAME, detect, number_spans

# Vague figures: the word as written -> the stem a cited sentence must contain.
VAGUE = {"dozens": "dozen", "scores": "score", "several": "several", "numerous": "numerous", "many": "many",
         "hundreds": "hundred", "thousands": "thousand", "some": "some", "a few": "few", "few": "few",
         "dizaines": "dizaine", "centaines": "centaine", "milliers": "millier", "plusieurs": "plusieurs",
         "nombreux": "nombreu", "nombreuses": "nombreu", "quelques": "quelques",
         "decenas": "decena", "centenares": "centenar", "cientos": "cientos", "miles": "miles", "varios": "vari",
         "varias": "vari", "numerosos": "numeros", "muchos": "much", "dezenas": "dezena", "centenas": "centena",
         "milhares": "milhar", "vários": "vári", "várias": "vári", "muitos": "muit"}
# A plural collective is a figure a sentence gives ("des dizaines de morts"); "many" or "some" is not.
VAGUE_FIGURE = re.compile(r"\b(dozens|scores of|hundreds|thousands|dizaines|centaines|milliers|decenas|centenares|"
                          r"cientos|miles de|dezenas|centenas|milhares)\b", re.I)
AT_LEAST = re.compile(r"(?<!\w)(at least|more than|over|upwards of|no fewer than|at minimum|au moins|plus de|plus d['’]|"
                      r"pas moins de|más de|al menos|por lo menos|no menos de|mais de|pelo menos|ao menos)(?!\w)", re.I)
AT_MOST = re.compile(r"(?<!\w)(at most|up to|fewer than|less than|no more than|au plus|jusqu['’]à|moins de|"
                     r"hasta|menos de|como máximo|até|no máximo)(?!\w)", re.I)
ABOUT = re.compile(r"(?<!\w)(about|around|nearly|almost|approximately|roughly|some|an estimated|environ|près de|"
                   r"presque|quelque|unos|unas|cerca de|alrededor de|casi|aproximadamente|quase|por volta de|"
                   r"(?:une?|una?|uma) (?:" + "|".join(ABOUT_NOUNS) + r"))(?!\w)", re.I)
RANGE = re.compile(r"\d\s*(-|–|to|and|à|a|et|y|e)\s*\w", re.I)
CITATION_MARKER = re.compile(r"\[\d+(?:\.\d+)*\]")


def numbers_in(text: str, lang: str | None = None) -> list[int]:
    """Every number the text writes, in digits or in words of its language (detected when not given).

    Example:
        >>> numbers_in("two soldiers killed and 10 injured"), numbers_in("quatre-vingt-quatre morts")
        ([2, 10], [84])
    """
    text = CITATION_MARKER.sub(" ", text)  # "[3.4]" in a report is a marker, not a figure
    return [value for _, _, value in number_spans(text, lang or detect(text))]


def parse_figure(figure: str, lang: str | None = None) -> tuple[int | None, int | None, str]:
    """A written figure -> (low, high, qualifier); high None means open-ended. ``lang`` is its
    report's language: a lone word ("douze") is too short to tell its language from.

    Example:
        >>> parse_figure("at least 20"), parse_figure("plus de cent"), parse_figure("une trentaine")
        ((20, None, 'at least'), (100, None, 'at least'), (30, 30, 'about'))
        >>> parse_figure("douze", "fr")
        (12, 12, 'exact')
    """
    numbers = numbers_in(figure, lang)
    if not numbers:
        return None, None, "vague"
    if len(numbers) >= 2 and RANGE.search(figure):
        return min(numbers[:2]), max(numbers[:2]), "exact"
    n = numbers[0]
    if AT_LEAST.search(figure):
        return n, None, "at least"
    if AT_MOST.search(figure):
        return None, n, "at most"
    if ABOUT.search(figure):
        return n, n, "about"
    return n, n, "exact"


def figure_in_text(figure: str, text: str, lang: str | None = None) -> bool:
    """True when the figure's numbers (or its vague word, e.g. 'dozens') appear in the text.

    Both are read in the text's language: the figure is written as the sentence writes it.
    """
    lang = lang or detect(text)
    numbers = numbers_in(figure, lang)
    if numbers:
        return set(numbers) <= set(numbers_in(text, lang))
    lowered = text.lower()
    words = [stem for word, stem in VAGUE.items() if re.search(r"(?<!\w)" + word + r"(?!\w)", figure.lower())]
    return bool(words) and any(stem in lowered for stem in words)


# Years and days of a month are numbers too, but not casualty figures.
DATES = re.compile(r"\b(1[89]\d{2}|20\d{2})\b|\b(?:" + MONTH_NAME + r")\s+\d{1,2}\b|"
                   r"\b\d{1,2}(?:er|º|°)?\s+(?:de\s+)?(?:" + MONTH_NAME + r")\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|"
                   r"\b\d{1,2}\s?[h:]\s?\d{2}\b", re.I)


def figure_spots(figure: str, sentence: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Where the sentence writes the figure: the spans of its number, or of its vague word."""
    lang = lang or detect(sentence)
    if numbers := numbers_in(figure, lang):
        return [(start, end) for start, end, value in number_spans(sentence, lang) if value in numbers]
    vague = [word for word in VAGUE if re.search(r"(?<!\w)" + word + r"(?!\w)", figure.lower())]
    return [(m.start(), m.end()) for word in vague for m in re.finditer(r"(?<!\w)" + word + r"(?!\w)", sentence, re.I)]


def count_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The spans of the numbers in a text that are no part of a date ("Thursday 14 September")."""
    dates = [m.span() for m in DATES.finditer(text)]
    return [(s, e) for s, e, _ in number_spans(text, lang) if not any(a <= s < b for a, b in dates)]


QUALIFIER_BEFORE = re.compile(r"(?:" + "|".join(p.pattern.removeprefix("(?<!\\w)").removesuffix("(?!\\w)")
                                                  for p in (AT_LEAST, AT_MOST, ABOUT)) + r")\s+$", re.I)


def figure_as_written(figure: str, sentence: str, lang: str | None = None) -> str:
    """The figure with the words the sentence puts around it: "20" in "at least 20 ..." is "at least 20".

    Small models drop qualifiers and turn words into digits; code restores the sentence's own
    words ("84" in "quatre-vingt-quatre morts" is "quatre-vingt-quatre"), never invents one.

    Example:
        >>> figure_as_written("20", "Bloggers said at least 20 mercenaries were killed.")
        'at least 20'
    """
    lang = lang or detect(sentence)
    # A figure the model turned into English ("Twelve" for "douze morts") is the sentence's figure
    # of that value; "one" aside, which English writes for "a" and "un" for "one".
    numbers = numbers_in(figure, lang) or [n for n in numbers_in(figure, "en") if n != 1]
    spans = number_spans(sentence, lang)
    if not numbers and figure.strip():
        # A word of a count the model cut short ("dozen" of "a dozen children") is that count.
        word = re.compile(r"(?<!\w)" + re.escape(figure.strip()) + r"(?!\w)", re.I)
        numbers = [value for start, end, value in spans if word.search(sentence[start:end])][:1]
    if len(numbers) != 1:
        return figure
    for start, end, value in spans:
        if value == numbers[0]:
            qualifier = QUALIFIER_BEFORE.search(sentence[max(0, start - 30):start])
            return sentence[start - (len(qualifier.group(0)) if qualifier else 0):end]
    return figure
