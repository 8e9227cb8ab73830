"""Every Russian string the dashboard shows, in one place (templates read them as `t.KEY`)."""

from __future__ import annotations

from types import SimpleNamespace

# names of the official indicators (qala/stats/data/indicators.csv codes) on the territory page
OFFICIAL_NAMES = {
    "unemployment_rate": "Уровень безработицы",
    "population": "Численность населения (на начало года)",
    "grp_per_capita": "ВРП на душу населения",
    "grp": "Валовой региональный продукт",
    "average_wage": "Среднемесячная номинальная заработная плата",
    "wage_index_nominal": "Индекс номинальной заработной платы",
    "wage_index_real": "Индекс реальной заработной платы",
    "income_per_capita": "Среднедушевые номинальные денежные доходы",
    "doctors": "Численность врачей",
    "employment_applicants": "Обратившиеся в органы занятости",
}

UI = {
    "app_name": "Qala",
    "rebuilding": "обновляется",  # the derived tables are being rebuilt: the page shows the last rebuild
    "rebuilt_at": "данные мониторинга на",
    "tagline": "Социально-экономическое развитие регионов по официальным сообщениям",
    "nav_territory": "Территория",
    "nav_documents": "Документы",
    "nav_persons": "Персоны",
    "nav_instructions": "Поручения",
    "nav_compare": "Сравнение",
    "nav_add": "Добавить",
    "nav_sources": "Источники",
    "nav_login": "Войти",
    "nav_logout": "Выйти",
    "signed_in_as": "Вы вошли как",
    "key_indicators": "Ключевые показатели",
    "official_stats": "Официальная статистика",
    "official_hint": "Линия — официальная статистика (Бюро национальной статистики), точки — цифры из "
                     "пресс-релизов; у каждой точки подписан источник.",
    "official_line": "официальная статистика",
    "official_vintage": "данные на",
    "reported_points": "пресс-релизы",
    "official_reported_count": "цифр из пресс-релизов",
    "latest_value": "Последнее значение",
    "change": "Изменение",
    "period": "Период",
    "source": "Источник",
    "series": "Динамика",
    "pools": "Инвестиционные пулы и проекты",
    "programs": "Программы и планы",
    "meetings": "Последние совещания",
    "participants": "Участники",
    "chair": "Председатель",
    "open_instructions": "Открытые поручения",
    "no_data": "Пока нет данных.",
    "other_territories": "Другие территории",
    "fact_word": "факт",  # agreed with its count: 1 факт, 2 факта, 5 фактов
    "document": "Документ",
    "documents": "Документы",
    "published": "Опубликовано",
    "extracted": "Извлечено из текста",
    "figures": "Цифры",
    "persons": "Персоны",
    "instructions": "Поручения",
    "open_document": "Открыть документ",
    "search": "Поиск",
    "search_placeholder": "Слова из текста документа",
    "search_results": "Найдено документов",
    "persons_title": "Кто какую должность занимал",
    "person": "Персона",
    "post": "Должность",
    "organization": "Организация",
    "as_of": "На дату",
    "according_to": "По документу",
    "board_title": "Поручения по статусам",
    "no_body": "Исполнитель не назван",
    "filter": "Показать", "reset": "Сбросить", "all": "все",
    "group_by": "Группировать", "by_status": "по статусам", "by_body": "по исполнителям",
    "territory_filter": "Территория (название или КАТО)", "year": "Год",
    "facts_table": "Все цифры таблицей", "facts_of": "Цифры: {name}", "period_filter": "Период (2024, 2024-01..2024-09)",
    "kind_filter": "Вид периода", "reviewed_only": "только проверенные", "sort": "Сортировать",
    "sort_period": "по периоду", "sort_value": "по значению", "sort_indicator": "по показателю",
    "sort_published": "по дате публикации", "descending": "по убыванию", "ascending": "по возрастанию",
    "organization_filter": "Организация", "name_filter": "Имя", "period_head": "Период", "review_head": "Проверка",
    "download": "Скачать", "page_of": "страница {page} из {pages}", "prev": "← назад", "next": "далее →",
    "shown_of": "найдено",
    "issuer": "Кто поручил",
    "addressee": "Кому",
    "deadline": "Срок",
    "history": "История",
    "set_status": "Изменить статус",
    "note": "Комментарий",
    "save": "Сохранить",
    "metadata_correct": "Исправить дату, заголовок, источник или ссылку",
    "metadata_saved": "Сведения о документе исправлены; периоды цифр пересчитаны по новой дате.",
    "link": "Ссылка",
    "sign_in_to_change": "Войдите, чтобы менять статусы.",
    "add_title": "Добавить пресс-релиз",
    "add_hint": "Вставьте текст или загрузите файл (.txt или .html). Документ будет обработан, и откроется его страница.",
    "text": "Текст",
    "file": "Файл",
    "url": "Ссылка",
    "title": "Заголовок",
    "publisher": "Издатель",
    "published_hint": "ГГГГ-ММ-ДД",
    "submit_add": "Добавить документ",
    "sign_in_to_add": "Войдите, чтобы добавлять документы.",
    "login_title": "Вход",
    "username": "Имя пользователя",
    "password": "Пароль",
    "submit_login": "Войти",
    "login_failed": "Неверное имя пользователя или пароль.",
    "login_locked": "Слишком много неудачных попыток входа. Попробуйте снова через {seconds} с.",
    "too_large": "Документ слишком большой: допускается не больше {size} текста.",
    "error_title": "Ошибка",
    "error_back": "Вернуться на главную",
    "status_changed": "Статус изменён.",
    "untitled": "Без заголовка",
    "territory_fallback": "территория не указана",
    "chart_hint": "Точка на графике ведёт к документу, где опубликована цифра.",
    "differing_reports": "разные данные",
    "differing_reports_hint": "Документы сообщают за этот период разные значения; показано наибольшее, "
                              "как в рядах мониторинга. Подробности — в проверках утверждений.",
    "more": "ещё",
    # monitoring: checks, commitments, review, instruction control
    "checks": "Проверки утверждений",
    "no_checks": "Противоречий и несоответствий не найдено.",
    "checks_in_document": "Проверки с цифрами этого документа",
    "all_checks": "Все проверки (JSON)",
    "reported": "Сообщение",
    "other_report": "Другое сообщение",
    "gap": "Расхождение",
    "gap_points": "п.п.",
    # kinds of period (qala.monitor.period_kind): a series and a chart line hold one kind
    "period_kind_year": "за год", "period_kind_half": "за полугодие", "period_kind_quarter": "за квартал",
    "period_kind_month": "за месяц", "period_kind_ytd": "с начала года", "period_kind_date": "на дату",
    "period_kind_range": "за несколько лет",
    "commitments": "Обязательства и планы",
    "target": "Цель",
    "actual": "Факт",
    "status": "Статус",
    "evidence": "Документы-подтверждения",
    "announced": "Объявлено",
    "verified_only": "только проверенные",
    "all_figures": "все цифры",
    "verified_hint": "Ряды и проверки построены только по цифрам, подтверждённым или исправленным аналитиком.",
    "implied": "расчётная база",
    "sources": "источников",
    "review_confirm": "Подтвердить",
    "review_correct": "Исправить",
    "review_reject": "Отклонить",
    "review_history": "История проверки",
    "review_saved": "Проверка сохранена.",
    "sign_in_to_review": "Войдите, чтобы подтверждать, исправлять и отклонять цифры.",
    "value": "Значение",
    "unit": "Единица",
    "indicator": "Показатель",
    "unchanged": "без изменений",
    "discipline": "Исполнительская дисциплина",
    "body": "Ответственный орган",
    "total": "Всего",
    "done_on_time": "В срок",
    "done_late": "С опозданием",
    "on_time_share": "Доля в срок",
}

