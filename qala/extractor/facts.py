"""Figures: indicator + territory + period + value + unit + change, read clause by clause."""

from __future__ import annotations

from qala.extractor.context import Context
from qala.model import Fact


def extract_facts(ctx: Context) -> list[Fact]:
    return []
