"""Work on the indicator catalogue of a store: what stays unresolved, and teaching it a new phrase.

``unresolved(engine)`` lists the commonest measure phrases no indicator took, with their counts and
one sentence each; ``add_alias(engine, phrase, code)`` adds a phrase to an indicator and resolves
the stored figures again (every distinct phrase, counted object and unit once), so the figures it
now names join their indicator at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, and_, func, select, update

from qala.errors import InvalidInput
from qala.store import schema
from qala.store.db import transaction
from qala.store.resolve import aliases, clear_cache, normalize_indicator

SENTENCE_END = re.compile(r"[.!?]\s|\n")
MAX_SENTENCE = 400


@dataclass(frozen=True)
class Unresolved:
    phrase: str | None  # the indicator phrase as extracted (None: the figure named none)
    unit: str | None
    object: str | None
    count: int
    example: str  # one sentence that reported such a figure
    document_id: int


def _sentence(text: str | None, start: int, stop: int) -> str:
    """The sentence of text around [start, stop)."""
    if not text:
        return ""
    begin = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    end = SENTENCE_END.search(text, stop)
    sentence = " ".join(text[begin:end.start() + 1 if end else len(text)].split())
    return sentence if len(sentence) <= MAX_SENTENCE else sentence[:MAX_SENTENCE - 1] + "…"


def unresolved(engine: Engine, limit: int = 30) -> list[Unresolved]:
    """The commonest (phrase, unit, object) of figures without an indicator, most frequent first."""
    F, D = schema.Fact, schema.Document
    groups = (select(F.indicator_text, F.unit, F.object, func.count(F.id).label("n"), func.min(F.id).label("first"))
              .where(F.indicator_id.is_(None))
              .group_by(F.indicator_text, F.unit, F.object)
              .order_by(func.count(F.id).desc(), F.indicator_text)
              .limit(limit))
    with transaction(engine) as session:
        rows = session.execute(groups).all()
        firsts = {r.first for r in rows}
        spans = {fid: (doc, a, b, text) for fid, doc, a, b, text in session.execute(
            select(F.id, F.document_id, F.span_start, F.span_stop, D.text)
            .join(D, D.id == F.document_id).where(F.id.in_(firsts)))} if firsts else {}
    out = []
    for r in rows:
        doc, a, b, text = spans[r.first]
        out.append(Unresolved(r.indicator_text, r.unit, r.object, r.n, _sentence(text, a, b), doc))
    return out


def _eq(column, value):
    return column.is_(None) if value is None else column == value


def add_alias(engine: Engine, phrase: str, code: str) -> tuple[bool, int]:
    """Add PHRASE as an alias of the indicator CODE and resolve the stored figures again.

    Returns (whether the alias is new, how many figures changed their indicator). An unknown code or
    a phrase of framing words only ("объем") is an InvalidInput and changes nothing.
    """
    key = normalize_indicator(phrase or "")[:300]
    if not key:
        raise InvalidInput(f"the phrase {phrase!r} has no word that names a measure")
    I, IA = schema.Indicator, schema.IndicatorAlias
    with transaction(engine) as session:
        indicator = session.scalar(select(I.id).where(I.code == code))
        if indicator is None:
            raise InvalidInput(f"no indicator with the code {code!r} (see qala/store/data/indicators.csv)")
        new = session.scalar(select(IA.id).where(IA.alias == key, IA.indicator_id == indicator)) is None
        if new:
            session.add(IA(alias=key, indicator_id=indicator))
    clear_cache(engine)
    return new, reresolve(engine)


def reresolve(engine: Engine) -> int:
    """Resolve every stored figure's indicator again with the store's aliases; the number changed."""
    F = schema.Fact
    index = aliases(engine)
    changed = 0
    with transaction(engine) as session:
        groups = session.execute(select(F.indicator_text, F.object, F.unit, F.indicator_id)
                                 .group_by(F.indicator_text, F.object, F.unit, F.indicator_id)).all()
        for text, object_, unit, current in groups:
            found = index.indicator(text, object=object_, unit=unit)
            if found != current:
                result = session.execute(update(F).where(and_(
                    _eq(F.indicator_text, text), _eq(F.object, object_), _eq(F.unit, unit),
                    _eq(F.indicator_id, current))).values(indicator_id=found))
                changed += result.rowcount or 0
    return changed
