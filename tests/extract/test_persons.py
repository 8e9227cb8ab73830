"""Persons: names from NER, brought to the nominative and merged with initials and surname forms."""

from __future__ import annotations

import pytest

from qala.extractor import extract
from qala.extractor.names import normalize_name


def persons(text: str) -> dict[str, list[str]]:
    """Each person's name with the texts of all its mentions."""
    return {p.name: [text[a:b] for a, b in p.mentions] for p in extract(text, "2022-03-01").persons}


PERSONS = [
    # oblique case after a post, then initials and surname alone
    (("Глава государства принял министра финансов Ерулана Жамаубаева. Е. Жамаубаев доложил о бюджете. "
     "Затем Жамаубаева спросили о налогах."),
     {"Ерулан Жамаубаев": ["Ерулана Жамаубаева", "Е. Жамаубаев", "Жамаубаева"]}),
    # initials glued to the surname
    ("Аким города Ерлан Ахметов открыл школу. Позже Е.Ахметов осмотрел больницу.",
     {"Ерлан Ахметов": ["Ерлан Ахметов", "Е.Ахметов"]}),
    # a woman's name in the instrumental and the dative
    ("Министр встретился с Ольгой Кравченко. Ольге Кравченко вручили награду.",
     {"Ольга Кравченко": ["Ольгой Кравченко", "Ольге Кравченко"]}),
    # two people, one in the dative after a post
    ("Премьер-министр Роман Скляр поручил своему заместителю Серику Жумангарину подготовить отчет.",
     {"Роман Скляр": ["Роман Скляр"], "Серик Жумангарин": ["Серику Жумангарину"]}),
]


@pytest.mark.parametrize(("text", "expected"), PERSONS)
def test_persons(text: str, expected: dict[str, list[str]]) -> None:
    assert persons(text) == expected


def test_a_name_in_capitals_is_the_same_person() -> None:
    found = persons("Премьер-министр Карим МАСИМОВ провел заседание. Карим Масимов поручил подготовить план.")
    assert list(found) == ["Карим Масимов"]


def test_one_person_per_name_with_a_typo() -> None:
    found = persons("Президент Узбекистана Шавкат Мирзиёев провел переговоры. Шавкат Мирзиеев отметил рост.")
    assert list(found) == ["Шавкат Мирзиёев"]


def test_surnames_one_letter_apart_with_other_first_names_stay_two() -> None:
    assert len(persons("Министр Алибек Ахметов и аким Ерлан Ахматов провели встречу.")) == 2


NOT_PERSONS = [
    "Смотри новости быстрее всех",            # an imperative NER takes for a name
    "Елбасы отметил рост экономики страны.",  # a title, not a name
]


@pytest.mark.parametrize("text", NOT_PERSONS)
def test_not_persons(text: str) -> None:
    assert persons(text) == {}


NOMINATIVE = [
    (["Аскара", "Мамина"], ["gent"], "Аскар Мамин"),
    (["Гульнары", "Сейтказиевой"], ["gent"], "Гульнара Сейтказиева"),
    (["Сеилбеком", "Нурымбетовым"], [], "Сеилбек Нурымбетов"),
    (["Алтая", "Кульгинова"], ["gent"], "Алтай Кульгинов"),
    (["Касым-Жомарта", "Токаева"], ["gent"], "Касым-Жомарт Токаев"),
    (["Гульшара", "Абдыкаликова"], ["nomn"], "Гульшара Абдыкаликова"),
]


@pytest.mark.parametrize(("words", "hint", "expected"), NOMINATIVE)
def test_normalize_name(nlp, words: list[str], hint: list[str], expected: str) -> None:
    assert normalize_name(words, nlp.parse_word, hint)[0] == expected


def test_spans_inside_text() -> None:
    text = "Президент Касым-Жомарт Токаев прибыл в Актобе.\n\n© Иван Петров"
    for p in extract(text).persons:
        for a, b in p.mentions:
            assert 0 <= a < b <= len(text)
