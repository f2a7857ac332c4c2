"""Render the demo's Сводка, Лидерборд and Бонусы to PNG pictures for the README (issue 20).

    python scripts/render_pictures.py    # docs/pictures/{svodka,leaderboard,bonuses}.png

Builds the demo (`sheets-kpi demo` at a fixed `--as-of`, so the pictures only change when the
layout or the demo does), then for each tab: a copy of the workbook with only that tab visible,
printed landscape one page wide (rows past the tab's limit go to later pages) → PDF by
LibreOffice headless (its own profile, Russian locale, so `1 869 500 ₽` reads as in Excel) →
the first page cropped to its text and drawn at a readable size by `pdftoppm` (poppler-utils).
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
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.pagebreak import Break

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
    """A copy of `workbook` where only `tab` is visible, printed one page wide, `rows` a page."""
    book = load_workbook(workbook)
    sheet = book[tab]
    book.active = sheet
    for other in book.worksheets:
        if other is not sheet:
            other.sheet_state = "hidden"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.row_breaks.append(Break(id=rows))
    book.save(target)
    return target


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
