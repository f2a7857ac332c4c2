"""What to write into a generated tab, decided by the core, carried out by a backend.

A `TabWrite` is backend-neutral: values, number formats, styles, column widths, frozen rows,
conditional colours, charts and protection. Rows and columns are 1-based, as people see them.
User text is always a plain `str` value; only `Formula` values are formulas, and only the
bot creates them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from sheets_kpi.core.inputs.schema import norm

# "money": roubles with kopecks (bonus lines); "money_whole": roubles without kopecks (every
# other sum, and the axes of the charts that read them); "month": a date shown as its month
# (11.2026), for the month cells of an input tab
NumberFormat = Literal[
    "integer",
    "money",
    "money_whole",
    "percent",
    "decimal",
    "date",
    "month",
    "datetime",
    "hours",
    "place_change",
]
Style = Literal["title", "header", "subtotal", "banner", "note", "muted"]


@dataclass(frozen=True)
class Formula:
    """A formula the bot itself writes (never user text), without the leading `=`."""

    text: str


@dataclass(frozen=True)
class CellRef:
    """A cell of an input tab, for links from `Ошибки` to the offending cell."""

    tab: str  # the tab's title in the workbook
    row: int
    column: int


CellValue = str | int | float | bool | date | datetime | Formula | None


@dataclass(frozen=True)
class Cell:
    value: CellValue
    fmt: NumberFormat | None = None
    style: Style | None = None
    link: CellRef | None = None  # the backend turns it into a link to that cell


@dataclass(frozen=True)
class CellRange:
    """An inclusive block of cells, 1-based."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True)
class ConditionalRule:
    """Fill cells of `cells` whose number satisfies `op value` with `fill` (hex `#RRGGBB`)."""

    cells: CellRange
    op: Literal["<", ">="]
    value: float
    fill: str


@dataclass(frozen=True)
class Series:
    name: str
    values: CellRange  # one column of numbers


@dataclass(frozen=True)
class Chart:
    kind: Literal["column", "line"]
    title: str
    categories: CellRange  # one column of labels
    series: tuple[Series, ...]
    anchor_row: int  # top-left cell the chart is placed at
    anchor_column: int
    # series drawn as lines over columns (e.g. the plan over revenue), by index into `series`
    line_series: tuple[int, ...] = ()


@dataclass(frozen=True)
class TabWrite:
    """The whole content of one generated tab.

    mode "replace": the tab is cleared and rewritten (created if missing).
    mode "banner": only `rows[0]` is written over row 1, everything else stays (fatal runs).
    """

    key: str  # the tab module's KEY ("summary", "leaderboard", ...; see render.TABS)
    title: str
    rows: tuple[tuple[Cell, ...], ...]
    mode: Literal["replace", "banner"] = "replace"
    frozen_rows: int = 0
    column_widths: tuple[int, ...] = ()  # in characters, per column from A
    conditional: tuple[ConditionalRule, ...] = ()
    charts: tuple[Chart, ...] = ()
    protected: bool = True  # warning-only protection against accidental edits
    # cells of the run-time stamp, the one thing that differs between identical runs
    timestamp_cells: tuple[tuple[int, int], ...] = field(default=())


@dataclass(frozen=True)
class InputTabInit:
    """An input tab for `sheets-kpi init`: headers, formats, drop-downs and one example row.

    Backends create the tab when missing, or fill in the header row of an existing *empty* tab;
    a tab that has any data is never touched.
    """

    key: str  # "sales", "deals", ...
    title: str
    headers: tuple[str, ...]
    formats: tuple[NumberFormat | None, ...]  # per column, applied to the data rows
    dropdowns: dict[int, tuple[str, ...]]  # 1-based column -> allowed values (strict: no)
    example: tuple[CellValue, ...]  # one example row, marked (validation sets it aside)
    column_widths: tuple[int, ...] = ()
    # 1-based column -> the note a cell that is 0 or not a number gets (a warning, not a refusal)
    nonzero: dict[int, str] = field(default_factory=dict)


def examples_for_a_blank_book(
    tabs: Sequence[InputTabInit], titles_with_data: Collection[str]
) -> list[InputTabInit]:
    """`tabs` as given when none of them holds data yet; else without their example rows.

    The example rows show a new user the format of each column; validation sets them aside
    (`example_row`), but next to real data they would only be rows to delete. So they go only
    into a book being started."""
    if not any(tab.title in titles_with_data for tab in tabs):
        return list(tabs)
    return [replace(tab, example=()) for tab in tabs]


def clashing_tabs(titles: Sequence[str], generated: Collection[str]) -> list[tuple[str, str]]:
    """(a workbook tab, the generated tab it would be confused with) for each tab whose title
    equals a generated tab's title up to case, ё/е, quotes and spaces but not exactly (`СВОДКА`,
    `Бонусы `). The bot must not write then: a backend would rename one of the two (openpyxl
    and Google keep titles unique regardless of case), and people would read the wrong one."""
    by_identity = {norm(title): title for title in generated}
    return [
        (title, by_identity[norm(title)])
        for title in titles
        if title not in generated and norm(title) in by_identity
    ]
