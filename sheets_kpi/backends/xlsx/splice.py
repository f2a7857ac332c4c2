"""Writing by splicing (issue 19): the generated tabs, laid out by openpyxl in a workbook of
their own, are put into the owner's zip; every other part is copied byte for byte.

Only the generated sheets' parts change (sheet XML, their drawings, charts and rels).
`workbook.xml`, its rels and `[Content_Types].xml` change only to add a generated tab, to drop
`calcChain.xml` (Excel rebuilds it) or to ask for a recalculation on load when a generated tab
holds formulas; `styles.xml` only gets entries appended (existing indexes never move). So
pictures, shapes, notes, sparklines, pivot tables, macros and users' charts all survive.
`Unspliceable` means the owner's package is laid out in a way this module does not handle;
the caller then falls back to a full load and save.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.sax.saxutils import escape, unescape

from sheets_kpi.backends.xlsx.cells import SheetCells, inject
from sheets_kpi.backends.xlsx.styles import StylesUnreadable, merge_styles
from sheets_kpi.backends.xlsx.texts import pair
from sheets_kpi.backends.xlsx.zipcopy import CannotCopy, ZipCopier
from sheets_kpi.errors import BackendError

logger = logging.getLogger(__name__)

_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_TYPE = f"{_OFFICE_REL}/worksheet"
_CALC_CHAIN_TYPE = f"{_OFFICE_REL}/calcChain"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_OWNED_TYPES = ("/drawing", "/chart", "/chartUserShapes", "/chartStyle", "/chartColorStyle")

_SHEET = re.compile(r"<sheet\b[^>]*/>")
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*/>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_OVERRIDE = re.compile(r"<Override\b[^>]*/>")


class Unspliceable(Exception):
    """The package does not look as expected: write it the slow, safe way."""


def _attrs(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))


def _unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _escape(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = source_part.rpartition("/")[0]
    return posixpath.normpath(posixpath.join(folder, target))


@dataclass
class _Package:
    """The parts of a zip this module reads and may change, as text."""

    archive: zipfile.ZipFile
    names: set[str] = field(default_factory=set)

    def text(self, name: str) -> str:
        try:
            return self.archive.read(name).decode("utf-8")
        except (KeyError, UnicodeDecodeError) as exc:
            raise Unspliceable(f"cannot read {name}: {exc!r}") from exc

    def rels(self, part: str) -> list[dict[str, str]]:
        name = _rels_name(part)
        if name not in self.names:
            return []
        return [_attrs(tag) for tag in _RELATIONSHIP.findall(self.text(name))]

    def sheets(self) -> dict[str, tuple[str, str]]:
        """Tab title → (relationship id, sheet part)."""
        workbook = self.text("xl/workbook.xml")
        targets = {rel["Id"]: rel for rel in self.rels("xl/workbook.xml")}
        found: dict[str, tuple[str, str]] = {}
        for tag in _SHEET.findall(workbook):
            attrs = _attrs(tag)
            rel = targets.get(attrs.get("r:id", ""))
            if rel is None or "name" not in attrs:
                raise Unspliceable("a sheet without a relationship")
            found[_unescape(attrs["name"])] = (
                attrs["r:id"],
                _resolve("xl/workbook.xml", rel["Target"]),
            )
        if not found:
            raise Unspliceable("no sheets found (prefixed or strict namespaces?)")
        return found


def _owned_parts(package: _Package, part: str) -> set[str]:
    """The drawings and charts hanging off a sheet (and their rels), recursively."""
    owned: set[str] = set()
    stack = [part]
    while stack:
        current = stack.pop()
        for rel in package.rels(current):
            if rel.get("TargetMode") == "External":
                continue
            if rel.get("Type", "").endswith(_OWNED_TYPES):
                target = _resolve(current, rel["Target"])
                if target in package.names and target not in owned:
                    owned.add(target)
                    stack.append(target)
        if _rels_name(current) in package.names:
            owned.add(_rels_name(current))
    return owned


class _Names:
    """Free part names: the ones the old generated tabs leave are reused first, so a rerun
    with the same charts changes no content type."""

    def __init__(self, taken: set[str], freed: set[str]) -> None:
        self.taken = taken - freed
        self.freed = freed

    def new(self, folder: str, stem: str) -> str:
        pattern = re.compile(rf"{re.escape(folder)}/{stem}(\d+)\.xml")
        reusable = sorted(
            (name for name in self.freed if pattern.fullmatch(name)),
            key=lambda name: int(pattern.fullmatch(name)[1]),  # type: ignore[index]
        )
        if reusable:
            name = reusable[0]
            self.freed.discard(name)
        else:
            used = [int(m[1]) for m in map(pattern.fullmatch, self.taken | self.freed) if m]
            name = f"{folder}/{stem}{max(used, default=0) + 1}.xml"
        self.taken.add(name)
        return name


@dataclass
class _Plan:
    """What the spliced zip holds instead of the original's parts."""

    replaced: dict[str, bytes] = field(default_factory=dict)  # part → new content
    dropped: set[str] = field(default_factory=set)
    content_types: dict[str, str] = field(default_factory=dict)  # new part → content type


