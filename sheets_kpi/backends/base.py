"""The one small interface both backends implement (SPEC §11)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sheets_kpi.core.model import RawWorkbook
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite


class Backend(Protocol):
    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """Every tab title, and the raw values of the tabs for which `wanted(title)` is true."""
        ...

    def write(self, plans: Sequence[TabWrite]) -> None:
        """Carry out all plans at once, all or nothing. Input tabs are never touched."""
        ...

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        """Create missing input tabs (or fill an empty one's header); return the titles created.
        Never touches a tab that has data."""
        ...

    def describe(self) -> str:
        """Where the spreadsheet is, for people (a path or a URL)."""
        ...
