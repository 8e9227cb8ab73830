"""Fixtures for the sources tests: a local web site (localsite.py) and a fetcher that does not wait."""

from __future__ import annotations

import pytest
from localsite import LocalSite


@pytest.fixture
def site():
    s = LocalSite()
    yield s
    s.close()


@pytest.fixture
def fetcher():
    """A fetcher for tests: short timeouts, no real waiting between requests or retries."""
    from qala.sources.http import Fetcher

    f = Fetcher(timeout=2.0, retries=2, backoff=0.01, delay=0.0)
    yield f
    f.close()
