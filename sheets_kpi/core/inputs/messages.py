"""The texts of validation problems (SPEC §3): one Russian and one English template per code."""

from __future__ import annotations

from sheets_kpi.core.inputs import schema

# Message templates per code: (Russian, English). Fields: {column}, {value}, {hint}, {tab},
# {other}, {cell}, {as_of}, {suggest}, {lead}, {names}.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_tab": (
        "Нет листа «{tab}». Создайте его (команда init) или укажите его название в настройках — "
        "без него посчитать продажи нельзя.",
        "There is no «{tab}» tab. Create it (the init command) or set its name in the config — "
        "sales cannot be computed without it.",
    ),
    "ambiguous_tab": (
        "Несколько листов похожи на «{tab}»: {names}. Переименуйте лишние, чтобы остался один.",
        "Several tabs look like «{tab}»: {names}. Rename the extra ones so that one is left.",
    ),
    "missing_column": (
        "На листе «{tab}» нет обязательного столбца «{column}». Добавьте его заголовок "
        "в первую строку.",
        "The «{tab}» tab has no required column «{column}». Add its header to row 1.",
    ),
    "missing_column_optional": (
        "На листе «{tab}» нет обязательного столбца «{column}». Добавьте его заголовок "
        "в первую строку; пока его нет, лист «{tab}» не учитывается.",
        "The «{tab}» tab has no required column «{column}». Add its header to row 1; "
        "until then the «{tab}» tab is ignored.",
    ),
    "duplicate_column": (
        "Столбец «{column}» на листе «{tab}» встречается дважды ({other}). Бот читает первый; "
        "удалите или переименуйте второй.",
        "Column «{column}» appears twice on the «{tab}» tab ({other}). The first one is read; "
        "delete or rename the second.",
    ),
    "bad_date": ("{column}: {hint}", "{column}: {hint}"),
    "future_date": (
        "{column}: дата {value} ещё не наступила (дата расчёта — {as_of}). Проверьте год и месяц.",
        "{column}: {value} is after the run date {as_of}. Check the year and the month.",
    ),
    "too_old_date": (
        "{column}: дата {value} раньше 2000 года. Проверьте год — похоже на опечатку.",
        "{column}: {value} is before the year 2000. Check the year — it looks like a typo.",
    ),
    "missing_manager": (
        "Не указан менеджер. Впишите имя менеджера в столбец «{column}».",
        "The manager is empty. Write the manager's name in the «{column}» column.",
    ),
    "unknown_manager": (
        "Менеджера «{value}» нет на листе «{tab}».{suggest} Исправьте имя или добавьте "
        "менеджера на лист «{tab}».",
        "Manager «{value}» is not on the «{tab}» tab.{suggest} Fix the name or add the manager "
        "to the «{tab}» tab.",
    ),
    "missing_client": (
        "Не указан клиент. Впишите название клиента в столбец «{column}».",
        "The client is empty. Write the client's name in the «{column}» column.",
    ),
    "bad_amount": ("{column}: {hint}", "{column}: {hint}"),
    "nonpositive_amount": (
        "{column}: сумма должна быть больше нуля, не меньше копейки (0,01). Исправьте сумму; "
        "ошибочную строку удалите.",
        "{column}: the amount must be above zero, at least a kopeck (0.01). Fix it or delete "
        "the row.",
    ),
    "duplicate_id": (
        "ID «{value}» уже есть в строке {other}; учтена та строка. Дайте этой строке другой ID "
        "или удалите повтор.",
        "ID «{value}» is already used in row {other}, which is kept. Give this row another ID "
        "or delete the repeat.",
    ),
    "duplicate_id_of_rejected": (
        "ID «{value}» уже есть в строке {other}, но та строка тоже с ошибкой, так что не учтена "
        "ни одна из двух. Исправьте строку {other} и дайте этой строке другой ID "
        "или удалите повтор.",
        "ID «{value}» is already used in row {other}, which has an error too, so neither row "
        "counts. Fix row {other} and give this row another ID or delete the repeat.",
    ),
    "bad_margin": (
        "{column}: {hint} Пока не исправлено, строка считается без маржи.",
        "{column}: {hint} Until fixed, the row counts without a margin.",
    ),
    "margin_exceeds_amount": (
        "Маржа {value} больше суммы платежа {other}. Проверьте, не перепутаны ли столбцы.",
        "The margin {value} is larger than the payment {other}. Check the columns.",
    ),
    "bad_value": (
        "{column}: «{value}» — не из списка. {hint} Пока не исправлено, ячейка считается пустой.",
        "{column}: «{value}» is not in the list. {hint} Until fixed, the cell counts as empty.",
    ),
    "close_date_on_open": (
        "{column}: сделка в работе, но указана дата закрытия. Укажите статус «выиграна» или "
        "«проиграна» либо сотрите дату; пока дата не учитывается.",
        "{column}: the deal is open but has a close date. Set the status to won or lost, or "
        "clear the date; until then the date is ignored.",
    ),
    "possible_duplicate": (
        "Похоже на повтор строки {other}: та же дата, менеджер, клиент и сумма. Если это два "
        "разных платежа, укажите у обоих ID; если повтор — удалите строку.",
        "Looks like a repeat of row {other}: same date, manager, client and amount. If these are "
        "two payments, give both an ID; if it is a repeat, delete the row.",
    ),
    "bad_setting": ("Ячейка {cell}: {hint}", "Cell {cell}: {hint}"),
    "close_before_lead": (
        "{column}: дата закрытия {value} раньше даты заявки {lead}. Проверьте обе даты.",
        "{column}: the close date {value} is before the lead date {lead}. Check both dates.",
    ),
    "missing_close_date": (
        "Сделка закрыта («{other}»), но не указана дата закрытия. Впишите её в столбец «{column}».",
        "The deal is closed («{other}») but has no close date. Write it in the «{column}» column.",
    ),
    "missing_loss_reason": (
        "Сделка проиграна, но не указана причина отказа. Впишите её в столбец «{column}» — так "
        "видно, что мешает продажам.",
        "The deal is lost but has no loss reason. Write it in the «{column}» column.",
    ),
    "contact_before_lead": (
        "{column}: первый контакт {value} раньше даты заявки {lead}. Проверьте обе даты.",
        "{column}: the first contact {value} is before the lead date {lead}. Check both dates.",
    ),
    "bad_count": ("{column}: {hint}", "{column}: {hint}"),
}


def message_text(code: str, language: schema.Language, **fields: object) -> str:
    """The text of problem `code` in `language`; fields left out read as empty."""
    template = schema.in_language(MESSAGES[code], language)
    return template.format_map(_Fields({k: ("" if v is None else v) for k, v in fields.items()}))


def lower_first(text: str) -> str:
    """«Дата: такой даты нет…» reads better than «Дата: Такой даты нет…»."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return ""
