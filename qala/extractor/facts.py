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
from qala.extractor.periods import (
    PeriodMention,
    base_label,
    clause_tense,
    find_periods,
    is_reporting_range,
    reference_date,
    resolve_prior,
)
from qala.extractor.territories import Territories
from qala.extractor.units import UNIT, read_counted
from qala.model import Change, Fact
from qala.periods import parse_period

LINE = re.compile(r"[^\n]+")
CLAUSE_BREAK = re.compile(r";")
GAP_WORD = re.compile(r"[а-яёa-z]+", re.IGNORECASE)
# Words that may stand between a change and the level it leads to:
# "на 4,6% до 1,052 трлн", "в два раза и составит более 68 млн м²", "на 7,5% — с 515 543 тенге до ..."
FORWARD_WORDS = frozenset({"и", "до", "с", "со", "более", "свыше", "около", "порядка", "почти", "чем",
                           "тыс", "млн", "млрд", "трлн"})
# "ввод жилья – на 14,5%, или порядка 15 млн кв. м": the level the change led to, told after "или"
OR_LEVEL = re.compile(r"\s*,?\s*или\s+(?:(?:порядка|около|более|свыше|почти|примерно)\s+)?", re.IGNORECASE)
FORWARD_LINKS = re.compile(r"^(?:до|состав\w*|достиг\w*|достигнет|превы[сш]\w*)$", re.IGNORECASE)
# What stops a change from joining the level before it: a new list item, a new subject, a new sentence.
BACKWARD_STOP = re.compile(r"[—–]|\s-\s|(?<![а-яё])а(?![а-яё])|в\s+том\s+числе|из\s+них|\.\s+(?-i:[А-ЯЁ])",
                           re.IGNORECASE)
# ... unless the gap only names the change: "724 млрд тенге, рост — 26%", "(прирост – 3%)".
BACKWARD_GROWTH = re.compile(r"^\s*[,(]?\s*(?:рост|прирост|снижени|падени|увеличени|уменьшени|спад)\w*"
                             r"\s*(?:[—–:-]|\s-\s|составил\w*)?\s*$", re.IGNORECASE)
BACKWARD_MAX_WORDS = 8
LEADING_DASH = re.compile(r"^\s*[—–-]\s")
# The years of a named plan ("Комплексного плана «Новый Алматы» на 2020-2024 годы") are the plan's,
# not the period of the figures that follow.
NAMED_PLAN = re.compile(r"(?:»|\b(?:план|программ|стратеги|концепци|генплан|послани)\w*)\s*(?:[\w-]+\s+){0,2}"
                        r"(?:на|до)?\s*$", re.IGNORECASE)

# "выделено 5 млрд тенге в 2024 году и 6 млрд в 2025 году": a period written right after a figure is its own.
THIS_START = re.compile(r"\s*(?:Это|Что)\s", re.IGNORECASE)
# "Экспорт составил 2 млрд долларов. Рост составил 12%.": a sentence that only names a change
GROWTH_START = re.compile(r"\s*(?:Рост|Прирост|Снижение|Падение|Увеличение|Уменьшение|Сокращение)"
                          r"(?:\s+(?:составил\w*|состав\w+))?\s*(?:[—–:-]\s*)?(?:на\s+)?"
                          r"(?:(?:более|свыше|около|почти|порядка)(?:\s+чем)?\s+)?(?:на\s+)?$", re.IGNORECASE)
TRAILING_WORDS = re.compile(r"\s*(?:[,(]\s*)?(?:в|во|по|на)\s+[а-яё]", re.IGNORECASE)  # "Рост 5% в торговле, ..."
MEASURE_WORDS = frozenset({"единица", "штука", "шт"})
QUANTITY_HEAD = re.compile(r"(?:численност|количеств|число|поголовь)\w*\s", re.IGNORECASE)
CLAUSE_COMMA = re.compile(r"[,;]\s")  # "составляет 38%, к 2026 году он должен достичь 50%"
SENTENCE_END = re.compile(r"[.!?]\s+[А-ЯЁ]")
RIGHT_AFTER = re.compile(r"\s+(?:(?:в|во|за|на)\s+)?", re.IGNORECASE)


@dataclass
class DocState:
    period: str | None = None
    reporting: str | None = None  # the last range from January named ("за январь-апрель"): "с начала года"
    forecast: bool = False  # the period carried is a target or a span of years: it holds only for promises
    stock: bool = False     # the period carried is a day a state was counted on: not for what was done


