"""Small factories: a store with a few documents, facts, persons, instructions, programs, meetings.

Rows are inserted through the schema models (no extractor involved), so API and page tests pin
the dashboard's behaviour whatever the extractor finds.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, select

from qala.auth import add_user
from qala.periods import parse_period
from qala.store import schema as s
from qala.store.db import transaction
from qala.store.reference import seed

PASSWORD = "correct horse battery"
ALMATY, ASTANA = "750000000", "710000000"

# (published, text, [(indicator, territory, period, value, unit, change%, phrase in text)])
DOCUMENTS = [
    ("2020-02-10", ("Итоги 2019 года в Алматы\n\nВ 2019 году объем промышленного производства в Алматы "
     "составил 850 млрд тенге. Безработица держалась на уровне 5,2%."),
     [("industrial_output", ALMATY, "2019", 850e9, "KZT", None, "850 млрд тенге"),
      ("unemployment_rate", ALMATY, "2019", 5.2, "%", None, "5,2%")]),
    ("2021-02-04", ("Аскар Мамин обсудил развитие Алматы\n\nПремьер-Министр Аскар Мамин провел совещание в "
     "акимате. В 2020 году объем промышленного производства в Алматы вырос на 4,6% и достиг 1,052 трлн "
     "тенге. Сформирован пул из 201 инвестиционного проекта. Глава Правительства поручил акимату до 1 июля "
     "завершить проекты. Рассмотрен Комплексный план «Новый Алматы». Текст <script>alert('x')</script> "
     "остается текстом."),
     [("industrial_output", ALMATY, "2020", 1.052e12, "KZT", 4.6, "1,052 трлн тенге"),
      ("investment_projects", ALMATY, "2021-2024", 201, "count", None, "201 инвестиционного проекта")]),
    ("2022-01-20", ("Промышленность Алматы в 2021 году\n\nОбъем промышленного производства Алматы за 2021 год "
     "составил 1,2 трлн тенге. В Астане ввели 2,1 млн квадратных метров жилья."),
     [("industrial_output", ALMATY, "2021", 1.2e12, "KZT", 8.0, "1,2 трлн тенге"),
      ("housing_commissioned", ASTANA, "2021", 2.1e6, "m2", None, "2,1 млн квадратных метров")]),
]


def _ids(session, model, column, values) -> dict:
    return {v: i for i, v in session.execute(select(model.id, column).where(column.in_(values))).all()}


def seed_store(engine: Engine, *, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty, migrated store; returns ids the tests refer to."""
    seed(engine)
    ids: dict[str, int] = {}
    with transaction(engine) as session:
        add_user(session, username="analyst", password=PASSWORD)
        terr = _ids(session, s.Territory, s.Territory.kato, [ALMATY, ASTANA])
        codes = {c for _, _, facts in DOCUMENTS for c, *_ in facts}
        ind = _ids(session, s.Indicator, s.Indicator.code, codes)
        source = s.Source(name="primeminister.kz", domain="primeminister.kz")
        session.add(source)
        for n, (published, text, facts) in enumerate(DOCUMENTS):
            doc = s.Document(text=text, title=text.split("\n")[0], published=dt.date.fromisoformat(published),
                             content_hash=f"hash-{n}", source=source, url=f"https://example.kz/{n}")
            session.add(doc)
            session.flush()
            ids[f"doc{n}"] = doc.id
            for k, (code, kato, period, value, unit, change, phrase) in enumerate(facts):
                p = parse_period(period)
                start = text.index(phrase)
                fact = s.Fact(document_id=doc.id, ordinal=k, indicator_id=ind[code], indicator_text=code,
                              territory_id=terr[kato], territory_text=kato, period=period,
                              period_start=p.start, period_end=p.end, granularity=p.granularity, value=value,
                              unit=unit, change_kind="percent" if change else None, change_value=change,
                              change_direction="up" if change else None,
                              object="инвестиционный проект" if unit == "count" else None,
                              span_start=start, span_stop=start + len(phrase))
                session.add(fact)
                session.flush()
                ids[f"fact{n}.{k}"] = fact.id
        doc_id, text = ids["doc1"], DOCUMENTS[1][1]
        person = s.Person(full_name="Аскар Мамин", surname="мамин")
        session.add(person)
        session.flush()
        ids["person"] = person.id
        start = text.index("Аскар Мамин провел")
        session.add(s.PersonMention(person_id=person.id, document_id=doc_id, span_start=start,
                                    span_stop=start + len("Аскар Мамин")))
        session.add(s.Post(person_id=person.id, document_id=doc_id, title="Премьер-Министр",
                           as_of=dt.date(2021, 2, 4), territory_id=terr[ALMATY]))
        sentence = "Глава Правительства поручил акимату до 1 июля завершить проекты."
        start = text.index(sentence)
        overdue = s.Instruction(document_id=doc_id, ordinal=0, issuer_id=person.id, text=sentence,
                                addressee="акимат", deadline_text="до 1 июля", deadline=dt.date(2021, 7, 1),
                                status="new", span_start=start, span_stop=start + len(sentence))
        fresh = s.Instruction(document_id=doc_id, ordinal=1, issuer_id=person.id, text="Подготовить отчет.",
                              deadline=(today or dt.date.today()) + dt.timedelta(days=60), status="new",
                              span_start=start, span_stop=start + len(sentence))
        session.add_all([overdue, fresh])
        program = s.Program(name="Комплексный план «Новый Алматы»", kind="план", period="2020-2024")
        session.add(program)
        session.flush()
        ids["instruction_overdue"], ids["instruction_new"], ids["program"] = overdue.id, fresh.id, program.id
        start = text.index("Комплексный план")
        session.add(s.ProgramMention(program_id=program.id, document_id=doc_id, span_start=start,
                                     span_stop=start + len("Комплексный план «Новый Алматы»")))
        meeting = s.Meeting(document_id=doc_id, kind="meeting", title="Совещание о развитии Алматы",
                            date=dt.date(2021, 2, 4), place="акимат", chair_id=person.id,
                            chair_text="Аскар Мамин", topics=["промышленность"], span_start=0, span_stop=10)
        session.add(meeting)
        session.flush()
        ids["meeting"] = meeting.id
        session.add_all([s.MeetingParticipant(meeting_id=meeting.id, person_id=person.id, name="Аскар Мамин",
                                              role="speaker"),
                         s.MeetingParticipant(meeting_id=meeting.id, name="Бакытжан Сагинтаев",
                                              role="participant")])
    return ids


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


