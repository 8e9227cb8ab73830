"""Organizations named by post titles: "министр энергетики" -> Министерство энергетики Республики Казахстан.

Pure (no database): a post title in, an ``OrgRef`` out, so that posts can share one organization row.
The word lists are data (data/organizations.csv); case changes go through the extractor's cached
pymorphy analyzer. A title is read by the role of its head word, the first word after modifiers:
  POST    the head names its own body:     аким города Алматы -> Акимат города Алматы
  OBJECT  the body is the genitive object: председатель Агентства ... -> Агентство ...
  DEPUTY  the object is another post:      заместитель акима Алматинской области -> that akimat
Then the name is checked: "local" bodies must name a territory ("аким области" names none),
"parent" bodies a territory or a parent body, and "national" bodies get the country when they name
no place, so "министр энергетики" and "министр энергетики РК" give one organization.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from qala.errors import InvalidInput
from qala.extractor.wordclass import recase
from qala.extractor.wordlist import load_pairs, load_words
from qala.language import pipeline
from qala.model import Extraction, Person

COUNTRY = "Республики Казахстан"  # the genitive added to national bodies that name no place
MAX_BEFORE_HEAD = 4   # modifiers before the head: "временно исполняющий обязанности акима"
MAX_ADJECTIVES = 4    # adjectives before an object's head noun: "Единого накопительного пенсионного фонда"
DASHES = re.compile(r"\s+[—–-]\s+")  # "помощник Президента — секретарь Совета безопасности"
EDGE_PUNCT = ",;:()\"'«»“”"
PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad")
UD_GRAMS = {"sing": "Sing", "plur": "Plur", "masc": "Masc", "femn": "Fem", "neut": "Neut"}


@dataclass(frozen=True)
class OrgRef:
    name: str                     # canonical, nominative: "Акимат города Алматы"
    kind: str                     # government | ministry | agency | akimat | department | company | ...
    territory: str | None = None  # the place the name carries, as written in it: "города Алматы"


@dataclass(frozen=True)
class DocumentOrganizations:
    organizations: tuple[OrgRef, ...]       # each name once, in order of first use
    posts: Mapping[tuple[str, str], int]    # (person name, post title) -> index in organizations


# ---------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class Rule:
    role: str
    words: tuple[str, ...]    # lemmas: ("совет", "директоров") matches "совета директоров"
    target: str               # the body's head word, a replacement, or an abbreviation spelled out
    kind: str
    flags: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    heads: tuple[Rule, ...]   # post, object and deputy rows, longest first
    orgs: tuple[Rule, ...]    # org and part rows, longest first
    abbrs: dict[str, Rule]
    places: frozenset[str]
    shorts: dict[str, str]
    skips: frozenset[str]


@cache
def lexicon() -> Lexicon:
    text = resources.files("qala.store").joinpath("data", "organizations.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rules = [Rule(r["role"], tuple(r["word"].lower().split()), r["organization"], r["kind"],
                  frozenset(r["flags"].split())) for r in csv.DictReader(lines)]

    def of(*roles: str) -> tuple[Rule, ...]:
        return tuple(sorted((r for r in rules if r.role in roles), key=lambda r: -len(r.words)))

    return Lexicon(of("post", "object", "deputy"), of("org", "part"),
                   {r.words[0]: r for r in of("abbr")}, frozenset(r.words[0] for r in of("place")),
                   {r.words[0]: r.target for r in of("short")},
                   frozenset(r.words[0] for r in of("skip")) | frozenset(load_words("posts_modifiers")))


# ---------------------------------------------------------------- words

@dataclass(frozen=True)
class Tok:
    text: str             # as written, with punctuation
    quoted: bool = False  # inside «...»: part of a proper name, never a place or a head word

    @property
    def core(self) -> str:
        return self.text.strip(EDGE_PUNCT)


def _tokens(text: str) -> list[Tok]:
    """Words of a title, with shortenings and place abbreviations spelled out ("г." -> "города")."""
    lex, out, depth = lexicon(), [], 0
    for raw in text.split():
        opened = depth > 0 or raw.startswith("«")
        depth = max(0, depth + raw.count("«") - raw.count("»"))
        low = raw.lower().rstrip(",;:")
        if not opened and low in lex.shorts:
            out.append(Tok(lex.shorts[low] + raw[len(low):]))
            continue
        rule = lex.abbrs.get(raw.strip(EDGE_PUNCT).lower())
        if not opened and rule and rule.kind == "place":
            words = rule.target.split()
            words[-1] += raw[len(raw.rstrip(EDGE_PUNCT)):]  # "РК," keeps its comma
            out += [Tok(w) for w in words]
            continue
        out.append(Tok(raw, opened))
    return out


def _parses(word: str) -> list:  # pymorphy Parse objects; they never leave this module
    return pipeline().parse_word(word.lower()) if word[:1].isalpha() else []


def _lemmas(tok: Tok) -> set[str]:
    low = tok.core.lower()
    return {low} | {p.normal_form for p in _parses(low)}


def _match(rules: Iterable[Rule], toks: list[Tok], i: int) -> Rule | None:
    """The first (longest) rule whose words are the lemmas of toks[i:]."""
    for rule in rules:
        n = len(rule.words)
        if i + n <= len(toks) and not any(t.quoted for t in toks[i:i + n]) and all(
                w in _lemmas(t) for w, t in zip(rule.words, toks[i:i + n])):
            return rule
    return None


def _is_adjective(tok: Tok) -> bool:
    return not tok.quoted and any(p.tag.POS in ("ADJF", "PRTF") for p in _parses(tok.core))


def _capitalized(tok: Tok) -> bool:
    return not tok.quoted and tok.core[:1].isupper() and not tok.core.isupper()


def _nominative(toks: list[Tok], noun: int) -> list[Tok]:
    """Adjectives toks[:noun] and the noun toks[noun] put in the nominative, agreeing with the noun."""
    parses = _parses(toks[noun].core)
    best = next((p for p in parses if p.tag.case == "gent"), parses[0] if parses else None)
    if best is None:
        return toks
    number = UD_GRAMS.get(best.tag.number or "sing", "Sing")  # natasha's parses inflect by UD grammemes
    gender = UD_GRAMS.get(best.tag.gender or "masc", "Masc")
    agree = {"Nom", number, gender} if number == "Sing" else {"Nom", number}
    out = []
    for k, tok in enumerate(toks[:noun + 1]):
        word = tok.core
        if k == noun:
            form = best.inflect({"Nom", number})
        else:
            adj = [p for p in _parses(word) if p.tag.POS in ("ADJF", "PRTF")]
            adj.sort(key=lambda p: p.tag.case != "gent")
            form = adj[0].inflect(agree) if adj else None
        out.append(Tok(tok.text.replace(word, recase(word, form.word))) if form else tok)
    return out


# ---------------------------------------------------------------- places

def _place_at(toks: list[Tok], i: int, loose: bool) -> tuple[int, bool] | None:
    """Where a place starting at toks[i] ends, and whether it is a bare name ("Алматы")."""
    lex = lexicon()
    j = i
    while j < len(toks) and _capitalized(toks[j]) and _is_adjective(toks[j]):
        j += 1  # "Восточно-Казахстанской"
    while i < j < len(toks) and _is_adjective(toks[j]) and toks[j].core.islower():
        j += 1  # "Каскеленского сельского округа"
    if j < len(toks) and not toks[j].quoted and _lemmas(toks[j]) & lex.places:
        k = j + 1
        while k < len(toks) and _capitalized(toks[k]) and not _is_body(toks[k]):
            k += 1  # "области Улытау", "района Беимбета Майлина"
        return (k, False) if k > j + 1 or j > i else None
    tok = toks[i]
    geo = any("Geox" in p.tag for p in _parses(tok.core))
    if _capitalized(tok) and not _is_body(tok) and (geo or (loose and not _is_adjective(tok))):
        return i + 1, True
    return None


def _territory(toks: list[Tok], loose: bool) -> tuple[int, int, bool] | None:
    """The first run of places in toks: (start, stop, bare). ``loose`` takes any capitalized name."""
    for i in range(len(toks)):
        found = _place_at(toks, i, loose)
        if found:
            stop, bare = found
            # nested places carry place words; "Нур-Султана Алтай Кульгинов": a city, then a name
            while stop < len(toks) and (more := _place_at(toks, stop, loose)) and not more[1]:
                stop, bare = more[0], False
            return i, stop, bare
    return None


def _is_body(tok: Tok) -> bool:
    """A body's or a post's head word: not a place name ("Министерства", "Президента")."""
    lemmas = _lemmas(tok)
    return bool(_body(tok)) or any(r.words[0] in lemmas for r in lexicon().heads if len(r.words) == 1)


def _body(tok: Tok) -> Rule | None:
    """The org rule of a body's head word ("Министерства" -> министерство)."""
    if tok.quoted:
        return None
    lemmas = _lemmas(tok)
    return next((r for r in lexicon().orgs if len(r.words) == 1 and r.words[0] in lemmas
                 and r.role == "org"), None)


