"""Sample press releases bundled with the package, written for the project in its own words.

They carry real published figures (see shared/data/reported-figures.csv) for Almaty, Astana,
Shymkent and Kazakhstan from 2018 to 2024, so the dashboard's series span several years. Each file
is named REGION-YYYY-MM-DD.txt (its publication date) and ends with an "Источник:" line.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

DATED = re.compile(r"-(\d{4}-\d{2}-\d{2})\.txt$")


def sample_names() -> list[str]:
    return sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith(".txt"))


def sample_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def official_tables() -> list[Path]:
    """The bundled official tables (official-*.csv: wide tables of the Bureau's figures for Almaty,
    Astana, Shymkent and the country, copied from its published series; see each file's source line)."""
    folder = resources.files(__package__)
    return sorted(Path(str(folder.joinpath(p.name))) for p in folder.iterdir()
                  if p.name.startswith("official-") and p.name.endswith(".csv"))


def seed_text() -> str:
    return sample_text("almaty-2021-02-04.txt")


def sample_records() -> list[dict[str, Any]]:
    """Every sample as {text, published, source, title, path}, the way ingest takes a record."""
    from qala.text import find_source

    records = []
    for name in sample_names():
        text = sample_text(name)
        date = DATED.search(name)
        records.append({"text": text, "published": date.group(1) if date else None,
                        "source": find_source(text), "title": text.strip().split("\n", 1)[0].strip(),
                        "path": f"samples/{name}"})
    return records
