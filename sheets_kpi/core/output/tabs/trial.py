"""`Пробная схема` [Trial scheme] (SPEC §15): what a manager's trial scheme would have paid,
month by month, against what the scheme in force paid (scheme items only), with the totals
over the last 3 and 12 complete months (the months before the current one). Never paid.

Written only while some manager has a trial scheme (`Result.trial` is not None). When the
trial is removed and the tab is still in the workbook, it is rewritten with one line saying
so, so no stale comparison stays behind; a workbook that never had a trial gets no such tab.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from sheets_kpi.core.inputs.schema import Language, norm
from sheets_kpi.core.months import add_months
from sheets_kpi.core.output.cells import figure_cell, text_cell
from sheets_kpi.core.output.labels import label, month_label
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.sheetplan import Cell, Style, TabWrite
from sheets_kpi.core.output.tabbuilder import TabBuilder, TabInput, records

KEY = "trial"
WINDOWS = (3, 12)  # complete months the totals are taken over
TOTAL_KEYS = ("paid_3", "trial_3", "difference_3", "paid_12", "trial_12", "difference_12")
MONTH_KEYS = ("month", "manager", "paid", "trial", "trial_difference")

Figures = dict[str, Decimal]


def build(source: TabInput) -> TabWrite | None:
    """The trial tab; None (nothing written) when there is no trial and never was a tab."""
    result, config = source.result, source.config
    title = config.tab_title(KEY)
    if result.trial is None and title not in source.titles:
        return None
    builder = TabBuilder(source.language)
    builder.title("trial_tab_title")
    builder.add(
        Cell(label("as_of", source.language), style="header"), Cell(result.as_of, fmt="date")
    )
    if result.trial is None:
        builder.note("trial_removed", style="note", roster=config.tab_title("roster"))
        return builder.build(KEY, title)
    builder.note("trial_never_paid", style="note")
    builder.blank()
    totals_table(builder, result)
    builder.blank()
    builder.title("trial_months_title")
    builder.header(MONTH_KEYS)
    for record in _month_rows(result.trial):
        paid, trial = _money(record.get("paid")), _money(record.get("trial"))
        builder.add(
            text_cell(record.get("month")),
            text_cell(record.get("manager")),
            figure_cell("paid", record.get("paid")),
            figure_cell("trial", record.get("trial")),
            figure_cell("trial", trial - paid),
        )
    return builder.build(KEY, title, frozen_rows=0)


def totals_table(builder: TabBuilder, result: Result) -> None:
    """Which months the totals cover, then per manager with a trial scheme the scheme paid,
    the trial and the difference over the last 3 and 12 complete months, and their total
    (also on `Сводка`)."""
    language, month = builder.language, result.month
    spans = {
        f"last_{count}": _span(add_months(month, -count), add_months(month, -1), language)
        for count in WINDOWS
    }
    builder.note("trial_windows", **spans)
    builder.header(("manager", *TOTAL_KEYS))
    lines = totals(result)
    for manager, figures in lines:
        builder.add(text_cell(manager), *_total_cells(figures))
    # «Итого», not «Команда»: only the managers with a trial scheme are summed
    total = {key: sum((figures[key] for _, figures in lines), Decimal(0)) for key in TOTAL_KEYS}
    builder.add(
        text_cell(label("total", language), style="subtotal"), *_total_cells(total, "subtotal")
    )


def totals(result: Result) -> list[tuple[str, Figures]]:
    """Per manager with a trial scheme (by name): paid, trial and trial − paid summed over the
    last 3 and the last 12 complete months; a month without a row counts 0."""
    month = result.month
    by_manager: dict[str, tuple[str, Figures]] = {}
    for record in records(result.trial):
        _, figures = by_manager.setdefault(
            str(record.get("manager_key")),
            (str(record.get("manager")), dict.fromkeys(TOTAL_KEYS, Decimal(0))),
        )
        paid, trial = _money(record.get("paid")), _money(record.get("trial"))
        for count in WINDOWS:
            if add_months(month, -count) <= str(record.get("month")) < month:
                figures[f"paid_{count}"] += paid
                figures[f"trial_{count}"] += trial
                figures[f"difference_{count}"] += trial - paid
    return sorted(by_manager.values(), key=lambda line: norm(line[0]))


def _total_cells(figures: Figures, style: Style | None = None) -> list[Cell]:
    return [figure_cell("trial", figures[key], style) for key in TOTAL_KEYS]


def _month_rows(frame: pd.DataFrame | None) -> list[dict[str, object]]:
    """The trial's rows, newest month first, managers by name."""
    rows = sorted(records(frame), key=lambda record: norm(str(record.get("manager"))))
    rows.sort(key=lambda record: str(record.get("month")), reverse=True)  # stable
    return rows


def _money(value: object) -> Decimal:
    """A paid or trial figure (float or Decimal roubles) as Decimal; absent counts 0."""
    if is_absent(value):
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _span(first: str, last: str, language: Language) -> str:
    """`2026-08`…`2026-10` → «август 2026 – октябрь 2026»."""
    return f"{month_label(first, language)} – {month_label(last, language)}"
