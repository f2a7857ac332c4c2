"""The README's pictures: `scripts/render_pictures.py` through real LibreOffice (issue 20).

Skipped, with the reason, where `soffice` or poppler's `pdftotext`/`pdftoppm` are not installed
(docs/PICTURES.md says how to install them). The checks read the rendered PDF's text:

- the KPI block: the first page of Сводка shows the label «Выручка» and the team's revenue and
  plan for the month, taken from the demo's own `--report` JSON (so the test follows the
  figures, not a layout), in Russian digit groups («1 869 500»);
- a chart: a chart's title, read from the workbook's chart parts, is on that first page. Chart
  titles are drawn only inside the chart (titles that are also a cell's text on Сводка are not
  used), so the text can only come from a chart LibreOffice drew on the first page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from sheets_kpi.cli import main

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-22"  # the script's default
MISSING = [tool for tool in ("soffice", "pdftotext", "pdftoppm") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"not installed: {', '.join(MISSING)} (apt-get install libreoffice-calc poppler-utils)",
)

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The script's working folder (demo, one-tab copies, PDFs) with the PNGs in `png/`."""
    work = tmp_path_factory.mktemp("pictures")
    command = [sys.executable, str(REPO / "scripts" / "render_pictures.py")]
    command += ["--out", str(work / "png"), "--keep", str(work), "--as-of", AS_OF]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return work


def _first_page_text(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part of `part` (e.g. xl/workbook.xml)."""
    path = PurePosixPath(part)
    rels_part = str(path.parent / "_rels" / f"{path.name}.rels")
    if rels_part not in archive.namelist():
        return {}  # a tab without drawings
    rels = ElementTree.fromstring(archive.read(rels_part))
    targets = {}
    for rel in rels.findall("rel:Relationship", _NS):
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else str(path.parent / target)
        targets[rel.get("Id", "")] = str(PurePosixPath(*_normalised(resolved)))
    return targets


def _normalised(path: str) -> list[str]:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return parts


def _chart_titles(workbook: Path, tab: str) -> list[str]:
    """The titles of the charts drawn on `tab`, read from the .xlsx parts."""
    with zipfile.ZipFile(workbook) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = next(s for s in book.iter(f"{{{_NS['main']}}}sheet") if s.get("name") == tab)
        sheet_part = _rels(archive, "xl/workbook.xml")[sheet.get(f"{{{_NS['r']}}}id", "")]
        titles = []
        for drawing in _rels(archive, sheet_part).values():
            if "/drawings/" not in drawing:
                continue
            for chart in _rels(archive, drawing).values():
                root = ElementTree.fromstring(archive.read(chart))
                title = "".join(t.text or "" for t in root.iter(f"{{{_NS['a']}}}t"))
                if title:
                    titles.append(" ".join(title.split()))
    return titles


def _digits(amount: float) -> str:
    """«1 869 500» for 1869500.0: the whole roubles in Russian digit groups."""
    return f"{round(amount):,}".replace(",", " ")


def test_pictures_are_small_pngs_of_the_three_tabs(rendered: Path) -> None:
    for name in ("svodka", "leaderboard", "bonuses"):
        data = (rendered / "png" / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")  # the IHDR chunk's width
        assert 800 <= width <= 1600, (name, width)
        assert len(data) <= 400_000, (name, len(data))


def test_svodka_first_page_holds_the_kpi_block_and_a_chart(rendered: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert (
        main(["demo", str(tmp_path / "demo.xlsx"), "--as-of", AS_OF, "--report", str(report)]) == 0
    )
    team = next(m for m in json.loads(report.read_text())["team"] if m["month"] == AS_OF[:7])
    page = _first_page_text(rendered / "svodka.pdf")
    assert "Выручка" in page
    for figure in (team["revenue"], team["plan_revenue"]):  # 1 869 500 and 2 300 000 in the demo
        assert re.search(rf"(?<!\d)(?<!\d ){_digits(figure)}(?!\d)(?! \d)", page), _digits(figure)
    sheet = load_workbook(rendered / "demo.xlsx", read_only=True)["Сводка"]
    cells = {" ".join(str(v).split()) for row in sheet.iter_rows(values_only=True) for v in row}
    titles = [t for t in _chart_titles(rendered / "demo.xlsx", "Сводка") if t not in cells]
    assert titles, "Сводка has no chart with a title of its own"
    assert any(title in page for title in titles), (titles, page[:500])
