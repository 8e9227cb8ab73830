"""Tasks of an instruction: from the first infinitive after a trigger, one per coordinated verb.

  COMPLEMENT  поручил [кому] [срок] сделать ...: the addressee and deadline before the first verb
  TASKS       сделать A, и сделать B, а также сделать C: cut at each coordinated infinitive
  OWN_LEAD    ..., а акиматам областей до 1 марта обеспечить ...: a task with its own addressee/deadline
  GAPPED      ..., до 1.03.2022 г. — с учетом замечаний: the verb elided, a second deadline
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qala.extractor.context import Context
from qala.extractor.deadlines import find_deadline
from qala.extractor.tokens import TokenIndex
from qala.extractor.wordclass import is_imperative, is_infinitive, is_verb, top_pos
from qala.extractor.wordlist import load_words

DIRECTIVES = frozenset(load_words("instructions_directives"))
NOT_DIRECTIVES = frozenset(w for w in load_words("instructions_not_directives") if " " not in w)
MODALS = frozenset(load_words("instructions_modals"))
SUBORDINATORS = frozenset({"чтобы", "который", "которая", "которое", "которые", "которых", "которым",
                           "если", "где", "когда", "что", "поскольку", "потому"})
SEPARATORS = frozenset({",", "и", "а", "также", ";"})
QUOTES_OPEN = frozenset({"«", "“", "„"})
QUOTES_CLOSE = frozenset({"»", "”", "“"})
DASHES = frozenset({"—", "–", "-"})
END = frozenset({".", "!", "?", "»", "”", ";"})
ATTRIBUTIONS = frozenset({"передает", "передаёт", "сообщает", "пишет", "сообщили", "говорится", "отмечается"})
MAX_TO_TASK = 14     # tokens from the trigger to the first infinitive (addressee, deadline)
MAX_ADDRESSEES = 40  # ... when what stands between is a list of bodies: "Министерству энергетики, ..., акиматам"
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
    addressee: str | None = None  # its own, when it differs from the first task's


# ---------------------------------------------------------------- tasks

def is_adverb(ctx: Context, word: str) -> bool:
    """An adverb, or a short neuter adjective used as one ("своевременно")."""
    low = word.lower()
    if low in MODALS or not low.isalpha():
        return False
    parses = ctx.nlp.parse_word(low)
    if not parses:
        return False
    tag = parses[0].tag
    return tag.POS in ("ADVB", "COMP") or (tag.POS == "ADJS" and tag.gender == "neut" and low.endswith("о"))


def is_end(ctx: Context, idx: TokenIndex, j: int) -> bool:
    """A sentence end, a new line or a closing quote (the dot of "г." and "т." is not an end)."""
    toks = idx.tokens
    if j > 0 and "\n" in ctx.text[toks[j - 1].stop: toks[j].start]:
        return True
    w = toks[j].text
    if w == "." and j > 0:
        prev = toks[j - 1].text
        return not (prev.isalpha() and prev.islower() and len(prev) <= 3)
    return w in END


def task_start(ctx: Context, idx: TokenIndex, k: int, imperative: bool) -> bool:
    word = idx.tokens[k].text
    if imperative:
        return directive_imperative(ctx, idx, k)
    # "есть" reads as the infinitive "to eat" in "то есть", "есть такие": never a task here
    return word[:1].isalpha() and word.lower() != "есть" and is_infinitive(ctx.nlp, word)


def directive_imperative(ctx: Context, idx: TokenIndex, k: int) -> bool:
    """An imperative that sets a task: a directive verb in any number ("обеспечь", "обеспечьте"),
    or any verb in the plural imperative ("Подтягивайте работу", "Ускоряйте ...") except those that
    only address the listener ("Давайте", "Посмотрите", "Поймите"). A form that is also the present
    tense ("вводите") is an imperative unless "вы" stands just before it ("вы вводите")."""
    toks = idx.tokens
    word = toks[k].text.lower()
    if not word.isalpha() or not is_imperative(ctx.nlp, word):
        return False
    parses = [p for p in ctx.nlp.parse_word(word) if p.tag.POS == "VERB" and "impr" in p.tag.grammemes]
    if any(p.normal_form in DIRECTIVES for p in parses):
        return True
    plural = [p for p in parses if p.tag.number == "plur" and p.normal_form not in NOT_DIRECTIVES]
    if not plural:
        return False
    if k + 1 < len(toks) and toks[k + 1].text.lower() == "себе":  # «Представьте себе ...»
        return False
    return not any(t.text.lower() == "вы" for t in toks[max(0, k - 3):k])


def with_adverbs(ctx: Context, idx: TokenIndex, k: int, lo: int) -> int:
    """Move a task's start over the adverbs before its verb: "своевременно и качественно реализовать"."""
    toks = idx.tokens
    j = k
    if j - 1 >= lo and toks[j - 1].text.lower() == "не":
        j -= 1  # the negation is part of the task: "не снижать темпов", "не допускать роста цен"
    while j - 1 >= lo and is_adverb(ctx, toks[j - 1].text):
        j -= 1
        if j - 2 >= lo and toks[j - 1].text == "и" and is_adverb(ctx, toks[j - 2].text):
            j -= 2
    return j


