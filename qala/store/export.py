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
    return frame


_COLUMNS = ["id", "document_id", "ordinal", "indicator", "indicator_text", "territory_kato", "territory",
            "territory_text", "period", "period_start", "period_end", "granularity", "value", "unit",
            "object", "approx", "change_kind", "change_value", "change_direction", "change_base_period",
            "span_start", "span_stop", "url", "published", "source"]


def export_facts(db: Db, fmt: str, out: str | Path | IO[bytes], *, official: bool = False, **filters: Any) -> int:
    """Write the facts in ``fmt`` to a file path or binary stream; returns the number of rows."""
    if fmt not in FORMATS:
        raise ConfigError(f"expected a format among {', '.join(FORMATS)}, got {fmt!r}")
    frame = facts_frame(db, official=official, **filters)
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    elif fmt == "jsonl":
        if len(frame):
            buffer.write(frame.to_json(orient="records", lines=True, force_ascii=False,
                                       date_format="iso").encode("utf-8"))
    elif fmt == "parquet":
        frame.to_parquet(buffer, index=False, engine="pyarrow")
    else:
        frame.to_excel(buffer, index=False, sheet_name="facts", engine="openpyxl")
    data = buffer.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)
        out.flush()
    return len(frame)
