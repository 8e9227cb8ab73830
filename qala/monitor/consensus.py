"""Which of several reports of one figure the rest are judged against, and which disagree with it.

Every report stands for a range (the precision it was written with); the reference is the report
most documents back, and a contradiction is a report whose range misses the reference's. Each
disagreeing report is one contradiction, so their number and the time to find them grow with the
number of reports, not with the number of pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

SMALL = 48  # groups up to this size compare every pair at once (fewer numpy calls than the bounds)


def one_clause(a: Any, b: Any) -> bool:
    """Two figures read from the same clause of one document are different things, not a dispute."""
    return a.document_id == b.document_id and (a.span_start, a.span_stop) == (b.span_start, b.span_stop)


def reference(lo: np.ndarray, hi: np.ndarray, scale: np.ndarray, docs: list[Any]) -> int:
    """Index of the figure most documents back (ties: the first), against which the rest are judged.

    Figure i stands for [lo_i, hi_i]; i and j agree when the ranges overlap within
    1e-9 * max(scale_i, scale_j). A figure's support is the number of distinct documents (`docs`)
    among the figures it agrees with. Items are in fact order. Equal ranges are folded first; an
    upper bound of every range's support (sorted ends, O(n log n)) then orders the candidates, and
    exact support is counted only until no remaining bound can beat the best: linear in practice,
    where comparing every pair was quadratic in the size of the group.
    """
    if len(lo) <= SMALL:
        return _reference_small(lo, hi, scale, docs)
    keys: dict[tuple[float, float, float], int] = {}
    first, members = [], []
    for i, key in enumerate(zip(lo.tolist(), hi.tolist(), scale.tolist())):
        c = keys.setdefault(key, len(first))
        if c == len(first):
            first.append(i)
            members.append([])
        members[c].append(i)
    c_lo, c_hi, c_sc = lo[first], hi[first], scale[first]
    weight = np.array([len({docs[i] for i in m}) for m in members], dtype=float)
    slack = 2e-9 * float(np.nanmax(np.abs(scale)))  # above every pair's, rounding included
    valid = ~(np.isnan(c_lo) | np.isnan(c_hi))
    bound = np.zeros(len(first))
    if valid.any():
        # support <= documents of the ranges not wholly below or above this one (widened by the largest slack)
        order_hi, order_lo = np.argsort(c_hi[valid]), np.argsort(c_lo[valid])
        his, los, w = c_hi[valid][order_hi], c_lo[valid][order_lo], weight[valid]
        below = np.concatenate([[0.0], np.cumsum(w[order_hi])])
        above = np.concatenate([[0.0], np.cumsum(w[order_lo])])
        n_below = below[np.searchsorted(his, c_lo[valid] - slack, side="left")]
        n_above = above[-1] - above[np.searchsorted(los, c_hi[valid] + slack, side="right")]
        bound[valid] = w.sum() - n_below - n_above
    best, best_support = 0, -1
    for c in sorted(range(len(first)), key=lambda c: (-bound[c], first[c])):
        if bound[c] < best_support or (bound[c] == best_support and first[c] > first[best]):
            break
        eps = 1e-9 * np.maximum(c_sc[c], c_sc)
        with np.errstate(invalid="ignore"):
            agrees = (c_lo[c] <= c_hi + eps) & (c_lo <= c_hi[c] + eps)
        support = len({docs[i] for k in np.nonzero(agrees)[0] for i in members[int(k)]})
        if support > best_support or (support == best_support and first[c] < first[best]):
            best, best_support = c, support
    return first[best]


def _reference_small(lo: np.ndarray, hi: np.ndarray, scale: np.ndarray, docs: list[Any]) -> int:
    """``reference`` by comparing every pair in one matrix (a small group)."""
    eps = 1e-9 * np.maximum(scale[:, None], scale[None, :])
    with np.errstate(invalid="ignore"):
        agrees = (lo[:, None] <= hi[None, :] + eps) & (lo[None, :] <= hi[:, None] + eps)
    codes = {d: k for k, d in enumerate(dict.fromkeys(docs))}
    by_doc = np.zeros((len(docs), len(codes)), dtype=bool)
    by_doc[np.arange(len(docs)), [codes[d] for d in docs]] = True
    support = (agrees.astype(np.int32) @ by_doc.astype(np.int32) > 0).sum(axis=1)
    return int(np.argmax(support))  # the first of the best backed


def disputes(group: list[Any], lo: np.ndarray, hi: np.ndarray, scale: np.ndarray) -> tuple[Any, list[Any]]:
    """The group's reference figure and the facts of other documents that disagree with it.

    Two figures of one document (near-duplicates count as one) are never a contradiction: a text
    that gives 1 500 and 3 400 for one key speaks of two things (a plant and its region, a part
    and its total), which is a binding fault, not a dispute between sources. So a figure is
    disputed only when its document is not the reference's and no figure of its document agrees
    with the reference."""
    ref_i = reference(lo, hi, scale, [r.canon_doc for r in group])
    eps = 1e-9 * np.maximum(scale[ref_i], scale)
    with np.errstate(invalid="ignore"):
        agrees = (lo[ref_i] <= hi + eps) & (lo <= hi[ref_i] + eps)
    ref = group[ref_i]
    backing = {r.canon_doc for r, ok in zip(group, agrees.tolist()) if ok} | {ref.canon_doc}
    return ref, [r for r, ok in zip(group, agrees.tolist()) if not ok and r.canon_doc not in backing]
