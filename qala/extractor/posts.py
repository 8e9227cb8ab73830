"""Posts: the position a text gives a named person, and role phrases that stand for a person.

Rules, tried in order for each name mention:
  POST_BEFORE   аким г. Алматы Бакытжан Сагинтаев; члена Бюро ..., Премьер-Министра Аскара Мамина
  POST_ELIDED   министры национальной экономики А. И., энергетики — Н. Н. (head taken from the left)
  POST_AFTER    Б. Сагинтаев, аким города, ...; Серик Абенов — председатель правления ...
A post is brought to the nominative by inflecting its head word and the modifiers before it;
the dependent words after the head stay as written ("министра энергетики" → "министр энергетики").
Role references ("Глава Правительства поручил") are head phrases with no name beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qala.extractor.context import Context
from qala.extractor.nlp import Pipeline
from qala.extractor.tokens import TokenIndex
from qala.extractor.wordclass import VERB_POS, can_be_genitive, cases, is_plural, is_verb, nominative
from qala.extractor.wordlist import load_pairs, load_words

# ---------------------------------------------------------------- lexicon

HEADS = frozenset(load_words("posts"))
MODIFIERS = frozenset(load_words("posts_modifiers"))
ROLES = {k: tuple(h.strip() for h in v.split("|")) for k, v in load_pairs("posts_roles").items()}

STOP = frozenset({".", "!", "?", ";", ":", "(", ")", "—", "–", "-", "…", "\n"})
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "ADVB", "NPRO", "INTJ"})
DASHES = frozenset({"—", "–", "-"})
MAX_LEFT = 14        # tokens between a post's head and the name
MAX_COORD = 8        # tokens of a coordinated post before another: "члена Бюро ..., Премьер-Министра"
MAX_AFTER = 10       # tokens of a post after the name
MAX_ROLE_DEPS = 4    # dependent words of a role phrase: "глава Правительства", "аким области Улытау"
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Post:
    text: str                  # nominative: "первый вице-министр финансов"
    head: str                  # modifiers + head word, nominative singular: "первый вице-министр"
    lemmas: frozenset[str]     # head lemmas of the post: {"вице-министр"}
    start: int
    stop: int
    cases: tuple[str, ...] = ()  # cases the head word can have where written (for the name's case)


@dataclass(frozen=True)
class RoleRef:
    text: str                  # "Глава Правительства"
    heads: tuple[str, ...]     # head lemmas of the posts it may stand for: ("премьер-министр",)
    start: int
    stop: int
    case: str = "nomn"         # the head word's likeliest case: "Главе государства доложили" → datv


# ---------------------------------------------------------------- word tests

_HEAD_CACHE: dict[str, str | None] = {}


def head_lemma(nlp: Pipeline, word: str) -> str | None:
    """The lemma of a post's head word, or None.

    >>> from qala.extractor.nlp import pipeline
    >>> head_lemma(pipeline(), "акима"), head_lemma(pipeline(), "области")
    ('аким', None)
    """
    if word in _HEAD_CACHE:
        return _HEAD_CACHE[word]
    low = word.lower()
    found = low if low in HEADS else None
    if found is None and low[:1].isalpha():
        parses = nlp.parse_word(word)
        if not any(p.tag.POS in FUNCTION_POS for p in parses):  # "после" is not a form of "посол"
            for p in parses:
                if p.normal_form in HEADS and p.tag.POS not in VERB_POS:
                    found = p.normal_form
                    break
    if len(_HEAD_CACHE) < 100_000:
        _HEAD_CACHE[word] = found
    return found


def is_modifier(nlp: Pipeline, word: str) -> bool:
    if not word[:1].isalpha():
        return False
    return any(p.normal_form in MODIFIERS or (p.tag.POS == "ADJF" and "Anum" in p.tag.grammemes)
               for p in nlp.parse_word(word))


def _function_word(nlp: Pipeline, word: str) -> bool:
    """A preposition, conjunction or particle in its likeliest reading ("о", "и", "в")."""
    parses = nlp.parse_word(word.lower())
    return bool(parses) and parses[0].tag.POS in FUNCTION_POS


def _clean(text: str) -> str:
    return SPACES.sub(" ", text).strip(" ,")


def _post(ctx: Context, idx: TokenIndex, first: int, head: int, stop_tok: int) -> Post:
    """The post of tokens [first, stop_tok): modifiers [first, head), head word, dependents."""
    nlp, toks = ctx.nlp, idx.tokens
    lemma = head_lemma(nlp, toks[head].text) or ""
    words = [nominative(nlp, t.text) for t in toks[first:head]]
    words.append(nominative(nlp, toks[head].text, lemma))
    head_text = " ".join(words)
    rest = ctx.text[toks[head].stop: toks[stop_tok - 1].stop]
    lemmas = {lemma}
    if head + 1 < stop_tok:
        extra = head_lemma(nlp, toks[head + 1].text)
        if extra and extra != "глава" and set(cases(nlp, toks[head + 1].text, extra)) & {"nomn"}:
            lemmas.add(extra)  # "Вице-премьер министр" names both heads
    lemmas.update(_role_heads(lemma, ctx.text[toks[head].stop: toks[stop_tok - 1].stop]))
    return Post(_clean(head_text + rest), head_text, frozenset(lemmas), toks[first].start,
                toks[stop_tok - 1].stop, tuple(cases(nlp, toks[head].text, lemma)))


def _role_heads(lemma: str, rest: str) -> tuple[str, ...]:
    """Posts a role phrase stands for: "Глава государства" is the president's post."""
    deps = rest.lower().split()
    for n in range(min(len(deps), MAX_ROLE_DEPS), 0, -1):
        heads = ROLES.get(" ".join([lemma] + deps[:n]))
        if heads:
            return heads
    return ()


