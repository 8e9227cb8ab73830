"""Territory names as official tables write them -> KATO codes (data/territories.csv).

A name is reduced to a key: lower case, ё -> е, Kazakh letters to their Russian neighbours,
footnote marks and punctuation dropped, and each generic word ("г.", "город", "қаласы", "область",
"облысы", "район", "ауданы", "Г.А.", "қ.ә." ...) replaced by one marker. A key either names one
territory, or several (the same district name in three regions): then the region the table was
last listing (``within``) settles it, and otherwise the name is reported as ambiguous. Nothing is
guessed: a name that reaches no territory is unmatched.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

KAZAKH = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "ә": "а",
                        "і": "и", "ё": "е"})
# generic words -> marker (after lower-casing; dots and spaces around them are dropped)
MARKERS = {"г": "г", "гор": "г", "город": "г", "города": "г", "каласы": "г", "city": "г", "к": "г",
           "область": "обл", "обл": "обл", "облысы": "обл", "oblast": "обл", "region": "обл",
           "района": "р-н", "район": "р-н", "р-н": "р-н", "ауданы": "р-н", "district": "р-н", "ауд": "р-н",
           "га": "га", "ка": "га", "акимат": "га"}
# the kinds a marker may stand for when the spelling was listed without it
MARKER_KINDS = {"г": {"city", "town"}, "обл": {"region"}, "р-н": {"district"}, "га": {"town"}}
FOOTNOTE = re.compile(r"(?:\s*(?:\d{1,2}\)|\*+|\(\d{1,2}\)|\s\d{1,2}))+\s*$")
TOWN_ADMIN = re.compile(r"\b(?:г\s*\.\s*а|қ\s*\.\s*ә)\s*\.?(?![а-яёәіңғүұқөһa-z])", re.IGNORECASE)
WORD = re.compile(r"[a-zа-я0-9]+(?:-[a-zа-я0-9]+)*")


def key(name: str) -> tuple[str, ...]:
    """The comparison key of a territory name (sorted words, generic words as markers).

    >>> key("Г.АСТАНА"), key("город Астана"), key("Астана қаласы 2)")
    (('астана', 'г'), ('астана', 'г'), ('астана', 'г'))
    >>> key("Семей қ.ә."), key("Семей Г.А."), key("Жетісу"), key("Южно-Казахстанская *")
    (('га', 'семей'), ('га', 'семей'), ('жетису',), ('южно-казахстанская',))
    """
    text = FOOTNOTE.sub("", name.strip())
    text = TOWN_ADMIN.sub(" га ", text).lower().translate(KAZAKH)
    text = text.replace(".", ". ").replace("им.", " ")
    words = [MARKERS.get(w, w) for w in WORD.findall(text) if w != "им"]
    return tuple(sorted(words))


@dataclass(frozen=True)
class Place:
    code: str
    kind: str
    parent: str | None
    name: str


@dataclass(frozen=True)
class Match:
    place: Place | None
    reason: str | None = None  # why there is no place
    candidates: tuple[str, ...] = ()  # an ambiguous name: the codes it may stand for


class Gazetteer:
    """Every listed territory and its keys."""

    def __init__(self, rows: list[dict[str, str]]):
        self.places: dict[str, Place] = {}
        self.index: dict[tuple[str, ...], set[str]] = {}
        for r in rows:
            place = self.places.setdefault(r["code"], Place(r["code"], r["kind"], r["parent"] or None, r["name"]))
            for form in (r["name"], *r["spellings"].split("|")):
                if form.strip():
                    self.index.setdefault(key(form), set()).add(place.code)

    def match(self, name: str, within: str | None = None) -> Match:
        """The territory ``name`` names; ``within``: the region or city the table is listing."""
        k = key(name or "")
        if not k:
            return Match(None, "empty territory name")
        codes = self.index.get(k)
        if not codes:
            markers = [w for w in k if w in MARKER_KINDS]
            bare = tuple(w for w in k if w not in MARKER_KINDS)
            if len(markers) == 1 and bare:
                kinds = MARKER_KINDS[markers[0]]
                codes = {c for c in self.index.get(bare, ()) if self.places[c].kind in kinds}
                if not codes and markers[0] == "г":  # "г.Атырау": the town administration of Атырау
                    codes = set(self.index.get(tuple(sorted((*bare, "га"))), ()))
        if not codes:
            return Match(None, f"unknown territory {name.strip()!r}")
        if len(codes) > 1 and within:
            inside = {c for c in codes if self.places[c].parent == within}
            codes = inside or codes
        if len(codes) > 1:
            names = ", ".join(f"{self.places[c].name} ({c})" for c in sorted(codes))
            return Match(None, f"ambiguous territory {name.strip()!r}: {names}", tuple(sorted(codes)))
        return Match(self.places[next(iter(codes))])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = resources.files("qala.stats").joinpath("data", "territories.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return Gazetteer(list(csv.DictReader(io.StringIO("\n".join(lines)))))
