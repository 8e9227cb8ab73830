"""A territory's figures as a table (filters, sorting, pages, downloads) and persons by organization."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from qala.api import create_app
from qala.config import Settings
from qala.store import schema
from qala.store.db import transaction
from web.webtools import factories

ALMATY = factories.ALMATY


@pytest.fixture
def client(tmp_path):
    from qala.store.db import open_store

    url = f"sqlite:///{tmp_path / 'qala.sqlite3'}"
    engine = open_store(url)
    ids = factories.seed_store(engine)
    with transaction(engine) as session:  # the Prime Minister's post in an office, and a minister's in a ministry
        office = schema.Organization(name="Канцелярия Премьер-Министра", kind="government")
        ministry = schema.Organization(name="Министерство энергетики", kind="ministry")
        session.add_all([office, ministry])
        session.flush()
        session.get(schema.Post, session.query(schema.Post.id).first()[0]).organization_id = office.id
        person = schema.Person(full_name="Нурлан Ногаев", surname="ногаев")
        session.add(person)
        session.flush()
        session.add(schema.Post(person_id=person.id, document_id=ids["doc1"], title="министр энергетики",
                                organization_id=ministry.id))
    with TestClient(create_app(Settings(database_url=url, secret_key="k"), engine=engine)) as c:
        c.ids = ids
        yield c


def values(html: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]+)', html)


def test_a_territorys_figures_filtered_and_sorted(client):
    every = client.get(f"/territories/{ALMATY}/facts")
    assert every.status_code == 200 and "найдено: 5" in every.text
    assert values(every.text)[-2:] == ["850 млрд тенге", "5,2%"]  # newest period first: 2019 last
    by_value = client.get(f"/territories/{ALMATY}/facts", params={"sort": "value", "order": "asc"}).text
    assert values(by_value)[0] == "5,2%" and values(by_value)[-1] == "1,2 трлн тенге"
    output = client.get(f"/territories/{ALMATY}/facts", params={"indicator": "industrial_output"}).text
    assert "найдено: 3" in output
    years = client.get(f"/territories/{ALMATY}/facts", params={"kind": "year", "period": "2020-2021"}).text
    assert "найдено: 2" in years
    assert "найдено: 0" in client.get(f"/territories/{ALMATY}/facts", params={"reviewed": "1"}).text
    assert f'href="/territories/{ALMATY}/facts"' in client.get(f"/territories/{ALMATY}").text  # linked


@pytest.mark.parametrize("params", [{"sort": "price; DROP TABLE facts"}, {"kind": "decade"}, {"period": "вчера"},
                                    {"page": "0"}, {"indicator": "x" * 300}])
def test_wrong_table_filters_are_a_clear_answer(client, params):
    r = client.get(f"/territories/{ALMATY}/facts", params=params)
    assert r.status_code in (200, 422) and "Traceback" not in r.text
    assert client.get(f"/territories/{ALMATY}/facts").status_code == 200


def test_download_the_table_with_sentences_and_links(client):
    r = client.get(f"/territories/{ALMATY}/facts.csv", params={"indicator": "industrial_output"})
    frame = pd.read_csv(io.BytesIO(r.content), sep=";", encoding="utf-8-sig")
    assert len(frame) == 3 and set(frame["Вид периода"]) == {"год"}
    assert frame["Предложение"].str.contains("промышленного производства").all()
    assert frame["Ссылка"].str.startswith("https://").all()
    book = pd.read_excel(io.BytesIO(client.get(f"/territories/{ALMATY}/facts.xlsx").content), sheet_name="Цифры")
    assert len(book) == 5 and "Проверка" in book.columns


def test_persons_by_organization(client):
    def persons(**params) -> list[str]:
        return re.findall(r"<tr><td>([^<]+)</td>", client.get("/persons", params=params).text)

    assert persons(organization="министерство") == ["Нурлан Ногаев"]
    assert persons(organization="Канцелярия") == ["Аскар Мамин"]
    assert sorted(persons()) == ["Аскар Мамин", "Нурлан Ногаев"]
    frame = pd.read_csv(io.BytesIO(client.get("/persons.csv", params={"name": "ногаев"}).content), sep=";",
                        encoding="utf-8-sig")
    assert frame["Персона"].tolist() == ["Нурлан Ногаев"] and frame["Организация"].tolist() == ["Министерство энергетики"]
