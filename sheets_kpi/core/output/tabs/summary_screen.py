"""The first screen of `Сводка` (issue 20), A1:L40: the team against plan at today's pace with
the previous month over the same days, «К выплате» (SPEC §14) beside it, who is ahead, and the
alerts wrapped to the screen's width.

Plan completion is coloured against the pace (days elapsed ÷ days in the month): on day 10 of
30, 40 % of the plan is on pace (green), not behind (red). The forecast is coloured against
100 %, as it speaks of the month's end.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from sheets_kpi.core.compute.pace import previous_through_day
from sheets_kpi.core.months import add_months, days_in_month
from sheets_kpi.core.output.cells import figure_cell, number_cell, text_cell
from sheets_kpi.core.output.labels import label, month_label, month_name
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.sheetplan import Cell, CellRef
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, TabInput, records
from sheets_kpi.core.output.tabs import summary_payout
from sheets_kpi.core.textfmt import percent_text

Row = tuple[Cell, ...]

BONUS_COLUMN = 10  # column J: «К выплате» (what each manager is paid), beside the team block
TOP_SHOWN = 3
ALERT_WRAP = 165  # characters per line: B–L at the widths of `summary.COLUMN_WIDTHS`

# Team rows: figure, its plan figure, its value in the previous month over the same days
TEAM_ROWS: tuple[tuple[str, str | None, str | None], ...] = (
    ("revenue", "plan_revenue", "previous_revenue"),
    ("new_clients", "plan_new_clients", "previous_new_clients"),
    ("payments", None, "previous_payments"),
    ("avg_check", None, "previous_avg_check"),
    ("margin", None, None),
    ("receivables", None, None),
    ("retention_4", None, None),
)
COMPLETION_COLUMN = 4
FORECAST_COLUMN = 6


def team_and_bonuses(builder: TabBuilder, result: Result) -> None:
    """The team block (A–H) and, beside it from column J, what each manager is paid this
    month (`summary_payout.owed_rows`)."""
    first = builder.next_row
    left = _team_rows(builder, result)
    right = summary_payout.owed_rows(builder, result)
    for index in range(max(len(left), len(right))):
        cells = list(left[index]) if index < len(left) else []
        if index < len(right):
            cells += [Cell(None)] * (BONUS_COLUMN - 1 - len(cells)) + list(right[index])
        builder.add(*cells)
    figures_first, figures_last = first + 2, first + 1 + len(TEAM_ROWS)
    builder.colour_plan(COMPLETION_COLUMN, figures_first, figures_last)
    builder.colour_plan(FORECAST_COLUMN, figures_first, figures_last, threshold=1.0)


def _team_rows(builder: TabBuilder, result: Result) -> list[Row]:
    """Title, header, then each team figure: fact, plan, completion, the completion on pace
    today, the forecast, the previous month over the same days and the change."""
    language, month = builder.language, result.month
    team = {str(r.get("month")): r for r in records(result.team)}.get(month, {})
    day, days = result.as_of.day, days_in_month(month)
    title = label(
        "pace_title",
        language,
        month=month_label(month, language),
        day=day,
        days=days,
        share=percent_text(builder.on_pace, language),
    )
    previous = add_months(month, -1)
    compared = label(
        "previous_same_days",
        language,
        month=month_name(previous, language),
        day=previous_through_day(result.as_of),
    )
    header = (
        *builder.header_cells(("figure", "actual", "plan", "completion", "on_pace")),
        *builder.header_cells(("forecast_pct",)),
        Cell(compared, style="header"),
        *builder.header_cells(("change",)),
    )
    rows: list[Row] = [(Cell(title, style="title"),), header]
    before = _previous_figures(result)
    for key, plan_key, previous_key in TEAM_ROWS:
        value = team.get(key)
        plan = team.get(plan_key) if plan_key else None
        completion = _completion(team, key, plan_key)
        earlier = before.get(previous_key) if previous_key else None
        rows.append(
            (
                Cell(label(key, language)),
                figure_cell(key, value),
                figure_cell(key, plan) if plan_key else Cell(None),
                number_cell(completion, "percent"),
                number_cell(builder.on_pace if completion is not None else None, "percent"),
                figure_cell("forecast_pct", team.get("forecast_pct") if key == "revenue" else None),
                figure_cell(key, earlier) if previous_key else Cell(None),
                number_cell(_change(value, earlier), "percent"),
            )
        )
    return rows


def _previous_figures(result: Result) -> dict[str, object]:
    """The previous month's figures over the same days, by row key; empty when not computed."""
    pace = result.pace
    if pace is None:
        return {}
    average = pace.previous_revenue / pace.previous_payments if pace.previous_payments else None
    return {
        "previous_revenue": pace.previous_revenue,
        "previous_new_clients": pace.previous_new_clients,
        "previous_payments": pace.previous_payments,
        "previous_avg_check": average,
    }


