"""The scoring rules of shared/corpus/README.md, one table per rule."""

from __future__ import annotations

import pytest

from qala.evaluate import (
    Report,
    fact_matches,
    greedy_pairs,
    person_matches,
    score_document,
    stems,
    surname_key,
)

PCT = {"kind": "percent", "value": 4.6, "direction": "up", "base_period": None}


@pytest.mark.parametrize("gold, pred, expected", [
    ({"value": 1052e9, "unit": "KZT"}, {"value": 1.0525e12, "unit": "KZT"}, True),   # within 0.5%
    ({"value": 1052e9, "unit": "KZT"}, {"value": 1.06e12, "unit": "KZT"}, False),    # 0.75% off
    ({"value": 100, "unit": "KZT"}, {"value": 100, "unit": "USD"}, False),
    ({"value": None, "unit": None, "change": PCT}, {"value": None, "unit": None, "change": PCT}, True),
    ({"value": None, "unit": None, "change": PCT},
     {"value": None, "unit": None, "change": {**PCT, "value": 4.7}}, False),
    ({"value": None, "unit": None, "change": PCT},
     {"value": None, "unit": None, "change": {**PCT, "kind": "index"}}, False),
    ({"value": 5, "unit": "%"}, {"value": 5, "unit": "%", "change": PCT}, True),     # extra change is fine
    ({"value": 5, "unit": "%", "change": PCT}, {"value": 5, "unit": "%"}, False),
])
def test_fact_matching(gold, pred, expected) -> None:
    assert fact_matches(gold, pred) is expected


@pytest.mark.parametrize("gold, pred, expected", [
    ("Аскар Мамин", "А. Мамин", True),
    ("Бакытжан Сагинтаев", "Сагинтаевым", True),  # first six letters
    ("Аскар Мамин", "Мамина", False),             # "мамина" is not "мамин"
    ("Алексей Цой", "Цой", True),
    ("Нурлан Ногаев", "Асет Иргалиев", False),
])
def test_person_matching(gold, pred, expected) -> None:
    assert person_matches({"name": gold}, {"name": pred}) is expected


def test_surname_ignores_short_words() -> None:
    assert surname_key("Ким Ир") == "ким"


def test_greedy_takes_first_unused() -> None:
    pairs, missed, spurious = greedy_pairs([1, 1, 2], [1, 3, 1], lambda g, p: g == p)
    assert pairs == [(0, 0), (1, 2)] and missed == [2] and spurious == [1]


def test_score_document_counts_posts_and_periods() -> None:
    report = Report()
    gold = {"persons": [{"name": "Асет Иргалиев", "positions": ["министр национальной экономики"]}],
            "facts": [{"value": 20, "unit": "%", "period": "2020"}],
            "instructions": [{"text": "обеспечить привлечение инвестиций в развитие города"}]}
    pred = {"persons": [{"name": "Асет Иргалиев", "positions": ["министра национальной экономики"]}],
            "facts": [{"value": 20, "unit": "%", "period": "2021"}, {"value": 7, "unit": "count"}],
            "instructions": [{"text": "обеспечить привлечение инвестиций в дальнейшее развитие города"}]}
    score_document(report, "d", gold, pred)
    assert (report.facts.tp, report.facts.fp, report.facts.fn) == (1, 1, 0)
    assert report.posts.hit == 1 and report.periods.hit == 0 and report.periods.total == 1
    assert report.instructions.tp == 1
    assert stems("в дальнейшее развитие") == {"дальн", "разви"}
