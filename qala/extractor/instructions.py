"""Instructions: поручил / поручено / дал поручение / «Поручаю ...» / directives in direct speech.

Rules, each giving (trigger token, where the tasks start, issuer):
  ORDER_VERB     X поручил(а) [кому] [срок] сделать ...; "..., — поручил X" after a quote
  GAVE_ORDERS    X дал ряд поручений по ...; дал поручение сделать ...
  BY_ORDER_OF    по поручению X ведется работа по ...
  NECESSITY      X подчеркнул необходимость ...
  SPEECH         in an official's direct speech: «В месячный срок акимам подготовить ...»,
                 «подготовьте ..., и обеспечьте ...»
The tasks are then cut one per infinitive (or imperative) joined by ",", "и", "а также".
"""

from __future__ import annotations

import re

from qala.extractor.context import Context
from qala.extractor.deadlines import find_deadline
from qala.extractor.leaders import leader_before, leaders
from qala.extractor.persons import Actor, actor_before, actors_between, read_persons
from qala.extractor.syntax import children, parse, subtree
from qala.extractor.tasks import (
    DASHES,
    MODALS,
    QUOTES_OPEN,
    SUBORDINATORS,
    TRIM,
    Task,
    complement,
    is_adverb,
    nominal_start,
    noun_tasks,
    quoted_whole,
    read_tasks,
    region_end,
    relative_clause_end,
    stems,
    task_start,
    with_adverbs,
)
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordclass import is_verb
from qala.extractor.wordlist import load_words
from qala.model import Instruction, Person

ORDER_LEMMAS = frozenset(load_words("instructions_verbs"))
BODIES = frozenset(load_words("instructions_bodies"))
ORDER_PREFIXES = ("поруч", "потреб", "треб", "распоряд", "обяза", "обяж", "обязыв", "предпис")
PREPOSITIONS = frozenset({"по", "к", "в", "на", "с", "со", "за", "из", "от", "для", "при", "о", "об", "согласно",
                          "благодаря", "вслед"})
ADDRESSEE_FILLERS = frozenset({"также", "было", "были", "был", "была", "же", "в", "свою", "очередь"})
# A paragraph's dateline before a dialogue dash: a place, a date or a time, a few words at most.
DATELINE_DASH = re.compile(r"[ \t]*((?:[\w.,:/-]+[ \t]+){0,5}?[\w.,:/-]+)[ \t]+[—–][ \t]")
MAX_BEFORE_ORDERS = 10  # "дал руководителям областей и городов ряд конкретных поручений"
ORDER_NOUNS = ("поручени", "указани", "задани")
# words that qualify the orders, not their addressee: "дал акиматам ряд конкретных поручений"
ORDER_FILLERS = frozenset({"ряд", "ряда", "также", "конкретных", "конкретные", "следующие", "следующих",
                           "соответствующие", "соответствующих", "отдельные", "отдельных", "поручения"})  # "дал поручение / указание / задание"
FIRST_PERSON_ORDERS = frozenset({"прошу", "поручаю", "требую", "обязываю"})  # in an official's speech
NECESSITY_WORDS = frozenset({"необходимо", "нужно", "надо", "следует", "предстоит", "должны", "должен", "должно",
                             "должна"})
RESTATED = 0.5  # share of content words two tellings of one task have in common
MIN_WORDS = 2        # "дал поручение удел" (a cut-off text) is not an instruction
NOT_CONTENT = ("поруч", "ряд")  # "ряд поручений" alone says that orders were given, not what they are


def _long_enough(text: str) -> bool:
    """At least MIN_WORDS words longer than two letters: "провести проверку" counts two words even
    though both cut to one stem ("прове"); "дал поручение удел" does not."""
    words = [w for w in re.findall(r"\w+", text) if len(w) > 2 and w.lower()[:5] not in NOT_CONTENT]
    return len(words) >= MIN_WORDS


# ---------------------------------------------------------------- issuers

def _actor_after(actors: tuple[Actor, ...], pos: int, limit: int) -> Actor | None:
    found = actors_between(actors, pos, limit)
    return found[0] if found else None


def _issuer(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...], k: int, attribution: bool) -> str | None:
    """Who set the task: named after a quote, the subject before the verb ("Президент поручил"),
    an agent in the instrumental ("Главой государства поручено"), else the last leader named."""
    toks = idx.tokens
    s0, s1 = idx.sentence_bounds(k)
    if attribution:
        after = _actor_after(actors, toks[k].stop, toks[min(k + 5, s1 - 1)].stop)
        if after:
            return after.name
    wanted = "ablt" if _passive(ctx, toks[k].text) else "nomn"
    for actor in reversed(actors_between(actors, toks[s0].start, toks[k].start)):
        if actor.case == wanted:
            return actor.name
    lead = leader_before(leaders(ctx, idx, actors), toks[k].start)
    return lead.name if lead else None


def _passive(ctx: Context, word: str) -> bool:
    """"поручено", "поручается": the addressee stands before the verb, in the dative."""
    parses = ctx.nlp.parse_word(word.lower())
    return bool(parses) and (parses[0].tag.POS == "PRTS" or word.lower().endswith(("ается", "ется")))


# a parenthetical opening before the addressee: "Кроме того, Министерству ... поручено"
INTRODUCTORY = re.compile(r"^(?:кроме того|помимо этого|в частности|в том числе|при этом|в свою очередь|"
                          r"также|того|частности|этом)\s*,?\s*", re.IGNORECASE)


def _dative_start(ctx: Context, phrase: str) -> bool:
    first = phrase.split()[0].lower()
    return any(p.tag.case == "datv" and p.tag.POS in ("NOUN", "ADJF", "NPRO") for p in ctx.nlp.parse_word(first))


