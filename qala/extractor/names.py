"""Personal names: cleaning NER spans, bringing names to the nominative, matching surname forms.

Kazakh and Russian names are often unknown to pymorphy, so the nominative is read with a few
suffix rules, guided by the grammatical case the context gives (a post before the name, pymorphy's
reading of a known first name) and by the gender the first name's ending shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

# Words that may stand inside a name in lower case: "Ильхам Гейдар оглы Алиев".
NAME_PARTICLES = frozenset({"оглы", "кызы", "улы", "уулу", "ибн", "бин", "фон", "де", "ван", "дер", "ле", "ла"})

# A word glued to the next one by a lost newline: "ҚалиевНур-Султан".
GLUED = re.compile(r"(?<=[а-яёәғқңөұүһі])(?=[А-ЯЁӘҒҚҢӨҰҮҺІ])")
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
NAME_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*\.?", re.UNICODE)
INITIAL = re.compile(r"^[А-ЯЁA-Z]\.$")

# Russian-style surnames: stem + the endings of their cases.
SURNAME_RU = re.compile(r"^(.*(?:ов|ев|ёв|ин|ын))(а|у|ым|е|ой|ою)?$")
SURNAME_LIKE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|ко|ук|юк|ян|енко|дзе|швили|"
    r"ий|бек|бай|улы|ұлы|кызы|ович|евич)(?:а|у|ым|е|ой|ом|ем|я|ю)?$")
# Endings a declined surname or first name may add to its stem.
FORM_ENDINGS = ("", "а", "я", "у", "ю", "ом", "ем", "ём", "ым", "им", "е", "ой", "ей", "ою", "ы", "и", "й", "ь")

Parse = Callable[[str], list]


def clean_pieces(text: str, start: int) -> list[tuple[int, int]]:
    """Offsets of the name-like pieces of an NER span: lines split, stray marks and glued words cut.

    >>> t = "© Абзал ҚалиевНур-Султан"
    >>> [t[a:b] for a, b in clean_pieces(t, 0)]
    ['Абзал Қалиев']
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        a, b = start + pos, start + pos + len(line)
        pos += len(line) + 1
        piece = line
        glue = GLUED.search(piece)
        if glue:
            piece = piece[: glue.start()]
        m = LETTERS.search(piece)
        if not m:
            continue
        lead = m.start()
        body = piece[lead:].rstrip(" \t\r.,;:»\"'")
        if body:
            out.append((a + lead, a + lead + len(body)))
        del b
    return out


def name_words(text: str) -> list[str]:
    return NAME_WORD.findall(text)


def is_initial(word: str) -> bool:
    return bool(INITIAL.match(word))


def looks_like_surname(word: str) -> bool:
    """A capitalized word with a surname's suffix.

    >>> looks_like_surname("Мирзиёев"), looks_like_surname("Елбасы")
    (True, False)
    """
    return word[:1].isupper() and bool(SURNAME_LIKE.search(word.lower()))


def surname_stem(surname: str) -> str:
    """The part of a nominative surname that all its case forms share.

    >>> surname_stem("Абдыкаликова"), surname_stem("Цой"), surname_stem("Мамин")
    ('абдыкаликов', 'цой', 'мамин')
    """
    low = surname.lower()
    if len(low) > 3 and low[-1] in "аяйь":
        return low[:-1]
    return low


def is_form_of(word: str, stem: str) -> bool:
    """True when ``word`` is a case form of the surname whose stem is ``stem``.

    >>> is_form_of("Маминым", "мамин"), is_form_of("Маминская", "мамин")
    (True, False)
    """
    low = word.lower()
    return low.startswith(stem) and low[len(stem):] in FORM_ENDINGS


# ---------------------------------------------------------------- case and gender

def _name_parses(parse: Parse, word: str) -> list:
    return [p for p in parse(word) if {"Name", "Surn", "Patr"} & p.tag.grammemes]


