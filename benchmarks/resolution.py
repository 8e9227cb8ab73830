"""How many extracted facts resolve to a canonical indicator and territory.

    .venv/bin/python benchmarks/resolution.py [--corpus ../shared/corpus/dev] [--top 30] [--cache FILE]
        [--split tune|validation|all] [--similarity]

Extracts every text of the corpus (publication date from its gold file when there is one) and of
qala/samples, seeds a fresh SQLite store with the shipped reference data, resolves each fact's
indicator (with its unit and counted object) and territory (its clause's place, else the document's,
as ingest does), and prints the share resolved, then, of the corpus figures that match a gold figure
describing a whole territory (``territory_level``), the share given an indicator, a territory and a
period, then the pairwise precision and recall of "same series" among the corpus figures matching a
gold figure: Qala puts two figures together when they have one resolved indicator, territory and kind
of period (``period_kind``) and neither is kept as an object's figure as ingest keeps it (its clause's
scope, and of one document's figures of one point the smaller are parts: ``qala.scope``), the hand
key of benchmarks/data/series_key.csv when it gives them one series id (--key; how the key was
written is told at its head). Last, the most
frequent unresolved phrases. --cache keeps the extracted facts in a JSON file so that a second
run only measures resolution (delete it after changing the extractor). --split keeps the corpus
texts of one part (``qala.evaluate.split_of``; list unresolved phrases of the tune part only).

--similarity measures the navec fallback (``AliasIndex.similar``) at a range of thresholds: on the
hand-judged phrases of benchmarks/data/similarity_key.csv (tune split phrases no alias's lemmas
fit; "-" means none should be given) and on the catalogue itself, each alias left out in turn and
compared with the other aliases of its unit family. SIMILARITY_THRESHOLD is the lowest threshold at
which the judged phrases are given no wrong indicator.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def documents(corpus: Path) -> list[tuple[str, str, str | None]]:
    """(name, text, published) for each corpus text and each bundled sample."""
    from qala.samples import sample_records

    docs = []
    for path in sorted(corpus.glob("*.txt")) if corpus.is_dir() else []:
        gold = path.with_suffix(".gold.json")
        published = json.loads(gold.read_text(encoding="utf-8")).get("published") if gold.exists() else None
        docs.append((path.name, path.read_text(encoding="utf-8"), published))
    docs += [(r["path"], r["text"], r["published"]) for r in sample_records()]
    return docs


def extracted_facts(corpus: Path, cache: Path | None) -> list[dict]:
    """Every fact as its JSON record plus the document's name, year, title line, posts and the gold
    fact it matches (by the corpus rules: units agree, values within 0.5%), when there is a gold file."""
    if cache and cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    import qala

    facts = []
    for name, text, published in documents(corpus):
        extraction = qala.extract(text, published)
        published = extraction.document.published
        year = int(published[:4]) if published else None
        doc = {"doc": name, "year": year, "title": text.lstrip().split("\n", 1)[0][:300],
               "posts": [t for p in extraction.persons for t in p.positions]}
        records = [{**f.to_json(), **doc, "gold": None} for f in extraction.facts]
        gold = corpus / name.replace(".txt", ".gold.json")
        if gold.exists():
            _match(records, json.loads(gold.read_text(encoding="utf-8"))["facts"])
        facts += records
    if cache:
        cache.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    return facts


def _match(records: list[dict], gold: list[dict]) -> None:
    """Greedy, in gold order: each gold fact takes the first unused record of its unit and value."""
    used: set[int] = set()
    for n, g in enumerate(gold):
        for i, r in enumerate(records):
            if i in used or r["unit"] != g["unit"]:
                continue
            a, b = r["value"], g["value"]
            if (a is None and b is None) or (a is not None and b is not None
                                              and abs(a - b) <= 0.005 * max(abs(a), abs(b))):
                used.add(i)
                r["gold"], r["gold_n"] = g, n
                break


# A gold figure is of one object, not of a territory, when its phrase names one: a quoted name
# ("ТОО «Актау Агро»") or a word for a single project, plant, company, program or pool. A rough key,
# written for this benchmark from the words, not from any one text.
OBJECT_WORDS = ("проект", "завод", "фабрик", "комплекс", "предприят", "компани", "тоо ", "ао ", "программ",
                "пул", "месторожд", "станци", "объект", "цех", "ферм", "теплиц", "строительств", "договор",
                "меморандум", "соглашен", "контракт", "кредит", "грант", "субсиди", "финансир", "выделен")


def territory_level(gold: dict) -> bool:
    phrase = f" {(gold.get('indicator') or '').lower()} {(gold.get('object') or '').lower()} "
    if "«" in phrase or '"' in phrase:
        return False
    return not any(w in phrase for w in OBJECT_WORDS)


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / (whole or 1):.1%}"


def report(label: str, rows: list[tuple[dict, int | None, int | None]]) -> None:
    """Shares resolved among all facts, and among those that say what they measure / name a place."""
    named = [r for r in rows if r[0]["indicator"] or r[0]["object"]]
    placed = [r for r in rows if r[0]["territory"]]
    print(f"{label}: {len(rows)} facts from {len({r[0]['doc'] for r in rows})} documents")
    print(f"  indicator resolved: {share(sum(r[1] is not None for r in rows), len(rows))}"
          f" ({share(sum(r[1] is not None for r in named), len(named))} of facts with a phrase or object)")
    print(f"  territory resolved: {share(sum(r[2] is not None for r in rows), len(rows))}"
          f" ({share(sum(r[2] is not None for r in placed), len(placed))} of facts naming a place)")


def _territory(index, fact: dict, place: int | None) -> int | None:
    """As ingest gives it (ItemWriter.territory_id): a unit of the store, else of the whole
    gazetteer ("kato:CODE" stands for a village or rural district ingest would add)."""
    from qala.reference import find_territory

    found = index.fact_territory(fact["territory"], fact["year"], place)
    if found is not None or not fact["territory"]:
        return found
    region = index.region(place)
    kato = find_territory(fact["territory"], fact["year"], within=index.kato_of.get(region) if region else None)
    return None if kato is None else index.territory_katos.get(kato, f"kato:{kato}")


def _document_places(index, facts: list[dict]) -> dict[str, int | None]:
    by_doc: dict[str, list[dict]] = {}
    for f in facts:
        by_doc.setdefault(f["doc"], []).append(f)
    return {doc: index.document_place(title=fs[0]["title"], posts=fs[0]["posts"],
                                      places=[index.territory(f["territory"], f["year"]) for f in fs],
                                      year=fs[0]["year"])
            for doc, fs in by_doc.items()}


def bound(facts: list[dict], indicators: list, territories: list, country: int | None) -> None:
    """Of the corpus figures matching a territory-level gold figure: the share given an indicator,
    a territory (not the country unless the gold says the country) and a period."""
    from qala.periods import parse_period

    rows = [(f, i, t) for f, i, t in zip(facts, indicators, territories, strict=True)
            if f["gold"] is not None and territory_level(f["gold"])]
    national = ("казахстан", "республик", "стран")

    def placed(f: dict, t: int | None) -> bool:
        if t is None:
            return False
        gold_place = (f["gold"].get("territory") or "").lower()
        return t != country or any(w in gold_place for w in national)

    n = len(rows)
    ind = sum(i is not None for _, i, _ in rows)
    ter = sum(placed(f, t) for f, _, t in rows)
    per = sum(parse_period(f["period"]) is not None for f, _, _ in rows)
    allthree = sum(i is not None and placed(f, t) and parse_period(f["period"]) is not None for f, i, t in rows)
    print(f"territory-level figures (matching a gold figure that names no single object): {n}")
    print(f"  given an indicator: {share(ind, n)}")
    print(f"  given a territory:  {share(ter, n)}")
    print(f"  given a period:     {share(per, n)}")
    print(f"  all three:          {share(allthree, n)}")


def period_kind(text: str | None) -> str | None:
    """The kind of a period: year, half, quarter, month, cumulative (January to a later month of one
    year), stock (on a date) or range (several years); None when there is no period."""
    from qala.periods import parse_period

    period = parse_period(text)
    if period is None:
        return None
    if period.granularity == "day":
        return "stock"
    if period.granularity == "range":
        s, e = period.start, period.end
        return "cumulative" if s.year == e.year and s.month == 1 else "range"
    return period.granularity


def series_key(path: Path) -> dict[tuple[str, int], str]:
    """(document stem, position in its gold facts) -> series id, of the figures the key puts in a series."""
    import csv

    lines = path.read_text(encoding="utf-8").splitlines()
    return {(row["document"], int(row["n"])): row["series"]
            for row in csv.DictReader(line for line in lines if not line.startswith("#")) if row["series"]}


def clause_scopes(facts: list[dict], corpus: Path) -> list[str]:
    """Each figure's scope from its clause (``qala.scope.fact_scope``): an object's figure enters no
    territory's series."""
    from qala.scope import fact_scope

    texts = {name: text for name, text, _ in documents(corpus)}
    scopes = []
    for f in facts:
        text, span, change = texts.get(f["doc"], ""), f.get("span") or (0, 0), f.get("change") or {}
        scopes.append(fact_scope(text[span[0]:span[1]], f["indicator"], f["object"], f["value"],
                                 change.get("value"))[0])
    return scopes


