"""Programs and plans: kind, name and period."""

from __future__ import annotations

import pytest

from qala.extractor import extract


def programs(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(p.name, p.kind, p.period) for p in extract(text, "2022-01-15").programs]


PROGRAMS = [
    ("Работа идет в рамках Комплексного плана «Развитие Шымкента» на 2021-2025 годы.",
     [("Развитие Шымкента", "Комплексный план", "2021-2025")]),
    ("Жилье строится по государственной программе \"Нұрлы жол\".",
     [("Нұрлы жол", "государственная программа", None)]),
    ("Предприятие вошло в проекты Карты индустриализации.",
     [("Карта индустриализации", "Карта", None)]),
    ("Аким рассказал о Дорожной карте занятости на 2022 год.",
     [("Дорожная карта занятости", "Дорожная карта", "2022")]),
    ("Мероприятия прошли в рамках Года молодежи.",
     [("Год молодежи", "тематический год", None)]),
    # a plan named in lower case is not a named programme
    ("В этом году план по налогам выполнен.", []),
]


@pytest.mark.parametrize(("text", "expected"), PROGRAMS)
def test_programs(text: str, expected: list) -> None:
    assert programs(text) == expected
