"""Raw cell → typed value (SPEC §2.6). The only place that gives raw cells meaning.

Each parser takes one raw cell (None, str, int, float, bool, date/datetime) and returns the value
or raises `ParseError` with a problem code. Column-wide helpers parse each *distinct* raw value
once and map the results back, so a million rows with a few thousand distinct values stay fast.

Decisions where SPEC §2.6 is silent:
- a date column (`allow_time=False`) accepts a time part or a serial fraction and drops it: the
  day is what counts, and the month of a payment never depends on the hour;
- `dd/mm/yyyy` is always day first; `yyyy/mm/dd`, `dd-mm-yyyy` and words are errors;
- money with one separator followed by exactly three digits (`100,505`, `1.000`) is ambiguous
  (thousands or decimals?) and is an error unless spaces already group the thousands;
- booleans are never numbers or dates; text digits (`46000`) are never a serial date.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import schema


class ParseError(ValueError):
    """A cell that cannot be read. `code` is a SPEC §3 code, `hint` a Russian how-to-fix text
    (`hint_en` the same in English)."""

    def __init__(self, code: str, hint: str = "", hint_en: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.hint = hint
        self.hint_en = hint_en or hint

    def text(self, language: schema.Language) -> str:
        """The hint in the output language."""
        return schema.in_language((self.hint, self.hint_en), language)

    def detached(self) -> ParseError:
        """This error without the frames it was raised through, to be kept after its handler:
        a kept traceback holds those frames and their locals (whole columns) in a reference
        cycle that only the cycle collector frees, and the core runs with it paused."""
        self.__traceback__ = None
        self.__context__ = None
        return self


# --- blanks -------------------------------------------------------------------------------------


_BLANKS = " \t\r\n\u00a0\u2007\u2009\u202f\u200b\u2060\ufeff"
# Every character but " " that `schema._SPACES` turns into a space: Python's whitespace
# (`str.isspace`, which `\s` matches) and three zero-width characters.
_OTHER_SPACES = re.compile(
    "[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\u2060\ufeff]"
)


def _odd_spaces(text: str) -> bool:
    """True when the `schema._SPACES` pass would change `text` beyond nothing: a space other
    than " ", or two spaces in a row (a C-speed search and one character class, no regex
    alternation: quick on long joined texts)."""
    return "  " in text or _OTHER_SPACES.search(text) is not None


def _collapse(text: str) -> str:
    """`schema.display` (trim, collapse every kind of space to one), quicker for plain text."""
    if not _odd_spaces(text):
        return " ".join(text.split())
    return schema.display(text)


def is_blank(raw: object) -> bool:
    """True for an empty cell: None, NaN/NaT, or text of spaces only."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip(_BLANKS)
    if isinstance(raw, float):
        return math.isnan(raw)
    return raw is pd.NaT


def _is_number(raw: object) -> bool:
    return isinstance(raw, (int, float, np.integer, np.floating)) and not isinstance(
        raw, (bool, np.bool_)
    )


def as_typed(raw: object) -> object:
    """A whole float as the int a person typed (a column of numbers is read as floats, and a
    message should say «-2», not «-2.0»); a huge one stays a float, written as 1e+300 rather
    than 301 digits. Anything else as it is."""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e16:
        return int(raw)
    return raw


# --- dates --------------------------------------------------------------------------------------

# Excel's 1900 date system: serial 1 = 1900-01-01, serial 60 is the phantom 1900-02-29 that
# Lotus had and Excel kept, serial 61 = 1900-03-01.
_SERIAL_BASE = datetime(1899, 12, 30)
_SERIAL_MAX = 2958465  # 9999-12-31

_DATE_HINT = (
    "Пишите дату как 03.11.2026 (или 2026-11-03, 03/11/2026, 03.11.26) "
    "либо выберите её в календаре ячейки.",
    "Write the date as 03.11.2026 (or 2026-11-03, 03/11/2026, 03.11.26) "
    "or pick it in the cell's calendar.",
)
_DATE_FORMS = (
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2})"), "dmy2"),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "dmy"),
)
_DATE_TAIL = re.compile(
    r"(?:\s*г\.?)?"  # «03.11.2026 г.»
    r"(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*$"
)


