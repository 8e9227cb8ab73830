"""Derived rows written from columns come back as given: binary COPY on PostgreSQL (every column
type the derived tables use, NULLs of each, blocks of rows), multi-row INSERTs on SQLite."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from sqlalchemy import JSON, BigInteger, Column, Date, Float, Integer, MetaData, String, Table, Text, select

from qala.monitor import bulk, pgcopy

META = MetaData()
ROWS = Table("copy_roundtrip", META, Column("id", Integer, primary_key=True), Column("small", Integer),
             Column("big", BigInteger), Column("number", Float), Column("day", Date), Column("word", String(40)),
             Column("note", Text), Column("doc", JSON), Column("maybe", Integer))


def _columns(n: int, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    number = rng.normal(size=n) * 1e12
    number[::7] = np.nan
    day = np.datetime64("1999-12-30", "D") + rng.integers(0, 20_000, n).astype("timedelta64[D]")
    day[::5] = np.datetime64("NaT")
    words = np.array(["жильё", "", "m2", None, "Алматы — «Новый»", "x" * 40], dtype=object)
    return {"small": rng.integers(-2**31, 2**31 - 1, n), "big": rng.integers(-2**62, 2**62, n), "number": number,
            "day": day, "word": words[rng.integers(0, len(words), n)],
            "note": ["\\N, \"кавычки\"\n\tи табуляция" * (i % 3) if i % 4 else None for i in range(n)],
            "doc": [json.dumps([{"fact_id": i, "value": 1.5}], ensure_ascii=False) for i in range(n)],
            "maybe": [None if i % 3 == 0 else i for i in range(n)]}


def _expected(columns: dict, n: int) -> list[tuple]:
    out = []
    for i in range(n):
        number, day = columns["number"][i], columns["day"][i]
        out.append((int(columns["small"][i]), int(columns["big"][i]), None if np.isnan(number) else float(number),
                    None if np.isnat(day) else day.astype(dt.date), columns["word"][i], columns["note"][i],
                    json.loads(columns["doc"][i]), columns["maybe"][i]))
    return out


@pytest.mark.parametrize("n", [1, 6, 1000])
def test_every_column_type_and_null_comes_back(engine, n, monkeypatch):
    monkeypatch.setattr(pgcopy, "BLOCK", 97)  # several blocks, the last one short
    columns = _columns(n)
    META.create_all(engine, tables=[ROWS])
    try:
        with engine.begin() as conn:
            assert bulk.write(conn, ROWS, columns) == n
        with engine.connect() as conn:
            got = [tuple(r)[1:] for r in conn.execute(select(ROWS).order_by(ROWS.c.id))]
        assert got == _expected(columns, n)
    finally:
        META.drop_all(engine, tables=[ROWS])


def test_types_the_encoder_does_not_know_go_as_csv():
    from sqlalchemy import Boolean, Numeric
    from sqlalchemy.dialects.postgresql import JSONB

    assert [pgcopy.kind_of(t) for t in (Integer(), BigInteger(), Float(), Date(), String(9), JSON())] == [
        "int4", "int8", "float8", "date", "text", "text"]
    assert [pgcopy.kind_of(t) for t in (JSONB(), Boolean(), Numeric(10, 2), Float(precision=10))] == [None] * 4


def test_the_stream_is_framed_as_postgresql_reads_it():
    blocks = list(pgcopy.encode(["int4", "text"], [np.array([7]), ["ок"]]))
    assert blocks[0] == b"PGCOPY\n\xff\r\n\x00" + bytes(8) and blocks[-1] == b"\xff\xff"
    # one row: 2 fields; 4 bytes of 7; 4 bytes of UTF-8 text
    assert blocks[1] == b"\x00\x02" + b"\x00\x00\x00\x04\x00\x00\x00\x07" + b"\x00\x00\x00\x04" + "ок".encode()
