"""Reading a document: bytes -> text, with the metadata a press release carries in its body.

The text returned is what every span points into, so nothing here may shift offsets after
decoding (HTML is the exception: its text is taken out of the markup first, and spans point
into that text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from qala.errors import BinaryInput, EmptyDocument, InvalidInput, TooLarge

# Larger inputs are refused with a clear error; raise with QALA_MAX_DOCUMENT_BYTES.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RawDocument:
    text: str
    encoding: str
    path: str | None = None
    is_html: bool = False


# ---------------------------------------------------------------- decoding

def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(sample) // 50)


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str = "input") -> tuple[str, str]:
    """Decode bytes as UTF-8, else as cp1251 (the usual legacy Cyrillic encoding).

    >>> decode("Алматы".encode("cp1251"))
    ('Алматы', 'cp1251')
    """
    if len(data) > max_bytes:
        raise TooLarge(f"{name}: expected at most {max_bytes} bytes (QALA_MAX_DOCUMENT_BYTES), got {len(data)}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InvalidInput(f"{name}: expected UTF-16 text after its byte-order mark, got broken data") from None
    if _looks_binary(data):
        raise BinaryInput(f"{name}: expected a text file, got binary data")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    letters = sum(1 for ch in text if ch.isalpha())
    if letters and cyrillic / letters >= 0.3 and "\ufffd" not in text:
        return text, "cp1251"
    raise InvalidInput(f"{name}: expected UTF-8 or cp1251 text, got undecodable bytes")


# ---------------------------------------------------------------- HTML

HTML_MARK = re.compile(r"<\s*(html|body|div|p|span|br|article|head|!doctype)\b", re.IGNORECASE)


class _TextOfHtml(HTMLParser):
    BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
             "header", "footer", "title", "td", "ul", "ol", "table", "blockquote"})
    SKIP = frozenset({"script", "style", "noscript", "template", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self._in_title:
            self.title = (self.title or "") + data.strip()
            return
        self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(HTML_MARK.search(text[:5000]))


def html_to_text(html: str) -> tuple[str, str | None]:
    """Text of an HTML page, one block per line, and its <title>."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line), parser.title


# ---------------------------------------------------------------- entry points

def read_bytes(data: bytes, *, path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    name = path or "input"
    text, encoding = decode(data, max_bytes=max_bytes, name=name)
    from qala.clean import bad_character

    if problem := bad_character(text):  # a NUL past the sample _looks_binary reads
        raise BinaryInput(f"{name}: expected text without NUL characters or lone surrogates, got {problem}")
    is_html = (path or "").lower().endswith((".html", ".htm")) or looks_like_html(text)
    if is_html:
        text, _title = html_to_text(text)
    if not text.strip():
        raise EmptyDocument(f"{name}: expected some text, got an empty document")
    return RawDocument(text=text, encoding=encoding, path=path, is_html=is_html)


def read_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"{p}: expected at most {max_bytes} bytes (QALA_MAX_DOCUMENT_BYTES), got {size}")
        data = p.read_bytes()
    except IsADirectoryError:
        raise InvalidInput(f"{p}: expected a file, got a directory") from None
    except FileNotFoundError:
        raise InvalidInput(f"{p}: no such file") from None
    except PermissionError:
        raise InvalidInput(f"{p}: permission denied") from None
    except OSError as e:
        raise InvalidInput(f"{p}: cannot read ({e.strerror or e})") from None
    return read_bytes(data, path=str(path), max_bytes=max_bytes)


# ---------------------------------------------------------------- metadata in the body

SOURCE_LINE = re.compile(r"^\s*(?:Источник|Source|Дереккөз)\s*:\s*(?P<source>\S[^\n]*?)\s*$", re.MULTILINE | re.IGNORECASE)
URL_HOST = re.compile(r"https?://(?:www\.)?(?P<host>[^/\s]+)")

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
NUMERIC_DATE = re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]\d)\.(?P<y>(?:19|20)\d\d)\b")
WORD_DATE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s+(?P<m>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
    r"\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)


def find_source(text: str) -> str | None:
    """The publisher named on a "Источник:" line (its host name when it is a URL).

    >>> find_source("...\\nИсточник: https://www.primeminister.kz/ru/news/1")
    'primeminister.kz'
    """
    matches = list(SOURCE_LINE.finditer(text))
    if not matches:
        return None
    source = matches[-1].group("source").strip().rstrip(".")
    host = URL_HOST.match(source)
    return host.group("host") if host else source


def _month_of(word: str) -> int:
    word = word.lower()
    for stem, number in MONTHS.items():
        if word.startswith(stem):
            return number
    raise ValueError(word)


def find_published(text: str, head_chars: int = 600) -> str | None:
    """A date printed in the first lines of the text (the release's dateline), as ISO.

    >>> find_published("04.02.2021 12:30\\nПремьер-Министр провел совещание")
    '2021-02-04'
    """
    head = text[:head_chars]
    candidates = []
    for m in NUMERIC_DATE.finditer(head):
        candidates.append((m.start(), int(m["y"]), int(m["m"]), int(m["d"])))
    for m in WORD_DATE.finditer(head):
        candidates.append((m.start(), int(m["y"]), _month_of(m["m"]), int(m["d"])))
    import datetime as dt

    for _, y, mo, d in sorted(candidates):
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


PATH_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)(?!\d)")


def date_in_path(path: str | None) -> str | None:
    """A day in a file's name ("release-2021-02-04.txt", "20210204_akimat.html"), as ISO: archives
    are often named by date. The last resort, after the caller's date and the text's dateline.

    >>> date_in_path("archive/seed-almaty-2021-02-04.txt"), date_in_path("x/20210204_a.html")
    ('2021-02-04', '2021-02-04')
    >>> date_in_path("report-2021.txt"), date_in_path("2021-13-40.txt"), date_in_path(None)
    (None, None, None)
    """
    import datetime as dt
    from pathlib import PurePath

    if not path:
        return None
    for m in PATH_DATE.finditer(PurePath(path).name):
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
        except ValueError:
            continue
    return None


FIRST_YEAR, LAST_YEAR = 1900, 2100  # publication dates outside these are typing errors (9999-12-31)
ISO_DAY = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")


def parse_published(value: str) -> str:
    """Check a publication date given by a user: ISO day or month.

    >>> parse_published("2021-02-04")
    '2021-02-04'
    >>> parse_published("9999-12-31")
    Traceback (most recent call last):
    ...
    qala.errors.InvalidInput: invalid published: expected a year from 1900 to 2100, got '9999-12-31'
    """
    import datetime as dt

    m = ISO_DAY.match(value.strip())
    try:
        if not m:
            raise ValueError(value)
        dt.date(int(m["y"]), int(m["m"]), int(m["d"] or 1))
    except ValueError:
        raise InvalidInput(f"invalid published: expected a date like 2021-02-04 or 2021-02, got {value!r}") from None
    if not FIRST_YEAR <= int(m["y"]) <= LAST_YEAR:
        raise InvalidInput(f"invalid published: expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {value!r}")
    return value.strip()
