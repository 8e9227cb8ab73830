"""What one extraction says about one document, as rows for bulk.insert_document.

Persons, organizations (read from post titles by organizations.py) and programs a document names
are resolved to ids here; ``Known`` keeps those a writer has committed (and sources, which the
document writer resolves), so a known one costs no statement and only a new one is written, after
opening the document's transaction block (``begin_block``).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from qala import model
from qala.periods import parse_period
from qala.reference import find_territory
from qala.scope import OBJECT, PART, fact_scope, parts
from qala.store import schema
from qala.store.bulk import MEETING, begin_block, insert_returning_ids
from qala.store.organizations import OrgRef, organizations_in
from qala.store.reference import add_unit
from qala.store.resolve import AliasIndex, resolve_person

__all__ = ["ItemWriter", "Known", "day_of"]


def day_of(value: str | None) -> dt.date | None:
    period = parse_period(value)
    return period.start if period else None


@dataclass
class Known:
    """Lookups written and committed by this process, so the next document need not ask again."""

    persons: dict[str, int] = field(default_factory=dict)  # name as written -> person id
    forms: dict[int, set[str]] = field(default_factory=dict)  # person id -> name forms stored
    sources: dict[str, int] = field(default_factory=dict)
    programs: dict[tuple[str, str | None, str | None], int] = field(default_factory=dict)
    organizations: dict[str, int] = field(default_factory=dict)  # canonical name -> organization id
    territories: dict[str, int] = field(default_factory=dict)  # KATO of a unit added on demand -> id
    figures: OrderedDict[int, frozenset[str]] = field(default_factory=OrderedDict)

    def merge(self, other: Known) -> None:
        self.persons.update(other.persons)
        for pid, forms in other.forms.items():
            self.forms.setdefault(pid, set()).update(forms)
        self.sources.update(other.sources)
        self.programs.update(other.programs)
        self.organizations.update(other.organizations)
        self.territories.update(other.territories)
        self.figures.update(other.figures)
        while len(self.figures) > 20_000:
            self.figures.popitem(last=False)


def _text(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


class ItemWriter:
    """What one extraction says about one document, as rows (persons, organizations and programs resolved
    inside the caller's transaction, which is opened before the first of them is written)."""

    def __init__(self, session: Session, index: AliasIndex, published: dt.date | None, text: str,
                 known: Known, new: Known) -> None:
        self.session, self.index, self.published, self.text = session, index, published, text
        self.known, self.new = known, new
        self.year = published.year if published else None
        self.tables: dict[Table, list[dict]] = {}

    def rows(self, ex: model.Extraction) -> dict[Table, list[dict]]:
        """The document's child rows by table, without their document_id."""
        self.write_persons(ex.persons)
        self.write_facts(ex.facts, self.document_place(ex))
        self.write_instructions(ex.instructions)
        self.write_programs(ex.programs)
        self.write_meetings(ex.events)
        return {table: rows for table, rows in self.tables.items() if rows}

    def _add(self, table: Table, rows: list[dict]) -> None:
        self.tables.setdefault(table, []).extend(rows)

    def person_id(self, name: str | None, forms: tuple[str, ...] = ()) -> int | None:
        if not name or not name.strip():
            return None
        pid = self.new.persons.get(name) or self.known.persons.get(name)
        seen = self.known.forms.get(pid, set()) | self.new.forms.get(pid, set()) if pid else set()
        if pid is None or any(" ".join(f.split())[:300] not in seen for f in forms):
            begin_block(self.session)
            pid = resolve_person(self.session, name[:300], forms).id
            self.new.forms.setdefault(pid, set()).update(" ".join(f.split())[:300] for f in (name, *forms))
        self.new.persons[name] = pid
        return pid

    def organization_id(self, org: OrgRef) -> int:
        """The row of an organization named by a post title: found by its unique name, or added with
        its kind and the territory its name carries (resolved as facts' territories are)."""
        name = org.name[:500]
        found = self.new.organizations.get(name) or self.known.organizations.get(name)
        if found is None:
            O = schema.Organization
            begin_block(self.session)
            found = self.session.scalar(select(O.id).where(O.name == name))
            if found is None:
                found = insert_returning_ids(self.session, O.__table__, [{
                    "name": name, "kind": org.kind[:40],
                    "territory_id": self.index.territory(org.territory, self.year)}])[0]
        self.new.organizations[name] = found
        return found

    def write_persons(self, persons: tuple[model.Person, ...]) -> None:
        mentions, posts = [], []
        named = organizations_in([p for p in persons if p.name and p.name.strip()])
        org_ids = [self.organization_id(org) for org in named.organizations]
        for p in persons:
            forms = tuple(self.text[a:b] for a, b in p.mentions if 0 <= a < b <= len(self.text))
            pid = self.person_id(p.name, forms)
            if pid is None:
                continue
            mentions += [{"person_id": pid, "span_start": a, "span_stop": b}
                         for a, b in p.mentions]
            for title in dict.fromkeys(p.positions):
                posts.append({"person_id": pid, "title": title[:500],
                              "territory_id": self._territory_in(title), "as_of": self.published,
                              "organization_id": _at(org_ids, named.posts.get((p.name, title)))})
        self._add(schema.PersonMention.__table__, mentions)
        self._add(schema.Post.__table__, posts)

    def _territory_in(self, title: str) -> int | None:
        """The place a post names at its end: "аким города Алматы" -> Алматы."""
        words = title.split()
        for i in range(1, len(words)):
            found = self.index.territory(" ".join(words[i:]), self.year)
            if found is not None:
                return found
        return None

    def document_place(self, ex: model.Extraction) -> int | None:
        """The territory the document is about (its title or first line, its akim, its figures)."""
        if not ex.facts:
            return None
        title = ex.document.title or self.text.lstrip().split("\n", 1)[0][:300]
        return self.index.document_place(
            title=title, posts=[t for p in ex.persons for t in p.positions],
            places=[self.index.territory(f.territory, self.year) for f in ex.facts], year=self.year)

    def territory_id(self, text: str | None, place: int | None) -> int | None:
        """A figure's territory: a unit the store has, else one of the whole gazetteer (a village, a
        rural district), added to the store with the units it lies in."""
        found = self.index.fact_territory(text, self.year, place)
        if found is not None or not text:
            return found
        region = self.index.region(place)
        kato = find_territory(text, self.year, within=self.index.kato_of.get(region) if region else None)
        if kato is None:
            return None
        known = self.new.territories.get(kato) or self.known.territories.get(kato) \
            or self.index.territory_katos.get(kato)
        if known is not None:
            return known
        begin_block(self.session)
        ids = {**self.known.territories, **self.new.territories}
        found = add_unit(self.session, kato, ids)
        self.new.territories.update({k: v for k, v in ids.items() if k not in self.known.territories})
        return found

    def write_facts(self, facts: tuple[model.Fact, ...], place: int | None = None) -> None:
        rows = []
        for ordinal, f in enumerate(facts):
            period = parse_period(f.period)
            change = f.change
            scope, scope_name = fact_scope(self.text[f.span[0]:f.span[1]], f.indicator, f.object, f.value,
                                           change.value if change else None)
            rows.append({
                "ordinal": ordinal,
                "indicator_id": self.index.indicator(f.indicator, object=f.object, unit=f.unit),
                "indicator_text": _text(f.indicator, 500),
                "territory_id": self.territory_id(f.territory, place),
                "territory_text": _text(f.territory, 300), "period": _text(f.period, 40),
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "granularity": period.granularity if period else None,
                "value": f.value, "unit": f.unit, "object": _text(f.object, 200), "approx": f.approx,
                "change_kind": change.kind if change else None,
                "change_value": change.value if change else None,
                "change_direction": change.direction if change else None,
                "change_base_period": change.base_period if change else None,
                "span_start": f.span[0], "span_stop": f.span[1], "scope": scope, "scope_name": scope_name,
            })
        points = [((r["indicator_id"], r["territory_id"], r["period"], r["unit"])
                   if None not in (r["indicator_id"], r["territory_id"], r["period"]) else None, r["value"], r["scope"])
                  for r in rows]
        for n in parts(points):  # "введено 500 тыс. м2, из них 120 тыс. – ИЖС": the 120 is a part
            rows[n].update(scope=OBJECT, scope_name=PART)
        self._add(schema.Fact.__table__, rows)

    def write_instructions(self, instructions: tuple[model.Instruction, ...]) -> None:
        if not instructions:
            return
        rows = []
        for ordinal, i in enumerate(instructions):
            deadline = parse_period(i.deadline)
            rows.append({"ordinal": ordinal, "issuer_id": self.person_id(i.issuer),
                         "issuer_text": _text(i.issuer, 300), "text": i.text, "addressee": _text(i.addressee, 500),
                         "deadline_text": _text(i.deadline, 100), "deadline": deadline.end if deadline else None,
                         "status": "new", "parent_id": None, "repeats_id": None,
                         "span_start": i.span[0], "span_stop": i.span[1]})
        self._add(schema.Instruction.__table__, rows)

    def write_programs(self, programs: tuple[model.Program, ...]) -> None:
        P = schema.Program
        mentions = []
        for p in programs:
            key = (p.name[:500], _text(p.kind, 200), _text(p.period, 40))
            found = self.new.programs.get(key) or self.known.programs.get(key)
            if found is None:
                begin_block(self.session)
                found = self.session.scalar(select(P.id).where(P.name == key[0], _eq(P.kind, key[1]),
                                                               _eq(P.period, key[2])))
            if found is None:
                found = insert_returning_ids(self.session, P.__table__, [{"name": key[0], "kind": key[1],
                                                                           "period": key[2]}])[0]
            self.new.programs[key] = found
            mentions.append({"program_id": found,
                             "span_start": p.span[0], "span_stop": p.span[1]})
        self._add(schema.ProgramMention.__table__, mentions)

    def write_meetings(self, events: tuple[model.Event, ...]) -> None:
        rows = [{"kind": e.kind[:50], "title": _text(e.title, 1000), "date": day_of(e.date) or self.published,
                 "place": _text(e.place, 300), "chair_id": self.person_id(e.chair), "chair_text": _text(e.chair, 300),
                 "topics": list(e.topics), "span_start": e.span[0], "span_stop": e.span[1]} for e in events]
        people = [{MEETING: i, "name": name[:300], "role": role, "person_id": self.person_id(name)}
                  for i, e in enumerate(events)
                  for name, role in [(s, "speaker") for s in e.speakers] + [(p, "participant") for p in e.participants]]
        self._add(schema.Meeting.__table__, rows)
        self._add(schema.MeetingParticipant.__table__, people)


def _at(ids: list[int], index: int | None) -> int | None:
    return None if index is None else ids[index]


def _eq(column, value):
    return column.is_(None) if value is None else column == value
