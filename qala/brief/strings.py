"""Every Russian string of the briefing, in one place (the template reads them as `s.KEY`)."""

from __future__ import annotations

from types import SimpleNamespace

s = SimpleNamespace(
    title="Справка о социально-экономическом развитии",
    period="Период",
    prepared="Дата подготовки",
    prepared_by="Подготовлено Qala по официальным сообщениям",
    empty="По этой территории в базе пока нет цифр, поручений и проверок: справку составить не из чего.",
    summary="Кратко",
    key_indicators="Ключевые показатели",
    indicator="Показатель",
    value="Значение",
    period_col="Период",
    kind="Вид периода",
    year_before="Годом ранее",
    change="Изменение",
    reports_differ="сообщения расходятся",
    charts="Динамика",
    pools="Инвестиционные проекты",
    commitments="Планы и их исполнение",
    target="План",
    actual="Факт",
    status="Статус",
    instructions="Открытые и просроченные поручения",
    instructions_summary="Открыто поручений: {open}, из них просрочено: {overdue}.",
    body="Ответственный",
    deadline="Срок",
    issuer="Поручил",
    overdue="просрочено",
    checks="Проверки сообщений",
    sources="Источники",
    no_data="нет данных",
    link="ссылка",
    document="документ",
    download="Справка",
)
