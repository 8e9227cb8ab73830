"""What a followed source lists: RSS/Atom feeds, sitemaps, and news-list pages with a link pattern.

Each gives ``Entry`` items (a URL, and a title and date when the listing has them). A listing
that cannot be read is a ``FetchError`` with one line; items in it are never half-read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

from qala.sources.http import FetchError

KINDS = ("feed", "sitemap", "list")


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published: str | None = None  # ISO day


def _day(parsed) -> str | None:
    if not parsed:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    except (ValueError, AttributeError):
        return None


def feed_entries(content: bytes, url: str) -> list[Entry]:
    """Items of an RSS or Atom feed.

    A feed whose XML breaks off keeps the items before the break only if feedparser could read
    some; one with no items at all and broken XML is an error.
    """
    import feedparser

    parsed = feedparser.parse(content, response_headers={"content-location": url})
    entries = []
    for item in parsed.entries:
        link = item.get("link") or next((x.get("href") for x in item.get("links", []) if x.get("href")), None)
        if not link:
            continue
        published = _day(item.get("published_parsed") or item.get("updated_parsed"))
        entries.append(Entry(urljoin(url, link.strip()), (item.get("title") or "").strip() or None, published))
    if parsed.get("bozo") and not entries:
        reason = parsed.get("bozo_exception")
        detail = str(reason).splitlines()[0] if reason else "unreadable"
        raise FetchError(f"{url}: expected an RSS or Atom feed, got broken XML ({detail})")
    if not entries and not parsed.get("version"):
        raise FetchError(f"{url}: expected an RSS or Atom feed, got something else")
    return entries


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(content: bytes, url: str) -> tuple[list[Entry], list[str]]:
    """(pages, nested sitemaps) of a sitemap or sitemap index.

    Read without a DTD: a sitemap that declares entities (the "billion laughs" or an external file)
    is refused, not expanded."""
    try:
        root = parse_xml(content, forbid_dtd=True)
    except ParseError as e:
        raise FetchError(f"{url}: expected a sitemap, got broken XML ({e})") from None
    except DefusedXmlException as e:
        raise FetchError(f"{url}: expected a sitemap, got XML with a DTD or entities, which are not read ({type(e).__name__})",
                         permanent=True) from None
    tag = root.tag.removeprefix(SITEMAP_NS)
    if tag not in ("urlset", "sitemapindex"):
        raise FetchError(f"{url}: expected a sitemap (<urlset> or <sitemapindex>), got <{tag}>")
    pages, nested = [], []
    for node in root:
        loc = node.findtext(f"{SITEMAP_NS}loc") or node.findtext("loc")
        if not loc:
            continue
        loc = urljoin(url, loc.strip())
        if tag == "sitemapindex":
            nested.append(loc)
        else:
            lastmod = (node.findtext(f"{SITEMAP_NS}lastmod") or node.findtext("lastmod") or "").strip()
            day = lastmod[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", lastmod) else None
            pages.append(Entry(loc, None, day))
    return pages, nested


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def list_entries(html: str, url: str, pattern: str) -> list[Entry]:
    """Links on a news-list page whose absolute URL matches ``pattern`` (a regular expression), on
    the same site, in page order, once each.

    >>> page = '<a href="/ru/news/12">Аким встретился</a> <a href="/ru/about">О нас</a>'
    >>> list_entries(page, "https://x.kz/ru/news", r"/news/\\d+")
    [Entry(url='https://x.kz/ru/news/12', title='Аким встретился', published=None)]
    """
    try:
        wanted = re.compile(pattern)
    except re.error as e:
        raise FetchError(f"{url}: expected a regular expression as the link pattern, got {pattern!r} ({e})",
                         permanent=True) from None
    parser = _Links()
    parser.feed(html)
    parser.close()
    host = urlsplit(url).hostname
    seen: set[str] = set()
    entries = []
    for href, text in parser.links:
        target = urldefrag(urljoin(url, href.strip())).url
        if urlsplit(target).hostname != host or target in seen or not wanted.search(target):
            continue
        seen.add(target)
        entries.append(Entry(target, text or None))
    return entries


def entries_of(kind: str, content: bytes, text: str, url: str, pattern: str | None) -> Iterator[Entry]:
    if kind == "feed":
        yield from feed_entries(content, url)
    elif kind == "list":
        yield from list_entries(text, url, pattern or ".")
    else:
        raise ValueError(kind)
