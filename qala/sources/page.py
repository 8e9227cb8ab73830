"""A fetched HTML page as a press release: main text, title, publication date, language and site.

trafilatura finds the main text (menus, widgets, comments, cookie banners and "Читайте также"
lists left out) and the metadata (meta tags, JSON-LD, <time>); when it finds no date, Qala's own
dateline reader looks at the head of the text, then at the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from qala.errors import EmptyDocument
from qala.ingest.language import detect
from qala.text import date_in_path, find_published, html_to_text

# Lines a news site appends to the main text block itself (trafilatura keeps what sits inside it).
TRAILER = re.compile(r"^\s*(?:Читайте также|Читайте по теме|Смотрите также|Похожие новости|Поделиться|"
                     r"Теги|Метки|Оцените материал|Подписывайтесь)\b.*$", re.IGNORECASE | re.MULTILINE)
SITE_SUFFIX = re.compile(r"\s+[|—–-]\s+[^|—–-]{2,80}$")


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    title: str | None
    published: str | None  # ISO day
    language: str  # ru | kk | en
    site: str | None  # host name without www.
    date_from: str  # metadata | dateline | url | none


LAYOUT_BLOCKS = ("h1", "h2", "h3", "p", "div", "article", "ul")


def unwrap_layout_tables(html: str):
    """The page as an lxml tree, with tables used for page layout (cells holding headings,
    paragraphs or blocks: old regional sites) turned into plain blocks, so the main text is found
    inside them instead of the whole layout being taken for a data table."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - lxml's errors for empty or odd input; trafilatura then parses it
        return html
    for table in tree.iter("table"):
        if any(cell.find(f".//{tag}") is not None for cell in table.iter("td", "th") for tag in LAYOUT_BLOCKS):
            for node in table.iter("table", "tbody", "thead", "tr", "td", "th"):
                node.tag = "div"
                for attribute in ("width", "valign", "align"):
                    node.attrib.pop(attribute, None)
    return tree


def _metadata(html: str, url: str) -> dict:
    import trafilatura

    result = trafilatura.bare_extraction(
        unwrap_layout_tables(html), url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False, favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"})
    if result is None:
        return {}
    return result if isinstance(result, dict) else result.as_dict()


def clean_title(title: str | None, site: str | None) -> str | None:
    """The headline without the site's name appended to <title> ("... | Акимат города Алматы").

    >>> clean_title("Аким провел прием граждан | Официальный сайт акимата", None)
    'Аким провел прием граждан'
    """
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    stripped = SITE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 10 else title


def _text_of(body: str) -> str:
    cut = TRAILER.search(body)
    if cut:
        body = body[:cut.start()]
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in body.splitlines()]
    return "\n".join(line for line in lines if line)


def read_page(html: str, url: str) -> Page:
    """The release in one HTML page; EmptyDocument when the page has no main text."""
    meta = _metadata(html, url)
    site = (urlsplit(url).hostname or "").removeprefix("www.") or None
    body = meta.get("text") or ""
    if not body.strip():
        # trafilatura gave up (a bare page with no structure): the page's whole text
        body, _ = html_to_text(html)
    text = _text_of(body)
    if not text.strip():
        raise EmptyDocument(f"{url}: expected a page with some main text, got none")
    title = clean_title(meta.get("title"), site)
    page_text = page_title = None
    if not title:
        page_text, page_title = html_to_text(html)
        title = clean_title(page_title, site)
    if title and text.startswith(title + "\n"):  # the headline repeated at the top of the body
        text = text[len(title) + 1:]
    published, date_from = meta.get("date"), "metadata"
    if published and not re.match(r"^\d{4}-\d{2}-\d{2}$", published):
        published = None
    if not published:
        published, date_from = find_published(text), "dateline"
    if not published and title:
        # a date printed under the headline, outside the main text ("12 марта 2024, 11:20")
        if page_text is None:
            page_text, page_title = html_to_text(html)
        at = page_text.find(title, len(page_title or "") if page_title == title else 0)
        if at >= 0:
            published = find_published(page_text[at + len(title):])
    if not published:
        published, date_from = date_in_path(urlsplit(url).path.rstrip("/") or None), "url"
    if not published:
        date_from = "none"
    return Page(url=url, text=text, title=title, published=published, language=detect(text),
                site=site, date_from=date_from)
