"""The checking machinery shared by the input tabs: one `Check` per tab (header matching,
cells by column key, problems with their sort keys) and the column checks every tab uses."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from sheets_kpi.core.cells import column_letter
from sheets_kpi.core.inputs import columns, dates, parse, schema
from sheets_kpi.core.inputs.messages import MESSAGES, lower_first, message_text
from sheets_kpi.core.inputs.names import NameColumn, missing_names, name_column
from sheets_kpi.core.model import Problem
from sheets_kpi.core.settings import Config

TAB_ORDER = {"sales": 0, "deals": 1, "activity": 2, "plan": 3, "roster": 4}
OLDEST = pd.Timestamp(2000, 1, 1)
# The tail of an unknown_manager message pointing to the closest roster name.
_SUGGESTION = (" Возможно, имелся в виду «{name}».", " Did you mean «{name}»?")
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


def month_strings(dates: pd.Series) -> pd.Series:
    """`YYYY-MM` of each datetime (None for NaT), formatted once per distinct moment."""
    codes, uniques = pd.factorize(dates.to_numpy(dtype="datetime64[ns]"), use_na_sentinel=True)
    months = np.asarray(uniques, dtype="datetime64[ns]").astype("datetime64[M]")
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[: len(uniques)] = np.datetime_as_string(months, unit="M").tolist()
    texts = texts[np.where(codes < 0, len(uniques), codes)]
    return pd.Series(texts, index=dates.index, dtype=object, copy=False)


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
        self, tab_key: str, title: str, column: str | None, code: str, text: str
    ) -> None:
        self.add(
            tab_key,
            None,
            None,
            Problem(title, None, column, None, code, schema.CODES[code], text),
        )

    def suggest(self, key: str) -> str:
        """« Возможно, имелся в виду «…».» for the closest roster name, or "".

        Close: spelt alike (difflib's ratio ≥ 0.6), or else sharing a whole word — «Анна
        Смирнова» typed where the roster says «Анна». A name like neither gets no guess.
        """
        if key not in self.suggestions:
            roster = sorted(self.roster_keys)
            close = difflib.get_close_matches(key, roster, n=1, cutoff=0.6)
            if not close:
                words = set(key.split())
                sharing = [name for name in roster if words.intersection(name.split())]
                close = difflib.get_close_matches(key, sharing, n=1, cutoff=0.0)
            if close:
                name = self.manager_display[close[0]]
                template = schema.in_language(_SUGGESTION, self.language)
                self.suggestions[key] = template.format(name=name)
            else:
                self.suggestions[key] = ""
        return self.suggestions[key]


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
                ctx.tab_problem(
                    spec.key,
                    title,
                    schema.display(str(typed)),
                    "duplicate_column",
                    message_text(
                        "duplicate_column",
                        ctx.language,
                        column=schema.display(str(typed)),
                        tab=title,
                        other=other,
                    ),
                )
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
        if not empty.any():  # the usual case: no copies
            return
        keep = ~empty
        self.row_index = self.row_index[keep]
        self.cells = {key: values[keep] for key, values in cells.items()}
        self.distinct = {key: column.rows(keep) for key, column in self.distinct.items()}

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

    def flag(
        self,
        mask: pd.Series | np.ndarray,
        code: str,
        key: str | None,
        message: Callable[[int], str],
        value: Callable[[int], str | None] | None = None,
    ) -> None:
        """Report `code` on every row where `mask` is true; errors exclude the row."""
        mask = np.asarray(mask, dtype=bool)
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        severity = schema.CODES[code]
        if severity == schema.ERROR:
            self.errors |= mask
        raw = self.raw(key) if key else None
        codes = self.column(key).codes if key else None
        seen: dict[int, str | None] = {}
        column = self.header(key) if key else None
        column_index = self.index.get(key) if key else None
        for position in positions:
            row = int(self.rows[position])
            if value is not None:
                text = value(position)
            elif raw is not None and codes is not None:
                distinct_code = int(codes[position])
                if distinct_code not in seen:
                    seen[distinct_code] = shown(raw[position])
                text = seen[distinct_code]
            else:
                text = None
            problem = Problem(self.title, row, column, text, code, severity, message(int(position)))
            self.ctx.add(self.spec.key, row, column_index, problem)

    def message(self, code: str, key: str | None, **fields: object) -> str:
        return message_text(
            code,
            self.ctx.language,
            column=self.header(key) if key else "",
            tab=self.title,
            as_of=self.ctx.as_of.strftime("%d.%m.%Y"),
            **fields,
        )

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


# --- checks shared by the tabs ------------------------------------------------------------------


def empty_error(parser: Callable[[object], object]) -> parse.ParseError | None:
    """The error `parser` gives for an empty cell (None when empty is fine)."""
    try:
        parser(None)
    except parse.ParseError as error:
        return error.detached()
    return None


def flag_parse(
    check: Check,
    parsed: columns.ParsedColumn,
    code: str,
    key: str,
    *,
    required: bool,
    empty: parse.ParseError | None = None,
) -> np.ndarray:
    """Flag unreadable cells (and empty ones when `required`) with the parser's hint."""
    failed = parsed.failed.copy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    raw = check.raw(key)
    language = check.ctx.language

    def text(position: int) -> str:
        error = parsed.error_at(position) or empty
        hint = error.text(language) if error else ""
        if MESSAGES[code][0].startswith("{column}: {hint}"):
            hint = lower_first(hint)
        return check.message(code, key, hint=hint, value=shown(raw[position]))

    check.flag(failed, code, key, text)
    return failed


def check_dates(
    check: Check, key: str, *, allow_time: bool, required: bool
) -> tuple[pd.Series, pd.Series]:
    """Parse a date column; flag bad_date, future_date, too_old_date.

    Returns (usable, readable): NaT where the date cannot be used / cannot be read at all."""
    column = check.column(key)
    parsed = columns.date_column(column, allow_time=allow_time)
    empty = empty_error(dates.parse_date)
    failed = flag_parse(check, parsed, "bad_date", key, required=required, empty=empty)
    moments = parsed.values
    raw_values = check.raw(key)
    seen: dict[int, str | None] = {}

    def value(position: int) -> str | None:
        code = int(column.codes[position])
        if code not in seen:
            seen[code] = shown_date(raw_values[position])
        return seen[code]

    tomorrow = pd.Timestamp(check.ctx.as_of) + pd.Timedelta(days=1)
    future = (moments >= tomorrow).to_numpy()
    too_old = (moments < OLDEST).to_numpy()
    check.flag(
        future,
        "future_date",
        key,
        lambda p: check.message("future_date", key, value=value(p)),
        value,
    )
    check.flag(
        too_old,
        "too_old_date",
        key,
        lambda p: check.message("too_old_date", key, value=value(p)),
        value,
    )
    unusable = failed | future | too_old
    return moments.where(~unusable), moments


def check_managers(check: Check, *, required: bool = True) -> NameColumn:
    """Manager names: missing_manager (when required), unknown_manager against the roster."""
    ctx = check.ctx
    people = name_column(check.column("manager"))
    if required:
        check.flag(
            people.blank,
            "missing_manager",
            "manager",
            lambda p: check.message("missing_manager", "manager"),
        )
    remember_names(check, "manager", ctx.manager_display, people)
    if ctx.roster_keys:
        keys = people.key.to_numpy(dtype=object)
        roster = ctx.roster_keys
        unknown_name = np.fromiter(
            (key is not None and key not in roster for key in people.unique_keys.tolist()),
            dtype=bool,
        )
        unknown = unknown_name[people.take] & ~people.blank.to_numpy()
        raw = check.raw("manager")

        def text(position: int) -> str:
            return message_text(
                "unknown_manager",
                ctx.language,
                value=shown(raw[position]),
                tab=ctx.roster_title,
                suggest=ctx.suggest(keys[position]),
            )

        check.flag(unknown, "unknown_manager", "manager", text)
    return people


def check_clients(check: Check) -> NameColumn:
    """Client names: missing_client where empty."""
    people = name_column(check.column("client"))
    check.flag(
        people.blank,
        "missing_client",
        "client",
        lambda p: check.message("missing_client", "client"),
    )
    remember_names(check, "client", check.ctx.client_display, people)
    return people


def check_lead_clients(check: Check) -> pd.Series:
    """A deal's client: missing_client where empty; any other cell is kept as written.
    Nothing groups deals by client, so the names are neither keyed nor hashed (for 100k nearly
    all different names that cost a tenth of a second)."""
    cells = check.raw("client")
    missing = missing_names(cells)
    check.flag(
        missing, "missing_client", "client", lambda p: check.message("missing_client", "client")
    )
    return pd.Series(np.where(missing, None, cells), index=check.row_index, dtype=object)


def remember_names(check: Check, key: str, display: dict[str, str], column: NameColumn) -> None:
    """Keep in `display` the first display form seen (in sheet order) of every name not known
    yet, and remember for `check.display_names(key)` the form in force for each distinct value.

    Distinct values come in order of first appearance, so the first per key is the upper row.
    A form in force never changes afterwards: later calls only add names not known yet."""
    keys = column.unique_keys.tolist()
    forms = column.unique_display.tolist()
    # The first form of each name is written in reverse, so that the upper row's pair is written
    # last. `display` is only looked up, so its order does not matter.
    if display.keys().isdisjoint(keys):
        # No name known yet (a tab's first name column, new clients): straight into `display`,
        # one insertion per name (a dict of 100k names costs tens of milliseconds to build).
        before = len(display)
        display.update(zip(reversed(keys), reversed(forms), strict=True))
        display.pop(None, None)  # empty cells
        if len(display) - before == len(keys) - keys.count(None):
            # Every name has one form here: the forms in force are this column's own.
            check.shown[key] = (column.unique_display, column.take)
            return
    else:
        fresh = dict(zip(reversed(keys), reversed(forms), strict=True))
        fresh.pop(None, None)  # empty cells
        for name in display.keys() & fresh.keys():
            del fresh[name]  # known names keep the form in force
        display.update(fresh)
    shown = np.empty(len(keys), dtype=object)
    shown[:] = list(map(display.get, keys))
    check.shown[key] = (shown, column.take)


def check_choices(check: Check, key: str, values: dict) -> pd.Series:
    """A list column: bad_value (warning) where outside the list, which then counts as empty."""
    parsed = columns.choice_column(check.column(key), values)
    flag_parse(check, parsed, "bad_value", key, required=False)
    return parsed.values


def check_yes_no(check: Check, key: str, default: bool) -> pd.Series:
    """A yes/no column: bad_value (warning) where unreadable, which then counts as `default`."""
    parsed = columns.yes_no_column(check.column(key))
    flag_parse(check, parsed, "bad_value", key, required=False)
    return parsed.values.where(parsed.ok.to_numpy(), default).astype(bool)


def check_counts(check: Check, key: str, code: str = "bad_count") -> pd.Series:
    """A whole-number column: `code` where unreadable."""
    parsed = columns.count_column(check.column(key))
    flag_parse(check, parsed, code, key, required=False)
    return parsed.values