GRANULARITY = {"year": "год", "half": "полугодие", "quarter": "квартал", "month": "месяц", "range": "период",
               "day": "на дату"}
REVIEW_STATUS = {"unverified": "не проверено", "verified": "подтверждено", "corrected": "исправлено",
                 "rejected": "отклонено"}
REVIEW_STATE = {"confirm": "подтверждено", "correct": "исправлено", "reject": "отклонено"}

STATUS = {"new": "новое", "in_progress": "в работе", "done": "исполнено", "overdue": "просрочено"}

UNITS = {"KZT": "тенге", "m2": "м²", "count": "", "%": "%", "percent": "%", "USD": "долл. США",
         "t": "т", "person": "чел."}

SCALES = ((1e12, "трлн"), (1e9, "млрд"), (1e6, "млн"), (1e3, "тыс."))

APPROX = {"over": "более", "about": "около", "under": "менее"}

ITEM_KIND = {"fact": "цифра", "person": "персона", "instruction": "поручение", "program": "программа",
             "meeting": "совещание"}

ERRORS = {
    400: "Некорректный запрос",
    401: "Нужно войти",
    403: "Доступ запрещён",
    404: "Не найдено",
    413: "Слишком большой документ",
    422: "Данные не приняты",
    429: "Слишком много попыток",
    500: "Внутренняя ошибка сервера",
    503: "База данных недоступна",
}

