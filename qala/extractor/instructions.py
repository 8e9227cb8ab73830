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
from dataclasses import dataclass

from qala.extractor.context import Context
from qala.extractor.deadlines import find_deadline
from qala.extractor.persons import Actor, actor_before, actors_between, read_persons
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordclass import is_imperative, is_infinitive, is_verb
from qala.extractor.wordlist import load_words
from qala.model import Instruction, Person

ORDER_LEMMAS = frozenset(load_words("instructions_verbs"))
DIRECTIVES = frozenset(load_words("instructions_directives"))
MODALS = frozenset(load_words("instructions_modals"))
ORDER_PREFIXES = ("поруч", "потреб", "треб", "распоряд", "обяза", "обяж")
SUBORDINATORS = frozenset({"чтобы", "который", "которая", "которое", "которые", "которых", "которым",
                           "если", "где", "когда", "что", "поскольку", "потому"})
SEPARATORS = frozenset({",", "и", "а", "также", ";"})
QUOTES_OPEN = frozenset({"«", "“", "„"})
QUOTES_CLOSE = frozenset({"»", "”", "“"})
DASHES = frozenset({"—", "–", "-"})
END = frozenset({".", "!", "?", "»", "”", ";"})
ATTRIBUTIONS = frozenset({"передает", "передаёт", "сообщает", "пишет", "сообщили", "говорится", "отмечается"})
MAX_TO_TASK = 14     # tokens from the trigger to the first infinitive (addressee, deadline)
MIN_WORDS = 2        # "дал поручение удел" (a cut-off text) is not an instruction
TRIM = " ,.;:—–-«»\"“”\n\t"
WORD = re.compile(r"\w+")


def stems(phrase: str) -> set[str]:
    """Words longer than 2 letters, lower-cased, cut to 5 letters (as the corpus scoring compares)."""
    return {w.lower()[:5] for w in WORD.findall(phrase) if len(w) > 2}



@dataclass(frozen=True)
class Task:
    text: str
    start: int
    stop: int
    deadline: str | None = None


# ---------------------------------------------------------------- tasks

def _adverb(ctx: Context, word: str) -> bool:
    """An adverb, or a short neuter adjective used as one ("своевременно")."""
    low = word.lower()
    if low in MODALS or not low.isalpha():
        return False
    parses = ctx.nlp.parse_word(low)
    if not parses:
        return False
    tag = parses[0].tag
    return tag.POS in ("ADVB", "COMP") or (tag.POS == "ADJS" and tag.gender == "neut" and low.endswith("о"))


def _is_end(ctx: Context, idx: TokenIndex, j: int) -> bool:
    """A sentence end, a new line or a closing quote (the dot of "г." and "т." is not an end)."""
    toks = idx.tokens
    if j > 0 and "\n" in ctx.text[toks[j - 1].stop: toks[j].start]:
        return True
    w = toks[j].text
    if w == "." and j > 0:
        prev = toks[j - 1].text
        return not (prev.isalpha() and prev.islower() and len(prev) <= 3)
    return w in END


def _task_start(ctx: Context, idx: TokenIndex, k: int, imperative: bool) -> bool:
    word = idx.tokens[k].text
    if imperative:
        return is_imperative(ctx.nlp, word) and any(
            p.normal_form in DIRECTIVES for p in ctx.nlp.parse_word(word.lower()))
    return word[:1].isalpha() and is_infinitive(ctx.nlp, word)


def _with_adverbs(ctx: Context, idx: TokenIndex, k: int, lo: int) -> int:
    """Move a task's start over the adverbs before its verb: "своевременно и качественно реализовать"."""
    toks = idx.tokens
    j = k
    while j - 1 >= lo and _adverb(ctx, toks[j - 1].text):
        j -= 1
        if j - 2 >= lo and toks[j - 1].text == "и" and _adverb(ctx, toks[j - 2].text):
            j -= 2
    return j


