"""Units after a number: currencies, measures, percent, and counted objects with their lemma."""

from __future__ import annotations

import pytest

from qala.extractor.units import read_counted, read_times, read_unit

UNITS = [
    (" тенге на ремонт", "KZT"),
    (" тг. инвестиций", "KZT"),
    (" рублей", "RUB"),
    (" долларов США", "USD"),
    (" евро", "EUR"),
    (" сумов", "UZS"),
    (" м² жилья", "m2"),
    (" м2 жилья", "m2"),
    (" кв. м площадей", "m2"),
    (" кв.м", "m2"),
    (" кв. метров жилья", "m2"),
    (" кв.метров", "m2"),
    (" квадратных метров", "m2"),
    (" кубометров газа", "m3"),
    (" куб. м", "m3"),
    (" кубических метров воды", "m3"),
    (" км дорог", "km"),
    (" гектаров пашни", "ha"),
    (" га", "ha"),
    (" тонн зерна", "t"),
    (" центнеров с гектара", "c/ha"),
    (" ц/га", "c/ha"),
    (" МВт мощности", "MW"),
    (" кВт·ч", "kWh"),
    ("%", "%"),
    (" процента", "%"),
]


@pytest.mark.parametrize("text, code", UNITS)
def test_units(text: str, code: str) -> None:
    unit = read_unit(text, 0)
    assert unit is not None and unit.code == code


@pytest.mark.parametrize("text", [" суммы", " м/с", " гаража", " тысячи", " человек"])
def test_not_units(text: str) -> None:
    assert read_unit(text, 0) is None


def test_dollar_sign_before_the_number() -> None:
    assert read_unit(" млн", 4, before="на $").code == "USD"


COUNTED = [
    (" новых рабочих мест", "рабочее место"),
    (" инвестиционных проектов", "проект"),
    (" зарубежными компаниями", "компания"),
    (" человек", "человек"),
    (" людей живут", "человек"),
    (" населенных пунктах", "населенный пункт"),
    (" сельских населенных пунктов", "населенный пункт"),
    (" учреждений здравоохранения", "учреждение здравоохранения"),
    (" детских садов", "детский сад"),
    (" сел имеют", "село"),
    (" семьям", "семья"),
]


@pytest.mark.parametrize("text, obj", COUNTED)
def test_counted_objects(nlp, text: str, obj: str) -> None:
    unit = read_counted(text, 0, nlp)
    assert unit is not None and (unit.code, unit.object) == ("count", obj)


@pytest.mark.parametrize("text", [" лет подряд", " этапа", " месяца", " января", " раз", " место в рейтинге",
                                  ", или", " Алматы"])
def test_not_counted(nlp, text: str) -> None:
    assert read_counted(text, 0, nlp) is None


def test_times() -> None:
    assert read_times(" раза больше", 0) == 5
    assert read_times(" разных", 0) is None
