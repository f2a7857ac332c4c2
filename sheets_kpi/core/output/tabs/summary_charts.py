"""The charts of `Сводка` and the small tables they read from, at the foot of the tab.

Each chart reads cells of its own table, so the chart and the figures it shows cannot drift
apart. Charts sit to the right of the Сводка tables, one under the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheets_kpi.core.output.cells import figure_cell
from sheets_kpi.core.output.labels import label, month_label
from sheets_kpi.core.output.report import Result
from sheets_kpi.core.output.sheetplan import Cell, CellRange, Chart, Series
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, is_team, records

CHART_COLUMN = 14  # column N
FIRST_CHART_ROW = 3
CHART_HEIGHT_ROWS = 20
FUNNEL_STAGES = ("leads", "won", "lost", "open")


def add_charts(builder: TabBuilder, result: Result, managers: Sequence[Record]) -> None:
    """Revenue by manager, the team's revenue against plan by month, and the funnel."""
    builder.title("chart_data")
    anchor = FIRST_CHART_ROW
    if _by_manager(builder, result.month, managers, anchor):
        anchor += CHART_HEIGHT_ROWS
    builder.blank()
    if _team_by_month(builder, result, anchor):
        anchor += CHART_HEIGHT_ROWS
    _funnel(builder, result, anchor)


def _by_manager(builder: TabBuilder, month: str, managers: Sequence[Record], anchor: int) -> bool:
    """This month's revenue per manager; True when there was any to chart."""
    language = builder.language
    first, last = builder.table(("manager", "revenue"), managers)
    if last < first:
        return False
    builder.charts.append(
        Chart(
            kind="column",
            title=label("chart_by_manager", language, month=month_label(month, language)),
            categories=CellRange(first, 1, last, 1),
            series=(Series(label("revenue", language), CellRange(first, 2, last, 2)),),
            anchor_row=anchor,
            anchor_column=CHART_COLUMN,
        )
    )
    return True


def _team_by_month(builder: TabBuilder, result: Result, anchor: int) -> bool:
    """The team's revenue per month with the plan drawn as a line; True when charted."""
    language = builder.language
    team = sorted(records(result.team), key=lambda r: str(r.get("month")))
    first, last = builder.table(("month", "revenue", "plan_revenue"), team)
    if last < first:
        return False
    builder.charts.append(
        Chart(
            kind="column",
            title=label("chart_team", language),
            categories=CellRange(first, 1, last, 1),
            series=(
                Series(label("revenue", language), CellRange(first, 2, last, 2)),
                Series(label("plan", language), CellRange(first, 3, last, 3)),
            ),
            anchor_row=anchor,
            anchor_column=CHART_COLUMN,
            line_series=(1,),
        )
    )
    return True


def _funnel(builder: TabBuilder, result: Result, anchor: int) -> None:
    """The team's funnel stages this month, when deals were read."""
    if result.funnel is None:
        return
    month, language = result.month, builder.language
    team_funnel = next(
        (r for r in records(result.funnel) if str(r.get("month")) == month and is_team(r)),
        None,
    )
    if team_funnel is None:
        return
    builder.blank()
    builder.header(("stage", "count"))
    first = builder.next_row
    for stage in FUNNEL_STAGES:
        builder.add(Cell(label(stage, language)), figure_cell("count", team_funnel.get(stage)))
    last = builder.next_row - 1
    builder.charts.append(
        Chart(
            kind="column",
            title=label("chart_funnel", language, month=month_label(month, language)),
            categories=CellRange(first, 1, last, 1),
            series=(Series(label("count", language), CellRange(first, 2, last, 2)),),
            anchor_row=anchor,
            anchor_column=CHART_COLUMN,
        )
    )
