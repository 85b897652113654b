"""Term patterns that gold labels are written in, and the matching of brief text against them.

A pattern is a list of alternatives; an alternative is a list of terms that must ALL appear; a
term is a string or a list of variants (any one will do). Terms match whole words, case- and
accent-insensitively, with hyphens read as spaces; a trailing "*" makes a term a prefix.

Example:
    >>> matches([[["two", "2"], ["soldiers", "troops"], "killed"]], "Two soldiers were killed")
    True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator


# A pattern is a list of alternatives; an alternative is a list of terms that must ALL appear;
# a term is a string or a list of variants (any one will do). A bare string alternative is one
# term. Terms match whole words, case- and accent-insensitively, with hyphens read as spaces;
# a trailing "*" makes a term a prefix ("obliterat*" matches "obliterated").
Term = str | list[str]
Pattern = list[str | list[Term]]


def normalise(text: str) -> str:
    """Lower-case, accents and curly quotes removed, hyphens and dashes read as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().translate(_PUNCT)
    return " ".join(text.split())


_PUNCT = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ", "\u2015": " ",
})


@functools.lru_cache(maxsize=4096)
def _term_regex(variant: str) -> re.Pattern[str]:
    prefix = variant.endswith("*")
    words = normalise(variant.rstrip("*")).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(r"(?<!\w)" + body + ("" if prefix else r"(?!\w)"))


def _alternatives(pattern: Pattern) -> Iterator[list[list[str]]]:
    for alternative in pattern:
        terms = [alternative] if isinstance(alternative, str) else alternative
        yield [[term] if isinstance(term, str) else list(term) for term in terms]


def _alternative_weight(alternative: list[list[str]], text: str) -> int:
    """Length of the matched variants when every term matches, else 0."""
    total = 0
    for variants in alternative:
        hits = [len(normalise(v.rstrip("*"))) for v in variants if _term_regex(v).search(text)]
        if not hits:
            return 0
        total += max(hits)
    return total


def pattern_weight(pattern: Pattern, text: str) -> int:
    """How strongly ``text`` matches ``pattern``: 0 for no match, else the longest matched alternative."""
    norm = normalise(text)
    return max((_alternative_weight(alt, norm) for alt in _alternatives(pattern)), default=0)


def matches(pattern: Pattern, text: str) -> bool:
    """Whether some alternative of ``pattern`` has all its terms in ``text``.

    Example:
        >>> matches([[["two", "2"], ["soldiers", "troops"], "killed"]], "Two soldiers were killed")
        True
    """
    return pattern_weight(pattern, text) > 0


