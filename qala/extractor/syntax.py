"""Dependency trees of single sentences, from natasha's news morphology tagger and syntax parser.

Parsing is slow next to the rest of the reading (about as slow as the NER tagger per word), so it
is done only for the few sentences a rule asks about (an order verb whose task the word-order
rules could not find), and the trees are cached by the sentence's words. The models share the
navec embedding the NER tagger loads, load once per process on first use, and work offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MAX_WORDS = 120  # a longer "sentence" is a list or a table the splitter missed: not parsed


@dataclass(frozen=True)
class Node:
    """One word of a parsed sentence: its head (-1 for the root) and relation (Universal
    Dependencies, e.g. "xcomp", "iobj", "conj"), its part of speech and features ("Case": "Dat")."""

    head: int
    rel: str
    pos: str
    feats: tuple[tuple[str, str], ...]

    def feat(self, name: str) -> str | None:
        return dict(self.feats).get(name)

    @property
    def infinitive(self) -> bool:
        return self.pos in ("VERB", "AUX") and self.feat("VerbForm") == "Inf"


@lru_cache(maxsize=1)
def _models():
    from natasha import NewsMorphTagger, NewsSyntaxParser

    from qala.language import embedding

    return NewsMorphTagger(embedding()), NewsSyntaxParser(embedding())


@lru_cache(maxsize=4096)
def parse(words: tuple[str, ...]) -> tuple[Node, ...]:
    """The dependency tree of one sentence given as its words, a node per word; empty for an
    empty or over-long sentence.

    >>> tree = parse(("Министр", "поручил", "акимам", "построить", "школы"))
    >>> tree[3].head, tree[3].rel, tree[3].infinitive
    (1, 'xcomp', True)
    """
    if not words or len(words) > MAX_WORDS:
        return ()
    tagger, parser = _models()
    morph = next(iter(tagger.map([list(words)])))
    syntax = next(iter(parser.map([list(words)])))
    ids = {tok.id: n for n, tok in enumerate(syntax.tokens)}
    return tuple(Node(head=ids.get(s.head_id, -1), rel=s.rel, pos=m.pos,
                      feats=tuple(sorted((m.feats or {}).items())))
                 for s, m in zip(syntax.tokens, morph.tokens, strict=True))


def children(tree: tuple[Node, ...], i: int) -> list[int]:
    return [n for n, node in enumerate(tree) if node.head == i]


def subtree(tree: tuple[Node, ...], i: int, cut: frozenset[int] = frozenset()) -> list[int]:
    """Word ``i`` and every word under it, in sentence order, leaving out the subtrees of ``cut``."""
    out, todo = [], [i]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(c for c in children(tree, n) if c not in cut)
    return sorted(out)
