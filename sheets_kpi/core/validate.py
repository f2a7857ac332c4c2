"""Raw input tabs → typed frames and problems (SPEC §2, §3). Every problem at once, as data.

Decisions where the SPEC is silent (see also core/parse.py):
- a row is "completely empty" when every *known* column is blank: unknown columns are ignored
  everywhere, so a helper formula column dragged down does not turn into errors;
- `duplicate_id` compares IDs by identity (`norm`) over all non-empty rows; `possible_duplicate`
  compares rows that have no error and no ID;
- a bad `Оклад` or `Схема`/`Параметры` is a `bad_setting` error, but the manager stays in the
  roster (salary empty / scheme None), so their sales are not rejected as `unknown_manager`;
  a repeated manager in `Мотивация` (or manager + month in `План`) rejects the later row;
- a revenue plan must be > 0 (an empty cell means "no plan"); a new-clients plan may be 0;
- `План` / `Сделки` / `Активность` rows naming someone outside a non-empty roster are
  `unknown_manager`, like sales rows;
- a deal that is open (or has no status) but has a close date: `bad_value` warning on the close
  date, which is then treated as empty (the deal stays open);
- a negative or zero `Сумма сделки` is `nonpositive_amount`; an unreadable one `bad_amount`;
- several tabs matching one input tab only after normalising: `missing_tab` naming them.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

import numpy as np
import pandas as pd

from sheets_kpi.config import Config
from sheets_kpi.core import parse, schema, schemes
from sheets_kpi.core.model import Inputs, Problem, RawTab, RawWorkbook
from sheets_kpi.core.textfmt import kopecks_text
from sheets_kpi.core.validate_messages import MESSAGES, lower_first, message_text

log = logging.getLogger(__name__)

_TAB_ORDER = {"sales": 0, "deals": 1, "activity": 2, "plan": 3, "roster": 4}
_OLDEST = pd.Timestamp(2000, 1, 1)

SALES_COLUMNS = (
    "row", "date", "month", "manager_key", "manager", "client_key", "client", "amount_kop",
    "margin_kop", "channel", "type", "paid", "id",
)  # fmt: skip
PLAN_COLUMNS = (
    "row", "month", "manager_key", "manager", "plan_revenue_kop", "plan_new_clients",
)  # fmt: skip
ROSTER_COLUMNS = ("row", "manager_key", "manager", "scheme", "salary_kop", "active")
DEALS_COLUMNS = (
    "row", "lead_date", "month", "manager_key", "manager", "client_key", "client", "channel",
    "first_contact", "touches", "temperature", "status", "close_date", "deal_amount_kop",
    "loss_reason", "loss_reason_key",
)  # fmt: skip
ACTIVITY_COLUMNS = (
    "row", "date", "month", "manager_key", "manager", "calls", "meetings", "presentations",
    "proposals",
)  # fmt: skip
REJECTED_COLUMNS = ("tab", "row", "manager_key", "month")


def wanted_tabs(config: Config) -> Callable[[str], bool]:
    """A filter for `Backend.read`: true for any title that could be an input tab."""
    names: set[str] = set()
    for tab in schema.INPUT_TABS:
        names.update(schema.norm(name) for name in (config.tab_title(tab.key), tab.ru, tab.en))
    return lambda title: schema.norm(title) in names


# --- helpers ------------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """`A`, `B`, …, `AA` for a 1-based column index."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


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
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _shown_date(raw: object) -> str | None:
    """A date cell as the user sees it: serial numbers shown as the date they stand for."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            return shown(parse.parse_date(raw, allow_time=True))
        except parse.ParseError:
            return shown(raw)
    return shown(raw)


def _month_strings(dates: pd.Series) -> pd.Series:
    """`YYYY-MM` of each datetime (None for NaT), formatted once per distinct month."""
    months = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    codes, uniques = pd.factorize(months, use_na_sentinel=True)
    texts = np.array([str(value)[:7] for value in uniques] + [None], dtype=object)
    months = texts[np.where(codes < 0, len(uniques), codes)]
    return pd.Series(months, index=dates.index, dtype=object)


@dataclass
class _Context:
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
        order = (_TAB_ORDER[tab_key], row or 0, column_index or 10**6, len(self.problems))
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
        """« Возможно, имелся в виду «…».» for the closest roster name, or ""."""
        if key not in self.suggestions:
            close = difflib.get_close_matches(key, sorted(self.roster_keys), n=1, cutoff=0.6)
            if close:
                name = self.manager_display[close[0]]
                self.suggestions[key] = (
                    f" Возможно, имелся в виду «{name}»."
                    if self.language == "ru"
                    else f" Did you mean «{name}»?"
                )
            else:
                self.suggestions[key] = ""
        return self.suggestions[key]


class _Check:
    """One input tab being checked: its cells by column key, and the problems found so far."""

    def __init__(self, ctx: _Context, spec: schema.InputTab, title: str, rows: list[list]):
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
                first = column_letter(self.index[key])
                other = f"{first} и {column_letter(position)}"
                if ctx.language == "en":
                    other = f"{first} and {column_letter(position)}"
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
        self.distinct: dict[str, parse.Distinct] = {}
        self._load(rows[1:])
        self.errors = np.zeros(len(self.row_index), dtype=bool)
        self.rows = self.row_index.to_numpy()

    def _load(self, body: list[list]) -> None:
        """Raw cells of the known columns of the non-empty rows, by column key; `row_index`
        holds their sheet row numbers."""
        width = max(self.index.values(), default=0)
        if body and width and min(map(len, body)) < width:
            body = [
                row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in body
            ]
        count = len(body) if width else 0
        cells = {
            key: np.fromiter(map(itemgetter(position - 1), body), dtype=object, count=count)
            for key, position in self.index.items()
        }
        rows = pd.RangeIndex(2, 2 + count)
        columns = {
            key: parse.distinct(pd.Series(values, index=rows, dtype=object))
            for key, values in cells.items()
        }
        empty = np.ones(count, dtype=bool)
        for column in columns.values():
            empty &= column.blank[column.take]
        if not empty.any():  # the usual case: no copies
            self.row_index, self.cells, self.distinct = rows, cells, columns
            return
        keep = ~empty
        self.row_index = rows[keep]
        self.cells = {key: values[keep] for key, values in cells.items()}
        self.distinct = {key: column.rows(keep) for key, column in columns.items()}

    def column(self, key: str) -> parse.Distinct:
        """Column `key` factorised once (all empty when the tab has no such column)."""
        if key in self.distinct:
            return self.distinct[key]
        codes = np.full(len(self.row_index), -1, dtype=np.int64)
        return parse.Distinct(self.row_index, codes, [], np.ones(1, dtype=bool))

    def cell(self, key: str) -> pd.Series:
        if key in self.cells:
            return pd.Series(self.cells[key], index=self.row_index, dtype=object)
        return pd.Series([None] * len(self.row_index), index=self.row_index, dtype=object)

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
        raw = self.cell(key).to_numpy(dtype=object) if key else None
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
        self.ctx.rejected.append((_TAB_ORDER[self.spec.key], part))


# --- checks shared by the tabs ------------------------------------------------------------------


def _empty_error(parser: Callable[[object], object]) -> parse.ParseError | None:
    try:
        parser(None)
    except parse.ParseError as error:
        return error
    return None


def _flag_parse(
    check: _Check,
    parsed: parse.ParsedColumn,
    code: str,
    key: str,
    *,
    required: bool,
    empty: parse.ParseError | None = None,
) -> np.ndarray:
    """Flag unreadable cells (and empty ones when `required`) with the parser's hint."""
    failed = parsed.code.notna().to_numpy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    errors = parsed.error.to_numpy(dtype=object)
    raw = check.cell(key).to_numpy(dtype=object)
    language = check.ctx.language

    def text(position: int) -> str:
        error = errors[position] if errors[position] is not None else empty
        hint = error.text(language) if error else ""
        if MESSAGES[code][0].startswith("{column}: {hint}"):
            hint = lower_first(hint)
        return check.message(code, key, hint=hint, value=shown(raw[position]))

    check.flag(failed, code, key, text)
    return failed


