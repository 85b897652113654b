"""Reading one file: refused when it is no report (format, size, kind), decoded whatever its encoding."""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable
from pathlib import Path

from summarizer.schema import Article
from summarizer.schema.article import NOT_A_DATE
from summarizer.stages.load.html import from_html_page
from summarizer.stages.load.text import from_text, parse_date

READABLE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json"}
MAX_FILE_BYTES = 5 * 1024 * 1024  # a news report is kilobytes; past this it is a dump, not a report


class UnusableFile(Exception):
    """A file that is skipped, with the reason as its message."""


def walk(folder: Path) -> Iterable[Path]:
    """The files below ``folder`` (hidden ones left out), and its symlinked folders, to be skipped."""
    # followlinks=False: a symlinked folder could loop back on itself.
    # A symlinked folder is yielded (not entered) so that it is listed as skipped, not lost unseen.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        for name in files + linked:
            if not name.startswith("."):
                yield Path(root) / name


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
        return from_html_page(text, rel)
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
    articles = [from_record(r, f"{rel}[{i}]" if isinstance(data, list) else rel) for i, r in enumerate(records)]
    return articles


def from_record(record: dict, where: str) -> Article:
    """A JSON report (its 'text' or 'content', and any title, URL, outlet and date it gives) -> ``Article``."""
    if not isinstance(record, dict) or not isinstance(record.get("text") or record.get("content"), str):
        raise UnusableFile(f"{where}: a JSON report needs a 'text' or 'content' string")
    article = from_text(record.get("text") or record["content"], path=where)
    published = parse_date(str(record["date"])) if record.get("date") else None
    problem = NOT_A_DATE.format(date=record['date']) if record.get("date") and not published else article.date_problem
    return article.model_copy(update={
        "date_problem": problem,
        "title": record.get("title") or article.title,
        "url": record.get("url") or article.url,
        "outlet": record.get("outlet") or article.outlet,
        "published": published or article.published,
    })
