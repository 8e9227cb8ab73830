"""The recompute derives exactly what the straightforward implementation derived from the seeded
store (tests/monitor/seeded.py): same series points, checks, commitments and status history."""

from __future__ import annotations

import json

from tests.monitor.seeded import SNAPSHOT, seed, take

PARTS = ("counts", "series_points", "checks", "commitments", "commitment_history")


def test_recompute_matches_the_snapshot(engine):
    expected = json.loads(SNAPSHOT.read_text())
    seed(engine)
    got = take(engine)
    for part in PARTS:
        want, have = expected[part], got[part]
        if isinstance(want, list):
            missing = [r for r in want if r not in have]
            extra = [r for r in have if r not in want]
            assert (part, missing[:3], extra[:3], len(missing), len(extra)) == (part, [], [], 0, 0)
        assert have == want, part
