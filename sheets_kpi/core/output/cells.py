"""Cells of the generated tabs: user text stays text, every figure gets its number format.

Every value a person typed (names, clients, offending values, messages) becomes a plain `str`
cell, never a `Formula`. Numbers stay numbers with a number format; absent figures are empty
cells. The one owner of how each figure (revenue, plan_pct, ...) is formatted on the tabs.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from sheets_kpi.core.output.report import (
    ACTIVITY_COLUMNS,
    COUNT_FIELDS,
    FUNNEL_COLUMNS,
    MONEY_FIELDS,
    MONTHLY_COLUMNS,
    PLAN_GAP_COLUMNS,
    is_absent,
)
from sheets_kpi.core.output.sheetplan import Cell, CellRef, NumberFormat, Style

# Number format of every figure the tabs show (absent: plain text). Sums show whole roubles;
# a bonus line (`Бонусы`) asks for kopecks with `BONUS_LINE_FORMAT`.
BONUS_LINE_FORMAT: NumberFormat = "money"
FORMATS: dict[str, NumberFormat] = {
    **dict.fromkeys(MONEY_FIELDS, "money_whole"),
    **dict.fromkeys(
        (
            "plan_pct",
            "growth_mom",
            "growth_yoy",
            "retention_4",
            "roi",
            "forecast_pct",
            "win_rate",
            "warm_to_hot",
        ),
        "percent",
    ),
    **dict.fromkeys(COUNT_FIELDS, "integer"),
    "place_change": "place_change",  # ↑2 / ↓1 / — by number format; empty when not ranked
    **dict.fromkeys(
        (
            "first_contact_hours_median",
            "first_contact_hours_mean",
            "touches_per_won",
            "cycle_days_mean",
            "communications_per_won",
            "deals_per_day",
            "leads_per_day",
        ),
        "decimal",
    ),
}

# The figures of each Result frame, without its month and manager columns.
MONTHLY_FIGURES = MONTHLY_COLUMNS[2:]
FUNNEL_FIGURES = FUNNEL_COLUMNS[2:]
ACTIVITY_FIGURES = ACTIVITY_COLUMNS[2:]
PLAN_GAP_FIGURES = PLAN_GAP_COLUMNS[1:]


def text_cell(value: object, style: Style | None = None, link: CellRef | None = None) -> Cell:
    """A plain text cell: user text stays text, even when it starts with `=`."""
    if type(value) is str:  # the usual case, without the absent-value checks
        return Cell(value, style=style, link=link)
    if is_absent(value):
        return Cell(None, style=style, link=link)
    return Cell(str(value), style=style, link=link)


def number_cell(value: object, fmt: NumberFormat | None, style: Style | None = None) -> Cell:
    """A number with its format; NaN / None / NA give an empty cell."""
    kind = type(value)
    if kind is float:  # the usual cases first, without the general absent-value check
        if math.isnan(value):
            return Cell(None, fmt=fmt, style=style)
    elif kind is not Decimal and kind is not int and is_absent(value):
        return Cell(None, fmt=fmt, style=style)
    if isinstance(value, str):
        return text_cell(value, style)
    if isinstance(value, bool | np.bool_):
        return Cell(bool(value), style=style)
    number: int | float
    if isinstance(value, int | np.integer):
        number = int(value)
    else:
        number = float(value)
        if not math.isfinite(number):
            return Cell(None, fmt=fmt, style=style)
        if fmt in ("money", "money_whole"):
            number = round(number, 2)
        if fmt == "integer" and number == int(number):
            number = int(number)
    return Cell(number, fmt=fmt, style=style)


def figure_cell(
    key: str, value: object, style: Style | None = None, fmt: NumberFormat | None = None
) -> Cell:
    """A cell for figure `key` (revenue, plan_pct, ...) with the format that figure has
    (or `fmt`, e.g. kopecks on a bonus line)."""
    fmt = fmt or FORMATS.get(key)
    if fmt is None:
        return text_cell(value, style)
    return number_cell(value, fmt, style)