def region_end(ctx: Context, idx: TokenIndex, k: int) -> int:
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
        if is_end(ctx, idx, j):
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
    leads: dict[int, tuple[str | None, str | None]] = {}  # a task's own addressee and deadline
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
        if (not sub or coordinated) and task_start(ctx, idx, k, imperative):
            j = with_adverbs(ctx, idx, k, start)
            if toks[j].text.lower() == "не" and toks[j - 1].text.lower() == "а":
                k += 1
                continue  # "показывать результат сейчас, а не ждать": a contrast, not a second task
            if _means_to(idx, start, j) or ((_refers_back(idx, k, end) or _object_elided(ctx, idx, k, end))
                                            and not _new_addressee(ctx, idx, start, j)):
                k += 1
                continue  # "поднять урожай и с этой целью обновить технику", "разработать план и
                # внести его в Правительство": the means or the next step of one task
            s = j
            for phrase in INCLUDING:  # "принять меры, в том числе обеспечить ...": a task of its own
                n = len(phrase)
                if s - n - 1 > start and tuple(t.text.lower() for t in toks[s - n: s]) == phrase \
                        and toks[s - n - 1].text == ",":
                    s -= n
                    break
            while s - 1 > start and toks[s - 1].text.lower() in SEPARATORS:
                s -= 1
            lead = None if s < j else _own_lead(ctx, idx, start, j)
            if s < j:
                bounds.append((start, s, None, ""))
                start = j
            elif lead:
                comma, leads[j] = lead
                bounds.append((start, comma, None, ""))
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
        addressee, own = leads.get(a, (None, None))
        deadline = deadline or own
        if not deadline:
            found = find_deadline(body, ctx.published)
            deadline = found[0] if found else None
        listed = _listed_objects(ctx, idx, a, b)
        if listed:
            # "усилить работу по привлечению инвестиций, созданию рабочих мест и развитию бизнеса":
            # one task per listed object; the first keeps the verb, the others are their nouns
            first_text = re.sub(r"\s+", " ", ctx.text[toks[a].start: listed[0].stop]).strip(TRIM)
            out.append(Task(first_text, toks[a].start, listed[0].stop, deadline, addressee))
            out.extend(Task(t.text, t.start, t.stop, deadline, addressee) for t in listed[1:])
            continue
        out.append(Task(text, toks[a].start, toks[b - 1].stop, deadline, addressee))
    return out


INCLUDING = (("в", "том", "числе"), ("в", "частности"), ("прежде", "всего"))
MEANS_TO = (("с", "этой", "целью"), ("в", "этих", "целях"), ("для", "этого"), ("для", "этой", "цели"))


def _means_to(idx: TokenIndex, lo: int, j: int) -> bool:
    """The words just before the verb at ``j`` point back to the task before it as its aim."""
    words = [t.text.lower() for t in idx.tokens[max(lo, j - 3): j]]
    return any(tuple(words[-len(p):]) == p for p in MEANS_TO)


BACK_PRONOUNS = frozenset({"его", "её", "ее", "их"})


def _new_addressee(ctx: Context, idx: TokenIndex, lo: int, j: int) -> bool:
    """", а акиматам обеспечить ее исполнение": the verb at ``j`` has an addressee of its own, so
    it is another body's task even when it acts on what the task before made."""
    lead = _own_lead(ctx, idx, lo, j)
    return bool(lead and lead[1][0])


