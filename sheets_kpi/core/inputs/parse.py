"""Raw cell → typed value (SPEC §2.6): the problem a cell can be, blanks, money, counts and
list values; dates and months are in dates.py, whole columns in columns.py, names in names.py.
Together the only place that gives raw cells meaning.

Each parser takes one raw cell (None, str, int, float, bool, date/datetime) and returns the value
or raises `ParseError` with a problem code.

Decisions where SPEC §2.6 is silent:
- money with one separator followed by exactly three digits (`100,505`, `1.000`) is ambiguous
  (thousands or decimals?) and is an error unless spaces already group the thousands;
- booleans are never numbers or dates; text digits (`46000`) are never a serial date.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


BLANKS = " \t\r\n\u00a0\u2007\u2009\u202f\u200b\u2060\ufeff"
# Every character but " " that `schema._SPACES` turns into a space: Python's whitespace
# (`str.isspace`, which `\s` matches) and three zero-width characters.
_OTHER_SPACES = re.compile(
    "[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\u2060\ufeff]"
)


def odd_spaces(text: str) -> bool:
    """True when the `schema._SPACES` pass would change `text` beyond nothing: a space other
    than " ", or two spaces in a row (a C-speed search and one character class, no regex
    alternation: quick on long joined texts)."""
    return "  " in text or _OTHER_SPACES.search(text) is not None


def _collapse(text: str) -> str:
    """`schema.display` (trim, collapse every kind of space to one), quicker for plain text."""
    if not odd_spaces(text):
        return " ".join(text.split())
    return schema.display(text)


def is_blank(raw: object) -> bool:
    """True for an empty cell: None, NaN/NaT, or text of spaces only."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip(BLANKS)
    if isinstance(raw, float):
        return math.isnan(raw)
    return raw is pd.NaT


def is_number(raw: object) -> bool:
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


# --- money --------------------------------------------------------------------------------------

MAX_AMOUNT_KOP = 10**14  # a trillion roubles: anything bigger is a typo, and sums stay in int64
# the same bound in roubles, for settings (scheme parameters, config values)
MAX_AMOUNT_RUB = Decimal(MAX_AMOUNT_KOP // 100)

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
    if is_number(raw):
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
    if isinstance(raw, (int, np.integer)) and is_number(raw):
        count = int(raw) if raw >= 0 else None
    elif is_number(raw):
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
