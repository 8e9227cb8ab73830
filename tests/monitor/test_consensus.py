"""The reference figure of a group and the reports that disagree with it: one per report, not per pair."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

from qala.monitor import consensus
from qala.monitor.tolerance import agree, interval


def _brute_reference(values, approx, docs) -> int:
    """Every pair compared: the figure most documents back, the first on ties."""
    def support(i):
        return len({docs[j] for j in range(len(values)) if agree(values[i], values[j], approx[i], approx[j])})
    return max(range(len(values)), key=lambda i: (support(i), -i))


def _group(n: int, seed: int, spread: float):
    rng = random.Random(seed)
    truth = [1.052e12, 854e9, 971.2e9]
    values = [float(f"{rng.choice(truth) * (1 + rng.uniform(-spread, spread)):.4g}") for _ in range(n)]
    approx = [rng.choice((None,) * 8 + ("about", "over", "under")) for _ in range(n)]
    docs = [rng.randrange(max(1, n // 2)) for _ in range(n)]
    return values, approx, docs


@pytest.mark.parametrize("n, seed, spread", [
    (2, 1, 0.0), (5, 2, 0.001), (30, 3, 0.0005), (47, 4, 0.3), (48, 5, 0.0), (49, 6, 0.001),
    (120, 7, 0.0005), (300, 8, 0.3), (400, 9, 0.0),
])
def test_the_reference_is_the_best_backed_figure_whatever_the_group_size(n, seed, spread):
    values, approx, docs = _group(n, seed, spread)
    ranges = np.array([interval(v, a) for v, a in zip(values, approx)])
    got = consensus.reference(ranges[:, 0], ranges[:, 1], np.abs(values), docs)
    assert got == _brute_reference(values, approx, docs)


def test_each_disagreeing_report_is_one_dispute_not_one_per_pair():
    n = 2000
    values = [(1001 + 10 * i) * 1e9 for i in random.Random(11).sample(range(n), n)]  # far apart, shuffled
    group = [SimpleNamespace(fact_id=i, document_id=i, canon_doc=i, span_start=0, span_stop=10) for i in range(n)]
    ranges = np.array([interval(v) for v in values])
    ref, disputed = consensus.disputes(group, ranges[:, 0], ranges[:, 1], np.abs(values))
    assert ref.fact_id == 0  # all equally backed: the first reported
    assert [r.fact_id for r in disputed] == list(range(1, n))


def test_figures_of_one_clause_are_not_a_dispute():
    a = SimpleNamespace(fact_id=1, document_id=7, canon_doc=7, span_start=0, span_stop=40)
    b = SimpleNamespace(fact_id=2, document_id=7, canon_doc=7, span_start=0, span_stop=40)
    c = SimpleNamespace(fact_id=3, document_id=8, canon_doc=8, span_start=5, span_stop=30)
    values = [1.4e12, 1.53e12, 1.53e12]
    ranges = np.array([interval(v) for v in values])
    ref, disputed = consensus.disputes([a, b, c], ranges[:, 0], ranges[:, 1], np.abs(values))
    assert (ref.fact_id, disputed) == (2, [])  # b is backed twice; a is read from its clause
    ref, disputed = consensus.disputes([a, b], ranges[:2, 0], ranges[:2, 1], np.abs(values[:2]))
    assert (ref.fact_id, disputed) == (1, [])
