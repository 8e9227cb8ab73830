"""Load shared/data/reported-figures.csv (real published figures) as documents and facts."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.monitor.factories import Rows

PARENTS = {"manufacturing_output": "industrial_output"}


def load_reported(engine, path: Path) -> Rows:
    rows = Rows(engine)
    for code, parent in PARENTS.items():
        rows.indicator(code, parent=parent)
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            sentence = f"{r['territory']} {r['indicator']} {r['period']}: {r['value']} {r['unit']} " \
                       f"{r['change_kind']} {r['change_value']} {r['change_direction']}"
            published = r["published"] if len(r["published"]) == 10 else None  # "2020-03": month only
            doc = rows.document(sentence, published, url=r["source_url"])
            change = (r["change_kind"], float(r["change_value"]), r["change_direction"] or None) \
                if r["change_kind"] else None
            rows.fact(doc, r["territory"], r["indicator"], r["period"], float(r["value"]) if r["value"] else None,
                      r["unit"] or None, change=change, span=(0, len(sentence)))
    return rows
