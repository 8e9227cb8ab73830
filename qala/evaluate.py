"""Scores extractions against hand-made answers (``*.gold.json``) by the rules of shared/corpus/README.md.

A document's metadata in its gold file (``published``, ``source``, ``url``) is passed to the
extractor the way a crawler would pass it; everything else is what is scored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qala.errors import InvalidInput

WORD = re.compile(r"\w+")


# ---------------------------------------------------------------- matching rules

def stems(phrase: str | None) -> set[str]:
    """Words longer than 2 letters, lower-cased, cut to 5 letters.

    >>> sorted(stems("министр национальной экономики"))
    ['минис', 'нацио', 'эконо']
    """
    return {w.lower()[:5] for w in WORD.findall(phrase or "") if len(w) > 2}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def surname_key(name: str | None) -> str:
    """Last word of a name longer than 2 letters, lower-cased, first 6 letters.

    >>> surname_key("Аскар Мамин")
    'мамин'
    """
    words = [w for w in WORD.findall(name or "") if len(w) > 2]
    return words[-1].lower()[:6] if words else ""


def values_agree(gold: float | None, pred: float | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    largest = max(abs(gold), abs(pred))
    return largest == 0 or abs(gold - pred) <= 0.005 * largest


def fact_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if (gold.get("unit") or None) != (pred.get("unit") or None):
        return False
    if not values_agree(gold.get("value"), pred.get("value")):
        return False
    gchange = gold.get("change")
    if gchange:
        pchange = pred.get("change")
        if not pchange or pchange.get("kind") != gchange.get("kind"):
            return False
        if pchange.get("value") is None or abs(float(pchange["value"]) - float(gchange["value"])) > 0.05:
            return False
    return True


def person_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    key = surname_key(gold.get("name"))
    return bool(key) and key == surname_key(pred.get("name"))


def instruction_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return jaccard(stems(gold.get("text")), stems(pred.get("text"))) >= 0.5


def greedy_pairs(gold: list[dict], pred: list[dict],
                 matches: Callable[[dict, dict], bool]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Gold items in order, each taking the first unused predicted item that matches."""
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    missed: list[int] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and matches(g, p):
                used.add(pi)
                pairs.append((gi, pi))
                break
        else:
            missed.append(gi)
    spurious = [pi for pi in range(len(pred)) if pi not in used]
    return pairs, missed, spurious


# ---------------------------------------------------------------- scores

@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    hit: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.hit / self.total if self.total else 1.0


@dataclass
class Report:
    documents: int = 0
    facts: Score = field(default_factory=Score)
    persons: Score = field(default_factory=Score)
    instructions: Score = field(default_factory=Score)
    posts: Ratio = field(default_factory=Ratio)
    periods: Ratio = field(default_factory=Ratio)
    details: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"documents      {self.documents}"]
        for name in ("facts", "persons", "instructions"):
            s: Score = getattr(self, name)
            out.append(f"{name:<14} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
                       f"  (tp={s.tp} fp={s.fp} fn={s.fn})")
        out.append(f"posts found    {self.posts.share:.3f}  ({self.posts.hit}/{self.posts.total})")
        out.append(f"periods right  {self.periods.share:.3f}  ({self.periods.hit}/{self.periods.total})")
        return out


def _fact_label(f: dict[str, Any]) -> str:
    change = f.get("change")
    ch = f" change={change['kind']}:{change['value']}:{change.get('direction')}" if change else ""
    return (f"{f.get('indicator')!r} value={f.get('value')} unit={f.get('unit')} obj={f.get('object')}"
            f" period={f.get('period')} approx={f.get('approx')}{ch}")


def _match_kind(report: Report, name: str, kind: str, gold: list[dict], pred: list[dict],
                matches: Callable[[dict, dict], bool], label: Callable[[dict], str]) -> list[tuple[int, int]]:
    """Pair one kind of item, add to its score and list the misses and spurious items."""
    pairs, missed, spurious = greedy_pairs(gold, pred, matches)
    score: Score = getattr(report, kind + "s")
    score.tp += len(pairs)
    score.fn += len(missed)
    score.fp += len(spurious)
    report.details.extend(f"{name}: missed {kind:<12} {label(gold[i])}" for i in missed)
    report.details.extend(f"{name}: spurious {kind:<10} {label(pred[i])}" for i in spurious)
    return pairs


