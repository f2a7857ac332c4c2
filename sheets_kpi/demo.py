"""The demo workbook (SPEC §10): the demo agency's rows written into a fresh local workbook.

The agency, its managers and clients, and the story its data tells live in
`sheets_kpi/demo_story/` (`demo_rows`); `build_demo` writes those rows with the same headers,
drop-downs and formats `init` gives.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sheets_kpi.backends.xlsx import NUMBER_FORMATS, add_dropdowns, add_nonzero_rules, plain_text
from sheets_kpi.core.output.initplan import input_tab_inits
from sheets_kpi.core.output.sheetplan import InputTabInit
from sheets_kpi.core.settings import Config
from sheets_kpi.demo_story import demo_rows
from sheets_kpi.errors import BackendError
from sheets_kpi.messages import pair

logger = logging.getLogger(__name__)

VALIDATED_ROWS = 2000  # drop-downs reach this far below the data, for rows people add


def _write_tab(workbook: Workbook, plan: InputTabInit, rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(plan.title)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
    for column, header in enumerate(plan.headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    for row_number, values in enumerate(rows[1:], start=2):
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = plain_text(value)
                cell.data_type = "s"  # text stays text, even if it starts with «=»
            else:
                cell.value = value
            fmt = plan.formats[column - 1]
            if fmt and not isinstance(value, str):
                cell.number_format = NUMBER_FORMATS[fmt]
    last_row = max(len(rows), 1) + VALIDATED_ROWS
    add_dropdowns(sheet, plan.dropdowns, last_row)
    add_nonzero_rules(sheet, plan.nonzero, last_row)
    for column, width in enumerate(plan.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(plan.headers))}{max(len(rows), 1)}"


def build_demo(path: Path, as_of: date, config: Config) -> None:
    """Write a fresh demo workbook at `path` with the five input tabs filled.

    Headers, drop-downs, formats and widths are those of `init`; the file is written to a
    temporary file next to `path` and renamed over it, so a failure never leaves half a file.
    """
    plans = input_tab_inits(config, as_of)
    rows = demo_rows(as_of, config.language)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for plan in plans:
        if plan.key in rows:  # an input tab the demo agency does not use is left out
            _write_tab(workbook, plan, rows[plan.key])
    # The bot fills `Сводка` on the run that follows; made here, empty, it is the tab the
    # workbook opens on (issue 20) — the run replaces its content and leaves the choice as it is.
    workbook.active = workbook.create_sheet(config.tab_title("summary"))
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BackendError(
            *pair("demo_write_failed", path=path, reason=error.strerror or error)
        ) from error
    logger.info("demo workbook written to %s (%d sales rows)", path, len(rows["sales"]) - 1)
