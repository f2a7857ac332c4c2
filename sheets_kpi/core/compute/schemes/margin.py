"""margin (SPEC §5): `rate` × the client's month-1 margin. A client whose month-1 payment lacks
the margin earns nothing; `bonus.py` reports it."""

from __future__ import annotations

from sheets_kpi.core.compute.schemes.records import Accruals, NewClients, rate_kopecks, roubles
from sheets_kpi.core.settings import MarginScheme


def accrue(clients: NewClients, scheme: MarginScheme) -> list[Accruals]:
    earning = clients.take(~clients.lacks_margin)
    margin_kop = earning.margin_kop.tolist()
    amount_kop, amount = rate_kopecks(scheme.rate, earning.margin_kop)
    return [
        Accruals(
            scheme="margin",
            step=1,
            wording="margin",
            manager_key=earning.manager_key.tolist(),
            manager=earning.manager.tolist(),
            month=earning.first_month.tolist(),
            client=earning.client.tolist(),
            order=earning.first_row.tolist(),
            basis=roubles(margin_kop),
            basis_kop=margin_kop,
            amount=amount,
            amount_kop=amount_kop,
            rate=scheme.rate,
        )
    ]
