"""Word lists shipped as data in ``qala/extractor/lexicon/*.txt``: one item per line.

``#`` starts a comment (often an example of the entry in use); blank lines are skipped.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_words(name: str) -> tuple[str, ...]:
    """Entries of ``lexicon/<name>.txt``, lower-cased, in file order."""
    text = resources.files("qala.extractor").joinpath("lexicon", f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        item = line.split("#", 1)[0].strip().lower()
        if item:
            out.append(item)
    return tuple(out)


@cache
def load_pairs(name: str, sep: str = "=") -> dict[str, str]:
    """``left = right`` lines of ``lexicon/<name>.txt`` as a dict, both sides lower-cased."""
    out: dict[str, str] = {}
    for item in load_words(name):
        left, _, right = item.partition(sep)
        out[" ".join(left.split())] = " ".join(right.split())
    return out
