"""How figures are written for people: the Russian way, with a decimal comma and spaced thousands."""

from __future__ import annotations


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
    "source_kind": "Вид источника",
}