def _completion(team: Record, key: str, plan_key: str | None) -> float | None:
    """Plan completion of one team figure: revenue's is computed with the figures."""
    if key == "revenue":
        value = team.get("plan_pct")
        return None if is_absent(value) else float(value)
    if plan_key is None:
        return None
    value, plan = team.get(key), team.get(plan_key)
    if not is_absent(plan) and float(plan) > 0 and not is_absent(value):
        return float(value) / float(plan)
    return None


def _change(current: object, previous: object) -> float | None:
    if is_absent(current) or is_absent(previous):
        return None
    before = float(previous)
    if before == 0:
        return None
    return float(current) / before - 1


def top_managers(builder: TabBuilder, result: Result) -> None:
    """The first three of the leaderboard with revenue, plan completion and forecast."""
    forecast = {
        str(r.get("manager")): r.get("forecast_pct")
        for r in records(result.monthly)
        if str(r.get("month")) == result.month
    }
    top = [
        {**r, "forecast_pct": forecast.get(str(r.get("manager")))}
        for r in records(result.leaderboard)[:TOP_SHOWN]
    ]
    builder.title("top_title")
    builder.table(("manager", "revenue", "plan_pct", "forecast_pct"), top, "no_leaderboard")


def alerts(builder: TabBuilder, source: TabInput, last_row: int) -> list[Row]:
    """«Внимание», each alert wrapped to the screen's width, as far as `last_row`; returns the
    rows of the alerts that did not fit (listed under the charts), after a line saying so."""
    builder.title("attention")
    if not source.result.alerts:
        builder.note("no_alerts")
        return []
    blocks = alert_rows(source)
    shown = 0
    room = last_row - builder.next_row + 1
    while shown < len(blocks):
        needed = len(blocks[shown]) + (1 if shown + 1 < len(blocks) else 0)
        if needed > room:
            break
        for row in blocks[shown]:
            builder.add(*row)
        room -= len(blocks[shown])
        shown += 1
    rest = blocks[shown:]
    if rest:
        builder.note("alerts_more", count=len(rest))
    return [row for block in rest for row in block]


def alert_rows(source: TabInput) -> list[list[Row]]:
    """Each alert as rows: who in column A, the message wrapped in column B; the data-errors
    alert links to `Ошибки`."""
    language = source.language
    errors_link = CellRef(source.config.tab_title("errors"), 1, 1)
    blocks: list[list[Row]] = []
    for alert in source.result.alerts:
        who = alert.manager if alert.manager else label("team", language)
        link = errors_link if alert.kind == "data_errors" else None
        lines = textwrap.wrap(str(alert.message), ALERT_WRAP) or [""]
        block = [(text_cell(who), text_cell(lines[0], link=link))]
        block += [(Cell(None), text_cell(line)) for line in lines[1:]]
        blocks.append(block)
    return blocks


def more_alerts(builder: TabBuilder, rows: Sequence[Row]) -> None:
    """The alerts that did not fit on the first screen."""
    if not rows:
        return
    builder.title("alerts_more_title")
    for row in rows:
        builder.add(*row)
    builder.blank()
