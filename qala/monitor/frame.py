"""The facts as monitoring sees them, read once per rebuild into columns (numpy arrays).

One pass over the facts table, plus the small documents and overlay tables, gives every later
step what it needs: reviews applied (rejected facts gone, corrections used), each fact's document
(publication date, near-duplicate group) and the base period of its change. Series, checks and
commitments are then computed on these columns, without staging tables or repeated group-bys in
SQL, so a rebuild costs about one read of the facts plus the writes of what it derived.

The eight short text fields of a fact (dates, granularity, approx, change kind and direction, base
period, scope, unit) have few distinct combinations; they are read as one packed string and unpacked once
per distinct value, which is most of what makes the read cheap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, text

from qala.monitor import sqliteread
from qala.monitor.sqliteread import NUMERIC
from qala.store.schema import OVERLAID

NAT = np.datetime64("NaT", "D")
SEP = "\x1f"  # joins the packed fields (a unit separator: never inside a unit or a period)
PACKED = ("period_start", "period_end", "granularity", "approx", "change_kind", "change_direction",
          "change_base_period", "scope", "unit")


def _packed_sql(d: str) -> str:
    if d == "sqlite":  # one printf (NULL prints as nothing) costs half of seven concatenations
        return "printf('" + SEP.join(["%s"] * len(PACKED)) + "', " + ", ".join(PACKED) + ")"
    sep = "chr(31)"
    fields = [f"COALESCE(CAST({c} AS TEXT), '')" if c.startswith("period") else f"COALESCE({c}, '')"
              for c in PACKED]
    return f" || {sep} || ".join(fields)


def _select(d: str, where: str) -> str:
    return (f"SELECT id, document_id, territory_id, indicator_id, value, change_value, span_start, span_stop, "
            f"object, {_packed_sql(d)} AS packed FROM facts f WHERE {where}")


@dataclass
class Facts:
    """Column arrays, one entry per fact. Missing ids are -1, missing numbers NaN, missing dates NaT,
    missing text None (text columns are object arrays).

    A text column's integer codes (``codes``) are worked out once and kept, so the steps' many
    "unit is given", "change is a percent" masks compare integers, not a million strings each time.
    Whoever changes a text column in place must call ``forget``."""

    cols: dict[str, np.ndarray]
    coded: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def __setitem__(self, name: str, value: np.ndarray) -> None:
        self.cols[name] = value
        self.forget(name)

    def __len__(self) -> int:
        return len(self.cols["fact_id"])

    def take(self, index: np.ndarray) -> Facts:
        return Facts({k: v[index] for k, v in self.cols.items()}, {k: (c[index], u) for k, (c, u) in self.coded.items()})

    def forget(self, name: str) -> None:
        self.coded.pop(name, None)

    def codes(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Integer codes of a text column (None is -1) and its distinct values."""
        if name not in self.coded:
            self.coded[name] = codes(self.cols[name])
        return self.coded[name]

    def isin(self, name: str, allowed: tuple[str, ...]) -> np.ndarray:
        return isin_text(self.codes(name), allowed)

    def not_null(self, name: str) -> np.ndarray:
        return self.codes(name)[0] >= 0


# ================================================================ reading

def _fetch(conn: Connection, sql: str, *, parallel: bool = False) -> list[np.ndarray]:
    """The columns of `sql` (numeric first, then object and the packed text) as arrays."""
    if conn.dialect.name == "postgresql":
        from qala.monitor.pgread import fetch_blocks

        return fetch_blocks(conn, sql, parallel=parallel)
    return sqliteread.fetch(conn.connection.driver_connection, sql, parallel=parallel)


def _dates(values: list[str]) -> np.ndarray:
    return np.array([v or "NaT" for v in values], dtype="datetime64[D]")