def _bad_date(what: str = "", what_en: str = "") -> ParseError:
    return ParseError(
        "bad_date", f"{what}{_DATE_HINT[0]}".strip(), f"{what_en}{_DATE_HINT[1]}".strip()
    )


def _from_serial(serial: float, allow_time: bool) -> datetime:
    if not math.isfinite(serial) or serial < 1 or serial >= _SERIAL_MAX + 1:
        raise _bad_date("Это число не похоже на дату. ", "This number is not a date. ")
    day = math.floor(serial)
    if day == 60:
        raise _bad_date(
            "29 февраля 1900 года не было (ошибка старых таблиц). ",
            "There was no 29 February 1900 (an old spreadsheet bug). ",
        )
    base = _SERIAL_BASE if day > 60 else _SERIAL_BASE + timedelta(days=1)
    moment = base + timedelta(days=day)
    if allow_time:
        seconds = round((serial - day) * 86400)
        moment += timedelta(seconds=seconds)
    return moment


def _from_text(text: str, allow_time: bool) -> datetime:
    text = schema.display(text)
    for pattern, order in _DATE_FORMS:
        head = pattern.match(text)
        if head is None:
            continue
        tail = _DATE_TAIL.fullmatch(text, head.end())
        if tail is None:
            continue
        first, second, third = (int(part) for part in head.groups())
        if order == "ymd":
            year, month, day = first, second, third
        else:
            day, month, year = first, second, third
            if order == "dmy2":
                year += 2000
        try:
            moment = datetime(year, month, day)
        except ValueError:
            raise _bad_date(
                f"Такой даты нет в календаре: «{text}». ",
                f"There is no such date in the calendar: «{text}». ",
            ) from None
        hour, minute, second_ = tail.groups()
        if hour is not None:
            hours, minutes, seconds = int(hour), int(minute), int(second_ or 0)
            if hours > 23 or minutes > 59 or seconds > 59:
                raise _bad_date(
                    f"Такого времени нет: «{text}». Время пишите как 14:30. ",
                    f"There is no such time: «{text}». Write the time as 14:30. ",
                )
            if allow_time:
                moment = moment.replace(hour=hours, minute=minutes, second=seconds)
        return moment
    raise _bad_date(f"«{text}» — не дата. ", f"«{text}» is not a date. ")


# the years a datetime64[ns] column can hold; a date outside them is a typo in the year
_FIRST_DATE = datetime(1678, 1, 1)
_LAST_DATE = datetime(2262, 1, 1)


def parse_date(raw: object, *, allow_time: bool = False) -> datetime:
    """A naive datetime from a date cell (SPEC §2.6); midnight unless `allow_time` keeps a time.

    Accepts datetime/date objects, spreadsheet serial numbers (Excel 1900 system) and text in
    `dd.mm.yyyy`, `dd.mm.yy` (20yy), `yyyy-mm-dd`, `dd/mm/yyyy`, each optionally followed by
    ` HH:MM[:SS]`. Without `allow_time` a time part is accepted and dropped. Years before 1678
    or after 2261 are errors (a typo in the year, and beyond what a date column can hold).
    """
    moment = _parse_date(raw, allow_time)
    if not _FIRST_DATE <= moment < _LAST_DATE:
        raise _bad_date(
            f"Год {moment.year} — явная опечатка, проверьте год. ",
            f"The year {moment.year} is a typo: check the year. ",
        )
    return moment