def object_scoped(facts: list[dict], indicators: list, territories: list, scopes: list[str]) -> list[bool]:
    """As ingest keeps them: a figure's own scope, and of one document's figures of one point the
    smaller ones are parts (``qala.scope.parts``)."""
    from qala.scope import OBJECT, parts

    out = [s == OBJECT for s in scopes]
    by_doc: dict[str, list[int]] = {}
    for n, f in enumerate(facts):
        by_doc.setdefault(f["doc"], []).append(n)
    for ns in by_doc.values():
        points = [((indicators[n], territories[n], facts[n]["period"], facts[n]["unit"])
                   if None not in (indicators[n], territories[n], facts[n]["period"]) else None,
                   facts[n]["value"], scopes[n]) for n in ns]
        for k in parts(points):
            out[ns[k]] = True
    return out


def same_series(facts: list[dict], indicators: list, territories: list, key: dict[tuple[str, int], str],
                scoped: list[bool]) -> None:
    """Pairwise precision and recall of "same series" among the corpus figures that match a gold
    figure: Qala puts two together when they have one resolved indicator, territory and kind of
    period and neither is one object's figure (as the store's series); the hand key when it gives
    them one series id."""
    rows = []
    for f, i, t, obj in zip(facts, indicators, territories, scoped, strict=True):
        if f["gold"] is None:
            continue
        kind = period_kind(f["period"])
        qala = (i, t, kind) if None not in (i, t, kind) and not obj else None
        rows.append((f, qala, key.get((f["doc"].rsplit(".", 1)[0], f["gold_n"]))))
    print(f"same series, pairs of {len(rows)} matched figures (key: {len(key)} figures in a series):")
    for label, pairs in (("", [(q, k) for _, q, k in rows]),):
        qala_pairs = key_pairs = both = 0
        for a in range(len(pairs)):
            for b in range(a + 1, len(pairs)):
                q = pairs[a][0] is not None and pairs[a][0] == pairs[b][0]
                k = pairs[a][1] is not None and pairs[a][1] == pairs[b][1]
                qala_pairs, key_pairs, both = qala_pairs + q, key_pairs + k, both + (q and k)
        precision = f"{both}/{qala_pairs} = {both / qala_pairs:.1%}" if qala_pairs else "n/a (no pairs)"
        recall = f"{both}/{key_pairs} = {both / key_pairs:.1%}" if key_pairs else "n/a (no pairs in the key)"
        print(f"  precision{label}: {precision}")
        print(f"  recall{label}:    {recall}")


THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.78, 0.80, 0.85, 0.90)


def similarity(engine, index) -> None:
    """Precision and coverage of the navec fallback at each threshold, on judged phrases and on the
    catalogue's own aliases left out one at a time."""
    import csv

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from qala.store import schema
    from qala.store.resolve import SIMILARITY_THRESHOLD, UNIT_FAMILY, _content_lemmas

    with Session(engine) as s:
        codes = dict(s.execute(select(schema.Indicator.id, schema.Indicator.code)).all())
    lines = (ROOT / "benchmarks" / "data" / "similarity_key.csv").read_text(encoding="utf-8").splitlines()
    key = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    judged = []
    for row in key:
        found = index.similar(row["phrase"], row["unit"] or None)
        judged.append((found, row["expected"]))
    print(f"similarity on {len(judged)} judged tune-split phrases (threshold in use {SIMILARITY_THRESHOLD}):")
    for t in THRESHOLDS:
        taken = [(codes[f[0]], want) for f, want in judged if f and f[1] >= t]
        right = sum(code == want for code, want in taken)
        should = sum(want != "-" for _, want in judged)
        print(f"  >= {t:.2f}: given {len(taken):2d}, right {right:2d}, wrong {len(taken) - right:2d}"
              f" (of {should} that have an indicator)")
    # the catalogue, each alias left out in turn
    tables = index._alias_vectors()
    outcomes = []
    for table in tables.values():
        for owner, alias in table.owners:
            others = [i for i, (_, a) in enumerate(table.owners) if a == alias]
            query = _content_lemmas(alias)
            if not query:
                continue
            scores = table.scores(query)
            scores[others] = -1.0
            best = int(scores.argmax())
            outcomes.append((float(scores[best]), table.owners[best][0] == owner))
    print(f"similarity on {len(outcomes)} catalogue aliases, each left out in turn:")
    for t in THRESHOLDS:
        taken = [ok for score, ok in outcomes if score >= t]
        print(f"  >= {t:.2f}: given {len(taken) / len(outcomes):.1%}, precision "
              f"{sum(taken) / (len(taken) or 1):.3f}")
    del UNIT_FAMILY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--top", type=int, default=30, help="unresolved phrases to list")
    parser.add_argument("--cache", type=Path, default=None, help="JSON file keeping extracted facts")
    parser.add_argument("--split", choices=("tune", "validation", "all"), default="all")
    parser.add_argument("--key", type=Path, default=ROOT / "benchmarks" / "data" / "series_key.csv",
                        help="hand key of same-series figures")
    parser.add_argument("--similarity", action="store_true", help="measure the navec fallback's threshold")
    args = parser.parse_args()

    from qala.evaluate import split_of
    from qala.store.db import open_store
    from qala.store.reference import seed
    from qala.store.resolve import aliases

    facts = [f for f in extracted_facts(args.corpus, args.cache)
             if args.split == "all" or f["doc"].startswith("samples/")
             or split_of(f["doc"].rsplit(".", 1)[0]) == args.split]
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_store(f"sqlite:///{tmp}/resolution.db")
        seed(engine)
        index = aliases(engine)
        if args.similarity:
            similarity(engine, index)
        started = time.perf_counter()
        indicators = [index.indicator(f["indicator"], object=f["object"], unit=f["unit"]) for f in facts]
        places = _document_places(index, facts)
        territories = [_territory(index, f, places[f["doc"]]) for f in facts]
        elapsed = time.perf_counter() - started
        country = index.territory_katos.get("000000000")
        engine.dispose()

    for label, keep in (("all", lambda f: True), ("corpus", lambda f: not f["doc"].startswith("samples/")),
                        ("samples", lambda f: f["doc"].startswith("samples/"))):
        report(label, [(f, i, t) for f, i, t in zip(facts, indicators, territories) if keep(f)])
    print(f"resolution time: {elapsed * 1000:.1f} ms for {2 * len(facts)} look-ups")
    bound(facts, indicators, territories, country)
    scoped = object_scoped(facts, indicators, territories, clause_scopes(facts, args.corpus))
    same_series(facts, indicators, territories, series_key(args.key), scoped)

    missed_ind = Counter(f"{f['indicator']!s} | {f['unit']} | {f['object']}"
                         for f, i in zip(facts, indicators) if i is None)
    missed_ter = Counter(str(f["territory"]) for f, t in zip(facts, territories) if t is None and f["territory"])
    print(f"\nmost frequent unresolved indicators (phrase | unit | object), {len(missed_ind)} distinct:")
    for phrase, count in missed_ind.most_common(args.top):
        print(f"  {count:3d}  {phrase}")
    print(f"\nmost frequent unresolved territories, {len(missed_ter)} distinct:")
    for phrase, count in missed_ter.most_common(args.top):
        print(f"  {count:3d}  {phrase}")


if __name__ == "__main__":
    main()
