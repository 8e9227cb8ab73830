"""Meetings, sessions, working trips, receptions and visits a text reports."""

from __future__ import annotations

from qala.extractor.context import Context
from qala.model import Event, Person


def extract_events(ctx: Context, persons: list[Person]) -> list[Event]:
    return []