def _addressee_before(ctx: Context, idx: TokenIndex, k: int) -> str | None:
    """"Министру энергетики Алмасадаму Саткалиеву поручено": the dative phrase before a passive verb
    (prepositional phrases such as "По итогам совещания" are passed over)."""
    toks = idx.tokens
    s0, _ = idx.sentence_bounds(k)
    def preposition(word: str) -> bool:
        parses = ctx.nlp.parse_word(word.lower())
        return word.lower() in PREPOSITIONS or bool(parses) and parses[0].tag.POS == "PREP"  # "под", "над"

    for j in range(s0, k):
        word = toks[j].text
        if not word[:1].isalpha() or preposition(word) or (j > s0 and preposition(toks[j - 1].text)):
            continue
        if any(p.tag.case == "datv" and p.tag.POS in ("NOUN", "ADJF") for p in ctx.nlp.parse_word(word)):
            text = quoted_whole(re.sub(r"\s+", " ", ctx.text[toks[j].start: toks[k - 1].stop]).strip(TRIM))
            text = INTRODUCTORY.sub("", text)
            words = [w for w in text.split() if w.lower() not in ADDRESSEE_FILLERS]
            return " ".join(words) or None
    return None


# ---------------------------------------------------------------- rules

def _is_order_verb(ctx: Context, word: str) -> bool:
    low = word.lower()
    if low in FIRST_PERSON_ORDERS:
        return True
    if not low.startswith(ORDER_PREFIXES):
        return False
    parses = ctx.nlp.parse_word(low)
    return bool(parses) and parses[0].tag.POS in ("VERB", "PRTS", "GRND") and parses[0].normal_form in ORDER_LEMMAS


