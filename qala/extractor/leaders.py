"""Who leads what a text reports: the official who chairs the meeting or sets the tasks.

  SUBJECT   an actor in the nominative just before a leading verb: "Президент провел ...",
            "Касым-Жомарт Токаев поручил ...", "А. Смаилов заслушал ..."
  CHAIRED   "под председательством Премьер-Министра Олжаса Бектенова состоялось ..."
A task set without a named issuer ("Министру энергетики поручено ...", "Поручено обеспечить ...")
is given to the last leader named before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Protocol

from qala.extractor.context import Context
from qala.extractor.nlp import Parsed
from qala.extractor.tokens import TokenIndex
from qala.extractor.wordclass import is_infinitive
from qala.extractor.wordlist import load_words

if TYPE_CHECKING:
    from qala.extractor.persons import Actor

LEAD_VERBS = frozenset(load_words("leaders_verbs"))
MAX_BEFORE_NAME = 8  # tokens from a verb to the name after it, over the post: "провел заместитель акима"
MAX_TO_VERB = 4  # tokens from a name to its verb: "Токаев также поручил", "Мамин, аким города, провел"
CHAIRED = re.compile(r"(?i)\bпод\s+(?:его\s+)?председательством\s+[^.!?;\n]{0,80}$")


class Named(Protocol):
    start: int
    stop: int
    case: str


def leads(ctx: Context, idx: TokenIndex, actor: Named) -> bool:
    """True when the name (a mention or an actor) is the subject of a leading verb, or chairs."""
    if CHAIRED.search(ctx.text[max(0, actor.start - 100): actor.start]):
        return True
    if actor.case != "nomn":
        return False
    return _verb_after(ctx, idx, actor) or _verb_before(ctx, idx, actor)


def _verb_before(ctx: Context, idx: TokenIndex, actor: Named) -> bool:
    """"Его провел заместитель акима города Бакыт Ешенов": a nominative name after a leading verb."""
    k = idx.last_before(actor.start)
    sent = idx.sentence[k] if k >= 0 else -1
    for j in range(k, max(-1, k - MAX_BEFORE_NAME), -1):
        tok = idx.tokens[j]
        if idx.sentence[j] != sent or tok.text in (",", ".", "!", "?", ";", "»", "«", "—", "–"):
            return False
        if tok.text[:1].islower() and ctx.nlp.lemma(tok.text.lower()) in LEAD_VERBS:
            nxt = idx.tokens[j + 1].text.lower()
            return nxt != "участие" and not is_infinitive(ctx.nlp, tok.text)
    return False


def _verb_after(ctx: Context, idx: TokenIndex, actor: Named) -> bool:
    k = idx.first_at(actor.stop)
    if k >= len(idx.tokens):
        return False
    sent = idx.sentence[k]
    for j in range(k, min(len(idx.tokens), k + MAX_TO_VERB)):
        tok = idx.tokens[j]
        if idx.sentence[j] != sent or tok.text in (".", "!", "?", ";", "»", "«"):
            return False
        if tok.text[:1].islower() and ctx.nlp.lemma(tok.text.lower()) in LEAD_VERBS:
            nxt = idx.tokens[j + 1].text.lower() if j + 1 < len(idx.tokens) else ""
            return nxt != "участие"  # "принял участие" is taking part, not leading
    return False


_CACHE: list[tuple[Parsed, tuple[Actor, ...]]] = []


def leaders(ctx: Context, idx: TokenIndex, actors: tuple[Actor, ...]) -> tuple[Actor, ...]:
    """The actors that lead (chair, order, visit), in text order; one pass over the actors."""
    if _CACHE and _CACHE[0][0] is ctx.parsed:
        return _CACHE[0][1]
    found = tuple(a for a in actors if a.person and leads(ctx, idx, a))
    _CACHE[:] = [(ctx.parsed, found)]
    return found


def leader_before(found: tuple[Actor, ...], pos: int) -> Actor | None:
    """The last leader named before ``pos`` (by bisection)."""
    i = bisect_left(found, pos, key=lambda a: a.start)
    return found[i - 1] if i else None
