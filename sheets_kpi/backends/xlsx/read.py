"""Raw rows of a sheet as openpyxl reads it."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.core.model import RawCell


def sheet_rows(sheet: object) -> list[list[RawCell]]:
    """Raw values row by row, trailing empty cells and rows dropped without holding the empty
    rows of a sheet formatted down to row 1 048 576."""
    rows: list[list[RawCell]] = []
    pending_empty = 0
    iter_rows = getattr(sheet, "iter_rows", None)
    if iter_rows is None:  # a chart sheet: no cells
        return rows
    reset_dimensions = getattr(sheet, "reset_dimensions", None)
    if reset_dimensions is not None:
        # the size a file declares may be wrong (cut rows off) or huge (a million empty rows):
        # read the cells that are really there
        reset_dimensions()
    for values in iter_rows(values_only=True):
        row = list(values)
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
        if not row:
            pending_empty += 1
            continue
        rows.extend([] for _ in range(pending_empty))
        pending_empty = 0
        rows.append(row)
    return rows


def has_data(sheet: Worksheet) -> bool:
    return any(
        value is not None and value != ""
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
