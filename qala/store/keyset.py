"""Keyset (cursor) pagination: a page starts after the last row of the one before, found by an index.

A list is ordered by a first key that may be NULL (a date: newest first, or soonest first) and then
by tie-breakers that are never NULL and all go one way (ids, ordinals). ``segments`` turns "the rows
after this one" into at most three queries, each an index range read in index order:

1. the rows of the same first key after the cursor's tie-breakers (a row-value comparison);
2. the rows of a later first key;
3. the rows without a first key (they come last, as ``NULLS LAST``).

The caller runs them in turn until the page is full (``run``), so a page 1,000 deep costs what the
first one does, where OFFSET reads and drops every row before it. NULLs are never ordered by the
database (whose defaults differ: SQLite puts them first ascending, PostgreSQL last), so the order is
the same on both stores.

A cursor is the last row's key values as URL-safe base64 of JSON: opaque to clients, checked when
read back (``decode``), never trusted to name a column.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self

from sqlalchemy import Select, tuple_

from qala.errors import InvalidInput

MAX_OFFSET = 10_000  # beyond this, OFFSET reads too much: clients follow `next`


@dataclass(frozen=True)
class Order:
    """``first``: the nullable leading key (``first_desc``: newest first); ``ties``: the non-null
    tie-breakers, all ascending or all descending (``ties_desc``). ``kinds``: how each key is
    written in a cursor ("date", "int" or "str"), first key first."""

    first: Any
    ties: tuple[Any, ...]
    first_desc: bool = True
    ties_desc: bool = False
    kinds: tuple[str, ...] = ()

    def columns(self) -> tuple[Any, ...]:
        return (self.first, *self.ties)


def _ties_after(order: Order, values: Sequence[Any]) -> Any:
    left, right = tuple_(*order.ties), tuple_(*values)
    return left < right if order.ties_desc else left > right


def _tie_order(order: Order) -> list[Any]:
    return [c.desc() if order.ties_desc else c.asc() for c in order.ties]


def segments(base: Select, order: Order, after: Sequence[Any] | None) -> list[Select]:
    """The queries whose rows, concatenated, are the rows of `base` after `after` in `order`."""
    first = order.first
    first_sorted = first.desc() if order.first_desc else first.asc()
    if after is None:
        return [base.where(first.is_not(None)).order_by(first_sorted, *_tie_order(order)),
                base.where(first.is_(None)).order_by(*_tie_order(order))]
    key, ties = after[0], list(after[1:])
    if key is None:
        return [base.where(first.is_(None), _ties_after(order, ties)).order_by(*_tie_order(order))]
    later = first < key if order.first_desc else first > key
    return [base.where(first == key, _ties_after(order, ties)).order_by(*_tie_order(order)),
            base.where(later).order_by(first_sorted, *_tie_order(order)),
            base.where(first.is_(None)).order_by(*_tie_order(order))]


def after_all(columns: Sequence[Any], values: Sequence[Any], *, nulls_first: bool,
              desc: Sequence[bool] | None = None) -> Any:
    """SQL: the row comes after `values` in the order of `columns` (ascending, or descending where
    `desc` says so), any of which may be NULL, placed as the database places them: ``nulls_first``
    (SQLite: NULL is the smallest value) or last (PostgreSQL: the largest). Not an index range: for
    small tables whose order has NULLs in the middle (checks, posts)."""
    from sqlalchemy import and_, false, or_, true

    def later(column: Any, value: Any, down: bool) -> Any:
        nulls_low = nulls_first
        nulls_at_start = nulls_low != down  # ascending with NULL smallest, or descending with NULL largest
        if value is None:
            return column.is_not(None) if nulls_at_start else false()
        beyond = column < value if down else column > value
        return beyond if nulls_at_start else or_(beyond, column.is_(None))

    def equal(column: Any, value: Any) -> Any:
        return column.is_(None) if value is None else column == value

    terms, prefix = [], true()
    for column, value, down in zip(columns, values, desc or [False] * len(columns), strict=True):
        terms.append(and_(prefix, later(column, value, down)))
        prefix = and_(prefix, equal(column, value))
    return or_(*terms)


def run(execute: Callable[[Select], list[Any]], queries: list[Select], n: int | None) -> list[Any]:
    """Rows of `queries` in turn, at most `n` in all (None: every row)."""
    rows: list[Any] = []
    for query in queries:
        if n is not None and len(rows) >= n:
            break
        rows.extend(execute(query if n is None else query.limit(n - len(rows))))
    return rows


def sort_key(order: Order, values: Sequence[Any]) -> tuple:
    """A Python key that sorts rows as `order` does (for merging rows read by separate queries)."""
    key, ties = values[0], values[1:]
    if key is None:
        head: tuple = (1, 0)
    else:
        rank = key.toordinal() if isinstance(key, dt.date) else key
        head = (0, -rank if order.first_desc else rank) if not isinstance(rank, str) else (0, rank)
    return (*head, *((-t if order.ties_desc else t) for t in ties))


def encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, kinds: Sequence[str]) -> tuple[Any, ...]:
    """The key values a cursor holds, each of the expected kind; InvalidInput for anything else."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        out = []
        for value, kind in zip(values, kinds, strict=True):
            if value is None:  # a NULL key (the queries place NULLs as the order does)
                out.append(None)
            elif kind == "date" and isinstance(value, str):
                out.append(dt.date.fromisoformat(value[:10]))
            elif _plain(value, kind):
                out.append(value)
            else:
                raise ValueError
        return tuple(out)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise InvalidInput("expected a cursor from a previous page's `next`, got something else") from None


