"""The month's pace (issue 20): how far into the month `as_of` is, and the previous month over
the same days, so a month in progress is compared with a month in progress.

Presentation figures for `Сводка`, not SPEC §6 KPIs: the JSON report does not carry them.
- `expected_share` = days elapsed (through `as_of`) ÷ days in the month: the plan completion
  that is on pace today (day 10 of 30 → 1/3).
- The previous month's revenue, payments and new clients *through the same day of month*
  (the 4th → the 1st–4th). A previous month shorter than that day counts whole (31 March →
  all of February); on the last day of the current month the previous month counts whole too,
  so a finished month is compared with a finished month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sheets_kpi.core import months
from sheets_kpi.core.compute.clients import Clients


@dataclass(frozen=True)
class Pace:
    """The current month's pace and the previous month through the same day."""

    month: str  # the current month, "YYYY-MM"
    day: int  # days elapsed, through as_of
    days_in_month: int
    previous_month: str
    previous_through_day: int  # the last day of the previous month that is counted
    previous_revenue: float  # roubles, paid rows less refunds (as `revenue`)
    previous_payments: int
    previous_new_clients: int

    @property
    def expected_share(self) -> float:
        """The plan completion that is on pace today: days elapsed ÷ days in the month."""
        return self.day / self.days_in_month


def expected_share(as_of: date) -> float:
    """The plan completion that is on pace on `as_of`: days elapsed ÷ days in its month."""
    return as_of.day / months.days_in_month(months.month_of(as_of))


def previous_through_day(as_of: date) -> int:
    """The last day of the previous month compared with the current month through `as_of`."""
    month = months.month_of(as_of)
    previous_days = months.days_in_month(months.add_months(month, -1))
    if as_of.day == months.days_in_month(month):
        return previous_days
    return min(as_of.day, previous_days)


def pace(clients: Clients, as_of: date) -> Pace:
    """The pace of `as_of`'s month and the previous month's figures through the same day."""
    month = months.month_of(as_of)
    previous = months.add_months(month, -1)
    cutoff = previous_through_day(as_of)
    payments = clients.payments
    in_days = (payments["month"].to_numpy() == previous) & (
        payments["date"].dt.day.to_numpy() <= cutoff
    )
    revenue_kop = int(payments["amount_kop"].to_numpy(dtype="int64")[in_days].sum())
    refunds = getattr(clients, "refunds", None)  # SPEC §14: a refund lowers revenue
    if refunds is not None and len(refunds):
        refunded = (refunds["month"].to_numpy() == previous) & (
            refunds["date"].dt.day.to_numpy() <= cutoff
        )
        revenue_kop -= int(refunds["amount_kop"].to_numpy(dtype="int64")[refunded].sum())
    first_paying_month = payments["month_index"].to_numpy(dtype="int64") == 1
    acquired = set(payments["client_key"].to_numpy()[in_days & first_paying_month])
    table = clients.table
    new_keys = set(table["client_key"].to_numpy()[table["is_new"].to_numpy(dtype=bool)])
    return Pace(
        month=month,
        day=as_of.day,
        days_in_month=months.days_in_month(month),
        previous_month=previous,
        previous_through_day=cutoff,
        previous_revenue=revenue_kop / 100,
        previous_payments=int(np.count_nonzero(in_days)),
        previous_new_clients=len(acquired & new_keys),
    )
