"""The figures extractor against the hand-made answers of the dev corpus (run with --corpus)."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS_DEV


@pytest.mark.corpus
def test_facts_f1_on_dev_corpus() -> None:
    from qala.evaluate import evaluate_dir

    report = evaluate_dir(CORPUS_DEV)
    misses = [d for d in report.details if "fact" in d]
    assert report.facts.f1 >= 0.95, "\n".join(misses)
    assert report.periods.share >= 0.94, "\n".join(d for d in report.details if "period" in d)
