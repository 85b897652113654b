"""Word lists and word rules shared by every reading of a report: month names, stopwords, the
names a claimant gives the report itself, and the 5-letter stem words are compared by.

Each lives here once, so that a rule read in two places cannot drift apart.
"""

from __future__ import annotations

import re

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
}
# Spellings without accents, as plain-text feeds often write them.
MONTH_VARIANTS = {"fevrier": 2, "aout": 8, "decembre": 12, "setiembre": 9, "marco": 3}

CONJUNCTION = r"(?:and|et|y|e)"  # "and" in the languages read: two parties joined
REPORTER = {"reporter", "the reporter"}  # how a claimant says the report itself speaks

# Words no name is told apart by ("the army" is "army"): the base every stopword set below extends.
NAME_STOPWORDS = {"the", "a", "an", "of", "and", "its", "his", "her", "their", "for", "in", "on"}
# Words that say nothing of what a claim or claimant is: not looked for in the cited sentences.
STOPWORDS = NAME_STOPWORDS | {"to", "by", "s", "was", "were", "has", "have", "had", "been", "that", "this", "with",
                              "from", "said", "also", "are", "which"}
# Words two claims may differ in and still say the same thing: a larger set, of the verbs of saying too.
CLAIM_STOPWORDS = NAME_STOPWORDS | set(
    "or at to from by with as that this these those it is are was were be been "
    "has have had not no but also which who whom they them than then there into over after "
    "before during while said says say according reported".split()
)
# Articles, "of" and "and": the words of a party that name no one ("the army" is the army).
ARTICLES = {"the", "a", "an", "of", "and", "or", "s", "le", "la", "les", "l", "un", "une", "de", "du", "des", "d",
            "el", "los", "las", "una", "del", "o", "os", "as", "do", "da", "dos", "das"}
# Articles alone, as they open a speaker's name ("the Malian army", "l'armée"): no "of", "and" or "de".
SPEAKER_ARTICLES = {"the", "a", "an", "le", "la", "les", "l'", "un", "une", "el", "los", "las", "o", "os", "as", "um",
                    "uma"}

STEM = 5  # letters words are compared by: "crashed" ~ "crash", but "Malian" ~ "Mali's" is not enough
SUPPORTED_SHARE = 0.6  # share of a claim's content words that its cited sentences must contain


def stem(word: str, length: int = STEM) -> str:
    """The word's first ``length`` letters, what two spellings of one word share ("helicopters" ~ "helicopter")."""
    return word[:length]


def content_words(text: str) -> list[str]:
    """The text's words of three letters or more that are no stopword, lower case: what a claim says."""
    return [w for w in re.findall(r"[^\W_]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


def words_supported(text: str, cited: str) -> bool:
    """True when most content words of ``text`` occur in ``cited``: the claim says what the sentence says.

    Example:
        >>> words_supported("Two soldiers were killed", "The army said two soldiers had been killed.")
        True
    """
    words = content_words(text)
    if not words:
        return True
    # One pass over the cited text, not one search per word: sentences can be very long.
    present = set(re.findall(r"[^\W_]+", cited.lower()))
    stems = {stem(w) for w in present if len(w) >= STEM}
    found = sum((w in present) if len(w) < STEM else (stem(w) in stems) for w in words)
    return found >= SUPPORTED_SHARE * len(words)
