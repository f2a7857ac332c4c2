"""Leavers (SPEC §15): scheme items that would accrue to a manager in a month after the one
holding their `Работает до` date go by `[bonus] after_leaving`.

- `nobody` (the default): the item stays listed for the leaver with amount 0, and `withheld`
  says why («Работает до 2026-09-30: шаг 2 не начисляется (after_leaving = nobody)»);
- `current_manager`: the item, as the leaver's version computed it (limits included), goes to
  the manager on the client's last payment in that month, explained as taken over («перешёл от
  менеджера Борис (работал до 2026-09-30): …»). A month-basis tiers item has no client to
  follow, and a client whose last payment is the leaver's own has no one to take it over: both
  go to nobody.

Only scheme items: SPEC §14's corrections, adjustments and clawbacks are not moved here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import LEDGER_SCHEMES, BonusItem, PendingBonus
from sheets_kpi.core.months import month_of
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import BonusConfig
from sheets_kpi.core.textfmt import pick

NOBODY = (
    "Работает до {until}: {what} не начисляется (after_leaving = nobody)",
    "Works until {until}: {what} not accrued (after_leaving = nobody)",
)
NO_TAKER = (
    "Работает до {until}: {what} не начисляется (некому передать клиента)",
    "Works until {until}: {what} not accrued (no one to take the client over)",
)
TAKEN_OVER = (
    "перешёл от менеджера {name} (работал до {until}): {explain}",
    "taken over from {name} (worked until {until}): {explain}",
)
_WHAT = {"step": ("шаг {step}", "step {step}"), "bonus": ("бонус", "the bonus")}


def after_leaving(
    items: Sequence[BonusItem],
    roster: Roster,
    clients: Clients,
    config: BonusConfig,
    language: Language,
) -> list[BonusItem]:
    """`items` with the leavers' items after their last month settled by `after_leaving`."""
    if not roster.until:
        return list(items)
    last_month = {key: month_of(day) for key, day in roster.until.items()}
    late = [
        position
        for position, item in enumerate(items)
        if item.scheme not in LEDGER_SCHEMES
        and item.manager_key in last_month
        and item.month > last_month[item.manager_key]
    ]
    if not late:
        return list(items)
    settled = list(items)
    takers = _takers(clients, roster) if config.after_leaving == "current_manager" else {}
    client_keys = _client_keys(clients) if takers else {}
    for position in late:
        item = settled[position]
        until = roster.until[item.manager_key].isoformat()
        taker = None
        if config.after_leaving == "current_manager" and item.client is not None:
            taker = takers.get((client_keys.get(item.client), item.month))
        if taker is not None and taker[0] == item.manager_key:
            taker = None
        if taker is None:
            reason = NOBODY if config.after_leaving == "nobody" else NO_TAKER
            withheld = pick(reason, language).format(until=until, what=_what(item, language))
            settled[position] = replace(item, amount=Decimal("0.00"), withheld=withheld)
            continue
        explain = pick(TAKEN_OVER, language).format(
            name=item.manager, until=until, explain=item.explain
        )
        settled[position] = replace(item, manager_key=taker[0], manager=taker[1], explain=explain)
    return settled


def _what(item: BonusItem, language: Language) -> str:
    """«шаг 2» for a two-step item, «бонус» for the others."""
    if item.scheme == "two_step":
        return pick(_WHAT["step"], language).format(step=item.step)
    return pick(_WHAT["bonus"], language)


def _takers(clients: Clients, roster: Roster) -> dict[tuple[str, str], tuple[str, str]]:
    """(client key, month) → (manager key, display name) of the client's last payment in that
    month: the latest date, then the lower row of the sheet."""
    payments = clients.payments
    if payments.empty:
        return {}
    last = payments.sort_values(["date", "row"], kind="stable").drop_duplicates(
        ["client_key", "month"], keep="last"
    )
    return {
        (client_key, month): (manager_key, roster.display_name(manager_key, manager))
        for client_key, month, manager_key, manager in zip(
            last["client_key"].tolist(),
            last["month"].tolist(),
            last["manager_key"].tolist(),
            last["manager"].tolist(),
            strict=True,
        )
    }


def _client_keys(clients: Clients) -> dict[str, str]:
    """A client's display name (as bonus items carry it) → its key."""
    table = clients.table
    return dict(zip(table["client"].tolist(), table["client_key"].tolist(), strict=True))


def still_to_earn(
    pending: list[PendingBonus], roster: Roster, config: BonusConfig, as_of: date
) -> list[PendingBonus]:
    """The pending bonuses someone will still earn: with `after_leaving = "nobody"`, not those
    of a manager whose last month is before the current one (they would accrue to nobody)."""
    if config.after_leaving != "nobody" or not roster.until:
        return pending
    current = month_of(as_of)
    gone = {key for key, day in roster.until.items() if month_of(day) < current}
    return [bonus for bonus in pending if bonus.manager_key not in gone]


def left_before(roster: Roster, day: date) -> frozenset[str]:
    """The managers whose `Работает до` is before `day`."""
    return frozenset(key for key, until in roster.until.items() if until < day)