# ---------------------------------------------------------------- reading a title

def organization_of(title: str, country: str | None = COUNTRY) -> OrgRef | None:
    """The organization a post title names, or None.

    >>> organization_of("аким г. Алматы")
    OrgRef(name='Акимат города Алматы', kind='akimat', territory='города Алматы')
    >>> organization_of("депутат") is None
    True
    """
    if not isinstance(title, str):
        raise InvalidInput(f"expected a post title as text, got {type(title).__name__}")
    return _read(" ".join(title.split()), country)[1]


@lru_cache(maxsize=20_000)
def _read(title: str, country: str | None) -> tuple[str, OrgRef | None]:
    """(head key, organization): "помощник Президента — секретарь Совета ..." tries each post."""
    key = ""
    for part in DASHES.split(title):
        for toks in _split_posts(_tokens(part)):
            k, org = _read_post(toks, country)
            key = key or k
            if org is not None:
                return k, org
    return key, None


def _split_posts(toks: list[Tok]) -> list[list[Tok]]:
    """Posts listed with commas: "министр финансов, председатель ..." (not "экологии, геологии")."""
    out, start = [], 0
    for k in range(1, len(toks)):
        if toks[k - 1].text.endswith(",") and _match(lexicon().heads, toks, k):
            out.append(toks[start:k - 1] + [Tok(toks[k - 1].text.rstrip(","), toks[k - 1].quoted)])
            start = k
    return out + [toks[start:]]


