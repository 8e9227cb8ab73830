"""Scope of a figure: does it describe its territory, or one object within it?

"Завод создаст 1 500 рабочих мест", "125 квартир выделили многодетным семьям", "пул из 201
проекта", "проект стоимостью 236,4 млрд тенге": each is a figure of one plant, subgroup, pool or
project, not of the region it stands in. Held against the region's own figures it raises false
checks, and in the region's series or cards it is a wrong point. Such a figure is kept (scope
``object``, with the object's name where its clause names one) and left out of territory series,
checks and key-indicator cards; a plan among them still becomes a commitment.

The rule reads the figure's clause (its span) and its indicator phrase, and calls the scope
``object`` when they name a single object:

* a name in quotes («Нурлы жер», "Green Energy") or a legal form (ТОО, АО) with its name;
* a word for a single project, plant, company, programme, pool or building in the singular
  ("завод", "на предприятии", "в рамках программы", "пул"), the counted thing itself aside
  ("введено 92 проекта" counts the region's projects);
* a cost ("стоимостью", "сметная стоимость"): a price belongs to what is built or bought;
* a group of people the figure is given to, in the dative ("многодетным семьям") or after "для"
  ("для малообеспеченных семей").

The names and words are looked for in the figure's own part of the sentence (up to the next comma
after it, back to the last semicolon, at most WINDOW characters before it), so "введено 500 тыс.
м2, в том числе 120 тыс. по программе «Нурлы жер»" keeps its 500 тыс. for the territory. A
breakdown ("из них частные инвестиции") is not an object: it has its own indicator.

Of one document's territory figures for one indicator, territory, period and unit, only the largest
is the territory's: the others are its parts ("из них 120 тыс. м2 – ИЖС", "в том числе в сельской
местности") or figures of projects in it, and become ``object`` figures named PART (``parts``).

Anything else is ``territory``. The rule is deliberately lexical: it is applied at ingest to every
stored fact (qala.store.items) and by the migration to facts already stored, so it needs neither
the extractor nor the store: a pure function of the text, like qala.periods.
"""

from __future__ import annotations

import functools
import math
import re

TERRITORY, OBJECT = "territory", "object"
PART = "часть показателя"  # the object name of a smaller figure of one document's point
SCOPES = (TERRITORY, OBJECT)
NAME_LIMIT = 200
WINDOW = 200  # characters before a figure in which a name or an object word is taken to be its own

WORD = re.compile(r"[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z\-]*")
QUOTED = re.compile(r"«([^«»]{2,80})»|“([^“”]{2,80})”|\"([^\"]{2,80})\"")
LEGAL = re.compile(r"\b(?:ТОО|АО|ОАО|ЗАО|ИП|КХ|ПК|ГКП|РГП)\s+(?:«[^«»]{2,80}»|\"[^\"]{2,80}\"|[A-ZА-ЯЁ][\w\-]+)")
COST = re.compile(r"\bстоимост(?:ь|и|ью)\b", re.IGNORECASE)
FOR = re.compile(r"\bдля\b", re.IGNORECASE)

# Words for one thing in a territory: a plant, a company, a project, a programme, a building.
OBJECT_LEMMAS = frozenset((
    "завод", "фабрика", "птицефабрика", "комбинат", "предприятие", "компания", "фирма", "цех", "ферма",
    "комплекс", "станция", "электростанция", "тэц", "гэс", "месторождение", "рудник", "шахта", "карьер",
    "проект", "инвестпроект", "программа", "госпрограмма", "подпрограмма", "пул", "объект",
    "школа", "больница", "поликлиника", "садик", "стадион", "мост", "трасса", "автодорога",
    "корпорация", "холдинг", "теплица", "элеватор",
))
# "агропромышленный комплекс" is a branch of the economy, not one complex.
SECTOR_LEMMAS = frozenset(("агропромышленный", "топливно-энергетический", "энергетический", "жилищно-коммунальный",
                           "военно-промышленный", "горно-металлургический", "нефтегазовый", "транспортный",
                           "строительный", "промышленный", "туристский", "туристический"))
