"""The local .xlsx workbook (SPEC §11), through openpyxl.

Reading hands over raw cell values (cached results of formulas, dates as `datetime`).
Writing rewrites only the generated tabs named in the plans, into a temporary file in the same
folder that replaces the original with `os.replace`: a crash never leaves half a workbook.
Input tabs and any other tab of the user survive a write unchanged.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart import Series as XlSeries
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.backends.xlsx_safety import (
    FileIdentity,
    file_identity,
    refuse_unsafe_target,
    refuse_zip_bombs,
    replace_atomically,
    writable_target,
)
from sheets_kpi.core.model import RawCell, RawTab, RawWorkbook
from sheets_kpi.core.sheetplan import (
    Cell,
    CellRange,
    CellRef,
    Chart,
    ConditionalRule,
    Formula,
    InputTabInit,
    NumberFormat,
    Style,
    TabWrite,
    examples_for_a_blank_book,
)
from sheets_kpi.errors import BackendError

logger = logging.getLogger(__name__)

NUMBER_FORMATS: dict[NumberFormat, str] = {
    "money": '#,##0.00 "₽"',
    "percent": "0.0%",
    "integer": "0",
    "decimal": "#,##0.0",
    "date": "DD.MM.YYYY",
    "datetime": "DD.MM.YYYY HH:MM",
    "hours": '0.0 "ч"',
    "place_change": '"↑"0;"↓"0;"—"',  # a number shown as ↑2 / ↓1 / —: sortable, never text
}

_HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_SUBTOTAL_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_BANNER_FILL = PatternFill("solid", start_color="FFC00000", end_color="FFC00000")
_FONTS: dict[Style, Font] = {
    "title": Font(bold=True, size=13),
    "header": Font(bold=True),
    "subtotal": Font(bold=True),
    "banner": Font(bold=True, color="FFFFFFFF"),
    "note": Font(italic=True, color="FF595959"),
    "muted": Font(color="FF808080"),
}
_FILLS: dict[Style, PatternFill] = {
    "header": _HEADER_FILL,
    "subtotal": _SUBTOTAL_FILL,
    "banner": _BANNER_FILL,
}
_LINK_FONT = Font(color="FF0563C1", underline="single")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls files
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_MAX_TEXT = 32767  # Excel's limit on characters in one cell
_DROPDOWN_LAST_ROW = 1000


class XlsxBackend:
    """A local workbook; implements `backends.base.Backend`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # (device, inode, size, mtime) of the file when it was last read: a write is
        # discarded when another program saved the workbook since (a lost update)
        self._identity: FileIdentity | None = None

    def describe(self) -> str:
        """The absolute path of the workbook."""
        return str(self.path.resolve())

    # ------------------------------------------------------------------ read

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """Every tab title, and the raw values of the wanted tabs (formulas give their cached
        results; trailing empty rows and columns are dropped)."""
        self._identity = file_identity(self.path)  # before reading: a save during it counts
        self._check_readable()
        workbook = self._load(read_only=True, data_only=True)
        try:
            titles = tuple(workbook.sheetnames)
            tabs: dict[str, RawTab] = {}
            for sheet in workbook.worksheets:
                if wanted(sheet.title):
                    tabs[sheet.title] = RawTab(sheet.title, _sheet_rows(sheet))
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
            raise BackendError(self._corrupt_message()) from exc
        finally:
            workbook.close()
        logger.debug("read %d of %d tabs from %s", len(tabs), len(titles), self.path)
        return RawWorkbook(titles=titles, tabs=tabs)

    # ----------------------------------------------------------------- write

    def write(self, plans: Sequence[TabWrite]) -> None:
        """Rewrite the generated tabs of `plans`; everything else in the workbook stays."""
        if not plans:
            return
        expected = self._identity or file_identity(self.path)
        self._check_readable()
        refuse_unsafe_target(self.path)
        self._refuse_to_drop_drawings(keep={plan.title for plan in plans if plan.mode == "replace"})
        workbook = self._load(read_only=False, data_only=False)
        for plan in plans:
            try:
                _apply_plan(workbook, plan)
            except ValueError as exc:  # openpyxl refuses a title Excel cannot hold
                raise BackendError(
                    f"Не удалось записать лист «{plan.title}»: {exc}. Переименуйте его в "
                    "настройках: не длиннее 31 символа и без знаков : \\ / ? * [ ]."
                ) from exc
        rewritten = {plan.title for plan in plans if plan.mode == "replace"}
        self._save(
            workbook,
            expected,
            keep_results_of=[t for t in workbook.sheetnames if t not in rewritten],
        )
        logger.info("wrote %d tabs into %s", len(plans), self.path)

    # ------------------------------------------------------------------ init

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        """Create missing input tabs (headers, drop-downs, formats, an example row) or fill in the
        header of an existing empty one; a tab with data is never touched, and when any input
        tab has data no example row is added (`examples_for_a_blank_book`). Returns the titles
        set up; creates the workbook when the file does not exist."""
        creating = not self.path.exists()
        expected = None if creating else file_identity(self.path)
        if creating:
            workbook = Workbook()
            default_sheets = list(workbook.worksheets)
        else:
            self._check_readable()
            refuse_unsafe_target(self.path)
            self._refuse_to_drop_drawings(keep=set())
            workbook = self._load(read_only=False, data_only=False)
            default_sheets = []
        done: list[str] = []
        # Input tabs that are not empty sheets (data, or a chart sheet): never touched.
        taken = {
            tab.title
            for tab in tabs
            if tab.title in workbook.sheetnames
            and (not isinstance(workbook[tab.title], Worksheet) or _has_data(workbook[tab.title]))
        }
        for tab in examples_for_a_blank_book(tabs, taken):
            if tab.title in taken:
                continue
            if tab.title in workbook.sheetnames:
                sheet = workbook[tab.title]
            else:
                sheet = workbook.create_sheet(tab.title)
            _set_up_input_tab(sheet, tab)
            done.append(tab.title)
        if not done and not creating:
            return []
        if creating and len(workbook.worksheets) > len(default_sheets):
            for sheet in default_sheets:
                workbook.remove(sheet)
            workbook.active = 0
        if creating:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._save(workbook, expected)
        logger.info("set up %d input tabs in %s", len(done), self.path)
        return done

    # -------------------------------------------------------------- plumbing

    def _check_readable(self) -> None:
        """Turn the usual ways a workbook cannot be opened into a Russian sentence."""
        path = self.path
        if not path.exists():
            raise BackendError(
                f"Файл «{path}» не найден. Создайте рабочую книгу командой "
                f"`sheets-kpi init --xlsx {path}` или посмотрите пример: `sheets-kpi demo`."
            )
        if path.is_dir():
            raise BackendError(
                f"«{path}» — это папка, а не файл книги. Укажите путь к файлу .xlsx, "
                f"например `--xlsx {path / 'продажи.xlsx'}`."
            )
        try:
            with path.open("rb") as handle:
                head = handle.read(len(_OLE_MAGIC))
                if head == _OLE_MAGIC:
                    encrypted = _ENCRYPTION_STREAM in head + handle.read()
                else:
                    encrypted = False
        except PermissionError as exc:
            raise BackendError(
                f"Нет прав на чтение файла «{path}». Проверьте права доступа к файлу "
                "или запустите бота от пользователя, которому файл доступен."
            ) from exc
        except OSError as exc:
            raise BackendError(f"Не удалось открыть файл «{path}»: {exc.strerror or exc}.") from exc
        if not head:
            raise BackendError(
                f"Файл «{path}» пустой (0 байт) — это не книга Excel. Восстановите его из "
                "резервной копии или удалите и создайте заново: `sheets-kpi init`."
            )
        if encrypted:
            raise BackendError(
                f"Книга «{path}» защищена паролем на открытие, бот не может её прочитать. "
                "Откройте её в Excel, снимите пароль (Файл → Сведения → Защита книги → "
                "Зашифровать с использованием пароля → очистите поле) и сохраните."
            )
        if head == _OLE_MAGIC:
            raise BackendError(
                f"Файл «{path}» — в старом формате Excel (.xls). Откройте его в Excel "
                "и сохраните как «Книга Excel (.xlsx)»."
            )
        refuse_zip_bombs(path)

    def _refuse_to_drop_drawings(self, keep: set[str]) -> None:
        """openpyxl loses shapes and text boxes (and pictures without Pillow) when it saves:
        refuse to write rather than silently delete them from the owner's tabs. Tabs in `keep`
        are rewritten by the bot anyway."""
        tabs = [title for title in _tabs_with_lost_drawings(self.path) if title not in keep]
        if tabs:
            names = ", ".join(f"«{title}»" for title in tabs)
            raise BackendError(
                f"На листах {names} есть фигуры, надписи или картинки, которые бот не умеет "
                "сохранять в книге .xlsx: после записи они бы пропали. Книга не изменена. "
                "Перенесите их в другой файл (или работайте с Google Таблицей, --sheet) и "
                "запустите снова."
            )

    def _corrupt_message(self) -> str:
        return (
            f"Файл «{self.path}» не похож на книгу Excel .xlsx или повреждён. Откройте его в "
            "Excel и сохраните как «Книга Excel (.xlsx)» или восстановите из резервной копии."
        )

    def _load(self, *, read_only: bool, data_only: bool) -> Workbook:
        try:
            return openpyxl.load_workbook(
                self.path, read_only=read_only, data_only=data_only, keep_links=True
            )
        except PermissionError as exc:
            raise BackendError(
                f"Нет прав на чтение файла «{self.path}». Проверьте права доступа к файлу."
            ) from exc
        except Exception as exc:
            # openpyxl raises many kinds of errors on a damaged file (zip, XML, KeyError, ...);
            # each one means the same thing to the owner: the file is not a usable workbook
            logger.debug("openpyxl could not open %s: %r", self.path, exc)
            raise BackendError(self._corrupt_message()) from exc

    def _save(
        self,
        workbook: Workbook,
        expected: FileIdentity | None,
        keep_results_of: Sequence[str] = (),
    ) -> None:
        """Save into a temporary file next to the workbook, then rename it over the original,
        unless another program saved the workbook since it was read (`expected`).

        openpyxl drops the last computed results of formulas; for the tabs `keep_results_of`
        they are copied back from the original, so the next read still sees them."""
        buffer = io.BytesIO()
        workbook.save(buffer)  # in memory: a full disk cannot strand openpyxl's zip writer
        data = buffer.getvalue()
        del buffer
        target = writable_target(self.path)
        if keep_results_of and target.exists():
            data = _restore_formula_results(target, data, keep_results_of)
        replace_atomically(self.path, expected, lambda out: out.write(data))
        # the next write is guarded from the read before it (or from its own start)
        self._identity = None


