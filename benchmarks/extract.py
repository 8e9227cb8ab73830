"""Extraction speed against natasha's own segmenter+NER on the same texts, in the same run.

    .venv/bin/python benchmarks/extract.py [--mb 5] [--corpus ../shared/corpus/dev]

Prints docs/s and MB/s for the whole extraction, the ratio of Qala's time to natasha's
segmenter+NER alone (goal: <= 2.0), and the time for one 100 KB and one 2 MB text (linearity).
Each document is timed with both, interleaved, so machine noise falls on both sides alike.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_texts(corpus: Path) -> list[str]:
    from qala.samples import sample_names, sample_text

    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))] if corpus.is_dir() else []
    texts += [sample_text(name) for name in sample_names()]
    return [t for t in texts if t.strip()]


def natasha_only(nlp, text: str) -> None:
    from natasha import Doc

    doc = Doc(text)
    doc.segment(nlp.segmenter)
    doc.tag_ner(nlp.ner)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size to reach by repetition")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--no-linearity", action="store_true")
    args = parser.parse_args()

    import qala
    from qala.extractor.nlp import pipeline

    nlp = pipeline()
    base = load_texts(args.corpus)
    qala.extract(base[0])  # warm up: models and caches load outside the timing
    natasha_only(nlp, base[0])

    target = int(args.mb * 1024 * 1024)
    docs: list[str] = []
    size = 0
    while size < target:
        for t in base:
            docs.append(t)
            size += len(t.encode("utf-8"))
            if size >= target:
                break

    t_qala = t_natasha = 0.0
    for text in docs:
        t0 = time.perf_counter()
        natasha_only(nlp, text)
        t1 = time.perf_counter()
        qala.extract(text, "2021-02-04")
        t2 = time.perf_counter()
        t_natasha += t1 - t0
        t_qala += t2 - t1

    mb = size / 1024 / 1024
    print(f"corpus: {len(docs)} docs, {mb:.2f} MB ({len(base)} distinct texts)")
    print(f"qala extract: {len(docs) / t_qala:.1f} docs/s, {mb / t_qala:.3f} MB/s ({t_qala:.1f} s)")
    print(f"natasha segmenter+NER: {len(docs) / t_natasha:.1f} docs/s, {mb / t_natasha:.3f} MB/s ({t_natasha:.1f} s)")
    print(f"ratio qala/natasha: {t_qala / t_natasha:.2f} (goal <= 2.0)")

    if not args.no_linearity:
        joined = "\n".join(base)
        times = {}
        for label, n_bytes in (("100 KB", 100 * 1024), ("2 MB", 2 * 1024 * 1024)):
            text = (joined + "\n") * (n_bytes // len(joined.encode("utf-8")) + 1)
            text = text[: len(text) * n_bytes // len(text.encode("utf-8"))]
            t0 = time.perf_counter()
            qala.extract(text, "2021-02-04")
            times[label] = time.perf_counter() - t0
            print(f"one text of {label}: {times[label]:.2f} s")
        per_kb_small = times["100 KB"] / 100
        per_kb_big = times["2 MB"] / 2048
        print(f"linearity: time per KB at 2 MB / at 100 KB = {per_kb_big / per_kb_small:.2f} (1.0 is linear)")


if __name__ == "__main__":
    main()
