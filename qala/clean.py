"""One check for text on its way to the database: no NUL characters, no lone surrogates.

PostgreSQL cannot keep a U+0000 in a text column, and a lone surrogate (U+D800-U+DFFF, which JSON's
``"\\ud800"`` or Python's ``surrogateescape`` can produce) cannot be encoded as UTF-8 by either
driver. Such a value is refused where it enters (a query parameter, a form or JSON field, a JSON
Lines record, a review) with an error that names the field, instead of a database error later,
often with the SQL in its message, or a stored row that breaks every rebuild after it.

>>> bad_character("Алматы")
>>> bad_character("a\\x00b")
'a NUL character (U+0000) at position 2'
>>> check_text("x\\ud800", "title")
Traceback (most recent call last):
...
qala.errors.InvalidInput: invalid title: expected text without NUL characters or lone surrogates, got a lone surrogate (U+D800) at position 2
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from qala.errors import InvalidInput

_BAD = re.compile("[\x00\ud800-\udfff]")


def bad_character(value: str) -> str | None:
    """What is wrong with ``value`` (the first bad character and its 1-based position), else None."""
    m = _BAD.search(value)
    if m is None:
        return None
    char = m.group()
    what = "a NUL character" if char == "\x00" else "a lone surrogate"
    return f"{what} (U+{ord(char):04X}) at position {m.start() + 1}"


def check_text(value: str | None, field: str) -> str | None:
    """``value`` unchanged, or InvalidInput (422) naming ``field``."""
    if value is not None and (problem := bad_character(value)):
        raise InvalidInput(f"invalid {field}: expected text without NUL characters or lone surrogates, "
                           f"got {problem}")
    return value


def check_values(value: Any, field: str) -> None:
    """Every string inside ``value`` (nested dicts and lists too); keys are checked as well."""
    if isinstance(value, str):
        check_text(value, field)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if isinstance(key, str):
                check_text(key, name)
            check_values(item, name)
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            check_values(item, f"{field}[{n}]")


def check_pairs(pairs: Iterable[tuple[str, Any]]) -> None:
    """Name/value pairs (query parameters, form fields): the name and every string value."""
    for name, value in pairs:
        check_text(name, "parameter name")
        if isinstance(value, str):
            check_text(value, name)


def is_web_url(value: str | None) -> bool:
    """True for an http(s) URL with a host: the only links Qala keeps and renders.

    >>> is_web_url("https://primeminister.kz/ru/news/1"), is_web_url(" JavaScript:alert(1)//")
    (True, False)
    """
    from urllib.parse import urlsplit

    if not value or any(c in value for c in "\x00\r\n\t<>\"' ") or bad_character(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def check_url(value: str | None, field: str = "url") -> str | None:
    """``value`` stripped (None when blank), or InvalidInput unless it is an http(s) URL."""
    value = (value or "").strip() or None
    if value is not None and not is_web_url(value):
        check_text(value, field)
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise InvalidInput(f"invalid {field}: expected an http:// or https:// address, got {shown!r}")
    return value
