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
