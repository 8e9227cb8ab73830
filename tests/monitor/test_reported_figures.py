"""The checks on 250 real published figures, with the disagreements they are known to hold."""

from __future__ import annotations

import pytest

from qala.monitor.checks import list_checks
from qala.monitor.recompute import recompute_all
from tests.conftest import SHARED
from tests.monitor.reported import load_reported

CSV = SHARED / "data" / "reported-figures.csv"

KNOWN_CONTRADICTIONS = {
    ("Almaty", "housing commissioned", "2022-01-01"),          # −41,4% and −34,6%
    ("Astana", "investment fixed capital", "2018-01-01"),      # 1,056 трлн and 854 млрд
    ("Shymkent", "industrial output", "2018-01-01"),           # 425 and 319 млрд
    ("Shymkent", "investment fixed capital", "2018-01-01"),    # 588 and 214 млрд
    ("Kazakhstan", "housing commissioned", "2020-01-01"),      # +14,5% and +16,8%
}
KNOWN_MISMATCHES = {
    ("Kazakhstan", "housing commissioned", "2020-01-01"),      # 13,1 → 15,3 млн м2 is +16,8%, not +14,5%
    ("Almaty", "investment fixed capital", "2020-01-01"),      # 971,2 млрд at 117,2% needs ~829 млрд in 2019
}


@pytest.fixture
def reported(engine):
    if not CSV.exists():
        pytest.fail(f"missing test data {CSV}")
    load_reported(engine, CSV)
    recompute_all(engine)
    return engine


def _found(engine, kind: str) -> set[tuple[str, str, str]]:
    return {(c["territory"], c["indicator"], c["period_start"]) for c in list_checks(engine, kind=kind)}


def test_known_contradictions_are_found_and_rounding_is_not_one(reported):
    # Figures that only differ by rounding (2,396 vs 2,4 млн м2; 43,2 vs 43 млрд; 5,1% vs 5%) stay silent.
    assert _found(reported, "contradiction") == KNOWN_CONTRADICTIONS


def test_changes_that_do_not_fit_their_base(reported):
    assert _found(reported, "change_mismatch") == KNOWN_MISMATCHES


def test_each_check_keeps_both_sources(reported):
    for c in list_checks(reported):
        assert c["fact"]["url"] and c["other"]["url"] and c["fact"]["fact_id"] != c["other"]["fact_id"]
