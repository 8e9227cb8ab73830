"""Period phrases -> contract strings, resolved against the publication date."""

from __future__ import annotations

import pytest

from qala.extractor.periods import (
    PeriodMention,
    base_label,
    clause_tense,
    find_periods,
    reference_date,
    resolve_prior,
)

PERIODS = [
    ("по итогам 2019 года", None, "2019"),
    ("в 2024 году", None, "2024"),
    ("на 2022-2026 годы", None, "2022-2026"),
    ("с 2020 по 2023 год", None, "2020-2023"),
    ("за январь-июнь 2018 года", None, "2018-01..2018-06"),
    ("за январь–сентябрь текущего года", "2022-10-20", "2022-01..2022-09"),
    ("по итогам второго квартала 2024 года", None, "2024-04..2024-06"),
    ("в I квартале", "2023-05-01", "2023-01..2023-03"),
    ("в первом полугодии 2021 года", None, "2021-01..2021-06"),
    ("за 9 месяцев 2020 года", None, "2020-01..2020-09"),
    ("за четыре месяца текущего года", "2024-05-15", "2024-01..2024-04"),
    ("в текущем году", "2021-02-04", "2021"),
    ("в этом году", "2019-07-01", "2019"),
    ("в этом году", None, None),                 # relative, date unknown: no guess
    ("в прошлом году", "2020-03-01", "2019"),
    ("за минувший год", "2020-03-01", "2019"),
    ("в будущем году", "2021-11-15", "2022"),
    ("в марте", "2024-05-01", "2024-03"),
    ("в ноябре", "2024-02-01", "2023-11"),      # a later month is last year's
    ("к концу 2027 года", None, "2027"),
    ("до конца года", "2024-10-03", "2024"),                 # a target: the year of publication
    ("к концу текущего года", "2023-05-05", "2023"),
    ("до 2030 года", "2024-01-10", "2024-2030"),
    ("к 2030 году", "2024-01-10", "2030"),          # a target year
    ("в ближайшие 5 лет", "2020-06-01", "2020-2025"),
    ("на сегодняшний день", "2025-09-06", "2025"),
    ("сейчас", "2025-09-06", "2025"),
    ("с января по октябрь 2023 года", None, "2023-01..2023-10"),
    ("в июне-августе 2024 года", None, "2024-06..2024-08"),
    ("за 10 месяцев", "2025-01-15", "2024-01..2024-10"),   # months not over yet: last year's report
    ("за 10 месяцев", "2024-11-20", "2024-01..2024-10"),
    ("в январе-марте", "2025-04-20", "2025-01..2025-03"),
    ("на 1 октября 2024 года", None, "2024-10-01"),         # a state on a day
    ("за полугодие 2024 года", None, "2024-01..2024-06"),
    # "год" left out after an ordinal ending
    ("по итогам 2023-го", None, "2023"),
    ("к концу 2026-го", None, "2026"),
    ("по итогам 2022, как сообщили", None, "2022"),
    # the last N years, up to the last one reported
    ("за три года", "2024-11-05", "2022-2024"),
    ("за последние два года", "2019-01-20", "2017-2018"),   # January: the years before
    ("в 2026 и 2027 годах", None, "2026-2027"),
    ("на начало 2023 года", None, "2023-01"),
    ("с 2022 года", "2025-04-01", "2025"),       # since then: up to the time of writing
    ("начиная с 2026 года", "2025-04-01", "2026"),
    # "с начала года": January to the month before publication; the year when said in December
    ("с начала года", "2022-07-14", "2022-01..2022-06"),
    ("с начала текущего года", "2021-10-02", "2021-01..2021-09"),
    ("с начала года", "2025-12-03", "2025"),
    ("с начала 2023 года", "2023-10-20", "2023-01..2023-09"),   # the year of publication: up to now
    ("с начала 2021 года", "2023-10-20", "2021"),
    # a stock on a day: with no year, the published one, last year's for a month still to come
    ("на 1 октября", "2023-10-20", "2023-10-01"),
    ("по состоянию на 1 декабря", "2023-10-20", "2022-12-01"),
    ("по состоянию на 15 мая текущего года", "2022-06-02", "2022-05-15"),
    ("на 01.10.2023", None, "2023-10-01"),
    ("по состоянию на 1.07.22 г.", None, "2022-07-01"),
    ("на конец года", "2024-01-20", "2023"),                 # January: the year just closed
    ("на конец 2022 года", None, "2022"),
    # halves and quarters written in Roman numerals, counted quarters, abbreviated months
    ("в I полугодии", "2023-08-01", "2023-01..2023-06"),
    ("за II полугодие 2022 года", None, "2022-07..2022-12"),
    ("за три квартала", "2023-10-20", "2023-01..2023-09"),
    ("за I-III кварталы 2022 года", None, "2022-01..2022-09"),
    ("по итогам 3 квартала 2023 года", None, "2023-07..2023-09"),   # the third quarter, not three
    ("за 9 мес. 2021 г.", None, "2021-01..2021-09"),
    # other words that sum up a period
    ("по результатам 2021 года", None, "2021"),
    ("итоги восьми месяцев", "2022-09-10", "2022-01..2022-08"),
    ("об итогах 2020 года", None, "2020"),
]


@pytest.mark.parametrize("text, published, label", PERIODS)
def test_periods(text: str, published: str | None, label: str | None) -> None:
    found = [p for p in resolve_prior(find_periods(text, published), None) if p.kind == "period"]
    assert [p.label for p in found] == [label]


