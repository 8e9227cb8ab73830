"""End-to-end in headless Chromium: a справка downloaded from the territory page and read back; regions
compared side by side, ranked, with a bar chart."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from web.webtools import shot

pytestmark = pytest.mark.browser


def test_download_a_briefing_from_the_territory_page(live_server, page, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing (make fonts installs it)")
    base = live_server["base"]
    page.goto(base + "/")
    button = page.locator("p.brief-links a.brief")
    assert button.inner_text() == "Справка (PDF)"
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"spravka-750000000-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    assert "Справка о социально-экономическом развитии: Алматы" in text
    assert "Ключевые показатели" in text and "Источники" in text
    assert "составил" in text and "трлн тенге" in text
    assert "https://example.kz/" in text  # sources carry their links
    assert page.js_errors == []


def test_compare_regions_from_a_key_indicator(live_server, page):
    base = live_server["base"]
    page.goto(base + "/")
    page.locator('article.indicator[data-code="industrial_output"] a.compare-link').click()
    page.wait_for_url(re.compile(r"/compare\?indicator=industrial_output&period="))
    page.wait_for_selector("#compare-chart .main-svg")  # Plotly, served locally, drew the bars
    rows = page.locator("table.compare tr.ranked")
    assert rows.count() >= 1
    values = [float(rows.nth(i).get_attribute("data-value")) for i in range(rows.count())]
    assert values == sorted(values, reverse=True)
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == \
        [str(n) for n in range(1, rows.count() + 1)]
    assert "Вид периода: год" in page.locator("main").inner_text()
    assert page.locator("ul.gaps li.gap").count() + rows.count() == 20  # every region: ranked or a gap
    shot(page, "compare")
    # another period from the form: the 2023 figures, where Pavlodar's two reports are merged
    page.select_option("select[name=period]", "2023")
    page.click("form.compare-form button[type=submit]")
    page.wait_for_url(re.compile(r"period=2023"))
    assert page.locator('table.compare tr.ranked[data-kato="550000000"]').count() == 1
    assert page.js_errors == []