def _refers_back(idx: TokenIndex, k: int, end: int) -> bool:
    """The verb at ``k`` takes as its object a pronoun for what the task before made or named."""
    return any(t.text.lower() in BACK_PRONOUNS for t in idx.tokens[k + 1: min(end, k + 3)])


def _object_elided(ctx: Context, idx: TokenIndex, k: int, end: int) -> bool:
    """"ускоряйте их реализацию и вводите в эксплуатацию": a transitive verb joined by a bare "и"
    with no object of its own (a preposition follows it) acts on the first verb's object: one task."""
    toks = idx.tokens
    if toks[k - 1].text.lower() != "и" or k + 1 >= end:
        return False
    verb = [p for p in ctx.nlp.parse_word(toks[k].text.lower()) if p.tag.POS in ("VERB", "INFN")]
    nxt = ctx.nlp.parse_word(toks[k + 1].text.lower())
    return bool(verb) and "tran" in verb[0].tag.grammemes and bool(nxt) and nxt[0].tag.POS == "PREP"


def _listed_objects(ctx: Context, idx: TokenIndex, a: int, b: int) -> list[Task]:
    """The objects of "по A, B и C" inside one task, when there are two or more, as written."""
    toks = idx.tokens
    for p in range(a + 1, b - 1):
        if toks[p].text.lower() != "по":
            continue
        parses = ctx.nlp.parse_word(toks[p + 1].text.lower())
        if not parses or parses[0].tag.POS != "NOUN" or parses[0].tag.case != "datv":
            return []
        listed = noun_tasks(ctx, idx, p + 1, b, nominative=False)
        return listed if len(listed) >= 2 else []
    return []


def _own_lead(ctx: Context, idx: TokenIndex, lo: int, j: int) -> tuple[int, tuple[str | None, str | None]] | None:
    """", а акиматам областей до 1 марта обеспечить ...", "... и в двухнедельный срок проверить ...":
    a task with its own addressee or deadline after a comma or "и"; gives where the task before
    ends and (addressee, deadline)."""
    toks = idx.tokens
    c, conj = j - 1, None  # a comma further left wins over "и": "..., а Министерству ресурсов и ирригации ..."
    while c > lo and j - c <= MAX_TO_TASK and toks[c].text != ",":
        w = toks[c].text
        if is_verb(ctx.nlp, w) or w.lower() in SUBORDINATORS or w in QUOTES_OPEN or w in QUOTES_CLOSE:
            break
        if w == "и" and conj is None:
            conj = c
        c -= 1
    if c <= lo or toks[c].text != ",":
        if conj is None:
            return None
        c = conj
    if toks[c].text == "и" and toks[c - 1].text == ",":
        c -= 1
    a = c + 1
    while a < j and toks[a].text.lower() in ("а", "и", "также"):
        a += 1
    if a >= j:
        return None
    segment = ctx.text[toks[a].start: toks[j - 1].stop]
    found = find_deadline(segment, ctx.published)
    rest = segment[: found[1]] + segment[found[2]:] if found else segment
    addressee = quoted_whole(" ".join(rest.split()).strip(TRIM)) or None
    if addressee and not _dative_phrase(ctx, addressee):
        return None
    if not found and not addressee:
        return None
    return c, (addressee, found[0] if found else None)


def quoted_whole(text: str) -> str:
    """Give back a closing quote the trimming took: "с АО «Алматинские тепловые сети»"."""
    return text + "»" if text.count("«") > text.count("»") else text


def _dative_phrase(ctx: Context, phrase: str) -> bool:
    """Its first word can be a noun or adjective in the dative: "акиматам областей"."""
    parses = ctx.nlp.parse_word(phrase.split()[0])
    if parses and parses[0].tag.POS in ("PREP", "CONJ", "PRCL"):
        return False  # "в том числе": "в" is no noun in the dative, whatever the dictionary allows
    return any(p.tag.case == "datv" and p.tag.POS in ("NOUN", "ADJF") for p in parses)


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


