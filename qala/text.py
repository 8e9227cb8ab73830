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
    title: str | None = None  # an HTML page's <title>


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
    title = None
    if is_html:
        text, title = html_to_text(text)
    if not text.strip():
        raise EmptyDocument(f"{name}: expected some text, got an empty document")
    return RawDocument(text=text, encoding=encoding, path=path, is_html=is_html, title=title or None)


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
# "Бишкек, 01.10.20.": a two-digit year, not followed by more digits (a version or an amount)
SHORT_YEAR_DATE = re.compile(r"(?<![\d.,])(?P<d>[0-3]\d)\.(?P<m>[01]\d)\.(?P<y>\d\d)(?![\d,]|\.\d)")
ISO_DATE = re.compile(r"(?<![\d.-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")
# "25 декабря 2025", and as some sites print it, "25 Декабрь 2025" (the month in the nominative)
WORD_DATE = re.compile(
    r"\b(?P<d>[0-3]?\d)\s+(?P<m>(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ья]|ма[йя]"
    r"|(?:март|август)а?|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
    r"|(?:янв|фев|мар|апр|июн|июл|авг|сент?|окт|ноя|дек)\.?)"
    r"\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
DATE_FORMS = (NUMERIC_DATE, ISO_DATE, WORD_DATE, SHORT_YEAR_DATE)
WEEKDAYS = r"(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)"
# A page's clock, not the release's date: "Сегодня 3 апреля 2025 года, четверг", "понедельник, 25 ноября
# 2024 г." printed among the weather and currency widgets of the page it was saved from.
TODAY_BEFORE = re.compile(rf"(?:(?<![а-яё])сегодня|{WEEKDAYS})[\s,:]*$", re.IGNORECASE)
# A date a sentence sets or cites, not the day it was written: "до 1 июля 2021 года", "с 1 января 2024 года",
# "постановление от 12 марта 2020 года", "не позднее 15.12.2022".
SET_DATE = re.compile(r"(?<![а-яё])(?:до|к|ко|с|со|по|на|от|после|перед|позднее|позже|срок\w*|течение)\s*$",
                      re.IGNORECASE)
TODAY_AFTER = re.compile(rf"^(?:\s*(?:года|г\.))?\s*,?\s*{WEEKDAYS}(?![а-яё])", re.IGNORECASE)


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


# Kazakh-language sites print the month in Kazakh: "24 қыркүйек 2022"
KAZAKH_MONTHS = {"қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
                 "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12}


# "25 дек. 2025": the short forms some sites print
SHORT_MONTHS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "сент": 9,
                "окт": 10, "ноя": 11, "дек": 12}


def _month_of(word: str) -> int:
    word = word.lower().rstrip(".")
    if word in KAZAKH_MONTHS:
        return KAZAKH_MONTHS[word]
    if word in SHORT_MONTHS:
        return SHORT_MONTHS[word]
    for stem, number in MONTHS.items():
        if word.startswith(stem):
            return number
    raise ValueError(word)


def find_published(text: str, head_chars: int = 600) -> str | None:
    """A date printed in the first lines of the text (the release's dateline), as ISO: "04.02.2021",
    "16:22, 25 Декабрь 2025", "Бишкек, 01.10.20.", "date 2014-01-22".

    >>> find_published("04.02.2021 12:30\\nПремьер-Министр провел совещание")
    '2021-02-04'
    """
    head = text[:head_chars]
    candidates = []
    for form in DATE_FORMS:
        for m in form.finditer(head):
            if any(m.start() < stop and start < m.end() for start, stop, *_ in candidates):
                continue
            if TODAY_BEFORE.search(head, max(0, m.start() - 20), m.start()) or TODAY_AFTER.match(head[m.end():]) \
                    or SET_DATE.search(head, max(0, m.start() - 20), m.start()):
                candidates.append((m.start(), m.end(), 0, 0, 0))  # claims its words, gives no date
                continue
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            month = int(m["m"]) if m["m"].isdigit() else _month_of(m["m"])
            candidates.append((m.start(), m.end(), year, month, int(m["d"])))
    import datetime as dt

    for _, _, y, mo, d in sorted(candidates):
        if not y:
            continue
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


# A dateline opening the first line ("date 2014-01-22", "16:22, 25 Декабрь 2025", "Бишкек, 01.10.20.")
LEADING_DATELINE = re.compile(
    r"^\s*(?:date\s+)?(?:[А-ЯЁ][а-яё-]+,\s*)?(?:\d{1,2}:\d\d,?\s*)?"
    r"(?:\d{4}-\d\d-\d\d|\d{1,2}\.\d\d\.\d{2,4}\.?|\d{1,2}\s+[а-яё]+\s+\d{4}(?:\s*(?:года|г\.))?)"
    r"(?:,?\s*\d{1,2}:\d\d)?[\s|,—–-]*", re.IGNORECASE)
TRAILING_DATELINE = re.compile(
    r"[\s|,—–-]*(?:\d{1,2}\s+[а-яё]+\s+\d{4}(?:\s*(?:года|г\.))?|\d{1,2}\.\d\d\.\d{2,4})(?:,?\s*\d{1,2}:\d\d)?\s*$",
    re.IGNORECASE)
TITLE_WORDS = re.compile(r"[А-ЯЁа-яёӘәҒғҚқҢңӨөҰұҮүҺһІіA-Za-z][\w-]*")
SENTENCE_INSIDE = re.compile(r"[.!?]\s+[А-ЯЁA-Z«\"]")
TITLE_WORDS_RANGE = (4, 20)
TITLE_WORDS_WITH_STOP = 10  # a longer first line ending in a full stop is the lead, not a headline
TITLE_LINES = 6             # rubrics, city names and tickers a page prints above its headline


def find_title(text: str) -> str | None:
    """The headline of a plain text: its first line of four words or more that opens with a capital
    (shorter lines above it are rubrics, city names, tickers, weather), when that line reads as a headline: up to 20 words (10 if it ends
    in a full stop, else it is the lead), one sentence, mostly Cyrillic letters; a dateline before or
    after it is taken off.

    >>> find_title("Экономика\\nАким области принял участие в открытии завода\\n\\nСегодня в Таразе ...")
    'Аким области принял участие в открытии завода'
    >>> find_title("USD 540.87 EUR 632.01\\nГлава государства дал поручения акиму области")
    'Глава государства дал поручения акиму области'
    >>> find_title("В области продолжается работа по газификации сел, передает агентство со ссылкой на акимат.") is None
    True
    """
    lines = [line for line in text.splitlines()[:100] if line.strip()][:TITLE_LINES]
    for first in lines:
        line = LEADING_DATELINE.sub("", first, count=1)
        line = TRAILING_DATELINE.sub("", line).strip()
        words = TITLE_WORDS.findall(line)
        if len(words) < TITLE_WORDS_RANGE[0] or line[:1].islower():  # a weather or ticker widget
            continue
        return line if _reads_as_headline(line, len(words)) else None
    return None


def _reads_as_headline(line: str, words: int) -> bool:
    if words > TITLE_WORDS_RANGE[1] or len(line) > 250 or line.endswith((":", ",", ";")):
        return False
    if line.endswith(".") and words > TITLE_WORDS_WITH_STOP or SENTENCE_INSIDE.search(line):
        return False
    letters = sum(ch.isalpha() for ch in line)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in line)
    return letters >= 0.7 * len(line.replace(" ", "")) and cyrillic >= 0.5 * letters


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
