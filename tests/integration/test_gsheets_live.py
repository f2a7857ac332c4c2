"""The backend against a real Google spreadsheet. Skipped unless configured:

    SHEETS_KPI_LIVE_SHEET=<ID or URL of a scratch spreadsheet shared with the service account>
    GOOGLE_APPLICATION_CREDENTIALS=<service-account key>  (or SHEETS_KPI_LIVE_CREDENTIALS)

It writes only tabs whose titles end in «(тест)», and leaves them there for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sheets_kpi.backends.gsheets import GSheetsBackend
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    Chart,
    ConditionalRule,
    Series,
    TabWrite,
)

SHEET = os.environ.get("SHEETS_KPI_LIVE_SHEET")
CREDENTIALS = os.environ.get("SHEETS_KPI_LIVE_CREDENTIALS") or os.environ.get(
    "GOOGLE_APPLICATION_CREDENTIALS"
)

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (SHEET and CREDENTIALS),
        reason="live Google test: set SHEETS_KPI_LIVE_SHEET and GOOGLE_APPLICATION_CREDENTIALS "
        "(a scratch spreadsheet shared with the service account as editor)",
    ),
]

TITLE = "Сводка (тест)"


def plan(rows: int) -> TabWrite:
    body = tuple(
        (Cell(f"Менеджер {n}"), Cell(100000.0 * n, fmt="money"), Cell(n / 4, fmt="percent"))
        for n in range(1, rows + 1)
    )
    return TabWrite(
        key="summary-live-test",
        title=TITLE,
        rows=(
            (
                Cell("Менеджер", style="header"),
                Cell("Выручка", style="header"),
                Cell("План", style="header"),
            ),
            *body,
            (Cell('=IMPORTXML("http://example.com";"//a")'),),
        ),
        frozen_rows=1,
        column_widths=(20, 14, 10),
        conditional=(ConditionalRule(CellRange(2, 3, rows + 1, 3), "<", 1.0, "#F4CCCC"),),
        charts=(
            Chart(
                kind="column",
                title="Выручка",
                categories=CellRange(2, 1, rows + 1, 1),
                series=(
                    Series("Выручка", CellRange(2, 2, rows + 1, 2)),
                    Series("План", CellRange(2, 3, rows + 1, 3)),
                ),
                anchor_row=2,
                anchor_column=5,
                line_series=(1,),
            ),
        ),
    )


def test_two_runs_on_a_real_spreadsheet_keep_one_tab_one_chart_and_text_as_text() -> None:
    assert SHEET and CREDENTIALS
    backend = GSheetsBackend(SHEET, Path(CREDENTIALS))

    backend.read(lambda _title: False)
    backend.write([plan(5)])
    first = backend.read(lambda title: title == TITLE)
    backend.write([plan(3)])
    second = backend.read(lambda title: title == TITLE)

    assert second.sheet_ids[TITLE] == first.sheet_ids[TITLE]
    rows = second.tabs[TITLE].rows
    assert rows[1] == ["Менеджер 1", 100000, 0.25]
    assert rows[-1] == ['=IMPORTXML("http://example.com";"//a")']
    assert len(rows) == 5  # header, three managers, the text row: the old rows are gone
    # the later reads were values.batchGet; a new process reads grid data: both agree
    fresh = GSheetsBackend(SHEET, Path(CREDENTIALS)).read(lambda title: title == TITLE)
    assert (fresh.titles, fresh.tabs, fresh.sheet_ids) == (
        second.titles,
        second.tabs,
        second.sheet_ids,
    )
    meta = backend._read_meta()  # what the next write will see
    assert len(meta[TITLE].chart_ids) == 1
    assert meta[TITLE].conditional_count == 1