def _blocked(nlp: Pipeline, idx: TokenIndex, k: int) -> bool:
    """A token a post cannot run across: sentence punctuation or a verb ("г." and "т." are not)."""
    word = idx.tokens[k].text
    if word == "." and k > 0:
        prev = idx.tokens[k - 1].text
        return not (prev.isalpha() and prev.islower() and len(prev) <= 3)
    return word in STOP or is_verb(nlp, word)


def _extend_left(nlp: Pipeline, idx: TokenIndex, head: int, lo: int) -> tuple[int, int]:
    """Move from the head found to the heads governing it, then over its modifiers."""
    toks = idx.tokens
    while True:
        k = head - 1
        while k >= lo and is_modifier(nlp, toks[k].text):
            k -= 1
        if k >= lo and head_lemma(nlp, toks[k].text):
            head = k  # "заместитель председателя правления", "Вице-премьер министр"
            continue
        break
    first = head
    while first - 1 >= lo and is_modifier(nlp, toks[first - 1].text):
        first -= 1
    return first, head


# ---------------------------------------------------------------- rules

def post_before(ctx: Context, idx: TokenIndex, name: int, lo: int) -> list[Post]:
    """POST_BEFORE: the nearest head word left of the name, with what lies between."""
    nlp, toks = ctx.nlp, idx.tokens
    i = name - 1
    while i >= lo and name - i <= MAX_LEFT:
        word = toks[i].text
        if _blocked(nlp, idx, i):
            return []
        if head_lemma(nlp, word):
            break
        i -= 1
    else:
        return []
    i = _governing_head(nlp, idx, i, lo, name)
    first, head = _extend_left(nlp, idx, i, lo)
    stop = name
    while stop > head + 1 and toks[stop - 1].text == ",":
        stop -= 1
    found = [_post(ctx, idx, first, head, stop)]
    dashed = _dashed_before(ctx, idx, first, lo, found[0])
    if dashed:
        found = [dashed]
    coordinated = _coordinated(ctx, idx, idx.first_at(found[0].start), lo, found[0])
    return ([coordinated] if coordinated else []) + found