def _dates(
    check: _Check, key: str, *, allow_time: bool, required: bool
) -> tuple[pd.Series, pd.Series]:
    """Parse a date column; flag bad_date, future_date, too_old_date.

    Returns (usable, readable): NaT where the date cannot be used / cannot be read at all."""
    column = check.column(key)
    parsed = parse.date_column(column, allow_time=allow_time)
    empty = _empty_error(parse.parse_date)
    failed = _flag_parse(check, parsed, "bad_date", key, required=required, empty=empty)
    moments = parsed.values
    raw_values = check.cell(key).to_numpy(dtype=object)
    seen: dict[int, str | None] = {}

    def value(position: int) -> str | None:
        code = int(column.codes[position])
        if code not in seen:
            seen[code] = _shown_date(raw_values[position])
        return seen[code]

    tomorrow = pd.Timestamp(check.ctx.as_of) + pd.Timedelta(days=1)
    future = (moments >= tomorrow).to_numpy()
    too_old = (moments < _OLDEST).to_numpy()
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


def _managers(check: _Check, *, required: bool = True) -> parse.NameColumn:
    """Manager names: missing_manager (when required), unknown_manager against the roster."""
    ctx = check.ctx
    names = parse.name_column(check.column("manager"))
    if required:
        check.flag(
            names.blank,
            "missing_manager",
            "manager",
            lambda p: check.message("missing_manager", "manager"),
        )
    _remember(ctx.manager_display, names)
    if ctx.roster_keys:
        keys = names.key.to_numpy(dtype=object)
        unknown = (~names.blank & ~names.key.isin(ctx.roster_keys)).to_numpy()
        raw = check.cell("manager").to_numpy(dtype=object)

        def text(position: int) -> str:
            return message_text(
                "unknown_manager",
                ctx.language,
                value=shown(raw[position]),
                tab=ctx.roster_title,
                suggest=ctx.suggest(keys[position]),
            )

        check.flag(unknown, "unknown_manager", "manager", text)
    return names


