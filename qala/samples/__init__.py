"""Sample documents bundled with the package, written for the project in its own words."""

from __future__ import annotations

from importlib import resources


def sample_names() -> list[str]:
    return sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith(".txt"))


def sample_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def seed_text() -> str:
    return sample_text("almaty-2021-02-04.txt")
