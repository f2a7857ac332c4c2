"""Calendar months as `YYYY-MM` strings: the one month type the core uses."""

from __future__ import annotations

import calendar
from datetime import date


def month_of(day: date) -> str:
    """`YYYY-MM` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, count: int) -> str:
    """The month `count` months after (negative: before) `month`."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, second: str) -> int:
    """How many months `second` is after `first` (negative when before)."""
    return (int(second[:4]) - int(first[:4])) * 12 + int(second[5:7]) - int(first[5:7])


def days_in_month(month: str) -> int:
    return calendar.monthrange(int(month[:4]), int(month[5:7]))[1]


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def last_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), days_in_month(month))