def _clients(check: _Check) -> parse.NameColumn:
    names = parse.name_column(check.column("client"))
    check.flag(
        names.blank, "missing_client", "client", lambda p: check.message("missing_client", "client")
    )
    _remember(check.ctx.client_display, names)
    return names


def _remember(display: dict[str, str], names: parse.NameColumn) -> None:
    """Keep the first display form seen (in sheet order) of every key not known yet.

    Distinct values come in order of first appearance, so the first per key is the upper row."""
    for key, text in zip(names.unique_keys, names.unique_display, strict=True):
        if key is not None:
            display.setdefault(key, text)


def _choices(check: _Check, key: str, values: dict) -> pd.Series:
    """A list column: bad_value (warning) where outside the list, which then counts as empty."""
    parsed = parse.choice_column(check.column(key), values)
    _flag_parse(check, parsed, "bad_value", key, required=False)
    return parsed.values


def _yes_no(check: _Check, key: str, default: bool) -> pd.Series:
    parsed = parse.yes_no_column(check.column(key))
    _flag_parse(check, parsed, "bad_value", key, required=False)
    return parsed.values.where(parsed.ok.to_numpy(), default).astype(bool)


def _counts(check: _Check, key: str, code: str = "bad_count") -> pd.Series:
    parsed = parse.count_column(check.column(key))
    _flag_parse(check, parsed, code, key, required=False)
    return parsed.values


def _display(names: parse.NameColumn, display: dict[str, str]) -> pd.Series:
    """The display form (roster's, else first seen) of each row's name, looked up per distinct."""
    shown = np.array([display.get(key) if key else None for key in names.unique_keys], dtype=object)
    return pd.Series(shown[names.take], index=names.key.index, dtype=object)


def _frame(
    columns: tuple[str, ...], data: dict[str, object], dtypes: dict[str, str]
) -> pd.DataFrame:
    frame = pd.DataFrame({name: data[name] for name in columns})
    for name, dtype in dtypes.items():
        frame[name] = frame[name].astype(dtype)
    return frame.reset_index(drop=True)


# --- the tabs -----------------------------------------------------------------------------------

_SALES_DTYPES = {
    "row": "int64",
    "date": "datetime64[ns]",
    "amount_kop": "int64",
    "margin_kop": "Int64",
    "paid": "bool",
}


