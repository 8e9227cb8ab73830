"""Letters Unicode gives no name (U+17000...) make pymorphy raise: none of it may stop a run."""

from __future__ import annotations

import datetime as dt

from qala import extract
from qala.ingest import ingest_items
from qala.monitor.commitments import list_commitments
from qala.monitor.recompute import recompute_all
from qala.store.ingest import IncomingDocument

ODD = chr(0x17000)
TEXT = (f"Аким города Алматы Ерлан Карин сообщил, что в 2022 году в городе ab{ODD} построят 40 школ. "
        f"Объем {ODD}{ODD} производства составил 5 млрд тенге. "
        f"Акиму района поручено {ODD} ab{ODD} отремонтировать дороги до 1 июля.")


def test_a_text_with_nameless_letters_is_extracted():
    ex = extract(TEXT, "2022-03-01")
    assert ex.facts and ex.instructions  # the rest of the text is read as usual


def test_ingest_and_rebuild_go_through_nameless_letters(engine):
    summary = ingest_items(engine, [IncomingDocument(text=TEXT, published="2022-03-01")])
    assert (summary.ingested, summary.failed) == (1, 0), summary.errors
    result = recompute_all(engine, today=dt.date(2022, 6, 1))
    assert result["commitments"] >= 1
    assert all(c["status"] == "in_progress" for c in list_commitments(engine))