def _compound(left: Post, right: Post) -> Post:
    """One post of two held together: "заместитель Премьер-Министра – министр иностранных дел"."""
    return Post(f"{left.text} – {right.text}", left.head, left.lemmas | right.lemmas, left.start, right.stop,
                right.cases)


def _dashed_before(ctx: Context, idx: TokenIndex, first: int, lo: int, post: Post) -> Post | None:
    """A post, a dash and the post found: both are one compound post."""
    nlp, toks = ctx.nlp, idx.tokens
    dash = first - 1
    if dash <= lo or toks[dash].text not in DASHES:
        return None
    j = dash - 1
    while j >= lo and dash - j <= MAX_COORD:
        if _blocked(nlp, idx, j) or toks[j].text == ",":
            return None
        if head_lemma(nlp, toks[j].text):
            j = _governing_head(nlp, idx, j, lo, dash)
            start, head = _extend_left(nlp, idx, j, lo)
            return _compound(_post(ctx, idx, start, head, dash), post)
        j -= 1
    return None


def _governing_head(nlp: Pipeline, idx: TokenIndex, head: int, lo: int, name: int) -> int:
    """A head in the genitive may depend on another head further left, across genitive words:
    "руководитель Администрации президента"."""
    toks = idx.tokens
    while "gent" in cases(nlp, toks[head].text, head_lemma(nlp, toks[head].text)):
        k = head - 1
        while (k >= lo and name - k <= MAX_LEFT and not _blocked(nlp, idx, k) and toks[k].text != ","
               and not head_lemma(nlp, toks[k].text)
               and (can_be_genitive(nlp, toks[k].text) or toks[k].text in "«»\"")):
            k -= 1
        if k >= lo and k < head - 1 and name - k <= MAX_LEFT and head_lemma(nlp, toks[k].text):
            head = k
        else:
            return head
    return head


def _coordinated(ctx: Context, idx: TokenIndex, first: int, lo: int, post: Post) -> Post | None:
    """A second post before the first, joined by a comma and in the same case."""
    nlp, toks = ctx.nlp, idx.tokens
    comma = first - 1
    if comma < lo or toks[comma].text != ",":
        return None
    j = comma - 1
    while j >= lo and comma - j <= MAX_COORD:
        word = toks[j].text
        if _blocked(nlp, idx, j) or word == ",":
            return None
        lemma = head_lemma(nlp, word)
        if lemma:
            if not set(cases(nlp, word, lemma)) & set(post.cases):
                return None
            start, head = _extend_left(nlp, idx, j, lo)
            return _post(ctx, idx, start, head, comma)
        j -= 1
    return None


def post_elided(ctx: Context, idx: TokenIndex, name: int, lo: int, previous: Post | None) -> Post | None:
    """POST_ELIDED: ", энергетики — Нурлан Ногаев" after "министры ... Асет Иргалиев"."""
    if previous is None:
        return None
    nlp, toks = ctx.nlp, idx.tokens
    window = list(range(lo, name))
    if len(window) < 2 or toks[window[0]].text != ",":
        return None
    words = window[1:]
    dashed = toks[words[-1]].text in DASHES
    if dashed:
        words = words[:-1]
    if not words or len(words) > MAX_LEFT:
        return None
    for k in words:
        w = toks[k].text
        if (_blocked(nlp, idx, k) or head_lemma(nlp, w)
                or (w[:1].isupper() and not w.isupper())):
            return None
    if not dashed and not can_be_genitive(nlp, toks[words[0]].text):
        return None
    dependent = ctx.text[toks[words[0]].start: toks[words[-1]].stop]
    return Post(_clean(f"{previous.head} {dependent}"), previous.head, previous.lemmas,
                toks[words[0]].start, toks[words[-1]].stop, previous.cases)


