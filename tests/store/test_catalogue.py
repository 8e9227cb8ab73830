"""The indicator catalogue of a store: unresolved phrases listed with an example, aliases added by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qala import model
from qala.errors import InvalidInput
from qala.store import schema
from qala.store.catalogue import add_alias, unresolved
from qala.store.ingest import IncomingDocument

# Written for this test: two figures named by a phrase no alias knows, one that resolves.
RELEASE = (
    "Итоги года в Жамбылской области.\n"
    "Отгрузка клинкера составила 410 тыс. тонн. В прошлом году отгрузка клинкера была 380 тыс. тонн.\n"
    "Объем промышленного производства достиг 900 млрд тенге.\n"
)


def _extract(doc: IncomingDocument) -> model.Extraction:
    text = doc.text
    first, second = text.index("Отгрузка клинкера составила"), text.index("В прошлом году")
    industry = text.index("Объем промышленного")
    return model.Extraction(
        document=model.DocumentInfo(published="2023-01-20"),
        facts=(
            model.Fact("отгрузка клинкера", 41e4, "t", "Жамбылская область", "2022", span=(first, first + 40)),
            model.Fact("отгрузка клинкера", 38e4, "t", "Жамбылская область", "2021", span=(second, second + 40)),
            model.Fact("объем промышленного производства", 9e11, "KZT", "Жамбылская область", "2022",
                       span=(industry, industry + 50)),
        ))


def _codes(engine) -> list[str | None]:
    F, I = schema.Fact, schema.Indicator
    with Session(engine) as s:
        return list(s.scalars(select(I.code).select_from(F).outerjoin(I, I.id == F.indicator_id).order_by(F.id)))


def test_unresolved_then_alias_resolves_the_stored_figures(engine, ingest):
    ingest(IncomingDocument(RELEASE), extract_fn=_extract)
    assert _codes(engine) == [None, None, "industrial_output"]
    rows = unresolved(engine)
    assert [(r.phrase, r.unit, r.count) for r in rows] == [("отгрузка клинкера", "t", 2)]
    assert rows[0].example == "Отгрузка клинкера составила 410 тыс. тонн."

    assert add_alias(engine, "отгрузки клинкера", "cement_production") == (True, 2)
    assert _codes(engine) == ["cement_production"] * 2 + ["industrial_output"]
    assert unresolved(engine) == []
    assert add_alias(engine, "отгрузка клинкера", "cement_production") == (False, 0)


def test_a_bad_alias_changes_nothing(engine, ingest):
    ingest(IncomingDocument(RELEASE), extract_fn=_extract)
    with pytest.raises(InvalidInput, match="no indicator with the code"):
        add_alias(engine, "отгрузка клинкера", "no_such_code")
    with pytest.raises(InvalidInput, match="no word that names a measure"):
        add_alias(engine, "объем", "industrial_output")
    assert _codes(engine) == [None, None, "industrial_output"]