def _region_end(ctx: Context, idx: TokenIndex, k: int) -> int:
    """Past-the-end token of the clause a task runs in."""
    toks = idx.tokens
    _, end = idx.sentence_bounds(k)
    depth = 0
    for j in range(k + 1, end):
        w = toks[j].text
        if w in QUOTES_OPEN:
            depth += 1
        elif w in QUOTES_CLOSE and depth > 0:
            depth -= 1
            continue
        if _is_end(ctx, idx, j):
            return j
        if w in DASHES and toks[j - 1].text == ",":
            return j - 1  # "..., — сказал он"
        if w.lower().startswith("котор") and (toks[j - 1].text == "," or toks[j - 2].text == ","):
            return j - 1 if toks[j - 1].text == "," else j - 2
        if w == "\"" and j > k + 1:
            return j
        if w == "," and j + 1 < end and toks[j + 1].text.lower() in ATTRIBUTIONS:
            return j  # "..., передает корреспондент"
    return end


def read_tasks(ctx: Context, idx: TokenIndex, first: int, end: int, imperative: bool = False) -> list[Task]:
    """Tasks from token ``first`` (a verb) to ``end``, one per coordinated verb."""
    toks = idx.tokens
    bounds: list[tuple[int, int, str | None, str]] = []  # (start, stop, deadline, prefix)
    start, sub, k = first, False, first + 1
    while k < end:
        w = toks[k].text.lower()
        if w in SUBORDINATORS:
            sub = True
        if not sub and w == "," and k + 1 < end:
            gap = _gapped_deadline(ctx, idx, k + 1, end)
            if gap:
                dash, deadline = gap
                bounds.append((start, k, None, ""))
                bounds.append((dash + 1, end, deadline, ctx.text[toks[start].start:toks[k - 1].stop]))
                start = None
                break
        coordinated = toks[k - 1].text.lower() in SEPARATORS and toks[k - 2].text == ","
        if (not sub or coordinated) and _task_start(ctx, idx, k, imperative):
            j = _with_adverbs(ctx, idx, k, start)
            s = j
            while s - 1 > start and toks[s - 1].text.lower() in SEPARATORS:
                s -= 1
            if s < j:
                bounds.append((start, s, None, ""))
                start = j
        k += 1
    if start is not None:
        bounds.append((start, end, None, ""))
    out = []
    for a, b, deadline, prefix in bounds:
        if b <= a:
            continue
        body = ctx.text[toks[a].start: toks[b - 1].stop]
        text = (prefix + " " + body if prefix else body).strip(TRIM)
        text = re.sub(r"\s+", " ", text)
        if not deadline:
            found = find_deadline(body, ctx.published)
            deadline = found[0] if found else None
        out.append(Task(text, toks[a].start, toks[b - 1].stop, deadline))
    return out


def _gapped_deadline(ctx: Context, idx: TokenIndex, k: int, end: int) -> tuple[int, str] | None:
    """", до 1.03.2022 г. — с учетом ..." : a second deadline for the same verb (the verb elided)."""
    toks = idx.tokens
    for dash in range(k + 1, min(end, k + 8)):
        if toks[dash].text in DASHES:
            found = find_deadline(ctx.text[toks[k].start: toks[dash].start], ctx.published)
            if found and found[1] == 0:
                return dash, found[0]
            return None
    return None


def _complement(ctx: Context, idx: TokenIndex, after: int, end: int) -> tuple[int | None, str | None, str | None]:
    """The first task verb after a trigger, the addressee and the deadline before it."""
    toks = idx.tokens
    for k in range(after, min(end, after + MAX_TO_TASK)):
        w = toks[k].text
        if (k > after and _is_end(ctx, idx, k)) or (w in DASHES and k > after and toks[k - 1].text == ","):
            break
        if _task_start(ctx, idx, k, False):
            first = _with_adverbs(ctx, idx, k, after)
            lead = ctx.text[toks[after].start: toks[first].start] if first > after else ""
            found = find_deadline(lead, ctx.published)
            addressee = lead
            deadline = None
            if found:
                deadline = found[0]
                addressee = lead[: found[1]] + lead[found[2]:]
            addressee = " ".join(w for w in addressee.split() if w.lower().strip(TRIM) not in MODALS)
            return first, addressee.strip(TRIM) or None, deadline
        if is_verb(ctx.nlp, w) and not _task_start(ctx, idx, k, False):
            break
    return None, None, None


