"""openpyxl cannot save shapes and text boxes (nor pictures without Pillow). `run` no longer
saves the workbook with openpyxl (it splices the generated tabs in, issue 19), so a text box on
an input tab survives it byte for byte; `init`, which still saves with openpyxl, refuses to
write such a workbook, so nothing the owner drew is silently lost. Charts survive both."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
TEXT_BOX = (
    "<oneCellAnchor><from><col>1</col><colOff>0</colOff><row>5</row><rowOff>0</rowOff></from>"
    '<ext cx="1000000" cy="500000" /><sp macro="" textlink=""><nvSpPr>'
    '<cNvPr id="2" name="TextBox 1" /><cNvSpPr txBox="1" /></nvSpPr><spPr><a:xfrm>'
    '<a:off x="0" y="0" /><a:ext cx="1000000" cy="500000" /></a:xfrm><a:prstGeom prst="rect">'
    "<a:avLst /></a:prstGeom></spPr><txBody><a:bodyPr /><a:p><a:r><a:t>Заполняйте сюда</a:t>"
    "</a:r></a:p></txBody></sp><clientData /></oneCellAnchor>"
)


def workbook_with_chart(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Продажи"
    sheet.append(["Дата", "Менеджер", "Клиент", "Сумма"])
    sheet.append(["05.11.2026", "Анна", "Ромашка", 1000])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=2))
    sheet.add_chart(chart, "G2")
    workbook.save(path)
    return path


def add_text_box(path: Path) -> Path:
    """The owner's text box «Заполняйте сюда» next to the chart on Продажи."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "xl/drawings/drawing1.xml":
                data = data.replace(b"</wsDr>", TEXT_BOX.encode() + b"</wsDr>")
            archive.writestr(info, data)
    return path


def drawing_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/drawings/drawing")
        )


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def test_openpyxl_really_drops_a_text_box(tmp_path: Path) -> None:
    path = add_text_box(workbook_with_chart(tmp_path / "book.xlsx"))
    assert "Заполняйте сюда" in drawing_text(path)

    openpyxl.load_workbook(path).save(tmp_path / "resaved.xlsx")

    assert "Заполняйте сюда" not in drawing_text(tmp_path / "resaved.xlsx")


def test_run_keeps_a_text_box_on_an_input_tab_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = add_text_box(workbook_with_chart(tmp_path / "book.xlsx"))
    drawn = drawing_text(path)

    assert main(["check", "--xlsx", str(path), "--as-of", AS_OF]) == 0  # reading is fine
    code = main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF])

    assert code == 0, capsys.readouterr().err
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/drawings/drawing1.xml").decode() == drawn  # the owner's drawing
    assert "Заполняйте сюда" in drawing_text(path)
    assert "Сводка" in openpyxl.load_workbook(path).sheetnames


def test_init_refuses_too(tmp_path: Path) -> None:
    path = add_text_box(workbook_with_chart(tmp_path / "book.xlsx"))
    before = path.read_bytes()

    assert main(["init", str(path), "--as-of", AS_OF]) == 3

    assert path.read_bytes() == before


def test_a_chart_on_an_input_tab_does_not_stop_a_run_and_survives_it(tmp_path: Path) -> None:
    path = workbook_with_chart(tmp_path / "book.xlsx")

    assert main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF]) == 0

    assert len(openpyxl.load_workbook(path)["Продажи"]._charts) == 1
    # and the bot's own charts on Сводка do not stop the next run
    assert main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF]) == 0
