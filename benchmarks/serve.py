"""Dashboard and API latency under load: 100,000 facts in SQLite, a loopback load generator.

    .venv/bin/python benchmarks/serve.py [--facts 100000] [--requests 400] [--threads 2] [--seconds 60]

Fills a fresh SQLite store with N facts (documents of 10 figures each, four territories, a dozen
indicators, periods over fifteen years), starts `uvicorn` in a child process on a free 127.0.0.1
port, warms it up, then sends a bounded number of GET requests per page from a few threads
(httpx, keep-alive) and prints p50/p95 latency and requests/s for the territory page and
/api/facts. Goal: p95 <= 50 ms. Nothing leaves the loopback interface.

With --upload MB it then posts a document of that size (POST /api/documents, signed in) and loads
/api/facts again while the document is being read and stored: the server reads it in a worker
process, so the p95 of the other requests should stay within twice its value without the upload.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TERRITORIES = {"750000000": 0.55, "710000000": 0.2, "790000000": 0.15, "000000000": 0.1}
INDICATORS = ["industrial_output", "manufacturing_output", "fixed_capital_investment", "construction_works",
              "housing_commissioned", "grp", "unemployment_rate", "average_wage", "population",
              "jobs_created", "investment_projects", "retail_trade"]
UNITS = {"unemployment_rate": "%", "housing_commissioned": "m2", "population": "count", "jobs_created": "count",
         "investment_projects": "count"}


def build_store(url: str, n_facts: int, seed: int = 7) -> None:
    from sqlalchemy import insert, select

    from qala.store import schema as s
    from qala.store.db import open_store, transaction
    from qala.store.reference import seed as seed_reference

    rng = random.Random(seed)
    engine = open_store(url)
    seed_reference(engine)
    from qala.auth import add_user

    with transaction(engine) as session:
        add_user(session, username=UPLOAD_USER[0], password=UPLOAD_USER[1])
    with transaction(engine) as session:
        terr = dict(session.execute(select(s.Territory.kato, s.Territory.id)
                                    .where(s.Territory.kato.in_(TERRITORIES))).all())
        ind = dict(session.execute(select(s.Indicator.code, s.Indicator.id)
                                   .where(s.Indicator.code.in_(INDICATORS))).all())
    katos, weights = list(TERRITORIES), list(TERRITORIES.values())
    per_doc = 10
    n_docs = n_facts // per_doc
    with engine.begin() as conn:
        docs, facts, instructions = [], [], []
        for d in range(1, n_docs + 1):
            published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(15 * 365))
            docs.append({"id": d, "text": f"Документ {d}: объем производства и инвестиции выросли.",
                         "title": f"Итоги периода, документ {d}", "published": published, "status": "ok",
                         "language": "ru", "content_hash": f"bench-{d}"})
            kato = rng.choices(katos, weights)[0]
            for k in range(per_doc):
                code = rng.choice(INDICATORS)
                year = rng.randrange(2010, min(published.year, 2024) + 1)
                if rng.random() < 0.5:
                    start, end, gran, period = dt.date(year, 1, 1), dt.date(year, 12, 31), "year", str(year)
                else:
                    m = rng.randrange(1, 12)
                    start, end, gran = dt.date(year, 1, 1), dt.date(year, m + 1, 1) - dt.timedelta(days=1), "range"
                    period = f"{year}-01..{year}-{m:02d}"
                facts.append({"document_id": d, "ordinal": k, "indicator_id": ind[code], "indicator_text": code,
                              "territory_id": terr[kato], "territory_text": kato, "period": period,
                              "period_start": start, "period_end": end, "granularity": gran,
                              "value": round(rng.uniform(1, 1000), 1) * 1e9, "unit": UNITS.get(code, "KZT"),
                              "change_kind": "percent", "change_value": round(rng.uniform(0, 30), 1),
                              "change_direction": "up", "span_start": 0, "span_stop": 8})
            if d % 50 == 0:
                instructions.append({"document_id": d, "ordinal": 0, "text": f"Поручение {d}", "status": "new",
                                     "deadline": published + dt.timedelta(days=90), "span_start": 0, "span_stop": 8})
            if len(facts) >= 20000:
                conn.execute(insert(s.Document), docs)
                conn.execute(insert(s.Fact), facts)
                docs, facts = [], []
        if docs:
            conn.execute(insert(s.Document), docs)
            conn.execute(insert(s.Fact), facts)
        if instructions:
            conn.execute(insert(s.Instruction), instructions)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    code = ("import uvicorn; from qala.api import create_app; from qala.config import Settings; "
            f"uvicorn.run(create_app(Settings(database_url={url!r}, secret_key='bench', "
            f"max_document_bytes={12 * 1024 * 1024})), "
            f"host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/territories", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


def load(base: str, path: str, requests: int, threads: int, seconds: float) -> dict[str, float]:
    """Send `requests` GETs of one path from `threads` threads (bounded by `seconds`); latencies in ms."""
    import httpx

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    per_thread = requests // threads

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=180) as client:  # the first page rebuilds the monitor
            for _ in range(per_thread):
                if time.monotonic() > stop_at:
                    return
                t0 = time.perf_counter()
                r = client.get(path)
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    errors[0] += r.status_code != 200

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "errors": errors[0], "p50": statistics.median(latencies),
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)], "rps": len(latencies) / wall,
            "all": latencies}


UPLOAD_USER = ("bench", "bench password")
PARAGRAPH = ("Аким города провел совещание по итогам года. В 2023 году объем промышленного производства "
             "в Алматы составил 1,9 трлн тенге, рост на 6,1%. Введено 1,2 млн квадратных метров жилья. "
             "Поручено до 1 июля завершить строительство 14 школ и 3 поликлиник.\n")


def during_upload(base: str, args: argparse.Namespace) -> None:
    """/api/facts p95 without, then while a document of args.upload MB is being read and stored."""
    import base64

    import httpx

    path = "/api/facts?territory=750000000&indicator=industrial_output&limit=100"
    quiet = load(base, path, args.requests, args.threads, args.seconds)
    size = int(args.upload * 1024 * 1024)
    text = PARAGRAPH * (size // len(PARAGRAPH.encode()))
    token = base64.b64encode(":".join(UPLOAD_USER).encode()).decode()
    outcome: dict[str, object] = {}

    def upload() -> None:
        t0 = time.perf_counter()
        with httpx.Client(base_url=base, timeout=3600) as client:
            r = client.post("/api/documents", json={"text": text, "published": "2024-01-15"},
                            headers={"Authorization": f"Basic {token}"})
        outcome.update(status=r.status_code, seconds=time.perf_counter() - t0)

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(2)  # the body is sent and the worker started
    busy: dict[str, float] = {"n": 0}
    rounds = []
    while thread.is_alive():
        rounds.append(load(base, path, 100, args.threads, 30))
    thread.join()
    latencies = sorted(x for r in rounds for x in r["all"])
    if latencies:
        busy = {"n": len(latencies), "p50": statistics.median(latencies),
                "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)]}
    ratio = busy.get("p95", 0) / quiet["p95"] if quiet["p95"] else 0
    verdict = "ok" if ratio <= 2 else "over the goal of 2x"
    print(f"upload of {args.upload:g} MB: status {outcome.get('status')}, {outcome.get('seconds', 0):.1f} s; "
          f"/api/facts p95 {quiet['p95']:.1f} ms without, {busy.get('p95', 0):.1f} ms during "
          f"({busy['n']} requests): {ratio:.2f}x ({verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--threads", type=int, default=2, help="concurrent clients (the machine has 2 cores)")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per page")
    parser.add_argument("--upload", type=float, default=0, help="MB of a document posted during a second load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qala-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'qala.sqlite3'}"
        t0 = time.perf_counter()
        build_store(url, args.facts)
        print(f"store: {args.facts} facts in SQLite, built in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        proc = start_server(url, port)
        base = f"http://127.0.0.1:{port}"
        try:
            pages = {"territory page  /": "/",
                     "api facts       /api/facts?territory=750000000&indicator=industrial_output":
                         "/api/facts?territory=750000000&indicator=industrial_output&limit=100",
                     "api facts       /api/facts (no filter)": "/api/facts?limit=100"}
            for label, path in pages.items():
                load(base, path, 20, 2, 30)  # warm up
                r = load(base, path, args.requests, args.threads, args.seconds)
                verdict = "ok" if r["p95"] <= 50 else "over the 50 ms goal"
                print(f"{label}: {r['n']} requests, {args.threads} threads, p50 {r['p50']:.1f} ms, "
                      f"p95 {r['p95']:.1f} ms ({verdict}), {r['rps']:.0f} requests/s, errors {r['errors']}")
            if args.upload:
                during_upload(base, args)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