def splice(
    original: zipfile.ZipFile,
    fresh: zipfile.ZipFile,
    out: BinaryIO,
    cells: Mapping[str, SheetCells] | None = None,
) -> bool:
    """Write into `out` the workbook `original` with every tab of `fresh` put in its place
    (a tab of the same title replaced where it stands, a new one added at the end), its cells
    taken from `cells` where given. Returns whether a generated tab holds formulas."""
    user = _Package(original, set(original.namelist()))
    made = _Package(fresh, set(fresh.namelist()))
    user_sheets = user.sheets()
    folded = {title.casefold(): title for title in user_sheets}
    plan = _Plan()
    made_sheets = made.sheets()
    old_parts = {title: part for title, (_, part) in user_sheets.items() if title in made_sheets}
    freed: set[str] = set()
    for part in old_parts.values():
        freed |= _owned_parts(user, part)
    names = _Names(set(user.names), freed)
    try:
        styles, remap = merge_styles(user.text("xl/styles.xml"), made.text("xl/styles.xml"))
    except StylesUnreadable as exc:
        raise Unspliceable(str(exc)) from exc
    plan.replaced["xl/styles.xml"] = styles.encode("utf-8")
    shared = _shared_strings(made)
    formulas = False
    new_tabs: list[tuple[str, str]] = []  # (title, part)
    for title, (_, fresh_part) in made_sheets.items():
        if title in user_sheets:
            part = old_parts[title]
            if not part.startswith("xl/worksheets/"):
                raise Unspliceable(f"«{title}» is not a worksheet (a chart sheet?)")
        elif title.casefold() in folded:
            raise BackendError(*pair("tab_clash", existing=folded[title.casefold()], title=title))
        else:
            part = names.new("xl/worksheets", "sheet")
            new_tabs.append((title, part))
            plan.content_types[part] = _WORKSHEET_CONTENT
        sheet_xml = made.text(fresh_part)
        if cells is not None and title in cells:
            sheet_xml = inject(sheet_xml, cells[title])
        sheet_xml = remap(_inline_strings(sheet_xml, shared))
        sheet_xml = sheet_xml.replace(' tabSelected="1"', "")
        formulas |= "<f>" in sheet_xml or "<f " in sheet_xml
        plan.replaced[part] = sheet_xml.encode("utf-8")
        _transplant_rels(made, fresh_part, part, names, plan)
    plan.dropped = freed - set(plan.replaced)
    _update_workbook(user, plan, new_tabs, formulas)
    _write(original, plan, out)
    return formulas


def _shared_strings(made: _Package) -> list[str]:
    if "xl/sharedStrings.xml" not in made.names:
        return []
    return re.findall(r"<si>(.*?)</si>", made.text("xl/sharedStrings.xml"), re.DOTALL)


_SHARED_CELL = re.compile(r'<c ([^>]*?)t="s"([^>]*)><v>(\d+)</v></c>')


