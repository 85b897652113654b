"""Stage 1, load: a folder or a list of reports -> ``Article`` models.

Reads .txt, .md, .html/.htm and .json files (recursively, never following symlinked folders),
decodes text whatever its encoding, pulls the metadata a report carries in its own header
(title line, URL, outlet, publication date) and recognises page boilerplate so the segmenter
can leave it out. Files that cannot be used, and reports with nothing to read but a headline,
are skipped with a recorded reason, not fatal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from summarizer.errors import InputError
from summarizer.schema import Article
from summarizer.stages.load.files import (
    MAX_FILE_BYTES, READABLE_SUFFIXES, UnusableFile, decode, from_record, read_file, walk,
)
from summarizer.stages.load.html import from_html
from summarizer.stages.load.text import from_text, notice_flag
from summarizer.stages.segment import segment

__all__ = [
    "MAX_FILE_BYTES", "READABLE_SUFFIXES", "Corpus", "SkippedFile", "UnusableFile", "decode", "from_html", "from_text",
    "load", "load_folder", "notice_flag", "nothing_to_read", "read_file",
]


class SkippedFile(BaseModel):
    """A file (or a record in one) left out, and why."""

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
    """Every report in ``folder`` and below, in path order, with the files left out and why."""
    return _load_files(sorted(walk(folder)), base=folder)


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
                article = from_record(item, f"item {i}") if isinstance(item, dict) else from_text(item, path=f"item {i}")
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
