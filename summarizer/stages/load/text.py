"""Plain text -> ``Article``: the metadata in its header or front matter, its boilerplate and notices."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from summarizer.schema import Article
from summarizer.schema.article import LATER_THAN_TODAY, NOT_A_DATE
from summarizer.text.language import MONTH_NAME, detect, month_number

# Lines that are page furniture, not reporting. Matched against a whole stripped line.
BOILERPLATE_LINES = re.compile(
    r"^(share\.?|exit mobile version|add a comment|related( (posts|articles|stories))?|"
    r"your email address will not be published\.?|leave a reply|read more|advertisement|"
    r"skip to (main )?content|subscribe( now)?|sign up|follow us.*|comments?)$",
    re.IGNORECASE,
)
# Notices a report gives about itself: kept as flags on the source, left out of the sentences.
NOTICE_LINES = {
    "ai-generated-notice": re.compile(r"^(image|illustration|photo|picture)s? (was |were )?(created|generated) (by|with|using) (an )?ai\.?$", re.I),
    "opinion-notice": re.compile(r"^the views expressed in this (article|piece|column).*$", re.I),
}
URL_LINE = re.compile(r"^https?://\S+$")
DATE_PREFIX = re.compile(r"^\s*date[:\s]+(\d{4}-\d{2}-\d{2})\s*", re.I)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
# No \b at the end: a timestamp ("2024-07-29T10:00:00Z") runs a letter straight after the day.
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
WORD_DATE = re.compile(  # "29 July 2024", "July 29, 2024", "1er août 2024", "22 de julio de 2024"
    r"\b(?:(\d{1,2})(?:er|º|°)?\s+(?:de\s+)?(" + MONTH_NAME + r")|(" + MONTH_NAME + r")\s+(\d{1,2}),?)"
    r"\s+(?:de\s+)?(\d{4})\b",
    re.I,
)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
HEADER_LINES = 8  # metadata sits in the first few lines; dates further down are reporting


def from_text(text: str, path: str | None = None) -> Article:
    """Plain text -> ``Article``, with header metadata and boilerplate recognised.

    Example:
        >>> from_text("Title\\n\\ndate 2024-07-29 Fighting broke out.").published
        datetime.date(2024, 7, 29)
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    article_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    lines = _lines_with_offsets(text)
    title = url = outlet = None
    published: dt.date | None = None
    date_problem: str | None = None
    body_start = 0
    removed: list[str] = []
    notices: list[str] = []

    # Front matter (Markdown's "---" block of YAML): metadata, not text.
    if front := _front_matter(text):
        meta, body_start = front
        title, url, outlet = (_text_field(meta, *keys) for keys in
                              (("title", "headline"), ("url", "link", "canonical_url"), ("outlet", "source", "publisher", "site_name")))
        if (written := _text_field(meta, "date", "published", "datePublished", "pubDate")) is not None:
            published = parse_date(written)
            date_problem = None if published else NOT_A_DATE.format(date=written)

    # Header: leading short lines (title, URL, outlet, section, date) before the first paragraph.
    header_end = next((i for i, (start, _) in enumerate(lines) if start >= body_start), len(lines))
    for i, (start, line) in enumerate(lines[header_end:header_end + HEADER_LINES], start=header_end):
        stripped = line.strip()
        if not stripped:
            continue
        if m := DATE_PREFIX.match(line):
            try:
                published = dt.date.fromisoformat(m.group(1))
            except ValueError:
                date_problem = NOT_A_DATE.format(date=m.group(1))
            body_start = start + m.end()
            header_end = i
            break
        if notice_flag(stripped):
            notices.append(stripped)
            body_start = start + len(line)
            header_end = i + 1
            continue
        if URL_LINE.match(stripped):
            url = url or stripped
        elif _looks_like_heading(stripped):
            date = parse_date(stripped)
            if date and len(stripped) < 30:
                published = published or date
            elif title is None:
                title = stripped
            elif url and outlet is None and _matches_domain(stripped, url):
                outlet = stripped
        else:
            break
        body_start = start + len(line)
        header_end = i + 1

    for start, line in lines[header_end:]:
        stripped = line.strip()
        if start < body_start or not stripped:
            continue
        if BOILERPLATE_LINES.match(stripped):
            removed.append(stripped)
        elif notice_flag(stripped):
            notices.append(stripped)

    if published and published > dt.date.today() + dt.timedelta(days=1):
        date_problem, published = LATER_THAN_TODAY.format(date=published.isoformat()), None
    return Article(
        id=article_id, path=path, title=title, outlet=outlet, url=url, published=published,
        date_problem=date_problem, language=detect(text[body_start:body_start + 4000]),
        text=text, body_start=body_start, removed=removed, notices=notices,
    )


def _front_matter(text: str) -> tuple[dict, int] | None:
    """The YAML front matter's fields and where the body begins after it, if the text has one."""
    import yaml

    if not (m := FRONT_MATTER.match(text)):
        return None
    try:  # every value as the text writes it ("date: 2024-02-30" is then a bad date, not a crash)
        meta = yaml.load(m.group(1), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        meta = None
    return (meta if isinstance(meta, dict) else {}), m.end()


def _text_field(meta: dict, *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, (str, int, float, dt.date)) and str(value).strip():
            return value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    return None


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def notice_flag(line: str) -> str | None:
    """The source flag a notice line raises ('ai-generated-notice', 'opinion-notice'), if any."""
    return next((flag for flag, pattern in NOTICE_LINES.items() if pattern.match(line)), None)


def _looks_like_heading(line: str) -> bool:
    # A heading is short, has words and is not a sentence: no final full stop.
    return (len(line) <= 160 and re.search(r"[^\W\d_]", line) is not None
            and not line.endswith((".", "!", "?", ":", ",", ";", '"', "”")))


def _matches_domain(line: str, url: str) -> bool:
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    squashed = re.sub(r"[^a-z0-9]", "", line.lower())
    return len(squashed) >= 4 and squashed in host.replace(".", "")


def parse_date(value: str) -> dt.date | None:
    """A date written as 28/07/2024, 2024-07-29, 29 July 2024 or July 29, 2024 (day first when ambiguous)."""
    if not value:
        return None
    try:
        if m := ISO_DATE.search(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMERIC_DATE.search(value):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            day, month = (a, b) if a > 12 or b <= 12 else (b, a)
            return dt.date(year, month, day)
        if m := WORD_DATE.search(value):
            day = int(m[1] or m[4])
            month = month_number(m[2] or m[3])
            return dt.date(int(m[5]), month, day)
    except ValueError:
        return None
    return None