def extract_facts(ctx: Context) -> list[Fact]:
    """Every socio-economic figure of the document, in text order, repeats removed."""
    territories = Territories(ctx)
    doc, line_state = DocState(), LineState()
    facts: list[Fact] = []
    lines: list[int] = []
    published = ctx.published or reference_date(ctx.text)
    named_period = False
    first_period: str | None = None  # the first period the text names
    lead: list[int] = []             # figures told before any period was named
    for start, line in _lines(ctx):
        mentions = resolve_prior(find_periods(line, published), doc.period, doc.reporting)
        named_period = named_period or any(m.kind == "period" for m in mentions)
        skip = [(m.start, m.stop) for m in mentions]
        figures = join_changes(line, read_figures(line, ctx.nlp, line_state, skip))
        mentions = [m for m in mentions if not _of_modifier(line, m, figures, ctx)]
        if figures and facts and lines[-1] != start and _qualifies_last(line, figures[0], facts[-1]):
            prev = facts[-1]  # "Выдано кредитов на 187 млрд тенге. Это в 1,5 раза больше, чем ..."
            facts[-1] = replace(prev, change=_change_of(figures[0], line, mentions, prev.period))
            figures = figures[1:]
        for fig in figures:
            inherited = _inherited(doc, _tense(line, fig, ctx), ctx.published)
            period = _period_for(fig, mentions, inherited, line, figures, ctx.published)
            change = _change_of(fig, line, mentions, period)
            territory = (territories.before(start + fig.start, start) or territories.main
                         or territories.after(start + fig.stop, start + len(line)))
            indicator = _indicator(fig, line, ctx)
            facts.append(Fact(
                indicator=indicator,
                value=fig.value, unit=fig.unit, territory=territory, period=period,
                object=_counted_thing(fig, indicator, ctx), approx=fig.approx, change=change,
                span=_clause(line, start, fig),
            ))
            lines.append(start)
            if period is None and first_period is None and not doc.period and SENTENCE_STOP.search(line) \
                    and not any(m.kind == "period" for m in mentions):
                lead.append(len(facts) - 1)
        periods = [m for m in mentions if m.kind == "period" and not m.prior
                   and not (m.past and doc.period) and not NAMED_PLAN.search(line, 0, m.start)]
        if periods:
            doc.period, doc.forecast, doc.stock = periods[-1].label, not periods[-1].carries, periods[-1].stock
            if first_period is None:
                first_period = next((m.label for m in periods if m.carries), None) or ""
        doc.reporting = next((m.label for m in reversed(periods) if is_reporting_range(m.label)), doc.reporting)
    dated = next((f.period for f in facts[lead[-1] + 1:] if f.period), None) if lead else None
    if dated and _is_reported(dated, published):
        for k in lead:  # "Рост экономики составил 4%. ... В 2025 году привлечено ...": the lead speaks of it too
            if facts[k].period is None and (facts[k].change is not None or _reported_done(facts[k], ctx, REPORT_VERBS)):
                facts[k] = replace(facts[k], period=dated)
    if not named_period and ctx.published_year:
        facts = [replace(f, period=str(ctx.published_year))
                 if f.period is None and (f.change is not None or _reported_done(f, ctx)) else f
                 for f in facts]
    return drop_repeats(facts, lines)


SPEECH_VERBS = frozenset({"сказать", "сообщить", "отметить", "рассказать", "подчеркнуть", "заявить",
                          "доложить", "добавить", "пояснить", "уточнить", "напомнить", "говорить", "заметить"})
CLAUSE_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)


# Verbs a result of a period is reported with ("составил", "выросло"), not a decision ("увеличил размер")
# nor a milestone of one plant ("мощность достигла 4 000 МВт")
REPORT_VERBS = frozenset({"составить", "вырасти", "возрасти", "увеличиться", "снизиться", "сократиться",
                          "уменьшиться"})


def _reported_done(fact: Fact, ctx: Context, verbs: frozenset[str] | None = None) -> bool:
    """A figure told as done ("направлено 29 млрд тенге", "собрали 207 тыс. тонн"): its clause has a
    verb in the past tense or a short passive participle, other than one of speech ("рассказал, что ...")
    (one of ``verbs``, when given: a passive participle always counts). In a text that names no period
    at all, such a figure is of the year the text was published."""
    for word in CLAUSE_WORD.findall(ctx.text, *fact.span):
        parses = ctx.nlp.parse_word(word.lower())
        if not parses:
            continue
        tag = parses[0].tag
        if tag.POS == "PRTS" or tag.POS == "VERB" and "past" in tag.grammemes \
                and parses[0].normal_form not in SPEECH_VERBS and (verbs is None or parses[0].normal_form in verbs):
            return True
    return False


