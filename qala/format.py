"""How figures are written for people: the Russian way, with a decimal comma and spaced thousands."""

from __future__ import annotations

from qala.web.strings import APPROX, SCALES, UNITS


def plain_number(value: float | None, digits: int = 3) -> str:
    """A figure with digit groups and a decimal comma, never in exponent notation.

    >>> plain_number(1052000000000.0)
    '1 052 000 000 000'
    >>> plain_number(4.6)
    '4,6'
    >>> plain_number(None)
    ''
    """
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")


# ---------------------------------------------------------------- numerals and nouns

def _form(count: float) -> tuple[str, str]:
    """Case and number a noun takes after ``count``: 1 проект, 2 проекта, 5 проектов, 1,5 проекта."""
    if not float(count).is_integer():
        return "gent", "sing"
    n = abs(int(count))
    if n % 10 == 1 and n % 100 != 11:
        return "nomn", "sing"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "gent2-4", "sing"
    return "gent", "plur"


_UD = {"nomn": "Nom", "gent": "Gen", "sing": "Sing", "plur": "Plur", "masc": "Masc", "femn": "Fem", "neut": "Neut"}


def agree(count: float, phrase: str) -> str:
    """A counted object's words in the form its number needs (the phrase as a dictionary gives it:
    nominative singular).

    >>> [agree(n, "проект") for n in (1, 2, 5, 21, 22, 111, 1.5)]
    ['проект', 'проекта', 'проектов', 'проект', 'проекта', 'проектов', 'проекта']
    >>> [agree(n, "рабочее место") for n in (1, 3, 35400)]
    ['рабочее место', 'рабочих места', 'рабочих мест']
    >>> agree(22626, "квартира"), agree(1, "факт"), agree(11, "школа")
    ('квартир', 'факт', 'школ')
    """
    if not phrase:
        return phrase
    from qala.language_forms import parse_word

    case, number = _form(count)
    words = phrase.split(" ")
    parsed = [parse_word(w) for w in words]
    nouns = [p for p in parsed if p is not None and p.tag.POS == "NOUN"]
    head = nouns[0] if nouns else None
    out = []
    for word, p in zip(words, parsed, strict=True):
        if p is None or p.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            out.append(word)
            continue
        if p is not head and p.tag.POS == "NOUN":
            out.append(word)  # a dependent noun keeps its case: "место работы"
            continue
        if case == "gent2-4":
            grams = {"Gen", "Sing"} if p.tag.POS == "NOUN" else {"Gen", "Plur"}
        else:
            grams = {_UD[case], _UD[number]}
            if p.tag.POS != "NOUN" and number == "sing" and head is not None and head.tag.gender in _UD:
                grams.add(_UD[head.tag.gender])
        form = p.inflect(grams)
        out.append(form.word if form else word)
    return " ".join(out)


def counted(count: float, phrase: str) -> str:
    """A count with its object: "34 проекта", "35 400 рабочих мест", "1,5 тысячи" is not for here.

    >>> counted(34, "проект"), counted(35400, "рабочее место"), counted(1, "факт")
    ('34 проекта', '35 400 рабочих мест', '1 факт')
    """
    return f"{plain_number(count)} {agree(count, phrase)}".strip()


# ---------------------------------------------------------------- figures with units (pages, CLI, briefings)

def number(value: float, digits: int = 2) -> str:
    """A number the Russian way: decimal comma, thin-space thousands.

    >>> number(1052.0)
    '1 052'
    >>> number(4.6)
    '4,6'
    """
    return plain_number(value, digits)


def scale_of(v: float, unit: str | None) -> tuple[float, str] | None:
    """The scale a figure is written in ("млрд"); counts below a million keep all their digits."""
    return next(((f, s) for f, s in SCALES if abs(v) >= f and (unit != "count" or abs(v) >= 1e6)), None)


def value(v: float | None, unit: str | None, approx: str | None = None, digits: int = 2) -> str:
    """A figure with its unit and scale (``digits`` in its scale: the briefings keep three).

    >>> value(1.052e12, "KZT"), value(1.052e12, "KZT", digits=3)
    ('1,05 трлн тенге', '1,052 трлн тенге')
    >>> value(2.4e6, "m2", "over")
    'более 2,4 млн м²'
    >>> value(5.2, "%")
    '5,2%'
    """
    if v is None:
        return "—"
    word = UNITS.get(unit or "", unit or "")
    prefix = APPROX.get(approx or "", "")
    prefix = prefix + " " if prefix else ""
    if word == "%":
        return f"{prefix}{number(v, min(digits, 2))}%"
    scale = scale_of(v, unit)
    body = f"{number(v / scale[0], digits)} {scale[1]}" if scale else number(v, digits)
    return f"{prefix}{body} {word}".strip()


