"""The cells of a generated tab written straight as sheet XML (issue 19).

openpyxl lays out everything else of a tab (frozen panes, widths, conditional formats, charts,
protection) and the cell formats, but building and serialising a Python object per cell is
most of the cost of a write at 100k rows. So the cells are written here as text, each with the
style openpyxl gives the same value, format and style (`StyleCatalogue`), and put into the
sheet openpyxl wrote (`inject`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook

from sheets_kpi.backends.xlsx.layout import cell_address, plain_text, write_cell
from sheets_kpi.core.output.sheetplan import Cell, Formula, TabWrite

_QUOTE = {'"': "&quot;"}  # so no text looks like an attribute to styles.py's renumbering
_SAMPLES: dict[str | None, object] = {
    "datetime": datetime(2026, 1, 1),
    "date": date(2026, 1, 1),
    None: None,
}


@dataclass(frozen=True)
class SheetCells:
    """What replaces the empty `<sheetData/>` of a tab openpyxl laid out without cells."""

    sheet_data: str
    hyperlinks: str  # "" or a whole <hyperlinks> element
    dimension: str  # "A1:L133"


class StyleCatalogue:
    """The index openpyxl gives the format of a cell (its `s=`): the format is set once per
    kind of cell on a scratch sheet, which is removed before the workbook is saved."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.sheet = workbook.create_sheet("styles")
        self.ids: dict[tuple[object, ...], int] = {}

    def style_id(self, cell: Cell) -> int:
        # openpyxl gives a date or datetime without a format one of its own
        value = cell.value
        kind = (
            "datetime"
            if isinstance(value, datetime)
            else "date"
            if isinstance(value, date)
            else None
        )
        key = (cell.fmt, cell.style, cell.link is not None, kind)
        found = self.ids.get(key)
        if found is None:
            target = self.sheet.cell(len(self.ids) + 1, 1)
            write_cell(target, Cell(_SAMPLES[kind], cell.fmt, cell.style, cell.link))
            found = self.ids[key] = target.style_id
        return found

    def close(self) -> None:
        self.workbook.remove(self.sheet)


def sheet_cells(plan: TabWrite, styles: StyleCatalogue) -> SheetCells:
    """The rows of `plan` as sheet XML, with the value types `layout.write_cell` gives."""
    rows: list[str] = []
    links: list[str] = []
    last_column = 1
    for row_number, row in enumerate(plan.rows, start=1):
        cells: list[str] = []
        for column_number, cell in enumerate(row, start=1):
            reference = f"{get_column_letter(column_number)}{row_number}"
            style = styles.style_id(cell)
            content = _content(cell.value)
            if content is None and style == 0:
                continue
            style_attr = f' s="{style}"' if style else ""
            kind, inner = content or ("", "")
            cells.append(f'<c r="{reference}"{style_attr}{kind}>{inner}</c>')
            last_column = max(last_column, column_number)
            if cell.link is not None:
                location = quoteattr(cell_address(cell.link))
                links.append(f'<hyperlink ref="{reference}" location={location}/>')
        if cells:
            rows.append(f'<row r="{row_number}">{"".join(cells)}</row>')
    return SheetCells(
        sheet_data=f"<sheetData>{''.join(rows)}</sheetData>",
        hyperlinks=f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "",
        dimension=f"A1:{get_column_letter(last_column)}{max(len(plan.rows), 1)}",
    )


def _content(value: object) -> tuple[str, str] | None:
    """(the type attribute, the inner XML) of a value, as openpyxl would write it; None for
    an empty cell."""
    if isinstance(value, Formula):
        return "", f"<f>{escape(value.text, _QUOTE)}</f>"
    if isinstance(value, bool):
        return ' t="b"', f"<v>{int(value)}</v>"
    if isinstance(value, int | float):
        if value != value:  # NaN: an empty cell
            return None
        return ' t="n"', _number(value)
    if isinstance(value, datetime | date):
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        return ' t="n"', _number(to_excel(value))
    if value is None:
        return None
    text = plain_text(value if isinstance(value, str) else str(value))
    if not text:
        return None
    return ' t="inlineStr"', f'<is><t xml:space="preserve">{escape(text, _QUOTE)}</t></is>'


def _number(value: float) -> str:
    """16 significant digits, as openpyxl writes numbers (so a read gives back the same value);
    infinity has no cell form: an empty value."""
    if math.isinf(value):
        return ""
    return f"<v>{value:.16g}</v>"


_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
_AFTER_HYPERLINKS = re.compile(r"<(?:printOptions|pageMargins|pageSetup|headerFooter|drawing)\b")


def inject(sheet_xml: str, cells: SheetCells) -> str:
    """The sheet openpyxl wrote without cells, with `cells` put in their places."""
    found = _EMPTY_SHEET_DATA.search(sheet_xml)
    if found is None:
        raise ValueError("the sheet already has cells")
    sheet_xml = sheet_xml[: found.start()] + cells.sheet_data + sheet_xml[found.end() :]
    sheet_xml = _DIMENSION.sub(f'<dimension ref="{cells.dimension}"/>', sheet_xml, count=1)
    if cells.hyperlinks:
        after = _AFTER_HYPERLINKS.search(sheet_xml)
        at = after.start() if after else sheet_xml.rindex("</worksheet>")
        sheet_xml = sheet_xml[:at] + cells.hyperlinks + sheet_xml[at:]
    return sheet_xml
