"""`XlsxBackend`: the local workbook behind `backends.base.Backend`, through openpyxl.

Reading hands over raw cell values (cached results of formulas, dates as `datetime`).
Writing rewrites only the generated tabs named in the plans, into a temporary file in the same
folder that replaces the original with `os.replace` (safety.py): a crash never leaves half a
workbook. Input tabs and any other tab of the user survive a write unchanged.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import python_calamine
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.backends.xlsx.cells import SheetCells, StyleCatalogue, sheet_cells
from sheets_kpi.backends.xlsx.init import set_up_input_tab
from sheets_kpi.backends.xlsx.layout import apply_plan
from sheets_kpi.backends.xlsx.parts import restore_formula_results, tabs_with_lost_drawings
from sheets_kpi.backends.xlsx.read import has_data, read_with_calamine, read_with_openpyxl
from sheets_kpi.backends.xlsx.safety import (
    FileIdentity,
    file_identity,
    refuse_unsafe_target,
    refuse_zip_bombs,
    replace_atomically,
    writable_target,
)
from sheets_kpi.backends.xlsx.splice import Unspliceable, splice
from sheets_kpi.backends.xlsx.texts import pair
from sheets_kpi.core.model import RawWorkbook
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite, examples_for_a_blank_book
from sheets_kpi.errors import BackendError

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls files
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


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
        results; trailing empty rows and columns are dropped): through calamine, or openpyxl
        where calamine would read a cell differently or cannot open the file."""
        self._identity = file_identity(self.path)  # before reading: a save during it counts
        self._check_readable()
        try:
            raw = read_with_calamine(self.path, wanted)
        except (python_calamine.CalamineError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
            logger.debug("calamine could not read %s: %r", self.path, exc)
            raw = None
        except (OSError, KeyError, ValueError, EOFError) as exc:
            logger.debug("calamine could not read %s: %r", self.path, exc)
            raw = None
        if raw is None:
            raw = self._read_with_openpyxl(wanted)
        logger.debug("read %d of %d tabs from %s", len(raw.tabs), len(raw.titles), self.path)
        return raw

    def _read_with_openpyxl(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        workbook = self._load(read_only=True, data_only=True)
        try:
            return read_with_openpyxl(workbook, wanted)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
            raise BackendError(*self._corrupt_message()) from exc
        finally:
            workbook.close()

    # ----------------------------------------------------------------- write

    def write(self, plans: Sequence[TabWrite]) -> None:
        """Rewrite the generated tabs of `plans`; everything else in the workbook stays, part for
        part (splice.py). A banner (only row 1 of a tab) and a package splice.py cannot read
        go through a full openpyxl load and save instead."""
        if not plans:
            return
        expected = self._identity or file_identity(self.path)
        self._check_readable()
        refuse_unsafe_target(self.path)
        if all(plan.mode == "replace" for plan in plans):
            fresh, cells = _lay_out(plans)
            try:
                with (
                    zipfile.ZipFile(writable_target(self.path)) as original,
                    zipfile.ZipFile(io.BytesIO(fresh)) as made,
                ):
                    replace_atomically(
                        self.path, expected, lambda out: splice(original, made, out, cells)
                    )
            except Unspliceable as exc:
                logger.info("cannot splice %s (%s): saving it with openpyxl", self.path, exc)
            except (zipfile.BadZipFile, EOFError) as exc:
                raise BackendError(*self._corrupt_message()) from exc
            else:
                self._identity = None  # the next write is guarded from the read before it
                logger.info("wrote %d tabs into %s", len(plans), self.path)
                return
        self._write_by_openpyxl(plans, expected)

    def _write_by_openpyxl(self, plans: Sequence[TabWrite], expected: FileIdentity | None) -> None:
        self._refuse_to_drop_drawings(keep={plan.title for plan in plans if plan.mode == "replace"})
        workbook = self._load(read_only=False, data_only=False)
        for plan in plans:
            _apply(workbook, plan)
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
            and (not isinstance(workbook[tab.title], Worksheet) or has_data(workbook[tab.title]))
        }
        for tab in examples_for_a_blank_book(tabs, taken):
            if tab.title in taken:
                continue
            if tab.title in workbook.sheetnames:
                sheet = workbook[tab.title]
            else:
                sheet = workbook.create_sheet(tab.title)
            set_up_input_tab(sheet, tab)
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
        """Turn the usual ways a workbook cannot be opened into a sentence (Russian, English)."""
        path = self.path
        if not path.exists():
            raise BackendError(*pair("missing", path=path))
        if path.is_dir():
            raise BackendError(
                *pair(
                    "folder",
                    path=path,
                    example_ru=path / "продажи.xlsx",
                    example_en=path / "sales.xlsx",
                )
            )
        if not path.is_file():  # a device or a pipe: opening a pipe would wait forever
            raise BackendError(*pair("not_regular", path=path))
        try:
            with path.open("rb") as handle:
                head = handle.read(len(_OLE_MAGIC))
                if head == _OLE_MAGIC:
                    encrypted = _ENCRYPTION_STREAM in head + handle.read()
                else:
                    encrypted = False
        except PermissionError as exc:
            raise BackendError(*pair("no_read_permission", path=path)) from exc
        except OSError as exc:
            raise BackendError(*pair("cannot_open", path=path, reason=exc.strerror or exc)) from exc
        if not head:
            raise BackendError(*pair("empty", path=path))
        if encrypted:
            raise BackendError(*pair("encrypted", path=path))
        if head == _OLE_MAGIC:
            raise BackendError(*pair("old_xls", path=path))
        refuse_zip_bombs(path)

    def _refuse_to_drop_drawings(self, keep: set[str]) -> None:
        """openpyxl loses shapes and text boxes (and pictures without Pillow) when it saves:
        refuse to write rather than silently delete them from the owner's tabs. Tabs in `keep`
        are rewritten by the bot anyway."""
        tabs = [title for title in tabs_with_lost_drawings(self.path) if title not in keep]
        if tabs:
            names = ", ".join(f"«{title}»" for title in tabs)
            raise BackendError(*pair("drawings", names=names))

    def _corrupt_message(self) -> tuple[str, str]:
        return pair("corrupt", path=self.path)

    def _load(self, *, read_only: bool, data_only: bool) -> Workbook:
        try:
            return openpyxl.load_workbook(
                self.path, read_only=read_only, data_only=data_only, keep_links=True
            )
        except PermissionError as exc:
            raise BackendError(*pair("no_read_permission_short", path=self.path)) from exc
        except Exception as exc:
            # openpyxl raises many kinds of errors on a damaged file (zip, XML, KeyError, ...);
            # each one means the same thing to the owner: the file is not a usable workbook
            logger.debug("openpyxl could not open %s: %r", self.path, exc)
            raise BackendError(*self._corrupt_message()) from exc

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
            data = restore_formula_results(target, data, keep_results_of)
        replace_atomically(self.path, expected, lambda out: out.write(data))
        # the next write is guarded from the read before it (or from its own start)
        self._identity = None


def _apply(workbook: Workbook, plan: TabWrite) -> None:
    try:
        apply_plan(workbook, plan)
    except ValueError as exc:  # openpyxl refuses a title Excel cannot hold
        raise BackendError(*pair("bad_tab_title", title=plan.title, reason=exc)) from exc


def _lay_out(plans: Sequence[TabWrite]) -> tuple[bytes, dict[str, SheetCells]]:
    """The generated tabs alone, laid out by openpyxl in a workbook of their own (in memory),
    without their cells; the cells as sheet XML, with the formats openpyxl gave them."""
    workbook = Workbook()
    default = workbook.active
    styles = StyleCatalogue(workbook)
    cells = {plan.title: sheet_cells(plan, styles) for plan in plans}
    styles.close()
    for plan in plans:
        _apply(workbook, replace(plan, rows=()))
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), cells
