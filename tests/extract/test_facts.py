"""Figures read from sentences written for these tests: value, unit, object, approximation, change."""

from __future__ import annotations

import pytest

from qala.extractor import extract


def facts(text: str, published: str | None = None) -> list[tuple]:
    out = []
    for f in extract(text, published).facts:
        change = (f.change.kind, f.change.value, f.change.direction) if f.change else None
        out.append((f.value, f.unit, f.object, f.approx, change))
    return out


FIGURES = [
    # levels with units and scales
    ("На ремонт школ выделено 12,4 млрд тенге.",
     [(12.4e9, "KZT", None, None, None)]),
    ("Инвесторы вложили 3 291,5 млн. тенге в переработку.",
     [(3291.5e6, "KZT", None, None, None)]),
    ("Стоимость моста составит 95 млн долларов США.",
     [(95e6, "USD", None, None, None)]),
    ("Регион получит 640 млрд рублей и 2 трлн сумов.",
     [(640e9, "RUB", None, None, None), (2e12, "UZS", None, None, None)]),
    ("Введено свыше 1,8 млн м² жилья.",
     [(1.8e6, "m2", None, "over", None)]),
    ("Собрано около 3,2 млн тонн зерна при урожайности 14 центнеров с гектара.",
     [(3.2e6, "t", None, "about", None), (14.0, "c/ha", None, None, None)]),
    ("Уровень безработицы составил 4,7 процента.",
     [(4.7, "%", None, None, None)]),
    ("Область дает одну пятую часть экспорта страны.",
     [(20.0, "%", None, None, None)]),
    # counted objects
    ("Создано 12,3 тыс. новых рабочих мест.",
     [(12300.0, "count", "рабочее место", None, None)]),
    ("В пул вошли 87 инвестиционных проектов.",
     [(87.0, "count", "проект", None, None)]),
    ("В технопарке работают более 45 компаний.",
     [(45.0, "count", "компания", "over", None)]),
    ("Жильем обеспечены 6 300 человек.",
     [(6300.0, "count", "человек", None, None)]),
    ("Газ получили четыре села и двумя новыми котельными обеспечен райцентр.",
     [(4.0, "count", "село", None, None), (2.0, "count", "котельная", None, None)]),
    ("Из 150 населенных пунктов района 96, или 64%, имеют водопровод.",
     [(150.0, "count", "населенный пункт", None, None), (96.0, "count", "населенный пункт", None, None),
      (64.0, "%", None, None, None)]),
    # changes joined to their level
    ("Объем производства вырос на 7,1% до 2,4 трлн тенге.",
     [(2.4e12, "KZT", None, None, ("percent", 7.1, "up"))]),
    ("Экспорт составил 310 млрд тенге (+12%).",
     [(310e9, "KZT", None, None, ("percent", 12.0, "up"))]),
    ("Средняя зарплата выросла на 9,2% — с 310 200 тенге до 338 700 тенге.",
     [(338700.0, "KZT", None, None, ("percent", 9.2, "up"))]),
    ("Число получателей пособий сократилось с 520 до 480 семей, то есть на 7,7%.",
     [(480.0, "count", "семья", None, ("percent", 7.7, "down"))]),
    ("Посевы расширятся в три раза и составят более 9 тыс. гектаров.",
     [(9000.0, "ha", None, "over", ("times", 3.0, "up"))]),
    ("Выпуск достиг 41,2 млрд тенге; индекс физического объема составил 104,3%.",
     [(41.2e9, "KZT", None, None, ("index", 104.3, "up"))]),
    # change-only figures
    ("Рост экономики региона составил 5,1%.",
     [(None, None, None, None, ("percent", 5.1, "up"))]),
    ("Производство цемента снизилось на 2,5%.",
     [(None, None, None, None, ("percent", 2.5, "down"))]),
    ("Выпуск мебели составил 96,4% к уровню прошлого года.",
     [(None, None, None, None, ("index", 96.4, "down"))]),
    ("Продукт региона составил 4,1 трлн тенге.",
     [(4.1e12, "KZT", None, None, None)]),
    ("Доходы выросли на 20 млрд тенге.",
     [(None, None, None, None, ("absolute", 20e9, "up"))]),
    ("Экспорт увеличился в два раза.",
     [(None, None, None, None, ("times", 2.0, "up"))]),
    ("Промышленность выросла на 3,3% (металлургия – на 4,1%, химия – на 12,6%, пищевая отрасль – в 2 раза).",
     [(None, None, None, None, ("percent", 3.3, "up")), (None, None, None, None, ("percent", 4.1, "up")),
      (None, None, None, None, ("percent", 12.6, "up")), (None, None, None, None, ("times", 2.0, "up"))]),
    ("Спад отмечен в Павлодарской (-1,2%) и Костанайской (-0,4%) областях.",
     [(None, None, None, None, ("percent", 1.2, "down")), (None, None, None, None, ("percent", 0.4, "down"))]),
    ("Отмечен рост в химической отрасли на 11%, в металлургии на 11%.",
     [(None, None, None, None, ("percent", 11.0, "up")), (None, None, None, None, ("percent", 11.0, "up"))]),
    # a pool gives one fact per figure
    ("Сформирован пул из 64 проектов на 1,1 трлн тенге с созданием 9,5 тыс. рабочих мест.",
     [(64.0, "count", "проект", None, None), (1.1e12, "KZT", None, None, None),
      (9500.0, "count", "рабочее место", None, None)]),
    ("На субсидии ушло 5 млрд тенге, продукции выпущено более чем на 90 млрд.",
     [(5e9, "KZT", None, None, None), (90e9, "KZT", None, "over", None)]),
    # area in every spelling, after a currency was written (the currency must not leak)
    ("Кредиты составили 3 млрд тенге, введено 412 тыс. кв. метров жилья.",
     [(3e9, "KZT", None, None, None), (412e3, "m2", None, None, None)]),
    ("Сдано 87,5 тыс. квадратных метров, 12 тыс. кв.м и 900 м2 площадей, освоено 40 гектаров.",
     [(87.5e3, "m2", None, None, None), (12e3, "m2", None, None, None), (900.0, "m2", None, None, None),
      (40.0, "ha", None, None, None)]),
    # a trailing comparison belongs to the figure before it
    ("Сдано 301 тыс. кв. м жилья, что на 6% меньше, чем годом ранее.",
     [(301e3, "m2", None, None, ("percent", 6.0, "down"))]),
    ("Экспорт составил 95 млрд тенге, рост — 14%.",
     [(95e9, "KZT", None, None, ("percent", 14.0, "up"))]),
    ("Выдано 640 кредитов, что на 120 больше, чем в прошлом году.",
     [(640.0, "count", "кредит", None, ("absolute", 120.0, "up"))]),
    ("Безработица составила 4,9%, что на 0,3 п.п. ниже прошлогоднего.",
     [(4.9, "%", None, None, ("absolute", 0.3, "down"))]),
    ("Выпуск составил 80 млрд тенге. Это на 9% больше, чем за тот же период прошлого года.",
     [(80e9, "KZT", None, None, ("percent", 9.0, "up"))]),
    # ranges, bounds and words for multiples
    ("Цена путевки — от 40 до 55 тыс. тенге.",
     [(40e3, "KZT", None, "over", None), (55e3, "KZT", None, "under", None)]),
    ("Ставка не превышает 7%, а урожай превысил 2 млн тонн.",
     [(7.0, "%", None, "under", None), (2e6, "t", None, "over", None)]),
    ("Поток туристов вырос более чем вдвое, а сборы — почти на треть.",
     [(None, None, None, "over", ("times", 2.0, "up")), (None, None, None, "about", ("percent", 33.3, "up"))]),
    ("План по доходам исполнен на 97,2%.",
     [(97.2, "%", None, None, None)]),
    ("Размер пособия увеличен до 60 тыс. тенге.",
     [(60e3, "KZT", None, None, None)]),
    ("Врачей стало 38,5 на 10 тыс. населения.", []),
    # "на 14,5%, или порядка 15 млн кв. м": the level the change led to
    ("Ввод жилья вырос на 14,5%, или порядка 15 млн кв. м.",
     [(15e6, "m2", None, "about", ("percent", 14.5, "up"))]),
    # "динамика" names a change
    ("В пищевой промышленности отмечена положительная динамика с показателем 4,4%.",
     [(None, None, None, None, ("percent", 4.4, "up"))]),
    # a growth noun closed off by a bracket does not make the share after it a growth rate
    ("Привлечено 400 млрд тенге инвестиций (рост на 7,5%), большая часть которых (88%) – частные.",
     [(400e9, "KZT", None, None, ("percent", 7.5, "up")), (88.0, "%", None, None, None)]),
    # places as capacity ("на 1 200 мест") are counted; a rank ("2 место") is not
    ("Построено 13 школ на 13,8 тысяч мест.",
     [(13.0, "count", "школа", None, None), (13800.0, "count", "место", None, None)]),
    ("Команда заняла 2 место.", []),
    # a change told in the next sentence qualifies the level before it ...
    ("Экспорт составил 2,4 млрд долларов. Рост составил 12%.",
     [(2.4e9, "USD", None, None, ("percent", 12.0, "up"))]),
    ("Выпуск составил 80 млрд тенге. Снижение – 3,2%.",
     [(80e9, "KZT", None, None, ("percent", 3.2, "down"))]),
    # ... unless it names its own indicator or branch
    ("Выпуск составил 80 млрд тенге. Рост экономики составил 5%.",
     [(80e9, "KZT", None, None, None), (None, None, None, None, ("percent", 5.0, "up"))]),
    ("Выпуск составил 80 млрд тенге. Рост на 5% в торговле.",
     [(80e9, "KZT", None, None, None), (None, None, None, None, ("percent", 5.0, "up"))]),
    # money is never a count, even after a count and with no currency written
    ("В портфеле 15 проектов стоимостью 236,4 млрд.",
     [(15.0, "count", "проект", None, None), (236.4e9, "KZT", None, None, None)]),
    ("Число проектов – 15, их стоимость 236,4 млрд рублей.",
     [(15.0, "count", "проект", None, None), (236.4e9, "RUB", None, None, None)]),
    ("Фермерам выплачено 12,5 млрд теңге.",
     [(12.5e9, "KZT", None, None, None)]),
    ("На программу выделят 3, 6 миллиарда тенге.",
     [(3.6e9, "KZT", None, None, None)]),
    # a level that changed "с ... до ...": the new level, with the change from the old one
    ("Износ тепловых сетей снизился с 78% до 71%.",
     [(71.0, "%", None, None, ("absolute", 7.0, "down"))]),
    ("Число получателей пособия сократилось с 1 200 до 1 150 семей.",
     [(1150.0, "count", "семья", None, ("absolute", 50.0, "down"))]),
    ("Зарплата выросла на 6,2% — с 410 000 тенге до 435 420 тенге.",
     [(435420.0, "KZT", None, None, ("percent", 6.2, "up"))]),
    # shares and changes in words
    ("На сегодня завезена треть от этого объема угля.",
     [(33.33, "%", None, None, None)]),
    ("Более половины выпускников колледжей трудоустроены.",
     [(50.0, "%", None, "over", None)]),
    ("Очереди в детские сады сократились наполовину.",
     [(None, None, None, None, ("percent", 50.0, "down"))]),
]


