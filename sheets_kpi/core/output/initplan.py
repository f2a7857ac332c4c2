"""What `sheets-kpi init` puts into each input tab: headers, formats, drop-downs, an example row.

The example rows show the format of every column and are not data: their manager is marked
(«Пример: Анна Смирнова», `example_rules.example_name`), so validation reports each as
`example_row` («удалите строку») and leaves it out of every figure.

Pure: the plans are data (`InputTabInit`), the backends create the tabs. Headers come from
`core/schema.py` in the configured language, drop-down values from `schema.LIST_LABELS`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sheets_kpi.core.inputs.example_rules import example_name
from sheets_kpi.core.inputs.schema import INPUT_TABS, LIST_LABELS, InputTab, Language
from sheets_kpi.core.months import month_of
from sheets_kpi.core.output.labels import pick
from sheets_kpi.core.output.sheetplan import CellValue, InputTabInit, NumberFormat
from sheets_kpi.core.settings import Config

# Number format of the data cells of each column, by (tab key, column key).
COLUMN_FORMATS: dict[tuple[str, str], NumberFormat] = {
    ("sales", "date"): "date",
    ("sales", "amount"): "money",
    ("sales", "margin"): "money",
    ("deals", "lead_date"): "date",
    ("deals", "first_contact"): "datetime",
    ("deals", "touches"): "integer",
    ("deals", "close_date"): "date",
    ("deals", "deal_amount"): "money",
    ("activity", "date"): "date",
    ("activity", "calls"): "integer",
    ("activity", "meetings"): "integer",
    ("activity", "presentations"): "integer",
    ("activity", "proposals"): "integer",
    ("plan", "plan_revenue"): "money",
    ("plan", "plan_new_clients"): "integer",
    ("roster", "salary"): "money",
    ("roster", "until"): "date",  # SPEC §15; `Действует с` is a month, written 2026-11
    ("adjustments", "month"): "month",
    ("adjustments", "amount"): "money",
}

# The columns that want a number other than 0, and the note a person gets otherwise, (ru, en).
NONZERO_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("adjustments", "amount"): (
        "Сумма не 0: премия — плюс (5 000), штраф — минус (-5 000).",
        "An amount other than 0: a bonus plus (5,000), a penalty minus (-5,000).",
    ),
}

# Column key -> the `LIST_LABELS` list its drop-down offers (the same key in every tab).
COLUMN_LISTS: dict[str, str] = {
    "channel": "channel",
    "type": "type",
    "paid": "paid",
    "scheme": "scheme",
    "trial": "scheme",  # SPEC §15: a trial scheme is one of the schemes
    "active": "active",
    "temperature": "temperature",
    "status": "status",
}

# Width in characters wide enough for typical content; never narrower than the header.
_CONTENT_WIDTHS: dict[str, int] = {
    "date": 12,
    "lead_date": 12,
    "close_date": 12,
    "first_contact": 17,
    "manager": 22,
    "client": 30,
    "amount": 14,
    "margin": 14,
    "deal_amount": 14,
    "plan_revenue": 14,
    "salary": 12,
    "channel": 12,
    "type": 12,
    "paid": 10,
    "active": 9,
    "temperature": 12,
    "status": 12,
    "scheme": 12,
    "params": 32,
    "effective": 12,
    "until": 12,
    "trial": 14,
    "trial_params": 32,
    "loss_reason": 28,
    "id": 8,
    "month": 12,
    "reason": 36,
}

# The made-up names of the example rows, (ru, en); the manager is written marked (`example_name`).
EXAMPLE_NAMES: dict[str, tuple[str, str]] = {
    "manager": ("Анна Смирнова", "Anna Smirnova"),
    "client": ("ООО Ромашка", "Romashka LLC"),
}

# The reason of the example adjustment: a penalty, so the example shows a negative amount.
EXAMPLE_REASON = ("Штраф: отчёт сдан позже срока", "Penalty: the report came in late")

# The date the example rows fall on when `input_tab_inits` is given no `as_of`: in the past of
# any run, so the example row never trips `future_date`.
DEFAULT_EXAMPLE_DATE = date(2026, 1, 20)


def list_values(list_key: str, language: Language) -> tuple[str, ...]:
    """Display values of a drop-down list (`"channel"`, `"status"`, ...) in `language`."""
    return tuple(pick(words, language) for words in LIST_LABELS[list_key].values())


def list_label(list_key: str, value: str, language: Language) -> str:
    """Display form of one canonical list value (`list_label("paid", "yes", "ru")` = `"да"`)."""
    return pick(LIST_LABELS[list_key][value], language)


def column_width(column_key: str, header: str) -> int:
    """Column width in characters: typical content or the header, whichever is wider."""
    return max(_CONTENT_WIDTHS.get(column_key, 10), len(header) + 2)


def example_rows(language: Language, as_of: date | None = None) -> dict[str, dict[str, CellValue]]:
    """One example row per input tab (tab key -> column key -> value), each valid but for its
    marked manager, the same on every tab: the examples are set aside together."""
    day = as_of or DEFAULT_EXAMPLE_DATE
    lead_day = day - timedelta(days=9)
    manager = example_name(pick(EXAMPLE_NAMES["manager"], language), language)
    client = pick(EXAMPLE_NAMES["client"], language)
    return {
        "sales": {
            "date": day,
            "manager": manager,
            "client": client,
            "amount": 120000,
            "margin": 60000,
            "channel": list_label("channel", "inbound", language),
            "type": list_label("type", "new", language),
            "paid": list_label("paid", "yes", language),
            "id": 1,
        },
        "deals": {
            "lead_date": lead_day,
            "manager": manager,
            "client": client,
            "channel": list_label("channel", "inbound", language),
            "first_contact": datetime.combine(lead_day, time(11, 30)),
            "touches": 4,
            "temperature": list_label("temperature", "hot", language),
            "status": list_label("status", "won", language),
            "close_date": day,
            "deal_amount": 120000,
            "loss_reason": None,
        },
        "activity": {
            "date": day,
            "manager": manager,
            "calls": 14,
            "meetings": 2,
            "presentations": 1,
            "proposals": 1,
        },
        "plan": {
            "month": month_of(day),
            "manager": manager,
            "plan_revenue": 300000,
            "plan_new_clients": 2,
        },
        "roster": {
            "manager": manager,
            "scheme": list_label("scheme", "two_step", language),
            "params": "15%; 15%; 4",
            "salary": 60000,
            "active": list_label("active", "yes", language),
        },
        # a month cell holds a date inside the month: the column's format shows it as 01.2026
        "adjustments": {
            "month": day.replace(day=1),
            "manager": manager,
            "amount": -5000,
            "reason": pick(EXAMPLE_REASON, language),
            "client": client,
            "id": None,
        },
    }


def tab_init(
    tab: InputTab, title: str, language: Language, example: dict[str, CellValue]
) -> InputTabInit:
    """The init plan of one input tab."""
    headers = tuple(column.label(language) for column in tab.columns)
    formats = tuple(COLUMN_FORMATS.get((tab.key, column.key)) for column in tab.columns)
    dropdowns = {
        index: list_values(COLUMN_LISTS[column.key], language)
        for index, column in enumerate(tab.columns, start=1)
        if column.key in COLUMN_LISTS
    }
    widths = tuple(
        column_width(column.key, header)
        for column, header in zip(tab.columns, headers, strict=True)
    )
    nonzero = {
        index: pick(NONZERO_COLUMNS[(tab.key, column.key)], language)
        for index, column in enumerate(tab.columns, start=1)
        if (tab.key, column.key) in NONZERO_COLUMNS
    }
    return InputTabInit(
        key=tab.key,
        title=title,
        headers=headers,
        formats=formats,
        dropdowns=dropdowns,
        example=tuple(example.get(column.key) for column in tab.columns),
        column_widths=widths,
        nonzero=nonzero,
    )


def input_tab_inits(config: Config, as_of: date | None = None) -> list[InputTabInit]:
    """Init plans of the input tabs, in the order Продажи, Сделки, Активность, План, Мотивация,
    Корректировки.

    Example rows are dated `as_of` when given (the CLI passes the run's date), else
    `DEFAULT_EXAMPLE_DATE`, so that on any later run they raise nothing but `example_row`.
    """
    examples = example_rows(config.language, as_of)
    return [
        tab_init(tab, config.tab_title(tab.key), config.language, examples[tab.key])
        for tab in INPUT_TABS
    ]