def _read_post(toks: list[Tok], country: str | None) -> tuple[str, OrgRef | None]:
    """One post: skip modifiers, find the head word, read the rest by the head's role."""
    lex = lexicon()
    i = 0
    rule = _match(lex.heads, toks, i)
    while rule is None and i < min(len(toks) - 1, MAX_BEFORE_HEAD) and _lemmas(toks[i]) & lex.skips:
        i += 1
        rule = _match(lex.heads, toks, i)
    if rule is None:
        return "", None
    rest = toks[i + len(rule.words):]
    if rest and any(r.words == (rest[0].core.lower(),) for r in lex.heads):
        rest = rest[1:]  # "Вице-премьер министр": a second head word, as in the dictionary, adds no body
    key = " ".join(rule.words)
    if rule.role == "deputy":
        if rest and _match(lex.heads, rest, 0):
            sub, org = _read_post(rest, country)
            return f"{key}>{sub}", org
        return key, _object(rest, country)
    if rule.role == "object" or (rest and _org_abbr(rest[0])):
        return key, _object(rest, country)
    if "named" in rule.flags and not rest:
        return key, None
    head = [Tok(w) for w in rule.target.split()]
    return key, _finish(head, rest, rule.kind, rule.flags, country)


def _org_abbr(tok: Tok) -> Rule | None:
    rule = lexicon().abbrs.get(tok.core.lower())
    return rule if rule and rule.kind != "place" and not tok.quoted else None


