"""What a figure is bound to on the extractor's side: the place it is about and the measure phrase
the store resolves (issue #12). Sentences written for these tests."""

from __future__ import annotations

import pytest

from qala.extractor import extract


def places(text: str) -> list[str | None]:
    return [f.territory for f in extract(text, "2024-05-01").facts]


def phrases(text: str) -> list[str | None]:
    return [f.indicator for f in extract(text, "2024-05-01").facts]


def test_a_media_name_is_no_place() -> None:
    text = ("Караганда - Sputnik Казахстан. Sputnik Казахстан сообщает: в Караганде за 2023 год введено "
            "300 тыс. кв. м жилья. Инвестиции составили 90 млрд тенге.")
    assert places(text) == ["Караганда", "Караганда"]


def test_a_place_inside_a_quoted_name_is_no_place() -> None:
    from qala.extractor.territories import _quoted

    text = "Газ идет по газопроводу «Омск - Павлодар», а в Павлодаре построено 30 км сетей."
    assert _quoted(text, text.index("Омск"))
    assert _quoted(text, text.index("Павлодар»"))
    assert not _quoted(text, text.index("Павлодаре"))


def test_a_body_of_power_is_no_place() -> None:
    text = "Правительство одобрило меры. За 2023 год создано 4 тыс. рабочих мест."
    assert places(text) == [None]


def test_words_run_together_are_no_place() -> None:
    assert places("ИвановаПетрова рассказала, что построено 12 школ.") == [None]


def test_by_the_country_with_no_country_named_is_kazakhstan() -> None:
    assert places("Посевная завершена: по стране засеяно 16 млн га.") == ["Казахстан"]


def test_a_country_the_text_names_stays_that_country() -> None:
    text = "В Узбекистане растет экономика. По стране создано 200 тыс. рабочих мест."
    assert places(text) == ["Узбекистан"]


def test_a_text_naming_no_place_about_the_nation_is_kazakhstan() -> None:
    text = ("Рост национальной экономики за 2023 год составил 5,1%. В машиностроении рост составил 11%.")
    assert places(text) == ["Казахстан", "Казахстан"]


def test_a_text_naming_no_place_at_all_has_none() -> None:
    assert places("За 2023 год на заводе выпущено 900 вагонов.") == [None]


def test_a_place_named_abroad_keeps_its_name() -> None:
    assert places("В Москве за 2023 год введено 6 млн кв. м жилья.") == ["Москва"]


@pytest.mark.parametrize("text, expected", [
    # the verb stays in the window when "на", "более чем" stand before the figure
    ("За полгода в регионе произведено промышленной продукции на 900 млрд тенге.",
     ["производство промышленной продукции"]),
    ("Аграрии произвели продукции более чем на 120 млрд тенге.", ["производство продукции"]),
    # a change noun in any case names what grew
    ("Аким доложил о росте физических объемов строительных работ за 2023 год на 4,4%.",
     ["рост физических объемов строительных работ"]),
    ("Министр сообщил о снижении производства угля на 2%.", ["снижение производства угля"]),
    # after ", а" a new subject begins
    ("Средняя зарплата выросла до 280 тыс. тенге, а среднедушевой доход достиг 150 тыс. тенге.",
     ["средняя зарплата", "среднедушевой доход"]),
    # a light head takes the branch the clause names
    ("В сфере рыбного хозяйства при поддержке государства объем валовой продукции составил 40 млрд тенге.",
     ["объем валовой продукции (рыбное хозяйство)"]),
    ("В обрабатывающей промышленности выпуск увеличился на 3,3%.", ["выпуск (обрабатывающая промышленность)"]),
    # an index says by what
    ("Индекс физического объема по строительству составил 98,7%.", ["индекс физического объема по строительству"]),
    # a planned, expected or forecast figure is a plan's
    ("В будущем году планируется построить 40 км дорог.", ["план: дороги"]),
    ("По прогнозу, к концу года ВРП составит 900 млрд тенге.", ["план: ВРП"]),
    ("За прошлый год построено 40 км дорог.", ["строительство дорог"]),
    # a place alone in brackets: the same measure for that place
    ("Средняя зарплата составила 390 тыс. тенге, что выше, чем по стране (Казахстан — 370 тыс. тенге).",
     ["средняя зарплата", "средняя зарплата"]),
])
def test_measure_phrases(text: str, expected: list[str]) -> None:
    assert phrases(text) == expected


def test_a_post_at_the_head_of_a_place_is_not_a_place():
    from qala.extractor import extract

    region = extract("Аким Карагандинской области сообщил: в 2024 году введено 820 тыс. квадратных метров жилья.\n",
                     "2025-01-20").facts
    assert [f.territory for f in region] == ["Карагандинская область"]
    none = extract("Аким области Ерлан Аксакалов подвел итоги. В 2024 году введено 820 тыс. квадратных метров "
                   "жилья.\n", "2025-01-20").facts
    assert [f.territory for f in none] == [None]  # "Аким области" names no place: the document's context will