def surname_cases(word: str) -> set[str]:
    """Cases a Russian-style surname form can be in (both genders)."""
    m = SURNAME_RU.match(word.lower())
    if not m:
        return set(CASES)
    ending = m.group(2) or ""
    return {"": {"nomn"}, "а": {"gent", "accs", "nomn"}, "у": {"datv", "accs"}, "ым": {"ablt"},
            "е": {"loct"}, "ой": {"gent", "datv", "ablt", "loct"}, "ою": {"ablt"}}[ending]


def infer_case(words: list[str], parse: Parse, hint: Iterable[str] = ()) -> str:
    """The grammatical case of a name, from the cases its context allows (``hint``, e.g. those of
    a post standing before it), the first name, then the surname."""
    hint = [c for c in hint if c in CASES]
    full = [w for w in words if not is_initial(w) and w.lower() not in NAME_PARTICLES]
    if not full:
        return hint[0] if hint else "nomn"
    by_surname = surname_cases(full[-1])
    if hint:
        first_cases = {p.tag.case for p in _name_parses(parse, full[0])} if len(full) > 1 else set()
        for allowed in (first_cases & by_surname, first_cases, by_surname):
            for c in hint:
                if c in allowed:  # an accusative like the genitive (Аскара) or its own (Гульмиру Ильину)
                    return "gent" if c == "accs" and "gent" in allowed | by_surname else c
        return "gent" if hint[0] == "accs" else hint[0]
    if len(full) > 1:
        first_cases = [p.tag.case for p in _name_parses(parse, full[0]) if p.tag.case]
        both = [c for c in first_cases if c in by_surname]
        if "nomn" in both or (not both and "nomn" in by_surname):
            return "nomn"
        if both:
            return "gent" if both[0] == "accs" else both[0]
    if "nomn" in by_surname:
        return "nomn"
    return "gent" if "gent" in by_surname else min(by_surname)


FEMININE_ENDINGS = {"nomn": ("а", "я"), "gent": ("ы", "и"), "datv": ("е",), "accs": ("у", "ю"),
                    "ablt": ("ой", "ей"), "loct": ()}


def infer_gender(words: list[str], case: str, parse: Parse) -> str:
    full = [w for w in words if not is_initial(w) and w.lower() not in NAME_PARTICLES]
    if len(full) > 1:
        for p in _name_parses(parse, full[0]):
            if "Name" in p.tag.grammemes and p.tag.case == case and p.tag.gender in ("masc", "femn"):
                return p.tag.gender
        return "femn" if full[0].lower().endswith(FEMININE_ENDINGS[case]) else "masc"
    low = full[-1].lower() if full else ""
    if case == "nomn" and re.search(r"(ова|ева|ёва|ина|ына|ская|цкая)$", low):
        return "femn"
    if case != "nomn" and re.search(r"(ов|ев|ин|ын)(ой|ою)$", low):
        return "femn"
    return "masc"


# ---------------------------------------------------------------- to the nominative

def _swap(word: str, old: str, new: str) -> str:
    return word[: len(word) - len(old)] + new if old else word + new


MASC_RULES = {  # case -> [(ending, replacement)], tried in order; consonant-final names
    "gent": [("ия", "ий"), ("ая", "ай"), ("ея", "ей"), ("оя", "ой"), ("уя", "уй"), ("я", "ь"), ("а", "")],
    "accs": [("ия", "ий"), ("ая", "ай"), ("ея", "ей"), ("я", "ь"), ("а", "")],
    "datv": [("ию", "ий"), ("аю", "ай"), ("ею", "ей"), ("ю", "ь"), ("у", "")],
    "ablt": [("ием", "ий"), ("аем", "ай"), ("еем", "ей"), ("ем", "ь"), ("ом", ""), ("ём", "ь")],
    "loct": [("ии", "ий"), ("ае", "ай"), ("е", "")],
}
FEMN_RULES = {
    "gent": [("ии", "ия"), ("ьи", "ья"), ("ы", "а"), ("и", "а")],
    "accs": [("ию", "ия"), ("ю", "я"), ("у", "а")],
    "datv": [("ии", "ия"), ("е", "а")],
    "ablt": [("ией", "ия"), ("ей", "я"), ("ой", "а")],
    "loct": [("ии", "ия"), ("е", "а")],
}