def _parse_date(raw: object, allow_time: bool) -> datetime:
    if is_blank(raw):
        raise _bad_date("Дата не указана. ", "The date is empty. ")
    if isinstance(raw, datetime):
        moment = raw.replace(tzinfo=None)
        if isinstance(moment, pd.Timestamp):
            moment = moment.to_pydatetime()
        if not allow_time:
            moment = datetime(moment.year, moment.month, moment.day)
        return moment
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    if _is_number(raw):
        try:
            serial = float(raw)  # type: ignore[arg-type]
        except OverflowError:  # a whole number beyond the float range
            serial = math.inf
        return _from_serial(serial, allow_time)
    if isinstance(raw, str):
        return _from_text(raw, allow_time)
    if isinstance(raw, time):
        raise _bad_date("В ячейке только время, без даты. ", "The cell holds a time, no date. ")
    raise _bad_date(f"«{raw}» — не дата. ", f"«{raw}» is not a date. ")


# --- money --------------------------------------------------------------------------------------

MAX_AMOUNT_KOP = 10**14  # a trillion roubles: anything bigger is a typo, and sums stay in int64

_MONEY_HINT = (
    "Пишите сумму цифрами: 100000, 100 000 или 100 000,50 (копейки — после запятой).",
    "Write the amount in digits: 100000, 100 000 or 100 000.50.",
)
_GROUP_SPACES = "[ \u00a0\u2007\u2009\u202f]"
_CURRENCY = re.compile(
    r"\s*(?:₽|руб(?:\.|лей|ля|ль)?|р\.?|rub\.?|rur\.?)\s*$", re.IGNORECASE | re.UNICODE
)
_CURRENCY_HEAD = re.compile(r"^\s*₽\s*")
_MONEY_BODY = re.compile(
    rf"(?P<int>\d{{1,3}}(?:{_GROUP_SPACES}\d{{3}})+|\d+)(?:(?P<sep>[.,])(?P<frac>\d+))?"
)
_KOPECKS = Decimal("0.01")


def _bad_amount(what: str = "", what_en: str = "") -> ParseError:
    return ParseError("bad_amount", f"{what}{_MONEY_HINT[0]}", f"{what_en}{_MONEY_HINT[1]}")


def _kopecks(value: Decimal) -> int:
    # before any arithmetic: 1e308 or 50 000 digits must not reach quantize() or int()
    if not value.is_finite() or (value and value.adjusted() >= 13):
        raise _bad_amount("Слишком большая сумма — проверьте лишние цифры. ", "Amount too large. ")
    if value.as_tuple().exponent == 0:  # whole roubles: no rounding needed
        kopecks = int(value) * 100
    else:
        kopecks = int(value.quantize(_KOPECKS, rounding=ROUND_HALF_UP) * 100)
    if abs(kopecks) >= MAX_AMOUNT_KOP:
        raise _bad_amount("Слишком большая сумма — проверьте лишние цифры. ", "Amount too large. ")
    return kopecks


def parse_money(raw: object) -> int:
    """Kopecks from a money cell (SPEC §2.6), rounded half-up. The sign is kept: a leading minus
    or `-0` parses, sign checks are the validator's job."""
    if is_blank(raw):
        raise _bad_amount("Сумма не указана. ", "The amount is empty. ")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _bad_amount()
        return _kopecks(raw)
    if _is_number(raw):
        if isinstance(raw, (int, np.integer)):
            return _kopecks(Decimal(int(raw)))
        number = float(raw)  # type: ignore[arg-type]
        if not math.isfinite(number):
            raise _bad_amount()
        return _kopecks(Decimal(repr(number)))
    if not isinstance(raw, str):
        raise _bad_amount(f"«{raw}» — не сумма. ", f"«{raw}» is not an amount. ")
    if raw.isascii() and raw.isdigit():
        return _kopecks(Decimal(raw))
    text = _collapse(raw)
    body = _CURRENCY.sub("", _CURRENCY_HEAD.sub("", text))
    sign = ""
    if body[:1] in ("-", "−", "+"):
        sign = "-" if body[0] != "+" else ""
        body = body[1:].lstrip()
    match = _MONEY_BODY.fullmatch(body)
    if match is None:
        if body.count(".") + body.count(",") > 1:
            raise _bad_amount(
                f"Непонятно, где в «{text}» тысячи, а где копейки. Тысячи отделяйте пробелом. ",
                f"Cannot tell thousands from decimals in «{text}». Group thousands with spaces. ",
            )
        raise _bad_amount(f"«{text}» — не сумма. ", f"«{text}» is not an amount. ")
    whole, frac = match.group("int"), match.group("frac")
    grouped = not whole.isdigit()
    if frac is not None and len(frac) == 3 and not grouped and len(whole) <= 3:
        if whole[0] != "0":
            raise _bad_amount(
                f"Непонятно, что значит «{text}»: тысячи или рубли с копейками? "
                "Тысячи отделяйте пробелом (100 505), копейки — запятой и двумя цифрами "
                "(100,50). ",
                f"«{text}» is ambiguous: thousands or decimals? Group thousands with spaces "
                "(100 505), write decimals with two digits (100.50). ",
            )
    digits = whole.replace(" ", "")
    number_text = f"{sign}{digits}.{frac}" if frac is not None else f"{sign}{digits}"
    try:
        return _kopecks(Decimal(number_text))
    except InvalidOperation:
        raise _bad_amount(f"«{text}» — не сумма. ", f"«{text}» is not an amount. ") from None


