"""An HTML page -> its article (or a live blog's entries), read by trafilatura."""

from __future__ import annotations

import logging
import re

from summarizer.schema import Article
from summarizer.stages.load.text import from_text, parse_date
from summarizer.stages.segment import segment

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
        "published": parse_date(doc.date or "") or article.published,
    })


def from_html_page(html: str, rel: str) -> list[Article]:
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
