"""The checking machinery shared by the input tabs: one `Check` per tab (header matching, its
cells laid out by column key, the rules applied and the problems they report, with their sort
keys). The rules themselves are in the *_rules.py modules (see rules.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from sheets_kpi.core.cells import column_letter
from sheets_kpi.core.inputs import columns, dates, parse, schema
from sheets_kpi.core.inputs.rules import Found, Rule
from sheets_kpi.core.inputs.tab_rules import DUPLICATE_COLUMN
from sheets_kpi.core.model import Problem
from sheets_kpi.core.settings import Config

TAB_ORDER = {"sales": 0, "deals": 1, "activity": 2, "plan": 3, "roster": 4, "adjustments": 5}
# The two columns of a duplicate_column message.
_BOTH_COLUMNS = ("{first} и {second}", "{first} and {second}")


def shown(raw: object) -> str | None:
    """A raw cell as the user sees it: None when empty, dates as dd.mm.yyyy [HH:MM]."""
    if parse.is_blank(raw):
        return None
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime):
        if (raw.hour, raw.minute, raw.second) == (0, 0, 0):
            return raw.strftime("%d.%m.%Y")
        return raw.strftime("%d.%m.%Y %H:%M")
    if isinstance(raw, date):
        return raw.strftime("%d.%m.%Y")
    return str(parse.as_typed(raw))


def shown_date(raw: object) -> str | None:
    """A date cell as the user sees it: serial numbers shown as the date they stand for."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            return shown(dates.parse_date(raw, allow_time=True))
        except parse.ParseError:
            return shown(raw)
    return shown(raw)


def month_strings(moments: pd.Series) -> pd.Series:
    """`YYYY-MM` of each datetime (None for NaT), formatted once per distinct moment."""
    codes, uniques = pd.factorize(moments.to_numpy(dtype="datetime64[ns]"), use_na_sentinel=True)
    months = np.asarray(uniques, dtype="datetime64[ns]").astype("datetime64[M]")
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[: len(uniques)] = np.datetime_as_string(months, unit="M").tolist()
    texts = texts[np.where(codes < 0, len(uniques), codes)]
    return pd.Series(texts, index=moments.index, dtype=object, copy=False)


def cell_table(body: list[list], width: int) -> np.ndarray:
    """The rows as a 2-D object array of `width` columns: short rows padded with None, cells
    right of `width` (notes people add beside the known columns) left out, never read nor kept.

    One C pass over the cells of all rows (`np.fromiter` over the rows chained), quicker than
    a pass over the rows per column; rows are copied only when their length is not `width`."""
    if min(map(len, body)) != width or max(map(len, body)) != width:
        pad = [None] * width
        body = [row if len(row) == width else list(row[:width]) + pad[len(row) :] for row in body]
    flat = np.fromiter(itertools.chain.from_iterable(body), dtype=object, count=len(body) * width)
    return flat.reshape(len(body), width)


@dataclass
class Context:
    config: Config
    as_of: date
    language: schema.Language
    problems: list[tuple[tuple[int, int, int, int], Problem]] = field(default_factory=list)
    rejected: list[tuple[int, pd.DataFrame]] = field(default_factory=list)
    roster_keys: set[str] = field(default_factory=set)
    roster_title: str = ""
    roster_only_example: bool = False  # Мотивация holds only the old init's example row
    manager_display: dict[str, str] = field(default_factory=dict)
    client_display: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)

    def add(
        self, tab_key: str, row: int | None, column_index: int | None, problem: Problem
    ) -> None:
        """Collect a problem with its sort key: tab, row (tab-level first), column, arrival."""
        order = (TAB_ORDER[tab_key], row or 0, column_index or 10**6, len(self.problems))
        self.problems.append((order, problem))

    def tab_problem(
        self, rule: Rule, tab_key: str, title: str, column: str | None, **fields: object
    ) -> None:
        """Report a tab-level `rule` (tab_rules.py) on the tab `title`."""
        text = rule.text(self.language, tab=title, column=column, **fields)
        problem = Problem(title, None, column, None, rule.code, rule.severity, text)
        self.add(tab_key, None, None, problem)


