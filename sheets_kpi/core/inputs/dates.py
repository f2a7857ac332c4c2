"""Date and month cells → values (SPEC §2.4, §2.6).

Decisions where SPEC §2.6 is silent:
- a date column (`allow_time=False`) accepts a time part or a serial fraction and drops it: the
  day is what counts, and the month of a payment never depends on the hour;
- `dd/mm/yyyy` is always day first; `yyyy/mm/dd`, `dd-mm-yyyy` and words are errors;
- years before 1678 or after 2261 are a typo in the year (and beyond datetime64[ns]).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

import pandas as pd

from sheets_kpi.core.inputs import schema
from sheets_kpi.core.inputs.parse import ParseError, is_blank, is_number

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
FIRST_DATE = datetime(1678, 1, 1)
LAST_DATE = datetime(2262, 1, 1)


def parse_date(raw: object, *, allow_time: bool = False) -> datetime:
    """A naive datetime from a date cell (SPEC §2.6); midnight unless `allow_time` keeps a time.

    Accepts datetime/date objects, spreadsheet serial numbers (Excel 1900 system) and text in
    `dd.mm.yyyy`, `dd.mm.yy` (20yy), `yyyy-mm-dd`, `dd/mm/yyyy`, each optionally followed by
    ` HH:MM[:SS]`. Without `allow_time` a time part is accepted and dropped. Years before 1678
    or after 2261 are errors (a typo in the year, and beyond what a date column can hold).
    """
    moment = _parse_date(raw, allow_time)
    if not FIRST_DATE <= moment < LAST_DATE:
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
    if is_number(raw):
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