def _qualifies_last(line: str, fig: Figure, last: Fact) -> bool:
    """A sentence that opens with "Это"/"Что" and a change speaks of the level told just before."""
    if GROWTH_START.match(line[:fig.start]) and fig.is_change_only and fig.change in ("percent", "times") \
            and last.value is not None and last.change is None and last.unit != "%" \
            and not TRAILING_WORDS.match(line, fig.stop):
        return True
    opening = THIS_START.match(line)
    return (opening is not None and fig.is_change_only and (fig.change != "absolute" or fig.in_points)
            and last.value is not None and last.change is None and last.unit != "%"
            and len(GAP_WORD.findall(line, opening.end(), fig.start)) <= 3)


def _indicator(fig: Figure, line: str, ctx: Context) -> str | None:
    """A count is of its object ("проект"), unless a quantity names it ("численность населения")."""
    found = indicator_for(line, fig.start, fig.level_stop or fig.stop, ctx.nlp)
    if fig.unit == "count" and not (found and QUANTITY_HEAD.match(found)):
        return fig.object
    return found or fig.object


def _counted_thing(fig: Figure, indicator: str | None, ctx: Context) -> str | None:
    """"Число торговых объектов достигло 186 тыс. единиц": the thing is named by the quantity, not "единица"."""
    if fig.unit != "count" or fig.object not in MEASURE_WORDS or not indicator:
        return fig.object
    head = QUANTITY_HEAD.match(indicator)
    unit = read_counted(indicator, head.end() - 1, ctx.nlp) if head else None
    return unit.object if unit else fig.object


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
        gap = line[change.stop:level.start]
        if change.is_change_only and _is_level(level) and (_forward_gap(gap) or change.change == "percent"
                                                           and OR_LEVEL.fullmatch(gap)):
            figs[i:i + 2] = [_joined(level, change, change.start, level.stop)]
        i += 1
    i = 1
    while i < len(figs):
        level, change = figs[i - 1], figs[i]
        if (change.is_change_only and _follows(level, change) and _backward_gap(line[level.stop:change.start])):
            figs[i - 1:i + 1] = [_joined(level, change, level.start, change.stop)]
            continue
        i += 1
    return figs


def _follows(level: Figure, change: Figure) -> bool:
    """A change after a level qualifies it: "612 тыс. м², что на 8% меньше"; a level in percent takes
    only a change in points ("4,7%, что на 0,2 процентного пункта ниже")."""
    if level.unit == "%":
        return level.value is not None and level.change is None and change.in_points
    return (change.change != "absolute" or change.in_points) and _is_level(level)


def _is_level(fig: Figure) -> bool:
    return fig.value is not None and fig.unit not in (None, "%") and fig.change is None


def _joined(level: Figure, change: Figure, start: int, stop: int) -> Figure:
    return replace(level, start=start, stop=stop, change=change.change, change_value=change.change_value,
                   direction=change.direction, level_stop=level.stop)


def _forward_gap(gap: str) -> bool:
    words = GAP_WORD.findall(gap)
    if not any(FORWARD_LINKS.match(w) for w in words):
        return False
    return all(w.lower() in FORWARD_WORDS or FORWARD_LINKS.match(w) or UNIT.fullmatch(" " + w)
               for w in words)


def _backward_gap(gap: str) -> bool:
    if BACKWARD_GROWTH.match(gap):
        return True
    gap = LEADING_DASH.sub("", gap)  # "310 тыс. – иностранцы, что на 24% больше": the dash describes the level
    return not BACKWARD_STOP.search(gap) and len(GAP_WORD.findall(gap)) <= BACKWARD_MAX_WORDS


# ---------------------------------------------------------------- period, change

def _tense(line: str, fig: Figure, ctx: Context) -> str | None:
    """The tense of the figure's part of the sentence (between commas), else of the whole sentence;
    "past" whenever the sentence tells of something done and the part of something holding now
    ("привлечено 397 млрд, причем доля превышает 70%")."""
    start, stop = _segment(line, fig)
    own = clause_tense(line[start:stop], ctx.nlp.parse_word)
    whole = clause_tense(line, ctx.nlp.parse_word, prefer="past")
    if own == "present" and whole == "past":
        return "past"
    return own or clause_tense(line, ctx.nlp.parse_word)


COMMA_CLAUSE = re.compile(r"[^,;()]+")
MODIFIER_HEAD = re.compile(r"\s*(?:котор\w+|[а-яё]+)", re.IGNORECASE)


