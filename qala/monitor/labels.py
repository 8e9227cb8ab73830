"""User-facing Russian strings of the monitoring part, in one place."""

from __future__ import annotations

COMMITMENT_STATUS = {
    "in_progress": "в работе",
    "done": "выполнено",
    "partial": "выполнено частично",
    "failed": "не выполнено",
    "no_data": "нет данных",
}

INSTRUCTION_STATUS = {
    "new": "новое",
    "in_progress": "в работе",
    "done": "исполнено",
    "overdue": "просрочено",
}

CHECK_KIND = {
    "contradiction": "противоречие",
    "change_mismatch": "темп не сходится с базой",
    "part_whole": "часть больше целого",
    "outlier": "выброс относительно истории",
    "official_mismatch": "расходится с официальной статистикой",
}

MESSAGES = {
    "contradiction": "Разные значения за один период: {value} и {other}; {gap}",
    "contradiction_change": "Разные темпы изменения за один период: {value} и {other}; {gap}",
    "gap": "разница {absolute}{share}",
    "gap_points": "разница {absolute} п.п.",
    "change_mismatch": "Темп {change} при значении {value} даёт базу около {expected}, а за {base} "
                       "сообщалось {other}",
    "change_mismatch_level": "Значения {value} и базы {other} ({base}) дают изменение {actual}, "
                             "а сообщается {change}",
    "part_whole": "Часть ({value}) больше целого ({other})",
    "outlier": "Значение {value} далеко от собственной истории (медиана {expected}, z = {score})",
    "official_mismatch": "Сообщается {value}, по официальной статистике {other} ({source}; данные на {vintage})",
}


def number(value: float | None) -> str:
    """A figure as a Russian reader writes it.

    >>> number(1052000000000.0)
    '1,052 трлн'
    >>> number(4.6)
    '4,6'
    """
    if value is None:
        return "—"
    for scale, word in ((1e12, "трлн"), (1e9, "млрд"), (1e6, "млн"), (1e3, "тыс.")):
        if abs(value) >= scale:
            return f"{value / scale:.4g}".replace(".", ",") + f" {word}"
    return f"{value:.4g}".replace(".", ",")