# --- counts, months, lists ----------------------------------------------------------------------

MAX_COUNT = 10**9  # a billion calls or touches in one cell is a typo, and sums stay in int64
_COUNT_HINT = (
    "Пишите целое число не меньше нуля: 0, 1, 2…",
    "Write a whole number, zero or more: 0, 1, 2…",
)
_COUNT_TEXT = re.compile(rf"\d{{1,3}}(?:{_GROUP_SPACES}\d{{3}})+|\d+(?:[.,]0+)?")


def parse_count(raw: object) -> int:
    """A non-negative whole number (`3`, `3.0`, `"3"`) up to `MAX_COUNT`; fractions, negatives,
    text and bigger numbers → bad_count."""
    count: int | None = None
    if isinstance(raw, (int, np.integer)) and _is_number(raw):
        count = int(raw) if raw >= 0 else None
    elif _is_number(raw):
        number = float(raw)  # type: ignore[arg-type]
        if math.isfinite(number) and number >= 0 and number.is_integer():
            count = int(number)
    elif isinstance(raw, str):
        text = schema.display(raw)
        if _COUNT_TEXT.fullmatch(text):
            digits = re.sub(_GROUP_SPACES, "", re.split(r"[.,]", text)[0]).lstrip("0") or "0"
            # Python's int() refuses a text of over 4300 digits: a long one is too big anyway.
            count = int(digits) if len(digits) <= len(str(MAX_COUNT)) else MAX_COUNT + 1
    if count is not None and count <= MAX_COUNT:
        return count
    shown = "" if is_blank(raw) else f"«{as_typed(raw)}» — "
    if count is not None:
        raise ParseError(
            "bad_count",
            f"{shown}слишком большое число, проверьте лишние цифры. {_COUNT_HINT[0]}",
            f"{shown}too big a number: check for extra digits. {_COUNT_HINT[1]}",
        )
    raise ParseError(
        "bad_count",
        f"{shown}не целое неотрицательное число. {_COUNT_HINT[0]}",
        f"{shown}not a whole number ≥ 0. {_COUNT_HINT[1]}",
    )


_MONTH_NAMES: dict[str, int] = {}
for _number, _spellings in enumerate(
    (
        "январь января янв january jan",
        "февраль февраля фев февр february feb",
        "март марта мар march mar",
        "апрель апреля апр april apr",
        "май мая may",
        "июнь июня июн june jun",
        "июль июля июл july jul",
        "август августа авг august aug",
        "сентябрь сентября сен сент september sep sept",
        "октябрь октября окт october oct",
        "ноябрь ноября ноя нояб november nov",
        "декабрь декабря дек december dec",
    ),
    start=1,
):
    for _spelling in _spellings.split():
        _MONTH_NAMES[_spelling] = _number

