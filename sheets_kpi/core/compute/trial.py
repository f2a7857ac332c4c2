"""The trial scheme (SPEC §15): what the `Пробная схема` of `Мотивация` would have paid, next
to what the scheme paid, per month and manager. Never paid.

The trial is `bonus.compute` run over the whole history on the roster whose version in force
carries its trial scheme (`Roster.on_trial`; a version without one keeps its scheme): the same
clients, months, refunds in month 1, limits and leaver rules, and no corrections, adjustments
or clawbacks (those are SPEC §14's ledger, not a scheme's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import pandas as pd

from sheets_kpi.core.compute import bonus
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import LEDGER_SCHEMES, BonusItem, Inputs
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import BonusConfig

TRIAL_FRAME_COLUMNS = ("month", "manager_key", "manager", "paid", "trial")


def trial_figures(
    inputs: Inputs,
    clients: Clients,
    roster: Roster,
    bonus_config: BonusConfig,
    plan_pct: Mapping[tuple[str, str], float | None],
    paid_items: Sequence[BonusItem],
    as_of: date,
    language: Language,
) -> pd.DataFrame | None:
    """One row per month and manager with a trial scheme: `paid` (roubles: the scheme items of
    `paid_items`, which the caller passes as paid) and `trial` (what the trial scheme gives).
    Months: those with a paid or a trial item. None when no manager has a trial scheme."""
    managers = roster.trial_managers
    if not managers:
        return None
    trial = bonus.compute(
        inputs, clients, roster.on_trial(), bonus_config, plan_pct, as_of, language
    )
    paid = _sums(item for item in paid_items if item.scheme not in LEDGER_SCHEMES)
    tried = _sums(trial.items)
    keys = sorted(
        {key for key in (*paid, *tried) if key[1] in managers},
        key=lambda key: (key[0], key[1]),
    )
    names = {key: roster.display_name(key, key) for key in managers}
    return pd.DataFrame(
        {
            "month": [month for month, _ in keys],
            "manager_key": [manager_key for _, manager_key in keys],
            "manager": [names[manager_key] for _, manager_key in keys],
            "paid": [float(paid.get(key, Decimal(0))) for key in keys],
            "trial": [float(tried.get(key, Decimal(0))) for key in keys],
        },
        columns=list(TRIAL_FRAME_COLUMNS),
    )


def _sums(items: Iterable[BonusItem]) -> dict[tuple[str, str], Decimal]:
    """(month, manager key) → the sum of the items' amounts."""
    sums: dict[tuple[str, str], Decimal] = {}
    for item in items:
        key = (item.month, item.manager_key)
        sums[key] = sums.get(key, Decimal(0)) + item.amount
    return sums
