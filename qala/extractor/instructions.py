"""Instructions: поручил / поручено / дал поручение / необходимо обеспечить."""

from __future__ import annotations

from qala.extractor.context import Context
from qala.model import Instruction, Person


def extract_instructions(ctx: Context, persons: list[Person]) -> list[Instruction]:
    return []
