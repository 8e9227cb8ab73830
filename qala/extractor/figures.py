"""Raw figures of one line of text: a number with what it measures, its approximation and,
for changes, their kind. Assembly into facts (merging, periods, territory) is facts.py's job.

Each number goes through an ordered list of small named rules; the first that returns a figure
(or SKIP) decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from qala.extractor.nlp import Pipeline
from qala.extractor.numbers import (
    NUMBER,
    Number,
    find_fractions,
    find_multiples,
    find_noun_shares,
    find_numbers,
    find_shares,
    read_scale,
)
from qala.extractor.units import CURRENCIES, UNIT, read_counted, read_times, read_unit
from qala.extractor.wordlist import load_words


@dataclass(frozen=True)
class Figure:
    start: int                       # offsets into the line
    stop: int
    value: float | None
    unit: str | None
    object: str | None = None
    approx: str | None = None        # over | about | under
    change: str | None = None        # percent | times | index | absolute
    change_value: float | None = None
    direction: str | None = None     # up | down, when the figure itself says so (sign, index)
    level_stop: int | None = None    # where the level's unit ends, when a change after it was joined
    in_points: bool = False          # a bare difference ("на 0,2 п.п.", "на 400 больше"): it joins the level before
    from_value: float | None = None  # "с 78% до 71%": the level it changed from

    @property
    def is_change_only(self) -> bool:
        return self.change is not None and self.value is None


@dataclass
class LineState:
    """What earlier figures of the document tell later ones."""

    currency: str | None = None       # "более чем на 400 млрд" -> the last currency written
    counted: str | None = None        # "из 284 населенных пунктов 158" -> "населенный пункт"
    earlier_counted: str | None = None  # the last line's, for "Из них 310 тыс. – иностранцы"
    last_unit: str | None = None      # the unit of the last figure read
    line_change: str | None = None    # the kind of the last change-only figure of this line
    from_values: dict[int, float] | None = None  # "с 78% до 71%": offset of "71" -> 78


SKIP = "skip"

# ---------------------------------------------------------------- small patterns

APPROX = (
    (re.compile(r"(?<![а-яё])(?:не\s+более|не\s+превыша\w*|не\s+превысит|не\s+выше)\s*$", re.IGNORECASE), "under"),
    (re.compile(r"(?<![а-яё])(?:свыше|более|больше|не\s+менее|(?<!\sне\s)превы[сш]\w*|превзо[шй]\w*)(?:\s+чем)?"
                r"(?:\s+на)?\s*$",
                re.IGNORECASE), "over"),                   # "население превысило 1,2 млн человек"
    (re.compile(r"(?<![а-яё])(?:около|порядка|почти|примерно|приблизительно|приблизил\w*\s+к|"
                r"ориентировочно)(?:\s+на)?\s*$", re.IGNORECASE), "about"),
    (re.compile(r"(?<![а-яё])(?:менее|меньше|не\s+более)(?:\s+чем)?\s*$", re.IGNORECASE), "under"),
)
NUMBER_BEFORE_UNTIL = re.compile(r"\d[\d\s,.]*(?:[^\W\d]+\.?\s*){0,2}до\s*$")  # "с 515 543 тенге до"
UNTIL_BEFORE = re.compile(r"(?P<prev>[^\s]+)\s+до\s*$", re.IGNORECASE)
ON_BEFORE = re.compile(r"(?<![а-яё])на\s*(?:(?:свыше|более|около|порядка|почти|примерно)\s*)?$", re.IGNORECASE)
IN_BEFORE = re.compile(r"(?<![а-яё])в\s*(?:(?:более|почти|около|примерно)\s*(?:чем\s*)?)?$", re.IGNORECASE)
FROM_BEFORE = re.compile(r"(?<![а-яё])со?\s*$", re.IGNORECASE)
TO_AFTER = re.compile(r"\s*до\s", re.IGNORECASE)
INDEX_AFTER = re.compile(r"\s*(?:к|от)\s+(?:уровн\w+|аналогичн\w+|соответствующ\w+|прошл\w+|предыдущ\w+|"
                         r"\d{4})", re.IGNORECASE)
COUNT_HEAD = re.compile(r"(?<![а-яё])(?:количеств\w*|числ(?:о|а|е|ом)|численност\w*)(?=\s)", re.IGNORECASE)
ADJECTIVE_AFTER = re.compile(r"\s+([а-яё]{3,})", re.IGNORECASE)
# A word of money right before a scaled number ("стоимостью 236,4 млрд", "бюджет – 12 млрд")
MONEY_BEFORE = re.compile(r"(?<![а-яё])(?:стоимост\w*|сумм\w*|бюджет\w*|финансировани\w*|инвестици\w*|"
                          r"капвложени\w*|вложени\w*|средств\w*|затрат\w*|выручк\w*|расход\w*|доход\w*)"
                          r"(?:\s+(?:составил\w*|состав\w+|[а-яё]+ого|[а-яё]+ых))?\s*(?:[—–:-]\s*)?"
                          r"(?:(?:в|на|более|свыше|около|порядка|почти|примерно)\s+)*(?:чем\s+)?$", re.IGNORECASE)
SUM_BEFORE = re.compile(r"(?<![а-яё])(?:на|сумм\w*)\s*(?:(?:более|свыше|около|порядка|почти|примерно)\s*"
                        r"(?:чем\s*(?:на\s*)?)?)?$", re.IGNORECASE)
# "исполнен на 96,4%": a level reached, not a change
DONE_ON_BEFORE = re.compile(r"(?<![а-яё])(?:исполн|выполн|освоен|освоил|готов|заверш|обеспечен|загружен)\w*"
                            r"(?:\s+[а-яё]+)?\s+на\s*$", re.IGNORECASE)
DASH_BEFORE = re.compile(r"[—–]\s*$|\s-\s*$")
MORE_AFTER = re.compile(r"\s+(?P<word>больше|меньше|выше|ниже)(?![а-яё])", re.IGNORECASE)
OF_THEM_BEFORE = re.compile(r"(?<![а-яё])(?:из\s+них|из\s+которых|в\s+том\s+числе)\W*$", re.IGNORECASE)
PER_CAPITA = re.compile(r"\d(?:\s+[а-яё]+)?\s+на\s*$|(?<![а-яё])на\s+каждые\s*$", re.IGNORECASE)  # 40,2 на 10 тыс. населения
REFERENCE_BEFORE = re.compile(r"(?:№|(?<![а-яё])(?:стать[яиейю]|пункт\w*|подпункт\w*|част[иь]|глав[аыуе]|"
                              r"раздел\w*|приложени\w+|слайд\w*|страниц\w+|стр\.|п\.|ст\.))\s*$", re.IGNORECASE)
POINTS = re.compile(r"\s*(?:п\.\s?п\.|процентн\w+\s+пункт\w*)", re.IGNORECASE)  # на 0,2 п.п. | процентного пункта
RANGE_FROM = re.compile(r"(?<![а-яё])от\s*$", re.IGNORECASE)                       # от 5 до 7 тыс. тенге
RANGE_TO = re.compile(r"\s*до\s*(?=\d)", re.IGNORECASE)
RANGE_HIGH = re.compile(r"(?<![а-яё])от\s+\d[\d\s,]*(?:[^\W\d]+\.?\s*)?до\s*$", re.IGNORECASE)
# A currency widget: "$441.66 €475.14 ₽4.86", "USD 540.87 EUR 632.01 RUB 6.76"
TICKER_LINE = re.compile(r"\s*(?:(?:[$€₽£¥]|USD|EUR|RUB|CNY|KZT)\s*[\d.,]+\s*){2,}$")
BARE_END = re.compile(r"\s*(?:[,;)\-–—.]|или(?![а-яё])|$)", re.IGNORECASE)


@cache
def words_pattern(name: str) -> re.Pattern:
    """A lexicon of word regexes as one pattern matching whole words."""
    body = "|".join(f"(?:{w})" for w in load_words(name))
    return re.compile(rf"(?<![а-яёa-z])(?:{body})(?![а-яёa-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def change_verb_on() -> re.Pattern:
    body = "|".join(f"(?:{w})" for w in (*load_words("facts_up"), *load_words("facts_down")))
    return re.compile(rf"(?<![а-яё])(?:{body})\s+на\s*$", re.IGNORECASE)


def read_approx(before: str, nlp: Pipeline) -> str | None:
    """The approximation written just before a number.

    "до" is a bound ("до 100 человек") only when no verb or dash leads to it ("увеличено до 430").
    """
    for pattern, approx in APPROX:
        if pattern.search(before):
            return approx
    if RANGE_HIGH.search(before):
        return "under"
    m = UNTIL_BEFORE.search(before)
    if m and not NUMBER_BEFORE_UNTIL.search(before) and not change_verb_near(before[-60:]):
        prev = m["prev"].strip(",;:").lower()
        if not re.fullmatch(r"[а-яё-]+", prev):
            return None
        tags = {p.tag.POS for p in nlp.parse_word(prev)[:2]}
        if not tags & {"VERB", "INFN", "PRTS", "PRTF", "GRND"} and prev not in {"с", "со", "от"}:
            return "under"
    return None


def change_verb_near(text: str) -> bool:
    """A rise or fall word in text ("увеличил размер сертификата до 3,5 млн": a target)."""
    return bool(words_pattern("facts_up").search(text) or words_pattern("facts_down").search(text))


def direction_near(text: str, pos: int) -> str | None:
    """The nearest up/down word before pos (else after it) in text."""
    best: tuple[int, str] | None = None
    for name, direction in (("facts_up", "up"), ("facts_down", "down")):
        for m in words_pattern(name).finditer(text, 0, pos):
            if best is None or m.start() > best[0]:
                best = (m.start(), direction)
    if best:
        return best[1]
    after = [(m.start(), d) for name, d in (("facts_up", "up"), ("facts_down", "down"))
             for m in [words_pattern(name).search(text, pos)] if m]
    return min(after)[1] if after else None


# ---------------------------------------------------------------- rules, in order

@dataclass(frozen=True)
class Seen:
    """One number in its line, with what the rules need to look at."""

    line: str
    number: Number
    before: str
    nlp: Pipeline
    state: LineState


Rule = Callable[[Seen], "Figure | str | None"]


def reference(s: Seen) -> str | None:
    """"Указ № 123", "статьи 12 закона", "пункт 5": numbers that name, not measure."""
    return SKIP if REFERENCE_BEFORE.search(s.before) else None


def per_capita(s: Seen) -> str | None:
    """"40,2 на 10 тыс. населения": the base of a rate is not a figure."""
    if s.number.value not in (100, 1000, 10_000, 100_000):
        return None
    if PER_CAPITA.search(s.before):  # "7,9 случая на 1 000 родившихся", "40,2 на 10 тыс. населения"
        return SKIP
    return None


def from_value(s: Seen) -> str | None:
    """"с 515 543 тенге до 554 277 тенге": the old level is not a figure of its own; the new one
    keeps it as the level it changed from."""
    if not FROM_BEFORE.search(s.before):
        return None
    unit = UNIT.match(s.line, s.number.stop)
    to = TO_AFTER.match(s.line, unit.end() if unit else s.number.stop)
    if not to:
        return None
    new = NUMBER.match(s.line, to.end())
    if new:
        factor, _ = read_scale(s.line, new.end())
        old = s.number.value if s.number.scaled else s.number.value * factor  # "с 2 до 3 млн": one scale
        if s.state.from_values is None:
            s.state.from_values = {}
        s.state.from_values[new.start()] = float(f"{old:.12g}")
    return SKIP


def points(s: Seen) -> Figure | None:
    """"на 0,2 процентного пункта ниже": a change of a level given in percent."""
    m = POINTS.match(s.line, s.number.stop)
    if not m:
        return None
    n = s.number
    direction = ("up" if n.sign == "+" else "down") if n.sign else None
    return Figure(n.start, m.end(), None, None, change="absolute", change_value=abs(n.value), direction=direction,
                  in_points=True)


def range_low(s: Seen) -> Figure | None:
    """"от 5 до 7 тыс. тенге": the low end takes the scale and unit written after the high end."""
    n = s.number
    to = RANGE_TO.match(s.line, n.stop) if RANGE_FROM.search(s.before) else None
    if not to:
        return None
    high = NUMBER.match(s.line, to.end())
    if not high:
        return None
    factor, stop = read_scale(s.line, high.end())
    unit = read_unit(s.line, stop) or read_counted(s.line, stop, s.nlp)
    if unit is None or unit.code == "%":
        return None
    value = n.value if n.scaled else float(f"{n.value * factor:.12g}")
    return Figure(n.start, n.stop, value, unit.code, unit.object, "over")


def percent(s: Seen) -> Figure | None:
    unit = read_unit(s.line, s.number.stop)
    if not unit or unit.code != "%":
        return None
    n, value = s.number, abs(s.number.value)
    fig = Figure(n.start, unit.stop, None, None, approx=read_approx(s.before, s.nlp))
    if INDEX_AFTER.match(s.line, unit.stop):
        return _change(fig, "index", value, "up" if value >= 100 else "down")
    if n.sign:
        return _change(fig, "percent", value, "up" if n.sign == "+" else "down")
    if ON_BEFORE.search(s.before) and not DONE_ON_BEFORE.search(s.before):
        return _change(fig, "percent", value, None)
    if value > 100:
        return _change(fig, "index", value, "up")
    if _growth_noun_before(s.before):
        return _change(fig, "percent", value, None)
    if s.state.line_change == "percent" and DASH_BEFORE.search(s.before):
        return _change(fig, "percent", value, None)  # "рост в торговле 6,7%, в строительстве – 12,4%"
    return Figure(n.start, unit.stop, value, "%", approx=fig.approx)


def measure(s: Seen) -> Figure | None:
    unit = read_unit(s.line, s.number.stop, s.before)
    if not unit:
        return None
    n = s.number
    if unit.code in CURRENCIES:
        s.state.currency = unit.code
    if change_verb_on().search(s.before):
        return Figure(n.start, unit.stop, None, None, change="absolute", change_value=n.value)
    return Figure(n.start, unit.stop, n.value, unit.code, approx=read_approx(s.before, s.nlp))


def times(s: Seen) -> Figure | None:
    stop = read_times(s.line, s.number.stop)
    if stop is None or not IN_BEFORE.search(s.before):
        return None
    return Figure(s.number.start, stop, None, None, change="times", change_value=s.number.value)


def counted(s: Seen) -> Figure | None:
    unit = read_counted(s.line, s.number.stop, s.nlp)
    if not unit:
        return None
    if unit.object == "место" and not s.state.counted:
        return SKIP  # "Дом культуры на 500 мест": one hall's size; "13 школ на 13,8 тыс. мест" is counted
    s.state.counted = unit.object
    if change_verb_on().search(s.before):  # "число занятых выросло на 2,1 тыс. человек"
        return Figure(s.number.start, unit.stop, None, None, change="absolute", change_value=s.number.value)
    return Figure(s.number.start, unit.stop, s.number.value, "count", unit.object,
                  read_approx(s.before, s.nlp))


def more_by(s: Seen) -> Figure | None:
    """"1 200 семей, что на 400 больше": a bare difference is an absolute change of the level before."""
    m = MORE_AFTER.match(s.line, s.number.stop)
    if not m or not ON_BEFORE.search(s.before) or s.number.is_year_like:
        return None
    direction = "up" if m["word"].lower() in ("больше", "выше") else "down"
    return Figure(s.number.start, m.end(), None, None, change="absolute", change_value=s.number.value,
                  direction=direction, in_points=True)


def spelled_without_object(s: Seen) -> str | None:
    return SKIP if s.number.spelled else None


def scaled_money(s: Seen) -> Figure | None:
    """"произведено продукции более чем на 400 млрд": the currency written before; "проектов
    стоимостью 236,4 млрд": a word of money before the number gives the currency (the one last
    written, else the one written later in the line, else tenge), so money is never a count."""
    if not s.number.scaled:
        return None
    if s.state.currency and SUM_BEFORE.search(s.before):
        return Figure(s.number.start, s.number.stop, s.number.value, s.state.currency,
                      approx=read_approx(s.before, s.nlp))
    if not MONEY_BEFORE.search(s.before[-60:]):
        return None
    later = next((m for m in UNIT.finditer(s.line, s.number.stop) if (m.lastgroup or "") in CURRENCIES), None)
    currency = s.state.currency or (later.lastgroup if later else None) or "KZT"
    return Figure(s.number.start, s.number.stop, s.number.value, currency, approx=read_approx(s.before, s.nlp))


def counted_before(s: Seen) -> Figure | None:
    """"из 284 населенных пунктов 158, или 55,3%": a bare number counts what was just counted."""
    n = s.number
    if n.is_year_like or n.sign or not BARE_END.match(s.line, _after_adjectives(s, n.stop)):
        return None
    head = _count_head(s)
    if n.scaled and n.value >= 1e9 and not head:
        return None  # billions of a thing counted earlier in the line: money or a measure, never a count
    obj = s.state.counted or head
    if obj is None and OF_THEM_BEFORE.search(s.before[-20:]):
        obj = s.state.earlier_counted
    if not obj:
        return None
    return Figure(n.start, n.stop, n.value, "count", obj, read_approx(s.before, s.nlp))


RULES: tuple[Rule, ...] = (reference, per_capita, from_value, points, range_low, percent, measure, times, counted, more_by,
                           spelled_without_object,
                           scaled_money, counted_before)


def read_figures(line: str, nlp: Pipeline, state: LineState,
                 skip: list[tuple[int, int]] = ()) -> list[Figure]:
    """Figures of one line; numbers inside ``skip`` spans (dates, periods) are not figures.

    >>> from qala.extractor.nlp import pipeline
    >>> [(f.value, f.unit, f.object) for f in read_figures("создано 35,4 тыс. новых рабочих мест", pipeline(), LineState())]
    [(35400.0, 'count', 'рабочее место')]
    """
    state.earlier_counted, state.counted, state.line_change = state.counted, None, None
    state.from_values = None
    if TICKER_LINE.match(line):
        return []
    out: list[Figure] = []
    skip = list(skip)
    shares = find_shares(line)
    shares += [share for share in find_noun_shares(line)  # "треть от потребности"
               if not any(a <= share[0] < b for a, b, _ in shares)]
    for start, stop, share in shares:
        out.append(Figure(start, stop, share, "%", approx=read_approx(line[:start], nlp)))
        skip.append((start, stop))
    for start, stop, times_value in find_multiples(line):  # "выросло более чем вдвое"
        out.append(Figure(start, stop, None, None, approx=read_approx(line[:start], nlp), change="times",
                          change_value=times_value))
    for start, stop, share in find_fractions(line):  # "почти на треть больше"
        out.append(Figure(start, stop, None, None, approx=read_approx(line[:start], nlp), change="percent",
                          change_value=share))
    for number in find_numbers(line, nlp.lemma):
        if any(a <= number.start < b for a, b in skip):
            continue
        seen = Seen(line, number, line[:number.start], nlp, state)
        for rule in RULES:
            decision = rule(seen)
            if decision is not None:
                if isinstance(decision, Figure):
                    old = (state.from_values or {}).get(number.start)
                    if old is not None and decision.value is not None and decision.change is None:
                        decision = replace(decision, from_value=old)
                    out.append(decision)
                    state.last_unit = decision.unit or state.last_unit
                    if decision.is_change_only:
                        state.line_change = decision.change
                break
    return sorted(out, key=lambda f: f.start)


def _change(fig: Figure, kind: str, value: float, direction: str | None) -> Figure:
    return Figure(fig.start, fig.stop, None, None, approx=fig.approx, change=kind, change_value=value,
                  direction=direction)


def _growth_noun_before(before: str, window: int = 60) -> bool:
    """A growth noun shortly before, not closed off by a bracket ("(рост на 8,5%), из них частные (92%)")."""
    near = before[-window:]
    return bool(words_pattern("facts_growth_nouns").search(near, near.rfind(")") + 1))


def _after_adjectives(s: Seen, pos: int) -> int:
    """Past the adjectives that stand for an elided noun ("из них 1 800 постоянных")."""
    for _ in range(2):
        m = ADJECTIVE_AFTER.match(s.line, pos)
        if not m or s.nlp.parse_word(m.group(1).lower())[0].tag.POS not in ("ADJF", "PRTF"):
            break
        pos = m.end()
    return pos


def _count_head(s: Seen) -> str | None:
    head = None
    for m in COUNT_HEAD.finditer(s.line, 0, s.number.start):
        head = m
    if head is None:
        return None
    unit = read_counted(s.line, head.end(), s.nlp)
    return unit.object if unit else None
