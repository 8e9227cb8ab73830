"""Helpers for the web tests: the API tests' factories, Chromium settings, screenshots, sign-in."""

from __future__ import annotations

from pathlib import Path

from api import factories

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "docs" / "screenshots"
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
