"""Styles of the generated tabs appended to the owner's `styles.xml` (issue 19).

The generated tabs are laid out by openpyxl in a workbook of their own; their cell formats
(`cellXfs`, with the number formats, fonts, fills and borders they point at) and conditional
formats (`dxfs`) are appended to the owner's lists, and a cell's `s=` (a column's `style=`, a
rule's `dxfId=`) is renumbered onto them. Existing entries never move or change; an entry that
is already there, character for character (the bot's own from the last run), is reused, so the
file does not grow run after run.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# the sections of a styleSheet, in the order ECMA-376 requires them
_ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)
_ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border"}
_ITEM |= {"cellXfs": "xf", "dxfs": "dxf"}
_FIRST_CUSTOM_FORMAT = 164


class StylesUnreadable(Exception):
    """styles.xml is not laid out as this module expects (prefixes, strict namespaces)."""


def _section(xml: str, name: str) -> re.Match[str] | None:
    return re.search(rf"<{name}\b[^>]*?(?:/>|>(.*?)</{name}>)", xml, re.DOTALL)


def _items(xml: str, name: str) -> list[str]:
    found = _section(xml, name)
    if found is None or found[1] is None:
        return []
    item = _ITEM[name]
    return re.findall(rf"<{item}\b[^>]*/>|<{item}\b[^>]*>.*?</{item}>", found[1], re.DOTALL)


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return None if found is None else found[1]


def _set_attr(tag: str, name: str, value: str) -> str:
    return re.sub(rf'\b{name}="[^"]*"', f'{name}="{value}"', tag, count=1)


class _Appender:
    """The owner's entries of one section and the ones to append."""

    def __init__(self, existing: list[str]) -> None:
        self.existing = existing
        self.added: list[str] = []

    def index_of(self, item: str) -> int:
        if item in self.existing:
            return self.existing.index(item)
        if item not in self.added:
            self.added.append(item)
        return len(self.existing) + self.added.index(item)


def merge_styles(user: str, fresh: str) -> tuple[str, Callable[[str], str]]:
    """The owner's styles.xml with the fresh workbook's formats appended, and the function that
    renumbers a fresh sheet's XML onto them."""
    if _section(user, "cellXfs") is None or _section(fresh, "cellXfs") is None:
        raise StylesUnreadable("no cellXfs")
    formats = _merge_number_formats(user, fresh)
    appenders = {name: _Appender(_items(user, name)) for name in ("fonts", "fills", "borders")}
    maps = {
        name: [appenders[name].index_of(item) for item in _items(fresh, name)] for name in appenders
    }
    xfs = _Appender(_items(user, "cellXfs"))
    xf_map: list[int] = []
    for xf in _items(fresh, "cellXfs"):
        for attribute, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            value = _attr(xf, attribute)
            if value is not None:
                xf = _set_attr(xf, attribute, str(maps[name][int(value)]))
        number_format = _attr(xf, "numFmtId")
        if number_format is not None:
            xf = _set_attr(xf, "numFmtId", str(formats.ids.get(int(number_format), number_format)))
        xf_map.append(xfs.index_of(xf))
    dxfs = _Appender(_items(user, "dxfs"))
    dxf_map = [dxfs.index_of(formats.renumber_inside(dxf)) for dxf in _items(fresh, "dxfs")]
    merged = user
    for name, added in (
        ("numFmts", formats.added),
        ("fonts", appenders["fonts"].added),
        ("fills", appenders["fills"].added),
        ("borders", appenders["borders"].added),
        ("cellXfs", xfs.added),
        ("dxfs", dxfs.added),
    ):
        merged = _append(merged, name, added)
    return merged, _renumber(xf_map, dxf_map)


class _NumberFormats:
    def __init__(self) -> None:
        self.ids: dict[int, int] = {}  # fresh custom id → the owner's id
        self.added: list[str] = []

    def renumber_inside(self, dxf: str) -> str:
        def put(match: re.Match[str]) -> str:
            number = int(match[1])
            return f'numFmtId="{self.ids.get(number, number)}"'

        return re.sub(r'numFmtId="(\d+)"', put, dxf)


def _merge_number_formats(user: str, fresh: str) -> _NumberFormats:
    formats = _NumberFormats()
    owned = {
        _attr(item, "formatCode"): int(_attr(item, "numFmtId") or 0)
        for item in _items(user, "numFmts")
    }
    next_id = max([_FIRST_CUSTOM_FORMAT - 1, *owned.values()]) + 1
    for item in _items(fresh, "numFmts"):
        code, number = _attr(item, "formatCode"), int(_attr(item, "numFmtId") or 0)
        if code in owned:
            formats.ids[number] = owned[code]
            continue
        formats.ids[number] = owned[code] = next_id
        formats.added.append(_set_attr(item, "numFmtId", str(next_id)))
        next_id += 1
    return formats


def _append(xml: str, name: str, added: list[str]) -> str:
    """`xml` with `added` at the end of section `name` (created in its place when missing)."""
    if not added:
        return xml
    found = _section(xml, name)
    if found is None:
        body = f'<{name} count="{len(added)}">{"".join(added)}</{name}>'
        return _insert_section(xml, name, body)
    opening = re.match(rf"<{name}\b[^>]*?(?=/?>)", found[0])
    assert opening is not None
    head = opening[0]
    count = len(_items(xml, name)) + len(added)
    head = _set_attr(head, "count", str(count)) if _attr(head, "count") else head
    body = f"{head}>{found[1] or ''}{''.join(added)}</{name}>"
    return xml[: found.start()] + body + xml[found.end() :]


def _insert_section(xml: str, name: str, body: str) -> str:
    for before in _ORDER[_ORDER.index(name) + 1 :]:
        found = _section(xml, before)
        if found is not None:
            return xml[: found.start()] + body + xml[found.start() :]
    closing = xml.rindex("</styleSheet>")
    return xml[:closing] + body + xml[closing:]


# in a sheet, `s=` is only on cells and rows, `style=` on columns, `dxfId=` on conditional
# rules; cell text never holds a bare `"` (cells.py writes it as &quot;)
_STYLE_ATTRIBUTE = re.compile(r'\b(?:s|style|dxfId)="\d+"')


def _renumber(xf_map: list[int], dxf_map: list[int]) -> Callable[[str], str]:
    table = {f's="{old}"': f's="{new}"' for old, new in enumerate(xf_map)}
    table |= {f'style="{old}"': f'style="{new}"' for old, new in enumerate(xf_map)}
    table |= {f'dxfId="{old}"': f'dxfId="{new}"' for old, new in enumerate(dxf_map)}
    return lambda sheet_xml: _STYLE_ATTRIBUTE.sub(
        lambda match: table.get(match[0], match[0]), sheet_xml
    )
