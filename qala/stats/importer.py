"""Import official tables: read (readers), match (names, catalog, periods), store with vintages.

Each file is one transaction: a file that cannot be read adds nothing, and a row that cannot be
matched is listed (row, reason) and left out while the others go in. Nothing is guessed.

Vintages: a row's series key is (source, indicator, variant, territory, period, unit). A value equal
to the key's latest stored one adds nothing (so importing the same file twice adds nothing); a
different value adds a row with the new vintage, and the earlier rows stay as the key's history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from qala.stats.catalog import match_indicator, read_unit
from qala.stats.names import gazetteer
from qala.stats.periods import read_period
from qala.stats.readers import MAX_BYTES, RawRow, StatsFileError, read_table
from qala.store.schema import OfficialImport, OfficialValue

DEFAULT_SOURCE = "Бюро национальной статистики (stat.gov.kz)"
LISTED = 1000  # unmatched rows kept in the import's record (the report prints them all)
NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$", re.IGNORECASE)
SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
VALUE_COLUMNS = ("import_id", "source", "vintage", "indicator_code", "variant", "kato", "period_kind",
                 "period_start", "period_end", "granularity", "value", "unit", "row", "reference")
NO_DATA = ("", "-", "–", "—", "…", "...", "x", "х", "н/д")
HEADINGS = ("country", "region", "city")  # a table lists the towns and districts of the last of these


@dataclass
class FileReport:
    path: str
    source: str
    vintage: dt.date
    shape: str | None = None
    rows_read: int = 0
    added: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, the row kept): same series, same value
    error: str | None = None
    already: int | None = None  # the import that brought this very file before
    import_id: int | None = None

    @property
    def matched(self) -> int:
        return self.rows_read - len(self.unmatched)

    @property
    def share(self) -> float:
        return self.matched / self.rows_read if self.rows_read else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "source": self.source, "vintage": self.vintage.isoformat(), "shape": self.shape,
                "rows_read": self.rows_read, "matched": self.matched, "added": self.added,
                "unchanged": self.unchanged, "share_matched": round(self.share, 4), "error": self.error,
                "already_imported": self.already, "import_id": self.import_id,
                "unmatched": [{"row": r, "reason": why} for r, why in self.unmatched],
                "duplicates": [{"row": r, "kept": k} for r, k in self.duplicates]}

    def reasons(self) -> list[tuple[str, int]]:
        """Unmatched rows counted by kind of reason (the text before any quoted name)."""
        counts: dict[str, int] = {}
        for _, why in self.unmatched:
            kind = why.split("'")[0].split(" row ")[0].strip(" :")
            counts[kind] = counts.get(kind, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])


def parse_value(cell: str) -> float | None:
    """A number as official tables write it ("1 234,5", "78,8*", "-3.2"); None when it is not one.

    >>> parse_value("1 234,5"), parse_value("78,8*"), parse_value("н/д"), parse_value("1e400")
    (1234.5, 78.8, None, None)
    """
    try:
        value = float(cell)  # the common case: "5.5", "1916822"
        return value if math.isfinite(value) else None
    except ValueError:
        pass
    t = cell.translate(SPACES).replace(",", ".").rstrip("*")
    if not NUMBER.match(t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Matcher:
    """Raw rows -> value rows; remembers the region a table is listing, and answers from caches."""

    def __init__(self) -> None:
        self.places = gazetteer()
        self.within: str | None = None
        self._territory: dict[tuple[str, str | None], Any] = {}
        self._period: dict[tuple[str, str], Any] = {}
        self.headings: tuple[str, ...] = ()  # the last row's name: several regions or cities it may be
        self.parent: str | None = None  # the last row's town or district: the region it belongs to

    def territory(self, raw: RawRow) -> tuple[str | None, str | None]:
        self.headings, self.parent = (), None
        if raw.kato:
            code = raw.kato.strip().zfill(9)
            if code in self.places.places:
                return code, None
            return None, f"unknown KATO code {raw.kato!r}"
        k = (raw.territory, self.within)
        match = self._territory.get(k)
        if match is None:
            match = self._territory[k] = self.places.match(raw.territory, within=self.within)
        if match.place is None:
            if match.candidates and all(self.places.places[c].kind in HEADINGS for c in match.candidates):
                self.headings = match.candidates
            return None, match.reason
        if match.place.kind not in HEADINGS:
            self.parent = match.place.parent
        if match.place.kind in HEADINGS:
            self.within = match.place.code if match.place.kind != "country" else None
        elif match.place.parent:  # a town or district named once: the table is listing its region
            self.within = match.place.parent
        return match.place.code, None

    def row(self, raw: RawRow) -> tuple[tuple, float, str] | str:
        """((key...), value, unit) for a raw row, or the reason it cannot be matched."""
        ind = match_indicator(raw.indicator)
        kato, why = self.territory(raw)  # first: a heading row sets the context even if unmatched otherwise
        if ind is None:
            return f"indicator not in the catalogue: {raw.indicator[:120]!r}" if raw.indicator else "no indicator"
        if kato is None:
            return why or "no territory"
        pk = (raw.period, ind.period)
        period = self._period.get(pk)
        if period is None:
            period = self._period[pk] = read_period(raw.period, cumulative=ind.period == "ytd",
                                                    stock=ind.period == "date") or False
        if period is False:
            return f"unreadable period {raw.period[:40]!r}"
        value = parse_value(raw.value)
        if value is None and raw.value.strip() in NO_DATA:
            return f"no data ({raw.value.strip() or 'empty'})"
        if value is None:
            return f"value {raw.value[:40]!r} is not a number"
        unit = read_unit(raw.unit) if raw.unit else None
        if unit is None:
            return f"unknown unit {raw.unit[:60]!r}" if raw.unit else "no unit"
        variant = ", ".join(v for v in (ind.variant, raw.variant) if v)
        key = (ind.code, variant[:200], kato, period.kind, period.start, period.end, unit[0], raw.ref[:500])
        return key, value * unit[1], period.granularity


def import_file(engine: Engine, path: Path, *, source: str | None = None, vintage: dt.date | None = None,
                indicator: str | None = None, unit: str | None = None,
                max_bytes: int | None = MAX_BYTES) -> FileReport:
    """Import one file; never raises for what is in the file (the report says what went wrong)."""
    source = (source or DEFAULT_SOURCE)[:200]
    report = FileReport(str(path), source, vintage or dt.date.today())
    try:
        shape, raws = read_table(path, indicator=indicator, unit=unit, max_bytes=max_bytes)
        report.shape = shape
        digest = sha256_of(path)
        with engine.connect() as conn:
            q = select(OfficialImport.id).where(OfficialImport.source == source, OfficialImport.sha256 == digest)
            if vintage is not None:
                q = q.where(OfficialImport.vintage == vintage)
            report.already = conn.execute(q.limit(1)).scalar()
        if report.already is not None:
            return report
        rows = _match(raws, report)
        if report.rows_read == 0:
            raise StatsFileError("no rows with values under the header")
    except StatsFileError as e:
        report.error = str(e)
        report.unmatched.clear()
        return report
    try:
        with engine.begin() as conn:
            _store(conn, rows, report, path, digest)
    except SQLAlchemyError as e:  # the transaction is rolled back: nothing of the file stays
        first = str(getattr(e, "orig", None) or e).strip().splitlines()
        report.error = f"the store refused the rows, nothing imported: {first[0] if first else type(e).__name__}"
        report.added = report.unchanged = 0
        report.import_id = None
    return report


def _match(raws: Iterable[RawRow], report: FileReport) -> dict[tuple, tuple[float, str, int]]:
    """key -> (value, granularity, row); duplicates and conflicts listed."""
    matcher = Matcher()
    found: dict[tuple, tuple[float, str, int]] = {}
    conflicted: set[tuple] = set()
    # A heading that may name several regions or cities ("Алматы": the city in Russian, the region in
    # Kazakh bulletins) waits for the next matched row: a town or district of one of them settles it.
    waiting: list[tuple[RawRow, tuple[str, ...], str]] = []
    for raw in raws:
        report.rows_read += 1
        got = matcher.row(raw)
        if isinstance(got, str):
            if matcher.headings:
                waiting.append((raw, matcher.headings, got))
            else:
                report.unmatched.append((raw.line, got))
            continue
        if waiting:
            parent = matcher.parent
            for held, codes, why in waiting:
                settled = matcher.row(replace(held, kato=parent)) if parent in codes else why
                _add(settled, held, found, conflicted, report)
            waiting.clear()
            matcher.territory(raw)  # the context stays the current row's
        _add(got, raw, found, conflicted, report)
    for held, _, why in waiting:
        report.unmatched.append((held.line, why))
    return found


def _add(got: tuple | str, raw: RawRow, found: dict[tuple, tuple[float, str, int]], conflicted: set[tuple],
         report: FileReport) -> None:
    """Keep one matched row (or list why not): a repeated series and period is a duplicate when the
    values agree, and a contradiction (neither kept) when they do not."""
    if isinstance(got, str):
        report.unmatched.append((raw.line, got))
        return
    key, value, granularity = got
    if key in found or key in conflicted:
        first = found.get(key)
        if first is not None and _same(first[0], value):
            report.duplicates.append((raw.line, first[2]))
        else:
            if first is not None:
                report.unmatched.append((first[2], f"contradicted by row {raw.line}: neither is imported"))
                del found[key]
                conflicted.add(key)
            report.unmatched.append((raw.line, ("contradicts an earlier row of the same series and period: "
                                               "neither is imported")))
        return
    found[key] = (value, granularity, raw.line)


def _same(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _latest(conn: Connection, source: str, codes: set[str]) -> dict[tuple, tuple[dt.date, float]]:
    """Each stored key of a source's indicators ``codes`` with its latest vintage and value."""
    t = OfficialValue.__table__
    out: dict[tuple, tuple[dt.date, float]] = {}
    q = select(t.c.indicator_code, t.c.variant, t.c.kato, t.c.period_kind, t.c.period_start, t.c.period_end,
               t.c.unit, t.c.reference, t.c.vintage, t.c.value).where(t.c.source == source,
                                                                      t.c.indicator_code.in_(sorted(codes)))
    for r in conn.execute(q):
        key = (r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), r[6], r[7] or "")
        vintage = _date(r[8])
        if key not in out or out[key][0] < vintage:
            out[key] = (vintage, r[9])
    return out


