"""Numbers as written -> values: decimal commas, thousands spaces, scale words, number words."""

from __future__ import annotations

import pytest

from qala.extractor.numbers import (
    digit_numbers,
    find_fractions,
    find_multiples,
    find_noun_shares,
    find_numbers,
    find_shares,
    parse_digits,
)

DIGITS = [
    ("4,6", 4.6),
    ("1 052", 1052.0),
    ("3 291,539", 3291.539),
    ("37298,0", 37298.0),
    ("12\u00a0400", 12400.0),
]


@pytest.mark.parametrize("text, expected", DIGITS)
def test_parse_digits(text: str, expected: float) -> None:
    assert parse_digits(text) == pytest.approx(expected)


SCALED = [
    ("бюджет составил 1,25 трлн тенге", [1.25e12]),
    ("привлекли 48,3 млрд. тенге", [48.3e9]),
    ("выдали 7 млн кредитов", [7e6]),
    ("около 19 тысяч мест", [19000.0]),
    ("город на 2,3 миллиона жителей", [2.3e6]),
    ("склад на 156,9 тыс. тонн", [156900.0]),
    ("итого 2 743,310 млн. тенге", [2743.31e6]),
    ("площадь 79,7 тысячи гектаров", [79700.0]),
    # a decimal comma with a stray space before a scale word
    ("выделят 3, 6 миллиарда тенге", [3.6e9]),
    ("инвестиции 12, 45 млрд тенге", [12.45e9]),
    # ... but a list stays a list
    ("в 1, 2 и 3 млн тенге", [1.0, 2.0, 3e6]),
    ("проекты 4, 5, 6 млн тенге", [4.0, 5.0, 6e6]),
    ("пункты 3, 6 и 9", [3.0, 6.0, 9.0]),
]


@pytest.mark.parametrize("text, expected", SCALED)
def test_scaled_numbers(text: str, expected: list[float]) -> None:
    assert [n.value for n in digit_numbers(text)] == pytest.approx(expected)


NOT_NUMBERS = [
    "встреча 13.04.2022 в 06:48",       # date and time
    "звоните +7 (7172) 74-50-00",        # only "+7" and "7172" survive as bare digits, tested below
    "вошел в топ-5 отраслей",
    "станция НФС-3 и КОС-2",
    "температура 2oC",
]


def test_pieces_of_dates_codes_and_ranks_are_not_numbers() -> None:
    assert digit_numbers(NOT_NUMBERS[0]) == []
    assert [n.value for n in digit_numbers(NOT_NUMBERS[1])] == [7.0, 7172.0]
    for text in NOT_NUMBERS[2:]:
        assert digit_numbers(text) == [], text


def test_sign_is_kept() -> None:
    (number,) = digit_numbers("спад (-2,8%)")
    assert (number.sign, number.value) == ("-", 2.8)


WORDS = [
    ("построят двух новых заводов", [2.0]),
    ("только четыре района", [4.0]),
    ("двадцать пять школ", [25.0]),
    ("выросло в полтора раза", [1.5]),
    ("пятый и шестой слайды", []),       # ordinals are not amounts
    ("один из проектов", []),            # "один" is left out on purpose
]


@pytest.mark.parametrize("text, expected", WORDS)
def test_number_words(nlp, text: str, expected: list[float]) -> None:
    assert [n.value for n in find_numbers(text, nlp.lemma) if n.spelled] == expected


SHARES = [
    ("дает одну пятую часть налогов", 20.0),
    ("почти две трети средств", 66.7),
    ("одна четверть выпуска", 25.0),
]


@pytest.mark.parametrize("text, expected", SHARES)
def test_spelled_shares(text: str, expected: float) -> None:
    assert [share for _, _, share in find_shares(text)] == [expected]


MULTIPLES = [
    ("выросло вдвое", [2.0]),
    ("сократилось втрое", [3.0]),
    ("вдвоем приехали", []),
]


@pytest.mark.parametrize("text, expected", MULTIPLES)
def test_multiples(text: str, expected: list[float]) -> None:
    assert [times for _, _, times in find_multiples(text)] == expected


FRACTIONS = [
    ("почти на треть больше", [33.3]),
    ("снизилось на четверть", [25.0]),
    ("на третьем этапе", []),
    ("очередь сократилась наполовину", [50.0]),
]


@pytest.mark.parametrize("text, expected", FRACTIONS)
def test_fractions(text: str, expected: list[float]) -> None:
    assert [share for _, _, share in find_fractions(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("завезена треть от потребности", [33.33]),
    ("более половины выпускников", [50.0]),
    ("четверть бюджета ушла на дороги", [25.0]),
    ("во второй половине года", []),
    ("в первой половине дня", []),
    ("выросло на треть", []),          # a change, read by find_fractions
])
def test_shares_named_by_a_noun(text: str, expected: list[float]) -> None:
    assert [share for _, _, share in find_noun_shares(text)] == expected
