"""Bonuses (SPEC §5): one function per scheme, each returning line items with explanations.

All bonuses are earned by the acquiring manager for new clients. Money stays exact: bases come
from integer kopecks as `Decimal`, each item is rounded half-up to kopecks. The optional limits
are applied afterwards, per manager and month (`core/bonus_limits.py`): the minimum plan
completion first, then the cap.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from sheets_kpi.config import BonusConfig
from sheets_kpi.core.bonus_limits import Draft, apply_limits
from sheets_kpi.core.clients import Clients
from sheets_kpi.core.model import BonusItem, Inputs, PendingBonus, Problem
from sheets_kpi.core.months import add_months, month_of
from sheets_kpi.core.parse import norm_many
from sheets_kpi.core.schema import ERROR, SALES, Language, norm
from sheets_kpi.core.schemes import FixedScheme, MarginScheme, Scheme, TiersScheme, TwoStepScheme
from sheets_kpi.core.textfmt import format_money, format_percent, kopecks_text

logger = logging.getLogger(__name__)

KOPECK = Decimal("0.01")


@dataclass(frozen=True)
class BonusOutcome:
    """Every bonus line item, the problems found while computing them (a month-1 payment
    without a margin under the `margin` scheme), and the two-step bonuses still pending."""

    items: tuple[BonusItem, ...]
    problems: tuple[Problem, ...]
    pending: tuple[PendingBonus, ...]


class _NewClient(NamedTuple):
    """One new client, as the scheme functions need it (a named tuple: one per new client,
    quick to build)."""

    manager_key: str
    manager: str
    client_key: str
    client: str
    first_month: str
    first_row: int
    first_channel: str | None
    check: Decimal  # month-1 check, roubles
    margin: Decimal | None  # month-1 margin, roubles; None if a month-1 payment lacks it
    paying_months: int
    months: tuple[str, ...]
    check_kop: int  # the same check in kopecks, for its text
    margin_kop: int | None


# ---- formatting -------------------------------------------------------------------------------


def _kopecks_to_roubles(kopecks: int) -> Decimal:
    return Decimal(int(kopecks)).scaleb(-2)


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def _rounded_text(amount: Decimal, language: Language) -> str:
    """`format_money` of an amount already rounded to kopecks (`_round`)."""
    return kopecks_text(int(amount.scaleb(2)), language)


@lru_cache(maxsize=1024)
def _setting_money(amount: Decimal, language: Language) -> str:
    """`format_money` of a scheme's own figure (a threshold, a tier or fixed bonus): few
    distinct values, each formatted once."""
    return format_money(amount, language)


@lru_cache(maxsize=256)
def _rate_text(rate: Decimal, language: Language) -> str:
    return format_percent(rate, language)


def _ordinal(number: int, language: Language) -> str:
    if language == "ru":
        return f"{number}-й"
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# ---- one function per scheme ----------------------------------------------------------------


def _item(
    client: _NewClient,
    scheme: str,
    month: str,
    *,
    step: int,
    basis: Decimal,
    rate: Decimal | None,
    tier: Decimal | None,
    amount: Decimal,
    explain: str,
) -> BonusItem:
    """A line item for one client, earned by its acquiring manager."""
    return BonusItem(
        manager_key=client.manager_key,
        manager=client.manager,
        month=month,
        client=client.client,
        scheme=scheme,
        step=step,
        basis=basis,
        rate=rate,
        tier=tier,
        amount=amount,
        explain=explain,
    )


def _reached_tier(scheme: TiersScheme, basis: Decimal) -> tuple[int, Decimal, Decimal] | None:
    """(1-based level, threshold, bonus) of the highest tier whose threshold ≤ basis."""
    reached = None
    for level, (threshold, bonus) in enumerate(scheme.tiers, start=1):
        if threshold <= basis:
            reached = (level, threshold, bonus)
    return reached


def tiers_client_items(
    client: _NewClient, scheme: TiersScheme, language: Language
) -> Iterator[Draft]:
    """tiers, client basis: the bonus of the highest tier the month-1 check reaches."""
    reached = _reached_tier(scheme, client.check)
    if reached is None:
        return
    level, threshold, bonus = reached
    amount = _round(bonus)
    check = kopecks_text(client.check_kop, language)
    tier, paid = _setting_money(threshold, language), _setting_money(amount, language)
    if language == "ru":
        explain = f"уровень {level}: чек 1-го месяца {check} ≥ {tier} → {paid}"
    else:
        explain = f"tier {level}: month-1 check {check} ≥ {tier} → {paid}"
    yield (
        (client.first_row, 1),
        _item(
            client,
            "tiers",
            client.first_month,
            step=1,
            basis=client.check,
            rate=None,
            tier=threshold,
            amount=amount,
            explain=explain,
        ),
    )


def tiers_month_items(
    clients: list[_NewClient], scheme: TiersScheme, language: Language
) -> Iterator[Draft]:
    """tiers, month basis: one item per manager-month on the sum of the month-1 checks of all
    new clients the manager acquired that month."""
    groups: dict[tuple[str, str], list[_NewClient]] = {}
    for client in clients:
        groups.setdefault((client.manager_key, client.first_month), []).append(client)
    for (_, month), members in groups.items():
        total = sum((member.check for member in members), Decimal(0))
        reached = _reached_tier(scheme, total)
        if reached is None:
            continue
        level, threshold, bonus = reached
        amount = _round(bonus)
        basis, tier, paid = (format_money(v, language) for v in (total, threshold, amount))
        if language == "ru":
            explain = (
                f"уровень {level}: новых клиентов за {month}: {len(members)}, "
                f"сумма чеков 1-го месяца {basis} ≥ {tier} → {paid}"
            )
        else:
            explain = (
                f"tier {level}: {len(members)} new clients in {month}, "
                f"month-1 checks total {basis} ≥ {tier} → {paid}"
            )
        first = members[0]
        yield (
            (min(member.first_row for member in members), 1),
            BonusItem(
                manager_key=first.manager_key,
                manager=first.manager,
                month=month,
                client=None,
                scheme="tiers",
                step=1,
                basis=total,
                rate=None,
                tier=threshold,
                amount=amount,
                explain=explain,
            ),
        )


def two_step_items(
    client: _NewClient, scheme: TwoStepScheme, language: Language
) -> Iterator[Draft]:
    """two_step: rate1 × month-1 check in month 1; rate2 × month-1 check in the client's N-th
    paying month, only once it has one."""
    check = kopecks_text(client.check_kop, language)
    steps = [(1, scheme.first_rate, client.first_month)]
    if client.paying_months >= scheme.second_month:
        steps.append((2, scheme.second_rate, client.months[scheme.second_month - 1]))
    for step, rate, month in steps:
        amount = _round(rate * client.check)
        percent, paid = _rate_text(rate, language), _rounded_text(amount, language)
        if language == "ru":
            explain = f"шаг {step} из 2: {percent} × {check} (чек 1-го месяца)"
            if step == 2:
                explain += f", {_ordinal(scheme.second_month, language)} месяц оплаты — {month}"
        else:
            explain = f"step {step} of 2: {percent} × {check} (month-1 check)"
            if step == 2:
                explain += f", {_ordinal(scheme.second_month, language)} paying month — {month}"
        yield (
            (client.first_row, step),
            _item(
                client,
                "two_step",
                month,
                step=step,
                basis=client.check,
                rate=rate,
                tier=None,
                amount=amount,
                explain=f"{explain} → {paid}",
            ),
        )


def margin_items(client: _NewClient, scheme: MarginScheme, language: Language) -> Iterator[Draft]:
    """margin: rate × the month-1 margin; nothing when a month-1 payment lacks the margin
    (the problem is reported by `_margin_problems`)."""
    if client.margin is None or client.margin_kop is None:
        return
    amount = _round(scheme.rate * client.margin)
    margin = kopecks_text(client.margin_kop, language)
    percent, paid = _rate_text(scheme.rate, language), _rounded_text(amount, language)
    if language == "ru":
        explain = f"маржа 1-го месяца {margin} × {percent} → {paid}"
    else:
        explain = f"month-1 margin {margin} × {percent} → {paid}"
    yield (
        (client.first_row, 1),
        _item(
            client,
            "margin",
            client.first_month,
            step=1,
            basis=client.margin,
            rate=scheme.rate,
            tier=None,
            amount=amount,
            explain=explain,
        ),
    )


def fixed_items(client: _NewClient, scheme: FixedScheme, language: Language) -> Iterator[Draft]:
    """fixed: a fixed amount per new client; with `inbound_only`, only for clients whose
    earliest payment row says inbound."""
    if scheme.inbound_only and client.first_channel != "inbound":
        return
    amount = _round(scheme.amount)
    paid = _setting_money(amount, language)
    if language == "ru":
        explain = f"фикс за нового клиента{' (входящий)' if scheme.inbound_only else ''} → {paid}"
    else:
        explain = f"fixed for a new client{' (inbound)' if scheme.inbound_only else ''} → {paid}"
    yield (
        (client.first_row, 1),
        _item(
            client,
            "fixed",
            client.first_month,
            step=1,
            basis=Decimal(0),
            rate=None,
            tier=None,
            amount=amount,
            explain=explain,
        ),
    )


# ---- inputs -----------------------------------------------------------------------------------


def _roster_schemes(roster: pd.DataFrame) -> tuple[dict[str, Scheme | None], dict[str, str]]:
    """manager_key → scheme (None = bad cell, earns nothing) and → display name; first row
    of a manager wins."""
    schemes: dict[str, Scheme | None] = {}
    names: dict[str, str] = {}
    if roster is None or roster.empty:
        return schemes, names
    for key, name, scheme in zip(
        roster["manager_key"], roster["manager"], roster["scheme"], strict=True
    ):
        if key not in schemes:
            schemes[key] = scheme if isinstance(scheme, Scheme) else None
            names[key] = name
    return schemes, names


def _new_clients(clients: Clients, names: Mapping[str, str]) -> list[_NewClient]:
    """The new clients of the client table, in order of their first row (built column by
    column: one short Python step per value, not one long one per client)."""
    table = clients.table
    table = table.loc[table["is_new"].to_numpy(dtype=bool)]
    margins = table["month1_margin_kop"].astype("Int64")
    check_kop = [int(kopecks) for kopecks in table["month1_check_kop"].tolist()]
    lacking = margins.isna().tolist()
    margin_kop = [
        None if missing else int(kopecks)
        for kopecks, missing in zip(margins.fillna(0).tolist(), lacking, strict=True)
    ]
    manager_keys = table["acquiring_manager_key"].tolist()
    result = [
        _NewClient(*values)
        for values in zip(
            manager_keys,
            [
                names.get(key, manager)
                for key, manager in zip(
                    manager_keys, table["acquiring_manager"].tolist(), strict=True
                )
            ],
            table["client_key"].tolist(),
            table["client"].tolist(),
            table["first_month"].tolist(),
            [int(row) for row in table["first_row"].tolist()],
            [
                channel if isinstance(channel, str) else None
                for channel in table["first_channel"].tolist()
            ],
            [_kopecks_to_roubles(kopecks) for kopecks in check_kop],
            [None if kopecks is None else _kopecks_to_roubles(kopecks) for kopecks in margin_kop],
            [int(count) for count in table["paying_months"].tolist()],
            [tuple(months) for months in table["months"].tolist()],
            check_kop,
            margin_kop,
            strict=True,
        )
    ]
    return sorted(result, key=lambda client: client.first_row)


def _margin_problems(
    inputs: Inputs, clients: Clients, missing: list[_NewClient], language: Language
) -> list[Problem]:
    """One `bad_setting` error per month-1 payment without a margin of a margin-scheme client."""
    if not missing:
        return []
    by_key = {client.client_key: client for client in missing}
    payments = clients.payments
    lacking = payments.loc[
        (payments["month_index"].to_numpy() == 1)
        & payments["margin_kop"].isna().to_numpy()
        & payments["client_key"].isin(list(by_key)).to_numpy(),
        ["row", "client_key"],
    ]
    tab = inputs.tab_titles.get("sales", SALES.label(language))
    column = SALES.column("margin").label(language)
    problems = []
    for row, client_key in zip(lacking["row"], lacking["client_key"], strict=True):
        client = by_key[client_key]
        if language == "ru":
            message = (
                f"Строка {row}: у оплаты клиента «{client.client}» в его первом месяце "
                f"({client.first_month}) не указана маржа, поэтому бонус «маржа» менеджера "
                f"{client.manager} за этого клиента не посчитан. "
                f"Заполните «{column}» в этой строке."
            )
        else:
            message = (
                f"Row {row}: the payment of client «{client.client}» in its first month "
                f"({client.first_month}) has no margin, so {client.manager}'s margin bonus for "
                f"this client is not computed. Fill in «{column}» in this row."
            )
        problems.append(Problem(tab, int(row), column, None, "bad_setting", ERROR, message))
    return sorted(problems, key=lambda problem: problem.row or 0)


def _pending(client: _NewClient, scheme: TwoStepScheme, as_of: date) -> PendingBonus | None:
    """The step-2 bonus a two-step client will earn, if it has not earned it yet."""
    if client.paying_months >= scheme.second_month:
        return None
    last_complete = add_months(month_of(as_of), -1)
    return PendingBonus(
        manager_key=client.manager_key,
        manager=client.manager,
        client=client.client,
        amount=_round(scheme.second_rate * client.check),
        paid_months=client.paying_months,
        months_needed=scheme.second_month,
        at_risk=client.months[-1] < last_complete,
    )


def compute(
    inputs: Inputs,
    clients: Clients,
    config: BonusConfig,
    plan_pct: Mapping[tuple[str, str], float | None],
    as_of: date,
    language: Language,
) -> BonusOutcome:
    """Every bonus line item of every manager (SPEC §5) and the pending two-step bonuses (§6).

    A manager's scheme is their `Мотивация` row's (None there = earns nothing) when the roster
    has rows, else the config default. `plan_pct` maps (manager_key, month) to plan completion
    as a fraction, for the minimum-plan limit."""
    schemes, names = _roster_schemes(inputs.roster)
    default = config.scheme()
    drafts: list[Draft] = []
    month_basis: dict[TiersScheme, list[_NewClient]] = {}
    missing_margin: list[_NewClient] = []
    pending: list[PendingBonus] = []
    for client in _new_clients(clients, names):
        if schemes:
            if client.manager_key not in schemes:
                logger.warning("manager %r is not in the roster: no bonus", client.manager)
            scheme = schemes.get(client.manager_key)
        else:
            scheme = default
        if isinstance(scheme, TiersScheme):
            if scheme.basis == "month":
                month_basis.setdefault(scheme, []).append(client)
            else:
                drafts.extend(tiers_client_items(client, scheme, language))
        elif isinstance(scheme, TwoStepScheme):
            drafts.extend(two_step_items(client, scheme, language))
            waiting = _pending(client, scheme, as_of)
            if waiting is not None:
                pending.append(waiting)
        elif isinstance(scheme, MarginScheme):
            if client.margin is None:
                missing_margin.append(client)
            drafts.extend(margin_items(client, scheme, language))
        elif isinstance(scheme, FixedScheme):
            drafts.extend(fixed_items(client, scheme, language))
    for scheme, members in month_basis.items():
        drafts.extend(tiers_month_items(members, scheme, language))

    if config.monthly_cap <= 0 and config.min_plan_pct <= 0:
        # No limits: nothing to withhold. The sort below orders items completely (one item per
        # client, step and month), so skipping the grouping changes nothing.
        items = [item for _, item in drafts]
    else:
        items = apply_limits(drafts, config, plan_pct, language)
    named = list({item.client: None for item in items if item.client is not None})
    name_key: dict[str | None, str] = dict(zip(named, norm_many(named), strict=True))
    name_key[None] = ""
    items.sort(key=lambda item: (item.month, item.manager_key, name_key[item.client], item.step))
    pending.sort(key=lambda bonus: (bonus.manager_key, norm(bonus.client)))
    problems = _margin_problems(inputs, clients, missing_margin, language)
    return BonusOutcome(tuple(items), tuple(problems), tuple(pending))
