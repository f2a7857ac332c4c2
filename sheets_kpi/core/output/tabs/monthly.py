"""`Помесячно` (SPEC §8): every month's figures per manager and for the team, newest first,
with the funnel and activity figures alongside when those tabs were read.

Two frozen header rows: the group of each column (sales and plan, the funnel, activity) above
the column headers; every column is as wide as its header. The current month's plan completion
is coloured against the pace of the month, earlier months' against 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheets_kpi.core.compute.pace import expected_share
from sheets_kpi.core.inputs.schema import Language, norm
from sheets_kpi.core.output.cells import (
    ACTIVITY_FIGURES,
    FUNNEL_FIGURES,
    MONTHLY_FIGURES,
    figure_cell,
)
from sheets_kpi.core.output.labels import label
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.sheetplan import Cell, TabWrite
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, TabInput, records, team_named

KEY = "monthly"
HEADER_CHARS = 20  # longer headers take their short form
GROUPS = (  # the first column of each group → its words
    ("revenue", "group_sales"),
    (FUNNEL_FIGURES[0], "group_funnel"),
    (ACTIVITY_FIGURES[0], "group_activity"),
)

Row = dict[str, object]
RowKey = tuple[str, str | None]  # month, manager key (None: the team)


def build(source: TabInput) -> TabWrite:
    """One row per (month, manager) with any figure, the team's row last in each month."""
    language, result = source.language, source.result
    builder = TabBuilder(language, header_chars=HEADER_CHARS)
    keys, rows = history_rows(result)
    builder.add(*_group_cells(keys, language))
    headers = builder.header_cells(keys)
    builder.add(*headers)
    first = builder.next_row
    for row in rows:
        team = bool(row["_team"])
        shown = team_named(row, language) if team else row
        style = "subtotal" if team else None
        builder.add(*(figure_cell(key, shown.get(key), style) for key in keys))
    last = builder.next_row - 1
    if last < first:
        builder.note("no_history")
    # newest first: the current month's rows, if any, are the first ones
    current = sum(1 for row in rows if str(row.get("month")) == result.month)
    plan_column = keys.index("plan_pct") + 1
    builder.colour_plan(plan_column, first, first + current - 1, expected_share(result.as_of))
    builder.colour_plan(plan_column, first + current, last, threshold=1.0)
    widths = (10, 24, *(max(len(str(cell.value)) + 2, 12) for cell in headers[2:]))
    return builder.build(KEY, source.config.tab_title(KEY), frozen_rows=2, column_widths=widths)


def _group_cells(keys: list[str], language: Language) -> list[Cell]:
    """The row above the headers: each group's words over its first column (bold, not
    wrapped, so they run over the empty cells to the right)."""
    group_of = dict(GROUPS)
    return [
        Cell(label(group_of[key], language), style="subtotal") if key in group_of else Cell(None)
        for key in keys
    ]


def history_rows(result: Result) -> tuple[list[str], list[Row]]:
    """Column keys and one record per (month, manager) with any figure, team last per month;
    `_team` marks the team's rows."""
    keys = ["month", "manager", *MONTHLY_FIGURES]
    merged: dict[RowKey, Row] = {}
    for record in records(result.monthly):
        _merge(merged, record, MONTHLY_FIGURES, _manager_key(record))
    for record in records(result.team):
        _merge(merged, record, MONTHLY_FIGURES, None)
    for frame, figures in ((result.funnel, FUNNEL_FIGURES), (result.activity, ACTIVITY_FIGURES)):
        if frame is None:
            continue
        keys += [key for key in figures if key not in keys]
        for record in records(frame):
            _merge(merged, record, figures, _manager_key(record))

    def order(item: tuple[RowKey, Row]) -> tuple[bool, str]:
        (_, manager_key), row = item
        return (manager_key is None, norm(str(row.get("manager") or manager_key or "")))

    by_manager = sorted(merged.items(), key=order)
    by_manager.sort(key=lambda item: item[0][0], reverse=True)  # stable: newest month first
    return keys, [{**row, "_team": manager_key is None} for (_, manager_key), row in by_manager]


def _manager_key(record: Record) -> str | None:
    key = record.get("manager_key")
    return None if is_absent(key) else str(key)


def _merge(
    merged: dict[RowKey, Row], record: Record, figures: Sequence[str], manager_key: str | None
) -> None:
    """Adds `record`'s figures to the row of its month and manager."""
    month = str(record.get("month"))
    row = merged.setdefault((month, manager_key), {"month": month})
    if manager_key is not None and is_absent(row.get("manager")):
        row["manager"] = record.get("manager")
    for figure in figures:
        if figure in record:
            row[figure] = record[figure]
