"""Languages: which one a text is in, and the words each writes numbers, days and months with.

Every rule that reads words (figures, dates, casualty words, who speaks) takes its vocabulary
from here, so a language is added in one place. Supported for figures, dates and attribution:
English, French, Spanish and Portuguese. Other languages are detected and recorded; their digits
are read, their words are not.

Detection is py3langid's (langid.py's model); number words are read by text2num.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from functools import lru_cache

from summarizer.text.words import MONTH_VARIANTS, MONTHS

SUPPORTED = ("en", "fr", "es", "pt")
# Told apart by detection, so that a report in one of them is not taken for a supported one.
DETECTED = (*SUPPORTED, "de", "it", "nl", "da", "pl", "uk", "ru", "ar", "tr", "sw", "ha")
DEFAULT = "en"
# The languages a brief can be written in (``--language``): what the model is asked to write in.
NAMES = {
    "en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese", "de": "German", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ru": "Russian", "ar": "Arabic", "tr": "Turkish",
}
MIN_CONFIDENCE = 0.5  # below this (a bare "115", "dozens") a short text is read as English

WEEKDAYS = {  # Monday first, as datetime.weekday() counts
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
}
WEEKDAY_VARIANTS = {"miercoles": 2, "sabado": 5, "terca-feira": 1}
YESTERDAY = {"en": "yesterday", "fr": "hier", "es": "ayer", "pt": "ontem"}


def month_number(word: str) -> int | None:
    """1-12 for a month name in any supported language.

    Example:
        >>> month_number("Août"), month_number("julio"), month_number("Friday")
        (8, 7, None)
    """
    word = word.lower()
    for names in MONTHS.values():
        if word in names:
            return names.index(word) + 1
    return MONTH_VARIANTS.get(word)


def weekday_number(word: str) -> int | None:
    """0 (Monday) to 6 for a weekday name in any supported language ("quinta" for "quinta-feira")."""
    word = word.lower()
    for names in WEEKDAYS.values():
        for i, name in enumerate(names):
            if word == name or word == name.removesuffix("-feira"):
                return i
    return WEEKDAY_VARIANTS.get(word)


def _alternation(words) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


MONTH_NAME = _alternation([m for names in MONTHS.values() for m in names] + list(MONTH_VARIANTS))
WEEKDAY_NAME = _alternation([d for names in WEEKDAYS.values() for d in names]
                            + [d.removesuffix("-feira") for d in WEEKDAYS["pt"]] + list(WEEKDAY_VARIANTS))


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier for the DETECTED languages, kept built in the user cache.

    Building it decompresses py3langid's model (0.4 s), which was most of an unchanged re-run's
    1.2 s (2026-12-07); the built identifier loads in 0.05 s. Its file is named by py3langid's
    version and the languages, and one that will not load is built again.
    """
    import importlib.metadata
    import pickle

    from summarizer.settings import cache_dir

    version = importlib.metadata.version("py3langid")
    key = hashlib.sha256(f"{version} {' '.join(DETECTED)}".encode()).hexdigest()[:12]
    path = cache_dir() / "langid" / f"identifier-{version}-{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # absent, cut short or of another build: build it again
        pass
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(DETECTED))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(identifier, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # whole or not at all, whichever process writes it
    except OSError:  # a read-only cache: detection works, only slower
        pass
    return identifier


@lru_cache(maxsize=65_536)
def detect(text: str) -> str:
    """The ISO 639-1 code of the text's language; English when the text is too short to tell.

    Example:
        >>> detect("Selon lui, plus de 400 cases sont parties en fumée."), detect("115")
        ('fr', 'en')
    """
    if not re.search(r"[^\W\d_]{2}", text):
        return DEFAULT
    language, confidence = _identifier().classify(text[:4000])
    return language if confidence >= MIN_CONFIDENCE else DEFAULT


# ---- numbers ---------------------------------------------------------------------------------

# Digits: "12", "2,000" (English), "2 000" / "2.000" (French, Spanish, Portuguese), "1.5 million".
_THOUSANDS = {"en": ","}
_SCALES = {"million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9, "milliard": 10**9,
           "milliards": 10**9, "millón": 10**6, "millones": 10**6, "milhão": 10**6, "milhões": 10**6,
           "thousand": 1000, "mille": 1000, "mil": 1000}
# "une centaine" is about a hundred; "des centaines" is vague (see numbers.VAGUE).
ABOUT_NOUNS = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
    "decena": 10, "docena": 12, "veintena": 20, "treintena": 30, "centenar": 100, "millar": 1000,
    "dezena": 10, "dúzia": 12, "vintena": 20, "centena": 100, "milhar": 1000,
    "dozen": 12,
}
_ARTICLES_ONE = {"un", "une", "uno", "una", "um", "uma", "a", "an"}  # "un village" is not a figure
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # a word, hyphens and apostrophes inside it
_MAX_RUN = 10


