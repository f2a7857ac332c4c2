"""The shared builder of every generated tab: rows top to bottom, colours, charts → `TabWrite`.

A tab module (`core/output/tabs/`) gets a `TabInput` (the run's Result, settings, wall-clock
time, status lines and input-cell links) and lays its rows out with a `TabBuilder`; the words
come from `labels.py` / `texts.py` through `label()`, the cells from `cells.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.output.cells import figure_cell
from sheets_kpi.core.output.labels import header_label, label
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    Chart,
    ConditionalRule,
    Style,
    TabWrite,
)
from sheets_kpi.core.settings import Config

PLAN_MISSED_FILL = "#F4CCCC"  # light red: plan completion behind (below 100 %, or the pace)
PLAN_MET_FILL = "#D9EAD3"  # light green: plan met, or on pace

Record = Mapping[str, object]
Links = Mapping[tuple[str, str], int]  # (tab title, header as typed) → 1-based column


@dataclass(frozen=True)
class TabInput:
    """What every generated tab is built from."""

    result: Result
    config: Config
    run_at: datetime  # the agency's wall clock, no tzinfo (see `wall_clock`)
    status: Mapping[str, str] = field(default_factory=dict)  # worker's lines for Сводка
    links: Links | None = None  # for `Ошибки` links to the offending input cells
    titles: tuple[str, ...] = ()  # the workbook's tabs as read (a tab written only if present)

    @property
    def language(self) -> Language:
        return self.config.language


def wall_clock(run_at: datetime) -> datetime:
    """The run time as a spreadsheet shows it: no tzinfo, whole seconds.

    The caller passes the time already on the agency's wall clock (the shell converts it to
    `Config.timezone`, see `options.run_at`): the core reads no time-zone database."""
    return run_at.replace(tzinfo=None, microsecond=0)


class TabBuilder:
    """Rows, conditional colours and charts of one tab, built top to bottom.

    `on_pace`: the plan completion that is on track for the month shown (1.0 for a whole
    month; days elapsed ÷ days in the month for the current one), where plan colours turn
    green. `header_chars`: the width headers must fit in; longer ones take their short form.
    """

    def __init__(
        self, language: Language, on_pace: float = 1.0, header_chars: int | None = None
    ) -> None:
        self.language = language
        self.on_pace = on_pace
        self.header_chars = header_chars
        self.rows: list[tuple[Cell, ...]] = []
        self.conditional: list[ConditionalRule] = []
        self.charts: list[Chart] = []

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def add(self, *cells: Cell) -> int:
        self.rows.append(tuple(cells))
        return len(self.rows)

    def blank(self) -> None:
        self.rows.append(())

    def pad_to(self, row: int) -> None:
        """Empty rows until the next row is `row` (nothing when it is already past)."""
        while self.next_row < row:
            self.blank()

    def title(self, key: str, **values: object) -> int:
        return self.add(Cell(label(key, self.language, **values), style="title"))

    def header_cells(self, keys: Sequence[str]) -> tuple[Cell, ...]:
        """Header cells of `keys`, short forms where the full words would not fit."""
        return tuple(
            Cell(header_label(key, self.language, self.header_chars), style="header")
            for key in keys
        )

    def header(self, keys: Sequence[str]) -> int:
        return self.add(*self.header_cells(keys))

    def note(self, key: str, style: Style = "muted", **values: object) -> int:
        """A one-cell line of words (an empty table's note, a hint under a table)."""
        return self.add(Cell(label(key, self.language, **values), style=style))

    def colour_plan(
        self, column: int, first_row: int, last_row: int, threshold: float | None = None
    ) -> None:
        """Light red below `threshold` (default: the builder's pace), light green from it."""
        if last_row < first_row:
            return
        level = self.on_pace if threshold is None else threshold
        cells = CellRange(first_row, column, last_row, column)
        self.conditional.append(ConditionalRule(cells, "<", level, PLAN_MISSED_FILL))
        self.conditional.append(ConditionalRule(cells, ">=", level, PLAN_MET_FILL))

    def table(
        self,
        keys: Sequence[str],
        records: Iterable[Record],
        empty_key: str | None = None,
    ) -> tuple[int, int]:
        """A header row and one row per record; returns (first, last) data row (last < first
        when empty). Plan completion is coloured against the pace, the forecast against 100 %."""
        self.header(keys)
        first = self.next_row
        for record in records:
            self.add(*(figure_cell(key, record.get(key)) for key in keys))
        last = self.next_row - 1
        if last < first and empty_key is not None:
            self.note(empty_key)
        for index, key in enumerate(keys, start=1):
            if key == "plan_pct":
                self.colour_plan(index, first, last)
            elif key == "forecast_pct":
                self.colour_plan(index, first, last, threshold=1.0)
        return first, last

    def build(
        self,
        key: str,
        title: str,
        frozen_rows: int = 0,
        column_widths: tuple[int, ...] = (),
        timestamp_cells: tuple[tuple[int, int], ...] = (),
    ) -> TabWrite:
        return TabWrite(
            key=key,
            title=title,
            rows=tuple(self.rows),
            frozen_rows=frozen_rows,
            column_widths=column_widths or column_widths_of(self.rows, frozen_rows),
            conditional=tuple(self.conditional),
            charts=tuple(self.charts),
            protected=True,
            timestamp_cells=timestamp_cells,
        )


def column_widths_of(rows: Sequence[tuple[Cell, ...]], header_rows: int) -> tuple[int, ...]:
    """Widths in characters from the longest value of each column (titles above the header
    rows are left out: they may overflow into empty neighbours)."""
    widths: list[int] = []
    for row_number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if row_number < header_rows or cell.style in ("title", "note", "muted", "banner"):
                continue
            size = _display_length(cell)
            while len(widths) <= index:
                widths.append(8)
            widths[index] = max(widths[index], min(size + 2, 60))
    return tuple(widths)


def _display_length(cell: Cell) -> int:
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if cell.fmt in ("money", "money_whole"):
        return 14 if cell.fmt == "money" else 12
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return 10


# ---------------------------------------------------------------- rows from Result's frames


def records(frame: pd.DataFrame | None) -> list[dict[str, object]]:
    """The rows of a Result frame as dicts; none for an absent or empty frame."""
    if frame is None or frame.empty:
        return []
    return [dict(record) for record in frame.to_dict("records")]


def month_records(
    frame: pd.DataFrame | None, month: str, language: Language
) -> list[dict[str, object]]:
    """The rows of a per-month frame (funnel, activity) for `month`, team rows labelled."""
    return [team_named(r, language) for r in records(frame) if str(r.get("month")) == month]


def team_named(record: Record, language: Language) -> dict[str, object]:
    """The record with `manager` filled in as «Команда» for team rows."""
    out = dict(record)
    if is_absent(out.get("manager")):
        out["manager"] = label("team", language)
    return out


def is_team(record: Record) -> bool:
    """A team row: no manager."""
    key = record.get("manager_key", record.get("manager"))
    return is_absent(key)
