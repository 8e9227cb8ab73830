"""Instructions: one per task, with issuer, addressee and deadline."""

from __future__ import annotations

import pytest

from qala.extractor import extract


def instructions(text: str) -> list[tuple[str | None, str, str | None, str | None]]:
    return [(i.issuer, i.text, i.addressee, i.deadline) for i in extract(text, "2023-05-10").instructions]


INSTRUCTIONS = [
    # coordinated tasks split, adverbs kept, issuer resolved through a role phrase
    (("Премьер-министр Алихан Смаилов провел совещание. Глава Правительства поручил быстро и качественно "
     "отремонтировать дороги, а также обеспечить освещение улиц."),
     [("Алихан Смаилов", "быстро и качественно отремонтировать дороги", None, None),
      ("Алихан Смаилов", "обеспечить освещение улиц", None, None)]),
    # addressee and a dated deadline
    ("Аким области Серик Шапкенов поручил управлению образования до 1 сентября подготовить все школы.",
     [("Серик Шапкенов", "подготовить все школы", "управлению образования", "2023-09-01")]),
    # a term deadline; "и" + infinitive splits, a purpose clause does not
    (("Министр Бахыт Султанов поручил в месячный срок проверить цены и оперативно снизить наценки, "
     "чтобы удержать инфляцию и сохранить запасы."),
     [("Бахыт Султанов", "проверить цены", None, "в месячный срок"),
      # the deadline stated before the first task holds for the tasks coordinated with it
      ("Бахыт Султанов", "оперативно снизить наценки, чтобы удержать инфляцию и сохранить запасы", None,
       "в месячный срок")]),
    # a quote attributed with "поручил"
    ("«Акиматам регионов нужно завершить отопительный сезон без аварий», — поручил Роман Скляр.",
     [("Роман Скляр", "завершить отопительный сезон без аварий", "Акиматам регионов", None)]),
    # passive "поручено": the dative before it is the addressee, the issuer the official who leads
    ("Аким города Ерлан Ахметов провел заседание. Районным акимам поручено убрать свалки.",
     [("Ерлан Ахметов", "убрать свалки", "Районным акимам", None)]),
    # an agent in the instrumental sets the task; a prepositional phrase is not the addressee
    (("Министр Бахыт Султанов выступил на форуме. По итогам форума Главой государства Касым-Жомартом "
     "Токаевым поручено Правительству открыть новые рынки."),
     [("Касым-Жомарт Токаев", "открыть новые рынки", "Правительству", None)]),
    # a person in the dative before "поручено" is the addressee, never the issuer
    (("Премьер-министр Олжас Бектенов провел совещание. Министру транспорта Марату Карабаеву поручено "
     "до 1 июля запустить новые рейсы."),
     [("Олжас Бектенов", "запустить новые рейсы", "Министру транспорта Марату Карабаеву", "2023-07-01")]),
    # no one leads: the issuer is unknown
    ("Районным акимам поручено убрать свалки.", [(None, "убрать свалки", "Районным акимам", None)]),
    # "дал поручение"
    ("Президент Касым-Жомарт Токаев дал поручение построить новые больницы в селах.",
     [("Касым-Жомарт Токаев", "построить новые больницы в селах", None, None)]),
    # direct speech: a bare infinitive order and imperatives of directive verbs
    (("– В недельный срок акимам районов представить списки дорог, – сказал Даниал Ахметов. "
     "– Пожалуйста, проработайте каждый участок, и примите меры."),
     [("Даниал Ахметов", "представить списки дорог", "акимам районов", "в недельный срок"),
      ("Даниал Ахметов", "проработайте каждый участок", None, None),
      ("Даниал Ахметов", "примите меры", None, None)]),
    # any plural imperative in an official's speech sets a task, also after a dateline
    (("Астана, 14 мая — Хватит отчитываться процентами. Налаживайте выпуск запчастей, — указал "
     "Премьер-министр Олжас Бектенов."),
     [("Олжас Бектенов", "Налаживайте выпуск запчастей", None, None)]),
    # orders given as nouns: one per conjoined head in the head's case, in the nominative
    (("Аким области Серик Шапкенов дал ряд поручений по ремонту дорог, благоустройству дворов "
      "и газификации сел."),
     [("Серик Шапкенов", "ремонт дорог", None, None),
      ("Серик Шапкенов", "благоустройство дворов", None, None),
      ("Серик Шапкенов", "газификация сел", None, None)]),
    # the addressee between "дал" and "поручений", the content after "связанных с"; "малого и
    # среднего" does not split, a participle clause after a comma ends the list
    (("Президент Касым-Жомарт Токаев дал акимам районов ряд поручений, связанных с поддержкой малого "
      "и среднего бизнеса, озвученных ранее."),
     [("Касым-Жомарт Токаев", "поддержка малого и среднего бизнеса", "акимам районов", None)]),
]