def _addressee_word(ctx: Context, word: str) -> bool:
    """A word a long list of addressees is made of: nouns, adjectives, names, numbers, "и", commas."""
    if not word[:1].isalpha():
        return word in (",", "«", "»", "\"") or word.isdigit()
    parses = ctx.nlp.parse_word(word.lower())
    return not parses or parses[0].tag.POS in ("NOUN", "ADJF", "CONJ", "PREP", "NUMR", "PRTF") \
        or parses[0].tag.POS == "INFN"


def complement(ctx: Context, idx: TokenIndex, after: int, end: int) -> tuple[int | None, str | None, str | None]:
    """The first task verb after a trigger, the addressee and the deadline before it."""
    toks = idx.tokens
    k, reach = after - 1, min(end, after + MAX_ADDRESSEES)
    while k + 1 < reach:
        k += 1
        w = toks[k].text
        relative = relative_clause_end(idx, k, reach) if k > after else None
        if relative:
            k = relative  # "акиматам, которые отстают по вводу жилья, ускорить ...": skip the clause
            continue
        if (k > after and is_end(ctx, idx, k)) or (w in DASHES and k > after and toks[k - 1].text == ","):
            break
        if k >= after + MAX_TO_TASK and (w.lower() in SUBORDINATORS or not _addressee_word(ctx, w)):
            break  # past the usual reach only over a list of names of bodies, places and dates
        if task_start(ctx, idx, k, False):
            first = with_adverbs(ctx, idx, k, after)
            lead = ctx.text[toks[after].start: toks[first].start] if first > after else ""
            found = find_deadline(lead, ctx.published)
            addressee = lead
            deadline = None
            if found:
                deadline = found[0]
                addressee = lead[: found[1]] + lead[found[2]:]
            addressee = MANNER.sub(" ", addressee)  # "управлению энергетики в срочном порядке"
            addressee = " ".join(w for w in addressee.split() if w.lower().strip(TRIM) not in MODALS)
            return first, quoted_whole(addressee.strip(TRIM)) or None, deadline
        if is_verb(ctx.nlp, w) and w.lower() not in MODALS and not task_start(ctx, idx, k, False):
            break
    return None, None, None


MAX_RELATIVE = 15  # tokens of a relative clause inside the addressee
# how the task is to be done, between the addressee and the task: not part of the addressee
MANNER = re.compile(r"(?i)\bв\s+(?:срочном|оперативном|приоритетном|обязательном|безусловном|установленном|"
                    r"ручном|особом)\s+порядке\b|\bсовместно\s+с\s+заинтересованными\s+(?:госорганами|органами)\b")


def relative_clause_end(idx: TokenIndex, k: int, end: int) -> int | None:
    """A relative clause set off by commas at token ``k`` (", которые ... ,"): the closing comma."""
    toks = idx.tokens
    if k + 1 >= end or toks[k].text != "," or not toks[k + 1].text.lower().startswith("котор"):
        return None
    for j in range(k + 2, min(end, k + 2 + MAX_RELATIVE)):
        if toks[j].text in END or toks[j].text in DASHES:
            return None
        if toks[j].text == ",":
            return j
    return None


# ---------------------------------------------------------------- tasks given as nouns

ABOUT = ("по", "о", "об")                           # поручения по привлечению ..., о подготовке ...
ABOUT_PHRASES = (("связанных", "с"), ("связанные", "с"), ("касающихся",), ("в", "части"), ("в", "сфере"))
SKIP_BEFORE_ABOUT = frozenset({",", "в", "том", "числе", "частности", "прежде", "всего", "дальнейшему"})


def nominal_start(ctx: Context, idx: TokenIndex, after: int, end: int) -> int | None:
    """Where the content of "поручения по ..." / "связанных с ..." starts: the token after the
    preposition, when a noun follows within a few words ("по дальнейшему развитию экономики")."""
    toks = idx.tokens
    k = after
    while k < end and k < after + 6:
        w = toks[k].text.lower()
        phrase = next((p for p in ABOUT_PHRASES if [t.text.lower() for t in toks[k:k + len(p)]] == list(p)), None)
        if phrase or w in ABOUT:
            first = k + (len(phrase) if phrase else 1)
            if first < end and any(top_pos(ctx.nlp, t.text.lower()) == "NOUN" for t in toks[first:min(end, first + 3)]):
                return first
            return None
        if w not in SKIP_BEFORE_ABOUT and not is_adverb(ctx, w) and w.isalpha() and not _dative(ctx, w):
            return None
        k += 1
    return None


