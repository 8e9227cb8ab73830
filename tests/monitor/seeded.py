"""A small seeded store that exercises every branch of the recompute, and a snapshot of what the
recompute derived from it (series points, checks, commitments and their history).

The snapshot in data/recompute_snapshot.json was taken with the straightforward implementation;
test_recompute_snapshot holds every later (faster) implementation to the same results.

    python -m tests.monitor.seeded --write   # retake the snapshot (only when a rule changes on purpose)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

from qala.monitor.recompute import recompute_all
from qala.monitor.review import review
from qala.store.schema import Document, Fact, Indicator, Territory

SNAPSHOT = Path(__file__).parent / "data" / "recompute_snapshot.json"
FIRST_RUN, SECOND_RUN = dt.date(2023, 3, 1), dt.date(2025, 6, 1)
# indicator id -> (parent id, unit)
INDICATORS = {1: (None, "KZT"), 2: (None, "m2"), 3: (1, "KZT"), 4: (1, "KZT"), 5: (2, "m2"), 6: (None, "%"),
              7: (None, "count"), 8: (None, "KZT")}
PLAN_TEXT = "Сводка. В следующем году планируется построить новые объекты и запустить проекты."
REPORT_TEXT = "Сводка. По итогам периода показатели составили следующие значения по городу."
FUTURE_TEXT = "Сводка. Новые объекты построят к сроку, сообщили в управлении."


def _round(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def _shapes(year: int):
    yield dt.date(year, 1, 1), dt.date(year, 12, 31), "year", 1.0
    for q in range(4):
        start = dt.date(year, 3 * q + 1, 1)
        end = dt.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
        yield start, end, "quarter", 0.25
    yield dt.date(year, 1, 1), dt.date(year, 6, 30), "half", 0.5
    yield dt.date(year, 1, 1), dt.date(year, 8, 31), "range", 8 / 12


def _period_text(start: dt.date, end: dt.date, granularity: str) -> str:
    if granularity == "year":
        return str(start.year)
    return f"{start.year}-{start.month:02d}..{end.year}-{end.month:02d}"


def seed(engine: Engine, seed_value: int = 11) -> dict[str, int]:
    """Write the seeded store (about 3,000 facts) and a few reviews; returns row counts."""
    rng = random.Random(seed_value)
    territories = [{"id": t, "kato": f"{t:09d}", "name": f"Город {t}", "kind": "city"} for t in range(1, 5)]
    indicators = [{"id": i, "code": f"ind_{i}", "name": f"Показатель {i}", "parent_id": p}
                  for i, (p, _) in INDICATORS.items()]
    documents: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []

    def flush(published: dt.date, body: str) -> None:
        doc_id = len(documents) + 1
        dup = documents[-1]["id"] if documents and rng.random() < 0.08 else None
        documents.append({"id": doc_id, "text": body, "published": published, "near_duplicate_of": dup,
                          "language": "ru", "status": "ok"})
        for ordinal, f in enumerate(pending):
            span = (8, len(body)) if ordinal % 3 else (0, len(body))
            facts.append({**f, "id": len(facts) + 1, "document_id": doc_id, "ordinal": ordinal,
                          "span_start": span[0], "span_stop": span[1]})
        pending.clear()

    def fact(territory: int | None, indicator: int | None, start: dt.date, end: dt.date, granularity: str,
             value: float | None, unit: str | None, change: tuple | None = None, approx: str | None = None,
             base: str | None = None) -> dict[str, Any]:
        kind, cv, direction = change or (None, None, None)
        return {"territory_id": territory, "indicator_id": indicator, "indicator_text": f"ind {indicator}",
                "territory_text": f"t {territory}", "period": _period_text(start, end, granularity),
                "period_start": start, "period_end": end, "granularity": granularity, "value": value, "unit": unit,
                "object": "объект" if unit == "count" else None, "approx": approx, "change_kind": kind,
                "change_value": cv, "change_direction": direction, "change_base_period": base}

    levels: dict[tuple[int, int, dt.date, dt.date], float] = {}
    for t in range(1, 5):
        for i, (parent, unit) in INDICATORS.items():
            root = rng.uniform(1e3, 1e12) if unit != "%" else rng.uniform(1, 20)
            growth = rng.uniform(0.95, 1.15)
            for year in range(2017, 2025):
                for start, end, granularity, share in _shapes(year):
                    if rng.random() < 0.25:
                        continue
                    if parent is not None and (t, parent, start, end) in levels:
                        level = levels[(t, parent, start, end)] * rng.uniform(0.2, 0.6)
                    else:
                        level = root * growth ** (year - 2017) * (share if unit != "%" else 1)
                    level = _round(level, 4)
                    levels[(t, i, start, end)] = level
                    prior = levels.get((t, i, start.replace(year=year - 1), end.replace(year=year - 1)))
                    prior2 = levels.get((t, i, start.replace(year=year - 2), end.replace(year=year - 2)))
                    for _ in range(rng.randint(1, 4)):
                        value, change, approx, base = level, None, None, None
                        roll = rng.random()
                        if roll < 0.04:
                            value = _round(level * rng.choice((1.3, 0.7, 1.02)), 4)
                        elif roll < 0.06:
                            value = level * 1000
                        elif roll < 0.10:
                            value = _round(level, 2)
                        elif roll < 0.13:
                            approx = rng.choice(("about", "over", "under"))
                        if prior and rng.random() < 0.4:
                            ratio = level / prior
                            change = rng.choice((
                                ("percent", round(abs(ratio - 1) * 100, 1), "up" if ratio >= 1 else "down"),
                                ("index", round(ratio * 100, 1), None),
                                ("times", round(max(ratio, 1 / ratio), 2), "up" if ratio >= 1 else "down"),
                                ("absolute", _round(abs(level - prior), 3), "up" if ratio >= 1 else "down")))
                            if rng.random() < 0.08:
                                change = (change[0], change[1] + rng.choice((7.0, 0.3)), change[2])
                            if rng.random() < 0.15:
                                value = None  # a change without its level
                        elif prior2 and rng.random() < 0.05:
                            change, base = ("percent", round(abs(level / prior2 - 1) * 100, 1),
                                            "up" if level >= prior2 else "down"), str(year - 2)
                        pending.append(fact(t, i, start, end, granularity, value, unit, change, approx, base))
                        if len(pending) >= 5:
                            flush(end + dt.timedelta(days=rng.randint(5, 90)), REPORT_TEXT)
            # plans for this series: announced before or during the period, outcomes follow
            for year in (2022, 2023, 2024, 2025, 2026):
                if rng.random() < 0.5 or unit == "%":
                    continue
                start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
                target = _round(root * growth ** (year - 2017) * rng.uniform(0.8, 1.3), 3)
                body = rng.choice((PLAN_TEXT, PLAN_TEXT, FUTURE_TEXT, REPORT_TEXT))
                pending.append(fact(t, i, start, end, "year", target, unit))
                flush(start + dt.timedelta(days=rng.choice((-40, 30, 100))), body)
                for _ in range(rng.randint(0, 2)):
                    got = _round(target * rng.choice((1.05, 0.8, 0.3, 1.0)), 3)
                    when = rng.choice((end - dt.timedelta(days=90), end + dt.timedelta(days=30)))
                    part_end = end if when > end or rng.random() < 0.5 else dt.date(year, 6, 30)
                    pending.append(fact(t, i, start, part_end, "year" if part_end == end else "half", got, unit))
                    flush(when, REPORT_TEXT)
    for _ in range(30):  # facts without a canonical territory or indicator, or without a period
        start, end, granularity, _ = next(_shapes(rng.randint(2015, 2026)))
        pending.append(fact(None if rng.random() < 0.5 else 1, None if rng.random() < 0.5 else 7, start, end,
                            granularity, _round(rng.uniform(10, 1e6), 3), "count"))
        if len(pending) >= 5:
            flush(dt.date(2020, 5, 5), PLAN_TEXT)
    if pending:
        flush(dt.date(2025, 1, 1), REPORT_TEXT)
    with engine.begin() as conn:
        conn.execute(insert(Territory.__table__), territories)
        conn.execute(insert(Indicator.__table__), indicators)
        conn.execute(insert(Document.__table__), documents)
        conn.execute(insert(Fact.__table__), facts)
        if conn.dialect.name == "postgresql":
            for table in ("territories", "indicators", "documents", "facts"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT MAX(id) FROM {table}))"))
    _review(engine, facts, rng)
    return {"documents": len(documents), "facts": len(facts)}


def _review(engine: Engine, facts: list[dict[str, Any]], rng: random.Random) -> None:
    """A few analysts' decisions, so the overlay branch is exercised too."""
    chosen = rng.sample([f for f in facts if f["value"] is not None and f["ordinal"] == 0], 12)
    for n, f in enumerate(chosen):
        span = (f["span_start"], f["span_stop"])
        if n % 3 == 0:
            review(engine, f["document_id"], "fact", span, None, "reject", None, "analyst")
        elif n % 3 == 1:
            review(engine, f["document_id"], "fact", span, "value", "correct", {"value": f["value"] * 1.5}, "analyst")
        else:
            review(engine, f["document_id"], "fact", span, None, "confirm", None, "analyst")


