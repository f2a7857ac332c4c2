"""Writing by splicing (issue 19): a workbook saved by another program (xlsxwriter, as Excel
would: shared strings, a picture, a note, a sparkline, a chart, a text box) keeps every part of
the owner's tabs byte for byte through `run --once`; the result reopens in openpyxl, calamine
and, when it is installed, LibreOffice."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

xlsxwriter = pytest.importorskip("xlsxwriter")

AS_OF = "2026-11-22"
GENERATED = ("Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки")
# the only parts a run may change: adding a tab, appending styles
PACKAGE_PARTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
STYLES = "xl/styles.xml"


def png(width: int = 4, height: int = 3) -> bytes:
    """A small red picture, built by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def owners_workbook(path: Path, picture: Path) -> Path:
    """Продажи with three sales (shared strings), a picture, a note, a sparkline and a chart;
    a tab «Заметки» with a text box."""
    workbook = xlsxwriter.Workbook(str(path))
    sales = workbook.add_worksheet("Продажи")
    money = workbook.add_format({"num_format": '#,##0 "₽"', "bold": True})
    sales.write_row(0, 0, ["Дата", "Менеджер", "Клиент", "Сумма"])
    for row, (day, manager, client, amount) in enumerate(
        [
            ("05.11.2026", "Анна Смирнова", "Ромашка", 120000),
            ("07.11.2026", "Борис Петров", "Лютик", 50000),
            ("12.11.2026", "Анна Смирнова", "Ромашка", 30000),
        ],
        start=1,
    ):
        sales.write_row(row, 0, [day, manager, client])
        sales.write_number(row, 3, amount, money)
    sales.insert_image("G2", str(picture))
    sales.write_comment("D2", "Проверить оплату")
    sales.add_sparkline("E2", {"range": "Продажи!D2:D4"})
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "=Продажи!$D$2:$D$4", "categories": "=Продажи!$C$2:$C$4"})
    sales.insert_chart("G10", chart)
    notes = workbook.add_worksheet("Заметки")
    notes.write("A1", "Планёрка по понедельникам")
    notes.insert_textbox("B3", "Заполняйте сюда", {"width": 200, "height": 60})
    workbook.close()
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def section(styles: bytes, name: str) -> str:
    found = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", styles.decode(), re.DOTALL)
    return found[1] if found else ""


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    picture = tmp_path / "logo.png"
    picture.write_bytes(png())
    return owners_workbook(tmp_path / "продажи.xlsx", picture)


def test_every_part_of_the_owners_tabs_is_byte_identical_after_two_runs(book: Path) -> None:
    before = parts(book)
    assert any(name.startswith("xl/media/") for name in before)  # the picture
    assert any("comments" in name for name in before)  # the note
    assert b"sparkline" in before["xl/worksheets/sheet1.xml"]

    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    first = parts(book)
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    second = parts(book)

    for after in (first, second):
        for name, data in before.items():
            if name in PACKAGE_PARTS or name == STYLES:
                continue
            assert after.get(name) == data, f"{name} changed"
        for name in ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs"):
            # the owner's styles stay where they were; the bot's are appended after them
            assert section(after[STYLES], name).startswith(section(before[STYLES], name)), name
        for sheet in re.findall(rb"<sheet [^>]*/>", before["xl/workbook.xml"]):
            assert sheet in after["xl/workbook.xml"]
    # the second run finds its own styles and its own tabs: nothing added, nothing renamed
    assert second[STYLES] == first[STYLES]
    assert set(second) == set(first)
    for name in PACKAGE_PARTS:
        assert second[name] == first[name], name


def test_the_spliced_workbook_reopens_with_its_values_formats_and_charts(book: Path) -> None:
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0

    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Продажи", "Заметки", *GENERATED]
    summary = workbook["Сводка"]
    assert summary.protection.sheet
    assert len(list(summary.conditional_formatting)) >= 1
    assert len(summary._charts) >= 1  # the bot's charts
    team = workbook["Помесячно"]
    # Помесячно freezes its column-group row and its header row (issue 20's layout).
    assert team.freeze_panes == "A3"
    header = [cell.value for cell in team[2]]
    revenue_column = header.index("Выручка") + 1
    revenue = [row[revenue_column - 1] for row in team.iter_rows(min_row=3, values_only=True)]
    # November 2026: 120 000 + 50 000 + 30 000 for the team
    assert 200000 in revenue
    money_format = team.cell(3, revenue_column).number_format
    assert "₽" in money_format
    # the owner's cell formats still mean what they meant: Сумма keeps «# ##0 ₽», bold
    sales = workbook["Продажи"]
    assert sales["D2"].number_format == '#,##0 "₽"' and sales["D2"].font.b


def test_the_spliced_workbook_opens_in_calamine(book: Path) -> None:
    calamine = pytest.importorskip("python_calamine")
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0

    with calamine.CalamineWorkbook.from_path(str(book)) as workbook:
        assert workbook.sheet_names == ["Продажи", "Заметки", *GENERATED]
        rows = workbook.get_sheet_by_name("Помесячно").to_python()
    assert any(200000 in row for row in rows)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_spliced_workbook(book: Path, tmp_path: Path) -> None:
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    out = tmp_path / "converted"

    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(book)],
        capture_output=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    # what LibreOffice understood of every tab, saved again by LibreOffice itself
    converted = openpyxl.load_workbook(out / book.name, data_only=True)
    assert converted.sheetnames == ["Продажи", "Заметки", *GENERATED]
    assert converted["Продажи"]["D2"].value == 120000
    monthly = [row for row in converted["Помесячно"].iter_rows(values_only=True)]
    assert any(200000 in row for row in monthly)


def rewrite(path: Path, change: dict[str, object], extra: dict[str, bytes] | None = None) -> None:
    """Change zip members of `path` (name → function of the old bytes), add `extra` ones."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename in change:
                data = change[info.filename](data)  # type: ignore[operator]
            archive.writestr(info, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)


CALC_CHAIN_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"


def test_calc_chain_is_dropped_and_formula_results_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.corpus.corpus_cases import CASES, build

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    formulas = next(case for case in CASES if case.name == "formulas_in_input_cells")
    book = build(formulas, tmp_path)  # D2 = 100000+20000 and L2 = D2*2, with their results
    chain = (
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="D2" i="1"/><c r="L2"/></calcChain>'
    )
    rewrite(
        book,
        {
            "xl/_rels/workbook.xml.rels": lambda data: data.replace(
                b"</Relationships>",
                f'<Relationship Id="rId99" Type="{CALC_CHAIN_TYPE}" '
                f'Target="calcChain.xml"/></Relationships>'.encode(),
            ),
            "[Content_Types].xml": lambda data: data.replace(
                b"</Types>",
                b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
            ),
        },
        {"xl/calcChain.xml": chain},
    )

    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0

    after = parts(book)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    shown = openpyxl.load_workbook(book, data_only=True)["Продажи"]
    assert (shown["D2"].value, shown["L2"].value) == (120000, 240000)


def test_a_package_the_splice_cannot_read_is_written_by_openpyxl(book: Path) -> None:
    # every element of styles.xml with a namespace prefix (valid XML; splice.py reads plain tags)
    rewrite(
        book,
        {
            STYLES: lambda data: re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", data).replace(
                b"xmlns=", b"xmlns:x="
            )
        },
    )

    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 3

    # openpyxl would drop the text box on «Заметки»: the fallback refuses instead of losing it
    assert "Сводка" not in openpyxl.load_workbook(book).sheetnames