# ------------------------------------------------------- cached results of formulas

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a formula cell as openpyxl writes it: no value type, an empty <v />
_OPENPYXL_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)>'
    r"(?P<formula><f(?: [^>]*)?>[^<]*</f>)<v ?/></c>"
)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Tab title → the zip member holding its cells."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts[sheet.get("name", "")] = part
    return parts


# drawing elements openpyxl does not write back; charts (graphicFrame) it keeps
_LOST_SHAPES = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s/>]")
_PICTURES = re.compile(rb"<(?:\w+:)?pic[\s/>]")


def _tabs_with_lost_drawings(path: Path) -> list[str]:
    """Titles of the tabs whose drawings hold shapes, or pictures when Pillow is missing."""
    from openpyxl.drawing.image import PILImage

    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for title, part in _sheet_parts(archive).items():
                folder, _, name = part.rpartition("/")
                rels = f"{folder}/_rels/{name}.rels"
                if rels not in names:
                    continue
                for rel in ElementTree.fromstring(archive.read(rels)).iter(
                    f"{_PKG_REL_NS}Relationship"
                ):
                    target = rel.get("Target", "")
                    if not rel.get("Type", "").endswith("/drawing"):
                        continue
                    target = (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join(folder, target))
                    )
                    data = archive.read(target) if target in names else b""
                    if _LOST_SHAPES.search(data) or (not PILImage and _PICTURES.search(data)):
                        found.append(title)
                        break
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, ValueError):
        return []  # the load that follows reports a damaged file
    return found


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in item.iter(f"{_MAIN_NS}t")) for item in root]


