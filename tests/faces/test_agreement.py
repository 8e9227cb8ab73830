"""Numerals agree with their nouns for every counted object the extractor knows (issue: "34 проект").

Each form is checked by reading it back with pymorphy: after 1 (21, 101...) the head noun is
nominative singular, after 2-4 (22, 1,5) genitive singular, after 0 and 5-20 (11, 111, 35 400)
genitive plural; adjectives before it follow.
"""

from __future__ import annotations

import pytest

from qala.extractor.wordlist import load_words
from qala.format import agree, counted
from qala.language_forms import parse_word

OBJECTS = sorted(set(load_words("units_objects")) | {"проект", "квартира", "школа", "факт", "компания",
                                                      "объект", "семья", "дом", "место", "человек"})
EXPECTED = {1: ("nomn", "sing"), 21: ("nomn", "sing"), 101: ("nomn", "sing"),
            2: ("gent", "sing"), 3: ("gent", "sing"), 22: ("gent", "sing"), 1.5: ("gent", "sing"),
            5: ("gent", "plur"), 11: ("gent", "plur"), 12: ("gent", "plur"), 20: ("gent", "plur"),
            111: ("gent", "plur"), 35400: ("gent", "plur"), 0: ("gent", "plur")}


def _head_index(phrase: str) -> int:
    words = phrase.split()
    return next(i for i, w in enumerate(words) if parse_word(w).tag.POS == "NOUN")


@pytest.mark.parametrize("phrase", OBJECTS)
def test_head_noun_takes_the_numeral_form(phrase: str) -> None:
    h = _head_index(phrase)
    for n, (case, number) in EXPECTED.items():
        head = agree(n, phrase).split()[h]
        readings = {(p.tag.case, p.tag.number) for p in _all_parses(head)}
        if phrase.split()[h] == "человек" and number == "plur":
            case, number = "gent", "plur"  # "5 человек": the plural genitive looks like the nominative
        assert (case, number) in readings, f"{n} {phrase}: {agree(n, phrase)!r}"


@pytest.mark.parametrize("phrase", [p for p in OBJECTS if " " in p and parse_word(p.split()[0]).tag.POS == "ADJF"])
def test_adjective_follows(phrase: str) -> None:
    for n, expected_number in ((1, "sing"), (2, "plur"), (5, "plur")):
        adj = agree(n, phrase).split()[0]
        assert any(p.tag.number == expected_number or p.tag.number is None for p in _all_parses(adj)), (n, phrase)


def test_counted_with_spaced_thousands() -> None:
    assert counted(22626, "квартира") == "22 626 квартир"
    assert counted(35400, "рабочее место") == "35 400 рабочих мест"
    assert counted(1.5, "тысяча") == "1,5 тысячи"
    assert counted(3, "учреждение здравоохранения") == "3 учреждения здравоохранения"


def _all_parses(word: str):
    from qala.language_forms import _vocab

    return _vocab().parse(word.lower())
