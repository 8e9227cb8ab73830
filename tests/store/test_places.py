"""A figure's territory: its clause's place, else the document's (title, akim, its figures), never the country."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qala import model
from qala.store import schema
from qala.store.ingest import IncomingDocument

# Written for this test.
SHYMKENT = (
    "Итоги социально-экономического развития Шымкента\n"
    "В Абайском районе введено 40 тыс. кв. метров жилья. Инвестиции составили 95 млрд тенге.\n"
    "Аким области отметил рост. В Ташкенте прошла выставка, на которой заключено контрактов на 12 млн долларов.\n"
)
QUIET = "Совещание прошло в режиме видеосвязи.\nЗаработная плата выросла на 8%.\n"
AKIM = "Встреча с жителями\nПо словам акима, в области построено 12 школ.\n"


def _fact(text: str, anchor: str, value: float, unit: str, territory: str | None, phrase: str) -> model.Fact:
    at = text.index(anchor)
    return model.Fact(phrase, value, unit, territory, "2023", span=(at, at + len(anchor)))


def _extract(doc: IncomingDocument) -> model.Extraction:
    t = doc.text
    if t is SHYMKENT or t.startswith("Итоги"):
        facts = (_fact(t, "введено", 40000, "m2", "Абайском районе", "ввод жилья"),
                 _fact(t, "Инвестиции", 95e9, "KZT", None, "инвестиции"),
                 _fact(t, "Аким области", 3.0, "%", "области", "рост"),
                 _fact(t, "заключено", 12e6, "USD", "Ташкенте", "контракты"))
        return model.Extraction(document=model.DocumentInfo(published="2024-01-15"), facts=facts)
    if t.startswith("Встреча"):
        return model.Extraction(document=model.DocumentInfo(published="2024-01-15"),
                                persons=(model.Person("Ерлан Аканов", ("аким Туркестанской области",)),),
                                facts=(_fact(t, "построено", 12, "count", None, "школы"),))
    return model.Extraction(document=model.DocumentInfo(published="2024-01-15"),
                            facts=(_fact(t, "Заработная", 8.0, "%", None, "заработная плата"),))


def _katos(engine) -> list[str | None]:
    F, T = schema.Fact, schema.Territory
    with Session(engine) as s:
        return list(s.scalars(select(T.kato).select_from(F).outerjoin(T, T.id == F.territory_id).order_by(F.id)))


def test_clause_place_else_document_place(engine, ingest):
    ingest(IncomingDocument(SHYMKENT), extract_fn=_extract)
    # the district of the document's city (three districts have the name), the city for the figure
    # that names no place or only points at one, the country abroad for the figure abroad
    assert _katos(engine) == ["791110000", "790000000", "790000000", "UZ"]


def test_the_akim_names_the_place_and_no_place_is_never_the_country(engine, ingest):
    ingest(IncomingDocument(AKIM), IncomingDocument(QUIET), extract_fn=_extract)
    assert _katos(engine) == ["610000000", None]


VILLAGE = "Итоги года\nВ селе Абралы построено 2 школы.\n"


def test_a_village_joins_the_store_with_the_units_it_lies_in(engine, ingest):
    def extract(doc: IncomingDocument) -> model.Extraction:
        return model.Extraction(document=model.DocumentInfo(published="2024-01-15"),
                                facts=(_fact(doc.text, "построено", 2, "count", "Абралы", "школы"),))

    ingest(IncomingDocument(VILLAGE), extract_fn=extract)
    ingest(IncomingDocument(VILLAGE.replace("2 школы", "3 школы")), extract_fn=extract)
    assert _katos(engine) == ["101033100", "101033100"]
    T = schema.Territory
    with Session(engine) as s:
        village = s.scalar(select(T).where(T.kato == "101033100"))
        rural = s.get(T, village.parent_id)
        assert (village.kind, rural.kato, rural.kind) == ("settlement", "101033000", "rural_district")
        assert s.get(T, rural.parent_id).kato == "101000000"
        assert s.query(T).filter(T.kato == "101033100").count() == 1
