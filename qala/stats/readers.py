"""Official tables -> raw rows (row number, indicator, territory, period, value, unit, reference).

Three shapes, told apart by their contents, not their names:

tidy   CSV or XLSX with a header naming at least indicator, territory, period and value (English
       or Russian: показатель, территория/регион, период, значение; unit/единица, kato/като and
       source_repo/source_path are read when present).
wide   CSV or XLSX with one row per territory and one column per period ("2020", "2021-Q1",
       "I квартал 2021", "январь-сентябрь 2021"). Lines above the header give the indicator and
       unit: the first non-empty cell of the first line is the title, "Уровень безработицы, %"
       (the unit after the last comma when it reads as a unit), or a line "Единица измерения: ..."
       / "unit: ...", and "Источник: ..." the table's own source. ``indicator``/``unit`` passed by the
       caller win.
taldau JSON as taldau.stat.gov.kz/ru/Api/GetIndexData/<id> returns it: a list of objects, each
       with ``termNames`` (the territory, then breakdown terms) and ``periods``: a list of
       {``name`` ("2020 год", "I квартал 2021"), ``date`` ("31.12.2020"), ``value``}. The
       indicator and unit are not in that answer: the caller gives them, or the file wraps the
       list as {"indexName": ..., "measureName": ..., "data": [...]}. Fields read: termNames,
       periods[].name, periods[].date, periods[].value (and the three wrapper keys).

A file that is none of these, too large, or not UTF-8/cp1251 raises StatsFileError with one line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qala.stats.periods import read_period

MAX_BYTES = 32 * 1024 * 1024  # official tables run to a few MB; --max-mb raises it
HEADER_NAMES = {
    "indicator": ("indicator", "показатель", "наименование показателя", "индикатор"),
    "territory": ("territory", "территория", "регион", "region", "область", "наименование территории"),
    "period": ("period", "период", "год", "year"),
    "value": ("value", "значение", "величина"),
    "unit": ("unit", "единица", "единица измерения", "ед. изм.", "ед.изм."),
    "kato": ("kato", "като", "код като"),
    "source_repo": ("source_repo",),
    "source_path": ("source_path",),
}
TOTALS = ("всего", "итого", "барлығы", "total")
SOURCE_LINE = re.compile(r"^(?:источник|source)\s*:\s*(.+)$", re.IGNORECASE)
UNIT_LINE = re.compile(r"^(?:единица измерения|ед\.?\s*изм\.?|unit|units)\s*[:\-]\s*(.+)$", re.IGNORECASE)


class StatsFileError(Exception):
    """A whole file cannot be read: nothing of it is imported."""


@dataclass(frozen=True)
class RawRow:
    line: int  # the row's number in the file (1 = the first line), or its index in a JSON list
    indicator: str
    territory: str
    period: str
    value: str
    unit: str
    kato: str = ""
    ref: str = ""
    variant: str = ""  # a breakdown the file names besides the indicator (Taldau's further terms)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StatsFileError("not a text table: neither UTF-8 nor cp1251")


def _cells_csv(text: str) -> Iterator[list[str]]:
    sample = text[:4096]
    delimiter = max((",", ";", "\t"), key=sample.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as e:
        raise StatsFileError(f"unreadable CSV: {e}") from None


def _cells_xlsx(path: Path) -> Iterator[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise StatsFileError(f"unreadable XLSX: {e}") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else _cell_text(v) for v in row]
    finally:
        book.close()


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def _header_map(cells: list[str]) -> dict[str, int] | None:
    low = [" ".join(c.strip().lower().split()) for c in cells]
    found = {}
    for field, names in HEADER_NAMES.items():
        for i, c in enumerate(low):
            if c in names:
                found.setdefault(field, i)
    if {"indicator", "territory", "period", "value"} <= found.keys():
        return found
    return None


def _is_period(cell: str) -> bool:
    return bool(cell.strip()) and read_period(cell) is not None


def read_table(path: Path, *, indicator: str | None = None, unit: str | None = None,
               max_bytes: int | None = MAX_BYTES) -> tuple[str, Iterator[RawRow]]:
    """(shape, rows) of one file; raises StatsFileError for a file that cannot be read at all."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise StatsFileError(f"cannot read: {e.strerror or e}") from None
    if max_bytes is not None and size > max_bytes:
        raise StatsFileError(f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB an official "
                             "table may have (--max-mb allows more)")
    if size == 0:
        raise StatsFileError("empty file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        cells = list(_cells_xlsx(path))
    else:
        data = path.read_bytes()
        if suffix == ".json" or data.lstrip()[:1] in (b"[", b"{"):
            return "taldau", _taldau(data, indicator, unit)
        if b"\x00" in data[:4096]:
            raise StatsFileError("not a text table (binary content)")
        cells = list(_cells_csv(_decode(data)))
    return _shape(cells, indicator, unit)


def _shape(cells: list[list[str]], indicator: str | None, unit: str | None) -> tuple[str, Iterator[RawRow]]:
    for i, row in enumerate(cells[:20]):
        if (header := _header_map(row)) is not None:
            return "tidy", _tidy(cells, i, header, unit)
        rest = [c for c in row[1:] if c.strip()]
        if rest and all(_is_period(c) for c in rest) and not _is_period(row[0]):
            return "wide", _wide(cells, i, indicator, unit)
    first = ", ".join(c for c in (cells[0] if cells else [])[:6])
    if cells and {"code", "level"} <= {c.strip().lower() for c in cells[0]}:
        raise StatsFileError("a classifier (code, name, level), not a table of values: nothing to import "
                             f"(header {first[:120]!r})")
    raise StatsFileError("wrong header: expected the columns indicator, territory, period, value[, unit] "
                         f"or a wide table (territory, then a column per period); found: {first[:200]!r}")


def _tidy(cells: list[list[str]], at: int, h: dict[str, int], unit: str | None) -> Iterator[RawRow]:
    fields = ("indicator", "territory", "period", "value", "unit", "kato", "source_repo", "source_path")
    idx = [h.get(f, -1) for f in fields]
    width = max(idx) + 1
    pad = [""] * (width + 1)  # column -1 (absent) reads the last, always empty, cell
    default_unit = unit or ""
    for n, row in enumerate(cells[at + 1:], start=at + 2):
        if not any(row):
            continue
        if len(row) != width + 1:
            row = (row + pad)[:width] + [""]
        else:
            row[-1] = ""
        ind, terr, period, value, u, kato, repo, path = (row[i] for i in idx)
        ref = f"{repo.strip()}/{path.strip()}" if repo and path else (repo or path).strip()
        yield RawRow(n, ind.strip(), terr.strip(), period.strip(), value.strip(), u.strip() or default_unit,
                     kato.strip(), ref)


def _title(cells: list[list[str]], at: int) -> tuple[str, str, str]:
    """(indicator, unit, source) from the lines above a wide table's header."""
    from qala.stats.catalog import read_unit

    title, unit, source = "", "", ""
    for row in cells[:at]:
        text = ", ".join(c.strip() for c in row if c.strip())  # "Уровень безработицы, %" split by a comma CSV
        if not text:
            continue
        if m := UNIT_LINE.match(text):
            unit = m[1].strip()
        elif m := SOURCE_LINE.match(text):
            source = m[1].strip()
        elif not title:
            title = text
    if title and not unit and "," in title:
        head, _, tail = title.rpartition(",")
        if read_unit(tail.strip()):
            title, unit = head.strip(), tail.strip()
    return title, unit, source


def _wide(cells: list[list[str]], at: int, indicator: str | None, unit: str | None) -> Iterator[RawRow]:
    title, title_unit, source = _title(cells, at)
    name = indicator or title
    header = cells[at]
    periods = [(j, c.strip()) for j, c in enumerate(header) if j > 0 and c.strip()]
    for n, row in enumerate(cells[at + 1:], start=at + 2):
        if not row or not row[0].strip():
            continue
        for j, period in periods:
            value = row[j].strip() if j < len(row) else ""
            if value in ("", "-", "–", "—", "…", "...", "x", "х"):
                continue  # no data in this cell (the Bureau's dash)
            yield RawRow(n, name, row[0].strip(), period, value, unit or title_unit, "", source)


def _taldau(data: bytes, indicator: str | None, unit: str | None) -> Iterator[RawRow]:
    try:
        doc = json.loads(_decode(data))
    except json.JSONDecodeError as e:
        raise StatsFileError(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    name, measure = indicator or "", unit or ""
    if isinstance(doc, dict):
        name = indicator or str(doc.get("indexName") or "")
        measure = unit or str(doc.get("measureName") or "")
        doc = doc.get("data")
    if not isinstance(doc, list) or not all(isinstance(x, dict) and "periods" in x for x in doc):
        raise StatsFileError("not a Taldau answer: expected a list of objects with termNames and periods "
                             '(or {"indexName", "measureName", "data": [...]})')
    if not name:
        raise StatsFileError("a Taldau answer does not name its indicator: pass --indicator "
                             '(or wrap it as {"indexName": ..., "data": [...]})')
    return _taldau_rows(doc, name, measure)


def _taldau_rows(doc: list[dict], name: str, measure: str) -> Iterator[RawRow]:
    for n, item in enumerate(doc, start=1):
        terms = item.get("termNames") or []
        terms = [str(t).strip() for t in terms] if isinstance(terms, list) else [str(terms)]
        territory = terms[0] if terms else ""
        variant = ", ".join(t for t in terms[1:] if t.lower() not in TOTALS)
        for period in item.get("periods") or []:
            if not isinstance(period, dict):
                continue
            value = period.get("value")
            if value is None or str(value).strip() in ("", "-"):
                continue
            label = str(period.get("name") or "").strip()
            if not label or read_period(label) is None:
                label = str(period.get("date") or label)
            yield RawRow(n, name, territory, label, str(value), measure, "", f"item {n}", variant)
