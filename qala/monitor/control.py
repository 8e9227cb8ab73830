"""Instruction control: who must do what by when, whether it is done, and how each body keeps time.

Status is one of new, in_progress, done (set by people, with history); overdue is derived: not
done and the deadline has passed. An instruction repeated at a later meeting (similar lemmas) is
linked to the earlier one through ``instructions.repeats_id``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, text, update

from qala.errors import InvalidInput, NotFound
from qala.monitor import labels
from qala.monitor.deadlines import find_deadline_phrase, resolve_deadline
from qala.store.db import transaction
from qala.store.schema import Instruction, InstructionStatus

STATUSES = ("new", "in_progress", "done")
REPEAT_SIMILARITY = 0.5  # Jaccard of lemma sets, as the evaluation matches instructions
NO_BODY = "не указан"
STOP_BODY = {"совместно", "с", "и", "а", "также", "при", "в", "по", "до", "для", "на"}
WORD = re.compile(r"[А-Яа-яЁёA-Za-z][\w\-]*")


@lru_cache(maxsize=1)
def morph():
    from qala.language import morph_vocab

    return morph_vocab()


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return morph().parse(word.lower())[0].normal


def lemmas(sentence: str) -> frozenset[str]:
    """The lemma set used to compare instructions (words of three letters or more)."""
    return frozenset(lemma(w) for w in WORD.findall(sentence or "") if len(w) > 2)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two texts' lemma sets.

    >>> round(similarity("обеспечить ввод школ до конца года", "обеспечить ввод всех школ"), 2)
    0.5
    """
    la, lb = lemmas(a), lemmas(b)
    return len(la & lb) / len(la | lb) if la and lb else 0.0


def _is_infinitive(word: str) -> bool:
    return any(p.pos == "VERB" and p.feats.get("VerbForm") == "Inf" for p in morph().parse(word.lower()))


def _dative(word: str):
    return next((p for p in morph().parse(word.lower())
                 if p.feats.get("Case") == "Dat" and p.pos in ("NOUN", "ADJ", "PROPN")), None)


def _genitive(word: str) -> bool:
    return any(p.feats.get("Case") == "Gen" for p in morph().parse(word.lower()))


def responsible_body(addressee: str | None, instruction_text: str | None) -> str | None:
    """The body an instruction is addressed to, in the nominative: the addressee, else the
    dative phrase the instruction starts with.

    >>> responsible_body(None, "Министерству энергетики совместно с акиматом обеспечить подачу газа")
    'Министерство энергетики'
    >>> responsible_body(None, "Местным исполнительным органам принять меры")
    'Местные исполнительные органы'
    >>> responsible_body(None, "Министерству сельского хозяйства акимам областей обеспечить посев")
    'Министерство сельского хозяйства'
    >>> responsible_body(None, "Сеилбеку Нурымбетову проработать вопрос")
    'Сеилбек Нурымбетов'
    >>> responsible_body(None, "обеспечить подачу газа") is None
    True
    """
    phrase = addressee or instruction_text or ""
    words = WORD.findall(phrase)[:10]
    out: list[str] = []
    head_seen = False
    for w in words:
        if w.lower() in STOP_BODY or _is_infinitive(w):
            break
        if not head_seen:
            form = _dative(w)
            if form is None:
                if addressee:
                    return addressee.strip()
                break
            nominative = form.inflect({"Nom"})
            word = nominative.word if nominative else w.lower()
            out.append(word.capitalize() if w[0].isupper() else word)
            head_seen = form.pos in ("NOUN", "PROPN")
        else:
            form = _dative(w)
            if form is not None and w[0].isupper() and form.feats.get("Animacy") == "Anim":
                nominative = form.inflect({"Nom"})   # a person's surname after the first name
                out.append(nominative.word.capitalize() if nominative else w)
                continue
            if form is not None and form.pos == "NOUN" and w[0].islower() and not _genitive(w):
                break   # a second addressee ("Министерству ... акимам областей")
            out.append(w)
    if not head_seen:
        return addressee.strip() if addressee else None
    return " ".join(out)


# ================================================================ status with history

def set_status(engine: Engine, instruction_id: int, status: str, user: str, note: str | None = None, *,
               at: dt.datetime | None = None) -> None:
    """Set an instruction's status (new, in_progress, done) and keep it in the history (`at`: when it
    happened, default now)."""
    if status not in STATUSES:
        raise InvalidInput(f"expected a status among {', '.join(STATUSES)}, got {status!r}")
    if not user:
        raise InvalidInput("expected the name of the user setting the status, got nothing")
    with transaction(engine) as session:
        item = session.get(Instruction, instruction_id)
        if item is None:
            raise NotFound(f"no instruction with id {instruction_id}")
        item.status = status
        row = InstructionStatus(instruction_id=instruction_id, status=status, changed_by=user, note=note)
        if at is not None:
            row.changed_at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
        session.add(row)


# ================================================================ derived: deadlines and repeats

