"""Documents out of paths: text and HTML files, folders (recursively) and JSON Lines.

Each item is an ``IncomingDocument`` or, for input that cannot be read, a ``ReadFailure`` with
one clear line; one bad file or line never stops the others.

JSON Lines records look like ``{"text": ..., "url": ..., "published": "2021-02-04",
"source": ..., "title": ...}``; only ``text`` is required.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qala.clean import check_text, check_url, check_values
from qala.errors import QalaError
from qala.store.ingest import IncomingDocument
from qala.text import DEFAULT_MAX_BYTES, html_to_text, looks_like_html, parse_published, read_path

TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FIELDS = ("url", "published", "source", "title")


@dataclass(frozen=True)
class ReadFailure:
    label: str  # the file, or "file.jsonl:LINE"
    error: str

    def __str__(self) -> str:
        return self.error if self.error.startswith(self.label) else f"{self.label}: {self.error}"


Item = IncomingDocument | ReadFailure


def expand(paths: Iterable[str | Path]) -> Iterator[Path | ReadFailure]:
    """Files named, and the text/HTML/JSON Lines files under folders named (sorted, recursive)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
                    yield child
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield ReadFailure(str(path), f"{path}: no such file or folder")


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def read_items(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    for path in expand(paths):
        if isinstance(path, ReadFailure):
            yield path
        elif is_jsonl(path):
            yield from read_jsonl(path, max_bytes=max_bytes)
        else:
            try:
                raw = read_path(path, max_bytes=max_bytes)
            except QalaError as e:
                yield ReadFailure(str(path), str(e))
                continue
            yield IncomingDocument(text=raw.text, path=str(path), title=raw.title)


def read_jsonl(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as e:
        yield ReadFailure(str(path), f"{path}: cannot read ({e.strerror or e})")
        return
    with handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield record(line, f"{path}:{number}", max_bytes=max_bytes)


def record(line: bytes | str, label: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Item:
    """One JSON Lines record as a document, or the reason it is not one.

    >>> record('{"url": "https://x.kz/1"}', "feed.jsonl:3").error
    'feed.jsonl:3: expected a record with "text", got none'
    """
    if len(line) > max_bytes:
        return ReadFailure(label, f"{label}: expected at most {max_bytes} bytes, got {len(line)}")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        return ReadFailure(label, f"{label}: expected a JSON object, got malformed JSON ({e.msg} at column {e.colno})")
    except UnicodeDecodeError:
        return ReadFailure(label, f"{label}: expected UTF-8 JSON, got undecodable bytes")
    if not isinstance(data, dict):
        return ReadFailure(label, f"{label}: expected a JSON object, got {type(data).__name__}")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        got = "none" if text is None or text == "" else f"{type(text).__name__}" if not isinstance(
            text, str) else "only whitespace"
        return ReadFailure(label, f'{label}: expected a record with "text", got {got}')
    meta = {}
    for key in FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            return ReadFailure(label, f"{label}: expected {key!r} as a string, got {type(value).__name__}")
        meta[key] = value.strip() or None if isinstance(value, str) else None
    try:
        check_text(text, "text")
        check_values(meta, "")
        meta["url"] = check_url(meta["url"])
        if meta["published"]:
            meta["published"] = parse_published(meta["published"][:10])
    except QalaError as e:
        return ReadFailure(label, f"{label}: {e}")
    if looks_like_html(text):
        text, title = html_to_text(text)
        meta["title"] = meta["title"] or title
        if not text.strip():
            return ReadFailure(label, f'{label}: expected a record with "text", got HTML with no text')
    return IncomingDocument(text=text, path=label, **meta)


def count_items(paths: Iterable[str | Path]) -> int:
    """How many items read_items will yield (JSON Lines counted by non-blank lines), for a progress bar."""
    total = 0
    for path in expand(paths):
        if not isinstance(path, ReadFailure) and is_jsonl(path):
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total
