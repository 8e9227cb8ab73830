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
    stems,
    task_start,
)
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordclass import is_verb
from qala.extractor.wordlist import load_words
from qala.model import Instruction, Person

ORDER_LEMMAS = frozenset(load_words("instructions_verbs"))
ORDER_PREFIXES = ("поруч", "потреб", "треб", "распоряд", "обяза", "обяж")
PREPOSITIONS = frozenset({"по", "к", "в", "на", "с", "со", "за", "из", "от", "для", "при", "о", "об", "согласно",
                          "благодаря", "вслед"})
ADDRESSEE_FILLERS = frozenset({"также", "было", "были", "был", "была", "же", "в", "свою", "очередь"})
# A paragraph's dateline before a dialogue dash: a place, a date or a time, a few words at most.
DATELINE_DASH = re.compile(r"[ \t]*((?:[\w.,:/-]+[ \t]+){0,5}?[\w.,:/-]+)[ \t]+[—–][ \t]")
MAX_BEFORE_ORDERS = 10  # "дал руководителям областей и городов ряд конкретных поручений"
MIN_WORDS = 2        # "дал поручение удел" (a cut-off text) is not an instruction


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


def _addressee_before(ctx: Context, idx: TokenIndex, k: int) -> str | None:
    """"Министру энергетики Алмасадаму Саткалиеву поручено": the dative phrase before a passive verb
    (prepositional phrases such as "По итогам совещания" are passed over)."""
    toks = idx.tokens
    s0, _ = idx.sentence_bounds(k)
    for j in range(s0, k):
        word = toks[j].text
        if not word[:1].isalpha() or (j > s0 and toks[j - 1].text.lower() in PREPOSITIONS):
            continue
        if any(p.tag.case == "datv" and p.tag.POS in ("NOUN", "ADJF") for p in ctx.nlp.parse_word(word)):
            text = quoted_whole(re.sub(r"\s+", " ", ctx.text[toks[j].start: toks[k - 1].stop]).strip(TRIM))
            words = [w for w in text.split() if w.lower() not in ADDRESSEE_FILLERS]
            return " ".join(words) or None
    return None


# ---------------------------------------------------------------- rules

def _is_order_verb(ctx: Context, word: str) -> bool:
    low = word.lower()
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
    if first is None:
        return []
    end = min(end, region_end(ctx, idx, first)) if not attribution else end
    issuer = _issuer(ctx, idx, actors, k, attribution)
    if addressee is None and not attribution and _passive(ctx, toks[k].text):
        addressee = _addressee_before(ctx, idx, k)
    return _instructions(ctx, idx, first, end, issuer, addressee, deadline)


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
    if toks[k].text.lower() not in ("дал", "дала", "дали", "даны", "дано", "дан"):
        return []
    end = region_end(ctx, idx, k)
    j = k + 1
    while j < min(end, k + 1 + MAX_BEFORE_ORDERS) and not toks[j].text.lower().startswith("поручени"):
        if is_verb(ctx.nlp, toks[j].text) or toks[j].text in (",", ":", ";"):
            return []
        j += 1
    if j >= end or not toks[j].text.lower().startswith("поручени"):
        return []
    between = ctx.text[toks[k].stop: toks[j].start]
    issuer = _issuer(ctx, idx, actors, k, False)
    first, addressee, deadline = complement(ctx, idx, j + 1, end)
    if first is not None:
        return _instructions(ctx, idx, first, end, issuer, addressee or _dative_of(ctx, between), deadline)
    about = nominal_start(ctx, idx, j + 1, end)
    if about is None:
        return []
    tasks = noun_tasks(ctx, idx, about, end)
    found = find_deadline(between, ctx.published)
    return [Instruction(text=t.text, issuer=issuer, addressee=_dative_of(ctx, between),
                        deadline=t.deadline or (found[0] if found else None), span=(t.start, t.stop))
            for t in tasks if len(stems(t.text)) >= MIN_WORDS]


def _dative_of(ctx: Context, phrase: str) -> str | None:
    """The addressee among the words between "дал" and "поручения": "руководителям областей"."""
    words = [w for w in re.findall(r"[\w-]+|«[^»]*»", phrase)
             if w.lower() not in ("ряд", "также", "конкретных", "конкретные", "ряда")]
    for n, w in enumerate(words):
        if any(p.tag.case == "datv" and p.tag.POS == "NOUN" for p in ctx.nlp.parse_word(w.lower())):
            rest = [x for x in words[n:] if not x.lower().startswith(("поручени", "важн", "нескольк", "отдельн"))]
            return " ".join(rest) or None
    return None


def by_order_of(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """BY_ORDER_OF: "по поручению президента ведется работа по ..." (the work is the task)."""
    toks = idx.tokens
    if toks[k].text.lower() != "поручению" or k == 0 or toks[k - 1].text.lower() != "по":
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
    while prev > 0 and is_adverb(ctx, toks[prev].text):
        prev -= 1
    lemma = ctx.nlp.lemma(toks[prev].text.lower())
    if lemma not in ("подчеркнуть", "указать", "подчёркнуть"):  # "отметил необходимость" is a remark
        return []
    end = region_end(ctx, idx, k)
    if k + 1 >= end:
        return []
    return _instructions(ctx, idx, k + 1, end, _issuer(ctx, idx, actors, k, False), None, None, split=False)


RULES = (order_verb, gave_orders, by_order_of, necessity)


# ---------------------------------------------------------------- direct speech

def speech(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> list[Instruction]:
    """SPEECH: directives in an official's direct speech (quotes or dialogue dashes)."""
    out: list[Instruction] = []
    toks = idx.tokens
    for n, (s0, s1) in enumerate(idx.bounds):
        if s1 - s0 < 3 or not _in_speech(ctx, toks[s0].start):
            continue
        issuer = _speaker(ctx, actors, toks[s0].start)
        if issuer is None:
            continue
        j = s0
        while j < s1 and (toks[j].text in DASHES or toks[j].text in QUOTES_OPEN or toks[j].text == "\""):
            j += 1
        if j < s1 and toks[j].text.lower() == "пожалуйста":
            j += 2 if j + 1 < s1 and toks[j + 1].text == "," else 1
        first, addressee, deadline = complement(ctx, idx, j, s1)
        if first is not None and not _has_modal_or_verb(ctx, idx, j, first):
            out += _instructions(ctx, idx, first, region_end(ctx, idx, first), issuer, addressee, deadline)
            continue
        for k in range(j, s1):
            if task_start(ctx, idx, k, True):
                out += _instructions(ctx, idx, k, region_end(ctx, idx, k), issuer, None, None, imperative=True)
                break
    return out


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
    return opened > 0 or head.count("\"") % 2 == 1


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
    return [Instruction(text=t.text, issuer=issuer, addressee=t.addressee or addressee,
                        deadline=t.deadline or deadline,
                        span=(t.start, t.stop))
            for t in tasks if len(stems(t.text) - {"поруч", "ряд"}) >= MIN_WORDS]


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
        if low in ("пору", "потр", "треб", "расп", "обяз", "обяж", "дал", "дала", "дали", "даны", "дано",
                   "дан", "необ"):
            for rule in RULES:
                found += rule(ctx, idx, k, actors)
    found += speech(ctx, idx, actors)
    return _restated_in_lead(_dedup(found), ctx.text)
