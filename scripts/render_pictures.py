"""Render the demo's Сводка, Лидерборд and Бонусы to PNG pictures for the README (issue 20).

    python scripts/render_pictures.py    # docs/pictures/{svodka,leaderboard,bonuses}.png

Builds the demo (`sheets-kpi demo` at a fixed `--as-of`, so the pictures only change when the
layout or the demo does), then for each tab: a copy of the workbook with only that tab visible,
printed one page wide on A3 portrait (rows past the tab's limit, and past the charts that start
above it, go to later pages) → PDF by LibreOffice headless (its own profile, Russian locale, so
`1 869 500 ₽` reads as in Excel) → the first page cropped to its text and drawn at a readable
size by `pdftoppm` (poppler-utils).
Needs `soffice` and `pdftoppm`/`pdftotext` on PATH; nothing here is a dependency of the bot.
See docs/PICTURES.md.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.cli import main as sheets_kpi_main

logger = logging.getLogger("render_pictures")

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-22"  # the date the baseline demo is taken at
# tab title → (picture name, rows on the first page at most)
TABS: dict[str, tuple[str, int]] = {
    "Сводка": ("svodka", 60),
    "Лидерборд": ("leaderboard", 40),
    "Бонусы": ("bonuses", 40),
}
WIDTH_PX = 1600  # the pictures' width, unless that would draw a narrow tab above MAX_DPI
MAX_DPI = 150
PADDING_PT = 8  # white space kept around the cropped content, in PDF points
SOFFICE_TIMEOUT_S = 300

# Russian locale for the LibreOffice profile: number formats, decimal comma, thousands spaces.
_LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>ru-RU</value></prop></item>
</oor:items>
"""
_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"')


def tool(name: str) -> str:
    """The path of a command-line tool, or a stop that says how to install it."""
    found = shutil.which(name)
    if found is None:
        package = "libreoffice-calc" if name == "soffice" else "poppler-utils"
        raise SystemExit(f"{name} not found: sudo apt-get install -y {package} (docs/PICTURES.md)")
    return found


def build_demo(folder: Path, as_of: str) -> Path:
    """The demo workbook, built and computed by `sheets-kpi demo`."""
    path = folder / "demo.xlsx"
    code = sheets_kpi_main(["demo", str(path), "--as-of", as_of])
    if code != 0 or not path.exists():
        raise SystemExit(f"sheets-kpi demo failed with exit code {code}")
    return path


def one_tab_copy(workbook: Path, tab: str, rows: int, target: Path) -> Path:
    """A copy of `workbook` where only `tab` is visible, printed one page wide on A3 portrait.

    The first page ends after row `rows`, or after the last row of a chart that starts by
    then, so no chart is cut in two.
    """
    book = load_workbook(workbook)
    sheet = book[tab]
    book.active = sheet
    for other in book.worksheets:
        if other is not sheet:
            other.sheet_state = "hidden"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    last = max([rows, *(end for start, end in chart_rows(workbook, sheet) if start <= rows)])
    sheet.row_breaks.append(Break(id=last))
    book.save(target)
    return target


def chart_rows(workbook: Path, sheet: Worksheet) -> list[tuple[int, int]]:
    """The first and last row (1-based) each chart anchored on `sheet` covers."""
    with zipfile.ZipFile(workbook) as archive:
        names = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        entry = next(
            e for e in names.iter(f"{{{_NS['main']}}}sheet") if e.get("name") == sheet.title
        )
        sheet_part = _targets(archive, "xl/workbook.xml")[entry.get(f"{{{_NS['r']}}}id", "")]
        drawings = [p for p in _targets(archive, sheet_part).values() if "/drawings/" in p]
        anchors = [
            anchor
            for part in drawings
            for anchor in ElementTree.fromstring(archive.read(part))
            if anchor.find("xdr:graphicFrame", _NS) is not None
        ]
    spans = []
    for anchor in anchors:
        start = int(anchor.findtext("xdr:from/xdr:row", "0", _NS)) + 1
        if anchor.find("xdr:to", _NS) is not None:
            spans.append((start, int(anchor.findtext("xdr:to/xdr:row", "0", _NS)) + 1))
            continue
        height = int(anchor.find("xdr:ext", _NS).get("cy", "0"))  # EMU, 12 700 a point
        height += int(anchor.findtext("xdr:from/xdr:rowOff", "0", _NS))
        row = start
        while height > 0:
            points = sheet.row_dimensions[row].height or sheet.sheet_format.defaultRowHeight
            height -= round(points * 12700)
            row += 1
        spans.append((start, row - 1))
    return spans