def _object(toks: list[Tok], country: str | None) -> OrgRef | None:
    """The body named by a genitive object: "Агентства по ..." -> Агентство по ..."""
    if not toks:
        return None
    abbr = _org_abbr(toks[0])
    if abbr:
        return _finish([Tok(w) for w in abbr.target.split()], toks[1:], abbr.kind, abbr.flags, country)
    adjectives = 0
    while adjectives < min(len(toks) - 1, MAX_ADJECTIVES) and _is_adjective(toks[adjectives]):
        adjectives += 1
    for k in range(adjectives + 1):
        rule = _match(lexicon().orgs, toks, k)
        if rule is None:
            continue
        stop = k + len(rule.words)
        if rule.role == "part":
            return _object(toks[stop:], country)
        if rule.target:
            head = [Tok(w) for w in rule.target.split()]
        else:
            nouns = [n for n in range(k, stop) if any(p.tag.POS == "NOUN" for p in _parses(toks[n].core))]
            noun = nouns[0] if nouns else stop - 1
            head = _nominative(toks[:noun + 1], noun) + toks[noun + 1:stop]
        return _finish(head, toks[stop:], rule.kind, rule.flags, country)
    return None


def _finish(head: list[Tok], rest: list[Tok], kind: str, flags: frozenset[str],
            country: str | None) -> OrgRef | None:
    """Check the name against the body's flags, add what it lacks, and spell it out."""
    local = "local" in flags
    found = _territory(rest, loose=local)
    keep = range(0)  # positions of the place in head + rest: written as they are
    if found:
        start, stop, bare = found
        if bare and local:  # "аким Алматы": a bare name after an akim is a city, and ends the name
            rest, stop = rest[:start] + [Tok("города")] + rest[start:stop], stop + 1
        keep = range(len(head) + start, len(head) + stop)
    parents = [r for t in rest if (r := _body(t))]
    if (local and not found) or ("parent" in flags and not found and not parents):
        return None
    national = "national" in flags or any("national" in r.flags for r in parents)
    if national and not found and not any(t.quoted for t in head + rest) and country:
        keep = range(len(head) + len(rest), len(head) + len(rest) + len(country.split()))
        rest = rest + [Tok(w) for w in country.split()]
    words = [t.text if k in keep else _canonical_case(t) for k, t in enumerate(head + rest)]
    words[0] = words[0][:1].upper() + words[0][1:]
    territory = " ".join(words[k] for k in keep).strip(EDGE_PUNCT) or None
    return OrgRef(" ".join(words).strip(" ,"), kind, territory)


def _canonical_case(tok: Tok) -> str:
    """Lower-case a common word so that "Администрация Президента" and "... президента" are one name;
    proper names, abbreviations and quoted names keep their capitals."""
    word = tok.core
    if tok.quoted or not _capitalized(tok):
        return tok.text
    parses = _parses(word)
    if not parses or any(g in p.tag for p in parses for g in PROPER) or "UNKN" in parses[0].tag:
        return tok.text
    return tok.text.replace(word, word.lower())


# ---------------------------------------------------------------- one document

def organizations_in(extraction: Extraction | Iterable[Person],
                     country: str | None = COUNTRY) -> DocumentOrganizations:
    """Every organization the posts of one document name, once each, and which post names which.

    A title naming no body by itself ("аким области", "глава ведомства") takes the organization of
    the same person's other title with the same head ("аким Костанайской области"), when only one fits.
    """
    persons = extraction.persons if isinstance(extraction, Extraction) else extraction
    found: list[OrgRef] = []
    index: dict[str, int] = {}
    posts: dict[tuple[str, str], int] = {}
    for person in persons:
        read = {title: _read(" ".join(title.split()), country) for title in dict.fromkeys(person.positions)}
        for title, (key, org) in read.items():
            org = org or _borrow(title, key, read.values())
            if org is None:
                continue
            if org.name not in index:
                index[org.name] = len(found)
                found.append(org)
            posts[(person.name, title)] = index[org.name]
    return DocumentOrganizations(tuple(found), posts)


def _borrow(title: str, key: str, read: Iterable[tuple[str, OrgRef | None]]) -> OrgRef | None:
    """The one organization of the same person's titles with this head or the role's ("глава ведомства"
    stands for a министр, by the extractor's posts_roles.txt)."""
    role = load_pairs("posts_roles").get(" ".join(title.lower().split()), "")
    keys = {key, *(h.strip() for h in role.split("|"))} - {""}
    fits = {org for k, org in read if org is not None and k in keys}
    return fits.pop() if len(fits) == 1 else None
