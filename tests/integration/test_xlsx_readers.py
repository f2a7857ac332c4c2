"""The two readers of the local workbook agree (issue 19): every workbook of the corpus, and
the demo, read by python-calamine (what `run` and `check` use) gives the same tab titles and
the same raw cells, value and type, as openpyxl (what the bot read before, and still reads when
calamine would differ). One documented difference: an empty string is None for calamine, ""
for openpyxl; `core.parse.is_blank` treats both as an empty cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.backends.xlsx import read as xlsx_read
from sheets_kpi.backends.xlsx.read import read_with_calamine, read_with_openpyxl
from sheets_kpi.core.model import RawWorkbook
from sheets_kpi.core.settings import Config
from sheets_kpi.demo import build_demo
from tests.corpus.corpus_cases import CASES, Case, build

READABLE = [
    case
    for case in CASES
    if "google" not in case.tags and case.check_exit != 3 and case.name != "symlinked_workbook"
]


def everything(_title: str) -> bool:
    return True


def by_openpyxl(path: Path) -> RawWorkbook:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=True)
    try:
        return read_with_openpyxl(workbook, everything)
    finally:
        workbook.close()


def typed(raw: RawWorkbook) -> dict[str, list[list[tuple[str, object]]]]:
    """Each cell as (type name, value), the empty string as None."""
    return {
        title: [
            [("NoneType", None) if value == "" else (type(value).__name__, value) for value in row]
            for row in tab.rows
        ]
        for title, tab in raw.tabs.items()
    }


def assert_agree(path: Path) -> None:
    slow = by_openpyxl(path)
    fast = read_with_calamine(path, everything)
    if fast is None:  # calamine declined: the bot reads with openpyxl, nothing to compare
        return
    assert fast.titles == slow.titles
    assert typed(fast) == typed(slow)


def test_calamine_takes_the_fast_path_on_all_but_whitespace_only_text(tmp_path: Path) -> None:
    # the two cases hold text of spaces only that openpyxl wrote without xml:space="preserve"
    declined = set()
    for number, case in enumerate(READABLE):
        folder = tmp_path / str(number)
        folder.mkdir()
        if read_with_calamine(build(case, folder), everything) is None:
            declined.add(case.name)

    assert declined == {"empty_rows_only", "manager_only_spaces"}


@pytest.mark.parametrize("case", READABLE, ids=[case.name for case in READABLE])
def test_calamine_and_openpyxl_read_every_corpus_workbook_alike(case: Case, tmp_path: Path) -> None:
    assert_agree(build(case, tmp_path))


def test_calamine_reads_the_demo_workbook_and_agrees(tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    build_demo(path, date(2026, 11, 22), Config())

    assert read_with_calamine(path, everything) is not None  # the fast path is really taken
    assert_agree(path)


def test_calamine_declines_what_it_would_read_differently(tmp_path: Path) -> None:
    """An error cell (calamine: "", openpyxl: "#DIV/0!") and a name typed with a trailing space
    in a file that does not mark it (calamine trims it): the bot reads these with openpyxl."""
    for name, value in (("error", "=1/0"), ("space", "Анна ")):
        path = tmp_path / f"{name}.xlsx"
        workbook = openpyxl.Workbook()
        workbook.active.title = "Продажи"
        workbook.active.append(["Дата", "Менеджер", "Клиент", "Сумма"])
        workbook.active.append([datetime(2026, 11, 5), value, "Ромашка", 1000])
        workbook.save(path)
        if name == "error":  # the cached result Excel would save with the formula
            _put_error_result(path)
        else:  # a writer that does not mark the space (openpyxl marks it)
            _unmark_spaces(path)

        assert read_with_calamine(path, everything) is None, name


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 8, 13, 64])
def test_calamine_declines_whatever_piece_boundary_cuts_the_xml(
    piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XML is searched in pieces, not read whole (1M rows: 441 MB); a cell cut by a piece
    boundary anywhere is still found."""
    monkeypatch.setattr(xlsx_read, "_PIECE", piece)
    test_calamine_declines_what_it_would_read_differently(tmp_path)
    clean = tmp_path / "clean.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Дата", "Менеджер", "Клиент", "Сумма"])
    workbook.active.append([datetime(2026, 11, 5), "Анна", "Ромашка", 1000])
    workbook.save(clean)
    assert read_with_calamine(clean, everything) is not None


def test_calamine_rows_start_at_column_a_and_row_1(tmp_path: Path) -> None:
    """calamine reads rows from the first used column; the raw rows start at column A."""
    path = tmp_path / "offset.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["C3"] = "Анна"
    workbook.active["D5"] = 5
    workbook.active["E5"] = datetime(2026, 11, 5)
    workbook.save(path)

    fast = read_with_calamine(path, everything)
    assert fast is not None
    assert fast.tabs["Sheet"].rows == [
        [],
        [],
        [None, None, "Анна"],
        [],
        [None, None, None, 5, datetime(2026, 11, 5)],
    ]
    assert_agree(path)


def _rewrite_sheet(path: Path, change: object) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)  # type: ignore[operator]
            archive.writestr(info, data)


def _put_error_result(path: Path) -> None:
    _rewrite_sheet(
        path,
        lambda data: (
            data.replace(b"<v></v>", b"")
            .replace(b"<f>1/0</f>", b"<f>1/0</f><v>#DIV/0!</v>")
            .replace(b'<c r="B2"', b'<c r="B2" t="e"')
        ),
    )


def _unmark_spaces(path: Path) -> None:
    _rewrite_sheet(path, lambda data: data.replace(b' xml:space="preserve"', b""))