def post_after(ctx: Context, idx: TokenIndex, after: int, hi: int) -> Post | None:
    """POST_AFTER: "Б. Сагинтаев, аким города" (the post ends before the next punctuation)."""
    nlp, toks = ctx.nlp, idx.tokens
    if after >= hi or toks[after].text not in (",", "(", *DASHES):
        return None
    first = k = after + 1
    while k < hi and is_modifier(nlp, toks[k].text):
        k += 1
    lemma = head_lemma(nlp, toks[k].text) if k < hi else None
    if not lemma:
        return None
    if toks[after].text in DASHES and "nomn" not in cases(nlp, toks[k].text, lemma):
        return None  # "Серик Абенов — председатель правления"; not "..., — заявил министру"
    head = k
    k += 1
    while k < hi and k - after <= MAX_AFTER and toks[k].text != "," and not _blocked(nlp, idx, k):
        k += 1
    if k >= hi and hi < len(toks) and idx.sentence[hi] == idx.sentence[after]:
        return None  # the phrase runs into the next name: it is that person's post
    post = _post(ctx, idx, first, head, k)
    if k + 1 < hi and toks[k].text in DASHES:  # "..., заместитель Премьер-министра – министр экономики,"
        second = post_after(ctx, idx, k, hi)
        if second is not None:
            return _compound(post, second)
    return post


# ---------------------------------------------------------------- role references

def role_refs(ctx: Context, idx: TokenIndex, taken: list[tuple[int, int]]) -> list[RoleRef]:
    """Head phrases standing alone ("Глава Правительства поручил"), outside names and posts."""
    nlp, toks = ctx.nlp, idx.tokens
    spans = sorted(taken)
    out: list[RoleRef] = []
    s = 0
    for i, tok in enumerate(toks):
        while s < len(spans) and spans[s][1] <= tok.start:
            s += 1
        if s < len(spans) and spans[s][0] <= tok.start < spans[s][1]:
            continue
        lemma = head_lemma(nlp, tok.text)
        if not lemma or is_plural(nlp, tok.text, lemma):
            continue
        ref = _role_phrase(ctx, idx, i, lemma)
        if ref:
            out.append(ref)
    return out


def _role_phrase(ctx: Context, idx: TokenIndex, i: int, lemma: str) -> RoleRef | None:
    nlp, toks = ctx.nlp, idx.tokens
    _, end = idx.sentence_bounds(i)
    first = i
    while first - 1 >= idx.sentence_bounds(i)[0] and is_modifier(nlp, toks[first - 1].text):
        first -= 1
    k = i + 1
    while (k < end and k - i <= MAX_ROLE_DEPS and toks[k].text != "," and not _blocked(nlp, idx, k)
           and not head_lemma(nlp, toks[k].text) and not _function_word(nlp, toks[k].text)
           and (toks[k].text[:1].isupper() or can_be_genitive(nlp, toks[k].text))):
        k += 1
    head_word = nominative(nlp, toks[i].text, lemma)
    deps = [t.text.lower() for t in toks[i + 1: k]]
    heads: tuple[str, ...] = ()
    for n in range(len(deps), -1, -1):
        key = " ".join([lemma] + deps[:n])
        if key in ROLES:
            heads = ROLES[key]
            k = i + 1 + n if n else k
            break
    if not heads:
        if lemma == "глава" and deps and toks[i + 1].text[:1].isupper() and not toks[i + 1].text.isupper():
            heads = ("президент",)  # "Глава Узбекистана сообщил"
        else:
            heads = (lemma,)
    words = [nominative(nlp, t.text) for t in toks[first:i]] + [head_word]
    text = _clean(" ".join(words) + ctx.text[toks[i].stop: toks[k - 1].stop]) if k > i + 1 else " ".join(words)
    found = cases(nlp, toks[i].text, lemma)
    case = "nomn" if "nomn" in found or not found else found[0]
    return RoleRef(text, heads, toks[first].start, toks[max(k - 1, i)].stop, case)