_MONTH_WORDS = re.compile(r"([a-zа-я]+)\.?\s+(\d{4})(?:\s*г(?:ода?|\.)?)?")
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_DOTTED = re.compile(r"(\d{1,2})[./](\d{4})")
_MONTH_HINT = (
    "Пишите месяц как 2026-11, 11.2026 или «ноябрь 2026».",
    "Write the month as 2026-11, 11.2026 or «November 2026».",
)


def parse_month(raw: object) -> str:
    """`YYYY-MM` from a month cell (SPEC §2.4): `2026-11`, `11.2026`, `ноябрь 2026` (any case,
    also `ноября`, `нояб.`), English names, or any date / serial inside the month."""
    if isinstance(raw, str):
        text = schema.norm(raw)
        year = month = None
        if match := _MONTH_ISO.fullmatch(text):
            year, month = int(match.group(1)), int(match.group(2))
        elif match := _MONTH_DOTTED.fullmatch(text):
            month, year = int(match.group(1)), int(match.group(2))
        elif match := _MONTH_WORDS.fullmatch(text):
            month, year = _MONTH_NAMES.get(match.group(1)), int(match.group(2))
        if year is not None:
            if month is None or not 1 <= month <= 12:
                raise ParseError(
                    "bad_date",
                    f"«{raw}» — нет такого месяца. {_MONTH_HINT[0]}",
                    f"«{raw}» is not a month. {_MONTH_HINT[1]}",
                )
            return f"{year:04d}-{month:02d}"
    try:
        moment = parse_date(raw)
    except ParseError:
        shown = "Месяц не указан." if is_blank(raw) else f"«{raw}» — не месяц."
        shown_en = "The month is empty." if is_blank(raw) else f"«{raw}» is not a month."
        raise ParseError(
            "bad_date", f"{shown} {_MONTH_HINT[0]}", f"{shown_en} {_MONTH_HINT[1]}"
        ) from None
    return f"{moment.year:04d}-{moment.month:02d}"


_TRUE_FALSE = {"true": True, "false": False}


def parse_yes_no(raw: object) -> bool:
    """`да`/`нет` (also `yes`/`no`, a checkbox's TRUE/FALSE) → bool; anything else → bad_value."""
    if isinstance(raw, (bool, np.bool_)):
        return bool(raw)
    if isinstance(raw, str):
        found = schema.lookup(schema.YES_NO, raw)
        if found is None:
            found = _TRUE_FALSE.get(schema.norm(raw))
        if found is not None:
            return bool(found)
    raise ParseError("bad_value", "Пишите «да» или «нет».", "Write «yes» or «no».")


def parse_choice(values: dict, raw: object) -> object:
    """The canonical value of a list cell (`schema.CHANNELS`, `STATUSES`, ...) → bad_value."""
    found = schema.lookup(values, raw) if isinstance(raw, str) else None
    if found is None:
        ru = " или ".join(f"«{spellings[0]}»" for spellings in values.values())
        en = " or ".join(f"«{spellings[-1]}»" for spellings in values.values())
        raise ParseError("bad_value", f"Выберите {ru}.", f"Choose {en}.")
    return found


