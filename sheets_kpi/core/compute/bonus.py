"""Bonuses (SPEC §5): every line item of every manager, and the two-step bonuses still pending.

The flow, money first and words after:
1. the client table's new clients become a `NewClients` record, column by column (display
   names from the `Roster`);
2. each client goes to the scheme in force for its manager in its month 1
   (`Roster.scheme_for`); a scheme is a plain function in `core/compute/schemes/`
   (`tiers.accrue`, `two_step.accrue`, …) turning its clients into `Accruals` (money only);
3. each line's explanation is written from its fields (`schemes/wording.py`) and the
   `BonusItem` is built with keywords;
4. the optional limits (`limits.py`) apply per manager and month, in accrual order;
5. a leaver's items after their last month go by `after_leaving` (`leavers.py`, SPEC §15);
6. the items are put in report order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

import numpy as np
import pandas as pd

from sheets_kpi.core.compute import leavers
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.compute.limits import Draft, apply_limits
from sheets_kpi.core.compute.schemes import fixed, margin, tiers, two_step
from sheets_kpi.core.compute.schemes.records import Accruals, NewClients
from sheets_kpi.core.compute.schemes.wording import explanations
from sheets_kpi.core.inputs.names import norm_many
from sheets_kpi.core.inputs.schema import ERROR, SALES, Language
from sheets_kpi.core.model import LEDGER_SCHEMES, BonusItem, Inputs, PendingBonus, Problem
from sheets_kpi.core.months import add_months, month_of
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import (
    BonusConfig,
    FixedScheme,
    MarginScheme,
    Scheme,
    TiersScheme,
    TwoStepScheme,
)
from sheets_kpi.core.textfmt import pick, quoted_name

# The function of each scheme: its new clients → their accruals.
ACCRUE: dict[type, Callable[[NewClients, Scheme], list[Accruals]]] = {
    TiersScheme: tiers.accrue,  # type: ignore[dict-item]
    TwoStepScheme: two_step.accrue,  # type: ignore[dict-item]
    MarginScheme: margin.accrue,  # type: ignore[dict-item]
    FixedScheme: fixed.accrue,  # type: ignore[dict-item]
}

NO_MARGIN = (
    "Строка {row}: у оплаты клиента {client} в его первом месяце ({month}) не указана маржа, "
    "поэтому бонус «маржа» менеджера {manager} за этого клиента не посчитан. "
    "Заполните «{column}» в этой строке.",
    "Row {row}: the payment of client {client} in its first month ({month}) has no margin, so "
    "{manager}'s margin bonus for this client is not computed. Fill in «{column}» in this row.",
)


@dataclass(frozen=True)
class BonusOutcome:
    """Every bonus line item, the problems found while computing them (a month-1 payment
    without a margin under the `margin` scheme), and the two-step bonuses still pending."""

    items: tuple[BonusItem, ...]
    problems: tuple[Problem, ...]
    pending: tuple[PendingBonus, ...]


def compute(
    inputs: Inputs,
    clients: Clients,
    roster: Roster,
    config: BonusConfig,
    plan_pct: Mapping[tuple[str, str], float | None],
    as_of: date,
    language: Language,
) -> BonusOutcome:
    """Every bonus line item of every manager (SPEC §5) and the pending two-step bonuses (§6).

    A client's scheme is the one in force for its acquiring manager in its month 1
    (`roster.scheme_for`; None earns nothing). `plan_pct` maps (manager_key, month) to plan
    completion as a fraction, for the minimum-plan limit."""
    by_scheme = _by_scheme(_new_clients(clients, roster), roster, language)
    lines: list[Accruals] = []
    made: list[list[BonusItem]] = []
    for (scheme, version), members in by_scheme.items():
        for found in ACCRUE[type(scheme)](members, scheme):
            lines.append(found)
            made.append(_items(found, version, language))
    if config.monthly_cap > 0 or config.min_plan_pct > 0:
        items = apply_limits(_in_accrual_order(lines, made), config, plan_pct, language)
    else:  # the report order is total: the accrual order does not matter here
        items = [item for items_of_lines in made for item in items_of_lines]
    items = leavers.after_leaving(items, roster, clients, config, language)
    lacking = [
        members.take(members.lacks_margin)
        for (scheme, _), members in by_scheme.items()
        if isinstance(scheme, MarginScheme)
    ]
    return BonusOutcome(
        items=in_report_order(items),
        problems=tuple(_margin_problems(inputs, clients, lacking, language)),
        pending=tuple(leavers.still_to_earn(_pending(by_scheme, as_of), roster, config, as_of)),
    )


def _in_accrual_order(lines: list[Accruals], made: list[list[BonusItem]]) -> list[Draft]:
    """The items with their place in the accrual order, as the limits spend the cap: client's
    first row, then step; month-basis tiers lines after the clients' lines."""
    drafts: list[tuple[tuple[bool, int, int], BonusItem]] = []
    for found, items in zip(lines, made, strict=True):
        month_basis = found.clients is not None
        drafts.extend(
            ((month_basis, order, found.step), item)
            for order, item in zip(found.order, items, strict=True)
        )
    drafts.sort(key=lambda draft: draft[0])
    return [((order, step), item) for (_, order, step), item in drafts]


