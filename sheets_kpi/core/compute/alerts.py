"""Alert rules: the `Внимание` block of `Сводка` (SPEC §7 and issue 6).

The funnel and activity rules (slow first contact, stale deals, low activity) live in
`core/alerts_funnel.py`; `compute` here is the one entry point for all of them.

Each rule is one function returning `Alert`s whose message says, in the output language, what
happened and what to do. `compute` runs them all and sorts the result by a fixed kind order,
then manager, then month, so the same input always gives the same list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

import numpy as np
import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.compute import alerts_funnel, leavers
from sheets_kpi.core.compute.alert_texts import ERRORS, say
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.compute.shared_clients import shared_client_alerts
from sheets_kpi.core.compute.trends import retention_4_counts
from sheets_kpi.core.inputs.schema import ERROR, Language, norm
from sheets_kpi.core.model import Alert, Inputs, Problem
from sheets_kpi.core.output.labels import month_label
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config, Scheme, TiersScheme
from sheets_kpi.core.textfmt import count_noun, money_text, percent_text, quoted_name

KINDS = (
    "plan_missed_2_months",
    "possible_fake_client",
    "low_retention",
    "plan_spike",
    "shared_client",
    "data_errors",
    "slow_first_contact",
    "stale_deals",
    "low_activity",
)

PLAN_SPIKE = Decimal("1.3")  # a plan more than 30 % above last month's
MIN_RETENTION_CLIENTS = 4


class FunnelLike(Protocol):
    funnel: pd.DataFrame | None
    activity: pd.DataFrame | None


def compute(
    inputs: Inputs,
    clients: Clients,
    monthly: pd.DataFrame,
    funnel: FunnelLike | None,
    config: Config,
    as_of: date,
    problems: Sequence[Problem] | None = None,
) -> list[Alert]:
    """Every alert of the run, sorted by kind (the order of `KINDS`), manager, month.

    `problems`: every problem of the run, for `data_errors` — validation's (`inputs.problems`,
    the default) and those found while computing (a margin-scheme payment without a margin).
    """
    language = config.language
    current = months.month_of(as_of)
    roster = Roster.of(inputs, config.bonus)
    names = _manager_names(monthly, roster)
    found: list[Alert] = []
    found += _plan_missed(monthly, current, language)
    found += _fake_clients(clients.table, monthly, roster, current, names, language)
    found += _low_retention(clients.table, current, names, language)
    found += _plan_spikes(inputs.plan, current, names, language)
    gone = leavers.left_before(roster, as_of)
    found += shared_client_alerts(clients, names, language, gone)
    everything = inputs.problems if problems is None else problems
    found += _data_errors(everything, config.tab_title("errors"), current, language)
    funnel_frame = funnel.funnel if funnel is not None else None
    activity_frame = funnel.activity if funnel is not None else None
    found += alerts_funnel.slow_first_contact(
        funnel_frame, current, config.alerts.slow_first_contact_hours, names, language
    )
    found += alerts_funnel.stale_deals(
        inputs.deals, as_of, config.alerts.stale_deal_days, names, language
    )
    found += alerts_funnel.low_activity(
        activity_frame, current, set(roster.inactive), names, language
    )
    found.sort(key=_order)
    return found


def _order(alert: Alert) -> tuple[int, str, str, str]:
    return (
        KINDS.index(alert.kind),
        norm(alert.manager) if alert.manager else "",
        alert.month or "",
        alert.message,
    )


# --- rules -------------------------------------------------------------------------------------


def _plan_missed(monthly: pd.DataFrame, current: str, language: Language) -> list[Alert]:
    """A manager with a plan below 100 % in each of the two last complete months."""
    last, before = months.add_months(current, -1), months.add_months(current, -2)
    rows = monthly[
        monthly["month"].isin([last, before]).to_numpy()
        & (monthly["plan_revenue"].to_numpy(dtype=float) > 0)
        & (monthly["plan_pct"].to_numpy(dtype=float) < 1)
    ]
    found = []
    for _, group in rows.groupby("manager_key", sort=True):
        by_month = dict(zip(group["month"], group["plan_pct"], strict=True))
        if last not in by_month or before not in by_month:
            continue
        name = str(group["manager"].iloc[0])
        earlier = f"{month_label(before, language)}: {percent_text(by_month[before], language)}"
        later = f"{month_label(last, language)}: {percent_text(by_month[last], language)}"
        message = say("plan_missed_2_months", language, name=name, earlier=earlier, later=later)
        found.append(Alert(kind="plan_missed_2_months", manager=name, month=last, message=message))
    return found


def _fake_clients(
    table: pd.DataFrame,
    monthly: pd.DataFrame,
    roster: Roster,
    current: str,
    names: dict[str, str],
    language: Language,
) -> list[Alert]:
    """A new client whose month-1 check sits just above a bonus threshold or the plan gap and
    who never paid again though two complete months have passed (vectorised over clients)."""
    if table.empty:
        return []
    latest_first = months.add_months(current, -3)
    candidates = table[
        table["is_new"].astype(bool).to_numpy()
        & (table["paying_months"].to_numpy() == 1)
        & (table["first_month"].astype(str) <= latest_first).to_numpy()
    ].reset_index(drop=True)
    if candidates.empty:
        return []
    check = candidates["month1_check_kop"].to_numpy(dtype="int64")
    managers = candidates["acquiring_manager_key"].to_numpy(dtype=object)
    threshold = _tailored_thresholds(
        managers, candidates["first_month"].to_numpy(dtype=object), check, roster
    )
    gap = _closed_plan_gaps(candidates, check, monthly)
    found = []
    for position in np.flatnonzero((threshold > 0) | (gap > 0)):
        client = candidates.iloc[position]
        reasons = []
        if threshold[position] > 0:
            reasons.append(("threshold", int(threshold[position])))
        if gap[position] > 0:
            reasons.append(("gap", int(gap[position])))
        manager_key = managers[position]
        name = names.get(manager_key, str(client["acquiring_manager"]))
        month = str(client["first_month"])
        message = _fake_message(
            str(client["client"]), name, month, int(check[position]), reasons, language
        )
        found.append(Alert(kind="possible_fake_client", manager=name, month=month, message=message))
    return found


def _tier_thresholds(scheme: Scheme | None) -> tuple[int, ...]:
    """Thresholds (kopecks) of a per-client tiers scheme; none for any other scheme."""
    if not isinstance(scheme, TiersScheme) or scheme.basis != "client":
        return ()
    return tuple(int(threshold * 100) for threshold, _ in scheme.tiers)


def _tailored_thresholds(
    managers: np.ndarray, first_months: np.ndarray, check: np.ndarray, roster: Roster
) -> np.ndarray:
    """Per client, the tier threshold (kopecks) its check exceeds by at most 5 %, else 0.

    The thresholds are those of the scheme in force for the acquiring manager in the client's
    month 1 (`Roster.scheme_for`), when it is per-client tiers.
    """
    found = np.zeros(len(check), dtype="int64")
    pairs = pd.MultiIndex.from_arrays([managers, first_months])
    codes, uniques = pd.factorize(pairs)
    for code, (manager_key, month) in enumerate(uniques.tolist()):
        mine = codes == code
        for threshold in _tier_thresholds(roster.scheme_for(manager_key, month)):
            # threshold ≤ check ≤ threshold × 1.05, in integers
            hit = mine & (found == 0) & (check >= threshold) & (check * 100 <= threshold * 105)
            found[hit] = threshold
    return found


def _closed_plan_gaps(
    candidates: pd.DataFrame, check: np.ndarray, monthly: pd.DataFrame
) -> np.ndarray:
    """Per client, the plan gap (kopecks) its check closed with at most 5 % to spare, else 0.

    gap = the manager's plan − (the manager's revenue that month − this check).
    """
    figures = candidates[["acquiring_manager_key", "first_month"]].merge(
        monthly[["manager_key", "month", "revenue", "plan_revenue"]],
        left_on=["acquiring_manager_key", "first_month"],
        right_on=["manager_key", "month"],
        how="left",
    )
    plan = np.round(figures["plan_revenue"].to_numpy(dtype=float) * 100)
    revenue = np.round(figures["revenue"].to_numpy(dtype=float) * 100)
    known = ~(np.isnan(plan) | np.isnan(revenue))
    gap = np.zeros(len(check), dtype="int64")
    gap[known] = (plan[known] - (revenue[known] - check[known])).astype("int64")
    closed = known & (gap > 0) & (check >= gap) & (check * 100 <= gap * 105)
    return np.where(closed, gap, 0)


def _fake_message(
    client: str,
    name: str,
    month: str,
    check_kop: int,
    reasons: list[tuple[str, int]],
    language: Language,
) -> str:
    parts = [
        say(f"fake_{reason}", language, amount=money_text(value, language))
        for reason, value in reasons
    ]
    return say(
        "possible_fake_client",
        language,
        client=quoted_name(client),
        where=f"{name}, {month_label(month, language)}",
        check=money_text(check_kop, language),
        reasons=say("and", language).join(parts),
    )


def _low_retention(
    table: pd.DataFrame, current: str, names: dict[str, str], language: Language
) -> list[Alert]:
    """A manager whose retention_4 this month is below half the team's (≥ 4 eligible)."""
    if table.empty:
        return []
    counts = retention_4_counts(table, current)
    team_eligible = int(counts["eligible"].sum())
    if team_eligible == 0:
        return []
    team_share = counts["retained"].sum() / team_eligible
    found = []
    for manager_key, eligible, retained in counts.itertuples(name=None):
        share = retained / eligible
        if eligible < MIN_RETENTION_CLIENTS or not share < team_share / 2:
            continue
        name = names.get(manager_key, manager_key)
        mine, theirs = percent_text(share, language), percent_text(team_share, language)
        message = say(
            "low_retention",
            language,
            name=name,
            mine=mine,
            retained=retained,
            eligible=eligible,
            theirs=theirs,
        )
        found.append(Alert(kind="low_retention", manager=name, month=current, message=message))
    return found


