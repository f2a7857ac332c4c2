"""Small input workbooks for the validation tests (test_validate_*.py): the input tabs' headers,
one row of each with every cell named, and `run` to validate a workbook given as title=rows."""

from __future__ import annotations

from datetime import date

from sheets_kpi.core.inputs.validate import validate
from sheets_kpi.core.model import Inputs, RawTab, RawWorkbook
from sheets_kpi.core.settings import Config

AS_OF = date(2026, 11, 22)
SALES = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено", "ID"]
ROSTER = ["Менеджер", "Схема", "Параметры", "Оклад", "Активен"]
PLAN = ["Месяц", "Менеджер", "План выручки", "План новых клиентов"]
DEALS = [
    "Дата заявки",
    "Менеджер",
    "Клиент",
    "Канал",
    "Первый контакт",
    "Касаний",
    "Температура",
    "Статус",
    "Дата закрытия",
    "Сумма сделки",
    "Причина отказа",
]
ACTIVITY = ["Дата", "Менеджер", "Звонки", "Встречи", "Презентации", "КП"]


def sale(
    day: object = "03.11.2026",
    manager: object = "Иванова Анна",
    client: object = "Ромашка",
    amount: object = 100000,
    margin: object = None,
    channel: object = None,
    kind: object = None,
    paid: object = None,
    row_id: object = None,
) -> list[object]:
    return [day, manager, client, amount, margin, channel, kind, paid, row_id]


def deal(
    lead: object = "01.11.2026",
    manager: object = "Иванова Анна",
    client: object = "Ромашка",
    channel: object = None,
    contact: object = None,
    touches: object = None,
    temperature: object = None,
    status: object = None,
    close: object = None,
    amount: object = None,
    reason: object = None,
) -> list[object]:
    return [
        lead,
        manager,
        client,
        channel,
        contact,
        touches,
        temperature,
        status,
        close,
        amount,
        reason,
    ]


def run(config: Config | None = None, as_of: date = AS_OF, **tabs: list[list[object]]) -> Inputs:
    """Validate a workbook whose tabs are given as title=rows (header row first)."""
    titles = {"sales": "Продажи", "roster": "Мотивация", "plan": "План", "deals": "Сделки"}
    titles |= {"activity": "Активность"}
    named = {titles.get(key, key): rows for key, rows in tabs.items()}
    raw = RawWorkbook(
        titles=tuple(named), tabs={title: RawTab(title, rows) for title, rows in named.items()}
    )
    return validate(raw, config or Config(), as_of)


def found(inputs: Inputs) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.tab, p.row, p.column, p.code) for p in inputs.problems]


def codes(inputs: Inputs) -> list[str]:
    return [p.code for p in inputs.problems]
