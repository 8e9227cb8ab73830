"""The quality bar on the dev corpus for persons, posts and instructions (run with --corpus)."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS_DEV


@pytest.mark.corpus
def test_persons_posts_instructions_on_dev_corpus() -> None:
    from qala.evaluate import evaluate_dir

    report = evaluate_dir(CORPUS_DEV)
    print("\n".join(report.lines()))
    assert report.persons.f1 >= 0.97
    assert report.posts.share >= 0.95
    assert report.instructions.f1 >= 0.90