def _of_modifier(line: str, mention: PeriodMention, figures: list[Figure], ctx: Context) -> bool:
    """A period inside a clause between commas that opens with a participle or "который" and holds
    no figure dates the noun it describes ("Программа, принятая в 2019 году, обеспечила ..."), not a
    figure of the sentence."""
    if mention.kind != "period":
        return False
    clause = next((m for m in COMMA_CLAUSE.finditer(line) if m.start() <= mention.start < m.end()), None)
    if clause is None or clause.start() == 0 or any(clause.start() <= f.start < clause.end() for f in figures):
        return False
    head = MODIFIER_HEAD.match(line, clause.start())
    if head is None or head.end() > mention.start:
        return False
    word = head.group().strip().lower()
    if word.startswith("котор"):
        return True
    parses = ctx.nlp.parse_word(word)
    return bool(parses) and parses[0].tag.POS == "PRTF"


def _inherited(doc: DocState, tense: str | None, published: str | None) -> str | None:
    """The period carried from earlier sentences, if it can hold for a figure told in this tense:
    a target or a span of years ("до 2030 года", "в ближайшие 10 лет") only for what is promised or
    stated after it, not for what is told as done, nor once it is over;
    a period already over ("за январь-август") not for what is yet to come ("будет создано"); a day
    a state was counted on ("на 1 октября") not for what was done ("создали 53 кооператива")."""
    if doc.period is None:
        return None
    if doc.forecast:
        return None if tense == "past" or _is_over(doc.period, published) else doc.period
    if tense == "future" and _is_over(doc.period, published) or tense == "past" and doc.stock:
        return None
    return doc.period


def _is_year_of(label: str | None, published: str | None) -> bool:
    """The label is the whole year the text was published in."""
    return bool(label and published) and label == published[:4]  # type: ignore[index]


def _is_reported(label: str, published: str | None) -> bool:
    """A period that can be reported on: one year or part of it, begun by the time of publication
    (any, when the date is unknown)."""
    period = parse_period(label)
    return period is not None and period.start.year == period.end.year \
        and (not published or period.start.isoformat()[:7] <= published[:7])


def _is_over(label: str, published: str | None) -> bool:
    """The period ended before the month of publication; with no date, a range of months is taken as over."""
    period = parse_period(label)
    if period is None:
        return False
    if not published:
        return _is_span_of_months(label)
    return f"{period.end.year}-{period.end.month:02d}" < published[:7]


def _period_for(fig: Figure, mentions: list[PeriodMention], inherited: str | None,
                line: str = "", figures: list[Figure] | None = None, published: str | None = None) -> str | None:
    """The period named right after the figure ("6 млрд в 2025 году"), else the last one before
    it in the line, else the first one after it that is not another figure's own ("300 млрд против
    250 млрд в 2022 году"), else the one carried from earlier sentences."""
    periods = [m for m in mentions if m.kind == "period"]
    right_after = next((m for m in periods if m.start >= fig.stop), None)
    if right_after and RIGHT_AFTER.fullmatch(line, fig.stop, right_after.start):
        return right_after.label
    if _is_stock(line, fig) or ATTRIBUTE.search(line, max(0, fig.start - 40), fig.start):
        # "За три года построили 35 больниц, также функционируют 3 центра": a state now, of the year
        # it is told in at most; "город с населением 100 тысяч": what a place is, not what a period brought
        start, stop = _segment(line, fig)
        own = [m for m in periods if start <= m.start and m.stop <= stop]
        if own:
            return own[0].label
        before = [m for m in periods if m.stop <= fig.start]
        told = before[-1].label if before else inherited
        return told if _is_stock(line, fig) and _is_year_of(told, published) else None
    before = [m for m in periods if m.stop <= fig.start]
    if before:
        return before[-1].label
    later = [f for f in figures or () if f.start >= fig.stop]
    after = [m for m in periods if m.start >= fig.stop and not m.prior
             and not any(f.stop <= m.start and RIGHT_AFTER.fullmatch(line, f.stop, m.start) for f in later)]
    if after and inherited and (SENTENCE_END.search(line, fig.stop, after[0].start)
                                or CLAUSE_COMMA.search(line, fig.stop, after[0].start)):
        return inherited  # "... 57,9 млрд кВт·ч. В текущем году ...": a sentence the splitter missed
    return after[0].label if after else inherited