# Before a word whose number its form leaves open ("программы", "предприятия"), these make it one:
# "в рамках программы", "для предприятия".
SINGULAR_BEFORE = frozenset(("рамка", "по", "для", "у", "из", "от", "до", "после", "при", "без", "около", "возле",
                             "реализация", "строительство", "открытие", "запуск", "ввод", "участник"))
DEVERBAL = ("ние", "ство", "ция", "ка")  # "реализация программы", "строительство школы", "пятилетка программы"
NUMBER = re.compile(r"\d")
# Groups of people a figure is given to (housing, grants, payments): a part of the population.
GROUP_LEMMAS = frozenset((
    "семья", "гражданин", "ветеран", "инвалид", "пенсионер", "очередник", "сирота", "студент", "школьник",
    "ребенок", "ребёнок", "молодежь", "молодёжь", "безработный", "работник", "педагог", "учитель", "врач",
    "военнослужащий", "переселенец", "кандас", "малоимущий", "многодетный", "получатель", "участник",
))


@functools.lru_cache(maxsize=50_000)
def _parses(word: str) -> tuple[tuple[str, str, str, str], ...]:
    """(lemma, part of speech, case, number) of a word's likelier readings."""
    return tuple((p.normal, p.pos, p.feats.get("Case", ""), p.feats.get("Number", ""))
                 for p in _morph().parse(word.lower())[:3])


@functools.cache
def _morph():  # natasha's MorphVocab, loaded once
    from qala.language import morph_vocab

    return morph_vocab()


def _first(word: str) -> tuple[str, str, str, str]:
    found = _parses(word)
    return found[0] if found else (word.lower(), "", "", "")


def _after_number(text: str, start: int) -> bool:
    """Whether a word follows a number, maybe with adjectives between ("92 новых проекта")."""
    words = [w.strip(",.;:()«»\"") for w in text[max(0, start - 60):start].split()]
    for w in reversed(words[-3:]):
        if NUMBER.search(w) or _first(w)[1] == "NUM":
            return True
        if _first(w)[1] != "ADJ":
            return False
    return False


def _number_of(text: str, start: int, word: str) -> str:
    """A noun's number ("Sing" or "Plur"), its context deciding a form that leaves it open:
    after a preposition or a noun it governs ("в рамках программы") a form is singular."""
    numbers = {n for _l, _p, _c, n in _parses(word) if n}
    if len(numbers) == 1:
        return numbers.pop()
    before = [w.strip(",.;:()«»\"") for w in text[max(0, start - 40):start].split()]
    if not before:
        return "Plur"
    lemma, pos, _case, _number = _first(before[-1])
    if lemma in SINGULAR_BEFORE or pos == "ADP" or (pos == "NOUN" and lemma.endswith(DEVERBAL)):
        return "Sing"  # "в рамках программы", "реализации программы"
    if pos in ("ADJ", "DET") and {n for _l, _p, _c, n in _parses(before[-1]) if n} == {"Sing"}:
        return "Sing"  # "данной программы"
    return "Plur"


def _name_after(clause: str, at: int, word: str) -> str:
    """An object word with what names it right after: a quoted name, capitalized words, or up to
    three words in the genitive ("программы индустриально-инновационного развития")."""
    rest = clause[at + len(word):]
    m = re.match(r"\s*(«[^«»]{1,80}»|\"[^\"]{1,80}\"|(?:[A-ZА-ЯЁ][\w\-]*\s*){1,3})", rest)
    if m:
        return (word + " " + m.group(1).strip()).strip()
    taken: list[str] = []
    end = 0
    for w in WORD.finditer(rest[:80]):
        if rest[end:w.start()].strip() or len(taken) == 3:
            break  # a comma, a number or a bracket between: the name is over
        _lemma, pos, case, _n = _first(w.group())
        if len(w.group()) < 3 or pos not in ("NOUN", "ADJ") or case != "Gen":
            break
        taken.append(w.group())
        end = w.end()
    return " ".join([word, *taken])


