"""SOURCES.toml: the feeds, sitemaps and news-list pages `qala watch` follows.

    [[source]]
    name = "Акимат города Алматы"
    url = "https://www.gov.kz/memleket/entities/almaty/press/news"
    kind = "list"                      # feed | sitemap | list
    pattern = "/press/news/details/\\\\d+" # list pages only: which links are releases

Bad files give one line naming the source and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from qala.errors import ConfigError, InvalidInput
from qala.sources.feeds import KINDS


@dataclass(frozen=True)
class SourceSpec:
    name: str
    url: str
    kind: str
    pattern: str | None = None


def check_source(name: object, url: object, kind: object, pattern: object = None, *, where: str = "source") \
        -> SourceSpec:
    """One source's fields checked; InvalidInput with one line otherwise.

    >>> check_source("x", "ftp://a", "feed").url
    Traceback (most recent call last):
    ...
    qala.errors.InvalidInput: source 'x': expected url as an http(s) URL, got 'ftp://a'
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{where}: expected a name, got {name!r}")
    label = f"source {name.strip()!r}"
    if not isinstance(url, str) or urlsplit(url.strip()).scheme not in ("http", "https") \
            or not urlsplit(url.strip()).netloc:
        raise InvalidInput(f"{label}: expected url as an http(s) URL, got {url!r}")
    if kind not in KINDS:
        raise InvalidInput(f"{label}: expected kind as one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "list":
        if not isinstance(pattern, str) or not pattern.strip():
            raise InvalidInput(f"{label}: expected a link pattern for a list page, got none")
        try:
            re.compile(pattern)
        except re.error as e:
            raise InvalidInput(f"{label}: expected pattern as a regular expression, got {pattern!r} ({e})") \
                from None
    elif pattern is not None and not isinstance(pattern, str):
        raise InvalidInput(f"{label}: expected pattern as a string, got {type(pattern).__name__}")
    return SourceSpec(name.strip(), url.strip(), kind, pattern.strip() if isinstance(pattern, str) else None)


def load_sources(path: str | Path) -> list[SourceSpec]:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot read ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: expected TOML, got {e}") from None
    raw = data.get("source")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{p}: expected one or more [[source]] tables, got none")
    specs, names = [], set()
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ConfigError(f"{p}: source {number}: expected a table")
        try:
            spec = check_source(item.get("name"), item.get("url"), item.get("kind", "feed"), item.get("pattern"),
                                where=f"source {number}")
        except InvalidInput as e:
            raise ConfigError(f"{p}: {e}") from None
        if spec.name in names:
            raise ConfigError(f"{p}: source {spec.name!r} is listed twice")
        names.add(spec.name)
        specs.append(spec)
    return specs


def parse_interval(value: str) -> float:
    """Seconds in "15m", "30s", "2h" or a plain number of seconds.

    >>> parse_interval("15m"), parse_interval("90"), parse_interval("2h")
    (900.0, 90.0, 7200.0)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", value or "")
    if not m or float(m.group(1)) <= 0:
        raise InvalidInput(f"expected an interval like 15m, 30s or 2h, got {value!r}")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]