def _inline_strings(sheet_xml: str, shared: list[str]) -> str:
    """A shared string of the fresh workbook becomes an inline one: the owner's shared
    strings part is never rewritten."""
    if not shared:
        return sheet_xml
    return _SHARED_CELL.sub(
        lambda m: f'<c {m[1]}t="inlineStr"{m[2]}><is>{shared[int(m[3])]}</is></c>', sheet_xml
    )


def _transplant_rels(
    made: _Package, fresh_part: str, part: str, names: _Names, plan: _Plan
) -> None:
    """Copy the drawings and charts of a fresh sheet under free names of the owner's zip."""
    renamed: dict[str, str] = {}
    for owned in sorted(_owned_parts(made, fresh_part)):
        if "/_rels/" in owned:
            continue
        folder, _, name = owned.rpartition("/")
        stem = re.sub(r"\d+\.xml$", "", name)
        renamed[owned] = names.new(folder, stem)
    for old, new in renamed.items():
        plan.replaced[new] = made.archive.read(old)
        plan.content_types[new] = _content_type(made, old)
    for source in [fresh_part, *renamed]:
        rels_name = _rels_name(source)
        if rels_name not in made.names:
            continue
        text = made.text(rels_name)

        def retarget(match: re.Match[str], source: str = source) -> str:
            attrs = _attrs(match[0])
            target = _resolve(source, attrs.get("Target", ""))
            if attrs.get("TargetMode") == "External" or target not in renamed:
                return match[0]
            return match[0].replace(f'Target="{attrs["Target"]}"', f'Target="/{renamed[target]}"')

        destination = part if source == fresh_part else renamed[source]
        plan.replaced[_rels_name(destination)] = _RELATIONSHIP.sub(retarget, text).encode("utf-8")


def _content_type(made: _Package, part: str) -> str:
    for tag in _OVERRIDE.findall(made.text("[Content_Types].xml")):
        attrs = _attrs(tag)
        if attrs.get("PartName") == "/" + part:
            return attrs["ContentType"]
    raise Unspliceable(f"no content type for {part}")


def _update_workbook(
    user: _Package, plan: _Plan, new_tabs: Sequence[tuple[str, str]], formulas: bool
) -> None:
    """Touch workbook.xml, its rels and [Content_Types].xml only where something changes."""
    calc_chain = [
        rel for rel in user.rels("xl/workbook.xml") if rel.get("Type") == _CALC_CHAIN_TYPE
    ]
    workbook = user.text("xl/workbook.xml")
    rels = user.text("xl/_rels/workbook.xml.rels")
    types = user.text("[Content_Types].xml")
    new_workbook, new_rels, new_types = workbook, rels, types
    if new_tabs:
        ids = {rel["Id"] for rel in user.rels("xl/workbook.xml")}
        sheet_ids = [int(_attrs(tag).get("sheetId", "0")) for tag in _SHEET.findall(workbook)]
        entries, links = [], []
        for title, part in new_tabs:
            number = 1
            while f"rId{number}" in ids:
                number += 1
            ids.add(f"rId{number}")
            sheet_ids.append(max(sheet_ids, default=0) + 1)
            entries.append(
                f'<sheet name="{_escape(title)}" sheetId="{sheet_ids[-1]}" r:id="rId{number}"/>'
            )
            links.append(
                f'<Relationship Id="rId{number}" Type="{_WORKSHEET_TYPE}" Target="/{part}"/>'
            )
        if "</sheets>" not in new_workbook or 'xmlns:r="' + _OFFICE_REL not in new_workbook:
            raise Unspliceable("workbook.xml without a plain <sheets> list")
        new_workbook = new_workbook.replace("</sheets>", "".join(entries) + "</sheets>", 1)
        new_rels = new_rels.replace("</Relationships>", "".join(links) + "</Relationships>", 1)
    for rel in calc_chain:
        plan.dropped.add(_resolve("xl/workbook.xml", rel["Target"]))
        new_rels = new_rels.replace(
            next(tag for tag in _RELATIONSHIP.findall(new_rels) if f'Id="{rel["Id"]}"' in tag),
            "",
        )
    if formulas:
        new_workbook = _full_calc_on_load(new_workbook)
    overrides = "".join(
        f'<Override PartName="/{part}" ContentType="{kind}"/>'
        for part, kind in sorted(plan.content_types.items())
        if f'PartName="/{part}"' not in types
    )
    new_types = new_types.replace("</Types>", overrides + "</Types>", 1)
    for part in plan.dropped:
        for tag in _OVERRIDE.findall(new_types):
            if f'PartName="/{part}"' in tag and part not in plan.content_types:
                new_types = new_types.replace(tag, "")
    for name, old, new in (
        ("xl/workbook.xml", workbook, new_workbook),
        ("xl/_rels/workbook.xml.rels", rels, new_rels),
        ("[Content_Types].xml", types, new_types),
    ):
        if new != old:
            plan.replaced[name] = new.encode("utf-8")