def _plan_spikes(
    plan: pd.DataFrame, current: str, names: dict[str, str], language: Language
) -> list[Alert]:
    """A manager's plan for a month more than 30 % above the month before (SPEC §7 sets no
    window: a past spike may be a typo that still skews that month's plan_pct and ranking)."""
    if plan is None or plan.empty:
        return []
    rows = plan[plan["manager_key"].notna().to_numpy()]
    revenue = pd.to_numeric(rows["plan_revenue_kop"], errors="coerce").astype(float)
    plans = (
        pd.DataFrame({"manager_key": rows["manager_key"], "month": rows["month"], "kop": revenue})
        .groupby(["manager_key", "month"], sort=True)["kop"]
        .last()
        .dropna()
    )
    found = []
    for (manager_key, month), planned in plans.items():
        previous = plans.get((manager_key, months.add_months(month, -1)))
        if previous is None or not previous > 0 or not _spiked(previous, planned):
            continue
        name = names.get(manager_key, manager_key)
        rise = percent_text(planned / previous - 1, language)
        before, after = money_text(int(previous), language), money_text(int(planned), language)
        label = month_label(month, language)
        message = say(
            "plan_spike_ahead" if month >= current else "plan_spike_past",
            language,
            name=name,
            label=label,
            rise=rise,
            before=before,
            after=after,
        )
        found.append(Alert(kind="plan_spike", manager=name, month=month, message=message))
    return found


def _spiked(previous_kop: float, planned_kop: float) -> bool:
    """More than 30 % up, compared exactly in kopecks (+30 % on the dot is not a spike)."""
    return Decimal(int(planned_kop)) > Decimal(int(previous_kop)) * PLAN_SPIKE


def _data_errors(
    problems: Sequence[Problem], errors_tab: str, current: str, language: Language
) -> list[Alert]:
    """How many input errors there are, pointing to the errors tab."""
    count = sum(1 for problem in problems if problem.severity == ERROR)
    if count == 0:
        return []
    noun = count_noun(count, ERRORS, language)
    message = say("data_errors", language, count=count, noun=noun, tab=errors_tab)
    return [Alert(kind="data_errors", manager=None, month=current, message=message)]


# --- names ----------------------------------------------------------------------------------


def _manager_names(monthly: pd.DataFrame, roster: Roster) -> dict[str, str]:
    """manager_key → display name of every manager of the roster and the monthly figures."""
    names = dict(roster.names)
    for key, seen in zip(monthly["manager_key"].tolist(), monthly["manager"].tolist(), strict=True):
        names.setdefault(key, roster.display_name(key, seen))
    return names
