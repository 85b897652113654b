"""Stage 2, segment: an ``Article`` -> numbered ``Sentence``s with offsets into its text.

This runs before any model sees the text: the model cites sentence numbers, and every number
resolves to an exact span of the original report. Header metadata, boilerplate, notices and
a paragraph's repeats (scraped pages often hold the article twice) are not sentences.
"""

from __future__ import annotations

import re

from summarizer.schema import Article, SegmentedArticle, Sentence
from summarizer.text.words import MONTHS

# Words whose trailing full stop does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "col", "gen", "lt", "sgt", "capt", "cpt", "maj", "cmdr", "adm",
    "st", "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m",
    *(month[:3] for month in MONTHS["en"] if len(month) > 3), "sept",  # "jan" to "dec"; "may" is no abbreviation
    "inc", "ltd", "co", "corp", "approx", "est", "dept", "gov", "sen", "rep", "pres",
    "mme", "mmes", "mlle", "mgr", "me", "gén", "sra", "srta", "dra", "lic", "ing", "av", "sr", "cap",
}
# A candidate end: terminal punctuation, closing quotes/brackets, then space and a sentence start.
# A sentence starts with a capital (accented ones too), a digit, an opening quote or mark (« ¿ ¡),
# or an Arabic letter (the script has no capitals); Arabic ends a question with ؟.
BOUNDARY = re.compile(r"[.!?؟…]+[\"'”’»)\]]*(?=\s+(?:[\"'“‘«¿¡(\[]\s?)?[A-ZÀ-ÖØ-Þ0-9\u0600-\u06ff])")
WORD_BEFORE = re.compile(r"([^\W\d_][^\W\d_.]*(?:\.[^\W\d_]+)*\.?)$")


def segment(article: Article) -> SegmentedArticle:
    """Split an article's body into numbered sentences.

    Example:
        >>> seg = segment(from_text("Two died. Ten were hurt."))
        >>> [(s.n, s.text) for s in seg.sentences]
        [(1, 'Two died.'), (2, 'Ten were hurt.')]
    """
    skipped_lines = set(article.removed) | set(article.notices)
    spans: list[tuple[int, int]] = []
    seen: set[str] = set()  # paragraphs read so far, spaces squeezed: a repeat is read once
    offset = 0
    for line in article.text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        start = max(line_start, article.body_start)
        paragraph = " ".join(article.text[start:line_end].split())
        if start >= line_end or line.strip() in skipped_lines or paragraph in seen:
            continue
        seen.add(paragraph)
        spans += _split_line(article.text, start, line_end)
    sentences = [
        Sentence(n=i, start=s, end=e, text=article.text[s:e]) for i, (s, e) in enumerate(spans, start=1)
    ]
    return SegmentedArticle(article=article, sentences=sentences)


def split_sentences(text: str) -> list[str]:
    """The sentences of a line of text, split as ``segment`` splits a report's.

    Example:
        >>> split_sentences("Two died. Ten were hurt.")
        ['Two died.', 'Ten were hurt.']
    """
    return [text[s:e] for s, e in _split_line(text, 0, len(text))]


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for m in BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text[cursor:m.start() + 1]):
            continue
        spans.append(_trim(text, cursor, m.end()))
        cursor = m.end()
    spans.append(_trim(text, cursor, end))
    return [(s, e) for s, e in spans if e > s and re.search(r"\w", text[s:e])]


def _is_abbreviation(chunk: str) -> bool:
    m = WORD_BEFORE.search(chunk[-64:].rstrip(".!?"))  # only the last word matters; bounded, no backtracking blow-up
    if not m or not chunk.endswith("."):
        return False
    word = m.group(1).lower()
    # A single capital letter before a full stop is an initial ("J. Smith").
    return word in ABBREVIATIONS or (len(word) == 1 and m.group(1).isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
