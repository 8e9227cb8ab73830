"""Which language a document is in: Russian, Kazakh or English, offline and by letters alone.

Kazakh in Cyrillic shares most letters with Russian but has nine of its own (ә ғ қ ң ө ұ ү һ і);
even a short Kazakh paragraph has several in every sentence, and a Russian one has none (bar a
Kazakh name or two). English is Latin letters.

>>> detect("Аким города провел совещание по вопросам строительства школ.")
'ru'
>>> detect("Қала әкімі мектептер құрылысы мәселелері бойынша кеңес өткізді.")
'kk'
>>> detect("The mayor held a meeting on the construction of schools.")
'en'
"""

from __future__ import annotations

KAZAKH = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KAZAKH_SHARE = 0.015  # of Cyrillic letters; Kazakh prose runs at 5-10 %, a Russian text with names far below 1 %


def detect(text: str, *, sample: int = 20000) -> str:
    """'ru', 'kk' or 'en' (the most likely of the three; a text with no letters is 'ru')."""
    cyrillic = latin = kazakh = 0
    for ch in text[:sample]:
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in KAZAKH:
                kazakh += 1
        elif ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
            latin += 1
    if latin > cyrillic:
        return "en"
    if cyrillic and kazakh / cyrillic >= KAZAKH_SHARE:
        return "kk"
    return "ru"
