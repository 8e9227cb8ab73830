"""A territory's справка in a big store: time for HTML and for PDF against rendering its territory page.

    .venv/bin/python benchmarks/brief.py [--facts 1000000] [--repeat 3] [--territory 750000000]

Fills a fresh SQLite store with N facts as benchmarks/serve.py does (documents of 10 figures, four
territories, a dozen indicators, fifteen years), rebuilds the monitor's tables once, then, in one
process, times (median of --repeat runs, each from a cold page cache) the territory page through the
app (GET /territories/KATO), the briefing as HTML (built from the store and rendered, charts
included) and as PDF. Prints the seconds and the ratios to the page. Goal: HTML <= 2x the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--territory", default="750000000")
    args = parser.parse_args()

    from serve import build_store

    from qala.api import create_app
    from qala.brief import build_brief, render
    from qala.config import Settings
    from qala.monitor.recompute import recompute_all
    from qala.store.db import open_store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        t0 = time.perf_counter()
        build_store(url, args.facts)
        engine = open_store(url)
        recompute_all(engine)
        print(f"store: {args.facts:,} facts, built and recomputed in {time.perf_counter() - t0:.1f} s")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient
        app = create_app(Settings(database_url=url, secret_key="bench-brief"), engine=engine)
        with TestClient(app) as client:
            def territory_page() -> None:
                app.state.page_cache.clear()  # cold: the page builds its overview from the store
                response = client.get(f"/territories/{args.territory}")
                assert response.status_code == 200, response.status_code

            territory_page()  # warm-up: imports, the monitor's freshness stamp
            today = dt.date.today()
            html_first = build_brief(engine, args.territory, today=today)
            render(html_first, "html")  # warm-up: matplotlib and the template
            render(html_first, "pdf")  # warm-up: WeasyPrint and fonts
            page = timed(territory_page, args.repeat)
            html = timed(lambda: render(build_brief(engine, args.territory, today=today), "html"), args.repeat)
            pdf = timed(lambda: render(build_brief(engine, args.territory, today=today), "pdf"), args.repeat)
            built = timed(lambda: build_brief(engine, args.territory, today=today), args.repeat)
        n_ind = len(html_first["indicators"])
        print(f"territory page: {page * 1000:.0f} ms")
        print(f"briefing data:  {built * 1000:.0f} ms ({n_ind} indicators, {len(html_first['sources'])} sources)")
        print(f"briefing HTML:  {html * 1000:.0f} ms  ratio to the page {html / page:.2f} (goal <= 2.0)")
        print(f"briefing PDF:   {pdf * 1000:.0f} ms  ratio to the page {pdf / page:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
