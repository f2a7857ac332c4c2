"""Bonuses (SPEC §5): one builder per scheme, making the line items (with explanations) of all
the new clients on that scheme at once.

All bonuses are earned by the acquiring manager for new clients. Money stays exact: rate × check
is rounded half-up to whole kopecks in integers (`rate_kopecks`, the same figure `Decimal` gives)
and each item carries `Decimal` roubles. The optional limits are applied afterwards, per manager
and month (`core/bonus_limits.py`): the minimum plan completion first, then the cap.
"""

from __future__ import annotations

import decimal
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import pandas as pd

from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.compute.limits import Draft, apply_limits
from sheets_kpi.core.inputs.names import norm_many
from sheets_kpi.core.inputs.schema import ERROR, SALES, Language
from sheets_kpi.core.model import BonusItem, Inputs, PendingBonus, Problem
from sheets_kpi.core.months import add_months, month_of
from sheets_kpi.core.settings import (
    BonusConfig,
    FixedScheme,
    MarginScheme,
    Scheme,
    TiersScheme,
    TwoStepScheme,
)
from sheets_kpi.core.textfmt import format_money, format_percent, kopecks_texts, quoted_name

logger = logging.getLogger(__name__)

KOPECK = Decimal("0.01")
_INT64_MAX = int(np.iinfo(np.int64).max)


@dataclass(frozen=True)
class BonusOutcome:
    """Every bonus line item, the problems found while computing them (a month-1 payment
    without a margin under the `margin` scheme), and the two-step bonuses still pending."""

    items: tuple[BonusItem, ...]
    problems: tuple[Problem, ...]
    pending: tuple[PendingBonus, ...]


class _NewClient(NamedTuple):
    """One new client, as the month-basis tiers and the margin problems need it."""

    manager_key: str
    manager: str
    client_key: str
    client: str
    first_month: str
    first_row: int
    check: Decimal  # month-1 check, roubles


class _Columns(NamedTuple):
    """The new clients of the client table, column by column, in order of their first row.
    Texts are numpy object arrays, so a scheme's clients are cut out in one step."""

    manager_key: np.ndarray
    manager: np.ndarray  # the roster's display name, else the sales log's
    client_key: np.ndarray
    client: np.ndarray
    first_month: np.ndarray
    first_row: np.ndarray  # int64
    inbound: np.ndarray  # bool: the earliest payment row says inbound
    check_kop: np.ndarray  # int64, month-1 check
    margin_kop: np.ndarray  # int64, month-1 margin; 0 where `lacking`
    lacking: np.ndarray  # bool: a month-1 payment lacks the margin
    paying_months: np.ndarray  # int64
    months: np.ndarray  # the client's paying months ("YYYY-MM"), as the client table has them

    def client_at(self, position: int) -> _NewClient:
        return _NewClient(
            self.manager_key[position],
            self.manager[position],
            self.client_key[position],
            self.client[position],
            self.first_month[position],
            int(self.first_row[position]),
            _kopecks_to_roubles(int(self.check_kop[position])),
        )


class _Chunk(NamedTuple):
    """Items of one scheme and step: their clients' positions in `_Columns`, their accrual
    months, the step, the items."""

    positions: np.ndarray
    months: list[str]
    step: int
    items: list[BonusItem]


# ---- money in kopecks -------------------------------------------------------------------------


def _kopecks_to_roubles(kopecks: int) -> Decimal:
    return Decimal(int(kopecks)).scaleb(-2)


def _roubles(kopecks: list[int]) -> list[Decimal]:
    """Whole kopecks (ints within int64) as `Decimal` roubles with two decimals, as `_round`
    leaves them: an exact product, the same value and exponent as `scaleb(-2)`."""
    return [Decimal(value) * KOPECK for value in kopecks]


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