@pytest.mark.parametrize(("text", "expected"), INSTRUCTIONS)
def test_instructions(text: str, expected: list) -> None:
    assert instructions(text) == expected


NOT_INSTRUCTIONS = [
    # a judgement in direct speech, not an order
    "«Необходимо создать условия для бизнеса», — сказал Премьер-министр Олжас Бектенов.",
    # "поручение" as a noun without "дал"
    "Аким Ерлан Ахметов рассказал о выполнении поручения.",
    # a cut-off text leaves a single word
    "Президент Касым-Жомарт Токаев дал поручение удел",
    # an order whose content is not given
    "Глава государства Касым-Жомарт Токаев дал поручения акиму Жамбылской области.",
    # "отметил необходимость" is a remark; "подчеркнул/указал на необходимость" would be an order
    "Министр Бахыт Султанов отметил необходимость пересмотра тарифов.",
    # in speech: a rule stated after "что", a modal, the speaker's "мы должны", "то есть"
    ("«Отмечу, что каждое поручение должно исполняться в срок. Мы должны работать слаженно. То есть "
     "есть резервы», — сказал Премьер-министр Олжас Бектенов."),
    # imperatives that only address the listener
    "«Давайте посмотрим на цифры. Поймите, это важно», — сказал аким Ерлан Ахметов.",
]


@pytest.mark.parametrize("text", NOT_INSTRUCTIONS)
def test_not_instructions(text: str) -> None:
    assert instructions(text) == []


def test_gapped_deadline_gives_a_second_task() -> None:
    text = ("Премьер-министр Алихан Смаилов поручил до 10 июня т.г. внести проект закона, "
            "до 1.09.2023 г. — с учетом замечаний.")
    got = instructions(text)
    assert [(t, d) for _, t, _, d in got] == [
        ("внести проект закона", "2023-06-10"),
        ("внести проект закона с учетом замечаний", "2023-09-01")]


TITLE = "Аким Караганды Ермаган Булекбаев поручил ускорить ремонт школ\n"
QUOTE = "Аким провел совещание. «Необходимо до 1 сентября завершить ремонт школ в Майкудуке», — поручил Ермаган Булекбаев."
LEAD = "Министр энергетики Алмасадам Саткалиев поручил навести порядок на угольном рынке области.\n"


@pytest.mark.parametrize("text, expected", [
    # a headline alone is the only telling of the order: kept
    (TITLE + "Аким провел совещание в акимате.", ["ускорить ремонт школ"]),
    # a headline that sums up the order the body gives in full: the body's alone
    (TITLE + QUOTE, ["завершить ремонт школ в Майкудуке"]),
    # a lead sentence restating the quoted order (two words in common): the quote's alone
    (LEAD + "«Поручаю акимату установить порядок на угольном рынке», — сказал Алмасадам Саткалиев.",
     ["установить порядок на угольном рынке"]),
    # a lead sentence with an order of its own (one word in common with the next): both
    (("Министр Алмасадам Саткалиев поручил проверить запасы угля после перебоев с поставками.\n"
      "Министр Алмасадам Саткалиев потребовал оперативно решать вопросы поставок мазута."),
     ["проверить запасы угля после перебоев с поставками", "оперативно решать вопросы поставок мазута"]),
    # another issuer's order in the body does not absorb the headline's
    (TITLE + "«Нужно завершить ремонт школ», — поручил Нурлан Ногаев.",
     ["ускорить ремонт школ", "завершить ремонт школ"]),
])
def test_a_title_or_lead_that_restates_the_body_is_one_instruction(text, expected):
    assert [t for _, t, _, _ in instructions(text)] == expected
