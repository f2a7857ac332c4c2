"""The charts of `Сводка` and the small tables they read from, at the foot of the tab.

Each chart reads cells of its own table, so the chart and the figures it shows cannot drift
apart. The charts sit within columns A–L right under the first screen: revenue by manager at
A41, the team's revenue against plan at G41, this month's leads and their outcome at A60; the
rows they cover stay empty, the details start at `DETAILS_ROW`. Money in the tables is in whole
roubles, so the charts' axes show no kopecks.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheets_kpi.core.output.cells import figure_cell
from sheets_kpi.core.output.labels import label, month_label
from sheets_kpi.core.output.report import Result
from sheets_kpi.core.output.sheetplan import Cell, CellRange, Chart, Series
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, records

Anchor = tuple[int, int]  # row, column of a chart's top-left cell
BY_MANAGER_ANCHOR: Anchor = (41, 1)  # A41
TEAM_ANCHOR: Anchor = (41, 7)  # G41: A–F are wider than a chart
FUNNEL_ANCHOR: Anchor = (60, 1)  # A60: under the first one (a chart is ~18 rows high)
DETAILS_ROW = 80  # the first row under the charts
OUTCOMES = ("outcome_leads", "outcome_won", "outcome_lost", "outcome_open")


def add_charts(builder: TabBuilder, result: Result, managers: Sequence[Record]) -> None:
    """Revenue by manager, the team's revenue against plan by month, and what became of this
    month's leads."""
    builder.title("chart_data")
    _by_manager(builder, result.month, managers, BY_MANAGER_ANCHOR)
    builder.blank()
    _team_by_month(builder, result, TEAM_ANCHOR)
    _lead_outcomes(builder, result, FUNNEL_ANCHOR)


def _by_manager(
    builder: TabBuilder, month: str, managers: Sequence[Record], anchor: Anchor
) -> bool:
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
            anchor_row=anchor[0],
            anchor_column=anchor[1],
        )
    )
    return True


def _team_by_month(builder: TabBuilder, result: Result, anchor: Anchor) -> bool:
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
            anchor_row=anchor[0],
            anchor_column=anchor[1],
            line_series=(1,),
        )
    )
    return True


def _lead_outcomes(builder: TabBuilder, result: Result, anchor: Anchor) -> None:
    """The month's leads and how many of them are won, lost and still open, when deals were
    read: the parts add up to the leads."""
    outcomes = result.lead_outcomes
    if outcomes is None:
        return
    month, language = result.month, builder.language
    builder.blank()
    builder.header(("stage", "count"))
    first = builder.next_row
    counts = (outcomes.leads, outcomes.won, outcomes.lost, outcomes.open)
    for stage, count in zip(OUTCOMES, counts, strict=True):
        builder.add(Cell(label(stage, language)), figure_cell("count", count))
    last = builder.next_row - 1
    builder.charts.append(
        Chart(
            kind="column",
            title=label("chart_funnel", language, month=month_label(month, language)),
            categories=CellRange(first, 1, last, 1),
            series=(Series(label("count", language), CellRange(first, 2, last, 2)),),
            anchor_row=anchor[0],
            anchor_column=anchor[1],
        )
    )
