"""Posts given to a list of names by a list of places before it ("respectively").

Reports of the President's meetings name the posts once, in the plural, with the places listed,
and the people after, in the same order:

    "... провел встречи с акимами Жамбылской области, городов Астаны и Шымкента, Павлодарской,
    Костанайской областей. Арман Ахметов, Сакен Бекова, Данияр Омаров, Инна Ли и Тимур Жаксыбеков
    доложили о ..."

The plural post ("акимами") is read as its singular ("аким"); the places after it are split into
one place each, a shared head noun ("городов", "областей") given to each of its names or
adjectives in the genitive singular ("города Астаны", "Павлодарской области"). When a run of
names with no post of their own, joined by commas and "и", follows with exactly as many names,
each name gets its post in order. Anything less regular gives nothing: no post is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from qala.extractor.context import Context
from qala.extractor.posts import Post
from qala.extractor.tokens import TokenIndex

# Posts of a territory's head: the places listed after them are places, which can be checked.
HEADS = frozenset({"аким", "глава"})
PLACE_NOUNS = frozenset({"область", "город", "район", "регион"})
JOINERS = frozenset({",", "и"})


@dataclass(frozen=True)
class Listed:
    post: str  # "аким"
    places: tuple[str, ...]  # genitive singular: ("Жамбылской области", "города Астаны")
    start: int
    stop: int


def _tags(ctx: Context, word: str):
    return [p.tag for p in ctx.nlp.parse_word(word)]


def _singular_genitive(ctx: Context, word: str) -> str | None:
    for p in ctx.nlp.parse_word(word):
        if p.tag.POS == "NOUN" and p.normal_form in PLACE_NOUNS and "plur" in p.tag:
            form = p.inflect({"Gen", "Sing"})
            return form.word if form else None
    return None


def _is_genitive(ctx: Context, word: str, pos: str) -> bool:
    return any(t.POS == pos and "gent" in t for t in _tags(ctx, word))


def plural_post(ctx: Context, idx: TokenIndex, a: int, hi: int) -> Listed | None:
    """A plural post at token ``a`` ("акимами") and the places listed after it, else None."""
    word = idx.tokens[a].text
    head = next((p for p in ctx.nlp.parse_word(word) if p.tag.POS == "NOUN" and "plur" in p.tag
                 and p.normal_form in HEADS), None)
    if head is None:
        return None
    places: list[str] = []
    pending: list[str] = []  # adjectives waiting for their plural noun ("Павлодарской, Костанайской областей")
    shared: str | None = None  # a plural head noun whose names follow ("городов Астаны и Шымкента")
    i = a + 1
    while i < hi:
        text = idx.tokens[i].text
        if text in JOINERS:
            if pending and pending[-1] != ",":
                pending.append(",")
            i += 1
            continue
        adjectives = [w for w in pending if w != ","]
        singular = _singular_genitive(ctx, text)
        if singular is not None:  # a plural place noun
            if adjectives:
                places += [f"{adj} {singular}" for adj in adjectives]
                pending, shared = [], None
            else:
                shared = singular
        elif text[:1].isupper() and _is_genitive(ctx, text.rsplit("-", 1)[-1], "ADJF"):
            pending.append(text)  # "Павлодарской", "Северо-Казахстанской" (read by its last part)
            shared = None
        elif any(t.POS == "NOUN" and "gent" in t and "sing" in t for t in _tags(ctx, text)) and \
                ctx.nlp.lemma(text) in PLACE_NOUNS and adjectives:
            places.append(" ".join(adjectives + [text]))
            pending, shared = [], None
        elif text[:1].isupper() and text.isalpha() and (shared or not adjectives):
            places.append(f"{shared} {text}" if shared else text)  # "города Алматы", or a city alone
            pending = []
        else:
            break
        i += 1
    if [w for w in pending if w != ","] or len(places) < 2:
        return None
    return Listed(head.normal_form, tuple(places), idx.tokens[a].start, idx.tokens[i - 1].stop)


def name_runs(mentions: list, text: str) -> list[list]:
    """Runs of two or more mentions joined only by commas and "и" (in text order)."""
    runs: list[list] = []
    for m in mentions:
        if runs and text[runs[-1][-1].stop:m.start].strip() in ("", ",", "и", ", и"):
            runs[-1].append(m)
        else:
            runs.append([m])
    return [r for r in runs if len(r) >= 2]


def give_respective_posts(ctx: Context, idx: TokenIndex, mentions: list) -> None:
    """Give each name of a post-less run the post of its place in a plural post's list before it
    (in the same sentence or the one before), when the counts agree."""
    for run in name_runs(mentions, ctx.text):
        if any(m.posts for m in run):
            continue
        a, _ = idx.covering(run[0].start, run[0].stop)
        lo, _ = idx.sentence_bounds(a)
        if lo > 0:
            lo, _ = idx.sentence_bounds(lo - 1)
        found = None
        for t in range(a - 1, lo - 1, -1):
            listed = plural_post(ctx, idx, t, a)
            if listed is not None and listed.stop <= run[0].start:
                found = listed
                break
        if found is None or len(found.places) != len(run):
            continue
        for m, place in zip(run, found.places, strict=True):
            m.posts.append(Post(f"{found.post} {place}", found.post, frozenset({found.post}), found.start, found.stop,
                                ("nomn",)))