t = SimpleNamespace(**UI)

# The sources page (qala.web.sources): feeds, sitemaps and news lists `qala watch` follows.
SOURCES_UI = SimpleNamespace(
    title="Источники: ленты и списки новостей",
    hint="Ленты RSS/Atom, карты сайта и страницы списков новостей, за которыми следит «qala watch».",
    sign_in="Список источников и их добавление доступны после входа.",
    name="Название",
    url="Адрес",
    kind="Вид",
    pattern="Шаблон ссылок (для списка новостей)",
    last_run="Последний обход",
    items_seen="Материалов",
    failures="Ошибок",
    last_error="Последняя ошибка",
    never="ещё не обходился",
    none="Источников пока нет.",
    add="Добавить источник",
    added="Источник добавлен; новые материалы появятся после следующего обхода.",
    failed_items="Материалы с ошибками",
    attempts="Попыток",
    retry_after="Повтор после",
    unread="Не прочитаны (не на русском языке)",
    language="Язык",
    translation_of="Перевод документа",
)

SOURCE_KINDS = {"feed": "лента RSS/Atom", "sitemap": "карта сайта", "list": "список новостей"}

def size_text(n: int) -> str:
    """A byte count as the form's messages say it.

    >>> size_text(10 * 1024 * 1024), size_text(1536), size_text(1_500_000)
    ('10 МБ', '1,5 КБ', '1,4 МБ')
    """
    value, unit = (n / 1024 / 1024, "МБ") if n >= 1024 * 1024 else (n / 1024, "КБ")
    return f"{round(value, 1):g}".replace(".", ",") + f" {unit}"


# the comparison page (/compare) and the справка links on the territory page
COMPARE_UI = SimpleNamespace(
    title="Сравнение территорий",
    intro="Один показатель за один период по всем регионам (или по районам и городам одного региона), "
          "по убыванию. Регионы без цифры за этот период показаны как пробелы.",
    indicator="Показатель",
    period="Период",
    within="Территории",
    regions="Регионы страны",
    show="Показать",
    rank="Место",
    territory="Территория",
    value="Значение",
    source="Источник",
    kind="Вид периода",
    gaps="Нет цифры за этот период",
    gap="нет цифры",
    other_unit="есть цифра в другой единице",
    no_indicators="Сравнивать пока нечего: в базе нет рядов показателей.",
    no_rows="Ни у одной территории нет цифры за этот период.",
    compare_link="сравнить с регионами",
    brief="Справка",
    brief_hint="Справка по территории: ключевые показатели, поручения, проверки и источники",
    differ="сообщения расходятся",
)