def name_text(raw: object) -> str:
    """A name cell as text: numbers without a trailing `.0`, dates as dd.mm.yyyy."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.strftime("%d.%m.%Y")
    if isinstance(raw, date):
        return raw.strftime("%d.%m.%Y")
    return str(raw)


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
        if not any(char in joined for char in _BLANKS):
            # No space anywhere (IDs, invoice numbers): only an empty text is blank.
            texts = np.empty(len(uniques), dtype=object)
            texts[:] = uniques
            return np.asarray(texts == "", dtype=bool)
        return np.array([not value.strip(_BLANKS) for value in uniques], dtype=bool)
    return np.fromiter(
        (
            (not value.strip(_BLANKS)) if type(value) is str else is_blank(value)
            for value in uniques
        ),
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
    first, last = np.datetime64(_FIRST_DATE, "ns"), np.datetime64(_LAST_DATE, "ns")
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


@dataclass(frozen=True)
class NameColumn:
    """Names of a column: identity key (None where blank) aligned to raw, and per distinct
    value (in order of first appearance) the display form and key."""

    key: pd.Series
    blank: pd.Series
    unique_display: np.ndarray  # len(uniques) + 1, None where blank
    unique_keys: np.ndarray
    take: np.ndarray

    @property
    def display(self) -> pd.Series:
        """Display form per row (None where blank)."""
        return pd.Series(
            self.unique_display[self.take], index=self.key.index, dtype=object, copy=False
        )


_SEPARATOR = "\x00"
_MANY_SPACES = re.compile(" {2,}")
_SPACE_AT_SEPARATOR = re.compile(f" ?{_SEPARATOR} ?")


def _trim_items(joined: str) -> str:
    """Strip the spaces around every item of a joined text (spaces are already collapsed)."""
    if f" {_SEPARATOR}" in joined or f"{_SEPARATOR} " in joined:
        joined = _SPACE_AT_SEPARATOR.sub(_SEPARATOR, joined)
    return joined.strip(" ")


# ASCII characters the name passes would change, besides single spaces: other spaces, quotes.
_ASCII_CHANGED = tuple(
    char
    for char in map(chr, range(128))
    if char != " " and (schema._SPACES.fullmatch(char) or char in schema._QUOTES)
)


def _plain_ascii(joined: str) -> bool:
    """True when the space and quote passes would leave `joined` as it is (plain ASCII such as
    IDs and invoice numbers): a few quick scans instead of three regular-expression passes."""
    return (
        joined.isascii()
        and "  " not in joined
        and not any(char in joined for char in _ASCII_CHANGED)
    )


def _joined_forms(joined: str) -> tuple[str, str]:
    """Of texts joined by `_SEPARATOR` (which none holds): the joined `schema.display` forms,
    and the joined `schema.norm` forms before casefolding (quotes gone). Each pass runs only
    when a quick search finds something for it to change; a text unchanged comes back as the
    same object."""
    if _plain_ascii(joined):
        joined = _trim_items(joined)
        return joined, joined
    if _odd_spaces(joined):
        joined = schema._SPACES.sub(" ", joined)
    joined = keyed = _trim_items(joined)
    if any(char in joined for char in schema._QUOTES):
        keyed = _trim_items(_MANY_SPACES.sub(" ", schema._QUOTE_RUN.sub(" ", joined)))
    return joined, keyed


def _names_of_text(texts: list[str]) -> tuple[list[str], list[str]]:
    """`schema.display` and `schema.norm` of many texts at once: the texts are joined into one
    string, transformed by a few C-speed passes, and split again (`\x00` must not occur)."""
    original = _SEPARATOR.join(texts)
    joined, keyed = _joined_forms(original)
    keyed = keyed.casefold().replace("ё", "е")
    # The display forms are the texts themselves when no pass changed anything (`str.strip`
    # hands back the same object then): no need to split them out again.
    shown = list(texts) if joined is original else joined.split(_SEPARATOR)
    return shown, keyed.split(_SEPARATOR)


def norm_many(texts: list[str]) -> list[str]:
    """`schema.norm` of each text, in a few C-speed passes over all of them at once."""
    if texts:
        _, keys = _names_of_text(texts)
        if len(keys) == len(texts):  # no text held the separator
            return keys
    return [schema.norm(text) for text in texts]


def _names(uniques: list[object]) -> tuple[list[str | None], list[str | None]]:
    """Display forms and keys of distinct names; the same results as `schema.display` / `norm`
    (a cell of quotes only counts as empty), quick for text: a million IDs must stay fast."""
    if uniques and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        shown_all, keys_all = _names_of_text(uniques)  # type: ignore[arg-type]
        if len(keys_all) == len(uniques):  # no text held the separator
            return (
                [text if key else None for text, key in zip(shown_all, keys_all, strict=True)],
                [key or None for key in keys_all],
            )
    text_positions = [
        position
        for position, value in enumerate(uniques)
        if type(value) is str and _SEPARATOR not in value
    ]
    texts = [uniques[position] for position in text_positions]
    shown: list[str | None] = [None] * len(uniques)
    keys: list[str | None] = [None] * len(uniques)
    if texts:
        text_shown, text_keys = _names_of_text(texts)  # type: ignore[arg-type]
        for position, text, key in zip(text_positions, text_shown, text_keys, strict=True):
            if key:
                shown[position] = text
                keys[position] = key
    if len(texts) < len(uniques):
        done = set(text_positions)
        for position, value in enumerate(uniques):
            if position in done or is_blank(value):
                continue
            text = schema.display(name_text(value))
            key = schema.norm(text)
            if key:
                shown[position] = text
                keys[position] = key
    return shown, keys


def _text_names(
    uniques: list[object], all_text: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """`_names` of distinct texts as arrays (display, key, missing; one more entry at the end
    for empty cells), without a Python step per name: a million IDs stay quick. None when
    some value is not text or holds the separator; `all_text`: the caller knows every value
    is a str."""
    if not uniques or not (all_text or pd.api.types.infer_dtype(uniques, skipna=False) == "string"):
        return None
    shown_all, keys_all = _names_of_text(uniques)  # type: ignore[arg-type]
    if len(keys_all) != len(uniques):
        return None
    count = len(uniques)
    shown = np.empty(count + 1, dtype=object)
    shown[:count] = shown_all
    keys = np.empty(count + 1, dtype=object)
    keys[:count] = keys_all
    missing = np.zeros(count + 1, dtype=bool)
    missing[count] = True
    if "" in keys_all:  # spaces or quotes only: as good as an empty cell
        missing[:count] = keys[:count] == ""
        shown[missing] = None
        keys[missing] = None
    return shown, keys, missing


def missing_names(values: np.ndarray) -> np.ndarray:
    """Which cells of a name column are empty as `name_column` sees them (spaces or quotes
    only count as empty), cell by cell and without keying the names: for a column that nothing
    groups by, such as the deals' clients, where hashing and keying 100k nearly all different
    names would cost several times more."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # the usual case
        missing = np.zeros(len(values), dtype=bool)
        is_text = slice(None)
    else:
        missing = np.asarray(pd.isna(values), dtype=bool)  # a number or date is never empty
        is_text = np.fromiter((type(cell) is str for cell in values), bool, count=len(values))
    texts = values[is_text].tolist()
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1:  # no text holds the separator
        _, keyed = _joined_forms(joined)
        # An item left empty shows as two separators in a row, or one at either end.
        if not (
            f"{_SEPARATOR}{_SEPARATOR}" in keyed
            or keyed[:1] in ("", _SEPARATOR)
            or keyed[-1:] == _SEPARATOR
        ):
            return missing
        empty = [not item for item in keyed.split(_SEPARATOR)]
    else:  # one name at a time
        empty = [not schema.norm(text) for text in texts]
    missing[is_text] = empty
    return missing


def name_column(raw: pd.Series | Distinct) -> NameColumn:
    """Display form (`schema.display`) and key (`schema.norm`) of each name, once per distinct."""
    column = distinct(raw)
    texts = _text_names(column.uniques, column.all_text)
    if texts is not None:
        shown, keys, missing = texts
    else:
        shown_list, key_list = _names(column.uniques)
        shown = np.array([*shown_list, None], dtype=object)
        keys = np.array([*key_list, None], dtype=object)
        missing = np.array([key is None for key in key_list] + [True], dtype=bool)
    take = column.take
    return NameColumn(
        key=pd.Series(keys[take], index=column.index, dtype=object, copy=False),
        blank=pd.Series(missing[take], index=column.index, dtype=bool, copy=False),
        unique_display=shown,
        unique_keys=keys,
        take=take,
    )


def blank_mask(raw: pd.Series | Distinct) -> pd.Series:
    """True where a raw cell is empty, computed once per distinct value."""
    column = distinct(raw)
    return pd.Series(column.blank[column.take], index=column.index, copy=False)
