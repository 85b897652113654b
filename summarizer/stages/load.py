"""Stage 1, load: a folder or a list of reports -> ``Article`` models.

Reads .txt, .md, .html/.htm and .json files (recursively, never following symlinked folders),
decodes text whatever its encoding, pulls the metadata a report carries in its own header
(title line, URL, outlet, publication date) and recognises page boilerplate so the segmenter
can leave it out. Files that cannot be used, and reports with nothing to read but a headline,
are skipped with a recorded reason, not fatal.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from summarizer.errors import InputError
from summarizer.text.language import MONTH_NAME, detect, month_number
from summarizer.schema import Article
from summarizer.stages.segment import segment

READABLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json"}
MAX_FILE_BYTES = 5 * 1024 * 1024  # a news report is kilobytes; past this it is a dump, not a report

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


class SkippedFile(BaseModel):
    path: str
    reason: str


class Corpus(BaseModel):
    """What loading produced: usable articles, and the files left out with the reason why."""

    articles: list[Article]
    skipped: list[SkippedFile] = Field(default_factory=list)


def load(source: str | os.PathLike | Sequence[Article | str | os.PathLike | dict]) -> Corpus:
    """Load a folder, a file, or a list of articles / paths / dicts.

    Example:
        >>> corpus = load("samples/tinzaouatene")
        >>> [a.path for a in corpus.articles]
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; pass a folder of reports (.txt, .md, .html, .json)")
        corpus = load_folder(path) if path.is_dir() else _load_files([path], base=path.parent)
    else:
        corpus = _load_items(source)
    if not corpus.articles:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in corpus.skipped[:3])
        where = source if isinstance(source, (str, os.PathLike)) else "the given list"
        raise InputError(
            f"{where}: no readable report found"
            + (f" ({reasons})" if reasons else "")
            + "; add .txt, .md, .html or .json reports"
        )
    return corpus


def load_folder(folder: Path) -> Corpus:
    return _load_files(sorted(_walk(folder)), base=folder)


def _walk(folder: Path) -> Iterable[Path]:
    # followlinks=False: a symlinked folder could loop back on itself.
    # A symlinked folder is yielded (not entered) so that it is listed as skipped, not lost unseen.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        for name in files + linked:
            if not name.startswith("."):
                yield Path(root) / name


def _load_files(paths: Iterable[Path], base: Path) -> Corpus:
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path in paths:
        rel = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        try:
            loaded = read_file(path, rel)
        except UnusableFile as reason:
            skipped.append(SkippedFile(path=rel, reason=str(reason)))
            continue
        for article in loaded:
            where = article.path or rel  # a JSON list's record or a page's entry: "feed.json[1]"
            if article.id in seen:
                skipped.append(SkippedFile(path=where, reason=f"duplicate of {seen[article.id]}"))
            elif reason := nothing_to_read(article):
                skipped.append(SkippedFile(path=where, reason=reason))
            else:
                seen[article.id] = where
                articles.append(article)
    return Corpus(articles=articles, skipped=skipped)


def _load_items(items: Sequence[Article | str | os.PathLike | dict]) -> Corpus:
    articles: list[Article] = []
    skipped: list[SkippedFile] = []
    for i, item in enumerate(items):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, dict) or (isinstance(item, str) and ("\n" in item or not Path(item).is_file())):
            try:
                article = _from_record(item, f"item {i}") if isinstance(item, dict) else from_text(item, path=f"item {i}")
                if reason := nothing_to_read(article):
                    raise UnusableFile(reason)
                articles.append(article)
            except UnusableFile as reason:
                skipped.append(SkippedFile(path=f"item {i}", reason=str(reason).removeprefix(f"item {i}: ")))
        elif isinstance(item, (str, os.PathLike)):
            corpus = _load_files([Path(item)], base=Path(item).parent)
            articles += corpus.articles
            skipped += corpus.skipped
        else:
            raise InputError(f"item {i}: expected an Article, a path, a dict or text, got {type(item).__name__}")
    return Corpus(articles=articles, skipped=skipped)


