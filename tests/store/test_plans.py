"""Lists that cost what they return (SQLite and PostgreSQL): the query plans of the fact pages read
an index range, never the whole facts table, and a walk by cursor gives the list as one query does.

Plans: SQLite's EXPLAIN QUERY PLAN says SCAN for a full read of a table and SEARCH for an index
range; PostgreSQL's EXPLAIN says Seq Scan. The test store is small, where PostgreSQL would rather
read everything, so there sequential scans are switched off for the EXPLAIN: a plan that still has
one has no index to use.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, text

from qala.errors import InvalidInput
from qala.store import keyset, queries
from qala.store import schema as s
from qala.store.reference import seed

TERRITORIES = ("750000000", "710000000")
INDICATORS = ("industrial_output", "grp", "retail_trade")


@pytest.fixture(scope="module")
def store(module_engine):
    """Forty documents of six figures each over two territories, three indicators and five years;
    every seventh figure without a period (they come last)."""
    seed(module_engine)
    with module_engine.begin() as conn:
        terr = dict(conn.execute(select(s.Territory.kato, s.Territory.id).where(s.Territory.kato.in_(TERRITORIES))).all())
        ind = dict(conn.execute(select(s.Indicator.code, s.Indicator.id).where(s.Indicator.code.in_(INDICATORS))).all())
        for d in range(1, 41):
            conn.execute(insert(s.Document), [{"id": d, "text": f"Сводка номер {d} о делах в городе.",
                                               "published": dt.date(2020, 1, 1) + dt.timedelta(days=9 * d),
                                               "status": "ok", "content_hash": f"plan-{d}"}])
            rows = []
            for k in range(6):
                year = 2018 + (d + k) % 5
                dated = (d * 6 + k) % 7 != 0
                rows.append({"document_id": d, "ordinal": k, "indicator_id": ind[INDICATORS[(d + k) % 3]],
                             "territory_id": terr[TERRITORIES[(d * k) % 2]], "period": str(year) if dated else None,
                             "period_start": dt.date(year, 1, 1) if dated else None,
                             "period_end": dt.date(year, 12, 31) if dated else None,
                             "granularity": "year", "value": float(d * 10 + k), "unit": "KZT",
                             "span_start": 0, "span_stop": 6})
            conn.execute(insert(s.Fact), rows)
    return module_engine


def plan(engine, query, params) -> str:
    """The plan of a keyset query with its parameters, as one text."""
    with engine.connect() as conn:
        sql = str(query.params(params).compile(conn, compile_kwargs={"literal_binds": True,
                                                                    "render_postcompile": True}))
        if conn.dialect.name == "sqlite":
            return "\n".join(r[-1] for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))


FILTERS = [{"territory": "750000000"}, {"indicator": "grp"}, {"territory": "710000000", "indicator": "grp"},
           {"territory": "750000000", "indicator": "industrial_output", "period": "2019-2021"},
           {"period": "2020"}, {}]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("after", [None, (dt.date(2020, 1, 1), 20, 3), (None, 20, 3)])
@pytest.mark.parametrize("overlay", [False, True])
def test_a_page_of_facts_reads_an_index_range(store, filters, after, overlay):
    statements, params = queries.fact_key_queries(store, **filters, after=after, overlay=overlay)
    assert statements
    for query in statements:
        found = plan(store, query, params)
        if store.dialect.name == "sqlite":
            assert "SCAN facts" not in found, found
            assert "SEARCH facts USING" in found, found
            if "period" not in filters:  # the index gives the order (within a period range SQLite may sort
                assert "TEMP B-TREE" not in found, found  # the few rows the range holds instead)
        else:
            assert "Seq Scan on facts" not in found, found


@pytest.mark.parametrize("filters", FILTERS)
def test_pages_by_cursor_are_the_list_in_one_query(store, filters):
    whole = [r["id"] for r in queries.list_facts(store, **filters, limit=None)]
    walked, cursor = [], None
    while True:
        rows, cursor = queries.facts_page(store, **filters, limit=7, cursor=cursor)
        walked += [r["id"] for r in rows]
        if cursor is None:
            break
    assert walked == whole and len(set(walked)) == len(walked)
    assert queries.list_facts(store, **filters, limit=5, offset=3) == queries.list_facts(store, **filters,
                                                                                          limit=None)[3:8]


def test_undated_facts_come_last_and_newest_period_first(store):
    rows = queries.list_facts(store, limit=None)
    starts = [r["period_start"] for r in rows]
    dated = [d for d in starts if d is not None]
    assert starts == dated + [None] * (len(starts) - len(dated))
    assert dated == sorted(dated, reverse=True)


def test_a_reviewed_figure_is_paged_where_its_correction_puts_it(store):
    """A correction moves a figure to its corrected period; a rejected one is gone: the reviewed
    figures are read from the overlay's side and merged into the index order."""
    with store.begin() as conn:
        moved, gone = conn.execute(select(s.Fact.id).where(s.Fact.period_start.is_not(None))
                                   .order_by(s.Fact.id).limit(2)).scalars().all()
        conn.execute(insert(s.FactOverlay), [
            {"fact_id": moved, "hidden": False, "verified": True, "period_start": dt.date(2030, 1, 1),
             "period_end": dt.date(2030, 12, 31)},
            {"fact_id": gone, "hidden": True, "verified": False, "period_start": None, "period_end": None}])
    try:
        rows, _ = queries.facts_page(store, limit=3)
        assert rows[0]["id"] == moved and str(rows[0]["period_start"])[:4] == "2030"
        walked, cursor = [], None
        while True:
            page, cursor = queries.facts_page(store, limit=11, cursor=cursor)
            walked += [r["id"] for r in page]
            if cursor is None:
                break
        assert gone not in walked and walked == [r["id"] for r in queries.list_facts(store, limit=None)]
        assert gone in [r["id"] for r in queries.list_facts(store, reviewed=False, limit=None)]
    finally:
        with store.begin() as conn:
            conn.execute(s.FactOverlay.__table__.delete())


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WzEsMl0", keyset.encode(["2020-01-01", "x", 1])])
def test_a_bad_cursor_is_a_clear_error(store, cursor):
    with pytest.raises(InvalidInput, match="cursor from a previous page"):
        queries.facts_page(store, cursor=cursor)


def test_a_large_offset_points_to_the_cursor(store):
    with pytest.raises(InvalidInput, match="follow the `next` cursor"):
        queries.facts_page(store, offset=keyset.MAX_OFFSET + 1)


def test_counts_are_exact_when_small_and_estimated_from_the_index_otherwise(store):
    everything = len(queries.list_facts(store, limit=None))
    assert queries.count_facts_bounded(store) == everything
    assert queries.estimate_facts(store) == 240  # from the ids' range
    assert queries.estimate_facts(store, territory="750000000") == queries.count_facts(store, territory="750000000")
