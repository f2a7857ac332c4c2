"""The values the core passes between its steps. Decisions are data (STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from sheets_kpi.core.inputs.schema import Severity

# A raw cell as the backend holds it: None, str, int, float, bool, or datetime / date for xlsx
# date cells (Google hands dates as serial numbers). core/parse.py alone gives them meaning.
RawCell = object


@dataclass(frozen=True)
class RawTab:
    title: str
    rows: list[list[RawCell]]  # rows[0] is the header row (sheet row 1); ragged rows allowed


@dataclass(frozen=True)
class RawWorkbook:
    titles: tuple[str, ...]  # every tab of the workbook, in order
    tabs: dict[str, RawTab]  # the contents of the tabs that were asked for, by title
    sheet_ids: dict[str, int] = field(default_factory=dict)  # Google's gid per title, if any


@dataclass(frozen=True)
class Problem:
    """One validation finding (SPEC §3). `row` is the sheet row (header = 1), None for tab-level."""

    tab: str  # the tab's title as it is in the workbook (or its configured name if missing)
    row: int | None
    column: str | None  # the column's header as typed in the workbook, else its label
    value: str | None  # the offending value as text, None when empty
    code: str
    severity: Severity
    message: str  # in the output language; says how to fix it


@dataclass(frozen=True)
class Inputs:
    """Validated input tabs as typed frames. Only rows without an `error` are in the frames.

    sales columns (one row per valid row of Продажи, in sheet order):
        row: int sheet row; date: datetime64 (midnight); month: "YYYY-MM";
        manager_key, manager: identity key and display name; client_key, client: same for client;
        amount_kop: int64 kopecks (> 0; a refund's without its sign); margin_kop: Int64
        kopecks or <NA>; channel: "inbound" | "outbound" | None;
        type: "new" | "existing" | "refund" | None; paid: bool; id: str | None;
        refund: bool (`Тип` = `возврат`, SPEC §14: money returned to the client, not a
        payment; `clients.analyse` keeps it apart in `Clients.refunds`)
    plan columns: row, month, manager_key (None = team row), manager (None for team),
        plan_revenue_kop (Int64 / <NA>), plan_new_clients (Int64 / <NA>)
    roster columns: row, manager_key, manager, scheme (a schemes.Scheme), salary_kop
        (Int64 / <NA>), active (bool), effective ("YYYY-MM" or None: from the beginning),
        until (datetime64 or NaT), trial (a Scheme or None); several rows of a manager are
        the versions of SPEC §15. Empty frame = no roster.
    deals / activity: see core/funnel.py; None when the tab is absent.
    adjustments (SPEC §14, `Корректировки`; None when the tab is absent): row, month
        "YYYY-MM", manager_key, manager, amount_kop (int64 kopecks, ≠ 0, negative = a penalty),
        reason (display text), client (display text) or None, id or None.
    rejected columns: tab, row, manager_key (or None), month (or None) of every row of the tabs
        the managers log (Продажи, Сделки, Активность) that had an error, for the
        leaderboard's "rows rejected this month"; a План / Мотивация row is the owner's.
    """

    sales: pd.DataFrame
    plan: pd.DataFrame
    roster: pd.DataFrame
    problems: list[Problem]
    rejected: pd.DataFrame
    fatal: bool = False
    deals: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    adjustments: pd.DataFrame | None = None
    # tab key ("sales", "plan", ...) -> the title it has in the workbook, for messages and links
    tab_titles: dict[str, str] = field(default_factory=dict)
    # tab key -> {column key -> 1-based column index in the workbook}, for links to cells
    column_index: dict[str, dict[str, int]] = field(default_factory=dict)


# The items of SPEC §14 that are not a scheme's: never capped or withheld by §5's limits, never
# moved by §15's leaver rules; "step" is None for them.
CORRECTION = "correction"  # settles an archived month (for_month) in a later one
ADJUSTMENT = "adjustment"  # a row of `Корректировки`
CLAWBACK = "clawback"  # a refund in months 2..clawback_months+1 takes back the client's bonus
LEDGER_SCHEMES = (CLAWBACK, ADJUSTMENT, CORRECTION)


@dataclass(kw_only=True, slots=True)
class BonusItem:
    """One line of a bonus (SPEC §5). Money in roubles as Decimal, rounded half-up to kopecks.
    Keyword-only: `rate` and `tier` are both `Decimal | None`, so a positional swap would
    pass silently. Treated as a value (`dataclasses.replace` makes a changed copy), but not
    `frozen`: a frozen dataclass sets each field through `object.__setattr__`, which cost
    0.39 s instead of 0.12 s per 200,000 items — a tenth of the core's time at 1M sales rows
    (benchmarks/README.md, issue 16)."""

    manager_key: str
    manager: str
    month: str  # accrual month
    client: str | None  # None for a month-basis tiers item
    scheme: str  # tiers | two_step | margin | fixed, or a LEDGER_SCHEMES name (SPEC §14)
    step: int | None  # 1 or 2; None for corrections, adjustments and clawbacks
    basis: Decimal  # roubles the bonus is computed from (check, margin, month total; fixed: 0)
    rate: Decimal | None  # fraction for two_step / margin; None otherwise
    tier: Decimal | None  # threshold reached for tiers; None otherwise
    amount: Decimal  # 0 when withheld or capped away
    explain: str
    withheld: str | None = None  # reason the amount was withheld or cut (cap / min plan), else None
    for_month: str | None = None  # the month a correction settles (SPEC §14), else None


@dataclass(frozen=True)
class PendingBonus:
    """A two-step bonus still waiting on a client's N-th paying month (SPEC §6 Forecasts)."""

    manager_key: str
    manager: str
    client: str
    amount: Decimal
    paid_months: int
    months_needed: int
    at_risk: bool


@dataclass(frozen=True)
class Alert:
    kind: str
    manager: str | None
    month: str | None
    message: str
