"""Dashboard and API latency at scale: N facts in SQLite or PostgreSQL, a loopback load generator.

    .venv/bin/python benchmarks/serve.py [--facts 1000000] [--database-url postgresql+psycopg://...]
                                         [--requests 200] [--threads 2] [--timeout 10] [--ingest 1000]

Fills a fresh store with N facts (documents of 10 figures each, four territories, a dozen
indicators, periods over fifteen years) by bulk inserts (SQLite: executemany of plain tuples in
one transaction; PostgreSQL: COPY into a scratch schema dropped at the end), rebuilds the derived
tables once, starts `uvicorn` in a child process on a free 127.0.0.1 port, and sends a bounded
number of GET requests per endpoint from `--threads` clients (httpx, keep-alive). For each it prints
p50/p95 and the ratio of its p95 to the reference measured in the same run: a primary-key lookup
of one fact through the same stack (GET /api/facts/{id}). Goal: p95 <= 20 ms for /api/facts
(filtered, unfiltered, a page 1,000 deep by cursor), /api/series, the territory and document
pages. A request that takes longer than --timeout seconds is counted as a timeout and printed;
nothing ends in a traceback. Nothing leaves the loopback interface.

With --ingest N it then writes N more documents of 10 figures each into the store from another
process (as `qala ingest` would, one transaction per document, the derived tables rebuilt after)
while /api/facts is loaded again, and prints the p95 during the writes against the quiet one
(goal: at most 2x).

With --upload MB it posts a document of that size (POST /api/documents, signed in) and loads
/api/facts while it is read and stored in the server's worker process.

With --keep DIR (SQLite) the store is kept in DIR/qala.sqlite3 and reused by the next run with
the same --facts: develop against one store without building it again.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
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
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TERRITORIES = {"750000000": 0.55, "710000000": 0.2, "790000000": 0.15, "000000000": 0.1}
INDICATORS = ["industrial_output", "manufacturing_output", "fixed_capital_investment", "construction_works",
              "housing_commissioned", "grp", "unemployment_rate", "average_wage", "population",
              "jobs_created", "investment_projects", "retail_trade"]
UNITS = {"unemployment_rate": "%", "housing_commissioned": "m2", "population": "count", "jobs_created": "count",
         "investment_projects": "count"}
WORDS = ["школа", "больница", "дорога", "завод", "парк", "мост", "рынок", "театр", "стадион", "вокзал"]
PER_DOC = 10
UPLOAD_USER = ("bench", "bench password")
FACT_COLUMNS = ("id", "document_id", "ordinal", "indicator_id", "indicator_text", "territory_id", "territory_text",
                "period", "period_start", "period_end", "granularity", "value", "unit", "change_kind",
                "change_value", "change_direction", "span_start", "span_stop")
DOC_COLUMNS = ("id", "text", "title", "published", "status", "language", "content_hash", "ingested_at")
INSTRUCTION_COLUMNS = ("document_id", "ordinal", "text", "status", "deadline", "span_start", "span_stop")


def document_rows(first: int, n_docs: int, terr: dict[str, int], ind: dict[str, int], seed: int
                  ) -> Iterator[tuple[tuple, list[tuple], tuple | None]]:
    """(document, its facts, an instruction or None) for documents first..first+n_docs-1."""
    rng = random.Random(seed)
    katos, weights = list(TERRITORIES), list(TERRITORIES.values())
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for d in range(first, first + n_docs):
        published = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(15 * 365))
        word = WORDS[d % len(WORDS)] if d % 7 == 0 else "объект"
        text = (f"Документ {d}. Объем производства и инвестиции выросли. Построен {word} на окраине города. "
                f"Итоги периода подведены на совещании.")
        doc = (d, text, f"Итоги периода, документ {d}", published, "ok", "ru", f"bench-{d}", now)
        kato = rng.choices(katos, weights)[0]
        facts = []
        for k in range(PER_DOC):
            code = rng.choice(INDICATORS)
            year = rng.randrange(2010, min(published.year, 2024) + 1)
            if rng.random() < 0.5:
                start, end, gran, period = dt.date(year, 1, 1), dt.date(year, 12, 31), "year", str(year)
            else:
                m = rng.randrange(1, 12)
                start, end, gran = dt.date(year, 1, 1), dt.date(year, m + 1, 1) - dt.timedelta(days=1), "range"
                period = f"{year}-01..{year}-{m:02d}"
            facts.append(((d - 1) * PER_DOC + k + 1, d, k, ind[code], code, terr[kato], kato, period, start, end,
                          gran, round(rng.uniform(1, 1000), 1) * 1e9, UNITS.get(code, "KZT"), "percent",
                          round(rng.uniform(0, 30), 1), "up", 10, 40))
        instruction = ((d, 0, f"Поручение {d}", "new", published + dt.timedelta(days=90), 0, 8)
                       if d % 50 == 0 else None)
        yield doc, facts, instruction


def reference_ids(url: str) -> tuple[dict[str, int], dict[str, int]]:
    from sqlalchemy import select

    from qala.store import schema as s
    from qala.store.db import open_store, transaction
    from qala.store.reference import seed as seed_reference

    engine = open_store(url)
    seed_reference(engine)
    with transaction(engine) as session:
        terr = dict(session.execute(select(s.Territory.kato, s.Territory.id)
                                    .where(s.Territory.kato.in_(TERRITORIES))).all())
        ind = dict(session.execute(select(s.Indicator.code, s.Indicator.id)
                                   .where(s.Indicator.code.in_(INDICATORS))).all())
    engine.dispose()
    return terr, ind


def build_store(url: str, n_facts: int, seed: int = 7) -> None:
    """N facts by bulk inserts, then one rebuild of the derived tables."""
    from qala.auth import add_user
    from qala.store.db import open_store, transaction

    terr, ind = reference_ids(url)
    engine = open_store(url)
    with transaction(engine) as session:
        add_user(session, username=UPLOAD_USER[0], password=UPLOAD_USER[1])
    rows = document_rows(1, n_facts // PER_DOC, terr, ind, seed)
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            _copy_postgres(raw.driver_connection, rows)
        else:
            _insert_sqlite(raw.driver_connection, rows)
    finally:
        raw.close()
    engine.dispose()


def _insert_sqlite(conn, rows: Iterator) -> None:
    def sql(table: str, columns: tuple) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    docs, facts, instructions = [], [], []

    def flush() -> None:
        conn.executemany(sql("documents", DOC_COLUMNS), docs)
        conn.executemany(sql("facts", FACT_COLUMNS), facts)
        conn.executemany(sql("instructions", INSTRUCTION_COLUMNS), instructions)
        docs.clear(), facts.clear(), instructions.clear()

    conn.execute("BEGIN")
    for doc, fs, instruction in rows:
        docs.append(tuple(str(v) if isinstance(v, dt.datetime) else v for v in doc))
        facts.extend(fs)
        if instruction:
            instructions.append(instruction)
        if len(facts) >= 50_000:
            flush()
    flush()
    conn.execute("COMMIT")
    conn.execute("ANALYZE")


def _copy_postgres(conn, rows: Iterator) -> None:
    with conn.cursor() as cur:
        docs, facts, instructions = [], [], []
        for doc, fs, instruction in rows:
            docs.append(doc)
            facts.extend(fs)
            if instruction:
                instructions.append(instruction)
        for table, columns, data in (("documents", DOC_COLUMNS, docs), ("facts", FACT_COLUMNS, facts),
                                     ("instructions", INSTRUCTION_COLUMNS, instructions)):
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        for table in ("documents", "facts", "instructions"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    with conn.cursor() as cur:
        conn.autocommit = True
        cur.execute("ANALYZE")
        conn.autocommit = False


def rebuild(url: str) -> float:
    from qala.monitor.recompute import recompute_all
    from qala.store.db import open_store

    engine = open_store(url)
    t0 = time.perf_counter()
    recompute_all(engine)
    engine.dispose()
    return time.perf_counter() - t0


def ingest_more(url: str, first_doc: int, n_docs: int) -> None:
    """Write documents one transaction each, as ingest does (the server notices and rebuilds)."""
    from sqlalchemy import insert
    from sqlalchemy.exc import OperationalError

    from qala.store import schema as s
    from qala.store.db import open_store

    terr, ind = reference_ids(url)
    engine = open_store(url)
    waits = 0
    for doc, facts, _instruction in document_rows(first_doc, n_docs, terr, ind, seed=first_doc):
        for _attempt in range(20):  # SQLite: the server's rebuild may hold the write lock a while
            try:
                with engine.begin() as conn:
                    conn.execute(insert(s.Document), [dict(zip(DOC_COLUMNS[1:], doc[1:], strict=True))])
                    conn.execute(insert(s.Fact), [dict(zip(FACT_COLUMNS[1:], f[1:], strict=True))
                                                  for f in facts])
                break
            except OperationalError:
                waits += 1
                time.sleep(1)
    engine.dispose()
    if waits:
        print(f"the writer waited for the store's write lock {waits} times")


# ================================================================ the server and the clients

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen | None:
    code = ("import uvicorn; from qala.api import create_app; from qala.config import Settings; "
            f"uvicorn.run(create_app(Settings(database_url={url!r}, secret_key='bench', "
            f"max_document_bytes={12 * 1024 * 1024})), "
            f"host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    import httpx

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/territories", timeout=30).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    return None


def load(base: str, paths: list[str], requests: int, threads: int, seconds: float,
         timeout: float) -> dict[str, object]:
    """`requests` GETs spread over `paths` (round robin) from `threads` clients, bounded by `seconds`;
    latencies in ms; a request over `timeout` seconds or failing to connect counts as a timeout."""
    import httpx

    latencies: list[float] = []
    counts = {"errors": 0, "timeouts": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    per_thread = max(1, requests // threads)

    def worker(k: int) -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            for i in range(per_thread):
                if time.monotonic() > stop_at:
                    return
                path = paths[(i * threads + k) % len(paths)]
                t0 = time.perf_counter()
                try:
                    r = client.get(path)
                except httpx.HTTPError:
                    with lock:
                        counts["timeouts"] += 1
                    continue
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    counts["errors"] += r.status_code != 200

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return {"n": 0, **counts, "p50": float("nan"), "p95": float("nan"), "rps": 0.0, "all": []}
    return {"n": len(latencies), **counts, "p50": statistics.median(latencies),
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)], "rps": len(latencies) / wall,
            "all": latencies}


def deep_cursor(base: str, path: str, pages: int, timeout: float) -> tuple[str | None, float]:
    """The cursor of page `pages` of `path`, followed page by page (and the seconds it took)."""
    import httpx

    t0 = time.perf_counter()
    cursor = None
    with httpx.Client(base_url=base, timeout=timeout) as client:
        for _ in range(pages):
            try:
                body = client.get(path + (f"&cursor={cursor}" if cursor else "")).json()
            except (httpx.HTTPError, ValueError):
                return None, time.perf_counter() - t0
            cursor = body.get("next")
            if not cursor:
                return None, time.perf_counter() - t0
    return cursor, time.perf_counter() - t0


def endpoints(base: str, n_docs: int, n_facts: int, timeout: float) -> dict[str, list[str]]:
    rng = random.Random(11)
    pages = min(1000, n_facts // 100 - 5)  # 1,000 deep, or near the end of a smaller store
    deep, seconds = deep_cursor(base, "/api/facts?limit=100", pages, timeout)
    print(f"cursor of /api/facts page {pages:,} (100 facts a page): "
          f"{'found' if deep else 'NOT found'} in {seconds:.1f} s")
    pages = min(1000, int(n_facts * 0.55) // 100 - 5)
    deep_filtered, seconds = deep_cursor(base, "/api/facts?territory=750000000&limit=100", pages, timeout)
    print(f"cursor of /api/facts?territory=750000000 page {pages:,}: "
          f"{'found' if deep_filtered else 'NOT found'} in {seconds:.1f} s")
    docs = [rng.randrange(1, n_docs + 1) for _ in range(50)]
    facts = [rng.randrange(1, n_facts + 1) for _ in range(50)]
    return {
        "reference: one fact by id   /api/facts/{id}": [f"/api/facts/{f}" for f in facts],
        "territory page              /": ["/"],
        "territory page              /territories/710000000": ["/territories/710000000"],
        "document page               /documents/{id}": [f"/documents/{d}" for d in docs],
        "api facts filtered          territory+indicator":
            ["/api/facts?territory=750000000&indicator=industrial_output&limit=100"],
        "api facts filtered          +period": ["/api/facts?territory=710000000&indicator=grp&period=2020&limit=100"],
        "api facts unfiltered        /api/facts": ["/api/facts?limit=100"],
        "api facts deep by cursor    (see above)": [f"/api/facts?limit=100&cursor={deep}"] if deep else [],
        "api facts deep, filtered    (see above)": ([f"/api/facts?territory=750000000&limit=100&cursor={deep_filtered}"]
                                           if deep_filtered else []),
        "api series                  /api/series": [f"/api/series?territory={k}&indicator={i}"
                                                     for k in ("750000000", "710000000") for i in INDICATORS[:6]],
        "api checks                  /api/checks": ["/api/checks?limit=50",
                                                     "/api/checks?territory=750000000&limit=50"],
        "api documents               /api/documents": ["/api/documents?limit=50"],
        "search                      /api/search": [f"/api/search?q={w}&limit=20" for w in WORDS[:5]],
    }


def report(label: str, r: dict, reference: float | None, goal: float | None) -> None:
    ratio = f"{r['p95'] / reference:5.1f}x ref" if reference and r["n"] else "   - ref"
    verdict = "" if goal is None or not r["n"] else ("ok" if r["p95"] <= goal else f"over {goal:g} ms")
    print(f"{label}: n {r['n']:4d}  p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  {ratio}  "
          f"{r['rps']:6.0f}/s  errors {r['errors']}  timeouts {r['timeouts']}  {verdict}", flush=True)


GOAL_MS = 20.0
NO_GOAL = ("search", "api checks", "api documents", "reference")


def run(url: str, args: argparse.Namespace, built: bool) -> None:
    n_docs = args.facts // PER_DOC
    if built:
        t0 = time.perf_counter()
        seconds = rebuild(url)
        print(f"derived tables rebuilt in {seconds:.1f} s ({time.perf_counter() - t0:.1f} s with opening)",
              flush=True)
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(url, port)
    if proc is None:
        print("the server did not start within 300 s: nothing measured")
        return
    print(f"server up in {time.perf_counter() - t0:.1f} s", flush=True)
    base = f"http://127.0.0.1:{port}"
    try:
        pages = endpoints(base, n_docs, args.facts, args.timeout)
        reference = None
        for label, paths in pages.items():
            if not paths:
                print(f"{label}: not measured (no cursor)")
                continue
            load(base, paths, len(paths), 1, 1200, 1200)  # warm up: the first view of a page builds it
            load(base, paths, 10, args.threads, 30, args.timeout)
            r = load(base, paths, args.requests, args.threads, args.seconds, args.timeout)
            if reference is None and r["n"]:
                reference = r["p95"]
            report(label, r, reference, None if label.startswith(NO_GOAL) else GOAL_MS)
        if args.ingest:
            during_ingest(base, url, args, reference)
        if args.upload:
            during_upload(base, args)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


FACTS_PATHS = ["/api/facts?territory=750000000&indicator=industrial_output&limit=100", "/api/facts?limit=100"]


def during_ingest(base: str, url: str, args: argparse.Namespace, reference: float | None) -> None:
    """/api/facts p95 quiet, then while another process writes args.ingest documents."""
    quiet = load(base, FACTS_PATHS, args.requests, args.threads, args.seconds, args.timeout)
    report("api facts (quiet)          ", quiet, reference, GOAL_MS)
    first = args.facts // PER_DOC + 1
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            f"import serve; serve.ingest_more({url!r}, {first}, {args.ingest})")
    t0 = time.perf_counter()
    writer = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    rounds = []
    while writer.poll() is None:
        rounds.append(load(base, FACTS_PATHS, 100, args.threads, 30, args.timeout))
    seconds = time.perf_counter() - t0
    latencies = sorted(x for r in rounds for x in r["all"])
    busy = {"n": len(latencies), "errors": sum(r["errors"] for r in rounds),
            "timeouts": sum(r["timeouts"] for r in rounds), "rps": 0.0,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")}
    report("api facts (during ingest)  ", busy, reference, GOAL_MS)
    ratio = busy["p95"] / quiet["p95"] if quiet["n"] and busy["n"] else float("nan")
    print(f"ingest of {args.ingest} documents ({args.ingest * PER_DOC} facts) took {seconds:.1f} s, "
          f"exit {writer.returncode}; /api/facts p95 during / quiet = {ratio:.2f}x "
          f"({'ok' if ratio <= 2 else 'over the goal of 2x'})")


PARAGRAPH = ("Аким города провел совещание по итогам года. В 2023 году объем промышленного производства "
             "в Алматы составил 1,9 трлн тенге, рост на 6,1%. Введено 1,2 млн квадратных метров жилья. "
             "Поручено до 1 июля завершить строительство 14 школ и 3 поликлиник.\n")


def during_upload(base: str, args: argparse.Namespace) -> None:
    """/api/facts p95 without, then while a document of args.upload MB is being read and stored."""
    import httpx

    path = FACTS_PATHS[:1]
    quiet = load(base, path, args.requests, args.threads, args.seconds, args.timeout)
    size = int(args.upload * 1024 * 1024)
    text = PARAGRAPH * (size // len(PARAGRAPH.encode()))
    token = base64.b64encode(":".join(UPLOAD_USER).encode()).decode()
    outcome: dict[str, object] = {}

    def upload() -> None:
        t0 = time.perf_counter()
        try:
            with httpx.Client(base_url=base, timeout=3600) as client:
                r = client.post("/api/documents", json={"text": text, "published": "2024-01-15"},
                                headers={"Authorization": f"Basic {token}"})
            outcome.update(status=r.status_code, seconds=time.perf_counter() - t0)
        except httpx.HTTPError as e:
            outcome.update(status=f"failed ({type(e).__name__})", seconds=time.perf_counter() - t0)

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(2)  # the body is sent and the worker started
    rounds = []
    while thread.is_alive():
        rounds.append(load(base, path, 100, args.threads, 30, args.timeout))
    thread.join()
    latencies = sorted(x for r in rounds for x in r["all"])
    busy_p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0.0
    ratio = busy_p95 / quiet["p95"] if quiet["n"] else 0
    verdict = "ok" if ratio <= 2 else "over the goal of 2x"
    print(f"upload of {args.upload:g} MB: status {outcome.get('status')}, {outcome.get('seconds', 0):.1f} s; "
          f"/api/facts p95 {quiet['p95']:.1f} ms without, {busy_p95:.1f} ms during "
          f"({len(latencies)} requests): {ratio:.2f}x ({verdict})")


@contextlib.contextmanager
def store(args: argparse.Namespace) -> Iterator[tuple[str, bool]]:
    """(url, whether it was just built) of the store to measure; removed after unless kept."""
    if args.database_url:
        from qala.store.db import scratch_schema

        url, drop = scratch_schema(args.database_url, prefix="qbench")
        try:
            yield url, True
        finally:
            drop()
        return
    with contextlib.ExitStack() as stack:
        folder = Path(args.keep) if args.keep else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="qala-bench-")))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"qala-{args.facts}.sqlite3"
        yield f"sqlite:///{path}", not path.exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (a scratch schema is made in it)")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--threads", type=int, default=2, help="concurrent clients (the machine has 2 cores)")
    parser.add_argument("--seconds", type=float, default=60, help="time bound per endpoint")
    parser.add_argument("--timeout", type=float, default=10, help="seconds before a request counts as a timeout")
    parser.add_argument("--ingest", type=int, default=0, help="documents written while /api/facts is loaded")
    parser.add_argument("--upload", type=float, default=0, help="MB of a document posted during a second load")
    parser.add_argument("--keep", default="", help="SQLite: keep (and reuse) the store in this folder")
    args = parser.parse_args()
    if args.facts < PER_DOC * 10:
        raise SystemExit(f"expected --facts of at least {PER_DOC * 10}, got {args.facts}")
    try:
        with store(args) as (url, fresh):
            kind = "PostgreSQL" if args.database_url else "SQLite"
            if fresh:
                t0 = time.perf_counter()
                build_store(url, args.facts)
                print(f"store: {args.facts} facts in {kind}, built in {time.perf_counter() - t0:.1f} s", flush=True)
            else:
                print(f"store: {args.facts} facts in {kind}, reused from {args.keep}", flush=True)
            run(url, args, fresh)
    except KeyboardInterrupt:
        print("interrupted")
    except Exception as e:  # noqa: BLE001 - a benchmark reports what failed, never a traceback
        print(f"benchmark failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