def _clean(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.split())
    return name[:NAME_LIMIT] or None


NUMBER_TEXT = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?")
MULTIPLIER = re.compile(r"\s*(тыс|млн|млрд|трлн|миллион|миллиард|триллион|тысяч)", re.IGNORECASE)
SCALE = {"тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9, "трлн": 1e12,
         "триллион": 1e12}


def figure_at(clause: str, *values: float | None) -> tuple[int, int] | None:
    """Where in the clause the figure is written: the first number that, with its multiplier, is
    one of `values` (the level, else the change); None when none is found.

    >>> figure_at("введено 1,2 млн кв. м, из них 300 тыс. кв. м в селах", 300000.0)
    (30, 37)
    """
    for value in values:
        if value is None or math.isnan(value):
            continue
        for m in NUMBER_TEXT.finditer(clause):
            number = float(re.sub(r"[ \u00a0\u202f]", "", m.group()).replace(",", "."))
            scale = MULTIPLIER.match(clause, m.end())
            stop = scale.end() if scale else m.end()
            for factor in ((SCALE[scale.group(1).lower()],) if scale else ()) + (1.0,):
                if abs(number * factor - abs(value)) <= 1e-6 * max(abs(value), 1.0):
                    return m.start(), stop
    return None


RELATIVE = re.compile(r"\s*(?:где|куда|(?:\w+\s+)?котор\w+|чь\w+|что|с\s+создани\w+|на\s+(?:общую\s+)?сумму|стоимост\w+|"
                      r"мощност\w+|площад\w+)\b", re.IGNORECASE)
PIECE_ENDS = (", ", ";", "(", ")", " – ", " — ", " - ")  # ", ": not the comma of "160,5"
PIECE_STARTS = (", ", ";", "(", ")")  # a dash before a figure joins it to what it is ("мощность – 13 тыс. т")


def _segment(clause: str, at: tuple[int, int] | None) -> str:
    """The part of the clause that names what a figure is about: its own comma-separated piece, and
    the pieces before it while its piece goes on from them ("завод, где будет создано 1 500 мест",
    "проекты, которые создадут 3 тыс. мест"); never across ";", ":" or brackets, nor further than
    WINDOW characters back. A total and the list after it ("введено 500, из них 120 ...") and the
    items of a list each keep their own piece."""
    if at is None:
        return clause
    start, stop = at
    hard = max(clause.rfind(";", 0, start), clause.rfind(":", 0, start), clause.rfind(")", 0, start),
               clause.rfind("(", 0, start), start - WINDOW - 1) + 1
    end = len(clause)
    for mark in PIECE_ENDS:
        k = clause.find(mark, stop)
        if k >= 0:
            end = min(end, k)
    piece = start
    while True:
        cut, mark = max((clause.rfind(m, hard, piece), m) for m in PIECE_STARTS)
        if cut < 0:
            return clause[hard:end]
        if not RELATIVE.match(clause, cut + len(mark)):
            return clause[cut + len(mark):end]
        piece = cut  # the piece goes on from the one before: take that one too