def agreed(obj: str | None, v: float | None) -> str:
    """A counted object in the form its figure needs, as the figure is printed (a scale word such as
    "млн" takes the genitive plural).

    >>> agreed("проект", 34), agreed("рабочее место", 2.4e6), agreed(None, 3)
    ('проекта', 'рабочих мест', '')
    """
    if not obj:
        return ""
    if v is None:
        return obj
    return agree(5 if abs(v) >= 1e6 else v, obj)


def value_range(low: float, high: float, unit: str | None) -> str:
    """Two reports of one figure as a range, both in the scale of the larger one. When the scale's
    two decimals would print them alike, more digits are shown (they do differ).

    >>> value_range(4.8e12, 5.6e12, "KZT")
    '4,8–5,6 трлн тенге'
    >>> value_range(2.396e6, 2.4e6, "m2")
    '2,396–2,4 млн м²'
    >>> value_range(5.1, 5.3, "%")
    '5,1–5,3%'
    """
    word = UNITS.get(unit or "", unit or "")
    top = max(abs(low), abs(high))
    scale = (None if word == "%" else
             next(((f, s) for f, s in SCALES if top >= f and (unit != "count" or top >= 1e6)), None))
    factor = scale[0] if scale else 1.0
    for digits in range(2, 7):
        a, b = number(low / factor, digits), number(high / factor, digits)
        if a != b:
            break
    if word == "%":
        return f"{a}–{b}%"
    return " ".join(part for part in (f"{a}–{b}", scale[1] if scale else "", word) if part)


def change(kind: str | None, amount: float | None, direction: str | None) -> str:
    """A reported change.

    >>> change("percent", 4.6, "up")
    '+4,6%'
    >>> change("index", 117.2, "up")
    'индекс 117,2'
    >>> change("times", 1.7, "up")
    'в 1,7 раза больше'
    """
    if kind is None or amount is None:
        return ""
    if kind == "percent":
        return f"{'−' if direction == 'down' else '+'}{number(amount)}%"
    if kind == "index":
        return f"индекс {number(amount)}"
    if kind == "times":
        return f"в {number(amount)} раза {'меньше' if direction == 'down' else 'больше'}"
    return f"{'−' if direction == 'down' else '+'}{number(amount)}"


# ---------------------------------------------------------------- dates

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря")
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
MONTHS_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def russian_date(iso: str | None) -> str:
    """An ISO date (or month) as a Russian reader writes it.

    >>> russian_date("2025-12-25"), russian_date("2024-03"), russian_date(None)
    ('25 декабря 2025 г.', 'март 2024 г.', '')
    """
    if not iso:
        return ""
    parts = str(iso)[:10].split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS_GENITIVE[int(parts[1]) - 1]} {parts[0]} г."
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]} г."
    return f"{parts[0]} г."


# ---------------------------------------------------------------- tables for people (XLSX, Excel CSV)

COLUMN_NAMES = {
    "id": "ID цифры", "document_id": "ID документа", "ordinal": "№ в документе", "indicator": "Показатель (код)",
    "indicator_text": "Показатель в тексте", "territory_kato": "КАТО", "territory": "Территория",
    "territory_text": "Территория в тексте", "period": "Период", "period_start": "Начало периода",
    "period_end": "Конец периода", "granularity": "Вид периода", "value": "Значение", "unit": "Единица",
    "object": "Объект счёта", "approx": "Приблизительно", "change_kind": "Вид изменения",
    "change_value": "Изменение", "change_direction": "Направление", "change_base_period": "База сравнения",
    "span_start": "Начало фрагмента", "span_stop": "Конец фрагмента", "url": "Ссылка", "published": "Дата публикации",
    "source": "Источник", "review_status": "Проверка", "title": "Заголовок", "sentence": "Предложение",
    "source_kind": "Вид источника", "issuer": "Кто поручил", "text": "Поручение", "addressee": "Исполнитель",
    "deadline": "Срок", "deadline_text": "Срок в тексте", "status": "Статус", "full_name": "Персона",
    "post": "Должность", "organization": "Организация", "as_of": "По состоянию на",
}