def _date(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])


def _store(conn: Connection, rows: dict[tuple, tuple[float, str, int]], report: FileReport, path: Path,
           digest: str) -> None:
    latest = _latest(conn, report.source, {k[0] for k in rows}) if rows else {}
    new = []
    for key, (value, granularity, line) in rows.items():
        before = latest.get(key)
        if before is not None and _same(before[1], value):
            report.unchanged += 1
            continue
        if before is not None and before[0] == report.vintage:
            report.unmatched.append((line, (f"vintage {report.vintage} already holds {before[1]:g} for this "
                                           "series and period: give the revision a new --vintage")))
            continue
        new.append((key, value, granularity, line))
    report.unmatched.sort()
    report.added = len(new)
    result = conn.execute(insert(OfficialImport.__table__).values(
        source=report.source, vintage=report.vintage, file_name=path.name[:500], sha256=digest,
        shape=report.shape or "", rows_read=report.rows_read, rows_added=report.added,
        rows_unchanged=report.unchanged, rows_unmatched=len(report.unmatched),
        unmatched=[list(u) for u in report.unmatched[:LISTED]]))
    report.import_id = int(result.inserted_primary_key[0])
    write_values(conn, ((report.import_id, report.source, report.vintage, k[0], k[1], k[2], k[3], k[4], k[5], g,
                         v, k[6], line, k[7] or None) for k, v, g, line in new))


