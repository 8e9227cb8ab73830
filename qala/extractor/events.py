"""Meetings, sessions, working trips, receptions and visits a text reports.

  HELD       X провел совещание по вопросам ...; состоялось заседание ...; на заседании ...
  TRIP       в ходе рабочей поездки в г. Алматы (the place of the other events too)
  VISIT      X посетил / проинспектировал / ознакомился с ... → посещение
  RECEPTION  X принял акима ...; X встретился с ... → прием / встреча
Then the first meeting gets its speakers ("С докладами выступили ..."), participants ("В обсуждении
приняли участие ...") and topics ("Рассмотрены вопросы ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from qala.extractor.context import Context
from qala.extractor.kinds import KindLexicon
from qala.extractor.leaders import leader_before, leaders, leads
from qala.extractor.nlp import Pipeline
from qala.extractor.persons import Actor, actors_between, read_persons
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordclass import is_infinitive, nominative, recase
from qala.model import Event, Person

HOLD_VERBS = frozenset({"провести", "проводить", "состояться", "пройти", "созвать"})
VISIT_VERBS = frozenset({"посетить", "проинспектировать", "осмотреть", "ознакомиться", "побывать"})
RECEPTION_VERBS = {"принять": "прием", "встретиться": "встреча"}
TRIPS = frozenset({"рабочая поездка", "рабочий визит"})
MEETING_KINDS = ("совещание", "заседание", "встреча", "собрание", "брифинг", "пресс-конференция", "форум")
SPEAKERS = re.compile(r"(?i)\b(?:с\s+доклад\w*\s+выступил\w*|доложил\w*|выступил\w*)")
HEARD = re.compile(r"(?i)\bзаслуша\w*\s+(?:доклад\w*|отч[её]т\w*|информаци\w*)")  # the reporter follows
REPORTED = re.compile(r"(?i)^\s*(?:,\s*)?(?:доложил|выступил|отчитал|проинформировал)\w*")  # the reporter precedes
PARTICIPANTS = re.compile(r"(?i)\b(?:принял\w*\s+участие|приняли\s+участие|участвовал\w*|с\s+участием)")
TOPICS = re.compile(r"(?i)\bрассмотрен\w*\s+(?:вопрос\w*|ход|итоги)\s+")
SPLIT_TOPICS = re.compile(r",\s+|\s+и\s+(?=[а-яё]+(?:ия|ие|ии|ость|ости|ции|ция|ка|ки|ство|ства)\b)")
END = frozenset({".", "!", "?", ";", "\n"})
MAX_TITLE_TOKENS = 14


@lru_cache(maxsize=2)
def _lexicon(nlp: Pipeline) -> KindLexicon:
    return KindLexicon(nlp, "events_kinds")


def _clause_end(idx: TokenIndex, k: int, stop_at_comma: bool = False) -> int:
    """Past-the-end token of the clause from ``k`` (quotes kept whole, "г." is no end)."""
    toks = idx.tokens
    _, end = idx.sentence_bounds(k)
    depth = 0
    for j in range(k, min(end, k + MAX_TITLE_TOKENS)):
        w = toks[j].text
        depth += (w == "«") - (w == "»" and depth > 0)
        if depth:
            continue
        if w == "." and j > 0 and toks[j - 1].text.islower() and len(toks[j - 1].text) <= 3:
            continue
        if w in END or (stop_at_comma and w == ","):
            return j
    return min(end, k + MAX_TITLE_TOKENS)


def _text(ctx: Context, idx: TokenIndex, a: int, b: int) -> str:
    if b <= a:
        return ""
    return re.sub(r"\s+", " ", ctx.text[idx.tokens[a].start: idx.tokens[b - 1].stop]).strip(" ,.;:«»\"")


def _chair(ctx: Context, actors: tuple[Actor, ...], idx: TokenIndex, k: int) -> str | None:
    """The subject before the event word in its sentence ("Аким ... провел", "под председательством
    X состоялось"), else a leader named in this or the next sentence ("Совещание провел X",
    "... совещание. Его провел X"), else the last leader named before it ("Он осмотрел ...")."""
    s0, _ = idx.sentence_bounds(k)
    for actor in reversed(actors_between(actors, idx.tokens[s0].start, idx.tokens[k].start)):
        if actor.case == "nomn" or leads(ctx, idx, actor):
            return actor.person or actor.name
    found = leaders(ctx, idx, actors)
    _, s1 = idx.sentence_bounds(k)
    limit = idx.bounds[idx.sentence[k] + 1][1] if idx.sentence[k] + 1 < len(idx.bounds) else s1
    after = [a for a in actors_between(found, idx.tokens[k].start, idx.tokens[limit - 1].stop)]
    lead = after[0] if after else leader_before(found, idx.tokens[k].start)
    return (lead.person or lead.name) if lead else None


def _place(ctx: Context, idx: TokenIndex, k: int) -> str | None:
    """The first place after "в" in the sentence of token ``k``."""
    s0, s1 = idx.sentence_bounds(k)
    lo, hi = idx.tokens[s0].start, idx.tokens[s1 - 1].stop
    for e in ctx.parsed.entities:
        if e.type == "LOC" and lo <= e.start < hi and e.start >= idx.tokens[k].start:
            before = ctx.text[max(lo, e.start - 6): e.start]
            if re.search(r"\b(?:в|во)\s+(?:г\.\s*)?$", before):
                return ("г. " if before.endswith("г. ") else "") + nominative_place(ctx, e.text)
    return None


def nominative_place(ctx: Context, name: str) -> str:
    words = name.split()
    if len(words) == 1:
        parses = [p for p in ctx.nlp.parse_word(name) if "Geox" in p.tag.grammemes]
        if parses:
            form = parses[0].inflect({"Nom"})
            if form:
                return recase(name, form.word)
    return name


def _epithets(ctx: Context, idx: TokenIndex, first: int) -> str:
    """Adjectives before the kind that belong to the title: "выездное совещание", "очередное заседание"."""
    s0, _ = idx.sentence_bounds(first)
    j = first
    while j - 1 >= s0 and j > first - 3 and idx.tokens[j - 1].text[:1].isalpha() and any(
            p.tag.POS == "ADJF" and "Apro" not in p.tag.grammemes
            for p in ctx.nlp.parse_word(idx.tokens[j - 1].text.lower())[:1]):
        j -= 1
    return "".join(idx.tokens[i].text.lower() + " " for i in range(j, first))


def _held(ctx: Context, idx: TokenIndex, first: int, stop: int) -> bool:
    """A verb of holding near the kind: "провел совещание", "состоялось заседание"."""
    toks = idx.tokens
    s0, s1 = idx.sentence_bounds(first)
    near = list(range(max(s0, first - 3), first)) + list(range(stop, min(s1, stop + 2)))
    return any(ctx.nlp.lemma(toks[j].text.lower()) in HOLD_VERBS for j in near)


def _events_at(ctx: Context, idx: TokenIndex, k: int, actors: tuple[Actor, ...]) -> list[Event]:
    toks = idx.tokens
    nlp = ctx.nlp
    word = toks[k].text
    if not word[:1].isalpha():
        return []
    lemma = nlp.lemma(word.lower())
    date = ctx.published
    kind = _lexicon(nlp).match(idx, k)
    if kind:
        label = kind.label.lower()
        trip = label in TRIPS
        if not trip and not _held(ctx, idx, kind.first, kind.stop):
            return []
        end = _clause_end(idx, kind.stop, stop_at_comma=True)
        rest = _text(ctx, idx, kind.stop, end)
        base = label if trip else next((m for m in MEETING_KINDS if label.endswith(m)), label)
        title = f"{_epithets(ctx, idx, kind.first)}{label} {rest}".strip()
        return [Event(kind=base, title=title if not trip else label, date=date,
                      place=_place(ctx, idx, k), chair=_chair(ctx, actors, idx, k),
                      span=(toks[k].start, toks[max(end, kind.stop) - 1].stop))]
    if lemma in VISIT_VERBS and word[:1].islower() and not is_infinitive(nlp, word):
        a = k + 1
        if a < len(toks) and toks[a].text.lower() in ("с", "со"):
            a += 1
        end = _clause_end(idx, a)
        cut = [j for j in range(a, end) if toks[j].text == "," or toks[j].text.lower() in ("где", "который")]
        end = cut[0] if cut else end
        title = _text(ctx, idx, a, end)
        if title:
            return [Event(kind="посещение", title=title, date=date, place=_place(ctx, idx, k),
                          chair=_chair(ctx, actors, idx, k), span=(toks[k].start, toks[end - 1].stop))]
    if lemma in RECEPTION_VERBS and word[:1].islower() and _chair(ctx, actors, idx, k):
        _, s1 = idx.sentence_bounds(k)
        end = _clause_end(idx, k + 1, stop_at_comma=True)
        guests = _persons_in(actors, toks[k].stop, toks[s1 - 1].stop)
        if guests:
            kind = RECEPTION_VERBS[lemma]
            return [Event(kind=kind, title=f"{kind} {_text(ctx, idx, k + 1, end)}".strip(), date=date,
                          place=None, chair=_chair(ctx, actors, idx, k), participants=tuple(guests),
                          span=(toks[k].start, toks[s1 - 1].stop))]
    return []


def _persons_in(actors: tuple[Actor, ...], start: int, stop: int) -> list[str]:
    return list(dict.fromkeys(a.person for a in actors_between(actors, start, stop) if a.person))


def _details(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> tuple[list[str], list[str], list[str]]:
    speakers: list[str] = []
    participants: list[str] = []
    topics: list[str] = []
    toks = idx.tokens
    for s0, s1 in idx.bounds:
        lo, hi = toks[s0].start, toks[s1 - 1].stop
        text = ctx.text[lo:hi]
        m = SPEAKERS.search(text)
        if m and m.start() < 40:
            speakers += _persons_in(actors, lo + m.end(), hi)
        for m in HEARD.finditer(text):
            speakers += _persons_in(actors, lo + m.end(), hi)[:3]
        for actor in actors_between(actors, lo, hi):
            if actor.person and actor.case == "nomn" and REPORTED.match(ctx.text[actor.stop: actor.stop + 20]):
                speakers.append(actor.person)  # "Министр ... Саткалиев доложил о ..."
        m = PARTICIPANTS.search(text)
        if m:
            participants += _persons_in(actors, lo + m.end(), hi)
        m = TOPICS.search(text)
        if m:
            topics += _topics(ctx, text[m.end():].split(".")[0])
    return speakers, participants, topics


def _topics(ctx: Context, listing: str) -> list[str]:
    """Split "развития X, Y и Z, образования и здравоохранения" where a new noun starts an item."""
    parts = re.split(r"(,\s+|\s+и\s+)", listing)
    items = [parts[0]]
    for sep, piece in zip(parts[1::2], parts[2::2]):
        word = piece.split()[0] if piece.split() else ""
        parses = ctx.nlp.parse_word(word) if word.isalpha() else []
        if parses and parses[0].tag.POS == "NOUN":
            items.append(piece)
        else:
            items[-1] += sep + piece
    out = []
    for item in items:
        item = item.strip(" ,")
        if item in ("", "и") or len(item) < 3:
            continue
        first, _, tail = item.partition(" ")
        out.append((nominative(ctx.nlp, first) + (" " + tail if tail else "")).strip())
    return out


def extract_events(ctx: Context, persons: list[Person]) -> list[Event]:
    del persons  # chairs and participants come from the same reading of persons
    idx = token_index(ctx.parsed)
    actors = read_persons(ctx).actors
    found: list[Event] = []
    seen: set[tuple[str, str | None]] = set()
    skip = 0
    for k in range(len(idx.tokens)):
        if k < skip:
            continue
        kind = _lexicon(ctx.nlp).match(idx, k)
        if kind:
            skip = kind.stop
        for event in _events_at(ctx, idx, k, actors):
            key = (event.kind, None if event.kind in TRIPS else event.title)  # one trip per text
            if key not in seen:
                seen.add(key)
                found.append(event)
    trip_place = next((e.place for e in found if e.kind == "рабочая поездка" and e.place), None)
    speakers, participants, topics = _details(ctx, idx, actors)
    out = []
    main_done = False
    for e in found:
        place = (trip_place or e.place) if e.kind == "посещение" else (e.place or trip_place)
        if not main_done and e.kind in MEETING_KINDS[:2]:
            main_done = True
            everyone = list(dict.fromkeys(speakers + participants))
            e = Event(kind=e.kind, title=e.title, date=e.date, place=place, chair=e.chair,
                      speakers=tuple(dict.fromkeys(speakers)), participants=tuple(everyone),
                      topics=tuple(topics), span=e.span)
        elif place != e.place:
            e = Event(kind=e.kind, title=e.title, date=e.date, place=place, chair=e.chair,
                      speakers=e.speakers, participants=e.participants, topics=e.topics, span=e.span)
        out.append(e)
    return out