def refresh_deadlines(conn: Connection) -> int:
    """Resolve deadlines not yet dated from their phrase (or the instruction's text) and the document date."""
    rows = conn.execute(text(
        "SELECT i.id, i.text, i.deadline_text, d.published FROM instructions i "
        "JOIN documents d ON d.id = i.document_id WHERE i.deadline IS NULL")).all()
    updates = []
    for r in rows:
        phrase = r.deadline_text or find_deadline_phrase(r.text)
        published = r.published if isinstance(r.published, dt.date) or r.published is None \
            else dt.date.fromisoformat(str(r.published)[:10])
        day = resolve_deadline(phrase, published)
        if day:
            updates.append({"iid": r.id, "day": day, "phrase": phrase})
    if updates:
        table = Instruction.__table__
        conn.execute(update(table).where(table.c.id == bindparam("iid")).values(
            deadline=bindparam("day"), deadline_text=bindparam("phrase")), updates)
    return len(updates)


def link_repeats(conn: Connection) -> int:
    """Link each instruction to the most recent similar one of an earlier document; returns links made."""
    rows = conn.execute(text(
        "SELECT i.id, i.document_id, i.text, d.published FROM instructions i JOIN documents d "
        "ON d.id = i.document_id ORDER BY d.published, i.document_id, i.id")).all()
    index: dict[str, list[int]] = {}
    sets = [lemmas(r.text) for r in rows]
    links: dict[int, int | None] = {}
    for n, r in enumerate(rows):
        best, best_sim = None, REPEAT_SIMILARITY
        candidates = {m for w in sets[n] for m in index.get(w, ())}
        for m in sorted(candidates, reverse=True):
            earlier = rows[m]
            if earlier.document_id == r.document_id or earlier.published is None or r.published is None \
                    or str(earlier.published) >= str(r.published):
                continue
            sim = len(sets[n] & sets[m]) / len(sets[n] | sets[m])
            if sim >= best_sim and (best is None or sim > best_sim):
                best, best_sim = m, sim
        links[r.id] = rows[best].id if best is not None else None
        for w in sets[n]:
            index.setdefault(w, []).append(n)
    table = Instruction.__table__
    if links:
        conn.execute(update(table).where(table.c.id == bindparam("iid")).values(repeats_id=bindparam("rid")),
                     [{"iid": k, "rid": v} for k, v in links.items()])
    return sum(1 for v in links.values() if v)


# ================================================================ reading

def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def list_instructions(engine: Engine, *, today: dt.date | None = None, document_id: int | None = None,
                      body: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Instructions with body, deadline, effective status (overdue derived), children, repeats, history."""
    today = today or dt.date.today()
    with transaction(engine) as session:
        q = select(Instruction).order_by(Instruction.id)
        if document_id is not None:
            q = q.where(Instruction.document_id == document_id)
        items = session.scalars(q).all()
        history: dict[int, list[dict[str, Any]]] = {}
        for h in session.scalars(select(InstructionStatus).order_by(InstructionStatus.changed_at,
                                                                    InstructionStatus.id)):
            history.setdefault(h.instruction_id, []).append(
                {"status": h.status, "changed_at": h.changed_at.isoformat() if h.changed_at else None,
                 "changed_by": h.changed_by, "note": h.note})
        children: dict[int, list[int]] = {}
        repeated_by: dict[int, list[int]] = {}
        for i in items:
            if i.parent_id:
                children.setdefault(i.parent_id, []).append(i.id)
            if i.repeats_id:
                repeated_by.setdefault(i.repeats_id, []).append(i.id)
        out = []
        for i in items:
            effective = i.status
            if i.status != "done" and i.deadline and _day(i.deadline) < today:
                effective = "overdue"
            who = responsible_body(i.addressee, i.text) or NO_BODY
            if body is not None and who != body or status is not None and effective != status:
                continue
            done_at = next((h["changed_at"] for h in history.get(i.id, []) if h["status"] == "done"), None)
            out.append({"id": i.id, "document_id": i.document_id, "issuer": i.issuer_text, "text": i.text,
                        "body": who, "deadline": None if i.deadline is None else str(i.deadline)[:10],
                        "deadline_text": i.deadline_text, "status": i.status, "effective_status": effective,
                        "status_label": labels.INSTRUCTION_STATUS[effective],
                        "days_overdue": (today - _day(i.deadline)).days if effective == "overdue" else None,
                        "done_at": done_at, "parent_id": i.parent_id, "children": children.get(i.id, []),
                        "repeats_id": i.repeats_id, "repeated_by": repeated_by.get(i.id, []),
                        "span": [i.span_start, i.span_stop], "history": history.get(i.id, [])})
    return out


def list_overdue(engine: Engine, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Instructions not done whose deadline has passed, most overdue first."""
    rows = list_instructions(engine, today=today, status="overdue")
    return sorted(rows, key=lambda r: (-r["days_overdue"], r["id"]))


def discipline_summary(engine: Engine, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per responsible body: how many instructions, done (on time or late), in progress, new,
    overdue, and the share done on time among those due."""
    summary: dict[str, dict[str, Any]] = {}
    for r in list_instructions(engine, today=today):
        s = summary.setdefault(r["body"], {"body": r["body"], "total": 0, "done": 0, "done_on_time": 0,
                                           "done_late": 0, "in_progress": 0, "new": 0, "overdue": 0})
        s["total"] += 1
        eff = r["effective_status"]
        s[eff] += 1
        if eff == "done":
            late = r["deadline"] and r["done_at"] and r["done_at"][:10] > r["deadline"]
            s["done_late" if late else "done_on_time"] += 1
    for s in summary.values():
        due = s["done"] + s["overdue"]
        s["on_time_share"] = round(s["done_on_time"] / due, 3) if due else None
    return sorted(summary.values(), key=lambda s: (-(s["overdue"]), s["body"]))
