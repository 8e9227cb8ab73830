"""Posts: before and after the name, coordinated with an elided head, in the nominative, and roles."""

from __future__ import annotations

import pytest

from qala.extractor import extract


def posts(text: str) -> dict[str, list[str]]:
    return {p.name: list(p.positions) for p in extract(text, "2022-03-01").persons}


POSTS = [
    # before the name, oblique case brought to the nominative, dependents as written
    ("Совещание провел аким Карагандинской области Ермаган Булекпаев.",
     {"Ермаган Булекпаев": ["аким Карагандинской области"]}),
    ("Президент заслушал доклад министра энергетики Алмасадама Саткалиева.",
     {"Алмасадам Саткалиев": ["министр энергетики"]}),
    # after the name
    ("Вопросы обсудил Б. Сагинтаев, аким города, с жителями.",
     {"Б. Сагинтаев": ["аким города"]}),
    # coordinated posts with an elided head, plural head and modifier to the singular
    (("На встрече были министры просвещения Гани Бейсембаев, здравоохранения — Ажар Гиният, "
     "первые вице-министры юстиции Азамат Ескараев, транспорта — Максат Калиакпаров."),
     {"Гани Бейсембаев": ["министр просвещения"], "Ажар Гиният": ["министр здравоохранения"],
      "Азамат Ескараев": ["первый вице-министр юстиции"],
      "Максат Калиакпаров": ["первый вице-министр транспорта"]}),
    # a post governing another post in the genitive
    ("Отчет подготовил первый заместитель руководителя Администрации Президента Тимур Кулибаев.",
     {"Тимур Кулибаев": ["первый заместитель руководителя Администрации Президента"]}),
    # two posts joined by a comma before one name
    ("Лидер партии принял члена политсовета партии, Премьер-министра Алихана Смаилова.",
     {"Алихан Смаилов": ["член политсовета партии", "Премьер-министр"]}),
    # a role phrase the text makes unambiguous
    ("Премьер-министр Олжас Бектенов провел заседание. Глава Правительства поручил ускорить работу.",
     {"Олжас Бектенов": ["Премьер-министр", "Глава Правительства"]}),
    ("Аким области Нурлан Уранхаев выступил на форуме. Аким региона отметил рост инвестиций.",
     {"Нурлан Уранхаев": ["Аким области", "Аким региона"]}),
]


@pytest.mark.parametrize(("text", "expected"), POSTS)
def test_posts(text: str, expected: dict[str, list[str]]) -> None:
    assert posts(text) == expected


def test_role_with_two_holders_stays_unresolved() -> None:
    text = ("Аким города Ерлан Кожагапанов и аким района Марат Ахметжанов открыли парк. "
            "Аким отметил важность проекта.")
    got = posts(text)
    assert got["Ерлан Кожагапанов"] == ["Аким города"]
    assert got["Марат Ахметжанов"] == ["аким района"]


def test_preposition_is_not_a_post() -> None:
    # "после" has a reading as a form of "посол"
    assert posts("Иван Сидоров после отставки уехал в Москву.") == {"Иван Сидоров": []}
