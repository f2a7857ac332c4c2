"""`Сводка` (SPEC §8, issue 20): a dashboard.

- First screen, A1:L40 (`summary_screen`): the run stamp, the team against plan at today's
  pace with the forecast and the previous month over the same days, «К выплате» beside it
  (`summary_payout`), who is ahead, the alerts wrapped to the screen's width.
- Charts within A–L, anchored from row 41 (`summary_charts`).
- From row 80, the details: the alerts that did not fit, the managers' table, «К выплате»
  part by part (SPEC §14) and the trial scheme's totals (§15, `summary_payout`), the pending
  two-step bonuses, the optional sections (`summary_sections`) and the charts' data.

Row 1 stays empty on a good run: a failed run writes its banner there (`tabs/banner.py`).
The «updated» cell (row 2, column 2) is the only cell that differs between identical runs.
"""

from __future__ import annotations

from sheets_kpi.core.compute.pace import expected_share
from sheets_kpi.core.output.cells import figure_cell, text_cell
from sheets_kpi.core.output.labels import STATUS, label, month_label
from sheets_kpi.core.output.sheetplan import Cell, TabWrite
from sheets_kpi.core.output.tabbuilder import TabBuilder, TabInput, records
from sheets_kpi.core.output.tabs import (
    summary_charts,
    summary_payout,
    summary_screen,
    summary_sections,
)

KEY = "summary"
STAMP_CELL = (2, 2)  # row, column of the run time
COLUMN_WIDTHS = (24, *([15] * 11))  # A–L: the first screen and the charts fit in them
HEADER_CHARS = 14  # headers longer than a column of 15 take their short form
FIRST_SCREEN_LAST_ROW = 40

MANAGER_FIGURES = (
    "revenue",
    "plan_revenue",
    "plan_pct",
    "forecast_pct",
    "new_clients",
    "avg_check",
    "margin",
    "bonus",
    "receivables",
)


def build(source: TabInput) -> TabWrite:
    """The whole `Сводка` tab of a good run."""
    result, language = source.result, source.language
    builder = TabBuilder(language, on_pace=expected_share(result.as_of), header_chars=HEADER_CHARS)
    _stamp(builder, source)
    builder.blank()
    summary_screen.team_and_bonuses(builder, result)
    builder.blank()
    summary_screen.top_managers(builder, result)
    builder.blank()
    more_alerts = summary_screen.alerts(builder, source, FIRST_SCREEN_LAST_ROW)
    builder.pad_to(summary_charts.DETAILS_ROW)
    summary_screen.more_alerts(builder, more_alerts)
    managers = [r for r in records(result.monthly) if str(r.get("month")) == result.month]
    builder.title("managers_title", month=month_label(result.month, language))
    builder.table(("manager", *MANAGER_FIGURES), managers, "no_sales")
    summary_payout.payout_block(builder, result)
    summary_payout.trial_block(builder, result)
    _pending_block(builder, source)
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


def _pending_block(builder: TabBuilder, source: TabInput) -> None:
    """The pending two-step bonuses: what each will earn and how far it has come."""
    language, result = builder.language, source.result
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
