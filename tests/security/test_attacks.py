"""Attacks on a live server (SQLite and PostgreSQL): private reads with made-up credentials, stored
script through a document's URL, NUL characters and lone surrogates everywhere text goes, copied
session cookies, oversized bodies, bad dates. Each test failed on the code before issue 13."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
from api.factories import ALMATY
from sqlalchemy import func, select

from qala.store import schema as s
from qala.store.db import open_store, transaction
from security.conftest import VALID, basic, csrf_of, sign_in

SQL_WORDS = ("INSERT", "SELECT", "UPDATE", "[SQL", "parameters:", "psycopg", "sqlite3.")


def documents_in(db_url: str) -> int:
    engine = open_store(db_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(s.Document))
    finally:
        engine.dispose()


def read_routes(live) -> list[str]:
    """Every GET route of the API, its path parameters filled with a stored document's id."""
    spec = httpx.get(live.url + "/api/openapi.json").json()
    doc = live.ids["doc1"]
    paths = []
    for path, operations in spec["paths"].items():
        if "get" in operations:
            paths.append(path.replace("{document_id}", str(doc)).replace("{key}", ALMATY)
                         .replace("{instruction_id}", "1").replace("{id}", "1"))
    assert len(paths) >= 15
    return paths


def posted(client: httpx.Client, payload: dict, headers: dict | None = None) -> httpx.Response:
    """POST /api/documents with the JSON written by hand: \\u escapes may carry lone surrogates."""
    return client.post("/api/documents", content=json.dumps(payload).encode(),
                       headers={"Content-Type": "application/json", **VALID, **(headers or {})})


# ================================================================ 1. private reads

def test_private_reads_need_credentials_that_are_right(live):
    with live.client() as client:
        for path in read_routes(live):
            for headers in ({}, basic("nobody", "nothing"), basic("analyst", "wrong password")):
                r = client.get(path, headers=headers)
                assert r.status_code in (401, 429), (path, headers, r.status_code, r.text[:200])
                assert "data" not in r.json() and "text" not in r.json()
            assert client.get(path, headers=VALID).status_code in (200, 404, 422), path
        for page in ("/", f"/documents/{live.ids['doc1']}", "/documents", "/persons", "/instructions",
                     f"/territories/{ALMATY}"):
            r = client.get(page, headers=basic("nobody", "nothing"))
            assert r.status_code in (303, 429) and "Мамин" not in r.text, page
            assert client.get(page, headers=VALID).status_code == 200, page


# ================================================================ 2. stored script