@pytest.mark.parametrize("text, expected", FIGURES)
def test_figures(text: str, expected: list[tuple]) -> None:
    assert facts(text) == expected


NOT_FIGURES = [
    "Совещание прошло 12 мая 2022 года в 10:30.",
    "Заседание 30.11.2021 г. открыл премьер.",
    "Справки по телефону +7 (7172) 74-50-00.",
    "Ему 58 лет, он работает в отрасли восемь лет.",
    "Команда заняла второе место, а город вошел в топ-5 и в 10-ку лучших.",
    "Проект реализуется в 2 этапа, на слайде 14 показан график.",
    "Астана\nСейчас\n-11\nЗавтра\n-3\nUSD\n448\n-1.49\nEUR\n478",
    "Усть-Каменогорск +8° ветер 7 м/с 444.32 473.33 4.76",
    "$470.12 €511.30 ₽5.02",
    "Концерт прошел в зале на 800 мест.",          # one hall's size, not a count of places built
    "USD 470.12 EUR 511.30 RUB 5.02",
    "Форум AQTOBE INVESTMENT FORUM 2025 открылся, просмотров 1932.",
    "Даю срок два месяца.",
    "Согласно Указу № 123, по пункту 5 статьи 12 закона.",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(text: str) -> None:
    assert facts(text) == []


def test_a_repeated_figure_is_one_fact() -> None:
    text = "В области построят 40 школ\nВ области до конца года построят 40 школ. Школы рассчитаны на 24 тыс. учеников."
    assert [f[:3] for f in facts(text)] == [(40.0, "count", "школа"), (24000.0, "count", "ученик")]


PERIODS = [
    ("По итогам 2022 года выпуск вырос на 3% до 5 трлн тенге.", "2023-02-01", ["2022"]),
    ("В текущем году будет создано 900 рабочих мест.", "2021-02-04", ["2021"]),
    ("В текущем году будет создано 900 рабочих мест.", None, [None]),
    ("За январь-июль 2019 года выпущено 20 тыс. тонн. Экспорт составил 4 тыс. тонн.", None,
     ["2019-01..2019-07", "2019-01..2019-07"]),
    ("Реализуется план «Развитие» на 2020-2025 годы. В регион привлекли 30 млрд тенге.", None, [None]),
    ("В ближайшие 10 лет население вырастет до 2 миллионов человек.", "2023-12-22", ["2023-2033"]),
    # a year earlier than the period in force, whatever the publication date
    ("В 2023 году вложено 724 млрд тенге. Годом ранее в экономику вложили 549 млрд тенге.", "2024-01-16",
     ["2023", "2022"]),
    # a look back does not become the period of the sentences after it
    (("За полугодие 2024 года убрано 70% площадей. В прошлом году к этой дате убрали 61%. Работают 9 тыс. "
      "комбайнов."), "2024-09-16", ["2024-01..2024-06", "2023", "2024-01..2024-06"]),
    # a period right after a figure is its own
    ("Выделено 5 млрд тенге в 2024 году и 6 млрд тенге в 2025 году.", None, ["2024", "2025"]),
    # a headline figure takes the period its body repeat gives
    ("Инфляция замедлилась до 8,5%\nГодовая инфляция в декабре 2024 года составила 8,5%.", "2025-01-10",
     ["2024-12"]),
    # "с начала года" after a reporting range of the same year is that range
    (("Подведены итоги за январь-апрель 2024 года. Инфляция в апреле составила 0,6%. С начала года создано "
     "12 тыс. рабочих мест."), "2024-06-03", ["2024-04", "2024-01..2024-04"]),
    # an undated text: "в текущем году" is the year of the reporting range it names
    ("За 9 месяцев 2019 года введено 9 млн кв. м жилья. В текущем году планируется ввести 13 млн кв. м.",
     None, ["2019-01..2019-09", "2019"]),
    # a text that names no period: figures told as done are of the year it was published ...
    ("Фермерам выделено 4,2 млрд тенге субсидий. Аграрии собрали 310 тыс. тонн зерна.", "2023-10-05",
     ["2023", "2023"]),
    # ... not a state, a plan or a figure only reported by a speaker
    ("В районе работают 14 школ. Министр рассказал, что в районе 9 больниц требуют ремонта.", "2023-10-05",
     [None, None]),
    ("Фермерам выделено 4,2 млрд тенге субсидий.", None, [None]),
    # a state that holds now does not take the period of the sentences before it
    (("За январь-июнь 2024 года создано 5 тыс. рабочих мест. В регионе функционируют 12 индустриальных зон, "
     "реализуется 40 проектов."), "2024-07-10", ["2024-01..2024-06", None, None]),
    ("За январь-июнь 2024 года создано 5 тыс. рабочих мест. В городе проживает 2 млн человек.", None,
     ["2024-01..2024-06", None]),
    # "с 2022 года": a change up to the time of writing
    ("С 2022 года очередь в детские сады сократилась в три раза.", "2025-04-01", ["2025"]),
    # once a period is named, figures without one are left as they are
    ("В 2022 году выпуск вырос до 5 трлн тенге. Также фермерам выделено 4,2 млрд тенге.", "2023-10-05",
     ["2022", "2022"]),
    # a target or a span of years holds for the promises after it, not for what is reported next
    ("К 2027 году выпуск вырастет до 3 трлн тенге. В регион привлекли 40 млрд тенге инвестиций.", "2024-05-10",
     ["2027", None]),
    ("В ближайшие 5 лет построят 30 школ. Будет создано 2 тыс. рабочих мест.", "2024-05-10",
     ["2024-2029", "2024-2029"]),
    ("За три года открыто 20 поликлиник. Очередь к врачам сократилась на 30%.", "2024-11-05", ["2022-2024", None]),
    # what is yet to come does not take a period already over
    ("За январь-май 2024 года введено 300 тыс. кв. м жилья. Новый завод даст 800 рабочих мест.", "2024-06-20",
     ["2024-01..2024-05", None]),
    ("За январь-май введено 300 тыс. кв. м жилья. В этом году будет введено еще 400 тыс. кв. м.", "2024-06-20",
     ["2024-01..2024-05", "2024"]),
    # the figures of a lead take the period of the first figure the text goes on to date ...
    ("Промышленность выросла на 4,2%. В январе-июне 2024 года в экономику вложено 300 млрд тенге.", "2024-07-15",
     ["2024-01..2024-06", "2024-01..2024-06"]),
    (("Инвестиции выросли на 8%. Результат нужно показать уже в этом году. За январь-май 2024 года вложено "
      "200 млрд тенге."), "2024-06-20", ["2024-01..2024-05", "2024-01..2024-05"]),
    # ... not a target
    ("Выпуск составил 2 трлн тенге. К 2030 году он достигнет 5 трлн тенге.", "2024-07-15", [None, "2030"]),
    # with no period named, a figure with a change is of the published year
    ("Объем торговли составляет 120 млрд тенге, рост – 6%.", "2023-10-05", ["2023"]),
    # "итоги года" with no period in force is the period of what follows; in January, last year's
    ("Аким подвел итоги года. Валовой продукт достиг 5 трлн тенге.", "2024-01-20", ["2023"]),
    # "к 2022 году" after a change is the base, and the figure keeps its own year
    ("В 2023 году ВРП вырос на 5% к 2022 году.", "2023-10-20", ["2023"]),
    # what a plant or a place is ("мощностью", "с населением") takes no period carried to it
    (("За 2024 год в области открыто 3 завода. Крупнейший из них выпускает продукцию мощностью 50 тыс. тонн. "
      "Газ получил поселок с населением 12 тыс. человек."), "2025-02-01", ["2024", None, None]),
    # a day a state was counted on is not the period of what was done after it
    ("На начало 2024 года в области работало 500 предприятий. Фермеры создали 53 кооператива.", "2024-06-01",
     ["2024-01", None]),
    # a stock on a day with no year written
    ("Численность безработных на 1 октября составила 18 тыс. человек.", "2023-10-20", ["2023-10-01"]),
]


@pytest.mark.parametrize("text, published, expected", PERIODS)
def test_fact_periods(text: str, published: str | None, expected: list[str | None]) -> None:
    assert [f.period for f in extract(text, published).facts] == expected


def test_a_period_right_after_another_figure_is_not_this_one() -> None:
    found = extract("Выручка составила 300 млн тенге против 250 млн тенге в 2022 году.", "2023-10-20").facts
    assert [f.value for f in found] == [300_000_000, 250_000_000]
    assert found[0].period != "2022" and found[1].period == "2022"


def test_base_period_of_a_change() -> None:
    (fact,) = extract("Выпуск в 2020 году вырос, в сравнении с 2019 годом, на 4%.", "2021-01-10").facts
    assert (fact.period, fact.change.base_period) == ("2020", "2019")


INDICATORS = [
    (("Объем промышленного производства увеличился на 3,8%, инвестиции в основной капитал — на 22,4% до "
      "1,1 трлн тенге."), ["объем промышленного производства", "инвестиции в основной капитал"]),
    ("Валовой региональный продукт области составил 7,2 трлн тенге.", ["валовой региональный продукт"]),
    ("Введено 612 тыс. кв. метров жилья.", ["ввод жилья"]),
    ("Годом ранее в экономику города было вложено 549 млрд тенге.", ["инвестиции"]),
    ("Средняя заработная плата составила 398 тыс. тенге, уровень безработицы — 4,6%.",
     ["средняя заработная плата", "уровень безработицы"]),
    ("Производство мяса выросло на 4%, молока – на 2,8%.", ["производство мяса", "производство молока"]),
    ("В сфере торговли рост составил 6,7%.", ["торговля"]),
    ("Отмечен рост в химической отрасли на 11%.", ["химическая отрасль"]),
    ("Построен завод мощностью 300 МВт.", ["мощность"]),
    ("Доля малого и среднего бизнеса в ВРП составила 31,5%.", ["доля малого и среднего бизнеса"]),
    ("Номинальный ВВП превысил 135 трлн тенге.", ["номинальный ВВП"]),
    ("Численность населения составила 1 234 560 человек.", ["численность населения"]),
]


@pytest.mark.parametrize("text, expected", INDICATORS)
def test_indicators_are_readable_phrases(text: str, expected: list[str | None]) -> None:
    assert [f.indicator for f in extract(text).facts] == expected


def test_territory_indicator_and_span() -> None:
    text = "Подписано соглашение.\nОбъем строительных работ в Карагандинской области составил 80 млрд тенге."
    (fact,) = extract(text).facts
    assert fact.territory == "Карагандинская область"
    assert fact.indicator == "объем строительных работ"
    start, stop = fact.span
    assert text[start:stop].startswith("Объем строительных работ") and stop <= len(text)
