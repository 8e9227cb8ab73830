"""End-to-end in headless Chromium: figures lead to their sentence, documents are added, statuses change."""

from __future__ import annotations

import re

import pytest

from web.webtools import shot, sign_in

pytestmark = pytest.mark.browser


def test_territory_figure_opens_its_highlighted_sentence(live_server, page):
    base = live_server["base"]
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Алматы"
    page.wait_for_selector(".chart .main-svg")  # Plotly, served locally, drew the series
    shot(page, "territory")
    # axes in Russian: the scale as a word ("трлн", never "3T"), a decimal comma, Russian months
    y_ticks = page.eval_on_selector_all(".chart .ytick text", "els => els.map(e => e.textContent)")
    x_ticks = " ".join(page.eval_on_selector_all(".chart .xtick text", "els => els.map(e => e.textContent)"))
    assert y_ticks and any(re.search(r"(трлн|млрд|млн|тыс\.)$", t) for t in y_ticks), y_ticks
    assert not any(re.search(r"\d[kMGT]$|\d\.\d", t) for t in y_ticks), y_ticks
    assert not re.search(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec", x_ticks), x_ticks
    figure = page.locator("article.indicator a.figure").first
    href = figure.get_attribute("href")
    key = href.split("#", 1)[1]
    figure.click()
    page.wait_for_url(re.compile(r"/documents/\d+#fact-\d+"))
    highlighted = page.locator(".sent.highlight")
    highlighted.wait_for()
    assert highlighted.count() == 1
    assert highlighted.locator(f'mark[data-items~="{key}"]').count() >= 1
    assert page.js_errors == []


def test_clicking_an_item_highlights_its_sentence(live_server, page):
    base, ids = live_server["base"], live_server["ids"]
    page.goto(f"{base}/documents/{ids['doc1']}")
    page.click(f'a.item[data-item="fact-{ids["fact1.0"]}"]')
    sentence = page.locator(".sent.highlight")
    assert "1,052 трлн тенге" in sentence.inner_text()
    page.click('a.item.person')
    assert "Аскар Мамин" in page.locator(".sent.highlight").inner_text()
    assert page.locator(".sent.highlight").count() == 1
    # the document's <script> is shown as text and never runs
    assert "<script>alert('x')</script>" in page.locator("#doc-text").inner_text()
    shot(page, "document")
    assert page.js_errors == []


def test_add_a_document_and_recover_from_a_bad_field(live_server, page):
    base = live_server["base"]
    sign_in(page, base)
    page.goto(base + "/add")
    text = ("Аким Шымкента подвел итоги квартала\n\nВ первом квартале 2024 года объем промышленного "
            "производства Шымкента вырос на 3,6%. <img src=x onerror=alert(1)> остается текстом.")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=published]", "31.02.2024'; DROP TABLE documents; --")
    shot(page, "add")
    page.click("form.add-form button[type=submit]")
    error = page.locator(".error")
    error.wait_for()
    assert "2024" in error.inner_text() or "date" in error.inner_text()
    assert page.input_value("textarea[name=text]") == text  # nothing lost
    page.fill("input[name=published]", "2024-04-10")
    page.click("form.add-form button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    assert "<img src=x onerror=alert(1)>" in page.locator("#doc-text").inner_text()
    assert page.js_errors == []


def test_change_an_instruction_status(live_server, page):
    base, ids = live_server["base"], live_server["ids"]
    sign_in(page, base)
    page.goto(base + "/instructions")
    card = page.locator(f"#instruction-{ids['instruction_new']}")
    assert card.locator("xpath=ancestor::section").get_attribute("data-status") == "new"
    card.locator("select[name=status]").select_option("in_progress")
    card.locator("input[name=note]").fill("взято в работу")
    card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/instructions\?changed="))
    card = page.locator(f"#instruction-{ids['instruction_new']}")
    assert card.locator("xpath=ancestor::section").get_attribute("data-status") == "in_progress"
    card.locator("details.history summary").click()
    assert "в работе, analyst: «взято в работу»" in card.locator("details.history").inner_text()
    overdue = page.locator(f"#instruction-{ids['instruction_overdue']}")
    assert overdue.locator("xpath=ancestor::section").get_attribute("data-status") == "overdue"
    shot(page, "instructions")


def test_persons_and_search_pages(live_server, page):
    base = live_server["base"]
    page.goto(base + "/persons")
    assert page.locator("table.table tbody tr").count() >= 3
    assert "Премьер-Министр" in page.locator("table.table").inner_text()
    shot(page, "persons")
    page.fill("header input[name=q]", "безработицы")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/documents\?q="))
    assert page.locator("ul.docs li").count() >= 2
    shot(page, "search")


def test_territory_page_shows_a_contradiction_side_by_side(live_server, page):
    from web.webtools import PAVLODAR

    base = live_server["base"]
    page.goto(f"{base}/territories/{PAVLODAR}")
    check = page.locator("section.checks article.check.contradiction").first
    check.wait_for()
    sides = check.locator("blockquote.side")
    assert sides.count() == 2
    texts = sorted(sides.nth(i).inner_text() for i in range(2))
    assert "4,8 трлн тенге" in " ".join(texts) and "5,6 трлн тенге" in " ".join(texts)
    # the card shows the merged point (the larger report) and says the reports differ
    card = page.locator('article.indicator[data-code="industrial_output"]')
    assert card.locator("p.latest").inner_text().strip() == "5,6 трлн тенге"
    disagree = card.locator("p.disagree a")
    assert disagree.inner_text() == "разные данные: 4,8–5,6 трлн тенге"
    assert disagree.get_attribute("href") == "#" + check.get_attribute("id")
    shot(page, "checks")
    disagree.click()
    page.wait_for_url(re.compile(r"#check-\d+$"))
    assert check.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    sides.nth(0).locator("a").click()
    page.wait_for_url(re.compile(r"/documents/\d+#fact-\d+"))
    assert page.locator(".sent.highlight").count() == 1
    assert page.js_errors == []


def test_reject_a_figure_and_see_it_struck_through(live_server, page):
    base, ids = live_server["base"], live_server["ids"]
    sign_in(page, base)
    page.goto(f"{base}/documents/{ids['doc3']}")
    item = page.locator(f"#review-{ids['fact3.0']}")
    assert "line-through" not in item.locator("a.item").evaluate("e => getComputedStyle(e).textDecorationLine")
    item.locator("button[value=reject]").click()
    page.wait_for_url(re.compile(rf"/documents/{ids['doc3']}\?reviewed="))
    item = page.locator(f"#review-{ids['fact3.0']}")
    assert item.locator(".review-state").inner_text() == "отклонено"
    assert "line-through" in item.locator("a.item").evaluate("e => getComputedStyle(e).textDecorationLine")
    item.locator("details.review-history summary").click()
    assert "отклонено, analyst" in item.locator("details.review-history").inner_text()
    shot(page, "review")
    assert page.js_errors == []


def test_filter_the_board_by_body_and_group_it(live_server, page):
    base = live_server["base"]
    page.goto(base + "/instructions")
    total = page.locator("article.instr").count()
    page.fill("form.filters input[name=body]", "акимат")
    page.select_option("form.filters select[name=group]", "body")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"/instructions\?.*body=%D0%B0%D0%BA%D0%B8%D0%BC%D0%B0%D1%82"))
    shown = page.locator("article.instr")
    assert 0 < shown.count() < total
    for n in range(shown.count()):
        assert "акимат" in shown.nth(n).locator("dl.meta").inner_text().lower()
    assert page.locator("section.body-group h2").count() >= 1
    assert page.locator("a[href^='/instructions.xlsx?']").get_attribute("href").count("body=") == 1
    assert page.js_errors == []