def _plain(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
    return kind == "str" and isinstance(value, str) and len(value) <= 1000


class Page(tuple):
    """(rows, count) as the list functions always returned, plus ``next`` (the cursor of the next
    page, None on the last) and ``estimated`` (the count is an estimate, or a lower bound)."""

    next: str | None
    estimated: bool

    def __new__(cls, rows: list[Any], count: int, next: str | None = None, estimated: bool = False) -> Self:
        page = super().__new__(cls, (rows, count))
        page.next, page.estimated = next, estimated
        return page


COUNT_UP_TO = 10_000  # lists count their rows exactly up to this many; beyond, an estimate


def read_page(execute: Callable[[Select], list[Any]], base: Select, order: Order, *, limit: int, offset: int,
              cursor: str | None, key: Callable[[Any], Sequence[Any]]) -> tuple[list[Any], str | None]:
    """One page of `base` in `order` (after the cursor, or at a small offset) and the next cursor;
    `key(row)` gives a row's key values."""
    check_offset(offset, cursor)
    after = decode(cursor, order.kinds) if cursor else None
    rows = run(execute, segments(base, order, after), offset + limit + 1)
    more, rows = len(rows) > offset + limit, rows[offset:offset + limit]
    return rows, (encode(key(rows[-1])) if more and rows else None)


def bounded_count(execute_scalar: Callable[[Select], Any], query: Select,
                  estimate: Callable[[], int] | None = None) -> tuple[int, bool]:
    """(count, estimated): exact up to COUNT_UP_TO rows (a bounded read); beyond, `estimate()` when
    given (never below the bound), else the bound itself (more than COUNT_UP_TO)."""
    from sqlalchemy import func, select

    n = execute_scalar(select(func.count()).select_from(query.order_by(None).limit(COUNT_UP_TO + 1).subquery())) or 0
    if n <= COUNT_UP_TO:
        return n, False
    return max(n, estimate() if estimate else n), True


def check_offset(offset: int, cursor: str | None) -> None:
    if offset > MAX_OFFSET:
        raise InvalidInput(f"expected an offset of at most {MAX_OFFSET}, got {offset}: "
                           "follow the `next` cursor for pages further on")
    if offset and cursor:
        raise InvalidInput("expected either an offset or a cursor, got both")