@functools.lru_cache(maxsize=20_000)
def fact_scope(clause: str | None, indicator: str | None = None, counted: str | None = None,
               value: float | None = None, change: float | None = None) -> tuple[str, str | None]:
    """The scope of a figure read from `clause`, with `indicator` its phrase, `counted` the thing a
    count counts (the contract's ``object``) and `value` / `change` its level and change (to find
    it in the clause): (``"territory"``, None) or (``"object"``, its name).

    >>> fact_scope("В области введено 92 проекта", "проект", "проект", 92)
    ('territory', None)
    >>> fact_scope("Новый завод создаст 800 рабочих мест", None, "рабочее место", 800)
    ('object', 'завод')
    >>> fact_scope("пятьдесят квартир передали многодетным семьям", None, "квартира")
    ('object', 'многодетным семьям')
    """
    clause = clause or ""
    own = _segment(clause, figure_at(clause, value, change))
    counted_lemmas = frozenset((counted or "").split())
    found = _object_in(own, counted_lemmas) or _object_in(indicator or "", counted_lemmas, words=False)
    if found:
        return OBJECT, found
    words = [(m.start(), m.group()) for m in WORD.finditer(own)]
    groups = [k for k, (at_word, word) in enumerate(words)
              if _first(word)[0] in GROUP_LEMMAS and _first(word)[1] != "ADJ" and _first(word)[0] not in counted_lemmas
              and not _after_number(own, at_word) and _is_recipient(own, words, k, _first(word)[2])]
    if groups:  # the group after the figure ("125 квартир отдали многодетным семьям"), else the one before it
        here = figure_at(own, value, change)
        after = [k for k in groups if here is not None and words[k][0] > here[0]]
        return OBJECT, _clean(_group_phrase(words, (after or groups)[0]))
    return TERRITORY, None


def _object_in(text: str, counted: frozenset[str], *, words: bool = True) -> str | None:
    """The single object a text names (a legal form with its name, a quoted name, a word for one
    plant, project or programme in the singular, a cost), or None. ``words=False``: names only."""
    if not text.strip():
        return None
    if m := LEGAL.search(text):
        return _clean(m.group(0))
    if m := QUOTED.search(text):
        return _clean(next(g for g in m.groups() if g))
    if not words:
        return None
    previous = ""
    for m in WORD.finditer(text):
        word = m.group()
        lemma, pos, _case, _n = _first(word)
        before, previous = previous, lemma
        if lemma not in OBJECT_LEMMAS or pos not in ("NOUN", "PROPN") or lemma in counted or before in SECTOR_LEMMAS:
            continue
        if _after_number(text, m.start()) or _number_of(text, m.start(), word) == "Plur":
            continue  # "проекты", "92 проекта": a count of the territory's projects
        return _clean(_name_after(text, m.start(), word))
    if m := COST.search(text):
        return _clean(m.group(0))
    return None


def _is_recipient(text: str, words: list[tuple[int, str]], k: int, case: str) -> bool:
    """A group noun the figure is given to: in the dative plural, or after "для"."""
    word = words[k][1]
    if any(c == "Dat" and n == "Plur" for _l, _p, c, n in _parses(word)):
        return True
    before = [w for _a, w in words[max(0, k - 3):k]]
    return any(FOR.fullmatch(w) for w in before)


def _group_phrase(words: list[tuple[int, str]], k: int) -> str:
    """The group noun with the adjectives (and "и") right before it: "многодетным и малообеспеченным семьям"."""
    start = k
    while start > 0:
        w = words[start - 1][1]
        if w.lower() == "и" or _first(w)[1] in ("ADJ", "ADV"):
            start -= 1
            continue
        break
    while start < k and words[start][1].lower() == "и":
        start += 1
    return " ".join(w for _a, w in words[start:k + 1])



def parts(points: list[tuple[object, float | None, str]]) -> set[int]:
    """Of one document's figures as (point, value, scope), where ``point`` is the figure's indicator,
    territory, period and unit (None when any is unknown): the positions of those that are parts,
    territory figures smaller than another territory figure of the same point.

    >>> sorted(parts([(("housing", 7, "2024", "m2"), 500.0, TERRITORY), (("housing", 7, "2024", "m2"), 120.0, TERRITORY),
    ...               (("housing", 7, "2023", "m2"), 400.0, TERRITORY), (None, 9.0, TERRITORY)]))
    [1]
    """
    largest: dict[object, float] = {}
    for point, value, scope in points:
        if point is not None and value is not None and scope == TERRITORY:
            largest[point] = max(largest.get(point, value), value)
    return {n for n, (point, value, scope) in enumerate(points)
            if point is not None and value is not None and scope == TERRITORY and value < largest[point]}