def _full_calc_on_load(workbook: str) -> str:
    """Ask Excel to compute the formulas on opening: the bot cannot give them results."""
    calc = re.search(r"<calcPr\b[^>]*?/?>", workbook)
    if calc is not None:
        if "fullCalcOnLoad" in calc[0]:
            return workbook
        return workbook.replace(
            calc[0], calc[0].replace("<calcPr", '<calcPr fullCalcOnLoad="1"', 1)
        )
    # calcPr follows sheets, functionGroups, externalReferences and definedNames
    ends = [
        found.end()
        for name in ("sheets", "functionGroups", "externalReferences", "definedNames")
        for found in [re.search(rf"</{name}>|<{name}\s*/>", workbook)]
        if found is not None
    ]
    at = max(ends)
    return workbook[:at] + '<calcPr fullCalcOnLoad="1"/>' + workbook[at:]


def _write(original: zipfile.ZipFile, plan: _Plan, out: BinaryIO) -> None:
    """The spliced zip: the original's members in their order (replaced ones with their new
    content, dropped ones left out), then the new parts. Copied members keep their compressed
    bytes (zipcopy.py); where that cannot be done, they are inflated and deflated again."""
    if original.filename is not None:
        try:
            with open(original.filename, "rb") as source_file:
                _write_copying(original, source_file, plan, out)
            return
        except CannotCopy as exc:
            logger.info("copying the zip members as stored failed (%s): deflating again", exc)
            out.seek(0)
            out.truncate()
    _write_deflating(original, plan, out)


def _write_copying(
    original: zipfile.ZipFile, source_file: BinaryIO, plan: _Plan, out: BinaryIO
) -> None:
    copier = ZipCopier(out, original, source_file)
    written: set[str] = set()
    for info in original.infolist():
        name = info.filename
        if name in plan.dropped and name not in plan.replaced:
            continue
        if name in plan.replaced:
            fresh = zipfile.ZipInfo(name, info.date_time)
            fresh.external_attr = info.external_attr
            copier.add(fresh, plan.replaced[name])
        else:
            copier.copy(info)
        written.add(name)
    for name, data in plan.replaced.items():
        if name not in written:
            copier.add(zipfile.ZipInfo(name), data)
    copier.close()


def _write_deflating(original: zipfile.ZipFile, plan: _Plan, out: BinaryIO) -> None:
    """The zip writer is always closed here, so a full disk never leaves it for `__del__` to
    complain about."""
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
    try:
        written: set[str] = set()
        for info in original.infolist():
            name = info.filename
            if name in plan.dropped and name not in plan.replaced:
                continue
            copy = zipfile.ZipInfo(name, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            # the fastest deflate: the sheets are big and the file is rewritten every run
            data = plan.replaced[name] if name in plan.replaced else original.read(info)
            archive.writestr(copy, data, zipfile.ZIP_DEFLATED, 1)
            del data
            written.add(name)
        for name, data in plan.replaced.items():
            if name not in written:
                archive.writestr(name, data)
        archive.close()
    except BaseException:
        try:
            archive.close()  # the end record may fail too on a full disk: the first error counts
        except (OSError, ValueError):
            pass
        raise
