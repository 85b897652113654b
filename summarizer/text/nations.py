"""Which country a word names: "Malian", "Mali's", "maliennes", "colombiano", "Burkinabe" -> its
ISO 3166 code, from the country names CLDR (Babel) writes in the languages read. Demonyms are not in
CLDR: a word names a country when it is the country's name, or is the name with a demonym's ending
("Malian" = "Mali" + "an", "libyens" = "Libye" less "e" + "ens"). Where two readings differ the one
that strips less wins ("Nigerian" is Nigeria's, "Nigerien" Niger's).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale

from summarizer.text.language import SUPPORTED

# Demonym endings, shortest first: the first that leaves a country's name (or its stem) wins.
ENDINGS = ("n", "an", "en", "ian", "ien", "ese", "ano", "ana", "ais", "ois", "ine", "ino", "ina", "be", "bè", "bé",
           "enne", "ienne", "iano", "iana", "ense", "eño", "eña", "ês", "esa", "i")
# What a country's name may end in once its demonym's ending is off ("Colomb-ia", "Liby-e", "Rus-sie").
NAME_ENDS = ("", "a", "e", "ia", "ie", "o")
PLURALS = ("es", "s")
SHORTEST = 4  # letters; "Mali", "Chad", "Peru" are countries, "Iran"'s "Ir-" is no stem


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _countries() -> dict[str, str]:
    """Plain country name (and the first word of a longer one: "burkina") -> ISO code."""
    names: dict[str, str] = {}
    firsts: dict[str, set[str]] = {}
    for language in SUPPORTED:
        for code, name in Locale(language).territories.items():
            if not (code.isalpha() and len(code) == 2) or code in {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}:
                continue
            plain = _plain(name)
            names.setdefault(plain, code)
            first = plain.split()[0]
            if len(first) >= 6 and " " in plain:
                firsts.setdefault(first, set()).add(code)
    # The first word of a longer name where it begins no other: "burkina", not "french" (Guiana, Polynesia).
    names.update({first: codes.pop() for first, codes in firsts.items() if len(codes) == 1 and first not in names})
    return names


@cache  # asked of every capitalised word of every sentence (``actors._home_nation``), and of each name's words
def nation_of(word: str) -> str | None:
    """The ISO code of the country ``word`` names, by its name or a demonym of it; else None.

    Example:
        >>> [nation_of(w) for w in ("Malian", "Mali's", "maliennes", "Burkinabe", "colombiano", "Nigerian", "army")]
        ['ML', 'ML', 'ML', 'BF', 'CO', 'NG', None]
    """
    plain = _plain(word)
    for suffix in ("'s", "'"):
        plain = plain.removesuffix(suffix)
    countries = _countries()
    if len(plain) >= SHORTEST and plain in countries:
        return countries[plain]
    bases = [plain] + [plain[: -len(p)] for p in PLURALS if plain.endswith(p)]
    readings = []  # (an ending replaced, not only cut; letters cut) -> country
    for ending in map(_plain, ENDINGS):
        for base in bases:
            stem = base[: -len(ending)]
            if not base.endswith(ending) or len(stem) < SHORTEST - 1:
                continue
            readings += [((end != "", len(plain) - len(stem)), code) for end in NAME_ENDS
                         if len(stem + end) >= SHORTEST and (code := countries.get(stem + end))]
    return min(readings)[1] if readings else None
