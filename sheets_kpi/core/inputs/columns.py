"""Whole columns: a raw column factorised once (`Distinct`), each distinct value parsed once and
mapped back (`ParsedColumn`), so a million rows with a few thousand distinct values stay fast."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs.dates import FIRST_DATE, LAST_DATE, parse_date, parse_month
from sheets_kpi.core.inputs.parse import (
    BLANKS,
    MAX_AMOUNT_KOP,
    ParseError,
    is_blank,
    parse_choice,
    parse_count,
    parse_money,
    parse_yes_no,
)

# --- column helpers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedColumn:
    """A column parsed once per distinct value, aligned to the raw Series' index.

    `values`: the parsed value (None / NaT / <NA> where blank or unreadable; dtype per helper:
    datetime64[ns] for dates, Int64 for money and counts, object otherwise). Per distinct value
    (one more entry at the end for empty cells): `unique_codes`, the ParseError code or None,
    and `unique_errors`, the ParseError itself or None (for its hint in either language). The
    per-row views below are built only when asked for.
    """

    values: pd.Series
    column: Distinct
    unique_codes: np.ndarray
    unique_errors: np.ndarray

    @property
    def blank(self) -> pd.Series:
        """True where the cell is empty."""
        column = self.column
        return pd.Series(column.blank[column.take], index=column.index, dtype=bool, copy=False)

    @property
    def code(self) -> pd.Series:
        """The ParseError code of each cell, or None."""
        column = self.column
        return pd.Series(
            self.unique_codes[column.take], index=column.index, dtype=object, copy=False
        )

    @cached_property
    def failed(self) -> np.ndarray:
        """True where the cell could not be read (`code` is set), as a plain array."""
        return ~pd.isna(self.unique_codes)[self.column.take]

    def error_at(self, position: int) -> ParseError | None:
        """The ParseError of the cell at `position` (0-based among the rows), or None."""
        return self.unique_errors[self.column.take[position]]

    @property
    def ok(self) -> pd.Series:
        """True where the cell is filled and parsed."""
        return ~self.blank & ~self.failed


_NUMBER_TYPES = frozenset({bool, int, float, np.bool_, np.int64, np.float64})


def _blanks(uniques: list[object], all_text: bool = False) -> np.ndarray:
    """`is_blank` of each distinct value of a factorised column (which holds no None/NaN);
    `all_text`: the caller knows every value is a str."""
    if uniques and (all_text or pd.api.types.infer_dtype(uniques, skipna=False) == "string"):
        joined = "".join(uniques)
        if not any(char in joined for char in BLANKS):
            # No space anywhere (IDs, invoice numbers): only an empty text is blank.
            texts = np.empty(len(uniques), dtype=object)
            texts[:] = uniques
            return np.asarray(texts == "", dtype=bool)
        return np.array([not value.strip(BLANKS) for value in uniques], dtype=bool)
    return np.fromiter(
        ((not value.strip(BLANKS)) if type(value) is str else is_blank(value) for value in uniques),
        dtype=bool,
        count=len(uniques),
    )


def _factorize(raw: pd.Series, all_text: bool = False) -> tuple[np.ndarray, list[object]]:
    """Codes and distinct values of a raw column; -1 for None/NaN. Python's True == 1 and
    False == 0 hash alike, so booleans get their own distinct values. `all_text`: the caller
    knows every filled value is a str."""
    codes, uniques_index = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    uniques = list(uniques_index)
    if not uniques or all_text or pd.api.types.infer_dtype(uniques_index, skipna=True) == "string":
        return codes, uniques
    candidates = [
        index
        for index, value in enumerate(uniques)
        if type(value) in _NUMBER_TYPES and value in (0, 1)
    ]
    if candidates:
        values = raw.to_numpy(dtype=object)
        codes = codes.copy()
        for index in candidates:
            positions = np.flatnonzero(codes == index)
            is_bool = np.fromiter(
                (isinstance(values[p], (bool, np.bool_)) for p in positions),
                dtype=bool,
                count=len(positions),
            )
            first_is_bool = isinstance(uniques[index], (bool, np.bool_))
            other = positions[is_bool != first_is_bool]
            if len(other):
                codes[other] = len(uniques)
                uniques.append(values[other[0]])
    return codes, uniques


@dataclass(frozen=True)
class Distinct:
    """A raw column factorised once: `codes` index `uniques` (-1 = None/NaN), `blank` says which
    distinct values are empty (one more entry at the end for -1). Every column helper accepts
    one in place of the raw Series, so a column is hashed once however many checks read it."""

    index: pd.Index
    codes: np.ndarray
    uniques: list[object]
    numbers: np.ndarray | None = None  # float64 uniques when every filled cell is a number
    moments: np.ndarray | None = None  # datetime64[ns] uniques when every filled cell is one
    all_text: bool = False  # every distinct value is a str

    @cached_property
    def take(self) -> np.ndarray:
        """Indexes into per-distinct arrays of length len(uniques) + 1, one per row: the codes
        themselves when no cell is empty (the usual case for a required column)."""
        empty = self.codes < 0
        if not empty.any():
            return self.codes
        return np.where(empty, len(self.uniques), self.codes)

    @cached_property
    def blank(self) -> np.ndarray:
        """Which distinct values are empty, one more (True) at the end for None/NaN cells;
        worked out when first asked for (texts need a look at each distinct value)."""
        if self.numbers is not None or self.moments is not None:
            blank = np.zeros(len(self.uniques) + 1, dtype=bool)
            blank[-1] = True
            return blank
        return np.append(_blanks(self.uniques, self.all_text), True)

    def rows(self, keep: np.ndarray) -> Distinct:
        """The same column restricted to the rows where `keep` is true."""
        return Distinct(
            self.index[keep],
            self.codes[keep],
            self.uniques,
            numbers=self.numbers,
            moments=self.moments,
            all_text=self.all_text,
        )


_NUMERIC_KINDS = frozenset({"floating", "integer", "mixed-integer-float"})


def _as_datetime64(values: np.ndarray) -> np.ndarray | None:
    """Naive datetime cells as datetime64[ns] (hashed far faster than objects), or None when
    some cell has a time zone or lies outside the datetime64[ns] range."""
    try:
        moments = pd.Series(values, dtype=object).astype("datetime64[ns]")
    except (ValueError, TypeError, OverflowError):
        return None
    return moments.to_numpy()


def _as_float64(values: np.ndarray) -> np.ndarray | None:
    """Number cells as float64 (hashed far faster than objects), or None when some missing
    cell is not None/NaN (`pd.NA`) or some integer is beyond float range: such a column is
    hashed as objects, NA as empty. (numpy reads None as NaN, as pandas does.)"""
    try:
        return values.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        return None


_PROBED = 64  # cells looked at for the type of a column's first filled cell


def first_filled_type(values: np.ndarray) -> type | None:
    """The type of the first filled cell among the first few, or None."""
    for value in values[:_PROBED]:
        if value is not None and not (type(value) is float and math.isnan(value)):
            return type(value)
    return None


def _distinct_by_first_type(index: pd.Index, values: np.ndarray) -> Distinct | None:
    """A column of texts or of dates (what most columns are) factorised as objects first,
    its type then read from the distinct values only, which are few: the type of every cell
    is not inferred. None when the column turns out to be something else (then `distinct`
    does the general work)."""
    first = first_filled_type(values)
    if first is not str and first is not datetime and first is not pd.Timestamp:
        return None
    codes, found = pd.factorize(values, use_na_sentinel=True)
    kind = pd.api.types.infer_dtype(found, skipna=False)
    if kind == "string":
        return Distinct(index, codes, list(found), all_text=True)
    if kind == "datetime":
        moments = _as_datetime64(found)
        if moments is not None:
            uniques = found.tolist()
            if not all(type(value) is datetime for value in uniques):  # e.g. pd.Timestamp
                uniques = list(pd.DatetimeIndex(moments).to_pydatetime())
            return Distinct(index, codes, uniques, moments=moments)
    return None


def distinct(raw: pd.Series | Distinct) -> Distinct:
    """Factorise a raw column (or pass a `Distinct` through). A column of plain numbers (what
    Google hands over for amounts and dates) is hashed as float64, much faster than objects."""
    if isinstance(raw, Distinct):
        return raw
    values = raw.to_numpy(dtype=object)
    quick = _distinct_by_first_type(raw.index, values)
    if quick is not None:
        return quick
    kind = pd.api.types.infer_dtype(values, skipna=True) if len(values) else "empty"
    numbers = _as_float64(values) if kind in _NUMERIC_KINDS else None
    if numbers is not None:
        filled = numbers[~np.isnan(numbers)]
        if len(filled) and bool((np.abs(filled) < 2**53).all()):
            codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
            return Distinct(raw.index, codes, uniques.tolist(), numbers=uniques)
    if kind == "datetime":
        moments = _as_datetime64(values)
        if moments is not None:
            codes, uniques = pd.factorize(moments, use_na_sentinel=True)
            return Distinct(
                raw.index,
                codes,
                list(pd.DatetimeIndex(uniques).to_pydatetime()),
                moments=np.asarray(uniques, dtype="datetime64[ns]"),
            )
    all_text = kind == "string"  # every filled cell is a str: no need to ask again
    codes, uniques = _factorize(raw, all_text)
    return Distinct(raw.index, codes, uniques, all_text=all_text)


def each_cell(raw: pd.Series) -> Distinct:
    """A raw column as a `Distinct` without hashing it: every filled cell is its own distinct
    value. For a column of (nearly) all different values, such as IDs, where hashing would find
    nearly every cell distinct anyway."""
    values = raw.to_numpy(dtype=object)
    filled = ~np.asarray(pd.isna(values), dtype=bool)
    codes = np.where(filled, np.cumsum(filled) - 1, -1)
    return Distinct(raw.index, codes, values[filled].tolist())


def parse_column(
    raw: pd.Series | Distinct, parser: Callable[[object], object], kind: str = "object"
) -> ParsedColumn:
    """Parse every distinct value of `raw` once with `parser` and map the results back.

    `kind` is the dtype of `ParsedColumn.values`: "object", "datetime" (datetime64[ns], NaT
    where missing) or "int" (Int64, <NA> where missing)."""
    column = distinct(raw)
    count = len(column.uniques)
    parsed = np.empty(count + 1, dtype=object)
    errors = np.empty(count + 1, dtype=object)
    error_codes = np.empty(count + 1, dtype=object)
    blank = column.blank
    for index, value in enumerate(column.uniques):
        if blank[index]:
            continue
        try:
            parsed[index] = parser(value)
        except ParseError as error:
            errors[index] = error.detached()
            error_codes[index] = error.code
    return _spread(column, parsed, error_codes, errors, kind)


def _typed(parsed: np.ndarray, take: np.ndarray, kind: str) -> pd.Series:
    """Parsed distinct values spread to rows as `kind`: object, datetime64[ns] or Int64."""
    if kind == "datetime":
        moments = pd.Series(parsed, dtype=object).astype("datetime64[ns]").to_numpy()
        return pd.Series(moments[take], copy=False)
    if kind == "int":
        missing = pd.isna(pd.Series(parsed, dtype=object)).to_numpy()
        numbers = np.zeros(len(parsed), dtype=np.int64)
        numbers[~missing] = [int(value) for value in parsed[~missing]]
        return pd.Series(pd.arrays.IntegerArray(numbers[take], missing[take]), copy=False)
    return pd.Series(parsed[take], dtype=object, copy=False)


def _spread(
    column: Distinct,
    parsed: np.ndarray,
    error_codes: np.ndarray,
    errors: np.ndarray,
    kind: str = "object",
) -> ParsedColumn:
    values = _typed(parsed, column.take, kind)
    values.index = column.index
    return _parsed(column, values, error_codes, errors)


def _parsed(
    column: Distinct, values: pd.Series, error_codes: np.ndarray, errors: np.ndarray
) -> ParsedColumn:
    """A `ParsedColumn` of `values` (already per row) and the per-distinct errors."""
    return ParsedColumn(values, column, error_codes, errors)


def date_column(raw: pd.Series | Distinct, *, allow_time: bool = False) -> ParsedColumn:
    """`parse_date` over a column, each distinct value once; a column of datetime cells only
    (what the backends hand over) is converted in one vector step."""
    column = distinct(raw)
    if column.moments is None:
        return parse_column(
            column, lambda value: parse_date(value, allow_time=allow_time), "datetime"
        )
    return _moments_column(column, column.moments, allow_time)


def _moments_column(column: Distinct, moments: np.ndarray, allow_time: bool) -> ParsedColumn:
    """`date_column` of datetime cells: midnight unless `allow_time`, years out of range are
    parsed one by one for their error."""
    count = len(column.uniques)
    if not allow_time:
        moments = moments.astype("datetime64[D]").astype("datetime64[ns]")
    parsed = np.full(count + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    parsed[:count] = moments
    errors = np.empty(count + 1, dtype=object)
    error_codes = np.empty(count + 1, dtype=object)
    first, last = np.datetime64(FIRST_DATE, "ns"), np.datetime64(LAST_DATE, "ns")
    for index in np.flatnonzero((moments < first) | (moments >= last)):
        parsed[index] = np.datetime64("NaT")
        try:
            parsed[index] = np.datetime64(
                parse_date(column.uniques[index], allow_time=allow_time), "ns"
            )
        except ParseError as error:
            errors[index] = error.detached()
            error_codes[index] = error.code
    values = pd.Series(parsed[column.take], index=column.index, copy=False)
    return _parsed(column, values, error_codes, errors)


def money_column(raw: pd.Series | Distinct) -> ParsedColumn:
    """`parse_money` over a column; whole-kopeck numbers are converted in one vector step."""
    column = distinct(raw)
    uniques = column.uniques
    count = len(uniques)
    kopecks = np.zeros(count + 1, dtype=np.int64)
    done = np.zeros(count + 1, dtype=bool)
    errors = np.empty(count + 1, dtype=object)
    error_codes = np.empty(count + 1, dtype=object)
    if column.numbers is not None:
        numeric = np.arange(count)
        numbers = column.numbers
    else:
        numeric = np.array(
            [
                index
                for index, value in enumerate(uniques)
                if (type(value) is float or (type(value) is int and abs(value) < 2**53))
            ],
            dtype=np.int64,
        )
        numbers = np.array([uniques[index] for index in numeric], dtype=np.float64)
    if len(numeric):
        with np.errstate(over="ignore", invalid="ignore"):  # 1e308: not exact, parsed below
            cents = numbers * 100
            rounded = np.round(cents)
            distance = np.abs(cents - rounded)
        # Whole kopecks up to float precision: the value as typed had at most two decimals.
        exact = (
            np.isfinite(cents)
            & (distance < 1e-6)
            & (np.abs(rounded) < MAX_AMOUNT_KOP)
            & (np.abs(numbers) < 2**52 / 100)
        )
        kopecks[numeric[exact]] = rounded[exact].astype(np.int64)
        done[numeric[exact]] = True
    for index in np.flatnonzero(~done[:count] & ~column.blank[:count]):
        try:
            kopecks[index] = parse_money(uniques[index])
            done[index] = True
        except ParseError as error:
            errors[index] = error.detached()
            error_codes[index] = error.code
    take = column.take
    values = pd.Series(
        pd.arrays.IntegerArray(kopecks[take], ~done[take]), index=column.index, copy=False
    )
    return _parsed(column, values, error_codes, errors)


def count_column(raw: pd.Series | Distinct) -> ParsedColumn:
    """`parse_count` over a column."""
    return parse_column(raw, parse_count, "int")


def month_column(raw: pd.Series | Distinct) -> ParsedColumn:
    """`parse_month` over a column."""
    return parse_column(raw, parse_month)


def yes_no_column(raw: pd.Series | Distinct) -> ParsedColumn:
    """`parse_yes_no` over a column."""
    return parse_column(raw, parse_yes_no)


def choice_column(raw: pd.Series | Distinct, values: dict) -> ParsedColumn:
    """`parse_choice` over a column."""
    return parse_column(raw, lambda value: parse_choice(values, value))


def blank_mask(raw: pd.Series | Distinct) -> pd.Series:
    """True where a raw cell is empty, computed once per distinct value."""
    column = distinct(raw)
    return pd.Series(column.blank[column.take], index=column.index, copy=False)