def _unpack(packed: np.ndarray, cols: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The packed fields into their columns; returns the text columns' codes, worked out from the
    few distinct combinations rather than from every fact."""
    combo, uniques = pd.factorize(packed)
    fields = list(zip(*(u.split(SEP, len(PACKED) - 1) for u in uniques))) or [()] * len(PACKED)
    coded = {}
    for name, values in zip(PACKED, fields):
        if name.startswith("period"):
            cols[name] = _dates(list(values))[combo] if len(combo) else np.zeros(0, dtype="datetime64[D]")
            continue
        distinct = np.array([v or None for v in values] + [None], dtype=object)
        cols[name] = distinct[combo]
        c, u = codes(distinct[:-1])
        coded[name] = (np.append(c, -1)[combo], u)
    return coded


def read_facts(conn: Connection, *, verified_only: bool = False, fresh: bool = False) -> Facts:
    """Every effective fact with a period (rejected hidden, corrections applied), with its document's
    publication date and near-duplicate group (canon_doc) and its change's base period. ``fresh``:
    the transaction has written nothing yet, so PostgreSQL may read a large table on two connections."""
    d = conn.dialect.name
    arrays = _fetch(conn, _select(d, "f.period_start IS NOT NULL AND f.period_end IS NOT NULL"), parallel=fresh)
    extra = _fetch(conn, _select(d, "(f.period_start IS NULL OR f.period_end IS NULL) "
                                    "AND f.id IN (SELECT fact_id FROM fact_overlay)"))
    arrays = [np.concatenate([a, b]) for a, b in zip(arrays, extra)]
    cols = dict(zip(NUMERIC, arrays[:8]))
    cols["object"] = np.array([v or None for v in arrays[8]], dtype=object) if len(arrays[8]) else arrays[8]
    facts = _apply_overlay(conn, Facts(cols, _unpack(arrays[9], cols)), verified_only=verified_only)
    keep = ~np.isnat(facts["period_start"]) & ~np.isnat(facts["period_end"])
    facts = facts.take(np.flatnonzero(keep))
    _join_documents(conn, facts)
    _base_periods(facts)
    _indicators(conn, facts)
    facts["territorial"] = ~facts.isin("scope", ("object",))  # not a figure of one plant, project or group
    return facts


def _indicators(conn: Connection, facts: Facts) -> None:
    """Per fact, its indicator's parent (-1 for none) and whether its levels are given in percent
    (an unemployment rate: 4,8% is its value, not a change)."""
    rows = conn.execute(text("SELECT id, parent_id, unit_family FROM indicators")).all()
    size = max([r[0] for r in rows] + [int(facts["indicator_id"].max(initial=0))]) + 2
    parent, percent = np.full(size, -1, dtype=np.int64), np.zeros(size, dtype=bool)
    for i, p, family in rows:  # a few hundred indicators
        parent[i], percent[i] = -1 if p is None else p, family == "percent"
    facts["indicator_parent"] = parent[facts["indicator_id"]]  # -1 (no indicator) reads the last slot: -1
    facts["percent_level"] = percent[facts["indicator_id"]]


def _apply_overlay(conn: Connection, facts: Facts, *, verified_only: bool) -> Facts:
    rows = conn.execute(text(f"SELECT fact_id, hidden, verified, {', '.join(OVERLAID)} FROM fact_overlay")).all()
    if not rows:
        return facts.take(np.zeros(0, dtype=np.int64)) if verified_only else facts
    order = np.argsort(facts["fact_id"], kind="stable")
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    pos = np.searchsorted(facts["fact_id"], ids, sorter=order)
    pos = np.minimum(pos, len(order) - 1) if len(order) else pos
    found = len(order) > 0
    where = order[pos] if found else pos
    hit = (facts["fact_id"][where] == ids) if found else np.zeros(len(ids), dtype=bool)
    hidden = np.zeros(len(facts), dtype=bool)
    verified = np.zeros(len(facts), dtype=bool)
    for r, idx, ok in zip(rows, where.tolist(), hit.tolist()):
        if not ok:
            continue
        hidden[idx], verified[idx] = bool(r[1]), bool(r[2])
        for name, value in zip(OVERLAID, r[3:]):
            if value is None:
                continue
            if name.startswith("period"):
                value = np.datetime64(str(value)[:10], "D")
            facts[name][idx] = value
            facts.forget(name)
    keep = ~hidden & verified if verified_only else ~hidden
    return facts.take(np.flatnonzero(keep))


def _join_documents(conn: Connection, facts: Facts) -> None:
    rows = conn.execute(text("SELECT id, COALESCE(near_duplicate_of, id), CAST(published AS TEXT) "
                             "FROM documents ORDER BY id")).all()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    canon = np.array([r[1] for r in rows], dtype=np.int64)
    published = _dates([(r[2] or "")[:10] for r in rows])
    pos = np.searchsorted(ids, facts["document_id"])
    facts["canon_doc"] = canon[pos] if len(ids) else facts["document_id"].copy()
    facts["published"] = published[pos] if len(ids) else np.full(len(facts), NAT)


# ================================================================ dates

def ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = dates.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def years_back(dates: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Each date moved back by whole years, the day kept within its month (29 Feb -> 28 Feb)."""
    year, month, day = ymd(dates)
    first = ((year - years - 1970) * 12 + month - 1).astype("datetime64[M]")
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    return first.astype("datetime64[D]") + (np.minimum(day, length) - 1)


def end_years_back(dates: np.ndarray, years: np.ndarray) -> np.ndarray:
    """A period's last day moved back by whole years, month ends kept (31 Dec 2020 -> 31 Dec 2019)."""
    return years_back(dates + 1, years) - 1


def _base_periods(facts: Facts) -> None:
    """base_years (how far back a change's base lies: the stated base year, else one) and the base
    period's first and last day, for facts that carry a change."""
    has_change = facts.not_null("change_kind") & ~np.isnan(facts["change_value"])
    c, u = facts.codes("change_base_period")
    stated = np.append(np.array([_year(b) for b in u], dtype=float), np.nan)[c]
    year = facts["period_start"].astype("datetime64[Y]").astype(np.int64) + 1970
    n = np.where(np.isnan(stated), 1, year - np.nan_to_num(stated)).astype(np.int64)
    n = np.where(has_change, n, 0)
    ok = has_change & (n > 0)
    facts["has_change"] = has_change
    facts["base_years"] = n
    rows = np.flatnonzero(ok)
    facts["base_start"] = np.full(len(facts), NAT)
    facts["base_end"] = np.full(len(facts), NAT)
    facts["base_start"][rows] = years_back(facts["period_start"][rows], n[rows])
    facts["base_end"][rows] = end_years_back(facts["period_end"][rows], n[rows])


def _year(base: str | None) -> float:
    if base is not None and len(base) == 4 and base.isdigit():
        return float(base)
    return np.nan


# ================================================================ helpers for the steps

def iso(dates: np.ndarray) -> list[str | None]:
    """Dates as 'YYYY-MM-DD' text (None for NaT); each distinct date is formatted once."""
    if not len(dates):
        return []
    distinct, inverse = np.unique(dates, return_inverse=True)
    text_ = np.array([None if s == "NaT" else s for s in np.datetime_as_string(distinct, unit="D").tolist()],
                     dtype=object)
    return text_[inverse.reshape(-1)].tolist()


def nullable(values: np.ndarray) -> list[Any]:
    """Floats as a Python list with None for NaN."""
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out.tolist()


def _int_codes(key: np.ndarray) -> np.ndarray:
    """Integer codes that keep a key's equalities (dates by day, floats by their bits, text by value)."""
    if key.dtype.kind == "M":
        return key.astype("datetime64[D]").view(np.int64)
    if key.dtype.kind == "f":
        return np.where(key == 0, 0.0, key).view(np.int64)  # -0.0 and 0.0 are one value
    if key.dtype.kind in "iub":
        return key.astype(np.int64)
    return pd.factorize(key, use_na_sentinel=True)[0].astype(np.int64)


def group_ids(*keys: np.ndarray) -> tuple[np.ndarray, int]:
    """A dense group number per row for the combination of `keys` (object columns allowed)."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64), 0
    combined = None
    for key in keys:
        c = pd.factorize(_int_codes(key))[0].astype(np.int64)
        n = int(c.max()) + 1
        if combined is None:
            combined, size = c, n
        elif size * n < 2 ** 62:
            combined, size = combined * n + c, size * n
        else:  # too many combinations for one number: renumber what we have first
            combined = pd.factorize(combined)[0].astype(np.int64)
            size = int(combined.max()) + 1
            combined, size = combined * n + c, size * n
    gid = pd.factorize(combined)[0].astype(np.int64)
    return gid, int(gid.max()) + 1


def codes(values: np.ndarray, *, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of an object column (None is -1) and the distinct values."""
    c, u = pd.factorize(values, sort=sort, use_na_sentinel=True)
    return c, np.asarray(u, dtype=object)


def isin_text(values: np.ndarray | tuple[np.ndarray, np.ndarray], allowed: tuple[str, ...]) -> np.ndarray:
    """Where a text column (or its codes and distinct values) holds one of `allowed`."""
    c, u = values if isinstance(values, tuple) else codes(values)
    ok = np.array([x in allowed for x in u] + [False], dtype=bool)
    return ok[c]


def today_default(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
