"""One name in several spellings and scripts: Tinzaouatene, Tinzaouaten, Tin Zaouatene, Тинзауатен, تنزاواتن.

A name's key is its consonants in Latin letters: transliterated (anyascii), vowels and the letters
that stand for them in one script or another (w, y, h) left out, a doubled letter read once.
Arabic writes few vowels and French writes "ou" for "w", so the key is what the spellings share:
"tnztn" for all five above. Two Latin spellings with one key must also be written alike (a
"Kidal" is not a "Kadel"); a spelling in another script needs only the key, and a long enough one.
"""

from __future__ import annotations

import difflib
import re

from anyascii import anyascii

from summarizer.text.language import WORD

MIN_KEY = 3  # a shorter key ("ml" for Mali and Mila) names too many places to join on it
MIN_LATIN_LIKENESS = 0.75  # two Latin spellings of one key this alike (difflib ratio, letters only)
_NOT_CONSONANT = re.compile(r"[^bcdfgjklmnpqrstvxz]")  # keeps the consonants but w, y, h (and vowels, marks)
_DOUBLED = re.compile(r"(.)\1+")
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f'’-]+$")


def spelling_key(name: str) -> str:
    """The consonants a name's spellings share: ``'Tin Zaouatene'`` and ``'تنزاواتن'`` -> ``'tnztn'``.

    Example:
        >>> spelling_key("Ouagadougou"), spelling_key("واغادوغو")
        ('gdg', 'gdg')
    """
    letters = _NOT_CONSONANT.sub("", anyascii(name).lower().replace("ph", "f"))
    return _DOUBLED.sub(r"\1", letters)


def is_latin(name: str) -> bool:
    return bool(_LATIN.match(name))


def same_name(a: str, b: str) -> bool:
    """Whether two spellings are one name: one key, long enough; and, both in Latin letters, written alike.

    Example:
        >>> same_name("Tinzaouatene", "Tin Zaouatene"), same_name("Tinzaouatene", "تنزاواتن")
        (True, True)
        >>> same_name("Kidal", "Kadel"), same_name("Mali", "مالي")
        (False, False)
    """
    key = spelling_key(a)
    if len(key) < MIN_KEY or key != spelling_key(b):
        return False
    if is_latin(a) and is_latin(b):
        plain_a, plain_b = (re.sub(r"[^a-z]", "", anyascii(x).lower()) for x in (a, b))
        return difflib.SequenceMatcher(None, plain_a, plain_b).ratio() >= MIN_LATIN_LIKENESS
    return True


def spellings_in(text: str, name: str, longest: int = 3) -> list[str]:
    """The runs of up to ``longest`` words of ``text`` that spell ``name`` otherwise (in any script);
    in Latin letters, only runs whose every word is capitalised, as a name is written.

    Example:
        >>> spellings_in("Les combats de Tin Zaouatene et de تنزاواتن.", "Tinzaouatene")
        ['Tin Zaouatene', 'تنزاواتن']
    """
    key = spelling_key(name)
    if len(key) < MIN_KEY:
        return []
    words = list(WORD.finditer(text))
    found = []
    for i in range(len(words)):
        for j in range(i + 1, min(i + longest, len(words)) + 1):
            span = text[words[i].start():words[j - 1].end()]
            latin = is_latin(span)
            if latin and not all(w[0][0].isupper() for w in words[i:j]):
                continue
            if spelling_key(span) == key and span != name and span not in found and same_name(name, span):
                found.append(span)
    return found
