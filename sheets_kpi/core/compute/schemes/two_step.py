"""two_step (SPEC §5, §6): `first_rate` × the month-1 check in month 1; `second_rate` × the same
check in the client's `second_month`-th paying month, once it has one. Until then the second
step is pending."""

from __future__ import annotations

from sheets_kpi.core.compute.schemes.records import Accruals, NewClients, rate_kopecks, roubles
from sheets_kpi.core.model import PendingBonus
from sheets_kpi.core.settings import TwoStepScheme


def accrue(clients: NewClients, scheme: TwoStepScheme) -> list[Accruals]:
    """Step 1 of every client, and step 2 of those with `second_month` paying months."""
    needed = scheme.second_month
    done = clients.take(clients.paying_months >= needed)
    return [
        _step(clients, scheme, 1, clients.first_month.tolist()),
        _step(done, scheme, 2, [months[needed - 1] for months in done.months.tolist()]),
    ]


def _step(clients: NewClients, scheme: TwoStepScheme, step: int, months: list[str]) -> Accruals:
    rate = scheme.first_rate if step == 1 else scheme.second_rate
    check_kop = clients.check_kop.tolist()
    amount_kop, amount = rate_kopecks(rate, clients.check_kop)
    return Accruals(
        scheme="two_step",
        step=step,
        wording=f"two_step_{step}",
        manager_key=clients.manager_key.tolist(),
        manager=clients.manager.tolist(),
        month=months,
        client=clients.client.tolist(),
        order=clients.first_row.tolist(),
        basis=roubles(check_kop),
        basis_kop=check_kop,
        amount=amount,
        amount_kop=amount_kop,
        rate=rate,
        nth_month=scheme.second_month,
    )


def pending(
    clients: NewClients, scheme: TwoStepScheme, last_complete_month: str
) -> list[tuple[int, PendingBonus]]:
    """The second steps still to come, each with its client's first row; at risk when the
    client paid nothing in the last complete month or since."""
    waiting = clients.take(clients.paying_months < scheme.second_month)
    _, amounts = rate_kopecks(scheme.second_rate, waiting.check_kop)
    return [
        (
            first_row,
            PendingBonus(
                manager_key=manager_key,
                manager=manager,
                client=client,
                amount=amount,
                paid_months=len(months),
                months_needed=scheme.second_month,
                at_risk=months[-1] < last_complete_month,
            ),
        )
        for first_row, manager_key, manager, client, amount, months in zip(
            waiting.first_row.tolist(),
            waiting.manager_key.tolist(),
            waiting.manager.tolist(),
            waiting.client.tolist(),
            amounts,
            waiting.months.tolist(),
            strict=True,
        )
    ]
