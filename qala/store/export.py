"""Facts out of the store as a table: CSV, Parquet, Excel or JSON Lines, written by pandas.

``export_facts(db, fmt, out)`` writes to a path or a binary stream; the filters are those of
``queries.list_facts``. Every row carries its provenance (document id, url, span) and its
source_kind: "reported" (a press figure) or, with ``official=True``, "official" (qala.stats).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from qala.errors import ConfigError
from qala.format import COLUMN_NAMES
from qala.store.queries import Db, list_facts

FORMATS = ("csv", "parquet", "xlsx", "jsonl")
BINARY = ("parquet", "xlsx")


def facts_frame(db: Db, *, official: bool = False, **filters: Any):
    """The facts (source_kind "reported"); ``official``: then the official values under the same filters
    (source_kind "official": url is the official table, published its vintage)."""
    import pandas as pd

    rows = list_facts(db, limit=None, **filters)
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else _COLUMNS)
    frame["source_kind"] = "reported"
    if official:
        from qala.stats.export import official_rows

        extra = pd.DataFrame(official_rows(db, **filters), columns=[*frame.columns])
        frame = pd.concat([frame, extra], ignore_index=True) if len(extra) else frame
    for column in ("period_start", "period_end", "published"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    titles, sentences = _provenance(db, frame)
    frame["title"] = titles
    frame["sentence"] = sentences
    return frame


def _provenance(db: Db, frame) -> tuple[list[str | None], list[str | None]]:
    """Each row's document title and the sentence its figure was read from (not only offsets)."""
    import pandas as pd
    from sqlalchemy import select

    from qala.store import schema
    from qala.store.queries import _rows

    ids = sorted({int(i) for i in frame["document_id"].dropna()}) if len(frame) else []
    docs: dict[int, tuple[str | None, str | None]] = {}
    D = schema.Document
    for n in range(0, len(ids), 500):
        for r in _rows(db, select(D.id, D.title, D.text).where(D.id.in_(ids[n:n + 500]))):
            docs[r["id"]] = (r["title"], r["text"])
    titles, sentences = [], []
    for doc_id, start, stop in zip(frame["document_id"], frame["span_start"], frame["span_stop"], strict=True):
        if pd.isna(doc_id) or pd.isna(start) or pd.isna(stop):  # an official value has no sentence
            titles.append(None)
            sentences.append(None)
            continue
        title, text = docs.get(int(doc_id), (None, None))
        titles.append(title)
        sentences.append(sentence_around(text, int(start), int(stop)) if text else None)
    return titles, sentences


SENTENCE_END = (". ", "! ", "? ", "\n")


def sentence_around(text: str, start: int, stop: int, limit: int = 600) -> str:
    """The sentence holding ``text[start:stop]``, cut at ``limit`` characters around it.

    >>> sentence_around("Первое. Рост составил 4,6%. Третье.", 8, 26)
    'Рост составил 4,6%.'
    """
    left = max((text.rfind(mark, max(0, start - limit), start) + len(mark) for mark in SENTENCE_END
                if text.rfind(mark, max(0, start - limit), start) >= 0), default=max(0, start - limit))
    ends = [i for i in (text.find(mark, stop, stop + limit) for mark in SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else min(len(text), stop + limit)
    return " ".join(text[left:right].split())


_COLUMNS = ["id", "document_id", "ordinal", "indicator", "indicator_text", "territory_kato", "territory",
            "territory_text", "period", "period_start", "period_end", "granularity", "value", "unit",
            "object", "approx", "change_kind", "change_value", "change_direction", "change_base_period",
            "span_start", "span_stop", "url", "published", "source"]


def export_facts(db: Db, fmt: str, out: str | Path | IO[bytes], *, official: bool = False, excel: bool = False,
                 **filters: Any) -> int:
    """Write the facts in ``fmt`` to a file path or binary stream; returns the number of rows.

    ``official``: the official values under the same filters too (source_kind "official").
    ``excel`` (CSV only): for a spreadsheet set to Russian, which opens a file by double click: a
    byte-order mark so it is read as UTF-8, ";" between columns, decimal commas, Russian headers.
    XLSX always has Russian headers, a frozen header row, filters and number formats."""
    if fmt not in FORMATS:
        raise ConfigError(f"expected a format among {', '.join(FORMATS)}, got {fmt!r}")
    frame = facts_frame(db, official=official, **filters)
    buffer = io.BytesIO()
    if fmt == "csv" and excel:
        buffer.write(frame.rename(columns=COLUMN_NAMES).to_csv(index=False, sep=";", decimal=",")
                     .encode("utf-8-sig"))
    elif fmt == "csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    elif fmt == "jsonl":
        if len(frame):
            buffer.write(frame.to_json(orient="records", lines=True, force_ascii=False,
                                       date_format="iso").encode("utf-8"))
    elif fmt == "parquet":
        frame.to_parquet(buffer, index=False, engine="pyarrow")
    else:
        _write_xlsx(frame, buffer)
    data = buffer.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)
        out.flush()
    return len(frame)


def table_bytes(rows: list[dict[str, Any]], columns: list[str], fmt: str, *, sheet: str) -> bytes:
    """What a page shows, as a download: CSV for a spreadsheet set to Russian (a byte-order mark,
    ";" between columns, Russian headers) or XLSX (as ``_write_xlsx``)."""
    import pandas as pd

    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(frame.rename(columns=COLUMN_NAMES).to_csv(index=False, sep=";", decimal=",")
                     .encode("utf-8-sig"))
    elif fmt == "xlsx":
        _write_xlsx(frame, buffer, sheet=sheet)
    else:
        raise ConfigError(f"expected a download format csv or xlsx, got {fmt!r}")
    return buffer.getvalue()


def _write_xlsx(frame, buffer: io.BytesIO, *, sheet: str = "Цифры") -> None:
    """A sheet a person can work with: Russian headers, the header row frozen, filters on, numbers
    with digit groups, dates as dates, wide text columns."""
    from openpyxl.utils import get_column_letter

    named = frame.rename(columns=COLUMN_NAMES)
    import pandas as pd

    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        named.to_excel(writer, index=False, sheet_name=sheet)
        sheet = writer.sheets[sheet]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        formats = {"value": "# ##0.###", "change_value": "0.0##", "period_start": "DD.MM.YYYY",
                   "period_end": "DD.MM.YYYY", "published": "DD.MM.YYYY", "deadline": "DD.MM.YYYY"}
        widths = {"sentence": 80, "title": 40, "indicator_text": 30, "territory": 20, "url": 30, "text": 60,
                  "addressee": 30, "issuer": 24, "posts": 40}
        for n, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(n)
            sheet.column_dimensions[letter].width = widths.get(column, 14)
            if column in formats:
                for cell in sheet[letter][1:]:
                    cell.number_format = formats[column]
