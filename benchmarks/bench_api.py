"""Google Sheets API cost of one cycle: this backend vs the usual community approach.

Usage:
    python benchmarks/bench_api.py                      # 1k, 10k and 100k sales rows
    python benchmarks/bench_api.py --sizes 1000 10000

Both approaches run against the same in-process fake of Sheets API v4 (tests/fakes), reached
through the real gspread + google-auth + requests stack, and move the same data: they read the
input tabs and write the same five generated tabs (the plans `core/render.py` makes for that
sales log), with formats, frozen rows, conditional colours and charts.

- `sheets_kpi`: `GSheetsBackend.read` + `.write`: one read (a `spreadsheets.get` on the first
  cycle of a process, then a `values.batchGet`), one `batchUpdate`.
- `community`: what most gspread scripts do: `open_by_key`, `worksheet(title)` and
  gspread-dataframe's `get_as_dataframe` per input tab; per generated tab `worksheet` (or
  `add_worksheet`), `clear`, `set_with_dataframe(resize=True)`, then `freeze`, a header
  `format`, one `format` per number-format column and one `batch_update` per conditional rule
  and per chart.

Measured: the second cycle (the generated tabs exist, as in everyday work). Printed per size
as a Markdown table: Sheets requests (token requests excluded), bytes sent + received, and wall
time of the cycle (the fake's own work included, the same for both); then, for sheets_kpi
only, the first cycle of a process and an unchanged cycle (the read alone). The fake answers
as Google does: indented JSON unless the request says `prettyPrint=false`.
`--backend-module FILE` measures the GSheetsBackend of another gsheets/client.py (before/after).
Needs gspread-dataframe (`pip install gspread-dataframe`) for the community column; without it
that column is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gspread  # noqa: E402
import pandas as pd  # noqa: E402
from bench_core import AS_OF, RUN_AT, manager_names, sales_rows  # noqa: E402

from sheets_kpi.backends.gsheets import GSheetsBackend  # noqa: E402
from sheets_kpi.backends.gsheets.requests import column_letter, serial_date  # noqa: E402
from sheets_kpi.config import Config  # noqa: E402
from sheets_kpi.core.inputs import validate  # noqa: E402
from sheets_kpi.core.model import RawTab, RawWorkbook  # noqa: E402
from sheets_kpi.core.output.sheetplan import Formula, InputTabInit, TabWrite  # noqa: E402
from sheets_kpi.pipeline import run_once  # noqa: E402
from tests.fakes.google_env import SPREADSHEET_ID, http_client, key_file  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsApi  # noqa: E402

try:
    from gspread_dataframe import get_as_dataframe, set_with_dataframe
except ImportError:  # the community column is optional
    get_as_dataframe = set_with_dataframe = None


class _Capture:
    """A backend that hands the pipeline raw tabs and keeps the plans it writes."""

    def __init__(self, tabs: dict[str, list[list[Any]]]) -> None:
        self.tabs = tabs
        self.plans: list[TabWrite] = []

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        chosen = {t: RawTab(t, rows) for t, rows in self.tabs.items() if wanted(t)}
        return RawWorkbook(tuple(self.tabs), chosen)

    def write(self, plans: Sequence[TabWrite]) -> None:
        self.plans = list(plans)

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        return []

    def describe(self) -> str:
        return "capture"


def input_tabs(rows: int) -> dict[str, list[list[Any]]]:
    """Продажи with `rows` rows, Мотивация and План for 20 managers, as Google holds them."""
    sales = [
        [serial_date(v) if isinstance(v, date | datetime) else v for v in row]
        for row in sales_rows(rows)
    ]
    names = manager_names()
    roster = [["Менеджер", "Схема", "Параметры", "Оклад", "Активен"]]
    roster += [[name, "уровни", "100000=25000; 150000=35000", 60000, "да"] for name in names]
    plan = [["Месяц", "Менеджер", "План выручки"]]
    plan += [[f"2026-{m:02d}", name, 1_500_000] for m in range(1, 12) for name in names]
    return {"Продажи": sales, "Мотивация": roster, "План": plan}


def _traffic(api: FakeSheetsApi) -> tuple[int, int, int]:
    """Sheets requests; bytes sent + received as JSON; the same with answers gzipped, as
    Google sends them to gspread (requests asks for gzip; uploads go uncompressed)."""
    calls = [call for call in api.calls if call.kind != "token"]
    plain = sum(call.request_bytes + call.response_bytes for call in calls)
    wire = sum(call.request_bytes + call.response_gzip_bytes for call in calls)
    return len(calls), plain, wire


def ours(
    tabs: dict[str, list[list[Any]]],
    plans: list[TabWrite],
    folder: Path,
    backend_class: type = GSheetsBackend,
) -> dict[str, tuple]:
    """Three cycles of one backend (one worker process): the first (it creates the generated
    tabs), a changed one (read + write, the everyday case measured against `community`) and
    an unchanged one (the read only, as when `skip_if` finds the same fingerprint)."""
    api = FakeSheetsApi()
    api.measure_gzip = True
    path, email = key_file(api, folder)
    api.create_spreadsheet(SPREADSHEET_ID, tabs, editors=[email])
    backend = backend_class(SPREADSHEET_ID, path, adapter=api.adapter)
    measured: dict[str, tuple] = {}
    for cycle in ("first", "changed", "unchanged"):
        api.reset_counts()
        started = time.perf_counter()
        backend.read(validate.wanted_tabs(Config()))
        if cycle != "unchanged":
            backend.write(plans)
        measured[cycle] = (*_traffic(api), time.perf_counter() - started)
    return measured


def _backend_from(path: Path) -> type:
    """`GSheetsBackend` of another version of gsheets/client.py, e.g. one from `git show`."""
    spec = importlib.util.spec_from_file_location("gsheets_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.GSheetsBackend


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, Formula):
        return "=" + value.text.lstrip("=")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def community(tabs: dict[str, list[list[Any]]], plans: list[TabWrite], folder: Path) -> tuple:
    api = FakeSheetsApi()
    api.measure_gzip = True
    info = api.service_account_info()
    (folder / "key.json").write_text(json.dumps(info))
    api.create_spreadsheet(SPREADSHEET_ID, tabs, editors=[info["client_email"]])
    client = gspread.Client(None, session=http_client(api, info).session)  # type: ignore[arg-type]
    for _cycle in range(2):  # the first cycle creates the tabs; the second is measured
        api.reset_counts()
        started = time.perf_counter()
        _community_cycle(client, tabs, plans)
        elapsed = time.perf_counter() - started
    return (*_traffic(api), elapsed)


def _community_cycle(
    client: gspread.Client, tabs: dict[str, list[list[Any]]], plans: list[TabWrite]
) -> None:
    book = client.open_by_key(SPREADSHEET_ID)
    for title in tabs:
        get_as_dataframe(book.worksheet(title), evaluate_formulas=True)
    for plan in plans:
        width = max([len(row) for row in plan.rows] + [1])
        frame = pd.DataFrame(
            [[_plain(c.value) for c in row] + [""] * (width - len(row)) for row in plan.rows]
        )
        try:
            sheet = book.worksheet(plan.title)
        except gspread.WorksheetNotFound:
            sheet = book.add_worksheet(plan.title, rows=len(plan.rows) + 1, cols=width)
        sheet.clear()
        set_with_dataframe(sheet, frame, include_column_header=False, resize=True)
        if plan.frozen_rows:
            sheet.freeze(rows=plan.frozen_rows)
        sheet.format("1:1", {"textFormat": {"bold": True}})
        formats = {
            (index, cell.fmt) for row in plan.rows for index, cell in enumerate(row) if cell.fmt
        }
        for index, fmt in sorted(formats):
            letter = column_letter(index + 1)
            pattern = {"money": '#,##0.00 "₽"', "percent": "0.0%"}.get(fmt, "0")
            sheet.format(
                f"{letter}2:{letter}", {"numberFormat": {"type": "NUMBER", "pattern": pattern}}
            )
        for rule in plan.conditional:
            book.batch_update({"requests": [_rule_request(sheet.id, rule)]})
        if plan.charts:  # make room for the charts right of the data
            far_row = max(chart.anchor_row for chart in plan.charts) + 20
            far_column = max(chart.anchor_column for chart in plan.charts) + 7
            sheet.resize(max(len(plan.rows), far_row), max(width, far_column))
        for chart in plan.charts:
            book.batch_update({"requests": [_chart_request(sheet.id, chart)]})


def _rule_request(sheet_id: int, rule: Any) -> dict[str, Any]:
    from sheets_kpi.backends.gsheets.requests import conditional_request

    return conditional_request(sheet_id, rule, 0)


def _chart_request(sheet_id: int, chart: Any) -> dict[str, Any]:
    from sheets_kpi.backends.gsheets.requests import chart_request

    return chart_request(sheet_id, chart)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--backend-module",
        type=Path,
        help="measure GSheetsBackend from this file instead (e.g. an earlier gsheets/client.py)",
    )
    args = parser.parse_args()
    backend_class = _backend_from(args.backend_module) if args.backend_module else GSheetsBackend
    header = (
        "| sales rows | requests: sheets_kpi | requests: community | MB json: sheets_kpi | "
        "MB json: community | MB gzip: sheets_kpi | MB gzip: community | s: sheets_kpi | "
        "s: community | first cycle: requests, MB json | unchanged cycle: requests, MB json |"
    )
    print(header)
    print("|" + "---|" * header.count(" | ") + "---|")
    for size in args.sizes:
        tabs = input_tabs(size)
        capture = _Capture(tabs)
        run_once(capture, Config(), AS_OF, RUN_AT)
        with tempfile.TemporaryDirectory() as folder:
            cycles = ours(tabs, capture.plans, Path(folder), backend_class)
            if set_with_dataframe is not None:
                theirs = community(tabs, capture.plans, Path(folder))
            else:
                theirs = (0, 0, 0, float("nan"))
        mine, first, same = cycles["changed"], cycles["first"], cycles["unchanged"]
        print(
            f"| {size:,} | {mine[0]} | {theirs[0]} | {mine[1] / 1e6:.2f} | {theirs[1] / 1e6:.2f} "
            f"| {mine[2] / 1e6:.2f} | {theirs[2] / 1e6:.2f} | {mine[3]:.2f} | {theirs[3]:.2f} "
            f"| {first[0]}, {first[1] / 1e6:.2f} | {same[0]}, {same[1] / 1e6:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
