"""fixed (SPEC §5): a fixed amount per new client; with `inbound_only`, only for clients whose
first payment row says inbound."""

from __future__ import annotations

from decimal import Decimal

from sheets_kpi.core.compute.schemes.records import Accruals, NewClients, half_up
from sheets_kpi.core.settings import FixedScheme


def accrue(clients: NewClients, scheme: FixedScheme) -> list[Accruals]:
    earning = clients.take(clients.inbound) if scheme.inbound_only else clients
    amount = half_up(scheme.amount)
    count = len(earning.client)
    return [
        Accruals(
            scheme="fixed",
            step=1,
            wording="fixed_inbound" if scheme.inbound_only else "fixed",
            manager_key=earning.manager_key.tolist(),
            manager=earning.manager.tolist(),
            month=earning.first_month.tolist(),
            client=earning.client.tolist(),
            order=earning.first_row.tolist(),
            basis=[Decimal(0)] * count,  # fixed has no basis
            basis_kop=[0] * count,
            amount=[amount] * count,
            amount_kop=[int(amount.scaleb(2))] * count,
        )
    ]
