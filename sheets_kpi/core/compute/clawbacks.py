"""Clawbacks (SPEC §14): a refund soon after a client's month 1 takes back a share of the bonus
its acquiring manager was paid for that client.

A refund of `Clients.refunds` in a month after the client's month 1 and at most
`BonusConfig.clawback_months` calendar months after it (months 2–4 by default) gives one line
item `scheme = "clawback"`, `step = None`, for the acquiring manager, in the refund's month:

    −(the client's scheme items in months before the refund's month)
        × min(1, refund ÷ the client's month-1 check),  rounded half-up to kopecks,

explained with the refund's row; the client's clawbacks together never exceed those items
(refunds are taken by date, then sheet row). A month-1 refund claws nothing back: it lowers
the month-1 check itself (`clients.analyse`). Later refunds, and `clawback = "none"`, claw
nothing back. Clawbacks are never capped nor withheld by §5's limits.

`scheme_items` are the caller's: the items as paid (the ledger passes the archived amounts of
archived months). A client's items are those whose scheme is a scheme's (not in
`LEDGER_SCHEMES`), whose client name has the client's key (`norm`) and whose manager is the
client's acquiring manager; month-basis tiers items name no client and are not clawed back.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.inputs.names import norm_many
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import CLAWBACK, LEDGER_SCHEMES, BonusItem
from sheets_kpi.core.months import add_months
from sheets_kpi.core.settings import BonusConfig
from sheets_kpi.core.textfmt import kopecks_text, pick, quoted_name

# The explanation: the refund's row, the bonus clawed from, the share, the amount.
_EXPLAIN = (
    "возврат {refund} по {client} (строка {row}, {month}): бонус {base} × {share} → {amount}",
    "refund {refund} of {client} (row {row}, {month}): bonus {base} × {share} → {amount}",
)
_SHARE = (
    "{refund} / {check} чека 1-го месяца",
    "{refund} / {check} month-1 check",
)
_WHOLE = (
    "1 (возврат не меньше чека 1-го месяца {check})",
    "1 (the refund is at least the month-1 check {check})",
)
_CAPPED = (
    "{amount}, но вместе с прежними возвратами — не больше бонуса: {capped}",
    "{amount}, but with the earlier clawbacks no more than the bonus: {capped}",
)

ItemsByClient = dict[tuple[str, str], list[BonusItem]]


def clawbacks(
    clients: Clients,
    scheme_items: Sequence[BonusItem],
    config: BonusConfig,
    language: Language,
) -> list[BonusItem]:
    """The clawback line items of the refunds in `clients.refunds` (see the module's text),
    in the order of the refunds (date, then sheet row)."""
    refunds = clients.refunds
    if config.clawback == "none" or refunds.empty:
        return []
    table = clients.table.set_index("client_key")
    later = refunds[~refunds["month1"].to_numpy(dtype=bool)].sort_values(
        ["date", "row"], kind="stable"
    )
    items = _items_by_client(scheme_items)
    clawed: dict[str, int] = {}  # kopecks clawed back so far per client key
    found: list[BonusItem] = []
    for refund in later.itertuples(index=False):
        if refund.client_key not in table.index:
            continue
        client = table.loc[refund.client_key]
        last = add_months(str(client["first_month"]), config.clawback_months)
        if not str(client["first_month"]) < refund.month <= last:
            continue
        earned = [
            item
            for item in items.get((refund.client_key, str(client["acquiring_manager_key"])), [])
            if item.month < refund.month
        ]
        base_kop = int(sum((item.amount for item in earned), Decimal(0)).scaleb(2))
        so_far = clawed.get(refund.client_key, 0)
        check_kop = int(client["month1_check_kop"])
        share_kop = _share_kop(base_kop, int(refund.amount_kop), check_kop)
        amount_kop = min(share_kop, base_kop - so_far)
        if amount_kop <= 0:
            continue
        clawed[refund.client_key] = so_far + amount_kop
        explain = _explain(refund, base_kop, check_kop, share_kop, amount_kop, language)
        found.append(
            BonusItem(
                manager_key=earned[0].manager_key,
                manager=earned[0].manager,
                month=refund.month,
                client=str(client["client"]),
                scheme=CLAWBACK,
                step=None,
                basis=Decimal(base_kop).scaleb(-2),
                rate=None,
                tier=None,
                amount=-Decimal(amount_kop).scaleb(-2),
                explain=explain,
            )
        )
    return found


def _items_by_client(scheme_items: Sequence[BonusItem]) -> ItemsByClient:
    """The scheme items naming a client, by (client key, manager key)."""
    named = [
        item
        for item in scheme_items
        if item.client is not None and item.scheme not in LEDGER_SCHEMES
    ]
    keys = norm_many([str(item.client) for item in named])
    by_client: ItemsByClient = {}
    for key, item in zip(keys, named, strict=True):
        by_client.setdefault((key, item.manager_key), []).append(item)
    return by_client


def _share_kop(base_kop: int, refund_kop: int, check_kop: int) -> int:
    """base × min(1, refund ÷ check) in kopecks, rounded half-up (exact integer arithmetic);
    the whole base when the month-1 check is 0."""
    if check_kop <= 0 or refund_kop >= check_kop:
        return base_kop
    return (2 * base_kop * refund_kop + check_kop) // (2 * check_kop)


def _explain(
    refund: object,
    base_kop: int,
    check_kop: int,
    share_kop: int,
    amount_kop: int,
    language: Language,
) -> str:
    """`возврат 20 000 по «Ромашка» (строка 14, 2026-11): бонус 35 000 × 20 000 / 60 000 чека
    1-го месяца → −11 666,67`, and the cap when it cut the amount."""

    def money(kopecks: int) -> str:
        return kopecks_text(kopecks, language)

    refund_kop = int(refund.amount_kop)  # type: ignore[attr-defined]
    if check_kop <= 0 or refund_kop >= check_kop:
        share = pick(_WHOLE, language).format(check=money(max(check_kop, 0)))
    else:
        share = pick(_SHARE, language).format(refund=money(refund_kop), check=money(check_kop))
    amount = f"−{money(share_kop)}"
    if amount_kop < share_kop:
        amount = pick(_CAPPED, language).format(amount=amount, capped=f"−{money(amount_kop)}")
    return pick(_EXPLAIN, language).format(
        refund=money(refund_kop),
        client=quoted_name(refund.client),  # type: ignore[attr-defined]
        row=refund.row,  # type: ignore[attr-defined]
        month=refund.month,  # type: ignore[attr-defined]
        base=money(base_kop),
        share=share,
        amount=amount,
    )
