"""Events: meetings, trips, visits and receptions with chair, place, speakers, participants, topics."""

from __future__ import annotations

from qala.extractor import extract

MEETING = (
    "Премьер-министр Алихан Смаилов в ходе рабочей поездки в г. Шымкент провел совещание по вопросам "
    "развития туризма.\n"
    "С докладами выступили аким г. Шымкент Габит Сыздыкбеков и его заместители. В обсуждении приняли "
    "участие министр энергетики Болат Акчулаков, министр финансов Ерулан Жамаубаев.\n"
    "Рассмотрены вопросы строительства дорог, водоснабжения и газификации города.\n"
    "Затем А. Смаилов посетил новый индустриальный парк."
)


def test_meeting_with_speakers_participants_and_topics() -> None:
    events = extract(MEETING, "2022-06-01").events
    kinds = [e.kind for e in events]
    assert kinds == ["рабочая поездка", "совещание", "посещение"]
    trip, meeting, visit = events
    assert trip.place == "г. Шымкент"
    assert meeting.title == "совещание по вопросам развития туризма"
    assert meeting.date == "2022-06-01"
    assert meeting.chair == "Алихан Смаилов"
    assert meeting.place == "г. Шымкент"
    assert meeting.speakers == ("Габит Сыздыкбеков",)
    assert meeting.participants == ("Габит Сыздыкбеков", "Болат Акчулаков", "Ерулан Жамаубаев")
    assert meeting.topics == ("строительство дорог", "водоснабжение", "газификация города")
    assert visit.title == "новый индустриальный парк"
    assert visit.chair == "Алихан Смаилов"
    for e in events:
        assert 0 <= e.span[0] < e.span[1] <= len(MEETING)


def test_reception() -> None:
    text = "Президент Касым-Жомарт Токаев принял акима Павлодарской области Асаина Баймуханова."
    (event,) = extract(text, "2022-06-01").events
    assert event.kind == "прием"
    assert event.chair == "Касым-Жомарт Токаев"
    assert event.participants == ("Асаин Баймуханов",)


def test_kind_word_without_an_event() -> None:
    # a meeting only mentioned, not held
    assert extract("Аким Ерлан Ахметов рассказал о планах на заседании.", "2022-06-01").events == ()
