"""Qala: reads what governments publish and keeps the figures, people and instructions in it."""

from qala.errors import QalaError
from qala.extractor import extract
from qala.model import Change, DocumentInfo, Event, Extraction, Fact, Instruction, Person, Program

__all__ = [
    "Change",
    "DocumentInfo",
    "Event",
    "Extraction",
    "Fact",
    "Instruction",
    "Person",
    "Program",
    "QalaError",
    "extract",
]