def _cached_results(data: bytes, shared: list[str]) -> dict[str, tuple[str | None, str]]:
    """Cell reference → (value type, text) of every formula cell that has a cached result."""
    results: dict[str, tuple[str | None, str]] = {}
    for _, element in ElementTree.iterparse(io.BytesIO(data)):
        if element.tag != f"{_MAIN_NS}c":
            continue
        formula = element.find(f"{_MAIN_NS}f")
        value = element.find(f"{_MAIN_NS}v")
        if formula is not None and value is not None and value.text is not None:
            kind = element.get("t")
            text = value.text
            if kind == "s":  # a result kept in the shared strings: inline it as a string
                kind, text = "str", shared[int(text)]
            results[element.get("r", "")] = (kind if kind != "n" else None, text)
        element.clear()
    return results


def _restore_formula_results(original: Path, saved: bytes, titles: Sequence[str]) -> bytes:
    """`saved` (a workbook as openpyxl wrote it) with the cached results of formulas in tabs
    `titles` copied from `original`.

    openpyxl writes formulas without results; a later read (data_only) would then see empty
    cells until someone opens and saves the workbook in Excel. Best effort: on anything
    unexpected the workbook is left as openpyxl wrote it."""
    try:
        with zipfile.ZipFile(original) as source:
            source_parts = _sheet_parts(source)
            wanted = {
                title: source.read(source_parts[title]) for title in titles if title in source_parts
            }
            wanted = {title: data for title, data in wanted.items() if b"<f" in data}
            if not wanted:
                return saved
            shared = _shared_strings(source)
            cached = {title: _cached_results(data, shared) for title, data in wanted.items()}
        with zipfile.ZipFile(io.BytesIO(saved)) as target:
            target_parts = _sheet_parts(target)
            members = [(info, target.read(info.filename)) for info in target.infolist()]
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, IndexError, ValueError) as exc:
        logger.warning("could not keep the computed results of formulas: %r", exc)
        return saved
    replaced_parts = {
        target_parts[title]: results
        for title, results in cached.items()
        if results and title in target_parts
    }
    if not replaced_parts:
        return saved
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as output:
        for info, data in members:
            results = replaced_parts.get(info.filename)
            if results is not None:
                data = _with_results(data.decode("utf-8"), results).encode("utf-8")
            output.writestr(info, data)
    return buffer.getvalue()