def _items(lines: Accruals, version: str, language: Language) -> list[BonusItem]:
    """The line items of accruals, explanations written after the money; `version` names the
    version in force (SPEC §15: «схема с 2026-09 «два шага»»), "" when the manager has one."""
    count = len(lines)
    said = explanations(lines, language)
    if version:
        said = [f"{version}: {explain}" for explain in said]
    return [
        BonusItem(
            manager_key=manager_key,
            manager=manager,
            month=month,
            client=client,
            scheme=lines.scheme,
            step=lines.step,
            basis=basis,
            rate=lines.rate,
            tier=tier,
            amount=amount,
            explain=explain,
        )
        for manager_key, manager, month, client, basis, tier, amount, explain in zip(
            lines.manager_key,
            lines.manager,
            lines.month,
            lines.client,
            lines.basis,
            lines.tier or [None] * count,
            lines.amount,
            said,
            strict=True,
        )
    ]


def _new_clients(clients: Clients, roster: Roster) -> NewClients:
    """The new clients of the client table, in order of their first row."""
    table = clients.table
    table = table.loc[table["is_new"].to_numpy(dtype=bool)].sort_values("first_row", kind="stable")

    def texts(column: str) -> np.ndarray:
        return table[column].to_numpy(dtype=object)

    keys = texts("acquiring_manager_key")
    managers = np.empty(len(keys), dtype=object)
    managers[:] = [
        roster.display_name(key, seen)
        for key, seen in zip(keys.tolist(), table["acquiring_manager"].tolist(), strict=True)
    ]
    margins = table["month1_margin_kop"].astype("Int64")
    return NewClients(
        manager_key=keys,
        manager=managers,
        client_key=texts("client_key"),
        client=texts("client"),
        first_month=texts("first_month"),
        first_row=table["first_row"].to_numpy(dtype=np.int64),
        inbound=(table["first_channel"] == "inbound").to_numpy(dtype=bool),
        check_kop=table["month1_check_kop"].to_numpy(dtype=np.int64),
        margin_kop=margins.fillna(0).to_numpy(dtype=np.int64),
        lacks_margin=margins.isna().to_numpy(dtype=bool),
        months=texts("months"),
        paying_months=table["paying_months"].to_numpy(dtype=np.int64),
    )


def _by_scheme(
    clients: NewClients, roster: Roster, language: Language
) -> dict[tuple[Scheme, str], NewClients]:
    """The clients on each scheme in force in their month 1, with the name of its version
    (`Roster.version_label`; "" for a manager with one version), in order of their first
    client."""
    pairs = pd.MultiIndex.from_arrays([clients.manager_key, clients.first_month])
    codes, uniques = pd.factorize(pairs)
    positions: dict[tuple[Scheme, str], list[int]] = {}
    for code, (manager_key, month) in enumerate(uniques.tolist()):
        scheme = roster.scheme_for(manager_key, month)
        if scheme is not None:
            version = roster.version_label(manager_key, month, language)
            positions.setdefault((scheme, version), []).append(code)
    return {
        scheme: clients.take(np.flatnonzero(np.isin(codes, members)))
        for scheme, members in positions.items()
    }