def _person_label(p: dict[str, Any]) -> str:
    return f"{p.get('name')} {p.get('positions')}"


def _instruction_label(i: dict[str, Any]) -> str:
    return repr(i.get("text"))


def score_document(report: Report, name: str, gold: dict[str, Any], pred: dict[str, Any]) -> None:
    report.documents += 1
    d = report.details

    gf, pf = gold.get("facts") or [], pred.get("facts") or []
    for gi, pi in _match_kind(report, name, "fact", gf, pf, fact_matches, _fact_label):
        report.periods.total += 1
        if gf[gi].get("period") == pf[pi].get("period"):
            report.periods.hit += 1
        else:
            d.append(f"{name}: period  gold={gf[gi].get('period')} got={pf[pi].get('period')}"
                     f"  {_fact_label(gf[gi])}")

    gp, pp = gold.get("persons") or [], pred.get("persons") or []
    pairs = _match_kind(report, name, "person", gp, pp, person_matches, _person_label)
    for gi, pi in pairs:
        predicted = [stems(p) for p in pp[pi].get("positions") or []]
        for post in gp[gi].get("positions") or []:
            report.posts.total += 1
            if any(jaccard(stems(post), s) >= 0.5 for s in predicted):
                report.posts.hit += 1
            else:
                d.append(f"{name}: missed post    {gp[gi]['name']}: {post!r}"
                         f"  (got {pp[pi].get('positions')})")
    matched = {gi for gi, _ in pairs}
    for gi, person in enumerate(gp):
        if gi not in matched:  # a missed person's posts are missed too
            report.posts.total += len(person.get("positions") or [])

    _match_kind(report, name, "instruction", gold.get("instructions") or [], pred.get("instructions") or [],
                instruction_matches, _instruction_label)


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidInput(f"{path}: expected a gold JSON file, got unreadable content ({e})") from None
    if not isinstance(gold, dict):
        raise InvalidInput(f"{path}: expected a JSON object, got {type(gold).__name__}")
    return gold


def gold_pairs(gold_dir: Path) -> Iterable[tuple[Path, Path]]:
    if not gold_dir.is_dir():
        raise InvalidInput(f"{gold_dir}: expected a directory of *.gold.json files")
    found = sorted(gold_dir.glob("*.gold.json"))
    if not found:
        raise InvalidInput(f"{gold_dir}: expected *.gold.json files, found none")
    for gold_path in found:
        text_path = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
        yield gold_path, text_path


SPLITS = ("all", "tune", "validation")


def split_of(name: str) -> str:
    """The fixed part of the corpus a text belongs to: a fifth by a hash of its name is held out.

    Rules are tuned on ``tune`` only; ``validation`` stands for text nobody has read.

    >>> split_of("seed-almaty-2021-02-04"), split_of("A-01")
    ('validation', 'tune')
    """
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    return "validation" if digest % 5 == 0 else "tune"


def evaluate_dir(gold_dir: str | Path, extractor: Callable[..., Any] | None = None,
                 split: str = "all") -> Report:
    from qala.extractor import extract
    from qala.text import read_path

    if split not in SPLITS:
        raise InvalidInput(f"split: expected one of {', '.join(SPLITS)}, got {split!r}")
    extractor = extractor or extract
    report = Report()
    for gold_path, text_path in gold_pairs(Path(gold_dir)):
        if split != "all" and split_of(text_path.stem) != split:
            continue
        gold = load_gold(gold_path)
        raw = read_path(text_path)
        pred = extractor(raw.text, gold.get("published"), source=gold.get("source"), path=str(text_path))
        score_document(report, text_path.name, gold, pred.to_json())
    return report