def _digit_pattern(lang: str) -> re.Pattern:
    sep = re.escape(_THOUSANDS.get(lang, ".")) + ("" if lang == "en" else "\u00a0\u202f ")
    decimal = "." if lang == "en" else ","
    return re.compile(
        r"(?<![\d" + re.escape(decimal) + r"])(\d{1,3}(?:[" + sep + r"]\d{3})+|\d+)(?:" + re.escape(decimal) + r"(\d+))?"
        r"(?:\s+(" + "|".join(_SCALES) + r")\b)?(?!\d)", re.I)


_DIGITS = {lang: _digit_pattern(lang) for lang in SUPPORTED}


@lru_cache(maxsize=65_536)
def number_spans(text: str, lang: str = DEFAULT) -> tuple[tuple[int, int, int], ...]:
    """Every whole number the text writes, as (start, end, value) over the text, in order.

    Digits in any script ("٨٤"), grouped thousands as the language writes them, scales ("1.5
    million"), and number words in a supported language ("quatre-vingt-quatre", "twenty-five",
    "three hundred", "two dozen", "une centaine"). A lone article ("un village") and a decimal
    that is not scaled ("2.5 km") are not counts.

    Example:
        >>> [v for _, _, v in number_spans("Twenty-five soldiers and 1.5 million people", "en")]
        [25, 1500000]
        >>> [v for _, _, v in number_spans("84 morts, une trentaine de blessés et deux cents disparus", "fr")]
        [84, 30, 200]
    """
    lang = lang if lang in SUPPORTED else DEFAULT
    spans: list[tuple[int, int, int]] = []
    for m in _DIGITS[lang].finditer(text):
        whole = int(re.sub(r"\D", "", m.group(1)) if not m.group(1).isdigit() else m.group(1))
        scale = _SCALES.get((m.group(3) or "").lower())
        if m.group(2) and not scale:
            continue  # 2.5 km, 1,5 %: a measure, not a count
        value = int(float(f"{whole}.{m.group(2) or 0}") * scale) if scale else whole
        spans.append((m.start(), m.end(), value))
    taken = [(s, e) for s, e, _ in spans]
    spans += _word_numbers(text, lang, taken)
    return tuple(sorted(spans))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1] in ABOUT_NOUNS else word