def _pending(by_scheme: Mapping[tuple[Scheme, str], NewClients], as_of: date) -> list[PendingBonus]:
    """The second steps of two_step still to come, by manager key, then client name."""
    last_complete = add_months(month_of(as_of), -1)
    found: list[tuple[int, PendingBonus]] = []
    for (scheme, _), members in by_scheme.items():
        if isinstance(scheme, TwoStepScheme):
            found.extend(two_step.pending(members, scheme, last_complete))
    found.sort(key=lambda pair: pair[0])
    bonuses = [bonus for _, bonus in found]
    names = norm_many([bonus.client for bonus in bonuses])
    order = sorted(range(len(bonuses)), key=lambda i: (bonuses[i].manager_key, names[i], i))
    return [bonuses[i] for i in order]


def _margin_problems(
    inputs: Inputs, clients: Clients, lacking: list[NewClients], language: Language
) -> Iterator[Problem]:
    """One `bad_setting` error per month-1 payment without a margin of a margin-scheme client,
    by row."""
    by_key = {
        client_key: (client, first_month, manager)
        for group in lacking
        for client_key, client, first_month, manager in zip(
            group.client_key.tolist(),
            group.client.tolist(),
            group.first_month.tolist(),
            group.manager.tolist(),
            strict=True,
        )
    }
    if not by_key:
        return
    payments = clients.payments
    rows = payments.loc[
        (payments["month_index"].to_numpy() == 1)
        & payments["margin_kop"].isna().to_numpy()
        & payments["client_key"].isin(list(by_key)).to_numpy(),
        ["row", "client_key"],
    ].sort_values("row", kind="stable")
    tab = inputs.tab_titles.get("sales", SALES.label(language))
    column = SALES.column("margin").label(language)
    for row, client_key in zip(rows["row"].tolist(), rows["client_key"].tolist(), strict=True):
        client, first_month, manager = by_key[client_key]
        message = pick(NO_MARGIN, language).format(
            row=row, client=quoted_name(client), month=first_month, manager=manager, column=column
        )
        yield Problem(
            tab=tab,
            row=int(row),
            column=column,
            value=None,
            code="bad_setting",
            severity=ERROR,
            message=message,
        )


def in_report_order(items: Sequence[BonusItem]) -> tuple[BonusItem, ...]:
    """Items by month, manager key, kind (scheme items, then clawbacks, adjustments and
    corrections: SPEC §14), client name (`norm`; month-basis items first), settled month and
    step; equal ones keep their order (a stable sort on integer ranks of the texts: at 1M sales
    rows, 120k items, a third of the time of sorting tuples of strings)."""
    if not items:
        return ()
    months, managers, names, steps, schemes, settled = zip(
        *map(attrgetter("month", "manager_key", "client", "step", "scheme", "for_month"), items),
        strict=True,
    )
    named = list({name: None for name in names if name is not None})
    name_key: dict[str | None, str] = dict(zip(named, norm_many(named), strict=True))
    name_key[None] = ""
    kind = {scheme: 1 + LEDGER_SCHEMES.index(scheme) for scheme in LEDGER_SCHEMES}
    order = np.lexsort(
        (
            np.array([0 if step is None else step for step in steps], dtype=np.int64),
            _ranks([month or "" for month in settled]),
            _ranks([name_key[name] for name in names]),
            np.array([kind.get(scheme, 0) for scheme in schemes], dtype=np.int64),
            _ranks(list(managers)),
            _ranks(list(months)),
        )
    )
    return tuple(items[i] for i in order.tolist())


def _ranks(texts: list[str]) -> np.ndarray:
    """Each text's place among the distinct texts, in the order `sorted` puts them."""
    codes, uniques = pd.factorize(np.array(texts, dtype=object))
    distinct = uniques.tolist()
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[sorted(range(len(distinct)), key=distinct.__getitem__)] = np.arange(len(distinct))
    return rank[codes]