# Documents written for the monitoring tests: a later estimate contradicting doc1's 2020 figure while
# repeating doc0's 2019 figure, and a housing plan for 2023 that a 2024 report shows was met.
MONITORING_DOCUMENTS = [
    ("2022-03-01", ("Уточненные данные по Алматы\n\nПо уточненной оценке, в 2020 году объем промышленного "
     "производства Алматы составил 1,3 трлн тенге, а в 2019 году — 850 млрд тенге. В 2023 году в Алматы "
     "планируется ввести 1,5 млн квадратных метров жилья."),
     [("industrial_output", ALMATY, "2020", 1.3e12, "KZT", None, "1,3 трлн тенге"),
      ("industrial_output", ALMATY, "2019", 850e9, "KZT", None, "850 млрд тенге"),
      ("housing_commissioned", ALMATY, "2023", 1.5e6, "m2", None, "1,5 млн квадратных метров")]),
    ("2024-01-25", ("Жилье в Алматы\n\nВ 2023 году в Алматы ввели 1,6 млн квадратных метров жилья."),
     [("housing_commissioned", ALMATY, "2023", 1.6e6, "m2", None, "1,6 млн квадратных метров")]),
]


def seed_monitoring(engine: Engine, ids: dict[str, int]) -> dict[str, int]:
    """Add MONITORING_DOCUMENTS to a seeded store; ids gain doc3, doc4 and fact3.0 ... fact4.0."""
    with transaction(engine) as session:
        terr = _ids(session, s.Territory, s.Territory.kato, [ALMATY])
        ind = _ids(session, s.Indicator, s.Indicator.code, {c for _, _, fs in MONITORING_DOCUMENTS for c, *_ in fs})
        for n, (published, text, facts) in enumerate(MONITORING_DOCUMENTS, start=len(DOCUMENTS)):
            doc = s.Document(text=text, title=text.split("\n")[0], published=dt.date.fromisoformat(published),
                             content_hash=f"hash-{n}", url=f"https://example.kz/{n}")
            session.add(doc)
            session.flush()
            ids[f"doc{n}"] = doc.id
            for k, (code, kato, period, value, unit, _change, phrase) in enumerate(facts):
                p = parse_period(period)
                start = text.index(phrase)
                fact = s.Fact(document_id=doc.id, ordinal=k, indicator_id=ind[code], indicator_text=code,
                              territory_id=terr[kato], territory_text=kato, period=period, period_start=p.start,
                              period_end=p.end, granularity=p.granularity, value=value, unit=unit,
                              span_start=start, span_stop=start + len(phrase))
                session.add(fact)
                session.flush()
                ids[f"fact{n}.{k}"] = fact.id
    return ids
