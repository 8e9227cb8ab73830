"""Instruction control: deadlines, bodies, status history, overdue, discipline, repeats."""

from __future__ import annotations

import datetime as dt

import pytest

from qala.errors import InvalidInput, NotFound
from qala.monitor.control import (
    discipline_summary,
    list_instructions,
    list_overdue,
    responsible_body,
    set_status,
)
from qala.monitor.deadlines import resolve_deadline
from qala.monitor.recompute import recompute_all
from tests.monitor.factories import Rows

MEETING = dt.date(2021, 2, 4)


@pytest.mark.parametrize("phrase, expected", [
    ("в месячный срок", "2021-03-04"),
    ("в двухмесячный срок", "2021-04-04"),
    ("в недельный срок", "2021-02-11"),
    ("в десятидневный срок", "2021-02-14"),
    ("в течение двух недель", "2021-02-18"),
    ("в течение 10 дней", "2021-02-14"),
    ("до 1 июля 2021 года", "2021-07-01"),
    ("до 20 января", "2022-01-20"),          # already past this year: the next one
    ("до 15.09.2021", "2021-09-15"),
    ("до конца года", "2021-12-31"),
    ("до конца 2022 года", "2022-12-31"),
    ("до конца первого полугодия", "2021-06-30"),
    ("до конца III квартала", "2021-09-30"),
    ("в кратчайшие сроки", None),
    ("на постоянной основе", None),
    (None, None),
])
def test_deadlines(phrase, expected):
    got = resolve_deadline(phrase, MEETING)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize("addressee, text, expected", [
    (None, "Министерству здравоохранения обеспечить вакцинацию населения", "Министерство здравоохранения"),
    (None, "Акимату города Алматы совместно с министерством завершить строительство", "Акимат города Алматы"),
    (None, "Акиматам областей принять меры по газификации", "Акиматы областей"),
    ("Министерству финансов", "выделить средства", "Министерство финансов"),
    ("Минфин", "выделить средства", "Минфин"),
    (None, "ускорить строительство школ", None),
])
def test_responsible_body(addressee, text, expected):
    assert responsible_body(addressee, text) == expected


@pytest.fixture
def meeting(engine):
    rows = Rows(engine)
    doc = rows.document("Совещание по развитию города.", "2021-02-04")
    ids = {
        "gas": rows.instruction(doc, "Министерству энергетики в месячный срок обеспечить подачу газа в новые районы"),
        "schools": rows.instruction(doc, "Акимату города завершить строительство школ", deadline_text="до конца года"),
        "roads": rows.instruction(doc, "Акимату города отремонтировать дороги", deadline_text="до 1 мая 2021 года"),
        "open": rows.instruction(doc, "Всем госорганам усилить работу с обращениями граждан"),
    }
    ids["roads_sub"] = rows.instruction(doc, "Акимату города отремонтировать мосты", parent_id=ids["roads"])
    recompute_all(engine, today=dt.date(2021, 2, 5))
    return rows, doc, ids


def test_deadlines_are_resolved_from_the_meeting_date(engine, meeting):
    _rows, _doc, ids = meeting
    got = {i["id"]: i["deadline"] for i in list_instructions(engine)}
    assert got[ids["gas"]] == "2021-03-04" and got[ids["schools"]] == "2021-12-31"
    assert got[ids["open"]] is None


def test_status_history_and_overdue(engine, meeting):
    _rows, _doc, ids = meeting
    set_status(engine, ids["gas"], "in_progress", "controller", "письмо направлено")
    set_status(engine, ids["roads"], "done", "controller")
    overdue = list_overdue(engine, today=dt.date(2021, 6, 1))
    assert [o["id"] for o in overdue] == [ids["gas"]]
    assert overdue[0]["days_overdue"] == (dt.date(2021, 6, 1) - dt.date(2021, 3, 4)).days
    assert overdue[0]["status_label"] == "просрочено"
    (item,) = [i for i in list_instructions(engine) if i["id"] == ids["gas"]]
    assert [(h["status"], h["changed_by"], h["note"]) for h in item["history"]] == [
        ("in_progress", "controller", "письмо направлено")]
    assert list_overdue(engine, today=dt.date(2021, 3, 4)) == []


def test_children_are_listed(engine, meeting):
    _rows, _doc, ids = meeting
    (roads,) = [i for i in list_instructions(engine) if i["id"] == ids["roads"]]
    assert roads["children"] == [ids["roads_sub"]]


def test_discipline_summary_per_body(engine, meeting):
    _rows, _doc, ids = meeting
    set_status(engine, ids["roads"], "done", "controller", at=dt.datetime(2021, 4, 20, 12))  # before 1 May
    set_status(engine, ids["gas"], "done", "controller", at=dt.datetime(2021, 3, 20, 12))    # after 4 March
    summary = {s["body"]: s for s in discipline_summary(engine, today=dt.date(2022, 1, 10))}
    city = summary["Акимат города"]   # roads done on time, schools overdue, bridges new (no deadline)
    assert (city["total"], city["done"], city["done_on_time"], city["overdue"], city["new"]) == (3, 1, 1, 1, 1)
    assert city["on_time_share"] == 0.5
    energy = summary["Министерство энергетики"]
    assert (energy["done"], energy["done_late"], energy["overdue"], energy["on_time_share"]) == (1, 1, 0, 0.0)
    assert summary["Все госорганы"]["overdue"] == 0


@pytest.mark.parametrize("status, error", [("finished", InvalidInput), ("done", NotFound)])
def test_bad_status_changes_are_refused(engine, meeting, status, error):
    with pytest.raises(error):
        set_status(engine, 999_999 if error is NotFound else meeting[2]["gas"], status, "controller")


def test_an_instruction_repeated_later_is_linked(engine, meeting):
    rows, _doc, ids = meeting
    later = rows.document("Повторное совещание.", "2021-05-10")
    again = rows.instruction(later, "Министерству энергетики обеспечить подачу газа в новые районы города")
    other = rows.instruction(later, "Министерству образования построить детские сады")
    recompute_all(engine, today=dt.date(2021, 5, 11))
    by_id = {i["id"]: i for i in list_instructions(engine)}
    assert by_id[again]["repeats_id"] == ids["gas"]
    assert by_id[ids["gas"]]["repeated_by"] == [again]
    assert by_id[other]["repeats_id"] is None