def _with_results(xml: str, results: dict[str, tuple[str | None, str]]) -> str:
    def put_back(match: re.Match[str]) -> str:
        found = results.get(match["ref"])
        if found is None:
            return match[0]
        kind, text = found
        kind_attr = f' t="{kind}"' if kind else ""
        return (
            f'<c r="{match["ref"]}"{match["attrs"]}{kind_attr}>'
            f"{match['formula']}<v>{escape(text)}</v></c>"
        )

    return _OPENPYXL_FORMULA_CELL.sub(put_back, xml)


# ---------------------------------------------------------------------- reading


def _sheet_rows(sheet: object) -> list[list[RawCell]]:
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


def _has_data(sheet: Worksheet) -> bool:
    return any(
        value is not None and value != ""
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


# ---------------------------------------------------------------------- writing


def _apply_plan(workbook: Workbook, plan: TabWrite) -> None:
    if plan.mode == "banner":
        _write_banner(workbook, plan)
        return
    if plan.title in workbook.sheetnames:
        old = workbook[plan.title]
        position = workbook.index(old)
        workbook.remove(old)
        sheet = workbook.create_sheet(plan.title, position)
    else:
        sheet = workbook.create_sheet(plan.title)
    for row_number, row in enumerate(plan.rows, start=1):
        for column_number, cell in enumerate(row, start=1):
            _write_cell(sheet.cell(row_number, column_number), cell)
    if plan.frozen_rows:
        sheet.freeze_panes = f"A{plan.frozen_rows + 1}"
    for index, width in enumerate(plan.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for rule in plan.conditional:
        _add_conditional(sheet, rule)
    for chart in plan.charts:
        sheet.add_chart(
            _chart(sheet, chart), f"{get_column_letter(chart.anchor_column)}{chart.anchor_row}"
        )
    if plan.protected:
        _protect(sheet)


def _write_banner(workbook: Workbook, plan: TabWrite) -> None:
    """Only row 1: the last good figures below stay as they are."""
    if plan.title in workbook.sheetnames:
        sheet = workbook[plan.title]
    else:
        sheet = workbook.create_sheet(plan.title)
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row == 1:
            sheet.unmerge_cells(str(merged))
    for cell in list(sheet[1]) if sheet.max_row >= 1 else []:
        cell.value = None
        cell.hyperlink = None
        cell.font = Font()
        cell.fill = PatternFill()
    row = plan.rows[0] if plan.rows else ()
    for column_number, cell in enumerate(row, start=1):
        _write_cell(sheet.cell(1, column_number), cell)
    if plan.protected:
        _protect(sheet)


def plain_text(text: str) -> str:
    """Text as a cell can hold it: no control characters, at most 32 767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_TEXT]


def _write_cell(target: XlCell, cell: Cell) -> None:
    value = cell.value
    if isinstance(value, Formula):
        target.value = "=" + value.text
    elif isinstance(value, str):
        target.value = plain_text(value)
        # openpyxl would take "=..." for a formula: user text must stay text (SPEC §13)
        target.data_type = "s"
    elif isinstance(value, datetime):
        target.value = value.replace(tzinfo=None)
    elif isinstance(value, float) and value != value:  # NaN: an empty cell
        target.value = None
    elif isinstance(value, bool | int | float | date) or value is None:
        target.value = value
    else:
        target.value = plain_text(str(value))
        target.data_type = "s"
    if cell.fmt is not None:
        target.number_format = NUMBER_FORMATS[cell.fmt]
    if cell.style is not None:
        target.font = _FONTS[cell.style]
        if cell.style in _FILLS:
            target.fill = _FILLS[cell.style]
    if cell.link is not None:
        target.hyperlink = Hyperlink(ref=target.coordinate, location=cell_address(cell.link))
        if cell.style is None:
            target.font = _LINK_FONT


def cell_address(ref: CellRef) -> str:
    """`'Продажи'!B5`: a cell of another tab, quoted as Excel wants."""
    quoted = ref.tab.replace("'", "''")
    return f"'{quoted}'!{get_column_letter(ref.column)}{ref.row}"


def _range(cells: CellRange) -> str:
    first = f"{get_column_letter(cells.first_column)}{cells.first_row}"
    last = f"{get_column_letter(cells.last_column)}{cells.last_row}"
    return f"{first}:{last}"


def _add_conditional(sheet: Worksheet, rule: ConditionalRule) -> None:
    colour = "FF" + rule.fill.lstrip("#").upper()
    fill = PatternFill("solid", start_color=colour, end_color=colour, bgColor=colour)
    if rule.op == "<":
        # an empty cell counts as 0 for "less than": only colour cells that hold a number
        top_left = f"{get_column_letter(rule.cells.first_column)}{rule.cells.first_row}"
        formula = f"AND(ISNUMBER({top_left}),{top_left}<{rule.value})"
        sheet.conditional_formatting.add(
            _range(rule.cells), FormulaRule(formula=[formula], fill=fill)
        )
    else:
        sheet.conditional_formatting.add(
            _range(rule.cells),
            CellIsRule(operator="greaterThanOrEqual", formula=[str(rule.value)], fill=fill),
        )


def _reference(sheet: Worksheet, cells: CellRange) -> Reference:
    return Reference(
        sheet,
        min_col=cells.first_column,
        min_row=cells.first_row,
        max_col=cells.last_column,
        max_row=cells.last_row,
    )


def _chart(sheet: Worksheet, chart: Chart) -> BarChart | LineChart:
    main: BarChart | LineChart = BarChart() if chart.kind == "column" else LineChart()
    if isinstance(main, BarChart):
        main.type = "col"
    main.title = chart.title
    main.width = 18
    main.height = 9
    # categories are labels (names, months): a string reference, or Excel numbers them 1, 2, 3
    categories = _reference(sheet, chart.categories)
    lines = LineChart() if chart.line_series and chart.kind == "column" else None
    for index, series in enumerate(chart.series):
        xl_series = XlSeries(_reference(sheet, series.values), title=series.name)
        xl_series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
        if lines is not None and index in chart.line_series:
            lines.series.append(xl_series)
        else:
            main.series.append(xl_series)
    main.x_axis.delete = False
    main.y_axis.delete = False
    if len(chart.series) == 1:
        main.legend = None
    else:
        main.legend.position = "b"
    if lines is not None:
        main += lines
    return main


def _protect(sheet: Worksheet) -> None:
    """Protection without a password: a warning against accidental edits, easy to lift."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may still widen columns
    sheet.protection.formatRows = False


# ------------------------------------------------------------------------- init


def add_dropdowns(sheet: Worksheet, dropdowns: Mapping[int, Sequence[str]], last_row: int) -> None:
    """Drop-down lists on data rows 2..`last_row` of the given 1-based columns. A value outside
    the list gets a warning, not a refusal: the bot reports it on Ошибки instead."""
    for column, values in sorted(dropdowns.items()):
        letter = get_column_letter(column)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(value.replace('"', "") for value in values) + '"',
            allow_blank=True,
            showDropDown=False,  # False = show the arrow (the name in OOXML is inverted)
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Значение не из списка",
            error="Выберите значение из списка, иначе бот не учтёт эту ячейку.",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _set_up_input_tab(sheet: Worksheet, tab: InputTabInit) -> None:
    for column, header in enumerate(tab.headers, start=1):
        cell = sheet.cell(1, column)
        cell.value = plain_text(header)
        cell.data_type = "s"
        cell.font = _FONTS["header"]
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"
    for column, fmt in enumerate(tab.formats, start=1):
        if fmt is None:
            continue
        number_format = NUMBER_FORMATS[fmt]
        for row in range(2, _DROPDOWN_LAST_ROW + 1):
            sheet.cell(row, column).number_format = number_format
    add_dropdowns(sheet, tab.dropdowns, _DROPDOWN_LAST_ROW)
    for column, value in enumerate(tab.example, start=1):
        _write_cell(sheet.cell(2, column), Cell(value))
    widths = tab.column_widths or tuple(max(12, len(header) + 4) for header in tab.headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