@pytest.mark.parametrize("url", ["javascript:alert(document.domain)//", "JaVaScRiPt:alert(1)",
                                 " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "https://", "//evil.example/x"])
def test_a_document_url_must_be_http(live, url):
    before = documents_in(live.db_url)
    with live.client() as client:
        r = posted(client, {"text": "В 2021 году в Алматы ввели 1,5 млн кв. м жилья.", "url": url})
        assert r.status_code == 422 and r.json()["error"].startswith("invalid url: expected an http"), r.text
        sign_in(client)
        form = {"csrf": csrf_of(client.get("/add").text), "text": "Жилье в Алматы: 1,5 млн кв. м.", "url": url}
        page = client.post("/add", data=form)
        assert page.status_code == 422 and "http://" in page.text and "Жилье в Алматы" in page.text
    assert documents_in(live.db_url) == before


def test_an_old_script_url_is_shown_as_text_with_a_policy_that_forbids_inline_script(live):
    engine = open_store(live.db_url)
    try:
        with transaction(engine) as session:
            doc = s.Document(text="Старая запись с опасной ссылкой.", title="Старая запись",
                             content_hash="stored-script-url", url="JavaScript:alert(document.domain)//")
            session.add(doc)
            session.flush()
            doc_id = doc.id
    finally:
        engine.dispose()
    with live.client() as client:
        r = client.get(f"/documents/{doc_id}", headers=VALID)
    assert r.status_code == 200 and "alert(document.domain)" in r.text
    assert 'href="JavaScript' not in r.text and "href=\"javascript" not in r.text.lower()
    policy = r.headers["content-security-policy"]
    script = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in policy
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "<script>" not in r.text.replace('<script type="application/json"', "")  # no inline script left


# ================================================================ 3. NUL characters and lone surrogates

@pytest.mark.parametrize(("path", "field"), [
    ("/api/facts?territory=%00", "territory"), ("/api/facts?indicator=a%00b", "indicator"),
    ("/api/search?q=%00", "q"), (f"/api/series?territory={ALMATY}&indicator=%00", "indicator"),
    ("/api/checks?territory=%00", "territory"), ("/api/commitments?territory=%00", "territory"),
    ("/api/persons?name=%00", "name"), ("/api/documents?x%00=1", "parameter name"),
])
def test_nul_in_a_query_parameter_is_a_422_naming_it(live, path, field):
    with live.client() as client:
        r = client.get(path, headers=VALID)
        assert r.status_code == 422, r.text
        assert r.json()["error"].startswith(f"invalid {field}: expected text without NUL"), r.json()
        assert client.get("/api/documents", headers=VALID).status_code == 200  # the connection lives on


@pytest.mark.parametrize("page", ["/territories/%00", "/documents?q=%00"])
def test_nul_in_a_page_address_is_a_page_saying_so(live, page):
    with live.client() as client:
        r = client.get(page, headers=VALID)
    assert r.status_code == 422 and "NUL" in r.text and "<html" in r.text


@pytest.mark.parametrize("field", ["text", "title", "url", "source", "published"])
@pytest.mark.parametrize("bad", ["\x00", chr(0xD800), chr(0xDFFF)], ids=["nul", "high-surrogate", "low-surrogate"])
def test_bad_characters_in_a_posted_document_name_the_field(live, field, bad):
    before = documents_in(live.db_url)
    payload = {"text": "В 2022 году в Шымкенте открыли 12 школ.", field: f"https://x.kz/{bad}"
               if field == "url" else f"до{bad}после"}
    with live.client() as client:
        r = posted(client, payload)
    error = r.json()["error"]
    assert r.status_code == 422 and error.startswith(f"invalid {field}: expected text without NUL"), error
    assert not any(word in error for word in SQL_WORDS)
    assert documents_in(live.db_url) == before


def test_a_nul_in_a_review_is_refused_and_every_page_still_answers(live):
    doc, fact = live.ids["doc1"], live.ids["fact1.0"]
    with live.client() as client:
        facts = client.get(f"/api/documents/{doc}", headers=VALID).json()["facts"]
        target = next(f for f in facts if f["id"] == fact)
        for after in ({"unit": "KZT\x00"}, {"period": "2020\ud800"}):
            body = {"document_id": doc, "item_kind": "fact", "span_start": target["span_start"],
                    "span_stop": target["span_stop"], "action": "correct", "after": after}
            r = client.post("/api/reviews", content=json.dumps(body).encode(),
                            headers={"Content-Type": "application/json", **VALID})
            assert r.status_code == 422 and r.json()["error"].startswith("invalid after."), r.text
        series = f"/api/series?territory={ALMATY}&indicator=industrial_output"
        for path in ("/", f"/documents/{doc}", "/instructions", series, "/api/checks", "/api/commitments"):
            assert client.get(path, headers=VALID).status_code == 200, path


# ================================================================ 4. dates

@pytest.mark.parametrize(("published", "message"), [
    ("2021-02-30", "expected a date like 2021-02-04"), ("вчера", "expected a date like 2021-02-04"),
    ("9999-12-31", "expected a year from 1900 to 2100"), ("0001-01-01", "expected a year from 1900"),
])
def test_a_bad_publication_date_is_refused_and_keeps_nothing(live, published, message):
    before = documents_in(live.db_url)
    with live.client() as client:
        r = posted(client, {"text": "В 2023 году в Астане построили 3 моста.", "published": published})
    assert r.status_code == 422 and r.json()["error"].startswith("invalid published: ") and message in r.text
    assert documents_in(live.db_url) == before


# ================================================================ 5. sessions

def test_a_cookie_copied_before_sign_out_is_refused_after_it(live):
    with live.client() as browser, live.client() as thief:
        assert sign_in(browser).status_code in (200, 303)
        thief.cookies.update(browser.cookies)
        assert thief.get("/api/documents").status_code == 200  # the copy works while signed in
        token = csrf_of(browser.get("/add").text)
        assert browser.post("/logout", data={"csrf": token}).status_code in (200, 303)
        assert thief.get("/api/documents").status_code == 401
        assert browser.get("/api/documents").status_code == 401
        assert sign_in(browser).status_code in (200, 303)  # signing in again works
        assert browser.get("/api/documents").status_code == 200


def test_a_new_password_signs_out_every_session_of_the_user(live):
    from qala.auth import add_user, set_password

    engine = open_store(live.db_url)
    try:
        with transaction(engine) as session:
            add_user(session, username="reviewer", password="first password 1")
        with live.client() as client:
            sign_in(client, "reviewer", "first password 1")
            assert client.get("/api/documents").status_code == 200
            assert client.get("/api/documents", headers=basic("reviewer", "first password 1")).status_code == 200
            with transaction(engine) as session:
                set_password(session, username="reviewer", password="second password 2")
            client.headers.pop("authorization", None)
            assert client.get("/api/documents").status_code == 401
            assert client.get("/api/documents", headers=basic("reviewer", "first password 1")).status_code == 401
            assert client.get("/api/documents", headers=basic("reviewer", "second password 2")).status_code == 200
    finally:
        engine.dispose()


def test_the_session_cookie_is_http_only_and_same_site(live):
    with live.client() as client:
        r = sign_in(client)
        cookie = next(h for h in r.history[0].headers.get_list("set-cookie") if h.startswith("qala_session=")) \
            if r.history else r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


# ================================================================ 6. bodies before sign-in

def raw_request(live, head: str, body: bytes = b"", wait: float = 5.0) -> tuple[str, float]:
    """Send a request by hand (headers that promise more than is sent); the status line and how
    long the answer took."""
    host, port = live.url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = sock.recv(4096).decode("latin-1")
    return answer.splitlines()[0], time.monotonic() - started


def test_a_huge_body_without_credentials_is_refused_before_it_is_read(live):
    line, took = raw_request(live, "POST /api/documents HTTP/1.1\nHost: x\nContent-Type: application/json\n"
                                   "Content-Length: 150000000\n")
    assert " 401 " in line and took < 3
    line, took = raw_request(live, "POST /add HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=b\n"
                                   "Content-Length: 300000000\n")
    assert " 303 " in line and took < 3  # to the sign-in page, nothing spooled to disk


def test_a_huge_body_with_credentials_is_refused_by_its_announced_size(live):
    auth = VALID["Authorization"]
    line, took = raw_request(live, f"POST /api/documents HTTP/1.1\nHost: x\nAuthorization: {auth}\n"
                                   "Content-Type: application/json\nContent-Length: 150000000\n")
    assert " 413 " in line and took < 3


# ================================================================ 7. extraction off the event loop

def test_a_large_document_does_not_freeze_other_requests(live):
    paragraph = ("Аким города провел совещание. В 2021 году объем промышленного производства в Алматы "
                 "составил 1,2 трлн тенге, рост на 8%. Поручено завершить строительство 12 школ до конца года.\n")
    text = paragraph * (400_000 // len(paragraph.encode()))
    result: dict[str, object] = {}

    def upload():
        with live.client() as client:
            started = time.monotonic()
            result["response"] = posted(client, {"text": text, "published": "2022-01-01"})
            result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=upload)
    thread.start()
    latencies = []
    with live.client() as client:
        time.sleep(0.5)
        while thread.is_alive():
            started = time.monotonic()
            assert client.get("/api/documents?limit=1", headers=VALID).status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)
    thread.join()
    assert result["response"].status_code == 201, result["response"].text
    assert result["seconds"] > 2 and len(latencies) >= 5  # the upload took long enough to matter
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.5 and latencies[-1] < 3, latencies
