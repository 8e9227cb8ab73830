"""The indicator phrase of a figure: what is measured, a readable nominative phrase shown to users
(the store maps it to a canonical indicator by lemma aliases).

Rules, first answer wins: a noun in the instrumental right before the figure ("стоимостью 900 млрд"),
a short list item before the figure ("машиностроение – на 35,8%", "инвестиции в основной капитал —
на 22,4%"), a verb that names the measure ("введено 612 тыс. м² жилья" -> "ввод жилья"), the subject
noun phrase of the clause ("Объем строительных работ составил ..."), the noun phrase right
after the unit ("2,4 млн м² жилья"), else the measure a change noun of the clause is of
("доложил о росте промышленного производства за год на 6,9%" -> "рост промышленного производства").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from qala.extractor.nlp import Pipeline
from qala.extractor.phrases import (
    PREPOSITIONS,
    PROPER,
    WORD,
    abbreviation,
    adjectives_before,
    after_noun,
    after_oblique_adjective,
    case_adjective,
    case_noun,
    complement,
    contiguous,
    genitives_after,
    of_phrase,
    place_words,
    without_place,
)
from qala.extractor.territories import nominative
from qala.extractor.wordlist import load_pairs

ITEM_START = re.compile(r"[,(;:]|\bв\s+том\s+числе\b|\bиз\s+них\b|\bа\s+также\b|\bтогда\s+как\b", re.IGNORECASE)
ITEM_TAIL = re.compile(r"(?:\s|[—–-]|\b(?:на|в|до|свыше|более|около|порядка|почти|состав\w*)\b)*$",
                       re.IGNORECASE)
DASH_TAIL = re.compile(r"[—–-]\s*(?:(?:на|в|до|свыше|более|около|порядка|почти)\s*)?$", re.IGNORECASE)
CONJUNCTIONS = frozenset({"а", "и", "что", "но", "также", "или"})
# Words between a noun in the instrumental and its figure: "стоимостью порядка 900 млрд тенге".
APPROX_WORDS = re.compile(r"(?:\s|\b(?:более|свыше|около|порядка|почти|примерно|до|не|менее|чем)\b)*$",
                          re.IGNORECASE)
# The nouns of a change ("рост на 5%") are not what is measured, unless something follows them.
COUNTED = re.compile(r"\d\s*(?:тыс\.|млн\.?|млрд\.?)?\s*$")
# Heads of posts: the subject that speaks of a figure ("аким", "вице-министр"), never its measure.
OFFICES = frozenset({"министр", "аким", "президент", "глава", "председатель", "руководитель", "директор",
                     "губернатор", "мэр", "депутат", "заместитель", "спикер", "министерство", "акимат",
                     "правительство"})
# Words that make a figure a plan's, a forecast's or an expectation's, not a result.
# Not "план" itself: "план по налогам исполнен на 92%" is a result.
PLANNED = re.compile(r"(?<![а-яё])(?:планир\w+|запланирован\w*|планов\w+|прогноз\w*|ожида\w+)(?![а-яё])",
                     re.IGNORECASE)
SENTENCE_START = re.compile(r"[.!?]\s+(?=[А-ЯЁA-Z])")
CONTRAST = re.compile(r",\s+а\s+", re.IGNORECASE)
# Words of a subject that say only that something was produced, not in which branch.
LIGHT_WORDS = frozenset({"объем", "объём", "производство", "выпуск", "продукция", "валовой", "валовый",
                         "физический", "общий"})
SPHERES = frozenset({"сфера", "сектор", "отрасль", "область", "направление"})
GROWTH_HEADS = frozenset({"рост", "прирост", "снижение", "увеличение", "уменьшение", "спад", "падение"})
SUM_WORDS = re.compile(r"на\s+сумму", re.IGNORECASE)
MONEY = re.compile(r"тенге|тг|руб|доллар|долл|евро|сум|\$", re.IGNORECASE)
CLAUSE_CUT = re.compile(r"[;:()]|,\s*(?:что|которы\w+|котор[ао]я|где)(?![а-яё])", re.IGNORECASE)
APPROX_OR_ON = frozenset({"на", "более", "свыше", "около", "порядка", "почти", "примерно", "чем", "не", "менее"})
MAX_ITEM_WORDS = 5
ACTION_WINDOW_WORDS = 3

Rule = Callable[[str, int, int, Pipeline], "str | None"]


def measured_by(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """"мощностью 50 МВт", "стоимостью порядка 900 млрд тенге": the instrumental noun names it;
    "при средней урожайности 12,8 ц/га": so does a noun phrase after "при"."""
    head = line[:start]
    head = head[:APPROX_WORDS.search(head).start()]
    words = list(WORD.finditer(head))[-4:]
    if not words or head[words[-1].end():].strip() or not words[-1].group().islower():
        return None
    last = words[-1].group()
    parse = case_noun(last, nlp, "ablt")
    if parse:
        return parse.normal_form
    if len(words) >= 3 and SUM_WORDS.fullmatch(" ".join(w.group().lower() for w in words[-2:])):
        return _sum_of(words[:-2], nlp)  # "выдали кредитов на сумму 187 млрд" -> "кредиты"
    if len(words) >= 2 and words[-2].group().lower() == "по" and case_noun(last, nlp, "datv"):
        return nlp.lemma(last)  # "по цене 295 тенге"
    if not any(p.tag.POS == "NOUN" and "loct" in p.tag.grammemes for p in nlp.parse_word(last)):
        return None
    j = len(words) - 2
    while j >= 0 and any(p.tag.POS in ("ADJF", "PRTF") and "loct" in p.tag.grammemes
                         for p in nlp.parse_word(words[j].group())):
        j -= 1
    if j >= 0 and words[j].group().lower() == "при":
        return nominative(" ".join(w.group() for w in words[j + 1:]), nlp)
    return None


def _sum_of(words: list, nlp: Pipeline) -> str | None:
    if not words or not words[-1].group().islower():
        return None
    noun = case_noun(words[-1].group(), nlp, "gent") or case_noun(words[-1].group(), nlp, "accs")
    if noun is None:
        return None
    form = noun.inflect({"Nom"})
    return form.word if form else noun.normal_form


def list_item(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    head = line[:start]
    head = head[:ITEM_TAIL.search(head).start()]
    if head.endswith("("):
        return _before_paren(head[:-1], nlp)
    dashed = bool(DASH_TAIL.search(line, 0, start))
    cut = max((m.end() for m in ITEM_START.finditer(head)), default=0)
    if not cut and not dashed:
        return None
    words = WORD.findall(head[cut:])
    while words and words[0].lower() in CONJUNCTIONS:
        words = words[1:]
    if words and words[0].lower() in ("в", "во", "на") and len(words) > 1:  # "в металлургии на 11%",
        words = words[1:]                                                     # "на здравоохранение – 96 млрд"
    if not 1 <= len(words) <= MAX_ITEM_WORDS or words[0].lower() in PREPOSITIONS:
        return None
    parses = [nlp.parse_word(w)[0] for w in words]
    if len(words) == 1 and abbreviation(words[0], nlp):
        return words[0]  # "ИФО – 103,2%"
    if not any(p.tag.POS == "NOUN" and not PROPER & p.tag.grammemes for p in parses):
        if head[cut - 1:cut] == "(" and all(w[:1].isupper() for w in words):
            return _compared(line, cut - 1, nlp)  # "... 4,1% (Казахстан — 4,6%)"
        return None
    if any(p.tag.POS in ("VERB", "INFN", "PRTS", "ADVB", "GRND", "CONJ") for p in parses):
        return None
    elided = _elided_head(line, cut, words, nlp)
    if elided:
        return elided
    inner = [i for i, w in enumerate(words) if w.lower() in PREPOSITIONS]
    if inner:  # "инвестиции в основной капитал": a head noun phrase, then its complement as written
        if len(inner) > 1 or not complement(words[inner[0]:], nlp):
            return None
        return f"{nominative(' '.join(words[:inner[0]]), nlp)} {' '.join(words[inner[0]:])}"
    if all(any("nomn" in p.tag.grammemes for p in nlp.parse_word(w)) for w in words):
        return without_place(" ".join(words), nlp)  # already nominative: "собственные поступления"
    return without_place(nominative(" ".join(words), nlp), nlp)


def _compared(line: str, paren: int, nlp: Pipeline) -> str | None:
    """"Безработица составила 4,1%, ниже, чем по стране (Казахстан — 4,6%)": a place alone in a
    bracket gives the same measure for that place; the subject of the sentence before the bracket."""
    ends = [m.end() for m in SENTENCE_START.finditer(line, 0, paren)]
    return _subject(line, ends[-1] if ends else 0, paren, nlp)


def _elided_head(line: str, cut: int, words: list[str], nlp: Pipeline) -> str | None:
    """"Производство мяса выросло на 4%, молока – на 2,8%": the item borrows the head of the first one."""
    if len(words) > 2 or not all(case_noun(w, nlp, "gent") or case_adjective(w, nlp, "gent") for w in words):
        return None
    if any(case_noun(w, nlp, "nomn") and not case_noun(w, nlp, "gent") for w in words):
        return None
    first = subject(line, max(0, cut - 1), 0, nlp)
    if not first or len(first.split()) < 2:
        return None
    head = first.split()[0]
    if not case_noun(head, nlp, "nomn") or not case_noun(first.split()[1], nlp, "gent"):
        return None
    return f"{head.lower()} {' '.join(words)}"


def action(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """"введено 612 тыс. кв. метров жилья" -> "ввод жилья"; "вложено 549 млрд тенге" -> "инвестиции";
    "произведено продукции более чем на 40 млрд" -> "производство продукции" (words of approximation
    and "на" before the figure are not counted in the window)."""
    words = list(WORD.finditer(line, _clause_start(line, start), start))
    while words and words[-1].group().lower() in APPROX_OR_ON:
        words.pop()
    words = words[-ACTION_WINDOW_WORDS:]
    for i in range(len(words) - 1, -1, -1):
        noun = _action_noun(words[i].group().lower())
        if noun is None or noun == "финансирование" and not MONEY.search(line, start, stop):
            continue
        between = [w.group() for w in words[i + 1:]]
        of = of_phrase(line, stop, nlp, as_written=True) or (_genitive_phrase(between, nlp) if between else None)
        return f"{noun} {of}" if of else noun
    return None


def subject(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """The subject noun phrase of the clause. After ", а" a new subject begins ("Зарплата выросла до
    300 тыс. тенге, а средний доход достиг 170 тыс. тенге"): it is looked for there first. A light
    head ("объем валовой продукции", "производство") takes the branch the clause names
    ("в сфере сельского хозяйства ...", "В обрабатывающей промышленности производство ...")."""
    begin = _clause_start(line, start)
    contrast = [m.end() for m in CONTRAST.finditer(line, begin, start)]
    if contrast:
        found = _subject(line, contrast[-1], start, nlp)
        if found:
            return found
    return _subject(line, begin, start, nlp)


def _subject(line: str, begin: int, start: int, nlp: Pipeline) -> str | None:
    words = [m for m in WORD.finditer(line, begin, start)]
    for i, m in enumerate(words):
        if i and words[i - 1].group().lower() in PREPOSITIONS:
            continue
        parse = case_noun(m.group(), nlp, "nomn") or abbreviation(m.group(), nlp)
        if parse is None or after_oblique_adjective(words, i, nlp) or after_noun(words, i, nlp):
            continue
        if COUNTED.search(line, max(0, m.start() - 12), m.start()):
            continue  # "2 турбины мощностью 220 МВт, заменено 14,5 км": a counted noun is no subject
        if parse.normal_form in place_words() or parse.normal_form.rsplit("-", 1)[-1] in OFFICES:
            continue  # "Министр сообщил о ...": the speaker is not what is measured
        tail = genitives_after(words, i, nlp)
        if parse.normal_form in GROWTH_HEADS and not tail:
            where = _where_after(words, i, nlp)
            if where:
                return where
            continue
        phrase = adjectives_before(words, i, nlp, parse) + [m.group()] + tail
        extra = complement(contiguous(words[i + len(tail):i + 5 + len(tail)])[1:], nlp)
        if not extra and parse.normal_form == "индекс":
            extra = _by_what(words, i + 1 + len(tail), nlp)
        found = without_place(" ".join(phrase), nlp) + (f" {extra}" if extra else "")
        if not extra and all(nlp.lemma(w.lower()) in LIGHT_WORDS for w in phrase):
            branch = _branch_before(words, i, nlp)
            if branch:
                return f"{found} ({branch})"
        return found
    return None


def after_unit(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    return of_phrase(line, stop, nlp)


def change_of(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """"сообщил о росте физических объемов промышленного производства за год на 6,9%": the last
    change noun of the clause, in any case, with the genitive phrase after it."""
    words = list(WORD.finditer(line, _clause_start(line, start), start))
    for i in range(len(words) - 1, -1, -1):
        form = nlp.lemma(words[i].group().lower())
        if form in GROWTH_HEADS:
            tail = genitives_after(words, i, nlp)
            return f"{form} {' '.join(tail)}" if tail else None
    return None


RULES: tuple[Rule, ...] = (measured_by, list_item, action, subject, after_unit, change_of)


def indicator_for(line: str, start: int, stop: int, nlp: Pipeline) -> str | None:
    """What the figure at line[start:stop] measures, or None. A figure its clause calls planned,
    expected or forecast ("планируется обеспечить ввод 1 млн м² жилья") is a plan's: "план: ввод
    жилья" (the store keeps plans out of a territory's series)."""
    for rule in RULES:
        found = rule(line, start, stop, nlp)
        if found:
            found = found[0].lower() + found[1:] if not found[:2].isupper() else found
            if PLANNED.search(line, _clause_start(line, start), start) and not PLANNED.search(found):
                found = f"план: {found}"
            return found
    return None


# ---------------------------------------------------------------- helpers

def _genitive_phrase(words: list[str], nlp: Pipeline) -> str | None:
    """"произведено промышленной продукции на": the genitive noun between the verb and the figure,
    with the genitive adjectives right before it, as written."""
    for k, w in enumerate(words):
        if case_noun(w, nlp, "gent"):
            if not w.islower():
                return None
            j = k
            while j > 0 and words[j - 1].islower() and case_adjective(words[j - 1], nlp, "gent"):
                j -= 1
            return " ".join(words[j:k + 1])
    return None


def _by_what(words: list, k: int, nlp: Pipeline) -> str | None:
    """"индекс физического объема по инвестициям": "по" and the dative noun after an index's phrase."""
    rest = [w.group() for w in words[k:k + 2]]
    if len(rest) == 2 and rest[0].lower() == "по" and rest[1].islower() and case_noun(rest[1], nlp, "datv"):
        return " ".join(rest)
    return None


def _branch_before(words: list, i: int, nlp: Pipeline) -> str | None:
    """The branch of the nearest "в <branch>" / "в сфере <branch>" among the words before i."""
    for k in range(i - 1, max(-1, i - 10), -1):
        if words[k].group().lower() in ("в", "во"):
            found = _branch(words, k, nlp)
            if found:
                return found
    return None


def _where_after(words: list, i: int, nlp: Pipeline) -> str | None:
    """"рост в химической отрасли", "в сфере торговли рост": the branch named next to a bare
    change noun, in the nominative."""
    found = _branch(words, i + 1, nlp)
    if found:
        return found
    before = [k for k in range(max(0, i - 5), i) if words[k].group().lower() in ("в", "во")]
    return _branch(words, before[-1], nlp) if before else None


def _branch(words: list, k: int, nlp: Pipeline) -> str | None:
    rest = [w.group() for w in words[k:k + 5]]
    if not rest or rest[0].lower() not in ("в", "во"):
        return None
    phrase: list[str] = []
    for w in rest[1:]:
        parses = nlp.parse_word(w)
        if not w.islower() or not any("loct" in p.tag.grammemes for p in parses):
            break
        phrase.append(w)
        if any(p.tag.POS == "NOUN" for p in parses[:1]):
            break
    if not phrase or not case_noun(phrase[-1], nlp, "loct"):
        return None
    if nlp.lemma(phrase[-1].lower()) in SPHERES:  # "в сфере торговли" -> "торговля",
        tail = [w.group() for w in words[k + 1 + len(phrase):k + 4 + len(phrase)]]  # "сельского хозяйства"
        n = 0
        while n < len(tail) - 1 and tail[n].islower() and case_adjective(tail[n], nlp, "gent"):
            n += 1
        if tail and tail[n].islower() and case_noun(tail[n], nlp, "gent"):
            return nominative(" ".join(tail[:n + 1]), nlp)
    return nominative(" ".join(phrase), nlp)


def _before_paren(head: str, nlp: Pipeline) -> str | None:
    """"увеличение производства мяса (106,5%": the noun phrase just before the bracket."""
    words: list[str] = []
    for m in reversed(list(WORD.finditer(head))):
        word = m.group()
        if word.lower() in PREPOSITIONS or len(words) == MAX_ITEM_WORDS or re.search(r"[,;:()]", head[m.end():]):
            break
        if nlp.parse_word(word)[0].tag.POS in ("VERB", "INFN", "PRTS", "ADVB"):
            break
        words.insert(0, word)
    while words and words[0].lower() in CONJUNCTIONS:
        words = words[1:]
    if not words or not any(case_noun(w, nlp, "nomn") or case_noun(w, nlp, "gent") or case_noun(w, nlp, "loct")
                            or case_noun(w, nlp, "ablt") for w in words):
        return None
    return nominative(" ".join(words), nlp)


def _clause_start(line: str, pos: int) -> int:
    """After the last ";", still-open "(", ", что ..." or a headline's ":" before pos."""
    start, depth_open = 0, []
    for m in CLAUSE_CUT.finditer(line, 0, pos):
        if m.group() == ":" and not WORD.search(line, m.end(), pos):
            continue  # "составили: 5 млрд" keeps its subject
        if m.group() != "(" and m.group() != ")":
            start = m.end()
        elif m.group() == "(":
            depth_open.append(m.end())
        elif depth_open:
            depth_open.pop()
    return max([start, *depth_open[-1:]])


def _action_noun(word: str) -> str | None:
    for pattern, noun in _actions():
        if pattern.fullmatch(word):
            return noun
    return None


@lru_cache(maxsize=1)
def _actions() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(k), v) for k, v in load_pairs("facts_actions").items())