def write_values(conn: Connection, rows: Iterable[tuple]) -> int:
    """Append value rows (VALUE_COLUMNS order): COPY on PostgreSQL, executemany on SQLite."""
    if conn.dialect.name == "postgresql":
        return _copy(conn, rows)
    cols = ", ".join(f'"{c}"' for c in VALUE_COLUMNS)
    marks = ", ".join("?" for _ in VALUE_COLUMNS)
    cur = conn.connection.driver_connection.cursor()
    n = 0
    batch: list[tuple] = []
    for r in rows:
        batch.append(tuple(x.isoformat() if isinstance(x, dt.date) else x for x in r))
        if len(batch) >= 50_000:
            cur.executemany(f"INSERT INTO official_values ({cols}) VALUES ({marks})", batch)
            n += len(batch)
            batch.clear()
    if batch:
        cur.executemany(f"INSERT INTO official_values ({cols}) VALUES ({marks})", batch)
        n += len(batch)
    return n


ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Iterable[tuple]) -> Iterable[str]:
    """COPY text-format lines (tab-separated, \\N for NULL)."""
    for r in rows:
        yield "\t".join("\\N" if x is None else x.translate(ESCAPES) if isinstance(x, str) else
                        x.isoformat() if isinstance(x, dt.date) else repr(x) if isinstance(x, float) else str(x)
                        for x in r) + "\n"


def _copy(conn: Connection, rows: Iterable[tuple]) -> int:
    cols = ", ".join(f'"{c}"' for c in VALUE_COLUMNS)
    n = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY official_values ({cols}) FROM STDIN") as copy:
        buf = io.StringIO()
        for line in copy_text(rows):
            buf.write(line)
            n += 1
            if n % 20_000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        if buf.tell():
            copy.write(buf.getvalue())
    return n


def import_paths(engine: Engine, paths: Iterable[Path], **options: Any) -> list[FileReport]:
    """Import files and the tables inside folders (csv, xlsx, json), one transaction each."""
    out = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".json"))
        else:
            files = [path]
        for f in files:
            out.append(import_file(engine, f, **options))
    return out


def clear_source(conn: Connection, source: str) -> None:
    """Remove a source's imports and values (tests and the demo start over with it)."""
    conn.execute(text("DELETE FROM official_values WHERE source = :s"), {"s": source})
    conn.execute(text("DELETE FROM official_imports WHERE source = :s"), {"s": source})