def order_verb(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """ORDER_VERB: "поручил ... сделать" and "«...», — поручил X" (the quote before is the task)."""
    toks = idx.tokens
    if not _is_order_verb(ctx, toks[k].text):
        return []
    s0, _ = idx.sentence_bounds(k)
    attribution = k - 2 >= s0 and toks[k - 1].text in DASHES and toks[k - 2].text in {",", "»", "\"", "”"}
    if attribution:
        q = _quote_start(ctx, idx, k - 2, s0)
        first, addressee, deadline = complement(ctx, idx, q, k - 2)
        end = k - 2
    else:
        end = region_end(ctx, idx, k)
        first, addressee, deadline = complement(ctx, idx, k + 1, end)
        relative = relative_clause_end(idx, end, idx.sentence_bounds(k)[1]) if first is None else None
        if relative:  # "поручил акиматам, которые отстают, ускорить ...": the clause is the addressee's
            end = region_end(ctx, idx, relative)
            first, addressee, deadline = complement(ctx, idx, k + 1, end)
    if first is None:
        if attribution:
            return []
        return (_listed_orders(ctx, idx, k, _issuer(ctx, idx, actors, k, False))
                or _purpose_clause(ctx, idx, k, end, actors)
                or _quoted_order(ctx, idx, k, actors)
                or tree_tasks(ctx, idx, k, actors)
                or _nominal_order(ctx, idx, k, end, actors))
    end = min(end, region_end(ctx, idx, first)) if not attribution else end
    if toks[k].text.lower() in FIRST_PERSON_ORDERS or _first_person(ctx, toks[k].text):
        issuer = _speaker(ctx, actors, toks[k].start)  # «Поручаю ...», «Прошу ...»: whoever speaks
    else:
        issuer = _issuer(ctx, idx, actors, k, attribution)
    if not attribution and _passive(ctx, toks[k].text) and (addressee is None or not _dative_start(ctx, addressee)):
        # "Министру поручено совместно с акиматами обеспечить ...": the dative before the verb
        addressee = _addressee_before(ctx, idx, k) or addressee
    found = _instructions(ctx, idx, first, end, issuer, addressee, deadline)
    return _clause_told(ctx, idx, q, first, addressee, found) if attribution else found


TASK_RELS = frozenset({"xcomp", "obj", "ccomp", "advcl", "conj"})
EDGE_WORDS = frozenset({",", "и", "а", "также", ";", "—", "–", "-"})


def tree_tasks(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """TREE: the order verb's sentence read as a dependency tree, when the word-order rules found no
    task (a participle or a clause between the verb and its task, an unusual word order). The
    infinitives the order verb governs are tasks, and so is each infinitive conjoined to one of
    them; a task is its infinitive's subtree without the tasks conjoined to it (a negation under it
    stays); the addressee is the verb's dependent in the dative."""
    toks = idx.tokens
    s0, s1 = idx.sentence_bounds(k)
    tree = parse(tuple(t.text for t in toks[s0:s1]))
    if not tree:
        return []
    verb = k - s0
    heads = [c for c in children(tree, verb) if tree[c].infinitive and tree[c].rel in TASK_RELS and c > verb]
    tasks: list[int] = []
    for h in heads:
        tasks.append(h)
        todo = [h]
        while todo:
            n = todo.pop()
            more = [c for c in children(tree, n) if tree[c].rel == "conj" and tree[c].infinitive]
            tasks += more
            todo += more
    if not tasks:
        return []
    cut = frozenset(tasks)
    issuer = _issuer(ctx, idx, actors, k, False)
    dative = [c for c in children(tree, verb) if tree[c].feat("Case") == "Dat" and c > verb
              and tree[c].rel in ("iobj", "obj", "obl", "nmod") and c < min(tasks)]
    addressee = None
    if dative:
        words = subtree(tree, dative[0], cut)
        addressee = " ".join(ctx.text[toks[s0 + words[0]].start: toks[s0 + words[-1]].stop].split()).strip(TRIM)
    out: list[Instruction] = []
    for h in sorted(set(tasks)):
        words = [w for w in subtree(tree, h, cut - {h}) if w >= h or toks[s0 + w].text.lower() == "не"
                 or is_adverb(ctx, toks[s0 + w].text)]
        while len(words) > 1 and toks[s0 + words[-1]].text in EDGE_WORDS | END_MARKS:
            words.pop()
        a, b = toks[s0 + words[0]].start, toks[s0 + words[-1]].stop
        text = quoted_whole(" ".join(ctx.text[a:b].split()).strip(TRIM))
        found = find_deadline(text, ctx.published)
        if _long_enough(text):
            out.append(Instruction(text=text, issuer=issuer, addressee=addressee or None,
                                   deadline=found[0] if found else None, span=(a, b)))
    return out


END_MARKS = frozenset({".", "!", "?", "»", "\""})


def _verbal_noun(ctx: Context, word: str, case: str) -> bool:
    """A noun of action in the singular and the case given: "усиления", "наведения" (a plural, as in
    "потребовал объяснений", asks for things, not for an action)."""
    return any(p.tag.POS == "NOUN" and p.tag.case == case and p.tag.number == "sing"
               and p.normal_form.endswith(("ние", "тие"))
               for p in ctx.nlp.parse_word(word.lower()))


def _nominal_order(ctx: Context, idx: TokenIndex, k: int, end: int,
                   actors: tuple[Actor, ...]) -> list[Instruction]:
    """"потребовал [от акимов] усиления контроля и наведения порядка": verbal nouns in the genitive
    after "потребовал" are the tasks, one per conjoined noun, as written."""
    toks = idx.tokens
    if ctx.nlp.lemma(toks[k].text.lower()) not in ("потребовать", "требовать"):
        return []
    j = k + 1
    if j < end and toks[j].text.lower() == "от":  # "от акимов": the addressee
        j += 1
        while j < end and not _verbal_noun(ctx, toks[j].text, "gent") and j < k + 7:
            j += 1
    while j < end and j < k + 4 and (is_adverb(ctx, toks[j].text) or toks[j].text.lower() in ("также", "и")):
        j += 1
    head = next((h for h in range(j, min(end, j + 3)) if _verbal_noun(ctx, toks[h].text, "gent")), None)
    if head is None or any(is_verb(ctx.nlp, t.text) for t in toks[j:head]):
        return []
    lead = " ".join(ctx.text[toks[k].stop: toks[j].start].split()).strip(TRIM) or None
    issuer = _issuer(ctx, idx, actors, k, False)
    return [Instruction(text=t.text, issuer=issuer, addressee=lead, deadline=t.deadline, span=(t.start, t.stop))
            for t in noun_tasks(ctx, idx, j, end, nominative=False) if _long_enough(t.text)]


def _quoted_order(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """"поручил [Правительству]: «Разработайте ... и внесите ...»": the order verb announces a quote
    whose imperatives (or infinitives) are the tasks; the words before the colon are the addressee."""
    toks = idx.tokens
    _, s1 = idx.sentence_bounds(k)
    colon = next((j for j in range(k + 1, min(s1 - 2, k + 1 + MAX_BEFORE_ORDERS)) if toks[j].text == ":"), None)
    if colon is None or toks[colon + 1].text not in QUOTES_OPEN | {"\""}:
        return []
    if any(is_verb(ctx.nlp, t.text) for t in toks[k + 1: colon]):
        return []
    j = colon + 2
    imperative = task_start(ctx, idx, j, True)
    if not imperative and not task_start(ctx, idx, j, False):
        return []
    addressee = " ".join(ctx.text[toks[k].stop: toks[colon].start].split()).strip(TRIM) or None
    return _instructions(ctx, idx, j, region_end(ctx, idx, j), _issuer(ctx, idx, actors, k, False),
                         addressee, None, imperative=imperative)


def _purpose_clause(ctx: Context, idx: TokenIndex, k: int, end: int,
                    actors: tuple[Actor, ...]) -> list[Instruction]:
    """"потребовал [от акимов], чтобы все школы были готовы к 1 сентября": the clause after
    "чтобы" is the task, as written; the words between the verb and the comma are the addressee."""
    toks = idx.tokens
    for j in range(k + 1, min(end - 1, k + 1 + MAX_BEFORE_ORDERS)):
        if toks[j].text.lower() == "чтобы" and toks[j - 1].text == ",":
            break
        if is_verb(ctx.nlp, toks[j].text) or toks[j].text in (":", ";") or toks[j].text in DASHES:
            return []
    else:
        return []
    lead = " ".join(ctx.text[toks[k].stop: toks[j - 1].start].split()).strip(TRIM) or None
    clause_end = region_end(ctx, idx, j)
    found = find_deadline(ctx.text[toks[j].stop: toks[clause_end - 1].stop], ctx.published)
    return _instructions(ctx, idx, j + 1, clause_end, _issuer(ctx, idx, actors, k, False), lead,
                         found[0] if found else None, split=False)


MAX_BARE_ITEM_LEAD = 8  # words before the task in a list item with no bullet ("Минэнерго — завершить ...")
BULLET = re.compile(r"[ \t]*(?:\d{1,2}[).]|[а-я]\)|[-—–•·*])[ \t]*")


def _listed_orders(ctx: Context, idx: TokenIndex, k: int, issuer: str | None,
                   addressee: str | None = None) -> list[Instruction]:
    """"поручил [Правительству]:" and then a list, an item a line ("1) акиматам ... обеспечить ...;",
    "- снизить ..."): one or more tasks per item, each with its own addressee and deadline, else the
    lead-in's."""
    toks = idx.tokens
    line_end = ctx.text.find("\n", toks[k].stop)
    if line_end < 0:
        return []
    colon = ctx.text.rfind(":", toks[k].stop, line_end)
    if colon < 0 or ctx.text[colon + 1: line_end].strip():
        return []
    lead = ctx.text[toks[k].stop: colon]
    lead_deadline = find_deadline(lead, ctx.published)
    if lead_deadline:
        lead = lead[: lead_deadline[1]] + lead[lead_deadline[2]:]
    lead_addressee = " ".join(lead.split()).strip(TRIM) or addressee
    out: list[Instruction] = []
    pos = line_end + 1
    while pos < len(ctx.text):
        stop = ctx.text.find("\n", pos)
        stop = len(ctx.text) if stop < 0 else stop
        bullet = BULLET.match(ctx.text, pos, stop)
        if bullet and bullet.end() >= stop:
            break
        a, b = idx.covering(bullet.end() if bullet else pos, stop)
        first, addressee, deadline = complement(ctx, idx, a, b) if a < b else (None, None, None)
        if not bullet and (first is None or first - a > MAX_BARE_ITEM_LEAD):
            break  # an item with no bullet must open with its task or a short addressee
        if first is not None:
            out += _instructions(ctx, idx, first, b, issuer, addressee or lead_addressee,
                                 deadline or (lead_deadline[0] if lead_deadline else None))
        pos = stop + 1
    return out


def _first_person(ctx: Context, word: str) -> bool:
    parses = ctx.nlp.parse_word(word.lower())
    return bool(parses) and parses[0].tag.person == "1per"


def set_task(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """SET_TASK: "поставил [перед акимами] задачу обеспечить ...", "поставлена задача сделать ..."."""
    toks = idx.tokens
    if not toks[k].text.lower().startswith("постав") or ctx.nlp.lemma(toks[k].text.lower()) != "поставить":
        return []
    end = region_end(ctx, idx, k)
    j = k + 1
    while j < min(end, k + 6) and ctx.nlp.lemma(toks[j].text.lower()) != "задача":
        j += 1
    if j >= min(end, k + 6):
        return []
    first, addressee, deadline = complement(ctx, idx, j + 1, end)
    if first is None:
        return []
    between = ctx.text[toks[k].stop: toks[j].start]
    who = re.sub(r"^\s*перед\s+", "", between).strip(TRIM) if "перед" in between.split() else None
    issuer = _issuer(ctx, idx, actors, k, False)
    return _instructions(ctx, idx, first, region_end(ctx, idx, first), issuer, addressee or who or None, deadline)


def _quote_start(ctx: Context, idx: TokenIndex, close: int, s0: int) -> int:
    toks = idx.tokens
    for j in range(close - 1, s0 - 1, -1):
        if toks[j].text in QUOTES_OPEN or toks[j].text in DASHES and j == s0 or toks[j].text == "\"":
            return j + 1
    j = s0
    while j < close and (toks[j].text in DASHES or toks[j].text in QUOTES_OPEN):
        j += 1
    return j


def gave_orders(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """GAVE_ORDERS: "дал поручение сделать ...", "дал [акимам] ряд поручений по A, B и C".

    An order whose content is not given ("дал поручения акиму области", "дал конкретные
    поручения") is no instruction."""
    toks = idx.tokens
    low = toks[k].text.lower()
    if low not in GIVEN:
        return []
    end = region_end(ctx, idx, k)
    j = k + 1
    before = [t.text.lower() for t in toks[max(0, k - 2): k]]
    if low in ("даны", "дано", "дан", "дана") and before and (before[-1].startswith(ORDER_NOUNS) or (
            len(before) == 2 and before[-1] in ("были", "было", "был", "была")
            and before[0].startswith(ORDER_NOUNS))):
        j = k  # "Поручения даны акимам районов по ...": the orders named before the verb
    while j < min(end, k + 1 + MAX_BEFORE_ORDERS) and not toks[j].text.lower().startswith(ORDER_NOUNS) and j > k:
        if is_verb(ctx.nlp, toks[j].text) or toks[j].text in (",", ":", ";"):
            return []
        j += 1
    if j >= end or j > k and not toks[j].text.lower().startswith(ORDER_NOUNS):
        return []
    between = ctx.text[toks[k].stop: toks[j].start] if j > k else ""
    issuer = _issuer(ctx, idx, actors, k, False)
    first, addressee, deadline = complement(ctx, idx, j + 1, end)
    if first is not None:
        return _instructions(ctx, idx, first, end, issuer, addressee or _dative_of(ctx, between), deadline)
    about = nominal_start(ctx, idx, j + 1, end)
    if about is None:
        # "дал [акиматам] следующие поручения:" and a list
        return _listed_orders(ctx, idx, j, issuer, _dative_of(ctx, between))
    tasks = noun_tasks(ctx, idx, about, end)
    found = find_deadline(between, ctx.published)
    addressee = _dative_of(ctx, between) or _dative_of(ctx, ctx.text[toks[j].stop: toks[about].start])
    return [Instruction(text=t.text, issuer=issuer, addressee=addressee,
                        deadline=t.deadline or (found[0] if found else None), span=(t.start, t.stop))
            for t in tasks if _long_enough(t.text)]


def _dative_of(ctx: Context, phrase: str) -> str | None:
    """The addressee among the words between "дал" and "поручения": "руководителям областей"."""
    words = [w for w in re.findall(r"[\w-]+|«[^»]*»", phrase)
             if w.lower() not in ORDER_FILLERS]
    if "по" in words:
        words = words[: words.index("по")]
    for n, w in enumerate(words):
        if any(p.tag.case == "datv" and p.tag.POS == "NOUN" for p in ctx.nlp.parse_word(w.lower())):
            rest = [x for x in words[n:] if not x.lower().startswith(ORDER_NOUNS + ("важн", "нескольк", "отдельн"))]
            return " ".join(rest) or None
    return None


def by_order_of(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """BY_ORDER_OF: "по поручению президента ведется работа по ..." and "во исполнение поручения
    президента продолжается работа по ..." (the work is the task)."""
    toks = idx.tokens
    low = toks[k].text.lower()
    by = low == "поручению" and k > 0 and toks[k - 1].text.lower() == "по"
    fulfilling = low in ("поручения", "поручений") and k > 1 and \
        [t.text.lower() for t in toks[k - 2:k]] == ["во", "исполнение"]
    if not by and not fulfilling:
        return []
    end = region_end(ctx, idx, k)
    who = _actor_after(actors, toks[k].stop, toks[min(k + 4, len(toks) - 1)].stop)
    for j in range(k + 1, min(end, k + 8)):
        if is_verb(ctx.nlp, toks[j].text):
            if j + 1 >= end:
                return []
            return _instructions(ctx, idx, j + 1, end, who.name if who else None, None, None, split=False)
    return []


def necessity(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """NECESSITY: "подчеркнул необходимость обеспечения ..."."""
    toks = idx.tokens
    if toks[k].text.lower() != "необходимость" or k == 0:
        return []
    prev = k - 1
    if prev > 0 and toks[prev].text.lower() == "на":
        prev -= 1  # "указал на необходимость"
    while prev > 0 and is_adverb(ctx, toks[prev].text):
        prev -= 1
    lemma = ctx.nlp.lemma(toks[prev].text.lower())
    if lemma not in ("подчеркнуть", "указать", "подчёркнуть"):  # "отметил необходимость" is a remark
        return []
    end = region_end(ctx, idx, k)
    if k + 1 >= end:
        return []
    first = k + 1
    while first < end - 1 and (toks[first].text.lower() == "не" or is_adverb(ctx, toks[first].text)):
        first += 1
    # "необходимость ускорить A и обеспечить B": infinitives are tasks one by one; a verbal noun
    # ("необходимость повышения качества и доступности услуг") stays one phrase
    verbal = task_start(ctx, idx, first, False)
    return _instructions(ctx, idx, k + 1, end, _issuer(ctx, idx, actors, k, False), None, None, split=verbal)


RULES = (order_verb, gave_orders, by_order_of, necessity, set_task)


# ---------------------------------------------------------------- direct speech

def speech(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> list[Instruction]:
    """SPEECH: directives in an official's direct speech (quotes or dialogue dashes)."""
    out: list[Instruction] = []
    toks = idx.tokens
    for n, (s0, s1) in enumerate(idx.bounds):
        j = s0
        while j < s1 and (toks[j].text in DASHES or toks[j].text in QUOTES_OPEN or toks[j].text == "\""):
            j += 1
        if s1 - s0 < 3 or j >= s1 or not _in_speech(ctx, toks[j].start):
            continue
        issuer = _speaker(ctx, actors, toks[s0].start)
        if issuer is None:
            continue
        if j < s1 and toks[j].text.lower() == "пожалуйста":
            j += 2 if j + 1 < s1 and toks[j + 1].text == "," else 1
        first, addressee, deadline = complement(ctx, idx, j, s1)
        ordered = first is not None and _ordered_speech(ctx, toks[s0].start)
        clause = _clause_start(idx, j, first) if ordered else j
        if clause > j and _modal_order(ctx, idx, clause, first):
            first, addressee, deadline = complement(ctx, idx, clause, s1)  # the clause's own addressee
        if first is not None and (not _has_modal_or_verb(ctx, idx, j, first)
                                  or ordered and _modal_order(ctx, idx, clause, first)):
            lead_at = clause if clause > j and _modal_order(ctx, idx, clause, first) else j
            out += _clause_told(ctx, idx, lead_at, first, addressee,
                                _instructions(ctx, idx, first, region_end(ctx, idx, first), issuer, addressee,
                                              deadline))
            continue
        for k in range(j, s1):
            if task_start(ctx, idx, k, True):
                out += _instructions(ctx, idx, k, region_end(ctx, idx, k), issuer, None, None, imperative=True)
                break
        else:
            told = necessity_task(ctx, idx, j, s1)
            if not told and _ordered_speech(ctx, toks[s0].start):
                # "Это касается всех районов — необходимо начать ...": in a quote of orders, a clause
                # that opens with a necessity word is one more task
                told = next((t for c in range(j, s1 - 2) if toks[c].text in DASHES | {":", ";"}
                             for t in [_bare_necessity(ctx, idx, c + 1, s1)] if t), None)
            if told:
                out += _body_told(told[1], _instructions(ctx, idx, told[0], region_end(ctx, idx, told[0]), issuer,
                                                 told[1], None))
    return out


CLAUSE_BREAKS = frozenset({",", "—", "–", ":", ";", "что", "чтобы"})


def _is_body(ctx: Context, word: str) -> bool:
    """A body or official that can be told to act: "акиматам", "Министерство", "Минэнерго"."""
    if word[:3] == "Мин" and word[3:4].isupper() or word[:3] == "Мин" and len(word) <= 12 and word.isalpha() \
            and not ctx.nlp.morph.word_is_known(word.lower()):
        return True  # Минэнерго, Минфин, МинЦифры
    return any(p.normal_form in BODIES for p in ctx.nlp.parse_word(word.lower()) if p.tag.POS == "NOUN")


def necessity_task(ctx: Context, idx: TokenIndex, a: int, b: int) -> tuple[int, str] | None:
    """"..., по этой причине Министерство энергетики должно обратить внимание ...",
    "акимам отстающих регионов необходимо приложить усилия": a necessity word with a body or
    officials before it in its clause and an infinitive just after it is a task for them (the
    speaker's own "мы должны", "нам нужно" is not; nor are things that "должны появиться")."""
    toks = idx.tokens
    for n in range(a, b):
        if toks[n].text.lower() not in NECESSITY_WORDS:
            continue
        c = n - 1
        while c >= a and toks[c].text.lower() not in CLAUSE_BREAKS:
            c -= 1
        clause = list(range(c + 1, n))
        if any(toks[i].text.lower() in ("мы", "нам", "я", "мне", "нас") for i in clause):
            continue
        bodies = [i for i in clause if _is_body(ctx, toks[i].text)]
        if not bodies or any(is_verb(ctx.nlp, toks[i].text.lower()) for i in clause):
            continue
        for k in range(n + 1, min(b, n + 5)):
            if task_start(ctx, idx, k, False):
                first = with_adverbs(ctx, idx, k, n + 1)
                addressee = quoted_whole(" ".join(ctx.text[toks[bodies[0]].start: toks[n - 1].stop].split())
                                         .strip(TRIM))
                return first, addressee
            if is_verb(ctx.nlp, toks[k].text.lower()) and toks[k].text.lower() != "быть":
                break
    return None


REPORTING = frozenset({"заявить", "подчеркнуть", "указать", "отметить", "сказать", "потребовать", "напомнить"})


def reported_necessity(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> list[Instruction]:
    """"Премьер-министр заявил, что акимам отстающих регионов необходимо приложить усилия": the
    official who reports it sets the task for the body named."""
    out: list[Instruction] = []
    toks = idx.tokens
    for k in range(1, len(toks) - 2):
        if toks[k].text.lower() != "что" or toks[k - 1].text != ",":
            continue
        verb = k - 2
        if verb < 0 or ctx.nlp.lemma(toks[verb].text.lower()) not in REPORTING:
            continue
        _, s1 = idx.sentence_bounds(k)
        told = necessity_task(ctx, idx, k + 1, s1)
        if not told and ctx.nlp.lemma(toks[verb].text.lower()) in STRESSED:
            told = _bare_necessity(ctx, idx, k + 1, s1)
        if not told:
            continue
        issuer = _issuer(ctx, idx, actors, verb, False)
        if issuer:
            out += _body_told(told[1], _instructions(ctx, idx, told[0], region_end(ctx, idx, told[0]), issuer,
                                                 told[1], None))
    return out


# verbs that frame "что необходимо сделать" as a task even with no body named ("заявил, что сегодня
# необходимо укреплять ..."); "сказал" and "отметил" only report a remark
STRESSED = frozenset({"заявить", "подчеркнуть", "подчёркнуть", "указать", "потребовать"})


def _bare_necessity(ctx: Context, idx: TokenIndex, a: int, b: int) -> tuple[int, str | None] | None:
    """", что [сегодня] необходимо ускорить ...": a necessity word at the head of the clause (only
    adverbs before it) and an infinitive just after it."""
    toks = idx.tokens
    n = a
    while n < min(b, a + 3) and is_adverb(ctx, toks[n].text):
        n += 1
    if n >= b or toks[n].text.lower() not in NECESSITY_WORDS - {"должны", "должен", "должно", "должна"}:
        return None
    for k in range(n + 1, min(b, n + 4)):
        if task_start(ctx, idx, k, False):
            return with_adverbs(ctx, idx, k, n + 1), None
        if not is_adverb(ctx, toks[k].text):
            break
    return None


GIVEN = frozenset({"дал", "дала", "дали", "даны", "дано", "дан", "дана"})
DETAIL_INTROS = (("в", "частности"), ("в", "том", "числе"), ("так",), ("среди", "них"), ("в", "их", "числе"))


def detailed_orders(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> list[Instruction]:
    """"Президент дал ряд поручений. В частности, Правительству необходимо ускорить ...": the
    sentence after one that only tells that orders were given, opening with "В частности" or "Так",
    gives them: a body that must act, or a bare necessity or infinitive."""
    toks = idx.tokens
    out: list[Instruction] = []
    for n in range(len(idx.bounds) - 1):
        s0, s1 = idx.bounds[n]
        given = next((k for k in range(s0, s1 - 1) if toks[k].text.lower() in GIVEN
                      and any(t.text.lower().startswith(ORDER_NOUNS) for t in toks[k + 1: min(s1, k + 5)])), None)
        if given is None:
            continue
        a, b = idx.bounds[n + 1]
        words = [t.text.lower() for t in toks[a: a + 4]]
        intro = next((p for p in DETAIL_INTROS if tuple(words[: len(p)]) == p), None)
        if intro is None:
            continue
        c = a + len(intro) + (1 if a + len(intro) < b and toks[a + len(intro)].text == "," else 0)
        told = necessity_task(ctx, idx, c, b) or _bare_necessity(ctx, idx, c, b)
        if told is None:
            first, addressee, _ = complement(ctx, idx, c, b)
            told = (first, addressee) if first is not None and first - c <= 4 else None
        if told:
            issuer = _issuer(ctx, idx, actors, given, False)
            out += _body_told(told[1], _instructions(ctx, idx, told[0], region_end(ctx, idx, told[0]), issuer,
                                                 told[1], None))
    return out


ATTRIBUTED = re.compile(r"[,»\"”]\s*[—–-]\s*(\w+)")
ANNOUNCED = re.compile(r"(\w+)\s*:\s*$")


def _ordered_speech(ctx: Context, pos: int) -> bool:
    """The speech around ``pos`` is attributed with an order verb: "«...», — поручил X",
    "X потребовал: «...»" (then "необходимо/следует сделать" in it is an order, not a remark)."""
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    line_stop = ctx.text.find("\n", pos)
    line_stop = len(ctx.text) if line_stop < 0 else line_stop
    words = [m.group(1) for m in ATTRIBUTED.finditer(ctx.text, pos, line_stop)]
    opening = max(ctx.text.rfind("«", line_start, pos), ctx.text.rfind("\"", line_start, pos))
    if opening > line_start:
        announced = ANNOUNCED.search(ctx.text, line_start, opening)
        if announced:
            words.append(announced.group(1))
    if any(ctx.nlp.lemma(w.lower()) in ORDER_LEMMAS | {"указать"} for w in words[:1] + words[-1:]):
        return True
    # a quote in which the speaker gives orders in the first person ("Поручаю ...", "Прошу ..."),
    # from the paragraph that opens it when this paragraph continues it
    speech = re.findall(r"\w+", ctx.text[_quote_opening(ctx, line_start, pos):line_stop].lower())
    return any(w in FIRST_PERSON_ORDERS for w in speech)


MAX_QUOTE_BACK = 3000  # characters a quote spanning paragraphs is followed back


def _quote_opening(ctx: Context, line_start: int, pos: int) -> int:
    """Where the quote around ``pos`` opens, when it began in an earlier paragraph; else the line's start."""
    head = ctx.text[line_start:pos]
    if "«" in head or head.count("\"") % 2 == 1 or not _in_quotes(ctx, pos):
        return line_start
    lo = max(0, line_start - MAX_QUOTE_BACK)
    guillemet = ctx.text.rfind("«", lo, line_start)
    if guillemet >= 0 and "»" not in ctx.text[guillemet:line_start]:
        return guillemet
    straight = [m.start() for m in re.finditer(r'(?:^|(?<=\s))"', ctx.text[lo:line_start], re.MULTILINE)]
    if straight and ctx.text.count("\"", lo + straight[-1], line_start) == 1:
        return lo + straight[-1]
    return line_start


def _clause_start(idx: TokenIndex, a: int, first: int) -> int:
    """The first token of the clause the task verb at ``first`` stands in: after the last dash,
    colon, semicolon or comma before it ("Это касается всех регионов — необходимо начать ...")."""
    for c in range(first - 1, a - 1, -1):
        if idx.tokens[c].text in DASHES or idx.tokens[c].text in (",", ":", ";"):
            return c + 1
    return a


def _modal_order(ctx: Context, idx: TokenIndex, a: int, b: int) -> bool:
    """Between the sentence start and its infinitive: a necessity word and no other verb, and not
    the speaker's own "мы должны" ("Акиматам необходимо обеспечить ...")."""
    words = [t.text.lower() for t in idx.tokens[a:b]]
    if not any(w in NECESSITY_WORDS for w in words) or any(w in ("мы", "нам", "я", "мне") for w in words):
        return False
    if any(w in OWED and n > 0 and words[n - 1] == "не" for n, w in enumerate(words)):
        return False  # "Ускорение не должно сказаться на качестве": a caution, not a task
    return not any(w not in MODALS and w not in SUBORDINATORS and is_verb(ctx.nlp, w) for w in words)


OWED = frozenset({"должны", "должен", "должно", "должна"})


def _has_modal_or_verb(ctx: Context, idx: TokenIndex, a: int, b: int) -> bool:
    """A modal, a verb or a subordinate clause before the infinitive: "Отмечу, что исполнение
    должно находиться ..." states a rule; it sets no task."""
    return any(t.text.lower() in MODALS or t.text.lower() in SUBORDINATORS or is_verb(ctx.nlp, t.text.lower())
               for t in idx.tokens[a:b])


def _in_speech(ctx: Context, pos: int) -> bool:
    """True when ``pos`` is inside a quotation or a paragraph of dialogue (starting with a dash)."""
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    if ctx.text[line_start:line_start + 3].lstrip()[:1] in DASHES:
        return True
    dateline = DATELINE_DASH.match(ctx.text, line_start)
    if dateline and dateline.end() <= pos and any(ch.isdigit() for ch in dateline.group(1)):
        return True  # "Астана, 12 марта — Поднимайте ..." : a dateline, then the speech
    return _in_quotes(ctx, pos)


def _in_quotes(ctx: Context, pos: int) -> bool:
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    head = ctx.text[line_start:pos]
    opened = head.count("«") - head.count("»")
    if opened > 0 or head.count("\"") % 2 == 1:
        return True
    # a later paragraph of a quote that began lines above: it closes before it opens again
    line_stop = ctx.text.find("\n", pos)
    tail = ctx.text[pos: len(ctx.text) if line_stop < 0 else line_stop]
    close, reopen = tail.find("»"), tail.find("«")
    if opened == 0 and close >= 0 and (reopen < 0 or close < reopen):
        return True
    # a paragraph in the middle of such a quote: a paragraph above opened with it, one below closes it
    lo = max(0, line_start - MAX_QUOTE_BACK)
    opening = ctx.text.rfind("«", lo, line_start)
    opens_paragraph = opening >= 0 and not ctx.text[ctx.text.rfind("\n", 0, opening) + 1: opening].strip(" \t—–-")
    if opened == 0 and opens_paragraph and "»" not in ctx.text[opening:pos]:
        after = ctx.text[pos: pos + MAX_QUOTE_BACK]
        if "»" in after and ("«" not in after or after.find("»") < after.find("«")):
            return True
    # the same with straight quotes: the paragraph closes one ("..., — заявил") it never opened
    return "\"" not in head and re.search(r'\S"\s*,?\s*[—–-]', tail) is not None and tail.count("\"") % 2 == 1


def _speaker(ctx: Context, actors: tuple[Actor, ...], pos: int) -> str | None:
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    line_stop = ctx.text.find("\n", pos)
    line_stop = len(ctx.text) if line_stop < 0 else line_stop
    for a in actors_between(actors, line_start, line_stop):
        if not _in_quotes(ctx, a.start):
            return a.name
    before = actor_before(actors, line_start)
    return before.name if before else None


# ---------------------------------------------------------------- assembling

def _instructions(ctx: Context, idx: TokenIndex, first: int, end: int, issuer: str | None,
                  addressee: str | None, deadline: str | None, *, split: bool = True,
                  imperative: bool = False) -> list[Instruction]:
    if first >= end:
        return []
    if split:
        tasks = read_tasks(ctx, idx, first, end, imperative)
    else:
        toks = idx.tokens
        text = re.sub(r"\s+", " ", ctx.text[toks[first].start: toks[end - 1].stop]).strip(TRIM)
        tasks = [Task(text, toks[first].start, toks[end - 1].stop)]
    out = [Instruction(text=_unlisted(t.text), issuer=issuer, addressee=t.addressee or addressee,
                       deadline=t.deadline or deadline,
                       span=(t.start, t.stop))
           for t in tasks if _long_enough(t.text)]
    if split and tasks:
        out += _semicolon_items(ctx, idx, first, end, issuer, addressee, deadline)
    return out


def _with_lead(lead: str | None, found: list[Instruction]) -> list[Instruction]:
    """The first task with ``lead`` written before it."""
    if not lead or not found:
        return found
    first = found[0]
    return [Instruction(text=f"{lead} {first.text}", issuer=first.issuer, addressee=first.addressee,
                        deadline=first.deadline, span=first.span), *found[1:]]


def _body_told(body: str | None, found: list[Instruction]) -> list[Instruction]:
    """"Акиматам необходимо приложить усилия": a task told as what a body must do is its clause as
    written, the body kept and the necessity word left out ("акиматам приложить усилия"), as the
    answers write it; the body is also its addressee."""
    return _with_lead(body, found)


def _clause_told(ctx: Context, idx: TokenIndex, a: int, first: int, addressee: str | None,
                 found: list[Instruction]) -> list[Instruction]:
    """"— В месячный срок акимам районов подготовить планы": a bare infinitive clause in speech is the
    task as written, with its addressee and deadline (modal words left out); with no addressee
    named it is the task alone."""
    if not addressee or first <= a:
        return found
    words = [t.text for t in idx.tokens[a:first] if t.text.lower() not in MODALS | NECESSITY_WORDS]
    lead = quoted_whole(" ".join(" ".join(words).split()).strip(TRIM))
    return _with_lead(lead or None, found)


LIST_VERB = re.compile(r"^(\w+)\s*:\s*")


def _unlisted(text: str) -> str:
    """"обеспечить: выплату зарплат" (a verb that opens a list) reads "обеспечить выплату зарплат"."""
    return LIST_VERB.sub(r"\1 ", text)


def _semicolon_items(ctx: Context, idx: TokenIndex, first: int, end: int, issuer: str | None,
                     addressee: str | None, deadline: str | None) -> list[Instruction]:
    """"поручил [кому]: утвердить планы; провести мониторинг; ..." and "поручил обеспечить: A; B; C"
    on one line: after a colon, each item up to the next ";" is a task of its own (an item with no
    verb of its own takes the verb that opened the list), with its own addressee and deadline if it
    gives them."""
    toks = idx.tokens
    s0, s1 = idx.sentence_bounds(first)
    if end >= s1 or toks[end].text != ";" or ":" not in ctx.text[toks[s0].start: toks[end].start]:
        return []
    opener = LIST_VERB.match(ctx.text[toks[first].start: toks[end].start])
    out: list[Instruction] = []
    while end < s1 and toks[end].text == ";" and end + 1 < s1:
        if "\n" in ctx.text[toks[end].stop: toks[end + 1].start]:
            break  # a list an item a line is read by the list rule
        a = end + 1
        b = region_end(ctx, idx, a)
        verb, own_addressee, own_deadline = complement(ctx, idx, a, b)
        if verb is not None and verb - a <= 3:
            out += [Instruction(text=_unlisted(t.text), issuer=issuer,
                                addressee=t.addressee or own_addressee or addressee,
                                deadline=t.deadline or own_deadline or deadline, span=(t.start, t.stop))
                    for t in read_tasks(ctx, idx, verb, b) if _long_enough(t.text)]
        elif opener and b > a:
            item = re.sub(r"\s+", " ", ctx.text[toks[a].start: toks[b - 1].stop]).strip(TRIM)
            found = find_deadline(item, ctx.published)
            out.append(Instruction(text=f"{opener.group(1)} {item}", issuer=issuer, addressee=addressee,
                                   deadline=found[0] if found else deadline,
                                   span=(toks[a].start, toks[b - 1].stop)))
        else:
            break
        end = b
    return out


def _dedup(found: list[Instruction]) -> list[Instruction]:
    """One instruction per task: the same text read by two rules (or repeated) is kept once."""
    out: list[Instruction] = []
    seen: set[frozenset[str]] = set()
    reach = -1  # the furthest end of a kept span: sorted by start, overlap means starting before it
    for ins in sorted(found, key=lambda i: i.span):
        key = frozenset(stems(ins.text))
        if ins.span[0] < reach or key in seen:
            continue
        seen.add(key)
        reach = max(reach, ins.span[1])
        out.append(ins)
    return _restated(out)


def _restated(found: list[Instruction]) -> list[Instruction]:
    """A task told twice by one issuer (a lead that sums up the quote below it: "заявил, что акимам
    необходимо приложить усилия ..." and "— Акимам нужно приложить усилия ..., — поручил") is one
    instruction: the later telling, which is the fuller one in a release, is kept."""
    out: list[Instruction] = []
    for ins in found:
        key = stems(ins.text)
        same = [n for n, kept in enumerate(out) if kept.issuer == ins.issuer
                and (kept.deadline == ins.deadline or None in (kept.deadline, ins.deadline))
                and len(key & stems(kept.text)) / max(1, len(key | stems(kept.text))) >= RESTATED]
        if same:
            out[same[0]] = ins
            continue
        out.append(ins)
    return out


def _lead_end(text: str) -> int:
    """Where the document's first line (its title or lead) ends."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _restated_in_lead(found: list[Instruction], text: str) -> list[Instruction]:
    """A title or lead that tells of an instruction the body then gives in full ("Токаев поручил
    навести порядок на рынке" above the quoted order) is one instruction: the body's is kept (its
    sentence holds the addressee and deadline), the lead's dropped when a later instruction of the
    same issuer shares content words with it: one for a title (a headline only sums up), two for a
    lead sentence, which may also carry an order of its own."""
    lead = _lead_end(text)
    body = [i for i in found if i.span[0] >= lead]
    if lead >= len(text) or not body:
        return found
    shared = 1 if not text[:lead].rstrip().endswith((".", "!", "?", "…")) else 2
    return [i for i in found if i.span[0] >= lead or not any(
        b.issuer == i.issuer and len(stems(b.text) & stems(i.text)) >= shared for b in body)]


def extract_instructions(ctx: Context, persons: list[Person]) -> list[Instruction]:
    del persons  # issuers come from the same reading, which also resolves role phrases
    idx = token_index(ctx.parsed)
    actors = read_persons(ctx).actors
    found: list[Instruction] = []
    for k in range(len(idx.tokens)):
        low = idx.tokens[k].text[:4].lower()
        if low in ("пору", "потр", "треб", "расп", "обяз", "обяж", "пред", "дал", "дала", "дали", "даны", "дано",
                   "дан", "дана", "необ", "прош", "пост"):
            for rule in RULES:
                found += rule(ctx, idx, k, actors)
    found += reported_necessity(ctx, idx, actors)
    found += detailed_orders(ctx, idx, actors)
    covered = [i.span for i in found]
    # an order verb's reading of a sentence wins over reading it as speech (a list after "поручил:")
    found += [i for i in speech(ctx, idx, actors)
              if not any(a < i.span[1] and i.span[0] < b for a, b in covered)]
    return _restated_in_lead(_dedup(found), ctx.text)
