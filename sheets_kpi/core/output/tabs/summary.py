"""`Сводка` (SPEC §8): the run stamp, the team's month, managers, warnings, forecast, the
optional sections (plan gap, funnel, loss reasons, activity) and the chart data.

Row 1 stays empty on a good run: a failed run writes its banner there (`tabs/banner.py`).
The «updated» cell (row 2, column 2) is the only cell that differs between identical runs.
"""

from __future__ import annotations

from sheets_kpi.core.months import add_months
from sheets_kpi.core.output.cells import figure_cell, number_cell, text_cell
from sheets_kpi.core.output.labels import STATUS, label, month_label
from sheets_kpi.core.output.report import is_absent
from sheets_kpi.core.output.sheetplan import Cell, CellRef, TabWrite
from sheets_kpi.core.output.tabbuilder import Record, TabBuilder, TabInput, records
from sheets_kpi.core.output.tabs import summary_charts, summary_sections

KEY = "summary"
STAMP_CELL = (2, 2)  # row, column of the run time

MANAGER_FIGURES = (
    "revenue",
    "plan_revenue",
    "plan_pct",
    "forecast_pct",
    "new_clients",
    "avg_check",
    "margin",
    "growth_mom",
    "bonus",
    "receivables",
)
# Team block: figure, its plan figure (or None), whether a change vs last month fits
TEAM_FIGURES: tuple[tuple[str, str | None, bool], ...] = (
    ("revenue", "plan_revenue", True),
    ("new_clients", "plan_new_clients", True),
    ("new_revenue", None, True),
    ("repeat_revenue", None, True),
    ("margin", None, True),
    ("payments", None, True),
    ("avg_check", None, True),
    ("bonus", None, True),
    ("receivables", None, True),
    ("retention_4", None, False),
    ("forecast_pct", None, False),
)
COLUMN_WIDTHS = (34, *([16] * 12))


def build(source: TabInput) -> TabWrite:
    """The whole `Сводка` tab of a good run."""
    result, language = source.result, source.language
    builder = TabBuilder(language)
    _stamp(builder, source)
    builder.blank()
    team_by_month = {str(r.get("month")): r for r in records(result.team)}
    current = team_by_month.get(result.month, {})
    previous = team_by_month.get(add_months(result.month, -1), {})
    _team_block(builder, current, previous, result.month)
    builder.blank()
    managers = [r for r in records(result.monthly) if str(r.get("month")) == result.month]
    builder.title("managers_title", month=month_label(result.month, language))
    builder.table(("manager", *MANAGER_FIGURES), managers, "no_sales")
    builder.blank()
    _alerts_block(builder, source)
    builder.blank()
    _forecast_block(builder, source, current)
    for section in summary_sections.SECTIONS:
        section(builder, result)
    builder.blank()
    summary_charts.add_charts(builder, result, managers)
    return builder.build(
        KEY,
        source.config.tab_title(KEY),
        column_widths=COLUMN_WIDTHS,
        timestamp_cells=(STAMP_CELL,),
    )


def _stamp(builder: TabBuilder, source: TabInput) -> None:
    """Row 1 for a failed run's banner, then when and as of what date, then the worker's
    status lines (next run, last failure, the lease)."""
    language = source.language
    builder.add(Cell(None))
    builder.add(
        Cell(label("updated", language), style="header"), Cell(source.run_at, fmt="datetime")
    )
    builder.add(
        Cell(label("as_of", language), style="header"), Cell(source.result.as_of, fmt="date")
    )
    for name, value in source.status.items():
        shown = label(name, language) if name in STATUS else name  # worker keys → words
        builder.add(text_cell(shown, style="header"), text_cell(value))


def _change(current: object, previous: object) -> float | None:
    if is_absent(current) or is_absent(previous):
        return None
    before = float(previous)
    if before == 0:
        return None
    return float(current) / before - 1


def _completion(current: Record, key: str, plan_key: str | None) -> object:
    """Plan completion of one team figure: revenue's is computed with the figures."""
    if key == "revenue":
        return current.get("plan_pct")
    if plan_key is None:
        return None
    value, plan = current.get(key), current.get(plan_key)
    if not is_absent(plan) and float(plan) > 0 and not is_absent(value):
        return float(value) / float(plan)
    return None


def _team_block(builder: TabBuilder, current: Record, previous: Record, month: str) -> None:
    """The team's figures this month against plan and against last month."""
    language = builder.language
    previous_month = add_months(month, -1)
    builder.title("team_title", month=month_label(month, language))
    builder.add(
        Cell(label("figure", language), style="header"),
        Cell(month_label(month, language), style="header"),
        Cell(label("plan", language), style="header"),
        Cell(label("completion", language), style="header"),
        Cell(month_label(previous_month, language), style="header"),
        Cell(label("change", language), style="header"),
    )
    first = builder.next_row
    for key, plan_key, comparable in TEAM_FIGURES:
        value = current.get(key)
        before = previous.get(key) if comparable else None
        builder.add(
            Cell(label(key, language)),
            figure_cell(key, value),
            figure_cell(key, current.get(plan_key)) if plan_key else Cell(None),
            number_cell(_completion(current, key, plan_key), "percent"),
            figure_cell(key, before) if comparable else Cell(None),
            number_cell(_change(value, before) if comparable else None, "percent"),
        )
    builder.colour_plan(4, first, builder.next_row - 1)


def _alerts_block(builder: TabBuilder, source: TabInput) -> None:
    """«Внимание»: one line per alert; the data-errors alert links to `Ошибки`."""
    language = builder.language
    builder.title("attention")
    if not source.result.alerts:
        builder.note("no_alerts")
        return
    errors_link = CellRef(source.config.tab_title("errors"), 1, 1)
    for alert in source.result.alerts:
        who = alert.manager if alert.manager else label("team", language)
        link = errors_link if alert.kind == "data_errors" else None
        builder.add(text_cell(who), text_cell(alert.message, link=link))


def _forecast_block(builder: TabBuilder, source: TabInput, current: Record) -> None:
    """The team's forecast for the month, then the pending two-step bonuses."""
    language, result = builder.language, source.result
    builder.title("forecast_title", month=month_label(result.month, language))
    builder.add(
        Cell(label("team_forecast", language)),
        figure_cell("forecast_pct", current.get("forecast_pct")),
    )
    builder.blank()
    builder.title("pending_title")
    builder.header(("manager", "client", "amount", "paid_months", "months_needed", "risk"))
    if not result.pending_bonuses:
        builder.note("no_pending")
    for pending in result.pending_bonuses:
        builder.add(
            text_cell(pending.manager),
            text_cell(pending.client),
            figure_cell("amount", pending.amount),
            figure_cell("paid_months", pending.paid_months),
            figure_cell("months_needed", pending.months_needed),
            text_cell(label("at_risk", language) if pending.at_risk else None),
        )
