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
    # compound posts joined by a dash, before and after the name
    ("Встречу провел Заместитель Премьер-Министра – министр торговли Арман Шаккалиев.",
     {"Арман Шаккалиев": ["Заместитель Премьер-Министра – министр торговли"]}),
    ("Доклад сделал Серик Жумангарин, заместитель Премьер-министра – министр экономики, на заседании.",
     {"Серик Жумангарин": ["заместитель Премьер-министра – министр экономики"]}),
    # an institution in the genitive that NER took into the name belongs to the post
    ("На сессии выступил депутат Мажилиса Айдос Сарым.", {"Айдос Сарым": ["депутат Мажилиса"]}),
    # a national post is not given to an akim named without his post
    ("Серик Шапкенов провел совещание в Атырау. Как поручил Президент Казахстана, регион растет.",
     {"Серик Шапкенов": []}),
    # ... but to a person who held it, also when he does not lead the meeting
    ("Доклад о посевной одобрил Касым-Жомарт Токаев. Глава государства поручил закупить семена.",
     {"Касым-Жомарт Токаев": ["Глава государства"]}),
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


RESPECTIVE = ("Глава государства провел встречи с акимами Жамбылской области, городов Астаны и Шымкента, "
              "Павлодарской, Северо-Казахстанской областей.\n"
              "Арман Ахметов, Сакен Бекова, Данияр Омаров, Инна Ли и Тимур Жаксыбеков доложили о ходе "
              "отопительного сезона.\n")


def test_a_plural_post_with_listed_places_gives_each_following_name_its_place() -> None:
    assert posts(RESPECTIVE) == {
        "Арман Ахметов": ["аким Жамбылской области"],
        "Сакен Бекова": ["аким города Астаны"],
        "Данияр Омаров": ["аким города Шымкента"],
        "Инна Ли": ["аким Павлодарской области"],
        "Тимур Жаксыбеков": ["аким Северо-Казахстанской области"],
    }


@pytest.mark.parametrize("text", [
    # one name fewer than the places: which goes with which is unknown
    RESPECTIVE.replace(", Инна Ли и Тимур Жаксыбеков", " и Инна Ли"),
    # ministers are listed by branch, where a conjunction may sit inside one ministry's name
    ("Премьер-министр встретился с министрами энергетики, финансов и сельского хозяйства.\n"
    "Арман Ахметов, Сакен Бекова и Данияр Омаров доложили о подготовке к зиме.\n"),
])
def test_no_post_is_guessed_when_the_lists_do_not_match(text: str) -> None:
    given = [p for found in posts(text).values() for p in found]
    assert not [p for p in given if p.startswith(("аким ", "министр "))], given


def test_names_with_their_own_posts_keep_them() -> None:
    text = RESPECTIVE.replace("Арман Ахметов, Сакен Бекова", "Вице-министр финансов Арман Ахметов, Сакен Бекова")
    found = posts(text)
    assert found["Арман Ахметов"] == ["Вице-министр финансов"]
    assert found["Сакен Бекова"] == []