def _sales(check: _Check) -> pd.DataFrame:
    ctx = check.ctx
    dates, readable = _dates(check, "date", allow_time=False, required=True)
    managers = _managers(check)
    clients = _clients(check)

    amount = parse.money_column(check.column("amount"))
    bad_amount = _flag_parse(
        check, amount, "bad_amount", "amount", required=True, empty=_empty_error(parse.parse_money)
    )
    amount_kop = amount.values
    nonpositive = (~bad_amount & (amount_kop.fillna(1) <= 0)).to_numpy()
    check.flag(
        nonpositive,
        "nonpositive_amount",
        "amount",
        lambda p: check.message("nonpositive_amount", "amount"),
    )

    margin = parse.money_column(check.column("margin"))
    margin_kop = margin.values
    negative = margin.ok.to_numpy() & (margin_kop.fillna(0) < 0).to_numpy()
    _flag_parse(check, margin, "bad_margin", "margin", required=False)
    language = ctx.language
    negative_hint = (
        "маржа не может быть меньше нуля."
        if language == "ru"
        else "the margin cannot be below zero."
    )
    check.flag(
        negative,
        "bad_margin",
        "margin",
        lambda p: check.message("bad_margin", "margin", hint=negative_hint),
    )
    margin_kop = margin_kop.where(margin.ok.to_numpy() & ~negative)
    exceeds = (
        (margin_kop.notna() & ~bad_amount & ~nonpositive & (margin_kop > amount_kop))
        .fillna(False)
        .to_numpy()
    )
    margins = margin_kop.to_numpy()
    amounts = amount_kop.to_numpy()
    check.flag(
        exceeds,
        "margin_exceeds_amount",
        "margin",
        lambda p: check.message(
            "margin_exceeds_amount",
            "margin",
            value=kopecks_text(margins[p], check.ctx.language),
            other=kopecks_text(amounts[p], check.ctx.language),
        ),
    )

    channel = _choices(check, "channel", schema.CHANNELS)
    client_type = _choices(check, "type", schema.CLIENT_TYPES)
    paid = _yes_no(check, "paid", default=True)

    ids = parse.name_column(check.column("id"))
    has_id = ~ids.blank
    repeated = (ids.key.duplicated(keep="first") & has_id).to_numpy()
    if repeated.any():
        first_rows = pd.Series(check.rows, index=ids.key.index)[has_id.to_numpy()]
        first_row = (
            pd.DataFrame({"key": ids.key[has_id], "row": first_rows})
            .drop_duplicates("key")
            .set_index("key")["row"]
            .to_dict()
        )
        keys = ids.key.to_numpy(dtype=object)
        raw_ids = check.cell("id").to_numpy(dtype=object)
        check.flag(
            repeated,
            "duplicate_id",
            "id",
            lambda p: check.message(
                "duplicate_id", "id", value=shown(raw_ids[p]), other=first_row[keys[p]]
            ),
        )

    # possible_duplicate: rows without errors and without an ID, same date/manager/client/amount.
    candidates = ~check.errors & ~has_id.to_numpy()
    if candidates.any():
        keyed = pd.DataFrame(
            {
                "date": dates,
                "manager": managers.key,
                "client": clients.key,
                "amount": amount_kop,
                "row": check.rows,
            }
        )[candidates]
        subset = ["date", "manager", "client", "amount"]
        twins = keyed[keyed.duplicated(subset, keep=False)]
        if len(twins):
            twins = twins.assign(first=twins.groupby(subset, sort=False)["row"].transform("first"))
            later = twins[twins["row"] != twins["first"]]
            first_of = dict(zip(later["row"], later["first"], strict=True))
            mask = np.isin(check.rows, later["row"].to_numpy())
            check.flag(
                mask,
                "possible_duplicate",
                None,
                lambda p: check.message(
                    "possible_duplicate", None, other=first_of[int(check.rows[p])]
                ),
            )

    months = _month_strings(dates)
    check.reject(managers.key, _month_strings(readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "date": dates,
        "month": months,
        "manager_key": managers.key,
        "manager": _display(managers, ctx.manager_display),
        "client_key": clients.key,
        "client": _display(clients, ctx.client_display),
        "amount_kop": amount_kop,
        "margin_kop": margin_kop,
        "channel": channel,
        "type": client_type,
        "paid": paid,
        "id": ids.display,
    }
    return _frame(SALES_COLUMNS, {k: _rows(v, keep) for k, v in data.items()}, _SALES_DTYPES)


def _rows(values: object, keep: np.ndarray) -> object:
    if isinstance(values, pd.Series):
        return values[keep].reset_index(drop=True)
    return np.asarray(values)[keep]


def empty_sales() -> pd.DataFrame:
    """An `Inputs.sales` frame with no rows."""
    data = {name: pd.Series([], dtype=object) for name in SALES_COLUMNS}
    return _frame(SALES_COLUMNS, data, _SALES_DTYPES)


def _setting_hint(check: _Check, key: str, code_text: Callable[[int], str]) -> Callable[[int], str]:
    """A bad_setting message naming the cell (e.g. «Мотивация!C4»)."""

    def text(position: int) -> str:
        cell = check.cell_name(key, int(check.rows[position]))
        hint = lower_first(code_text(position))
        return message_text("bad_setting", check.ctx.language, cell=cell, hint=hint)

    return text


def _flag_setting(
    check: _Check, parsed: parse.ParsedColumn, key: str, required: bool
) -> np.ndarray:
    failed = parsed.code.notna().to_numpy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    errors = parsed.error.to_numpy(dtype=object)
    language = check.ctx.language
    empty = (
        f"заполните «{check.header(key)}»."
        if language == "ru"
        else f"fill in «{check.header(key)}»."
    )

    def hint(position: int) -> str:
        error = errors[position]
        return error.text(language) if error is not None else empty

    check.flag(failed, "bad_setting", key, _setting_hint(check, key, hint))
    return failed


_ROSTER_DTYPES = {"row": "int64", "salary_kop": "Int64", "active": "bool"}


def _roster(check: _Check) -> pd.DataFrame:
    ctx = check.ctx
    language = ctx.language
    names = parse.name_column(check.column("manager"))
    check.flag(
        names.blank,
        "missing_manager",
        "manager",
        lambda p: check.message("missing_manager", "manager"),
    )
    _remember(ctx.manager_display, names)
    ctx.roster_keys = set(names.key.dropna())
    repeated = (names.key.duplicated(keep="first") & ~names.blank).to_numpy()
    first_row = (
        pd.DataFrame({"key": names.key, "row": check.rows})[~names.blank.to_numpy()]
        .drop_duplicates("key")
        .set_index("key")["row"]
        .to_dict()
    )
    keys = names.key.to_numpy(dtype=object)

    def repeated_hint(position: int) -> str:
        name = ctx.manager_display[keys[position]]
        row = first_row[keys[position]]
        if language == "ru":
            return f"менеджер «{name}» уже есть в строке {row}. Оставьте одну строку на менеджера."
        return f"manager «{name}» is already in row {row}. Keep one row per manager."

    check.flag(repeated, "bad_setting", "manager", _setting_hint(check, "manager", repeated_hint))
    keep = ~names.blank.to_numpy() & ~repeated

    scheme_raw = check.cell("scheme").to_numpy(dtype=object)
    params_raw = check.cell("params").to_numpy(dtype=object)
    found: list[object] = [None] * len(check.rows)
    bad_scheme = np.zeros(len(check.rows), dtype=bool)
    bad_params = np.zeros(len(check.rows), dtype=bool)
    reasons: dict[int, str] = {}
    for position in np.flatnonzero(keep):
        scheme_cell = None if parse.is_blank(scheme_raw[position]) else scheme_raw[position]
        params_cell = None if parse.is_blank(params_raw[position]) else params_raw[position]
        try:
            found[position] = schemes.parse_scheme(scheme_cell, params_cell, ctx.config.bonus)
        except schemes.SchemeError as error:
            reasons[position] = str(error)
            unknown_name = (
                scheme_cell is not None and schema.lookup(schema.SCHEMES, scheme_cell) is None
            )
            if unknown_name or params_cell is None:
                bad_scheme[position] = True
            else:
                bad_params[position] = True
    check.flag(
        bad_scheme, "bad_setting", "scheme", _setting_hint(check, "scheme", reasons.__getitem__)
    )
    check.flag(
        bad_params, "bad_setting", "params", _setting_hint(check, "params", reasons.__getitem__)
    )

    salary = parse.money_column(check.column("salary"))
    _flag_setting(check, salary, "salary", required=False)
    negative = (salary.ok & (salary.values.fillna(0) < 0)).to_numpy()
    negative_hint = "оклад не может быть меньше нуля." if language == "ru" else "salary below zero."
    check.flag(
        negative, "bad_setting", "salary", _setting_hint(check, "salary", lambda p: negative_hint)
    )
    salary_kop = salary.values.where(salary.ok.to_numpy() & ~negative)
    active = _yes_no(check, "active", default=True)

    check.reject(names.key, None)
    data = {
        "row": check.rows,
        "manager_key": names.key,
        "manager": _display(names, ctx.manager_display),
        "scheme": pd.Series(found, index=names.key.index, dtype=object),
        "salary_kop": salary_kop,
        "active": active,
    }
    return _frame(ROSTER_COLUMNS, {k: _rows(v, keep) for k, v in data.items()}, _ROSTER_DTYPES)


_PLAN_DTYPES = {"row": "int64", "plan_revenue_kop": "Int64", "plan_new_clients": "Int64"}


def _plan(check: _Check) -> pd.DataFrame:
    ctx = check.ctx
    language = ctx.language
    months = parse.month_column(check.column("month"))
    _flag_setting(check, months, "month", required=True)
    too_old = (months.ok & (months.values.fillna("9999-99") < "2000-01")).to_numpy()
    old_hint = "месяц раньше 2000 года — проверьте год." if language == "ru" else "before 2000."
    check.flag(too_old, "bad_setting", "month", _setting_hint(check, "month", lambda p: old_hint))
    month_values = months.values.where(months.ok.to_numpy() & ~too_old)

    managers = _managers(check, required=False)

    revenue = parse.money_column(check.column("plan_revenue"))
    _flag_setting(check, revenue, "plan_revenue", required=False)
    nonpositive = (revenue.ok & (revenue.values.fillna(1) <= 0)).to_numpy()
    zero_hint = (
        "план должен быть больше нуля; если плана нет, оставьте ячейку пустой."
        if language == "ru"
        else "the plan must be above zero; leave the cell empty when there is no plan."
    )
    check.flag(
        nonpositive,
        "bad_setting",
        "plan_revenue",
        _setting_hint(check, "plan_revenue", lambda p: zero_hint),
    )
    new_clients = parse.count_column(check.column("plan_new_clients"))
    _flag_setting(check, new_clients, "plan_new_clients", required=False)

    # The same manager (or the team) twice for one month: the later row is the error.
    candidates = ~check.errors
    keyed = pd.DataFrame(
        {"month": month_values, "manager": managers.key.fillna(""), "row": check.rows}
    )[candidates]
    repeated_rows = keyed[keyed.duplicated(["month", "manager"], keep="first")]
    if len(repeated_rows):
        first = keyed.drop_duplicates(["month", "manager"]).set_index(["month", "manager"])["row"]
        month_of_row = dict(zip(keyed["row"], keyed["month"], strict=True))
        manager_of_row = dict(zip(keyed["row"], keyed["manager"], strict=True))
        key = "manager" if "manager" in check.index else "month"

        def hint(position: int) -> str:
            row = int(check.rows[position])
            month, manager = month_of_row[row], manager_of_row[row]
            earlier = first[(month, manager)]
            who = ctx.manager_display.get(manager, "") if manager else None
            if language == "ru":
                whom = f"для «{who}»" if who else "для всей команды"
                return f"план на {month} {whom} уже задан в строке {earlier}. Оставьте одну строку."
            whom = f"for «{who}»" if who else "for the team"
            return f"the {month} plan {whom} is already in row {earlier}. Keep one row."

        mask = np.isin(check.rows, repeated_rows["row"].to_numpy())
        check.flag(mask, "bad_setting", key, _setting_hint(check, key, hint))

    check.reject(managers.key, month_values)
    keep = ~check.errors
    manager_names = _display(managers, ctx.manager_display)
    data = {
        "row": check.rows,
        "month": month_values,
        "manager_key": managers.key,
        "manager": manager_names.where(managers.key.notna(), None),
        "plan_revenue_kop": revenue.values,
        "plan_new_clients": new_clients.values,
    }
    return _frame(PLAN_COLUMNS, {k: _rows(v, keep) for k, v in data.items()}, _PLAN_DTYPES)


def empty_plan() -> pd.DataFrame:
    """An `Inputs.plan` frame with no rows."""
    data = {name: pd.Series([], dtype=object) for name in PLAN_COLUMNS}
    return _frame(PLAN_COLUMNS, data, _PLAN_DTYPES)


def empty_roster() -> pd.DataFrame:
    """An `Inputs.roster` frame with no rows (no roster)."""
    data = {name: pd.Series([], dtype=object) for name in ROSTER_COLUMNS}
    return _frame(ROSTER_COLUMNS, data, _ROSTER_DTYPES)


_DEALS_DTYPES = {
    "row": "int64",
    "lead_date": "datetime64[ns]",
    "first_contact": "datetime64[ns]",
    "touches": "Int64",
    "close_date": "datetime64[ns]",
    "deal_amount_kop": "Int64",
}


def _deals(check: _Check) -> pd.DataFrame:
    ctx = check.ctx
    lead, lead_readable = _dates(check, "lead_date", allow_time=True, required=True)
    managers = _managers(check)
    clients = _clients(check)
    channel = _choices(check, "channel", schema.CHANNELS)
    lead_text = lead.to_numpy()

    def lead_shown(position: int) -> str | None:
        moment = lead_text[position]
        return None if pd.isna(moment) else shown(pd.Timestamp(moment).to_pydatetime())

    contact, _ = _dates(check, "first_contact", allow_time=True, required=False)
    contact_raw = check.cell("first_contact").to_numpy(dtype=object)
    early_contact = (contact < lead).fillna(False).to_numpy()
    check.flag(
        early_contact,
        "contact_before_lead",
        "first_contact",
        lambda p: check.message(
            "contact_before_lead",
            "first_contact",
            value=_shown_date(contact_raw[p]),
            lead=lead_shown(p),
        ),
        lambda p: _shown_date(contact_raw[p]),
    )
    touches = _counts(check, "touches")
    temperature = _choices(check, "temperature", schema.TEMPERATURES)
    status = _choices(check, "status", schema.STATUSES).where(lambda s: s.notna(), "open")

    close, _ = _dates(check, "close_date", allow_time=False, required=False)
    close_raw = check.cell("close_date").to_numpy(dtype=object)
    close_blank = parse.blank_mask(check.column("close_date")).to_numpy()
    early_close = (close < lead.dt.normalize()).fillna(False).to_numpy()
    check.flag(
        early_close,
        "close_before_lead",
        "close_date",
        lambda p: check.message(
            "close_before_lead", "close_date", value=_shown_date(close_raw[p]), lead=lead_shown(p)
        ),
        lambda p: _shown_date(close_raw[p]),
    )
    is_open = (status == "open").to_numpy()
    closed = ~is_open
    open_with_date = is_open & close.notna().to_numpy()
    check.flag(
        open_with_date,
        "bad_value",
        "close_date",
        lambda p: check.message("close_date_on_open", "close_date"),
        lambda p: _shown_date(close_raw[p]),
    )
    close = close.where(~open_with_date)
    status_raw = check.cell("status").to_numpy(dtype=object)
    check.flag(
        closed & close_blank,
        "missing_close_date",
        "close_date",
        lambda p: check.message("missing_close_date", "close_date", other=shown(status_raw[p])),
    )

    amount = parse.money_column(check.column("deal_amount"))
    bad_amount = _flag_parse(check, amount, "bad_amount", "deal_amount", required=False)
    nonpositive = (~bad_amount & (amount.values.fillna(1) <= 0)).to_numpy()
    check.flag(
        nonpositive,
        "nonpositive_amount",
        "deal_amount",
        lambda p: check.message("nonpositive_amount", "deal_amount"),
    )

    reasons = parse.name_column(check.column("loss_reason"))
    lost = (status == "lost").to_numpy()
    check.flag(
        lost & reasons.blank.to_numpy(),
        "missing_loss_reason",
        "loss_reason",
        lambda p: check.message("missing_loss_reason", "loss_reason"),
    )

    months = _month_strings(lead)
    check.reject(managers.key, _month_strings(lead_readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "lead_date": lead,
        "month": months,
        "manager_key": managers.key,
        "manager": _display(managers, ctx.manager_display),
        "client_key": clients.key,
        "client": _display(clients, ctx.client_display),
        "channel": channel,
        "first_contact": contact,
        "touches": touches,
        "temperature": temperature,
        "status": status.astype(object),
        "close_date": close,
        "deal_amount_kop": amount.values,
        "loss_reason": reasons.display,
        "loss_reason_key": reasons.key,
    }
    return _frame(DEALS_COLUMNS, {k: _rows(v, keep) for k, v in data.items()}, _DEALS_DTYPES)


_ACTIVITY_DTYPES = {
    "row": "int64",
    "date": "datetime64[ns]",
    "calls": "Int64",
    "meetings": "Int64",
    "presentations": "Int64",
    "proposals": "Int64",
}


def _activity(check: _Check) -> pd.DataFrame:
    ctx = check.ctx
    dates, readable = _dates(check, "date", allow_time=False, required=True)
    managers = _managers(check)
    counts = {
        key: _counts(check, key) for key in ("calls", "meetings", "presentations", "proposals")
    }
    months = _month_strings(dates)
    check.reject(managers.key, _month_strings(readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "date": dates,
        "month": months,
        "manager_key": managers.key,
        "manager": _display(managers, ctx.manager_display),
        **counts,
    }
    return _frame(ACTIVITY_COLUMNS, {k: _rows(v, keep) for k, v in data.items()}, _ACTIVITY_DTYPES)


# --- the workbook -------------------------------------------------------------------------------


def _resolve(
    titles: tuple[str, ...], config: Config, spec: schema.InputTab
) -> tuple[str | None, list[str]]:
    """The workbook title of input tab `spec`, or (None, the ambiguous candidates)."""
    names = [config.tab_title(spec.key)]
    if spec.key not in config.tabs:
        names += [name for name in (spec.ru, spec.en) if name not in names]
    for name in names:
        if name in titles:
            return name, []
    for name in names:
        matches = [title for title in titles if schema.norm(title) == schema.norm(name)]
        if len(matches) == 1:
            return matches[0], []
        if matches:
            return None, matches
    return None, []


def validate(raw: RawWorkbook, config: Config, as_of: date) -> Inputs:
    """Check every input tab (SPEC §2, §3) and return the valid rows as typed frames."""
    ctx = _Context(config, as_of, config.language)
    fatal = False
    checks: dict[str, _Check] = {}
    tab_titles: dict[str, str] = {}
    for spec in schema.INPUT_TABS:
        title, ambiguous = _resolve(raw.titles, config, spec)
        configured = config.tab_title(spec.key)
        if title is None:
            if ambiguous:
                names = ", ".join(f"«{name}»" for name in ambiguous)
                text = message_text("ambiguous_tab", ctx.language, tab=configured, names=names)
                ctx.tab_problem(spec.key, configured, None, "missing_tab", text)
                fatal = fatal or spec.key == "sales"
            elif spec.key == "sales":
                text = message_text("missing_tab", ctx.language, tab=configured)
                ctx.tab_problem(spec.key, configured, None, "missing_tab", text)
                fatal = True
            continue
        tab_titles[spec.key] = title
        rows = raw.tabs.get(title, RawTab(title, [])).rows
        has_header = bool(rows) and any(not parse.is_blank(cell) for cell in rows[0])
        if not has_header and spec.key != "sales":
            continue  # an empty optional tab counts as absent
        check = _Check(ctx, spec, title, rows)
        if check.missing:
            code = "missing_column" if spec.key == "sales" else "missing_column_optional"
            for key in check.missing:
                label = spec.column(key).label(ctx.language)
                text = message_text(code, ctx.language, tab=title, column=label)
                ctx.tab_problem(spec.key, title, label, "missing_column", text)
            fatal = fatal or spec.key == "sales"
            if spec.key != "sales":
                continue
        checks[spec.key] = check

    roster = empty_roster()
    if "roster" in checks:
        ctx.roster_title = checks["roster"].title
        roster = _roster(checks["roster"])
    sales = empty_sales()
    if "sales" in checks and not fatal:
        sales = _sales(checks["sales"])
    plan = _plan(checks["plan"]) if "plan" in checks else empty_plan()
    deals = _deals(checks["deals"]) if "deals" in checks else None
    activity = _activity(checks["activity"]) if "activity" in checks else None

    problems = [problem for _, problem in sorted(ctx.problems, key=lambda item: item[0])]
    # Tab order as for problems: Продажи, Сделки, Активность, План, Мотивация.
    in_order = [part for _, part in sorted(ctx.rejected, key=lambda item: item[0])]
    rejected = (
        pd.concat(in_order, ignore_index=True)
        if in_order
        else pd.DataFrame({name: pd.Series([], dtype=object) for name in REJECTED_COLUMNS})
    )
    rejected["row"] = rejected["row"].astype("int64")
    log.info(
        "validated %d sales rows: %d problems, %d rejected rows",
        len(sales),
        len(problems),
        len(rejected),
    )
    return Inputs(
        sales=sales,
        plan=plan,
        roster=roster,
        problems=problems,
        rejected=rejected,
        fatal=fatal,
        deals=deals,
        activity=activity,
        tab_titles=tab_titles,
        column_index={key: dict(check.index) for key, check in checks.items()},
    )