def _by_rules(word: str, case: str, gender: str) -> str:
    rules = (FEMN_RULES if gender == "femn" else MASC_RULES).get(case, [])
    low = word.lower()
    for old, new in rules:
        if low.endswith(old) and len(low) > len(old) + 1:
            return _swap(word, old, new)
    return word


def _known_name(word: str, case: str, gender: str, parse: Parse, gram: str) -> str | None:
    for p in parse(word):
        tag = p.tag
        if gram in tag.grammemes and tag.case == case and tag.number == "sing" and tag.gender in (gender, "ms-f") \
                and p.score >= 0.05:
            return _recase(word, p.normal_form)
    return None


def _recase(original: str, lower: str) -> str:
    """Give ``lower`` the capitalization of ``original``, part by hyphenated part."""
    parts = lower.split("-")
    src = original.split("-")
    out = []
    for i, part in enumerate(parts):
        ref = src[i] if i < len(src) else ""
        out.append(part[:1].upper() + part[1:] if ref[:1].isupper() else part)
    return "-".join(out)


def first_name_nominative(word: str, case: str, gender: str, parse: Parse) -> str:
    if case == "nomn" or is_initial(word):
        return word
    known = _known_name(word, case, gender, parse, "Name")
    if known:
        return known
    head, _, last = word.rpartition("-")
    return (head + "-" if head else "") + _by_rules(last, case, gender)


def surname_nominative(word: str, case: str, gender: str) -> str:
    """The nominative of a surname form.

    >>> surname_nominative("Мамина", "gent", "masc"), surname_nominative("Абдыкаликовой", "gent", "femn")
    ('Мамин', 'Абдыкаликова')
    >>> surname_nominative("Кравцовой-Сейтовой", "ablt", "femn")
    'Кравцова-Сейтова'
    """
    if case == "nomn":
        return word
    if "-" in word.strip("-"):  # a double surname declines part by part when both parts are Russian-style
        parts = word.split("-")
        if all(SURNAME_RU.match(p.lower()) for p in parts):
            return "-".join(surname_nominative(p, case, gender) for p in parts)
    m = SURNAME_RU.match(word.lower())
    if m:
        ending = m.group(2) or ""
        if gender == "femn":
            return _swap(word, ending, "а") if ending in ("ой", "ою", "у") else word
        return _swap(word, ending, "") if ending in ("а", "у", "ым", "е") else word
    if gender == "femn" or word.lower()[-1:] in "еиоуыэю":
        return word  # feminine non-Russian surnames and vowel-final ones do not decline
    return _by_rules(word, case, gender)


def patronymic_nominative(word: str, case: str, gender: str) -> str:
    low = word.lower()
    if gender == "femn":
        m = re.search(r"вн(ы|е|у|ой)$", low)
        return _swap(word, m.group(1), "а") if m and case != "nomn" else word
    m = re.search(r"[ие]ч(а|у|ем|е)$", low)
    return _swap(word, m.group(1), "") if m else word


def normalize_name(words: list[str], parse: Parse, hint: Iterable[str] = ()) -> tuple[str, str]:
    """A name's words brought to the nominative, and the case they were read in.

    >>> from qala.extractor.nlp import pipeline
    >>> normalize_name(["Аскара", "Мамина"], pipeline().parse_word, ["gent", "accs"])
    ('Аскар Мамин', 'gent')
    """
    # "Карим МАСИМОВ": a name set in capitals for emphasis is the same name
    words = [w.capitalize() if w.isupper() and len(w) > 2 and not is_initial(w) else w for w in words]
    case = infer_case(words, parse, hint)
    gender = infer_gender(words, case, parse)
    full = [i for i, w in enumerate(words) if not is_initial(w) and w.lower() not in NAME_PARTICLES]
    out = list(words)
    for n, i in enumerate(full):
        w = words[i]
        if n == len(full) - 1:
            out[i] = surname_nominative(w, case, gender)
        elif n == 1 and len(full) == 3:
            out[i] = patronymic_nominative(w, case, gender)
        else:
            out[i] = first_name_nominative(w, case, gender, parse)
    return " ".join(out), case


def first_letters(words: Iterable[str]) -> str:
    return "".join(w[0].upper() for w in words if w)
