"""The adjustments of SPEC §14: each valid row of `Корректировки` is one line item of its month,
`scheme = "adjustment"`, explained by its reason.

An adjustment is an amount the owner decided, not computed from anything: its `basis` is 0
(as for a fixed bonus), `rate`, `tier` and `step` are None. It is never capped or withheld by
§5's limits (they run on the scheme items before these are added) and may be negative (a
penalty), so a month's total may be negative.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from sheets_kpi.core.compute.schemes.records import roubles
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import ADJUSTMENT, BonusItem
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.textfmt import pick

# The explanation: the sheet row (so the owner finds it on `Корректировки`) and the reason.
EXPLAIN = ("корректировка, строка {row}: {reason}", "adjustment, row {row}: {reason}")


def adjustment_items(
    frame: pd.DataFrame | None, roster: Roster, language: Language
) -> list[BonusItem]:
    """One `BonusItem` per row of `Inputs.adjustments` (None: the tab is absent, no items), in
    sheet order; the manager named as the roster names them."""
    if frame is None or frame.empty:
        return []
    template = pick(EXPLAIN, language)
    amounts = roubles([int(kopecks) for kopecks in frame["amount_kop"].tolist()])
    return [
        BonusItem(
            manager_key=manager_key,
            manager=roster.display_name(manager_key, manager),
            month=month,
            client=client,
            scheme=ADJUSTMENT,
            step=None,
            basis=Decimal(0),
            rate=None,
            tier=None,
            amount=amount,
            explain=template.format(row=row, reason=reason),
        )
        for row, month, manager_key, manager, reason, client, amount in zip(
            frame["row"].tolist(),
            frame["month"].tolist(),
            frame["manager_key"].tolist(),
            frame["manager"].tolist(),
            frame["reason"].tolist(),
            frame["client"].tolist(),
            amounts,
            strict=True,
        )
    ]