# ---------------------------------------------------------------- issuers

def _actor_after(actors: tuple[Actor, ...], pos: int, limit: int) -> Actor | None:
    found = actors_between(actors, pos, limit)
    return found[0] if found else None


def _issuer(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...], k: int, attribution: bool) -> str | None:
    toks = idx.tokens
    s0, s1 = idx.sentence_bounds(k)
    if attribution:
        after = _actor_after(actors, toks[k].stop, toks[min(k + 5, s1 - 1)].stop)
        if after:
            return after.name
    here = actor_before(actors, toks[k].start, toks[s0].start)
    if here:
        return here.name
    before = actor_before(actors, toks[k].start)
    return before.name if before else None


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
    s0, s1 = idx.sentence_bounds(k)
    attribution = k - 2 >= s0 and toks[k - 1].text in DASHES and toks[k - 2].text in {",", "»", "\"", "”"}
    if attribution:
        q = _quote_start(ctx, idx, k - 2, s0)
        first, addressee, deadline = _complement(ctx, idx, q, k - 2)
        end = k - 2
    else:
        end = _region_end(ctx, idx, k)
        first, addressee, deadline = _complement(ctx, idx, k + 1, end)
    if first is None:
        return []
    end = min(end, _region_end(ctx, idx, first)) if not attribution else end
    issuer = _issuer(ctx, idx, actors, k, attribution)
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
    """GAVE_ORDERS: "дал поручение сделать ...", "дал ряд поручений по ..."."""
    toks = idx.tokens
    if toks[k].text.lower() not in ("дал", "дала", "дали", "даны", "дано", "дан"):
        return []
    j = k + 1
    if j < len(toks) and toks[j].text.lower() == "ряд":
        j += 1
    if j >= len(toks) or not toks[j].text.lower().startswith("поручени"):
        return []
    end = _region_end(ctx, idx, k)
    first, addressee, deadline = _complement(ctx, idx, j + 1, end)
    issuer = _issuer(ctx, idx, actors, k, False)
    if first is not None:
        return _instructions(ctx, idx, first, end, issuer, addressee, deadline)
    stop = j + 1
    while stop < end and toks[stop].text != ",":
        stop += 1
    return _instructions(ctx, idx, k + 1, stop, issuer, None, None, split=False)


def by_order_of(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Instruction]:
    """BY_ORDER_OF: "по поручению президента ведется работа по ..." (the work is the task)."""
    toks = idx.tokens
    if toks[k].text.lower() != "поручению" or k == 0 or toks[k - 1].text.lower() != "по":
        return []
    end = _region_end(ctx, idx, k)
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
    while prev > 0 and _adverb(ctx, toks[prev].text):
        prev -= 1
    lemma = ctx.nlp.lemma(toks[prev].text.lower())
    if lemma not in ("подчеркнуть", "указать", "отметить", "подчёркнуть"):
        return []
    end = _region_end(ctx, idx, k)
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
        first, addressee, deadline = _complement(ctx, idx, j, s1)
        if first is not None and not _has_modal_or_verb(ctx, idx, j, first):
            out += _instructions(ctx, idx, first, _region_end(ctx, idx, first), issuer, addressee, deadline)
            continue
        for k in range(j, s1):
            if _task_start(ctx, idx, k, True):
                out += _instructions(ctx, idx, k, _region_end(ctx, idx, k), issuer, None, None, imperative=True)
                break
    return out


def _has_modal_or_verb(ctx: Context, idx: TokenIndex, a: int, b: int) -> bool:
    return any(t.text.lower() in MODALS or is_verb(ctx.nlp, t.text) for t in idx.tokens[a:b])


def _in_speech(ctx: Context, pos: int) -> bool:
    """True when ``pos`` is inside a quotation or a paragraph of dialogue (starting with a dash)."""
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    if ctx.text[line_start:line_start + 3].lstrip()[:1] in DASHES:
        return True
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
    return [Instruction(text=t.text, issuer=issuer, addressee=addressee, deadline=t.deadline or deadline,
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
    return _dedup(found)
