"""The instructions board: filters, grouping by responsible body, pages and downloads of what it shows."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from qala.store import schema
from qala.store.db import transaction
from web.webtools import factories

BODIES = ["Министерству энергетики", "акиматам областей", "Министерству финансов"]


@pytest.fixture
def client(tmp_path):
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_store(engine)
    with transaction(engine) as session:  # 70 more orders, to three bodies, by the seeded Prime Minister
        doc = session.get(schema.Document, ids["doc1"])
        for n in range(70):
            session.add(schema.Instruction(document_id=doc.id, ordinal=10 + n, issuer_id=ids["person"],
                                           text=f"Подготовить предложения № {n}", addressee=BODIES[n % 3],
                                           status="new", span_start=0, span_stop=10))
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.ids = ids
        yield c


def cards(html: str) -> int:
    return len(re.findall(r'<article class="card instr', html))


def test_board_filters_by_body_issuer_year_and_status(client):
    everything = client.get("/instructions").text
    assert "найдено: 72" in everything and cards(everything) == 60  # the first page of 72
    assert "страница 1 из 2" in everything
    assert cards(client.get("/instructions?page=2").text) == 12
    energy = client.get("/instructions", params={"body": "энергетики"}).text
    assert "найдено: 24" in energy and cards(energy) == 24
    assert cards(client.get("/instructions", params={"issuer": "мамин", "body": "финансов"}).text) == 23
    assert "найдено: 0" in client.get("/instructions", params={"issuer": "Токаев"}).text
    assert "найдено: 72" in client.get("/instructions", params={"year": "2021"}).text
    assert "найдено: 0" in client.get("/instructions", params={"year": "2019"}).text
    overdue = client.get("/instructions", params={"status": "overdue"}).text
    assert "найдено: 1" in overdue and f'id="instruction-{client.ids["instruction_overdue"]}"' in overdue


def test_board_groups_by_responsible_body(client):
    html = client.get("/instructions", params={"group": "body", "body": "Министерству"}).text
    groups = re.findall(r'<section class="body-group">\s*<h2>([^<]+) <small>\((\d+)\)', html)
    assert groups == [("Министерству финансов", "23"), ("Министерству энергетики", "24")]


@pytest.mark.parametrize("params", [{"year": "двадцать"}, {"status": "lost"}, {"territory": "Атлантида"},
                                    {"body": "x" * 500}, {"page": "0"}, {"issuer": "'; DROP TABLE instructions; --"}])
def test_hostile_or_wrong_filters_are_a_clear_answer_not_a_failure(client, params):
    r = client.get("/instructions", params=params)
    assert r.status_code in (200, 400, 404, 422), r.status_code
    assert "Traceback" not in r.text
    assert client.get("/instructions").status_code == 200  # nothing lost


def test_download_what_the_board_shows(client):
    import pandas as pd

    r = client.get("/instructions.csv", params={"body": "энергетики"})
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(r.content), sep=";", encoding="utf-8-sig")
    assert len(frame) == 24 and set(frame["Исполнитель"]) == {"Министерству энергетики"}
    assert {"Кто поручил", "Поручение", "Срок", "Статус", "Ссылка", "Предложение"} <= set(frame.columns)
    assert set(frame["Статус"]) == {"новое"} and frame["Ссылка"].str.startswith("https://").all()
    x = client.get("/instructions.xlsx", params={"status": "overdue"})
    book = pd.read_excel(io.BytesIO(x.content), sheet_name="Поручения")
    assert len(book) == 1 and book["Статус"].tolist() == ["просрочено"]
    wrong = client.get("/instructions.pdf")
    assert wrong.status_code == 422 and "csv or .xlsx" in wrong.text
