"""Named officials: natasha's PER entities, cleaned, merged by surname, with their posts.

The steps, in order:
  1. CANDIDATES  PER spans split into name-like pieces; place names and non-names dropped
  2. MENTIONS    other forms of the surnames found ("Мамина", "А. Мамин") that NER missed
  3. POSTS       each mention's post (see posts.py); the post's case tells the name's case
  4. MERGE       mentions merged by surname stem and initials, named by their best full form
  5. ROLES       role phrases ("Глава Правительства") given to the one person holding that post
  (after 3: a run of names with no post takes, in order, the posts of a plural post's list of
  places before it, see respective.py)
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from qala.extractor import names
from qala.extractor.context import Context
from qala.extractor.leaders import leads
from qala.extractor.nlp import Parsed
from qala.extractor.posts import Post, RoleRef, head_lemma, post_after, post_before, post_elided, role_refs
from qala.extractor.respective import give_respective_posts
from qala.extractor.tokens import TokenIndex, token_index
from qala.extractor.wordlist import load_pairs
from qala.model import Person

MIN_FALLBACK_STEM = 4  # shorter surname stems ("ли", "цо") are not searched for on their own


@dataclass
class Mention:
    start: int
    stop: int
    words: list[str]
    posts: list[Post] = field(default_factory=list)
    name: str = ""
    strength: int = 0  # how sure the nominative is: 2 read from a post's case, 1 from the name, 0 guessed
    case: str = "nomn"  # the case the mention is written in ("Министру ... Саткалиеву": datv)

    @property
    def full(self) -> list[str]:
        return [w for w in self.words if not names.is_initial(w) and w.lower() not in names.NAME_PARTICLES]

    @property
    def initials(self) -> str:
        return names.first_letters(self.words[:-1])


@dataclass
class Cluster:
    stem: str
    mentions: list[Mention] = field(default_factory=list)
    roles: list[RoleRef] = field(default_factory=list)

    @property
    def initials(self) -> str:
        return max((m.initials for m in self.mentions), key=len, default="")

    def name(self) -> str:
        full = [m for m in self.mentions if len(m.full) > 1] or self.mentions
        best = max(m.strength for m in full)
        counts = Counter(m.name for m in full if m.strength == best)
        return min(counts.items(), key=lambda kv: (-kv[1], len(kv[0])))[0]

    def posts(self) -> list[Post]:
        return [p for m in self.mentions for p in m.posts]

    def lemmas(self) -> set[str]:
        return {lemma for p in self.posts() for lemma in p.lemmas}


@dataclass(frozen=True)
class Actor:
    """A span that names someone: a name mention or a resolved role phrase."""

    start: int
    stop: int
    name: str           # the person's full name, or the role phrase when no person holds it
    person: str | None  # the person's full name when known
    case: str = "nomn"  # the case it is written in: a subject (nomn), an addressee (datv), ...


@dataclass(frozen=True)
class PersonReading:
    persons: tuple[Person, ...]
    actors: tuple[Actor, ...]  # in text order


def actors_between(actors: tuple[Actor, ...], start: int, stop: int) -> tuple[Actor, ...]:
    """Actors whose mention starts in [start, stop), found by bisection (actors are in text order)."""
    lo = bisect_left(actors, start, key=_start)
    hi = bisect_left(actors, stop, lo=lo, key=_start)
    return actors[lo:hi]


def actor_before(actors: tuple[Actor, ...], pos: int, floor: int = 0) -> Actor | None:
    """The last actor starting in [floor, pos)."""
    i = bisect_left(actors, pos, key=_start)
    return actors[i - 1] if i and actors[i - 1].start >= floor else None


def _start(actor: Actor) -> int:
    return actor.start


# ---------------------------------------------------------------- 1. candidates

def _loc_words(parsed: Parsed) -> set[str]:
    return {w.lower() for e in parsed.entities if e.type == "LOC" for w in names.name_words(e.text)}


def _is_place(word: str, places: set[str]) -> bool:
    return word.lower() in places or any(names.is_form_of(word, names.surname_stem(p)) for p in places
                                         if len(p) > 3 and p[:3] == word.lower()[:3])


def candidates(ctx: Context) -> list[Mention]:
    places = _loc_words(ctx.parsed)
    out: list[Mention] = []
    for ent in ctx.parsed.entities:
        if ent.type != "PER":
            continue
        for a, b in names.clean_pieces(ctx.text[ent.start:ent.stop], ent.start):
            mention = _candidate(ctx, a, b, places)
            if mention:
                out.append(mention)
    return out


def _common_noun(ctx: Context, word: str) -> bool:
    """A dictionary word for a thing, never a name: "Мажилиса" in "депутат Мажилиса Айдос Сарым"."""
    parses = ctx.nlp.parse_word(word)
    return bool(parses) and all(p.tag.POS == "NOUN" and "inan" in p.tag.grammemes
                                and not {"Name", "Surn", "Patr", "Geox"} & set(p.tag.grammemes)
                                for p in parses) and ctx.nlp.morph.word_is_known(word.lower())


def _candidate(ctx: Context, start: int, stop: int, places: set[str]) -> Mention | None:
    text = ctx.text[start:stop]
    words = names.name_words(text)
    # Post words NER took in ("Аким Петров") and place names before a surname ("Нур-Султана Кульгинова").
    while len(words) > 1 and (head_lemma(ctx.nlp, words[0]) or _is_place(words[0], places)
                              or len(words) >= 3 and _common_noun(ctx, words[0])):
        skip = text.index(words[0]) + len(words[0])
        start += skip + (len(text[skip:]) - len(text[skip:].lstrip(" \t.")))
        text = ctx.text[start:stop]
        words = words[1:]
    if not words or any(not w[:1].isupper() and w.lower() not in names.NAME_PARTICLES for w in words):
        return None
    if len(words) > 4 or len([w for w in words if not names.is_initial(w)]) == 0:
        return None
    if len(words) == 1 and not names.looks_like_surname(words[0]):
        return None  # kept later only if it is a form of a known surname
    return Mention(start, stop, words)


# ---------------------------------------------------------------- 2. more mentions

def _stems(mentions: list[Mention]) -> set[str]:
    out = set()
    for m in mentions:
        full = m.full
        if full:
            out.add(names.surname_stem(full[-1]))
    return {s for s in out if len(s) >= MIN_FALLBACK_STEM}


def _surname_stem_of(word: str, stems: set[str]) -> str | None:
    low = word.lower()
    for ending in names.FORM_ENDINGS:
        if low.endswith(ending):
            base = low[: len(low) - len(ending)] if ending else low
            if base in stems:
                return base
    return None


def more_mentions(ctx: Context, idx: TokenIndex, found: list[Mention]) -> list[Mention]:
    """Forms of known surnames NER did not tag, with initials or a first name before them."""
    stems = _stems(found)
    if not stems:
        return []
    spans = sorted((m.start, m.stop) for m in found)
    toks = idx.tokens
    out = []
    s = 0
    for i, tok in enumerate(toks):
        word = tok.text
        if not word[:1].isupper() or len(word) < MIN_FALLBACK_STEM:
            continue
        while s < len(spans) and spans[s][1] <= tok.start:
            s += 1
        if s < len(spans) and spans[s][0] <= tok.start < spans[s][1]:
            continue
        if not _surname_stem_of(word, stems):
            continue
        first = i
        if i >= 2 and toks[i - 1].text == "." and names.is_initial(toks[i - 2].text + "."):
            first = i - 2  # "А. Мамин", "К.Масимов"
        elif i >= 1 and toks[i - 1].text[:1].isupper() and (
                _is_first_name(ctx, toks[i - 1].text)
                or (i >= 2 and toks[i - 2].text[:1].isupper() and idx.sentence[i - 2] == idx.sentence[i]
                    and not head_lemma(ctx.nlp, toks[i - 1].text))):
            first = i - 1  # "Бакытжан Сагинтаев"; "акима Нур-Султана Алтая Кульгинова"
        text = ctx.text[toks[first].start: tok.stop]
        out.append(Mention(toks[first].start, tok.stop, names.name_words(text)))
    return out


def _is_first_name(ctx: Context, word: str) -> bool:
    if head_lemma(ctx.nlp, word):
        return False
    parses = ctx.nlp.parse_word(word)
    return any("Name" in p.tag.grammemes for p in parses) or not ctx.nlp.morph.word_is_known(word.lower())


# ---------------------------------------------------------------- 3. posts and the nominative

def attach_posts(ctx: Context, idx: TokenIndex, mentions: list[Mention]) -> None:
    previous: Mention | None = None
    for n, m in enumerate(mentions):
        a, b = idx.covering(m.start, m.stop)
        if a >= b:
            continue
        sent_lo, sent_hi = idx.sentence_bounds(a)
        lo = sent_lo
        if previous is not None:
            _, pb = idx.covering(previous.start, previous.stop)
            if pb > sent_lo and pb <= a:
                lo = pb
        nxt = mentions[n + 1] if n + 1 < len(mentions) else None
        hi = min(sent_hi, idx.first_at(nxt.start)) if nxt else sent_hi
        before = post_before(ctx, idx, a, lo)
        if before:
            m.posts.extend(before)
        else:
            prev_post = previous.posts[-1] if previous and previous.posts and lo > sent_lo else None
            elided = post_elided(ctx, idx, a, lo, prev_post)
            if elided:
                m.posts.append(elided)
        after = post_after(ctx, idx, b, hi)
        if after:
            m.posts.append(after)
        hint = before[-1].cases if before else ()
        m.name, m.case = names.normalize_name(m.words, ctx.nlp.parse_word, hint)
        m.strength = 2 if hint else (1 if len(m.full) > 1 else 0)
        previous = m


# ---------------------------------------------------------------- 4. merge

def merge(mentions: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    by_stem: dict[str, list[Cluster]] = {}
    ordered = sorted(mentions, key=lambda m: (-len(m.full), m.start))  # full names found the clusters
    for m in ordered:
        if not m.full:
            continue
        stem = names.surname_stem(m.name.split()[-1])
        found = None
        for c in by_stem.get(stem, []):
            if _initials_agree(m.initials, c.initials):
                found = c
                break
        if found is None:
            for s, cs in by_stem.items():
                if names.is_form_of(m.full[-1], s) and _initials_agree(m.initials, cs[0].initials):
                    found = cs[0]
                    break
        if found is None:
            found = next((cs[0] for s, cs in by_stem.items() if _typo_of(stem, s)
                          and _initials_agree(m.initials, cs[0].initials)), None)
        if found is None:
            found = Cluster(stem)
            clusters.append(found)
            by_stem.setdefault(stem, []).append(found)
        found.mentions.append(m)
    for c in clusters:
        c.mentions.sort(key=lambda m: m.start)
    clusters.sort(key=lambda c: c.mentions[0].start)
    return clusters


def _typo_of(a: str, b: str) -> bool:
    """Two spellings of one surname in one text: ё for е, or one letter left out, added or changed
    ("Мирзиёев", "Мирзиеев", "Мирзиев"); only for stems long enough not to join two families.

    >>> _typo_of("мирзиёев", "мирзиеев"), _typo_of("мирзиёев", "мирзиев"), _typo_of("ахметов", "ахматов")
    (True, True, True)
    >>> _typo_of("ким", "кин"), _typo_of("ахметов", "ахметжанов")
    (False, False)
    """
    a, b = a.replace("ё", "е"), b.replace("ё", "е")
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _initials_agree(a: str, b: str) -> bool:
    return not a or not b or a.startswith(b) or b.startswith(a)


# ---------------------------------------------------------------- 5. roles

def resolve_roles(clusters: list[Cluster], refs: list[RoleRef],
                  leading: list[Cluster] | tuple = ()) -> list[tuple[RoleRef, Cluster | None]]:
    """Each role phrase with the one person holding that post (or None).

    Holders are the persons whose posts have the role's head; among several, the one whose post
    is the phrase itself ("Президент Узбекистана"). With no holder, the role goes to the only
    person named without a post, or else to the only such person who leads (chairs, orders):
    "Касым-Жомарт Токаев принял министра ... Глава государства поручил".
    """
    by_head: dict[str, list[int]] = {}  # head lemma -> numbers of the clusters holding such a post
    for n, c in enumerate(clusters):
        for lemma in c.lemmas():
            by_head.setdefault(lemma, []).append(n)
    lead_ids = {id(c) for c in leading}
    postless_leaders = [c for c in clusters if not c.posts() and id(c) in lead_ids]
    out = []
    for ref in refs:
        numbers = sorted({n for head in ref.heads for n in by_head.get(head, ())})
        holders = [clusters[n] for n in numbers]
        ref_has_holder = bool(holders)
        if len(holders) > 1:
            key = ref.text.lower()
            holders = [c for c in holders if any(p.text.lower() == key for p in c.posts())]
        elif not holders and len(clusters) == 1 and not clusters[0].posts():
            holders = clusters  # the only person named, with no post given: "Бывший губернатор начал"
        elif not holders:
            holders = postless_leaders
        if not ref_has_holder and set(ref.heads) & NATIONAL_POSTS:
            # a national post goes to a person named without a post only if that person held it
            holders = [c for c in clusters if not c.posts() and set(ref.heads) & set(_national_posts(c))]
        holder = holders[0] if len(holders) == 1 else None
        if holder:
            holder.roles.append(ref)
        out.append((ref, holder))
    return out


NATIONAL_HOLDERS = {k: tuple(h.strip() for h in v.split("|")) for k, v in load_pairs("posts_national_holders").items()}
NATIONAL_POSTS = frozenset(h for heads in NATIONAL_HOLDERS.values() for h in heads)


def _national_posts(cluster: Cluster) -> tuple[str, ...]:
    surnames = [m.full[-1] for m in cluster.mentions if m.full]
    return tuple(h for name, heads in NATIONAL_HOLDERS.items()
                 if any(names.is_form_of(w, names.surname_stem(name)) for w in surnames) for h in heads)


def _positions(cluster: Cluster) -> tuple[str, ...]:
    out: list[str] = []
    seen: set[str] = set()
    items = sorted([(p.start, p.text) for p in cluster.posts()] + [(r.start, r.text) for r in cluster.roles])
    for _, text in items:
        key = text.lower()
        if key not in seen:
            seen.add(key)
            out.append(text)
    return tuple(out)


# ---------------------------------------------------------------- entry

_CACHE: list[tuple[Parsed, PersonReading]] = []


def read_persons(ctx: Context) -> PersonReading:
    """Persons and the spans that name them (mentions and resolved role phrases)."""
    if _CACHE and _CACHE[0][0] is ctx.parsed:
        return _CACHE[0][1]
    idx = token_index(ctx.parsed)
    found = candidates(ctx)
    found += more_mentions(ctx, idx, found)
    found.sort(key=lambda m: m.start)
    attach_posts(ctx, idx, found)
    give_respective_posts(ctx, idx, found)
    clusters = [c for c in merge(found) if _keep(c)]
    taken = [(m.start, m.stop) for c in clusters for m in c.mentions]
    taken += [(p.start, p.stop) for c in clusters for p in c.posts()]
    leading = [c for c in clusters if any(leads(ctx, idx, m) for m in c.mentions)]
    resolved = resolve_roles(clusters, role_refs(ctx, idx, taken), leading)
    persons = []
    actors = []
    for c in clusters:
        name = c.name()
        persons.append(Person(name=name, positions=_positions(c),
                              mentions=tuple((m.start, m.stop) for m in c.mentions)))
        actors += [Actor(m.start, m.stop, name, name, m.case) for m in c.mentions]
    for ref, holder in resolved:
        name = holder.name() if holder else None
        actors.append(Actor(ref.start, ref.stop, name or ref.text, name, ref.case))
    actors.sort(key=lambda a: a.start)
    reading = PersonReading(tuple(persons), tuple(actors))
    _CACHE[:] = [(ctx.parsed, reading)]
    return reading


def _keep(cluster: Cluster) -> bool:
    """A surname seen alone is a person only if it looks like one."""
    return any(len(m.full) > 1 for m in cluster.mentions) or any(
        names.looks_like_surname(m.full[-1]) for m in cluster.mentions)


def extract_persons(ctx: Context) -> list[Person]:
    return list(read_persons(ctx).persons)
