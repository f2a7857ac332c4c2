"""tiers (SPEC §5): the fixed bonus of the highest threshold reached, by the month-1 check of each
new client (`basis = "client"`) or by the month-1 checks of a manager's new clients in a month
together (`basis = "month"`)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import numpy as np

from sheets_kpi.core.compute.schemes.records import Accruals, NewClients, half_up, roubles
from sheets_kpi.core.settings import TiersScheme

_INT64_MAX = int(np.iinfo(np.int64).max)


def accrue(clients: NewClients, scheme: TiersScheme) -> list[Accruals]:
    """The tiers lines of these new clients (all on `scheme`), in their order."""
    if scheme.basis == "month":
        return [_by_month(clients, scheme)]
    levels = _levels(scheme, clients.check_kop)
    reached = clients.take(levels > 0)
    return [
        _lines(
            reached,
            scheme,
            levels[levels > 0].tolist(),
            client=reached.client.tolist(),
            basis_kop=reached.check_kop.tolist(),
        )
    ]


def reached_level(scheme: TiersScheme, basis: Decimal) -> int:
    """The tier (from 1) `basis` roubles reach, 0 for none: the highest whose threshold ≤ basis."""
    reached = 0
    for level, (threshold, _) in enumerate(scheme.tiers, start=1):
        if threshold <= basis:
            reached = level
    return reached


def _levels(scheme: TiersScheme, kopecks: np.ndarray) -> np.ndarray:
    """The tier (from 1) each amount of kopecks reaches, 0 for none: the highest whose
    threshold ≤ the amount."""
    levels = np.zeros(len(kopecks), dtype=np.int64)
    for level, (threshold, _) in enumerate(scheme.tiers, start=1):
        # threshold ≤ amount ⟺ ⌈threshold in kopecks⌉ ≤ amount in kopecks (a whole number)
        lowest = int(threshold.scaleb(2).to_integral_value(rounding=ROUND_CEILING))
        if lowest <= _INT64_MAX:
            levels[kopecks >= max(lowest, -_INT64_MAX)] = level
    return levels


def _by_month(clients: NewClients, scheme: TiersScheme) -> Accruals:
    """One line per manager-month on the sum of the month-1 checks of the month's new clients,
    placed in the accrual order at the month's first client."""
    groups: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(
        zip(clients.manager_key.tolist(), clients.first_month.tolist(), strict=True)
    ):
        groups.setdefault(key, []).append(position)
    checks = clients.check_kop.tolist()
    firsts, levels, totals, counts = [], [], [], []
    for members in groups.values():
        total = sum(checks[position] for position in members)
        level = reached_level(scheme, Decimal(total).scaleb(-2))
        if level:
            firsts.append(members[0])
            levels.append(level)
            totals.append(total)
            counts.append(len(members))
    firsts_of_month = clients.take(np.array(firsts, dtype=np.int64))
    return _lines(
        firsts_of_month,
        scheme,
        levels,
        client=[None] * len(levels),
        basis_kop=totals,
        clients=counts,
    )


def _lines(
    firsts: NewClients,
    scheme: TiersScheme,
    levels: list[int],
    *,
    client: list[str | None],
    basis_kop: list[int],
    clients: list[int] | None = None,
) -> Accruals:
    """One line per entry of `firsts` at its tier (month basis: `clients` counts the month's
    new clients, and the line names no client)."""
    amounts = [half_up(scheme.tiers[level - 1][1]) for level in levels]
    return Accruals(
        scheme="tiers",
        step=1,
        wording="tiers_client" if clients is None else "tiers_month",
        manager_key=firsts.manager_key.tolist(),
        manager=firsts.manager.tolist(),
        month=firsts.first_month.tolist(),
        client=client,
        order=firsts.first_row.tolist(),
        basis=roubles(basis_kop),
        basis_kop=basis_kop,
        amount=amounts,
        amount_kop=[int(amount.scaleb(2)) for amount in amounts],
        tier=[scheme.tiers[level - 1][0] for level in levels],
        level=levels,
        clients=clients,
    )
