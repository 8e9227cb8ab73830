"""Reading documents: encodings, HTML, metadata, and bad input that must fail clearly."""

from __future__ import annotations

import pytest

from qala.errors import BinaryInput, EmptyDocument, InvalidInput, TooLarge
from qala.text import decode, find_published, find_source, find_title, html_to_text, read_bytes, read_path

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
    # datelines as Kazakh and neighbouring news sites print them
    ("16:22, 25 Декабрь 2025\nВ Павлодаре открыли школу", "2025-12-25"),
    ("09:05, 3 Май 2024\nАкимат сообщил", "2024-05-03"),
    ("Бишкек, 01.10.20. Кабинет министров рассмотрел", "2020-10-01"),
    ("date 2014-01-22\nАким области провел прием граждан", "2014-01-22"),
    ("Курс 4.76 и версия 1.2.3 без даты", None),
    ("Стоимость 12.05.300 тенге", None),
    # a date a sentence sets or cites is not the day it was written
    ("Аким поручил до 1 июля 2021 года завершить ремонт", None),
    ("Согласно постановлению от 12 марта 2020 года, с 1 января 2024 года вводятся новые правила", None),
    # short month names
    ("14:05, 25 дек. 2025\nАкимат сообщил", "2025-12-25"),
    ("3 сент 2021 | Экономика\nАкимат сообщил", "2021-09-03"),
    # Kazakh-language datelines
    ("Жарияланды: 7 наурыз 2024, 11:30\nАкимат хабарлады", "2024-03-07"),
    ("2 маусым 2022\nӘкім кездесу өткізді", "2022-06-02"),
    # the page's clock among its widgets is not the release's date; the dateline after it is
    ("Сегодня 3 марта 2024 года, воскресенье\nUSD 450\nАким открыл школу", None),
    ("вторник, 12 ноября 2024 г.\nEUR 520\nАким открыл школу", None),
    ("Сегодня 3 марта 2024 года, воскресенье\nАстана, 28 февраля 2024 года. Аким открыл школу", "2024-02-28"),
])
def test_find_published(text: str, expected: str | None) -> None:
    assert find_published(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Аким района открыл новую амбулаторию в селе\n\nСегодня в селе Жана-Аул ...",
     "Аким района открыл новую амбулаторию в селе"),
    # rubrics, cities and tickers above the headline are passed over
    ("Экономика\nКостанай\nUSD 470.1 EUR 510.3\nВ области построят три новых моста\nТекст.",
     "В области построят три новых моста"),
    ("облачно, ветер 5 м/с\nМинистр посетил строительство новой больницы\nТекст.",
     "Министр посетил строительство новой больницы"),
    # a dateline before or after the headline is not part of it
    ("date 2019-03-11 Аким города встретился с предпринимателями\nТекст.", "Аким города встретился с предпринимателями"),
    ("Вице-министр провел совещание по паводкам 14 марта 2024, 10:30\nТекст.",
     "Вице-министр провел совещание по паводкам"),
    # a short headline may end in a full stop
    ("Аким отчитался перед жителями района.\nТекст.", "Аким отчитался перед жителями района."),
    # a first paragraph is the lead, not a headline
    (("В области продолжается работа по строительству дорог, ремонту школ и больниц, сообщили в "
      "пресс-службе акимата области.\nТекст."), None),
    ("Аким выступил. Затем прошел прием граждан по личным вопросам\nТекст.", None),
    ("Курс валют: 470.1 510.3 5.12 0.66\nТекст.", None),
])
def test_find_title(text: str, expected: str | None) -> None:
    assert find_title(text) == expected


def test_html_title_is_kept_and_a_plain_file_takes_its_first_line(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Аким открыл парк</title></head><body><p>Сегодня открыли парк.</p>"
                    "</body></html>", encoding="utf-8")
    assert read_path(page).title == "Аким открыл парк"
    plain = tmp_path / "release.txt"
    plain.write_text("Аким области открыл новый парк в городе\n\nСегодня открыли парк на 5 га.", encoding="utf-8")
    assert read_path(plain).title is None
    from qala.extractor import extract
    assert extract(read_path(plain).text).document.title == "Аким области открыл новый парк в городе"
    assert extract("Аким области открыл новый парк в городе", title="Свой заголовок").document.title == "Свой заголовок"
