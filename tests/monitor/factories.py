"""Small factories: rows of the store written directly through the schema models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qala.periods import parse_period
from qala.store.db import transaction
from qala.store.schema import Document, Fact, Indicator, Instruction, Territory


class Rows:
    """Insert territories, indicators, documents, facts and instructions with short calls."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.territories: dict[str, int] = {}
        self.indicators: dict[str, int] = {}
        self._ordinal = 0

    def territory(self, name: str, kato: str | None = None) -> int:
        if name not in self.territories:
            with transaction(self.engine) as s:
                row = Territory(kato=kato or f"{len(self.territories) + 1:09d}", name=name, kind="city")
                s.add(row)
                s.flush()
                self.territories[name] = row.id
        return self.territories[name]

    def indicator(self, code: str, parent: str | None = None, family: str | None = None) -> int:
        if code not in self.indicators:
            parent_id = self.indicator(parent) if parent else None
            with transaction(self.engine) as s:
                row = Indicator(code=code, name=code.replace("_", " "), parent_id=parent_id, unit_family=family)
                s.add(row)
                s.flush()
                self.indicators[code] = row.id
        return self.indicators[code]

    def document(self, text: str = "", published: str | None = "2021-02-04",
                 near_duplicate_of: int | None = None, url: str | None = None) -> int:
        with transaction(self.engine) as s:
            row = Document(text=text, published=dt.date.fromisoformat(published) if published else None,
                           near_duplicate_of=near_duplicate_of, url=url)
            s.add(row)
            s.flush()
            return row.id

    def fact(self, document_id: int, territory: str | None, indicator: str | None, period: str | None,
             value: float | None, unit: str | None = "KZT", *, change: tuple | None = None,
             span: tuple[int, int] | None = None, approx: str | None = None, obj: str | None = None,
             scope: str = "territory", scope_name: str | None = None) -> int:
        """change: (kind, value, direction[, base_period]); scope: territory | object (qala.scope)."""
        p = parse_period(period)
        self._ordinal += 1
        kind, cv, direction, base = (tuple(change) + (None,))[:4] if change else (None, None, None, None)
        with transaction(self.engine) as s:
            row = Fact(document_id=document_id, ordinal=self._ordinal,
                       territory_id=self.territory(territory) if territory else None,
                       indicator_id=self.indicator(indicator) if indicator else None,
                       indicator_text=indicator, territory_text=territory, period=period,
                       period_start=p.start if p else None, period_end=p.end if p else None,
                       granularity=p.granularity if p else None, value=value, unit=unit, approx=approx,
                       object=obj, change_kind=kind, change_value=cv, change_direction=direction,
                       change_base_period=base, span_start=span[0] if span else 0,
                       span_stop=span[1] if span else 0, scope=scope, scope_name=scope_name)
            s.add(row)
            s.flush()
            return row.id

    def report(self, sentence: str, published: str, *facts: dict[str, Any], near_duplicate_of: int | None = None) -> int:
        """A one-sentence document whose facts span the whole sentence."""
        doc = self.document(sentence, published, near_duplicate_of=near_duplicate_of)
        for f in facts:
            f = dict(f)
            self.fact(doc, f.pop("territory"), f.pop("indicator"), f.pop("period"), f.pop("value"),
                      span=(0, len(sentence)), **f)
        return doc

    def instruction(self, document_id: int, text: str, *, addressee: str | None = None,
                    deadline_text: str | None = None, deadline: str | None = None, issuer: str | None = None,
                    parent_id: int | None = None, span: tuple[int, int] = (0, 0)) -> int:
        self._ordinal += 1
        with transaction(self.engine) as s:
            row = Instruction(document_id=document_id, ordinal=self._ordinal, text=text, addressee=addressee,
                              deadline_text=deadline_text, issuer_text=issuer, parent_id=parent_id,
                              deadline=dt.date.fromisoformat(deadline) if deadline else None,
                              span_start=span[0], span_stop=span[1])
            s.add(row)
            s.flush()
            return row.id