class Check:
    """One input tab being checked: its cells by column key, and the problems found so far."""

    def __init__(self, ctx: Context, spec: schema.InputTab, title: str, rows: list[list]):
        self.ctx = ctx
        self.spec = spec
        self.title = title
        self.headers: dict[str, str] = {}
        self.index: dict[str, int] = {}
        self.missing: list[str] = []
        header = rows[0] if rows else []
        for position, typed in enumerate(header, start=1):
            key = schema.match_header(spec, typed)
            if key is None:
                continue
            if key in self.index:
                other = schema.in_language(_BOTH_COLUMNS, ctx.language).format(
                    first=column_letter(self.index[key]), second=column_letter(position)
                )
                column = schema.display(str(typed))
                ctx.tab_problem(DUPLICATE_COLUMN, spec.key, title, column, other=other)
                continue
            self.index[key] = position
            self.headers[key] = schema.display(str(typed))
        for column in spec.columns:
            if column.required and column.key not in self.index:
                self.missing.append(column.key)
        self.distinct: dict[str, columns.Distinct] = {}
        self.shown: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # see remember_names
        self._sheet_rows = rows

    def load(self) -> Check:
        """Read the cells below the header. Apart from `__init__` so that a run can hold the
        cells of one tab at a time: `validate` loads a tab just before checking it."""
        self._load(self._sheet_rows[1:])
        self._sheet_rows = []
        self.errors = np.zeros(len(self.row_index), dtype=bool)
        self.rows = self.row_index.to_numpy()
        return self

    def _load(self, body: list[list]) -> None:
        """Raw cells of the known columns of the non-empty rows, by column key; `row_index`
        holds their sheet row numbers."""
        width = max(self.index.values(), default=0)
        count = len(body) if width else 0
        table = cell_table(body, width) if count else np.empty((0, width), object)
        # The columns are views into the table: a copy would touch every cell's object once
        # more (its reference count) and once more again when freed.
        cells = {key: table[:, position - 1] for key, position in self.index.items()}
        self.row_index = pd.RangeIndex(2, 2 + count)
        self.cells = cells
        # A row is empty when every cell is. Numbers and dates are empty only where None; texts
        # look at each distinct value for spaces. Columns are factorised as the search needs
        # them: it usually stops at the first column (a required date), and a column the checks
        # read cell by cell (the deals' clients, the sales IDs) is never hashed.
        empty = np.ones(count, dtype=bool)
        for key in sorted(cells, key=lambda key: columns.first_filled_type(cells[key]) is str):
            if not empty.any():
                break
            column = self.column(key)
            empty &= column.blank[column.take]
        if empty.any():  # usually none: no copies
            self._keep(~empty)

    def _keep(self, keep: np.ndarray) -> None:
        """Keep only the rows of mask `keep`: the cells, the sheet rows, the factorised columns."""
        self.row_index = self.row_index[keep]
        self.cells = {key: values[keep] for key, values in self.cells.items()}
        self.distinct = {key: column.rows(keep) for key, column in self.distinct.items()}

    def set_aside(self, rows: np.ndarray) -> None:
        """Leave the rows of mask `rows` out of every later rule and of the tab's frame, as if
        they were not on the sheet (the example rows of `init`, reported before). Only before
        any name column is remembered (`remember_names`)."""
        if not rows.any():
            return
        keep = ~rows
        self._keep(keep)
        self.errors = self.errors[keep]
        self.rows = self.row_index.to_numpy()

    def column(self, key: str) -> columns.Distinct:
        """Column `key` factorised once, when first asked for (all empty when the tab has no
        such column)."""
        if key in self.distinct:
            return self.distinct[key]
        if key not in self.cells:
            codes = np.full(len(self.row_index), -1, dtype=np.int64)
            return columns.Distinct(self.row_index, codes, [])
        column = self.distinct[key] = columns.distinct(self.column_cells(key))
        return column

    def column_cells(self, key: str) -> pd.Series:
        """The raw cells of column `key` as a Series on the sheet rows, not factorised."""
        return pd.Series(self.raw(key), index=self.row_index, dtype=object, copy=False)

    def raw(self, key: str) -> np.ndarray:
        """The raw cells of column `key`, one per row (all None when the tab has no such
        column). Read-only: the same array backs the column's `Distinct`."""
        if key in self.cells:
            return self.cells[key]
        return np.full(len(self.row_index), None, dtype=object)

    def display_names(self, key: str) -> pd.Series:
        """The display form in force (the roster's, else the first seen) of each row's name in
        column `key`, looked up once per distinct value by `remember_names`."""
        forms, take = self.shown[key]
        return pd.Series(forms[take], index=self.row_index, dtype=object, copy=False)

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        return self.spec.column(key).label(self.ctx.language)

    def cell_name(self, key: str, row: int) -> str:
        return f"{self.title}!{column_letter(self.index.get(key, 1))}{row}"

    def apply(self, rule: Rule, *args: object) -> np.ndarray:
        """Run row `rule` on this tab and report every row it flags; those rows as a mask."""
        assert rule.find is not None, rule.name
        found = rule.find(self, *args)
        if not isinstance(found, Found):
            found = Found(found)
        return self.flag(rule, found)

    def flag(self, rule: Rule, found: Found) -> np.ndarray:
        """Report `rule` on every row of `found`; errors exclude the row."""
        mask = np.asarray(found.rows, dtype=bool)
        positions = np.flatnonzero(mask)
        if not len(positions):
            return mask
        if rule.severity == schema.ERROR:
            self.errors |= mask
        key = found.column or rule.column
        column = self.header(key) if key else None
        column_index = self.index.get(key) if key else None
        value = found.value or (self._cell_shown(key) if key else lambda position: None)
        base = {"column": column, "tab": self.title, "as_of": self.ctx.as_of.strftime("%d.%m.%Y")}
        for position in positions:
            row = int(self.rows[position])
            shown_value = value(position)
            fields = found.fields(int(position)) if found.fields else {}
            text = rule.text(self.ctx.language, **(base | {"value": shown_value} | fields))
            problem = Problem(self.title, row, column, shown_value, rule.code, rule.severity, text)
            self.ctx.add(self.spec.key, row, column_index, problem)
        return mask

    def _cell_shown(self, key: str) -> Callable[[int], str | None]:
        """The cell of column `key` at a position as the user sees it, worked out once per
        distinct value."""
        raw = self.raw(key)
        codes = self.column(key).codes
        seen: dict[int, str | None] = {}

        def value(position: int) -> str | None:
            distinct_code = int(codes[position])
            if distinct_code not in seen:
                seen[distinct_code] = shown(raw[position])
            return seen[distinct_code]

        return value

    def reject(self, manager_key: pd.Series | None, month: pd.Series | None) -> None:
        """Record every error row for the leaderboard's rejected counts."""
        positions = np.flatnonzero(self.errors)
        if not len(positions):
            return

        def known(values: pd.Series | None) -> pd.Series:
            if values is None:
                return pd.Series([None] * len(positions), dtype=object)
            picked = values.iloc[positions].astype(object).reset_index(drop=True)
            return picked.where(picked.notna(), None)

        part = pd.DataFrame(
            {
                "tab": self.title,
                "row": self.rows[positions].astype(np.int64),
                "manager_key": known(manager_key),
                "month": known(month),
            }
        )
        self.ctx.rejected.append((TAB_ORDER[self.spec.key], part))
