"""Reading documents: encodings, HTML, metadata, and bad input that must fail clearly."""

from __future__ import annotations

import pytest

from qala.errors import BinaryInput, EmptyDocument, InvalidInput, TooLarge
from qala.text import decode, find_published, find_source, html_to_text, read_bytes, read_path

SENTENCE = "Аким города сообщил, что в 2023 году введено 1,2 млн кв. м жилья."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_decodes_common_encodings(encoding: str) -> None:
    text, _ = decode(SENTENCE.encode(encoding))
    assert text == SENTENCE


@pytest.mark.parametrize("data, error", [
    (b"", EmptyDocument),
    (b"   \n\t  ", EmptyDocument),
    (bytes(range(256)) * 20, BinaryInput),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInput),
    ("caf\u00e9 na\u00efve r\u00e9sum\u00e9 ".encode("latin-1") * 10, InvalidInput),
])
def test_bad_bytes_raise_named_errors(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        read_bytes(data, path="doc.txt")
    message = str(info.value)
    assert "doc.txt" in message and "\n" not in message


def test_size_limit_is_checked_before_reading(tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(TooLarge, match="QALA_MAX_DOCUMENT_BYTES"):
        read_path(big, max_bytes=1024)


@pytest.mark.parametrize("name", ["missing.txt", "."])
def test_unreadable_paths(tmp_path, name: str) -> None:
    with pytest.raises(InvalidInput):
        read_path(tmp_path / name if name != "." else tmp_path)


def test_html_text_drops_scripts_and_keeps_blocks() -> None:
    html = ("<html><head><title>Новости</title><script>var x = 1;</script></head>"
            "<body><p>Первый абзац.</p><div>Второй &amp; последний</div></body></html>")
    text, title = html_to_text(html)
    assert text == "Первый абзац.\nВторой & последний"
    assert title == "Новости"
    assert read_bytes(html.encode(), path="page.html").is_html


@pytest.mark.parametrize("text, expected", [
    ("Текст.\nИсточник: primeminister.kz", "primeminister.kz"),
    ("Текст.\nИсточник: https://www.gov.kz/memleket/entities/almaty/press", "gov.kz"),
    ("Текст без подписи.", None),
])
def test_find_source(text: str, expected: str | None) -> None:
    assert find_source(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("12.03.2024 10:15\nАкимат сообщил", "2024-03-12"),
    ("Опубликовано 5 июня 2023 года. Аким провел встречу", "2023-06-05"),
    ("Без даты в начале текста", None),
    ("31.02.2024 — неверная дата", None),
])
def test_find_published(text: str, expected: str | None) -> None:
    assert find_published(text) == expected
