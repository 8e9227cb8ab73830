"""Figures: indicator + territory + period + value + unit + change, read line by line.

figures.py reads the raw figures of a line; here a change is joined to the level it qualifies
("выросли на 4,6% до 1,052 трлн тенге" is one fact), periods and territories are carried from
sentence to sentence, and a figure repeated (headline and body) is kept once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from qala.extractor.context import Context
from qala.extractor.figures import Figure, LineState, direction_near, read_figures
from qala.extractor.indicators import indicator_for
from qala.extractor.periods import PeriodMention, base_label, find_periods
from qala.extractor.territories import Territories
from qala.extractor.units import UNIT
from qala.model import Change, Fact

LINE = re.compile(r"[^\n]+")
CLAUSE_BREAK = re.compile(r";")
GAP_WORD = re.compile(r"[а-яёa-z]+", re.IGNORECASE)
# Words that may stand between a change and the level it leads to:
# "на 4,6% до 1,052 трлн", "в два раза и составит более 68 млн м²", "на 7,5% — с 515 543 тенге до ..."
FORWARD_WORDS = frozenset({"и", "до", "с", "со", "более", "свыше", "около", "порядка", "почти", "чем",
                           "тыс", "млн", "млрд", "трлн"})
FORWARD_LINKS = re.compile(r"^(?:до|состав\w*|достиг\w*|достигнет)$", re.IGNORECASE)
# What stops a change from joining the level before it: a new list item, a new subject, a new sentence.
BACKWARD_STOP = re.compile(r"[—–]|\s-\s|(?<![а-яё])а(?![а-яё])|в\s+том\s+числе|из\s+них|\.\s+[А-ЯЁ]", re.IGNORECASE)
BACKWARD_MAX_WORDS = 8
# The years of a named plan ("Комплексного плана «Новый Алматы» на 2020-2024 годы") are the plan's,
# not the period of the figures that follow.
NAMED_PLAN = re.compile(r"(?:»|\b(?:план|программ|стратеги|концепци|генплан|послани)\w*)\s*(?:[\w-]+\s+){0,2}"
                        r"(?:на|до)?\s*$", re.IGNORECASE)


@dataclass
class DocState:
    period: str | None = None


def extract_facts(ctx: Context) -> list[Fact]:
    """Every socio-economic figure of the document, in text order, repeats removed."""
    territories = Territories(ctx)
    doc, line_state = DocState(), LineState()
    facts: list[Fact] = []
    lines: list[int] = []
    for start, line in _lines(ctx):
        mentions = find_periods(line, ctx.published)
        skip = [(m.start, m.stop) for m in mentions]
        figures = join_changes(line, read_figures(line, ctx.nlp, line_state, skip))
        for fig in figures:
            period = _period_for(fig, mentions, doc.period)
            change = _change_of(fig, line, mentions, period)
            territory = (territories.before(start + fig.start, start) or territories.main
                         or territories.after(start + fig.stop, start + len(line)))
            facts.append(Fact(
                indicator=fig.object if fig.unit == "count" else
                indicator_for(line, fig.start, fig.stop, ctx.nlp) or fig.object,
                value=fig.value, unit=fig.unit, territory=territory, period=period,
                object=fig.object, approx=fig.approx, change=change,
                span=_clause(line, start, fig),
            ))
            lines.append(start)
        periods = [m for m in mentions if m.kind == "period" and not NAMED_PLAN.search(line, 0, m.start)]
        if periods:
            doc.period = periods[-1].label
    return drop_repeats(facts, lines)


# ---------------------------------------------------------------- lines

def _lines(ctx: Context) -> Iterator[tuple[int, str]]:
    """Sentences cut at line breaks: headlines and widgets carry no full stop."""
    for sentence in ctx.parsed.sentences:
        for m in LINE.finditer(sentence.text):
            if m.group().strip():
                yield sentence.start + m.start(), m.group()


def _clause(line: str, offset: int, fig: Figure) -> tuple[int, int]:
    start = max((m.end() for m in CLAUSE_BREAK.finditer(line, 0, fig.start)), default=0)
    nxt = CLAUSE_BREAK.search(line, fig.stop)
    stop = nxt.start() if nxt else len(line)
    while start < stop and line[start].isspace():
        start += 1
    while stop > start and line[stop - 1].isspace():
        stop -= 1
    return offset + start, offset + stop


# ---------------------------------------------------------------- joining changes to levels

def join_changes(line: str, figures: list[Figure]) -> list[Figure]:
    """A change-only figure joins the level it leads to, else the level it follows."""
    figs = list(figures)
    i = 0
    while i < len(figs) - 1:
        change, level = figs[i], figs[i + 1]
        if change.is_change_only and _is_level(level) and _forward_gap(line[change.stop:level.start]):
            figs[i:i + 2] = [_joined(level, change, change.start, level.stop)]
        i += 1
    i = 1
    while i < len(figs):
        level, change = figs[i - 1], figs[i]
        if (change.is_change_only and change.change != "absolute" and _is_level(level)
                and _backward_gap(line[level.stop:change.start])):
            figs[i - 1:i + 1] = [_joined(level, change, level.start, change.stop)]
            continue
        i += 1
    return figs


def _is_level(fig: Figure) -> bool:
    return fig.value is not None and fig.unit not in (None, "%") and fig.change is None


def _joined(level: Figure, change: Figure, start: int, stop: int) -> Figure:
    return replace(level, start=start, stop=stop, change=change.change, change_value=change.change_value,
                   direction=change.direction)


def _forward_gap(gap: str) -> bool:
    words = GAP_WORD.findall(gap)
    if not any(FORWARD_LINKS.match(w) for w in words):
        return False
    return all(w.lower() in FORWARD_WORDS or FORWARD_LINKS.match(w) or UNIT.fullmatch(" " + w)
               for w in words)


def _backward_gap(gap: str) -> bool:
    return not BACKWARD_STOP.search(gap) and len(GAP_WORD.findall(gap)) <= BACKWARD_MAX_WORDS


# ---------------------------------------------------------------- period, change

def _period_for(fig: Figure, mentions: list[PeriodMention], inherited: str | None) -> str | None:
    periods = [m for m in mentions if m.kind == "period"]
    before = [m for m in periods if m.stop <= fig.start]
    if before:
        return before[-1].label
    after = [m for m in periods if m.start >= fig.stop]
    return after[0].label if after else inherited


def _change_of(fig: Figure, line: str, mentions: list[PeriodMention], period: str | None) -> Change | None:
    if fig.change is None or fig.change_value is None:
        return None
    direction = fig.direction or direction_near(line, fig.start)
    if direction is None and fig.change == "times":
        direction = "up"  # "в 5 раз" with no verb: a multiple is a rise
    bases = [m for m in mentions if m.kind == "base"]
    base = min(bases, key=lambda m: abs(m.start - fig.start)) if bases else None
    return Change(kind=fig.change, value=fig.change_value, direction=direction,
                  base_period=base_label(base, period) if base else None)


# ---------------------------------------------------------------- repeats

def drop_repeats(facts: list[Fact], lines: list[int]) -> list[Fact]:
    """A figure told twice (headline and body) is one fact. Change-only figures count as repeats
    only from another line and with the same indicator and territory ("рост в легкой
    промышленности на 16%, машиностроении на 16%" is two facts)."""
    seen: dict[tuple, int] = {}
    out = []
    for fact, line in zip(facts, lines, strict=True):
        change = (fact.change.kind, fact.change.value) if fact.change else None
        key: tuple = (fact.value, fact.unit, fact.object, change)
        if fact.value is None:
            key += (fact.indicator, fact.territory)
        if key in seen and (fact.value is not None or seen[key] != line):
            continue
        seen.setdefault(key, line)
        out.append(fact)
    return out
