"""The scope of a figure: its territory as a whole, or one plant, project, programme, pool or group
of people in it (qala.scope). Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from qala.scope import OBJECT, TERRITORY, fact_scope, figure_at

# (clause, indicator phrase, counted thing, value, expected scope, a word the object's name holds)
CASES = [
    # one plant, company or building
    ("Строящийся завод по выпуску стекла обеспечит 420 рабочих мест.", None, "рабочее место", 420,
     OBJECT, "завод"),
    ("ТОО «Северный агрохолдинг» вложило в переработку 3,2 млрд тенге.", None, None, 3.2e9, OBJECT, "агрохолдинг"),
    ("Открыт новый цех, где создано 75 рабочих мест.", None, "рабочее место", 75, OBJECT, "цех"),
    ("На предприятии выпустили 12 тыс. тонн муки.", None, None, 12000, OBJECT, "предприяти"),
    # a programme, a pool, a cost
    ("В рамках программы занятости трудоустроено 1 200 человек.", None, "человек", 1200, OBJECT, "программ"),
    ("Сформирован пул из 35 проектов стоимостью 90 млрд тенге.", None, "проект", 35, OBJECT, "пул"),
    ("Сформирован пул из 35 проектов стоимостью 90 млрд тенге.", None, None, 9e10, OBJECT, "пул"),
    # a group of people the figure is given to
    ("В этом году 60 квартир передали семьям военнослужащих и ветеранам.", None, "квартира", 60, OBJECT, "семьям"),
    ("Для малообеспеченных семей выкуплено 45 квартир.", None, "квартира", 45, OBJECT, "семей"),
    # the territory as a whole
    ("В регионе сдано 310 тыс. кв. м жилья.", "ввод жилья", None, 310000, TERRITORY, None),
    ("В районе за год завершено 14 проектов.", "проект", "проект", 14, TERRITORY, None),
    ("Промышленные предприятия района выпустили продукции на 40 млрд тенге.", None, None, 4e10, TERRITORY, None),
    ("В области построены 164 школы и 30 больниц.", None, "школа", 164, TERRITORY, None),
    ("Квартиры получили 2 300 семей.", None, "семья", 2300, TERRITORY, None),  # the families counted, not given to
    ("Объем продукции агропромышленного комплекса достиг 610 млрд тенге.", None, None, 6.1e11, TERRITORY, None),
]


@pytest.mark.parametrize("clause, indicator, counted, value, scope, name_part", CASES)
def test_a_figure_is_scoped_by_what_its_clause_names(clause, indicator, counted, value, scope, name_part):
    got, name = fact_scope(clause, indicator, counted, float(value))
    assert got == scope
    if name_part is None:
        assert name is None
    else:
        assert name_part in name


def test_a_total_and_its_programme_part_in_one_sentence_each_keep_their_own_scope():
    sentence = "В городе введено 500 тыс. кв. м жилья, в том числе 80 тыс. кв. м по программе «Свой дом»."
    assert fact_scope(sentence, "ввод жилья", None, 500000.0) == (TERRITORY, None)
    assert fact_scope(sentence, "ввод жилья", None, 80000.0) == (OBJECT, "Свой дом")


def test_a_plant_named_before_a_relative_clause_owns_its_figure_but_not_the_next_plant_s():
    sentence = ("Запущен завод «Альфа» мощностью 20 тыс. тонн, где занято 300 человек, и фабрика «Бета» "
                "с вложениями 4,5 млрд тенге.")
    assert fact_scope(sentence, None, "человек", 300.0) == (OBJECT, "Альфа")
    assert fact_scope(sentence, None, None, 4.5e9) == (OBJECT, "Бета")


def test_the_indicator_phrase_may_name_the_object():
    assert fact_scope("Площадь составит 85 га.", "площадь теплиц ТОО «Зеленый сад»", None, 85.0)[0] == OBJECT


def test_nothing_to_read_is_the_territory():
    assert fact_scope(None) == (TERRITORY, None)
    assert fact_scope("", None, None, 5.0) == (TERRITORY, None)


@pytest.mark.parametrize("clause, value, expected", [
    ("выпущено 1,2 млн тонн, из них 300 тыс. тонн на экспорт", 300000.0, "300 тыс"),
    ("выпущено 1,2 млн тонн, из них 300 тыс. тонн на экспорт", 1.2e6, "1,2 млн"),
    ("создано 2 700 рабочих мест", 2700.0, "2 700"),
    ("создано 2 700 рабочих мест", 2800.0, None),
])
def test_the_figure_is_found_in_its_clause_with_its_multiplier(clause, value, expected):
    at = figure_at(clause, value)
    assert (clause[at[0]:at[1]] if at else None) == expected


def test_the_group_named_after_the_figure_is_the_one_it_is_given_to():
    sentence = "Из 90 квартир для молодых семей ещё 40 квартир передали многодетным семьям."
    assert fact_scope(sentence, None, "квартира", 40.0) == (OBJECT, "многодетным семьям")


def test_a_programme_is_named_with_the_words_that_follow_it():
    sentence = "В рамках программы развития моногородов построено 12 объектов."
    assert fact_scope(sentence, None, "объект", 12.0) == (OBJECT, "программы развития моногородов")