def _dative(ctx: Context, word: str) -> bool:
    """An addressee's word before "по": "Правительству", "акимам", "областей" after them."""
    return any(p.tag.case in ("datv", "gent") and p.tag.POS in ("NOUN", "ADJF") for p in ctx.nlp.parse_word(word))


def _head_case(ctx: Context, idx: TokenIndex, first: int, end: int) -> tuple[int, str | None]:
    for k in range(first, min(end, first + 4)):
        parses = ctx.nlp.parse_word(idx.tokens[k].text.lower())
        if parses and parses[0].tag.POS == "NOUN":
            return k, parses[0].tag.case
    return first, None


def noun_tasks(ctx: Context, idx: TokenIndex, first: int, end: int, nominative: bool = True) -> list[Task]:
    """Tasks given as nouns, one per conjoined head in the head's case: "по привлечению инвестиций,
    поддержке бизнеса и строительству школ" gives three; "малого и среднего бизнеса" stays one (its
    second word is no noun in the head's case). Each task's first noun goes to the nominative
    ("недопущение роста цен"), the rest stays as written."""
    toks = idx.tokens
    head, case = _head_case(ctx, idx, first, end)
    cuts = [first]
    for k in range(head + 1, end):
        if toks[k - 1].text not in (",", "и") or toks[k].text[:1].isupper():
            continue
        if toks[k - 1].text == "и" and k - 2 >= first and toks[k - 2].text == ",":
            continue  # ", и" is read at the comma
        j = k + 1 if toks[k].text in ("и", "а") else k
        if j < end and toks[j].text.lower() == "также":
            j += 1
        if j < end and _conjoined_head(ctx, toks[j].text, case):
            cuts.append(j)
        elif toks[k - 1].text == ",":
            end = k - 1  # ", переданных ...": a clause, not another task, ends the list
            break
    out: list[Task] = []
    for n, a in enumerate(cuts):
        b = cuts[n + 1] - 1 if n + 1 < len(cuts) else end
        while b - 1 > a and toks[b - 1].text.lower() in SEPARATORS:
            b -= 1
        if b <= a:
            continue
        body = re.sub(r"\s+", " ", ctx.text[toks[a].start: toks[b - 1].stop]).strip(TRIM)
        found = find_deadline(body, ctx.published)
        out.append(Task(_nominative_head(ctx, body) if nominative else body, toks[a].start, toks[b - 1].stop,
                        found[0] if found else None))
    return out


def _conjoined_head(ctx: Context, word: str, case: str | None) -> bool:
    if case is None or not word.isalpha():
        return False
    return any(p.tag.POS == "NOUN" and p.tag.case == case and "Geox" not in p.tag.grammemes
               and "Name" not in p.tag.grammemes and "Surn" not in p.tag.grammemes
               for p in ctx.nlp.parse_word(word.lower()))


UD_GENDER = {"masc": "Masc", "femn": "Fem", "neut": "Neut"}
UD_NUMBER = {"sing": "Sing", "plur": "Plur"}


def _nominative_head(ctx: Context, body: str) -> str:
    """The noun phrase's head and the adjectives before it in the nominative: "дальнейшему
    развитию экономики" -> "дальнейшее развитие экономики"; a phrase with no noun among its first
    three words stays as written."""
    words = body.split(" ")
    for n, w in enumerate(words[:3]):
        parses = ctx.nlp.parse_word(w.lower())
        if not parses or parses[0].tag.POS != "NOUN":
            continue
        head = parses[0]
        form = head.inflect({"Nom"})
        if not form:
            return body
        agree = {"Nom", UD_NUMBER.get(head.tag.number or "sing", "Sing")}
        if head.tag.number != "plur" and head.tag.gender in UD_GENDER:
            agree.add(UD_GENDER[head.tag.gender])
        out = []
        for before in words[:n]:
            adj = next((p for p in ctx.nlp.parse_word(before.lower()) if p.tag.POS in ("ADJF", "PRTF")), None)
            inflected = adj.inflect(agree) if adj else None
            out.append(inflected.word if inflected else before)
        return " ".join([*out, form.word, *words[n + 1:]])
    return body
