"""The fields every paged list and every read of derived tables adds (shared by both schema modules)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Paged(BaseModel):
    """What a list adds to {data, count}: the cursor of the next page and how the count was had."""

    next: str | None = Field(None, description="cursor of the next page (pass as `cursor`); null on the last")
    count_estimated: bool = Field(False, description="true: `count` is an estimate (ask count=exact for the "
                                                     "exact figure)")


class Derived(BaseModel):
    """What a list read from the monitor's derived tables adds: when they were rebuilt, and whether
    a newer rebuild is under way (the data are then those of the last complete one)."""

    rebuilt_at: dt.datetime | None = Field(None, description="when the derived tables were last rebuilt")
    rebuilding: bool = Field(False, description="a rebuild is under way: these are the last complete one's")
    note: str | None = Field(None, description="\"обновляется\" while a rebuild is under way")
