"""Every page type at a desktop width and at a phone's 390 px: no sideways scroll (tables scroll
inside their box), headings in order, every control reachable from the keyboard; a screenshot of
each at both widths (committed under docs/screenshots by `make screenshots`)."""

from __future__ import annotations

import itertools

import pytest

from web.webtools import PAVLODAR, shot, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
# page type -> path (ids from the live server's store), and whether it needs a signed-in user
PAGES = {
    "territory": ("/", False),
    "territory-checks": (f"/territories/{PAVLODAR}", False),
    "document": ("/documents/{doc1}", False),
    "documents": ("/documents?q=промышленного", False),
    "persons": ("/persons", False),
    "territory-facts": ("/territories/750000000/facts", False),
    "instructions": ("/instructions", False),
    "compare": ("/compare?indicator=industrial_output", False),
    "add": ("/add", True),
    "sources": ("/sources", True),
    "login": ("/login", False),
    "not-found": ("/documents/999999", False),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_its_width_with_ordered_headings_and_reachable_controls(live_server, browser, name, width):
    base, ids = live_server["base"], live_server["ids"]
    path, signed_in = PAGES[name]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ru-RU")
    page = context.new_page()
    try:
        if signed_in:
            sign_in(page, base)
        page.goto(base + path.format(**ids))
        page.wait_for_load_state("load")
        if page.locator(".chart").count():
            page.wait_for_selector(".chart .main-svg")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect(); if (r.width === 0) return false;
            let p = e.parentElement; while (p) { const o = getComputedStyle(p).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; p = p.parentElement; }
            return r.right > document.documentElement.clientWidth + 1; }).slice(0, 5).map(e => e.tagName + '.' + e.className)""")
        assert overflow <= 0 and not wide, f"{name} at {width}px scrolls sideways by {overflow}px: {wide}"
        levels = page.evaluate("() => [...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
                               ".map(h => +h.tagName[1])")
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{name}: headings {levels}"
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"{name}: a level skipped {levels}"
        unreachable = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
            .filter(e => e.tabIndex < 0 && e.type !== 'hidden').map(e => e.outerHTML.slice(0, 80))""")
        assert unreachable == [], f"{name}: not reachable by Tab: {unreachable}"
        shot(page, f"{name}-{width}")
    finally:
        context.close()
