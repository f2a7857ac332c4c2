"""The owner's screen in the demo workbook (issue 20), through the command line: Сводка's
charts within A1:L60, no kopecks on its sums, kopecks kept on Бонусы lines."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from sheets_kpi.backends.gsheets.requests.cells import cell_format
from sheets_kpi.cli import main


def _demo(tmp_path: Path) -> openpyxl.Workbook:
    book = tmp_path / "demo.xlsx"
    assert main(["demo", str(book), "--as-of", "2026-12-04"]) == 0
    return openpyxl.load_workbook(book)


def test_demo_summary_charts_sit_in_a1_l60_and_its_sums_show_whole_roubles(
    tmp_path: Path,
) -> None:
    workbook = _demo(tmp_path)
    summary = workbook["Сводка"]
    anchors = [
        (chart.anchor._from.row + 1, chart.anchor._from.col + 1) for chart in summary._charts
    ]
    assert len(anchors) == 3
    assert all(row <= 60 and column <= 12 for row, column in anchors)
    roubles = {cell.number_format for row in summary.iter_rows() for cell in row}
    roubles = {fmt for fmt in roubles if "₽" in fmt}
    assert roubles == {'#,##0 "₽"'}  # whole roubles: the charts' axes read these cells
    # the pipeline passes the pace: 4 December compares with 1–4 November, the change is
    # December's revenue over November's same days
    assert summary["A5"].value.startswith("Команда — декабрь 2026: день 4 из 31")
    assert summary["G6"].value == "ноябрь, 1–4"
    assert summary["A7"].value == "Выручка"
    now, before, change = summary["B7"].value, summary["G7"].value, summary["H7"].value
    assert before > 0 and abs(change - (now / before - 1)) < 1e-9
    # Бонусы: the amount is column C, every line with kopecks
    bonuses = workbook["Бонусы"]
    assert bonuses["C1"].value == "Сумма"
    assert {cell.number_format for (cell,) in bonuses.iter_rows(min_row=2, min_col=3, max_col=3)
            if cell.value is not None} == {'#,##0.00 "₽"'}  # fmt: skip


def test_google_requests_write_whole_roubles_without_kopecks() -> None:
    assert cell_format("money_whole", None) == {
        "numberFormat": {"type": "NUMBER", "pattern": '#,##0 "₽"'}
    }
    assert cell_format("money", None) == {
        "numberFormat": {"type": "NUMBER", "pattern": '#,##0.00 "₽"'}
    }