# ================================================================ the snapshot

def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.9g}")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return value[:10]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    return value


def _rows(conn, sql: str) -> list[dict[str, Any]]:
    out = []
    for r in conn.execute(text(sql)).mappings():
        row = {}
        for k, v in r.items():
            if k == "evidence" and isinstance(v, str):
                v = json.loads(v)
            row[k] = _plain(v)
        out.append(row)
    return sorted(out, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


def take(engine: Engine) -> dict[str, Any]:
    """Recompute the seeded store twice (two dates, so statuses change) and read back what it derived."""
    recompute_all(engine, today=FIRST_RUN, instructions=False)
    counts = recompute_all(engine, today=SECOND_RUN, instructions=False)
    with engine.connect() as conn:
        return {
            "counts": {k: _plain(v) for k, v in counts.items() if k not in ("seconds", "timings", "stamp")},
            "series_points": _rows(conn, "SELECT kind, territory_id, indicator_id, unit, period_start, period_end, "
                                         "granularity, value, value_min, value_max, n_facts, n_documents, fact_id "
                                         "FROM series_points"),
            "checks": _rows(conn, "SELECT kind, territory_id, indicator_id, other_indicator_id, unit, period_start, "
                                  "period_end, fact_id, other_fact_id, document_id, other_document_id, value, "
                                  "expected, score, message FROM checks"),
            "commitments": _rows(conn, "SELECT key, fact_id, document_id, territory_id, indicator_id, unit, object, "
                                       "period_start, period_end, granularity, target, announced, status, actual, "
                                       "actual_fact_id, evidence FROM commitments"),
            "commitment_history": _rows(conn, "SELECT commitment_key, status, actual, evidence_document_id, as_of "
                                              "FROM commitment_history"),
        }


def _dump(snap: dict[str, Any]) -> str:
    """One derived row a line, so a difference reads as a short diff."""
    parts = []
    for name, rows in snap.items():
        if isinstance(rows, list):
            lines = ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
            parts.append(f'"{name}": [\n{lines}\n]')
        else:
            parts.append(f'"{name}": {json.dumps(rows, ensure_ascii=False, sort_keys=True)}')
    return "{\n" + ",\n".join(parts) + "\n}"


if __name__ == "__main__":
    import sys
    import tempfile

    from qala.store.db import open_store

    if "--write" not in sys.argv:
        raise SystemExit("usage: python -m tests.monitor.seeded --write")
    with tempfile.TemporaryDirectory() as tmp:
        eng = open_store(f"sqlite:///{tmp}/seeded.sqlite3")
        seed(eng)
        snap = take(eng)
        eng.dispose()
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(_dump(snap) + "\n")
    print({k: len(v) for k, v in snap.items()}, snap["counts"])