# A state that holds now: what works, is under way or lives somewhere ("функционируют 3 центра",
# "реализуется 26 проектов", "проживает 150 тыс. человек").
STOCK_VERB = re.compile(r"(?<![а-яё])(?:функционир\w+|действу(?:ет|ют)|реализу(?:ется|ются)|вед[её]тся|ведутся"
                        r"|прожива(?:ет|ют)|жив(?:[её]т|ут)|насчитыва(?:ет|ют)ся)(?![а-яё])",
                        re.IGNORECASE)
# The size of a place, told as what it is: "город с населением свыше 100 тысяч человек".
ATTRIBUTE = re.compile(r"(?<![а-яё])(?:с\s+населением|с\s+численностью\s+населения)"
                       r"(?:\s+(?:более|свыше|около|порядка|почти|до))?\s*$", re.IGNORECASE)
# A sentence of the lead ends in a stop; a headline does not, and its figures are left to their repeats.
SENTENCE_STOP = re.compile(r"[.!?…»\"]\s*$")
SEGMENT_BREAK = re.compile(r"[,;:]|\s[—–-]\s|[.!?]\s+(?=[А-ЯЁ])")


MONTHS_LABEL = re.compile(r"\d{4}-\d\d(?:\.\.\d{4}-\d\d)?")


def _is_span_of_months(label: str) -> bool:
    """"2024-01..2024-06", "2024-04": months, not years."""
    return MONTHS_LABEL.fullmatch(label) is not None


def _segment(line: str, fig: Figure) -> tuple[int, int]:
    """The figure's part of the sentence, between commas, colons and dashes."""
    start = max((m.end() for m in SEGMENT_BREAK.finditer(line, 0, fig.start)), default=0)
    nxt = SEGMENT_BREAK.search(line, fig.stop)
    return start, nxt.start() if nxt else len(line)


def _is_stock(line: str, fig: Figure) -> bool:
    """The figure's part of the sentence tells of a state with a present-tense verb: a state now
    takes only a period named in that part ("на 1 октября действуют 540 гостиниц"), never one
    carried from the sentences before or named elsewhere in the sentence."""
    return STOCK_VERB.search(line, *_segment(line, fig)) is not None


def _change_of(fig: Figure, line: str, mentions: list[PeriodMention], period: str | None) -> Change | None:
    if fig.change is None and fig.from_value is not None and fig.value is not None \
            and fig.from_value != fig.value:  # "снизилась с 78% до 71%": by 7 points
        return Change(kind="absolute", value=float(f"{abs(fig.value - fig.from_value):.12g}"),
                      direction="up" if fig.value > fig.from_value else "down", base_period=None)
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
    """A figure told twice (headline and body) is one fact, which keeps what either telling says
    (the body's period and change fill the headline's gaps). Change-only figures count as repeats
    only from another line and with the same indicator and territory ("рост в легкой
    промышленности на 16%, машиностроении на 16%" is two facts)."""
    seen: dict[tuple, int] = {}
    by_value: dict[tuple, list[int]] = {}
    out: list[Fact] = []
    for fact, line in zip(facts, lines, strict=True):
        if fact.value is None:
            key = (fact.change.kind, fact.change.value, fact.indicator, fact.territory) if fact.change else None
            if key in seen and seen[key] != line:
                continue
            seen.setdefault(key, line)
            out.append(fact)
            continue
        same = by_value.setdefault((fact.value, fact.unit), [])
        k = next((k for k in same if _same_figure(out[k], fact)), None)
        if k is None:
            same.append(len(out))
            out.append(fact)
        else:
            out[k] = _merged(out[k], fact)
    return out


def _same_figure(a: Fact, b: Fact) -> bool:
    """Same value and unit, the same counted thing ("инвестпроект" is a "проект"), no clash of changes."""
    objects = a.object == b.object or bool(a.object and b.object and (a.object.endswith(b.object)
                                                                      or b.object.endswith(a.object)))
    changes = a.change is None or b.change is None or (a.change.kind, a.change.value) == (b.change.kind,
                                                                                           b.change.value)
    return objects and changes


def _merged(first: Fact, again: Fact) -> Fact:
    # the shorter object ("проект" for "инвестпроект"), unless the longer one is a two-word name of it
    # ("ученическое место" for "место")
    obj = min((o for o in (first.object, again.object) if o), key=lambda o: (" " not in o, len(o)), default=None)
    indicator = first.indicator or again.indicator
    if first.indicator and first.indicator == first.object:  # a count named by its object: the object chosen
        indicator = obj
    return replace(first, period=first.period or again.period, change=first.change or again.change,
                   indicator=indicator, approx=first.approx or again.approx,
                   territory=first.territory or again.territory, object=obj,
                   span=first.span if first.change or not again.change else again.span)