def nothing_to_read(article: Article) -> str | None:
    """Why a report has no sentence to read (only a headline, only boilerplate), if so: it is
    skipped with this reason rather than kept as a source nothing can cite."""
    if segment(article).sentences:
        return None
    return f"only a headline ('{article.title}'), no text to read" if article.title else "no text to read"


class UnusableFile(Exception):
    """A file that is skipped, with the reason as its message."""


def read_file(path: Path, rel: str) -> list[Article]:
    """Read one file into one or more articles (a JSON list holds several)."""
    suffix = path.suffix.lower()
    if path.is_symlink() and not path.exists():
        raise UnusableFile("broken symlink")
    if path.is_symlink() and path.is_dir():
        raise UnusableFile("symlinked folder, not followed (it could loop); copy its reports in instead")
    if suffix not in READABLE_SUFFIXES:
        raise UnusableFile(f"not a report format ({suffix or 'no extension'}); use .txt, .md, .html or .json")
    if not path.is_file():  # a FIFO or device named .txt would block the read forever
        raise UnusableFile("not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnusableFile(f"{size:,} bytes is over the {MAX_FILE_BYTES // 2**20} MiB limit for one report; split it")
        raw = path.read_bytes()
    except OSError as e:
        raise UnusableFile(f"cannot be read ({e.strerror or e})") from None
    text = decode(raw)
    if not text.strip():
        raise UnusableFile("empty")
    if suffix in {".html", ".htm"}:
        return _from_html_page(text, rel)
    if suffix == ".json":
        return _from_json(text, rel)
    return [from_text(text, path=rel)]


def decode(raw: bytes) -> str:
    """Bytes -> text: UTF-8 when it is, else the encoding charset-normalizer detects."""
    # UTF-16/32 text (Windows "Unicode" saves) is full of NUL bytes: recognise it by its BOM first.
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise UnusableFile(f"broken {encoding.upper()} text; save it as UTF-8") from None
    if b"\x00" in raw[:8192]:
        raise UnusableFile("binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(raw)
    best = results.best()
    if best is None:
        raise UnusableFile("binary or undecodable text; save it as UTF-8")
    # On a short report the single-byte code pages read equally cleanly and the detector's
    # tie-break can pick cp1250 ("Tinzaouatène" -> "Tinzaouatčne"). Windows-1252 is the
    # common legacy encoding of Western news text (and what browsers read latin-1 as): take it
    # whenever it reads as cleanly as the best guess.
    western = next((m for m in results if "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos), None)
    return str(western or best)


def _from_json(text: str, rel: str) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UnusableFile(f"invalid JSON at line {e.lineno}: {e.msg}") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise UnusableFile("an empty JSON list, no report in it")
    articles = [_from_record(r, f"{rel}[{i}]" if isinstance(data, list) else rel) for i, r in enumerate(records)]
    return articles


def _from_record(record: dict, where: str) -> Article:
    if not isinstance(record, dict) or not isinstance(record.get("text") or record.get("content"), str):
        raise UnusableFile(f"{where}: a JSON report needs a 'text' or 'content' string")
    article = from_text(record.get("text") or record["content"], path=where)
    published = _parse_date(str(record["date"])) if record.get("date") else None
    problem = f"'{record['date']}' is not a date" if record.get("date") and not published else article.date_problem
    return article.model_copy(update={
        "date_problem": problem,
        "title": record.get("title") or article.title,
        "url": record.get("url") or article.url,
        "outlet": record.get("outlet") or article.outlet,
        "published": published or article.published,
    })


# HTML is read by trafilatura, which is made for taking the article out of a news page: it leaves
# out navigation, header, footer, related-link lists and comments, and its htmldate reads the
# date from JSON-LD, meta tags, <time> or the URL (not from the text: that is reporting).
HTML_DATE = {"original_date": True, "extensive_search": False}
# trafilatura logs an ERROR for each page too small or too bare to judge; such a page is read as
# its text, or skipped with the reason in the brief's diagnostics: not an error for the terminal.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def from_html(html: str, path: str | None = None) -> Article:
    """An HTML page -> its main text, title, URL, outlet and publication date."""
    import trafilatura

    if trafilatura.load_html(html) is None:  # a fragment or bare text: trafilatura reads only whole pages
        html = f"<html><body>{html}</body></html>"
    # Tables are left out, as they were before trafilatura: a row of cells is not a sentence.
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      favor_precision=True, date_extraction_params=HTML_DATE)
    # trafilatura gives nothing for a page too small to judge (a bare line of text, a title over an
    # empty body): the page's whole text is then the report, rather than losing it.
    if doc is None or not doc.text:
        doc = trafilatura.extract_metadata(html, date_config=HTML_DATE)
        doc.text = trafilatura.html2txt(html)
    article = from_text(re.sub(r"^- ", "", doc.text, flags=re.M), path=path)  # "- " marks a list item
    return article.model_copy(update={
        "title": doc.title or article.title,
        "url": doc.url or article.url,
        "outlet": doc.sitename or article.outlet,
        "published": _parse_date(doc.date or "") or article.published,
    })


def _from_html_page(html: str, rel: str) -> list[Article]:
    """A page -> its article, or, when its content spans several <article> elements (a live blog,
    an index page), one article each, named ``page.html[0]``, ``page.html[1]``... as the records of
    a JSON list are: each has its own heading and <time>, else the page's date, URL and outlet.
    """
    from lxml.html import tostring  # trafilatura's parser
    from trafilatura import load_html

    page = from_html(html, path=rel)
    tree = load_html(html)
    parts = tree.xpath("//article[not(ancestor::article)]") if tree is not None else []
    if len(parts) < 2:
        return [page]
    entries = [from_html(f"<html><body>{tostring(part, encoding='unicode')}</body></html>") for part in parts]
    # Only entries that trafilatura took as the page's content: teaser cards beside the article are not reports.
    entries = [e for e in entries if (body := segment(e).sentences) and body[0].text in page.text]
    if len(entries) < 2:
        return [page]
    return [e.model_copy(update={
        "path": f"{rel}[{i}]", "title": e.title or page.title, "url": e.url or page.url,
        "outlet": e.outlet or page.outlet, "published": e.published or page.published,
    }) for i, e in enumerate(entries)]


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
            published = _parse_date(written)
            date_problem = None if published else f"'{written}' is not a date"

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
                date_problem = f"'{m.group(1)}' is not a date"
            body_start = start + m.end()
            header_end = i
            break
        if _notice(stripped):
            notices.append(stripped)
            body_start = start + len(line)
            header_end = i + 1
            continue
        if URL_LINE.match(stripped):
            url = url or stripped
        elif _looks_like_heading(stripped):
            date = _parse_date(stripped)
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
        elif _notice(stripped):
            notices.append(stripped)

    if published and published > dt.date.today() + dt.timedelta(days=1):
        date_problem, published = f"'{published.isoformat()}' is later than today", None
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


def _notice(line: str) -> str | None:
    return next((flag for flag, pattern in NOTICE_LINES.items() if pattern.match(line)), None)


def notice_flag(line: str) -> str | None:
    """The source flag a notice line raises ('ai-generated-notice', 'opinion-notice'), if any."""
    return _notice(line)


def _looks_like_heading(line: str) -> bool:
    # A heading is short, has words and is not a sentence: no final full stop.
    return (len(line) <= 160 and re.search(r"[^\W\d_]", line) is not None
            and not line.endswith((".", "!", "?", ":", ",", ";", '"', "”")))


def _matches_domain(line: str, url: str) -> bool:
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    squashed = re.sub(r"[^a-z0-9]", "", line.lower())
    return len(squashed) >= 4 and squashed in host.replace(".", "")


def _parse_date(value: str) -> dt.date | None:
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
