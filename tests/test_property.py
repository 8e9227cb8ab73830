"""Any text extracts without raising, and every span lies inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qala

PIECES = st.sampled_from([
    "Аким г. Алматы Ерболат Досаев", " поручил ", "обеспечить ", "на 4,6%", " до 1,052 трлн тенге",
    " свыше 2,4 млн м² жилья", "(+14%)", " в 5 раз", "201 проекта", " — ", "«Новый Алматы»", "\n",
    "А. Мамин", ", ", ". ", "2021-2024 годы", " около 19 тысяч рабочих мест", "103,3% к уровню",
    "Источник: ", "‰", "\u200b", "\r\n", "¹²³", "ё", "Ё", "(", ")", "«", "»", "-", "…",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join))


def _spans(result: qala.Extraction):
    for person in result.persons:
        yield from person.mentions
    for item in (*result.facts, *result.instructions, *result.programs, *result.events):
        yield item.span


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_extracts_with_spans_inside(text: str) -> None:
    result = qala.extract(text)
    for start, stop in _spans(result):
        assert 0 <= start <= stop <= len(text)
    assert result.to_json()["schema"] == "qala.extraction/1"


@settings(max_examples=30, deadline=None)
@given(TEXTS)
def test_extraction_is_deterministic(text: str) -> None:
    assert qala.extract(text, "2021-02-04") == qala.extract(text, "2021-02-04")


def test_blank_texts_give_empty_results() -> None:
    for text in ("", " ", "\n\n", "\t \r\n"):
        result = qala.extract(text)
        assert not (result.persons or result.facts or result.instructions or result.events)
