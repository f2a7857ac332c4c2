"""The named records a scheme works on: new clients in, accruals out, both column by column.

A scheme is a plain function `accrue(clients: NewClients, scheme) -> list[Accruals]`: money only,
no words. `wording.py` then writes each line's explanation from its fields, and `bonus.py`
makes the `BonusItem`s. Columns, not one record per client: at 100k sales rows the bonus step
builds some 12k lines, and one Python object per line and stage would cost more than the
10 % the benchmarks allow; `tests/unit/test_scheme_functions.py` checks every scheme against a
plain one-client-at-a-time recount.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import numpy as np

KOPECK = Decimal("0.01")
_INT64_MAX = int(np.iinfo(np.int64).max)


def half_up(amount: Decimal) -> Decimal:
    """Roubles rounded half-up to whole kopecks (SPEC §5)."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def roubles(kopecks: list[int]) -> list[Decimal]:
    """Whole kopecks as `Decimal` roubles with two decimals, the value and exponent `half_up`
    leaves (an exact product)."""
    return [Decimal(value) * KOPECK for value in kopecks]


class NewClients(NamedTuple):
    """New clients (SPEC §4), one entry per client in every column, in order of first row."""

    manager_key: np.ndarray  # object
    manager: np.ndarray  # object: display name (`Roster.display_name`)
    client_key: np.ndarray  # object
    client: np.ndarray  # object
    first_month: np.ndarray  # object: "YYYY-MM", the client's month 1
    first_row: np.ndarray  # int64: sheet row of the first payment, the accrual order
    inbound: np.ndarray  # bool: the first payment row says inbound
    check_kop: np.ndarray  # int64: month-1 check
    margin_kop: np.ndarray  # int64: month-1 margin, 0 where `lacks_margin`
    lacks_margin: np.ndarray  # bool: a month-1 payment has no margin
    months: np.ndarray  # object: the client's paying months, a tuple of "YYYY-MM"
    paying_months: np.ndarray  # int64: len(months)

    def take(self, positions: np.ndarray) -> NewClients:
        """The clients at these positions (an index array or a boolean mask)."""
        return self._make(column[positions] for column in self)


@dataclass(frozen=True)
class Accruals:
    """Bonus lines of one scheme and step, one entry per line in every list: money only.

    `wording` names the explanation's template (`wording.TEMPLATES`); `level`, `clients` and
    `nth_month` are what it says besides the money."""

    scheme: str  # tiers | two_step | margin | fixed
    step: int
    wording: str
    manager_key: list[str]
    manager: list[str]
    month: list[str]  # accrual month
    client: list[str | None]  # None for a month-basis tiers line
    order: list[int]  # first row of the client (month basis: of the month's first client)
    basis: list[Decimal]  # roubles the bonus is computed from
    basis_kop: list[int]
    amount: list[Decimal]
    amount_kop: list[int]
    rate: Decimal | None = None  # two_step, margin
    tier: list[Decimal | None] | None = None  # tiers: the threshold reached
    level: list[int] | None = None  # tiers: the tier reached, from 1
    clients: list[int] | None = None  # tiers, month basis: new clients in the month
    nth_month: int = 0  # two_step: the paying month step 2 waits for

    def __len__(self) -> int:
        return len(self.amount)


def rate_kopecks(rate: Decimal, kopecks: np.ndarray) -> tuple[list[int], list[Decimal]]:
    """rate × each amount of kopecks, rounded half-up to whole kopecks: as ints and as `Decimal`
    roubles, equal to `half_up(rate * roubles)`.

    For rate = p/q ≥ 0 and c ≥ 0 kopecks, half-up is floor(p·c/q + 1/2) = (2·p·c + q) // (2·q),
    one integer division per amount. Where that could differ from `Decimal` (negative amounts,
    figures too large for int64 or for the decimal precision) the `Decimal` way is taken."""
    if len(kopecks) == 0:
        return [], []
    if _exact_in_integers(rate, int(kopecks.max()), int(kopecks.min())):
        numerator, denominator = rate.as_integer_ratio()
        whole = ((2 * numerator * kopecks + denominator) // (2 * denominator)).tolist()
        return whole, roubles(whole)
    amounts = [half_up(rate * Decimal(value).scaleb(-2)) for value in kopecks.tolist()]
    return [int(amount.scaleb(2)) for amount in amounts], amounts


def _exact_in_integers(rate: Decimal, high: int, low: int) -> bool:
    """Whether rate × kopecks in [low, high] rounds the same in int64 as in `Decimal`: both
    non-negative, 2·p, 2·q and 2·p·high + q fit int64, and the `Decimal` product is exact (its
    coefficient fits the context precision, so no rounding happens before the half-up one)."""
    if not rate.is_finite() or rate < 0 or low < 0:
        return False
    numerator, denominator = rate.as_integer_ratio()
    digits = rate.as_tuple().digits
    coefficient = int("".join(map(str, digits))) if digits else 0
    limit = 10 ** decimal.getcontext().prec
    return (
        2 * max(numerator, denominator) <= _INT64_MAX  # each figure of the formula fits int64
        and 2 * numerator * high + denominator <= _INT64_MAX
        and high < limit
        and coefficient * high < limit
    )
