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