BASES = [
    ("по сравнению с 2018 годом", None, "2018"),
    ("в сравнении с прошлым годом", "2021-02-01", "2020"),
    ("к уровню аналогичного периода 2017 года", None, "2017"),
    ("выше показателей прошлого года", "2022-01-01", "2021"),
    ("по сравнению с соответствующим периодом 2024 года", None, "2024"),
    ("чем за тот же период прошлого года", "2024-06-20", "2023"),
    ("больше прошлогоднего показателя", "2024-11-20", "2023"),
    ("на уровне прошлого года", "2023-09-18", "2022"),
    ("в сравнении с показателем 2021 года", None, "2021"),
    # "к 2022 году" after a change, or naming a year already past, is a base, not a target
    ("рост на 5% к 2022 году", None, "2022"),
    ("выпуск вырос к 2020 году", "2023-05-05", "2020"),
]


@pytest.mark.parametrize("text, published, label", BASES)
def test_comparison_bases_are_not_periods(text: str, published: str | None, label: str) -> None:
    found = find_periods(text, published)
    assert [(p.kind, p.label) for p in found] == [("base", label)]


@pytest.mark.parametrize("text", ["встреча 15 марта 2024 года", "заседание 30.11.2021 г.",
                                  "совещание перенесли на 15 марта"])
def test_dates_are_not_periods(text: str) -> None:
    assert [p.kind for p in find_periods(text, "2025-01-01")] == ["date"]


@pytest.mark.parametrize("text", ["Даю срок два месяца", "проект на 8 лет", "форум 2025", "за 2000 тенге",
                                  "план на 2026-й"])
def test_no_period(text: str) -> None:
    assert find_periods(text, "2025-01-01") == []


def test_same_period_base_takes_the_figure_months() -> None:
    base = PeriodMention(0, 0, "base", "2021", same_period=True)
    assert base_label(base, "2022-01..2022-03") == "2021-01..2021-03"
    assert base_label(base, None) == "2021"


PRIOR = [
    # (text, published, period in force, labels of the periods found)
    ("Годом ранее вложили меньше", "2024-01-16", "2023", ["2022"]),
    ("год назад было 500", None, "2021-01..2021-06", ["2020-01..2020-06"]),
    ("за аналогичный период прошлого года выпущено 4 тыс.", None, "2024-01..2024-09", ["2023-01..2023-09"]),
    ("В 2023 году выпуск вырос, годом ранее упал", None, None, ["2023", "2022"]),
    ("по итогам года инфляция составила 8,6%", "2025-01-15", "2024", ["2024"]),
    ("по итогам года инфляция составила 8,6%", "2025-01-15", None, ["2024"]),   # January: last year
]


@pytest.mark.parametrize("text, published, current, labels", PRIOR)
def test_periods_relative_to_the_period_in_force(text: str, published: str | None, current: str | None,
                                                 labels: list[str]) -> None:
    found = [p for p in resolve_prior(find_periods(text, published), current) if p.kind == "period"]
    assert [p.label for p in found] == labels


def test_a_year_earlier_as_a_base() -> None:
    (base,) = find_periods("на 8% меньше, чем годом ранее", "2024-10-15")
    assert base.kind == "base"
    assert base_label(base, "2024-01..2024-09") == "2023-01..2023-09"
    assert base_label(base, "2024") == "2023"


def test_last_year_as_a_base_is_counted_from_the_figure() -> None:
    (base,) = find_periods("103,3% к уровню прошлого года", "2025-01-10")
    assert base_label(base, "2024-12") == "2023-12"
    assert base_label(base, None) == "2024"


def test_since_the_start_of_the_year_takes_the_reporting_range_in_force() -> None:
    found = resolve_prior(find_periods("С начала года создано 4 тыс. мест", "2024-06-03"), "2024-04",
                          "2024-01..2024-04")
    assert [p.label for p in found if p.kind == "period"] == ["2024-01..2024-04"]
    # a range of another year does not stand for this one
    found = resolve_prior(find_periods("С начала года создано 4 тыс. мест", "2024-06-03"), None,
                          "2023-01..2023-04")
    assert [p.label for p in found if p.kind == "period"] == ["2024-01..2024-05"]


@pytest.mark.parametrize("text, expected", [
    ("Итоги. За январь-март 2020 года выпуск вырос. В текущем году ...", "2020-04"),
    ("За 11 месяцев 2019 года", "2019-12"),
    ("По итогам 2023 года выпуск вырос", "2024-01"),   # a year summed up: early in the next
    ("В 2023 году выпуск вырос", None),
    ("Без дат и периодов", None),
])
def test_reference_date_of_an_undated_text(text: str, expected: str | None) -> None:
    assert reference_date(text) == expected


@pytest.mark.parametrize("text, carries", [
    ("до 2030 года", False), ("к концу 2026 года", False), ("до конца года", False), ("за три года", False), ("в 2024-2025 годах", False),
    ("в ближайшие 5 лет", False), ("за январь-май", True), ("в 2023 году", True), ("на 1 октября", True),
])
def test_targets_and_spans_of_years_are_not_carried(text: str, carries: bool) -> None:
    (found,) = find_periods(text, "2024-06-10")
    assert found.carries is carries


@pytest.mark.parametrize("text, tense", [
    ("будет создано 500 рабочих мест", "future"),
    ("завод даст региону 800 рабочих мест", "future"),
    ("аким поручил до 1 ноября ввести три школы", "future"),   # an order: still to be done
    ("планируется построить 12 школ", "future"),
    ("в области было построено 12 школ", "past"),
    ("выпуск составил 3 трлн тенге", "past"),
    ("в городе функционирует 9 парков", "present"),
    ("на сумму 4 млрд тенге", None),
])
def test_clause_tense(text: str, tense: str | None) -> None:
    from qala.language import pipeline

    assert clause_tense(text, pipeline().parse_word) == tense
