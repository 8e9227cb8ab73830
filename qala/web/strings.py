"""Every Russian string the dashboard shows, in one place (templates read them as `t.KEY`)."""

from __future__ import annotations

from types import SimpleNamespace

UI = {
    "app_name": "Qala",
    "tagline": "Социально-экономическое развитие регионов по официальным сообщениям",
    "nav_territory": "Территория",
    "nav_documents": "Документы",
    "nav_persons": "Персоны",
    "nav_instructions": "Поручения",
    "nav_add": "Добавить",
    "nav_login": "Войти",
    "nav_logout": "Выйти",
    "signed_in_as": "Вы вошли как",
    "key_indicators": "Ключевые показатели",
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
    "facts_count": "фактов",
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
    "issuer": "Кто поручил",
    "addressee": "Кому",
    "deadline": "Срок",
    "history": "История",
    "set_status": "Изменить статус",
    "note": "Комментарий",
    "save": "Сохранить",
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
    "error_title": "Ошибка",
    "error_back": "Вернуться на главную",
    "status_changed": "Статус изменён.",
    "untitled": "Без заголовка",
    "territory_fallback": "территория не указана",
    "chart_hint": "Точка на графике ведёт к документу, где опубликована цифра.",
    "more": "ещё",
}

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
    500: "Внутренняя ошибка сервера",
    503: "База данных недоступна",
}

t = SimpleNamespace(**UI)
