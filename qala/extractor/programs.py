"""Named state programmes and plans: kind + name (quoted or capitalized) + period.

  QUOTED       Комплексного плана «Новый Алматы» на 2020-2024 годы → Новый Алматы / Комплексный план
  CAPITALIZED  проекты Карты индустриализации → Карта индустриализации / Карта
               (a kind written with a capital letter inside a sentence, with its genitive words)
"""

from __future__ import annotations

import re
from functools import lru_cache

from qala.extractor.context import Context
from qala.extractor.kinds import KindLexicon, KindMatch, nominative_phrase
from qala.extractor.nlp import Pipeline
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordclass import can_be_genitive
from qala.model import Program

QUOTES = {"«": "»", "\"": "\"", "“": "”", "„": "“"}
PERIOD = re.compile(r"^\s*(?:на|в)\s+(\d{4})\s*[-–—]\s*(\d{4})\s+(?:годы|гг\.?)|^\s*на\s+(\d{4})\s+год\b")
STOP_WORDS = frozenset({"до", "на", "в", "по", "с", "и", "для", "от", "за", "к"})
MAX_NAME_TOKENS = 12
MAX_DEPENDENTS = 5


@lru_cache(maxsize=2)
def _lexicon(nlp: Pipeline) -> KindLexicon:
    return KindLexicon(nlp, "programs_kinds")


def _quoted(ctx: Context, idx: TokenIndex, kind: KindMatch) -> tuple[str, int, int] | None:
    toks = idx.tokens
    k = kind.stop
    if k >= len(toks) or toks[k].text not in QUOTES:
        return None
    close = QUOTES[toks[k].text]
    for j in range(k + 1, min(len(toks), k + MAX_NAME_TOKENS)):
        if toks[j].text == close:
            if j == k + 1:
                return None
            return ctx.text[toks[k + 1].start: toks[j - 1].stop], toks[kind.first].start, toks[j].stop
        if idx.sentence[j] != idx.sentence[k]:
            return None
    return None


def _capitalized(ctx: Context, idx: TokenIndex, kind: KindMatch) -> tuple[str, int, int] | None:
    toks = idx.tokens
    first = toks[kind.first].text
    sent_start = idx.sentence_bounds(kind.first)[0]
    single = kind.stop - kind.first == 1
    if not first[:1].isupper() or (kind.first == sent_start and single):
        return None
    j = kind.stop
    while (j < len(toks) and j - kind.stop < MAX_DEPENDENTS and idx.sentence[j] == idx.sentence[kind.first]
           and toks[j].text[:1].isalpha() and toks[j].text.lower() not in STOP_WORDS
           and can_be_genitive(ctx.nlp, toks[j].text)):
        j += 1
    if j == kind.stop and single:
        return None  # a capitalized "Программа" alone names nothing
    head = nominative_phrase(ctx.nlp, [t.text for t in toks[kind.first:kind.stop]])
    tail = ctx.text[toks[kind.stop - 1].stop: toks[j - 1].stop] if j > kind.stop else ""
    return head + tail, toks[kind.first].start, toks[j - 1].stop


def _period(ctx: Context, stop: int) -> str | None:
    m = PERIOD.match(ctx.text[stop: stop + 40])
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2)}" if m.group(1) else m.group(3)


RULES = (_quoted, _capitalized)


def extract_programs(ctx: Context) -> list[Program]:
    idx = token_index(ctx.parsed)
    lexicon = _lexicon(ctx.nlp)
    out: list[Program] = []
    seen: set[str] = set()
    k = 0
    while k < len(idx.tokens):
        kind = lexicon.match(idx, k)
        if not kind:
            k += 1
            continue
        for rule in RULES:
            found = rule(ctx, idx, kind)
            if found:
                name, start, stop = found
                key = name.lower()
                if key not in seen:
                    seen.add(key)
                    out.append(Program(name=name, kind=kind.label, period=_period(ctx, stop),
                                       span=(start, stop)))
                break
        k = kind.stop
    return out
