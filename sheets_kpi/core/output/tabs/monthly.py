"""`Помесячно` (SPEC §8): every month's figures per manager and for the team, newest first,
with the funnel and activity figures alongside when those tabs were read."""

from __future__ import annotations

from collections.abc import Sequence

from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.output.cells import (
    ACTIVITY_FIGURES,
    FUNNEL_FIGURES,
    MONTHLY_FIGURES,
    figure_cell,
)
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, TabInput, records, team_named

KEY = "monthly"

Row = dict[str, object]
RowKey = tuple[str, str | None]  # month, manager key (None: the team)


def build(source: TabInput) -> TabWrite:
    """One row per (month, manager) with any figure, the team's row last in each month."""
    language = source.language
    builder = TabBuilder(language)
    keys, rows = history_rows(source.result)
    builder.header(keys)
    first = builder.next_row
    for row in rows:
        team = bool(row["_team"])
        shown = team_named(row, language) if team else row
        style = "subtotal" if team else None
        builder.add(*(figure_cell(key, shown.get(key), style) for key in keys))
    last = builder.next_row - 1
    if last < first:
        builder.note("no_history")
    builder.colour_plan(keys.index("plan_pct") + 1, first, last)
    widths = (10, 24, *([16] * (len(keys) - 2)))
    return builder.build(KEY, source.config.tab_title(KEY), frozen_rows=1, column_widths=widths)


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