def _word_numbers(text: str, lang: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    from text_to_num import text2num

    starts = [s for s, _ in taken]  # in order, not overlapping: the digit spans

    def in_digits(at: int) -> bool:
        k = bisect.bisect_right(starts, at) - 1
        return k >= 0 and at < taken[k][1]

    words = [m for m in WORD.finditer(text) if not in_digits(m.start())]
    found: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        best = None
        for j in range(min(len(words), i + _MAX_RUN), i, -1):
            run = text[words[i].start():words[j - 1].end()]
            if j - i > 1 and re.search(r"[^\w\s'’-]", run):
                continue  # a number does not run across punctuation
            try:
                best = (j, text2num(run.lower(), lang))
                break
            except ValueError:
                continue
        first = words[i].group(0).lower()
        if best is None:
            if (value := ABOUT_NOUNS.get(first)) and i > 0 and words[i - 1].group(0).lower() in _ARTICLES_ONE:
                found.append((words[i - 1].start(), words[i].end(), value))  # "une centaine"
            i += 1
            continue
        j, value = best
        single = j - i == 1
        if single and (first in _ARTICLES_ONE or first.endswith("s") and value >= 100):
            i += 1  # "un village"; "hundreds", "milliers": vague, not a number
            continue
        end = words[j - 1].end()
        if j < len(words) and (per := ABOUT_NOUNS.get(_singular(words[j].group(0).lower()))):
            value, end, j = value * per, words[j].end(), j + 1  # "two dozen", "deux centaines", "duas dezenas"
        found.append((words[i].start(), end, value))
        i = j
    return found


# ---- the brief's words for who suffers --------------------------------------------------------

# A casualty metric in each brief language: "killed" is "morts" in a French brief.
METRIC_NAMES = {
    "fr": {"killed": "morts", "wounded": "blessés", "captured": "prisonniers", "missing": "disparus",
           "killed or captured": "morts ou prisonniers"},
    "es": {"killed": "muertos", "wounded": "heridos", "captured": "capturados", "missing": "desaparecidos",
           "killed or captured": "muertos o capturados"},
    "pt": {"killed": "mortos", "wounded": "feridos", "captured": "capturados", "missing": "desaparecidos",
           "killed or captured": "mortos ou capturados"},
}


def metric_name(metric: str, language: str = DEFAULT) -> str:
    """A metric as the brief's language writes it ("killed" is "morts" in a French brief)."""
    return METRIC_NAMES.get(language, {}).get(metric, metric)

# The people a casualty figure counts, as French, Spanish and Portuguese reports name them, in the
# brief's English: a casualty row shows "civilians" for "civils", "civiles" and "civis", so that
# one party has one row and one range across languages. Only whole names are looked up ("des
# civils", "les habitants"); a name with more in it ("villageois peuls") stays as written.
PARTY_WORDS = {
    "fr": {
        "civils": "civilians", "villageois": "villagers", "habitants": "residents",
        "personnes": "people", "gens": "people", "victimes": "victims", "morts": "dead", "corps": "bodies",
        "enfants": "children", "mineurs": "minors", "femmes": "women", "hommes": "men",
        "secouristes": "rescuers",
        "soldats": "soldiers", "militaires": "soldiers", "combattants": "fighters", "assaillants": "attackers",
        "terroristes": "terrorists", "jihadistes": "jihadists", "djihadistes": "jihadists", "miliciens": "militiamen",
        "rebelles": "rebels", "dissidents": "dissidents", "guérilleros": "guerrillas", "policiers": "police officers", "gendarmes": "gendarmes",
        "déplacés": "displaced people", "blessés": "wounded", "éleveurs": "herders", "agriculteurs": "farmers",
    },
    "es": {
        "rescatistas": "rescuers", "socorristas": "rescuers",
        "civiles": "civilians", "personas": "people", "víctimas": "victims", "muertos": "dead",
        "fallecidos": "dead", "cuerpos": "bodies", "cadáveres": "bodies", "niños": "children",
        "menores": "minors", "mujeres": "women", "hombres": "men", "soldados": "soldiers",
        "militares": "soldiers", "combatientes": "fighters", "guerrilleros": "guerrillas",
        "disidentes": "dissidents", "rebeldes": "rebels", "policías": "police officers", "milicianos": "militiamen",
        "habitantes": "residents", "pobladores": "residents", "campesinos": "farmers", "heridos": "wounded",
        "desplazados": "displaced people",
    },
    "pt": {
        "socorristas": "rescuers",
        "civis": "civilians", "pessoas": "people", "vítimas": "victims", "mortos": "dead", "corpos": "bodies",
        "crianças": "children", "menores": "minors", "mulheres": "women", "homens": "men",
        "soldados": "soldiers", "militares": "soldiers", "combatentes": "fighters", "rebeldes": "rebels",
        "policiais": "police officers", "moradores": "residents", "habitantes": "residents",
        "aldeões": "villagers", "feridos": "wounded", "deslocados": "displaced people",
    },
}
# The same people as English reports name them: with PARTY_WORDS, the nouns code reads as a
# figure's party when the model's is not beside it ("au moins une centaine de corps").
PERSON_NOUNS = {
    "civilians", "villagers", "residents", "inhabitants", "people", "persons", "victims", "dead", "bodies",
    "children", "minors", "women", "men", "soldiers", "troops", "fighters", "militants", "attackers", "gunmen",
    "terrorists", "jihadists", "rebels", "separatists", "insurgents", "guerrillas", "dissidents", "militiamen",
    "police", "policemen", "officers", "gendarmes", "herders", "farmers", "migrants", "refugees", "workers",
    "volunteers", "students", "pupils", "worshippers", "passengers", "mercenaries", "personnel", "operatives",
    "rescuers",
} | {word for words in PARTY_WORDS.values() for word in words}
_DETERMINERS = re.compile(
    r"^(?:les|des|de|du|ces|leurs|plusieurs|los|las|unos|unas|varios|varias|os|as|uns|umas|vários|várias)\s+",
    re.I)


def party_in_english(party: str, lang: str | None) -> str | None:
    """The brief's English for a party a report names in its own language, or None where there is none.

    Example:
        >>> party_in_english("des civils", "fr"), party_in_english("menores", "es"), party_in_english("villageois peuls", "fr")
        ('civilians', 'minors', None)
    """
    words = PARTY_WORDS.get(lang or "")
    return words.get(_bare_noun(party)) if words else None


def _bare_noun(party: str) -> str:
    """A party as the noun tables key it: lower-cased, one space between words, no determiner
    ("des civils" -> "civils") and no punctuation around it."""
    return _DETERMINERS.sub("", " ".join(party.split()).strip(" .,;:'\"«»").lower())


# A brief's word for a people noun, from English: the first of the language's words for it ("soldats",
# not "militaires", for "soldiers").
_FROM_ENGLISH = {lang: {english: word for word, english in reversed(words.items())} for lang, words in PARTY_WORDS.items()}


def party_in_language(party: str, lang: str | None, brief: str) -> str | None:
    """A party a report in ``lang`` names, in the brief's language ``brief``; None where the report
    writes the brief's language, or where the project has no word for it (it is then shown as written).

    Example:
        >>> party_in_language("des civils", "fr", "en"), party_in_language("civilians", "en", "fr")
        ('civilians', 'civils')
        >>> party_in_language("muertos", "es", "pt"), party_in_language("soldats", "fr", "fr")
        ('mortos', None)
    """
    if (lang or DEFAULT) == brief:
        return None
    if (lang or DEFAULT) == "en":
        english = name if (name := _bare_noun(party)) in PERSON_NOUNS else None
    else:
        english = party_in_english(party, lang)
    if english is None or brief == "en":
        return english
    return _FROM_ENGLISH.get(brief, {}).get(english)


ENGLISH_PERSON_NOUNS = PERSON_NOUNS - {word for words in PARTY_WORDS.values() for word in words}


def people_noun(name: str, brief: str = DEFAULT) -> str | None:
    """A bare noun for people, written in any language read, in the brief's language; None for
    any other name ("villageois peuls", "Malian soldiers").

    Example:
        >>> people_noun("les disidentes"), people_noun("dissidents"), people_noun("Civils", "es")
        ('dissidents', 'dissidents', 'civiles')
        >>> people_noun("villageois peuls") is None
        True
    """
    bare = re.sub(r"^the\s+", "", _bare_noun(name))
    english = bare if bare in ENGLISH_PERSON_NOUNS else next(
        (words[bare] for words in PARTY_WORDS.values() if bare in words), None)
    if english is None or brief == "en":
        return english
    return _FROM_ENGLISH.get(brief, {}).get(english)