def rate_kopecks(rate: Decimal, kopecks: np.ndarray) -> tuple[list[int], list[Decimal]]:
    """rate × each amount of kopecks, rounded half-up to whole kopecks: as ints and as `Decimal`
    roubles, equal to `(rate * roubles).quantize(Decimal("0.01"), ROUND_HALF_UP)`.

    For rate = p/q ≥ 0 and c ≥ 0 kopecks, half-up is floor(p·c/q + 1/2) = (2·p·c + q) // (2·q),
    one integer division per amount. Where that could differ from `Decimal` (negative amounts,
    figures too large for int64 or for the decimal precision) the `Decimal` way is taken."""
    if len(kopecks) == 0:
        return [], []
    if _exact_in_integers(rate, int(kopecks.max()), int(kopecks.min())):
        numerator, denominator = rate.as_integer_ratio()
        whole = ((2 * numerator * kopecks + denominator) // (2 * denominator)).tolist()
        return whole, _roubles(whole)
    amounts = [_round(rate * _kopecks_to_roubles(value)) for value in kopecks.tolist()]
    return [int(amount.scaleb(2)) for amount in amounts], amounts


# ---- formatting -------------------------------------------------------------------------------


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


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


# ---- one builder per scheme ---------------------------------------------------------------


def _reached_tier(scheme: TiersScheme, basis: Decimal) -> tuple[int, Decimal, Decimal] | None:
    """(1-based level, threshold, bonus) of the highest tier whose threshold ≤ basis."""
    reached = None
    for level, (threshold, bonus) in enumerate(scheme.tiers, start=1):
        if threshold <= basis:
            reached = (level, threshold, bonus)
    return reached


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


# BonusItem is a plain frozen dataclass (no __post_init__, no slots): its generated __init__
# only stores the fields one by one. Setting the instance's dict at once makes the same object
# (equal, same hash, repr, asdict, replace, pickle) for less; anything else takes __init__.
_ITEM_FIELDS = tuple(field.name for field in fields(BonusItem))
_ITEM_PLAIN = not hasattr(BonusItem, "__post_init__") and not hasattr(BonusItem, "__slots__")


def _build(rows: Iterable[tuple[object, ...]]) -> list[BonusItem]:
    """`BonusItem`s from tuples of all their fields, in field order (`withheld` last)."""
    if not _ITEM_PLAIN:
        return [BonusItem(*row) for row in rows]  # type: ignore[arg-type]
    made = []
    for row in rows:
        item = object.__new__(BonusItem)
        object.__setattr__(item, "__dict__", dict(zip(_ITEM_FIELDS, row, strict=True)))
        made.append(item)
    return made


def _take(column: np.ndarray, positions: np.ndarray) -> list:
    return column[positions].tolist()


def _tiers_client(
    columns: _Columns, positions: np.ndarray, scheme: TiersScheme, language: Language
) -> list[_Chunk]:
    """tiers, client basis: the bonus of the highest tier each month-1 check reaches."""
    checks = columns.check_kop[positions]
    levels = np.zeros(len(positions), dtype=np.int64)
    for level, (threshold, _) in enumerate(scheme.tiers, start=1):
        # threshold ≤ check ⟺ ⌈threshold in kopecks⌉ ≤ check in kopecks (a whole number)
        lowest = int(threshold.scaleb(2).to_integral_value(rounding=ROUND_CEILING))
        if lowest <= _INT64_MAX:
            levels[checks >= max(lowest, -_INT64_MAX)] = level
    reached = np.flatnonzero(levels)
    chosen = positions[reached]
    check_kop = checks[reached].tolist()
    months = _take(columns.first_month, chosen)
    heads, tails, tiers, amounts = [], [], [], []
    for level, (threshold, bonus) in enumerate(scheme.tiers, start=1):
        amount = _round(bonus)
        tier, paid = _setting_money(threshold, language), _setting_money(amount, language)
        if language == "ru":
            heads.append(f"уровень {level}: чек 1-го месяца ")
        else:
            heads.append(f"tier {level}: month-1 check ")
        tails.append(f" ≥ {tier} → {paid}")
        tiers.append(threshold)
        amounts.append(amount)
    items = _build(
        (
            key,
            manager,
            month,
            client,
            "tiers",
            1,
            basis,
            None,
            tiers[level - 1],
            amounts[level - 1],
            f"{heads[level - 1]}{check}{tails[level - 1]}",
            None,
        )
        for key, manager, month, client, basis, level, check in zip(
            _take(columns.manager_key, chosen),
            _take(columns.manager, chosen),
            months,
            _take(columns.client, chosen),
            _roubles(check_kop),
            levels[reached].tolist(),
            kopecks_texts(check_kop, language),
            strict=True,
        )
    )
    return [_Chunk(chosen, months, 1, items)]


def _two_step(
    columns: _Columns,
    positions: np.ndarray,
    scheme: TwoStepScheme,
    language: Language,
    as_of: date,
) -> tuple[list[_Chunk], list[tuple[int, PendingBonus]]]:
    """two_step: rate1 × month-1 check in month 1; rate2 × month-1 check in the client's N-th
    paying month, only once it has one. The step-2 bonuses still to come are pending
    (with each client's position, for their order)."""
    checks = columns.check_kop[positions]
    check_kop = checks.tolist()
    check_texts = kopecks_texts(check_kop, language)
    bases = _roubles(check_kop)
    keys = _take(columns.manager_key, positions)
    managers = _take(columns.manager, positions)
    clients = _take(columns.client, positions)
    first_months = _take(columns.first_month, positions)
    paying = columns.paying_months[positions]
    paid_months = _take(columns.months, positions)
    needed = scheme.second_month
    first_kop, first_amounts = rate_kopecks(scheme.first_rate, checks)
    second_kop, second_amounts = rate_kopecks(scheme.second_rate, checks)
    first_percent = _rate_text(scheme.first_rate, language)
    second_percent = _rate_text(scheme.second_rate, language)
    ordinal = _ordinal(needed, language)
    if language == "ru":
        first_head = f"шаг 1 из 2: {first_percent} × "
        first_tail = " (чек 1-го месяца) → "
        second_head = f"шаг 2 из 2: {second_percent} × "
        second_middle = f" (чек 1-го месяца), {ordinal} месяц оплаты — "
    else:
        first_head = f"step 1 of 2: {first_percent} × "
        first_tail = " (month-1 check) → "
        second_head = f"step 2 of 2: {second_percent} × "
        second_middle = f" (month-1 check), {ordinal} paying month — "
    first_items = _build(
        (
            key,
            manager,
            month,
            client,
            "two_step",
            1,
            basis,
            scheme.first_rate,
            None,
            amount,
            f"{first_head}{check}{first_tail}{paid}",
            None,
        )
        for key, manager, month, client, basis, amount, check, paid in zip(
            keys,
            managers,
            first_months,
            clients,
            bases,
            first_amounts,
            check_texts,
            kopecks_texts(first_kop, language),
            strict=True,
        )
    )
    chunks = [_Chunk(positions, first_months, 1, first_items)]
    done = np.flatnonzero(paying >= needed).tolist()
    if done:
        second_months = [paid_months[i][needed - 1] for i in done]
        second_items = _build(
            (
                keys[i],
                managers[i],
                month,
                clients[i],
                "two_step",
                2,
                bases[i],
                scheme.second_rate,
                None,
                second_amounts[i],
                f"{second_head}{check_texts[i]}{second_middle}{month} → {paid}",
                None,
            )
            for i, month, paid in zip(
                done,
                second_months,
                kopecks_texts([second_kop[i] for i in done], language),
                strict=True,
            )
        )
        chunks.append(_Chunk(positions[done], second_months, 2, second_items))
    last_complete = add_months(month_of(as_of), -1)
    waiting = [
        (
            int(positions[i]),
            PendingBonus(
                manager_key=keys[i],
                manager=managers[i],
                client=clients[i],
                amount=second_amounts[i],
                paid_months=count,
                months_needed=needed,
                at_risk=paid_months[i][-1] < last_complete,
            ),
        )
        for i, count in zip(
            np.flatnonzero(paying < needed).tolist(), paying[paying < needed].tolist(), strict=True
        )
    ]
    return chunks, waiting


def _margin(
    columns: _Columns, positions: np.ndarray, scheme: MarginScheme, language: Language
) -> list[_Chunk]:
    """margin: rate × the month-1 margin; nothing for a client whose month-1 payment lacks the
    margin (the problem is reported by `_margin_problems`)."""
    chosen = positions[~columns.lacking[positions]]
    months = _take(columns.first_month, chosen)
    margins = columns.margin_kop[chosen]
    margin_kop = margins.tolist()
    paid_kop, amounts = rate_kopecks(scheme.rate, margins)
    percent = _rate_text(scheme.rate, language)
    if language == "ru":
        head, middle = "маржа 1-го месяца ", f" × {percent} → "
    else:
        head, middle = "month-1 margin ", f" × {percent} → "
    items = _build(
        (
            key,
            manager,
            month,
            client,
            "margin",
            1,
            basis,
            scheme.rate,
            None,
            amount,
            f"{head}{margin}{middle}{paid}",
            None,
        )
        for key, manager, month, client, basis, amount, margin, paid in zip(
            _take(columns.manager_key, chosen),
            _take(columns.manager, chosen),
            months,
            _take(columns.client, chosen),
            _roubles(margin_kop),
            amounts,
            kopecks_texts(margin_kop, language),
            kopecks_texts(paid_kop, language),
            strict=True,
        )
    )
    return [_Chunk(chosen, months, 1, items)]


def _fixed(
    columns: _Columns, positions: np.ndarray, scheme: FixedScheme, language: Language
) -> list[_Chunk]:
    """fixed: a fixed amount per new client; with `inbound_only`, only for clients whose
    earliest payment row says inbound."""
    chosen = positions[columns.inbound[positions]] if scheme.inbound_only else positions
    months = _take(columns.first_month, chosen)
    amount = _round(scheme.amount)
    paid = _setting_money(amount, language)
    if language == "ru":
        explain = f"фикс за нового клиента{' (входящий)' if scheme.inbound_only else ''} → {paid}"
    else:
        explain = f"fixed for a new client{' (inbound)' if scheme.inbound_only else ''} → {paid}"
    basis = Decimal(0)
    items = _build(
        (key, manager, month, client, "fixed", 1, basis, None, None, amount, explain, None)
        for key, manager, month, client in zip(
            _take(columns.manager_key, chosen),
            _take(columns.manager, chosen),
            months,
            _take(columns.client, chosen),
            strict=True,
        )
    )
    return [_Chunk(chosen, months, 1, items)]


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


def _columns(clients: Clients, names: Mapping[str, str]) -> _Columns:
    """The new clients of the client table, in order of their first row."""
    table = clients.table
    table = table.loc[table["is_new"].to_numpy(dtype=bool)]
    table = table.iloc[np.argsort(table["first_row"].to_numpy(dtype=np.int64), kind="stable")]

    def texts(column: str) -> np.ndarray:
        return table[column].to_numpy(dtype=object)

    margins = table["month1_margin_kop"].astype("Int64")
    lacking = margins.isna().to_numpy(dtype=bool)
    keys = texts("acquiring_manager_key")
    # The roster's display name where the roster has the manager, looked up once per manager.
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    distinct = uniques.tolist()
    known = np.array([key in names for key in distinct], dtype=bool)[codes]
    managers = texts("acquiring_manager").copy()
    roster_names = np.empty(len(distinct), dtype=object)
    roster_names[:] = [names.get(key) for key in distinct]
    managers[known] = roster_names[codes][known]
    return _Columns(
        manager_key=keys,
        manager=managers,
        client_key=texts("client_key"),
        client=texts("client"),
        first_month=texts("first_month"),
        first_row=table["first_row"].to_numpy(dtype=np.int64),
        inbound=np.array(
            [
                isinstance(channel, str) and channel == "inbound"
                for channel in table["first_channel"].tolist()
            ],
            dtype=bool,
        ),
        check_kop=table["month1_check_kop"].to_numpy(dtype=np.int64),
        margin_kop=margins.fillna(0).to_numpy(dtype=np.int64),
        lacking=lacking,
        paying_months=table["paying_months"].to_numpy(dtype=np.int64),
        months=texts("months"),
    )


def _scheme_groups(
    columns: _Columns, schemes: Mapping[str, Scheme | None], default: Scheme
) -> dict[Scheme, np.ndarray]:
    """The positions of the clients on each scheme, schemes in order of their first client.

    A manager's scheme is their roster row's (None = earns nothing) when the roster has rows,
    else `default`; a manager missing from a non-empty roster earns nothing (logged)."""
    codes, uniques = pd.factorize(columns.manager_key, use_na_sentinel=False)
    chosen: dict[Scheme, list[int]] = {}
    unknown: list[int] = []
    for code, key in enumerate(uniques.tolist()):
        if schemes:
            if key not in schemes:
                unknown.append(code)
            scheme = schemes.get(key)
        else:
            scheme = default
        if scheme is not None:
            chosen.setdefault(scheme, []).append(code)
    if unknown:
        for position in np.flatnonzero(np.isin(codes, unknown)).tolist():
            logger.warning("manager %r is not in the roster: no bonus", columns.manager[position])
    return {scheme: np.flatnonzero(np.isin(codes, members)) for scheme, members in chosen.items()}


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
                f"Строка {row}: у оплаты клиента {quoted_name(client.client)} в его первом месяце "
                f"({client.first_month}) не указана маржа, поэтому бонус «маржа» менеджера "
                f"{client.manager} за этого клиента не посчитан. "
                f"Заполните «{column}» в этой строке."
            )
        else:
            message = (
                f"Row {row}: the payment of client {quoted_name(client.client)} in its first month "
                f"({client.first_month}) has no margin, so {client.manager}'s margin bonus for "
                f"this client is not computed. Fill in «{column}» in this row."
            )
        problems.append(Problem(tab, int(row), column, None, "bad_setting", ERROR, message))
    return sorted(problems, key=lambda problem: problem.row or 0)


