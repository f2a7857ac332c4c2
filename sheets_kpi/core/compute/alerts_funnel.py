"""Alert rules on the funnel and activity tabs (issue 6): slow first contact, stale deals, low
activity. `alerts.compute` calls them; each returns `Alert`s in the output language.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.compute.alert_texts import (
    COMMUNICATIONS,
    DATE_FORMAT,
    DAYS_LONGER,
    DEALS,
    say,
)
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Alert
from sheets_kpi.core.output.labels import month_label
from sheets_kpi.core.textfmt import count_noun, number_text, pick

MIN_ACTIVE_MANAGERS = 3  # low_activity compares with the team median only from 3 managers up


def slow_first_contact(
    funnel: pd.DataFrame | None,
    current: str,
    limit_hours: float,
    names: dict[str, str],
    language: Language,
) -> list[Alert]:
    """A manager whose median hours to first contact this month exceed the limit."""
    if funnel is None or funnel.empty:
        return []
    rows = funnel[
        (funnel["month"] == current).to_numpy()
        & funnel["manager_key"].notna().to_numpy()
        & (funnel["first_contact_hours_median"].to_numpy(dtype=float) > limit_hours)
    ]
    found = []
    for row in rows.itertuples(index=False):
        name = names.get(row.manager_key, str(row.manager))
        hours = number_text(row.first_contact_hours_median, language)
        limit = number_text(limit_hours, language)
        label = month_label(current, language)
        message = say(
            "slow_first_contact", language, name=name, label=label, hours=hours, limit=limit
        )
        found.append(Alert(kind="slow_first_contact", manager=name, month=current, message=message))
    return found


def stale_deals(
    deals: pd.DataFrame | None,
    as_of: date,
    stale_days: int,
    names: dict[str, str],
    language: Language,
) -> list[Alert]:
    """A manager's open deals whose lead date is more than `stale_days` before as_of."""
    if deals is None or deals.empty:
        return []
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=stale_days)
    lead_day = pd.to_datetime(deals["lead_date"]).dt.normalize()
    # Status codes instead of comparing every text; only the three columns read are cut.
    status_codes, statuses = pd.factorize(deals["status"].to_numpy(dtype=object))
    known_statuses = statuses.tolist()
    open_code = known_statuses.index("open") if "open" in known_statuses else -2
    stale = ((status_codes == open_code) & (lead_day < cutoff).to_numpy()).nonzero()[0]
    if not len(stale):
        return []
    current = months.month_of(as_of)
    stale_keys = deals["manager_key"].to_numpy()[stale]
    by_manager = lead_day.iloc[stale].groupby(stale_keys, sort=True)
    # One pass for every manager: counts, oldest lead and the first name seen, no sub-frames
    # (built from the end, so the upper row's name is written last and stays).
    first_names = dict(
        zip(
            reversed(stale_keys.tolist()),
            reversed(deals["manager"].to_numpy()[stale].tolist()),
            strict=True,
        )
    )
    counts = by_manager.size()
    found = []
    for manager_key, count, oldest in zip(
        counts.index, counts.tolist(), by_manager.min().tolist(), strict=True
    ):
        name = names.get(manager_key, str(first_names[manager_key]))
        message = say(
            "stale_deals_one" if count == 1 else "stale_deals_many",
            language,
            name=name,
            count=count,
            noun=count_noun(count, DEALS, language),
            days=stale_days,
            days_noun=count_noun(stale_days, DAYS_LONGER, language),
            oldest=oldest.strftime(pick(DATE_FORMAT, language)),
        )
        found.append(Alert(kind="stale_deals", manager=name, month=current, message=message))
    return found


def low_activity(
    activity: pd.DataFrame | None,
    current: str,
    inactive: set[str],
    names: dict[str, str],
    language: Language,
) -> list[Alert]:
    """A manager whose communications this month are below half the team median (≥ 3 active).

    Active: with an activity row this month and not marked `Активен = нет` in the roster
    (`inactive` holds their keys). A manager who has left is neither compared nor counted in
    the median; one with no activity row this month has no measurement to compare.
    """
    if activity is None or activity.empty:
        return []
    keys = activity["manager_key"]
    rows = activity[
        (activity["month"] == current).to_numpy()
        & keys.notna().to_numpy()
        & ~keys.isin(inactive).to_numpy()
    ]
    if len(rows) < MIN_ACTIVE_MANAGERS:
        return []
    communications = sum(
        pd.to_numeric(rows[column], errors="coerce").fillna(0).astype(float)
        for column in ("calls", "meetings", "presentations")
    )
    median = float(communications.median())
    found = []
    for manager_key, manager, count in zip(
        rows["manager_key"], rows["manager"], communications, strict=True
    ):
        if not count < median / 2:
            continue
        name = names.get(manager_key, str(manager))
        done, typical = number_text(count, language), number_text(median, language)
        label = month_label(current, language)
        message = say(
            "low_activity",
            language,
            name=name,
            label=label,
            done=done,
            noun=count_noun(int(count), COMMUNICATIONS, language),
            typical=typical,
        )
        found.append(Alert(kind="low_activity", manager=name, month=current, message=message))
    return found
