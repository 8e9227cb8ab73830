"""Fingerprints of a text: its content hash (exact copies) and simhash (republications).

    >>> content_hash("a  b\\n") == content_hash("a b")
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import CompoundSelect, any_, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from qala.store import schema

NEAR_BITS = 8  # simhash distance at or under which two texts may be one release (short texts drift)
BAND_BITS = 16  # 4 bands: any pair within 3 bits shares one, whatever its date
NEAR_DAYS = 7  # a republication is looked for among documents published this close, at NEAR_BITS
NEAR_ROWS = 500  # candidates read from the date window (templates with new figures share their wording)
NEAR_BAND_ROWS = 50  # newest documents read per band
NEAR_TEXTS = 5  # closest candidates whose figures are compared


SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
DIGITS = re.compile(r"\d+")


def normalize_text(text: str) -> str:
    return SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=512)
def content_hash(text: str) -> str:
    """Cached: ingest asks for it when a batch is looked up, when it is queued and when it is stored."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    """64-bit simhash over word bigrams, figures masked (wording only; figures are compared apart).

    >>> bin(simhash("один два три четыре") ^ simhash("один два три четыре")).count("1")
    0
    """
    import numpy as np

    # every run of digits is one "0" (inside a word token a figure is a digit run), then the words
    tokens = WORD.findall(DIGITS.sub("0", text.lower()))
    grams = [f"{a} {b}" for a, b in itertools.pairwise(tokens)] if len(tokens) > 1 else [" ".join(tokens)]
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams])
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(len(grams), 8), axis=1)
    weights = 2 * bits.sum(axis=0, dtype=np.int64) - len(grams)  # +1 per set bit, -1 per clear bit
    return int.from_bytes(np.packbits(weights > 0).tobytes(), "big")  # the first bit the highest


def bands(fingerprint: int) -> list[int]:
    mask = (1 << BAND_BITS) - 1
    return [(i << BAND_BITS) | (fingerprint >> (i * BAND_BITS) & mask) for i in range(64 // BAND_BITS)]


def _signed(fingerprint: int) -> int:
    return fingerprint - (1 << 64) if fingerprint >= 1 << 63 else fingerprint


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def figures(text: str) -> frozenset[str]:
    return frozenset(NUMBER.findall(text))


@lru_cache(maxsize=2)
def _candidates(dialect: str) -> CompoundSelect:
    """One query for both kinds of candidate, built once per dialect (its parameters are bound at each call).

    On PostgreSQL the band matches are read as ``id = ANY(ARRAY(...))``: a few primary-key look-ups
    whatever the size of the store, where ``IN (...)`` was planned as a scan of every document.
    """
    D, B = schema.Document, schema.DocumentBand
    columns = (D.id, D.fingerprint, D.near_duplicate_of)
    recent = [select(B.document_id).where(B.band == bindparam(f"b{i}")).order_by(B.document_id.desc())
              .limit(NEAR_BAND_ROWS).subquery() for i in range(64 // BAND_BITS)]
    # each an index range read backwards, so the cost stays flat as a template repeats
    union = union_all(*(select(sub.c.document_id) for sub in recent)).subquery()
    ids = select(union.c.document_id)
    matched = D.id == any_(func.array(ids.scalar_subquery())) if dialect == "postgresql" else D.id.in_(ids)
    by_band = select(*columns).where(matched, D.status != "failed")
    by_date = (select(*columns).where(D.published.between(bindparam("start"), bindparam("stop")),
                                      D.status != "failed", D.fingerprint.is_not(None))
               .order_by(D.id.desc()).limit(NEAR_ROWS).subquery())  # no date: NULL bounds, no rows
    return union_all(by_band, select(by_date.c.id, by_date.c.fingerprint, by_date.c.near_duplicate_of))


def find_near_duplicate(session: Session, text: str, fingerprint: int, published: dt.date | None = None,
                        known_figures: Mapping[int, frozenset[str]] | None = None,
                        learned: dict[int, frozenset[str]] | None = None) -> int | None:
    """The first document this text republishes, or None.

    Candidates share a simhash band (any date) or were published within NEAR_DAYS. Close wording
    is not enough: a template release with new figures is news, so the one with fewer figures
    must not bring any the other lacks. Figures of candidates not in ``known_figures`` are read
    from their texts and put in ``learned``.
    """
    params: dict[str, object] = {f"b{i}": band for i, band in enumerate(bands(fingerprint))}
    window = dt.timedelta(days=NEAR_DAYS)
    params.update(start=published - window if published else None, stop=published + window if published else None)
    close: dict[int, tuple[int, int]] = {}
    for row in session.execute(_candidates(session.get_bind().dialect.name), params).all():  # one fetch
        distance = (_unsigned(row.fingerprint) ^ fingerprint).bit_count()
        if distance <= NEAR_BITS:
            close[row.id] = (distance, row.near_duplicate_of or row.id)
    closest = sorted(close.items(), key=lambda kv: (kv[1][0], kv[0]))[:NEAR_TEXTS]
    if not closest:
        return None
    known_figures = known_figures or {}
    missing = [doc_id for doc_id, _ in closest if doc_id not in known_figures]
    D = schema.Document
    texts = dict(session.execute(select(D.id, D.text).where(D.id.in_(missing))).all()) if missing else {}
    mine = figures(text)
    for doc_id, (_, original) in closest:
        theirs = known_figures.get(doc_id)
        if theirs is None:
            theirs = figures(texts.get(doc_id) or "")
            if learned is not None and doc_id in texts:
                learned[doc_id] = theirs
        if mine <= theirs or theirs <= mine:
            return original
    return None
