"""The zip parts of a workbook: which part holds which tab, the drawings openpyxl would drop,
and the cached results of formulas that openpyxl's save loses."""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a formula cell as openpyxl writes it: no value type, an empty <v />
_OPENPYXL_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)>'
    r"(?P<formula><f(?: [^>]*)?>[^<]*</f>)<v ?/></c>"
)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Tab title → the zip member holding its cells."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{PKG_REL_NS}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{REL_NS}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts[sheet.get("name", "")] = part
    return parts


# drawing elements openpyxl does not write back; charts (graphicFrame) it keeps
_LOST_SHAPES = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)[\s/>]")
_PICTURES = re.compile(rb"<(?:\w+:)?pic[\s/>]")


def tabs_with_lost_drawings(path: Path) -> list[str]:
    """Titles of the tabs whose drawings hold shapes, or pictures when Pillow is missing."""
    from openpyxl.drawing.image import PILImage

    found: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for title, part in sheet_parts(archive).items():
                folder, _, name = part.rpartition("/")
                rels = f"{folder}/_rels/{name}.rels"
                if rels not in names:
                    continue
                for rel in ElementTree.fromstring(archive.read(rels)).iter(
                    f"{PKG_REL_NS}Relationship"
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
    return ["".join(t.text or "" for t in item.iter(f"{MAIN_NS}t")) for item in root]


def _cached_results(data: bytes, shared: list[str]) -> dict[str, tuple[str | None, str]]:
    """Cell reference → (value type, text) of every formula cell that has a cached result."""
    results: dict[str, tuple[str | None, str]] = {}
    for _, element in ElementTree.iterparse(io.BytesIO(data)):
        if element.tag != f"{MAIN_NS}c":
            continue
        formula = element.find(f"{MAIN_NS}f")
        value = element.find(f"{MAIN_NS}v")
        if formula is not None and value is not None and value.text is not None:
            kind = element.get("t")
            text = value.text
            if kind == "s":  # a result kept in the shared strings: inline it as a string
                kind, text = "str", shared[int(text)]
            results[element.get("r", "")] = (kind if kind != "n" else None, text)
        element.clear()
    return results


def restore_formula_results(original: Path, saved: bytes, titles: Sequence[str]) -> bytes:
    """`saved` (a workbook as openpyxl wrote it) with the cached results of formulas in tabs
    `titles` copied from `original`.

    openpyxl writes formulas without results; a later read (data_only) would then see empty
    cells until someone opens and saves the workbook in Excel. Best effort: on anything
    unexpected the workbook is left as openpyxl wrote it."""
    try:
        with zipfile.ZipFile(original) as source:
            source_parts = sheet_parts(source)
            wanted = {
                title: source.read(source_parts[title]) for title in titles if title in source_parts
            }
            wanted = {title: data for title, data in wanted.items() if b"<f" in data}
            if not wanted:
                return saved
            shared = _shared_strings(source)
            cached = {title: _cached_results(data, shared) for title, data in wanted.items()}
        with zipfile.ZipFile(io.BytesIO(saved)) as target:
            target_parts = sheet_parts(target)
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