def _ranks(texts: list[str]) -> np.ndarray:
    """Each text's place among the distinct texts, in the order `sorted` puts them."""
    codes, uniques = pd.factorize(np.array(texts, dtype=object))
    distinct = uniques.tolist()
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[sorted(range(len(distinct)), key=distinct.__getitem__)] = np.arange(len(distinct))
    return rank[codes]


def _in_report_order(items: list[BonusItem]) -> tuple[BonusItem, ...]:
    """Items by month, manager key, client name (`norm`; month-basis items first) and step;
    equal ones keep their order (a stable sort on integer ranks of the texts)."""
    if not items:
        return ()
    months, managers, names, steps = zip(
        *map(attrgetter("month", "manager_key", "client", "step"), items), strict=True
    )
    named = list({name: None for name in names if name is not None})
    name_key: dict[str | None, str] = dict(zip(named, norm_many(named), strict=True))
    name_key[None] = ""
    order = np.lexsort(
        (
            np.array(steps, dtype=np.int64),
            _ranks([name_key[name] for name in names]),
            _ranks(list(managers)),
            _ranks(list(months)),
        )
    )
    return tuple(items[i] for i in order.tolist())


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
    columns = _columns(clients, names)
    chunks: list[_Chunk] = []
    month_drafts: list[Draft] = []
    missing_margin: list[_NewClient] = []
    waiting: list[tuple[int, PendingBonus]] = []
    for scheme, positions in _scheme_groups(columns, schemes, config.scheme()).items():
        if isinstance(scheme, TiersScheme):
            if scheme.basis == "month":
                members = [columns.client_at(position) for position in positions.tolist()]
                month_drafts.extend(tiers_month_items(members, scheme, language))
            else:
                chunks.extend(_tiers_client(columns, positions, scheme, language))
        elif isinstance(scheme, TwoStepScheme):
            made, pending_here = _two_step(columns, positions, scheme, language, as_of)
            chunks.extend(made)
            waiting.extend(pending_here)
        elif isinstance(scheme, MarginScheme):
            missing_margin.extend(
                columns.client_at(position)
                for position in positions[columns.lacking[positions]].tolist()
            )
            chunks.extend(_margin(columns, positions, scheme, language))
        elif isinstance(scheme, FixedScheme):
            chunks.extend(_fixed(columns, positions, scheme, language))

    # Accrual order, as the limits spend the cap: client's first row, then step; month-basis
    # tiers items last.
    placed = np.concatenate([chunk.positions for chunk in chunks] + [np.empty(0, np.int64)])
    rows = columns.first_row[placed]
    steps = np.repeat([chunk.step for chunk in chunks], [len(chunk.items) for chunk in chunks])
    every = [item for chunk in chunks for item in chunk.items]
    limits = config.monthly_cap > 0 or config.min_plan_pct > 0
    if not limits and not month_drafts:
        # Report order straight from the columns: month, manager, client name, step; then
        # accrual order (first row), as the stable sort of the accrual-ordered items leaves it.
        order = np.lexsort(
            (
                rows,
                steps,
                _ranks(norm_many(columns.client.tolist()))[placed],
                _ranks(columns.manager_key.tolist())[placed],
                _ranks([month for chunk in chunks for month in chunk.months]),
            )
        )
        items = tuple(every[i] for i in order.tolist())
    else:
        order = np.lexsort((steps, rows)).tolist()
        if limits:
            drafts: list[Draft] = [((int(rows[i]), int(steps[i])), every[i]) for i in order]
            accrued = apply_limits(drafts + month_drafts, config, plan_pct, language)
        else:
            accrued = [every[i] for i in order] + [item for _, item in month_drafts]
        items = _in_report_order(accrued)
    waiting.sort(key=lambda pair: pair[0])
    pending = [bonus for _, bonus in waiting]
    pending_keys = norm_many([bonus.client for bonus in pending])
    ranked = sorted(
        zip(
            [bonus.manager_key for bonus in pending], pending_keys, range(len(pending)), strict=True
        )
    )
    problems = _margin_problems(inputs, clients, missing_margin, language)
    return BonusOutcome(items, tuple(problems), tuple(pending[i] for *_, i in ranked))
