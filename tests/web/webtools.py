"""Helpers for the web tests: the API tests' factories, Chromium settings, screenshots, sign-in."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from api import factories

HERE = Path(__file__).resolve().parent
# Tests write their screenshots here; `make screenshots` points it at docs/screenshots to refresh the
# committed ones (QALA_SCREENSHOTS), so an ordinary test run never changes the tree.
SCREENSHOTS = Path(os.environ.get("QALA_SCREENSHOTS") or Path(tempfile.gettempdir()) / "qala-screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state("load")


PAVLODAR = "550000000"
# Two reports, written for the tests, that disagree on one figure (a contradiction for the checks).
CONTRADICTING = [
    {"text": ("Павлодарская область подвела итоги 2023 года\n\nНа расширенном заседании акимата отметили, что в "
              "2023 году объем промышленного производства в Павлодарской области составил 4,8 трлн тенге."),
     "published": "2024-01-22", "source": "gov.kz", "url": "https://example.kz/pavlodar-a"},
    {"text": ("Экономика Павлодарской области: данные статистики\n\nПо сведениям управления статистики, объем "
              "промышленного производства Павлодарской области в 2023 году достиг 5,6 трлн тенге."),
     "published": "2024-03-11", "source": "stat.gov.kz", "url": "https://example.kz/pavlodar-b"},
]


KARAGANDA = "350000000"
# Two reports, written for the tests, that give different 2022 industrial output for one region (and a
# 2021 figure, so there is a series to chart). Rows as in factories.DOCUMENTS.
DISAGREEING = [
    ("2023-02-01", ("Промышленность Карагандинской области в 2022 году\n\nПо итогам 2022 года заводы "
     "Карагандинской области выпустили продукции на 4,1 трлн тенге; годом ранее выпуск оценивался в "
     "3,5 трлн тенге."),
     [("industrial_output", KARAGANDA, "2022", 4.1e12, "KZT", None, "4,1 трлн тенге"),
      ("industrial_output", KARAGANDA, "2021", 3.5e12, "KZT", None, "3,5 трлн тенге")]),
    ("2023-04-15", ("Статистики пересчитали итоги года\n\nОбластное управление статистики уточнило: за 2022 "
     "год промышленное производство Карагандинской области достигло 4,4 трлн тенге."),
     [("industrial_output", KARAGANDA, "2022", 4.4e12, "KZT", None, "4,4 трлн тенге")]),
]


def add_documents(engine, documents, *, prefix: str) -> dict[str, int]:
    """Insert documents and their facts straight through the schema (no extractor); returns ids named
    `{prefix}{n}` for documents and `{prefix}{n}.{k}` for their facts."""
    import datetime as dt

    from sqlalchemy import select

    from qala.periods import parse_period
    from qala.store import schema as s
    from qala.store.db import transaction

    ids: dict[str, int] = {}
    with transaction(engine) as session:
        for n, (published, text, facts) in enumerate(documents):
            doc = s.Document(text=text, title=text.split("\n")[0], published=dt.date.fromisoformat(published),
                             content_hash=f"{prefix}-{n}", url=f"https://example.kz/{prefix}/{n}")
            session.add(doc)
            session.flush()
            ids[f"{prefix}{n}"] = doc.id
            for k, (code, kato, period, value, unit, _change, phrase) in enumerate(facts):
                p, start = parse_period(period), text.index(phrase)
                fact = s.Fact(document_id=doc.id, ordinal=k, indicator_text=code, territory_text=kato,
                              indicator_id=session.scalar(select(s.Indicator.id).where(s.Indicator.code == code)),
                              territory_id=session.scalar(select(s.Territory.id).where(s.Territory.kato == kato)),
                              period=period, period_start=p.start, period_end=p.end, granularity=p.granularity,
                              value=value, unit=unit, span_start=start, span_stop=start + len(phrase))
                session.add(fact)
                session.flush()
                ids[f"{prefix}{n}.{k}"] = fact.id
    return ids


def card(html: str, code: str) -> str:
    """The key-indicator card of one indicator on a territory page."""
    start = html.index(f'<article class="card indicator" data-code="{code}">')
    return html[start:html.index("</article>", start)]