def _targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → the part it points at, for `part` (e.g. xl/workbook.xml)."""
    path = PurePosixPath(part)
    rels_part = f"{path.parent}/_rels/{path.name}.rels"
    if rels_part not in archive.namelist():
        return {}  # a part that points at nothing, e.g. a tab without drawings
    rels = ElementTree.fromstring(archive.read(rels_part))
    targets = {}
    for rel in rels.findall("rel:Relationship", _NS):
        target = rel.get("Target", "")
        joined = target.lstrip("/") if target.startswith("/") else f"{path.parent}/{target}"
        parts: list[str] = []
        for piece in joined.split("/"):
            if piece == "..":
                parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        targets[rel.get("Id", "")] = "/".join(parts)
    return targets


def to_pdf(workbooks: list[Path], folder: Path) -> None:
    """Convert each workbook to `folder/<stem>.pdf` with LibreOffice headless."""
    profile = folder.resolve() / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_LOCALE_XCU, encoding="utf-8")
    command = [tool("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), *map(str, workbooks)]
    subprocess.run(command, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT_S)
    for workbook in workbooks:
        if not (folder / f"{workbook.stem}.pdf").exists():
            raise SystemExit(f"LibreOffice wrote no PDF for {workbook.name}")


def content_box(pdf: Path) -> tuple[float, float, float, float]:
    """The first page's text (cells and chart labels alike) as x0, y0, x1, y1 in points."""
    words = subprocess.run(
        [tool("pdftotext"), "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    boxes = [tuple(map(float, match)) for match in _WORD.findall(words)]
    if not boxes:
        raise SystemExit(f"{pdf.name}: the first page is empty")
    x0 = min(box[0] for box in boxes) - PADDING_PT
    y0 = min(box[1] for box in boxes) - PADDING_PT
    x1 = max(box[2] for box in boxes) + PADDING_PT
    y1 = max(box[3] for box in boxes) + PADDING_PT
    return max(x0, 0), max(y0, 0), x1, y1


def to_png(pdf: Path, png: Path) -> None:
    """The first page of `pdf`, cropped to its content, as `png`."""
    x0, y0, x1, y1 = content_box(pdf)
    dpi = min(MAX_DPI, WIDTH_PX * 72 / (x1 - x0))
    crop = [round(value * dpi / 72) for value in (x0, y0, x1 - x0, y1 - y0)]
    command = [tool("pdftoppm"), "-f", "1", "-l", "1", "-r", f"{dpi:.2f}", "-png", "-singlefile"]
    command += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    subprocess.run([*command, str(pdf), str(png.with_suffix(""))], check=True, timeout=120)


def render(out: Path, as_of: str, keep: Path | None = None) -> list[Path]:
    """Build the demo and write one PNG per tab of TABS into `out`; return their paths."""
    for name in ("soffice", "pdftoppm", "pdftotext"):
        tool(name)  # stop before building anything when a tool is missing
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sheets-kpi-pictures-") as temporary:
        folder = keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        demo = build_demo(folder, as_of)
        copies = [
            one_tab_copy(demo, tab, rows, folder / f"{name}.xlsx")
            for tab, (name, rows) in TABS.items()
        ]
        to_pdf(copies, folder)
        pictures = []
        for name, _ in TABS.values():
            picture = out / f"{name}.png"
            to_png(folder / f"{name}.pdf", picture)
            logger.info("%s: %d KB", picture, picture.stat().st_size // 1024)
            pictures.append(picture)
    return pictures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "pictures")
    parser.add_argument("--as-of", default=AS_OF, help=f"the demo's date (default {AS_OF})")
    parser.add_argument("--keep", type=Path, help="keep the demo, the copies and PDFs here")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    render(arguments.out, arguments.as_of, arguments.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
