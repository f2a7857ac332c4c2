"""Funnel and activity KPIs (SPEC §6 "Funnel figures exactly").

The plan-gap calculator, which reads these figures, lives in `core/plangap.py`.

Inputs are the validated frames `Inputs.deals` and `Inputs.activity` (see core/model.py and
docs/ARCHITECTURE.md "Frames"). Everything is vectorised: one groupby per figure, and "open at
the end of month M" as a running sum of +1 (lead month) / −1 (close month) events per manager.

Decisions where SPEC §6 is silent:
- Months covered: every month from the earliest lead / close / activity month through the month
  of `as_of`. Team rows exist for every covered month; a manager row exists for a month where the
  manager has a lead, a close or an open deal (funnel), or any activity row (activity).
- A deal whose lead date is after `as_of` is ignored; a close date after `as_of` means "not
  closed yet" (validation rejects both as `future_date`, this only keeps the figures honest).
- A `won` / `lost` deal without a close date (rejected by validation) counts as closed on its
  lead date: it is never open and never counted as won or lost.
- `communications_per_won`: calls + meetings + presentations with empty columns counted as 0,
  empty when all three are empty, when `Сделки` is absent, or when won = 0.
- `open_hot` is empty (not 0) when no deal of the tab has a `Температура`: the input of the
  count is absent (SPEC §6: "empty, never 0 pretending to be a measurement").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.output import report

FUNNEL_COLUMNS = (*report.FUNNEL_COLUMNS, "manager_key")
LOSS_REASON_COLUMNS = (*report.LOSS_REASON_COLUMNS, "manager_key")
ACTIVITY_COLUMNS = (*report.ACTIVITY_COLUMNS, "manager_key")

NO_REASON = {"ru": "не указана", "en": "not given"}
ACTIVITY_COUNTS = ("calls", "meetings", "presentations", "proposals")

# Group key of team rows inside the computation; never a real manager key (norm() strips it).
_TEAM = "\x00team"
_COUNT_COLUMNS = ("leads", "won", "lost", "open", "open_hot")


@dataclass(frozen=True)
class FunnelFigures:
    """Funnel, loss reasons and activity per manager and month, and per month for the team.

    Each frame has the SPEC §8 columns plus `manager_key`; team rows have manager and
    manager_key None; sorted by month, then manager, the team row last in each month.
    A frame is None when its input tab is absent, empty when the tab has no valid rows.
    """

    funnel: pd.DataFrame | None
    loss_reasons: pd.DataFrame | None
    activity: pd.DataFrame | None


def figures(inputs: Inputs, as_of: date, language: Language = "ru") -> FunnelFigures | None:
    """Funnel and activity figures from `Inputs.deals` / `Inputs.activity`; None when both absent.

    `language` only names the loss reason of lost deals without one (`не указана` / `not given`).
    """
    if inputs.deals is None and inputs.activity is None:
        return None
    as_of_day = pd.Timestamp(as_of)
    deals = _prepare_deals(inputs.deals, as_of_day) if inputs.deals is not None else None
    activity = (
        _prepare_activity(inputs.activity, as_of_day) if inputs.activity is not None else None
    )
    month_range = _covered_months(deals, activity, _month_index(as_of_day))
    names = _display_names(deals, activity)

    funnel: pd.DataFrame | None = None
    loss_reasons: pd.DataFrame | None = None
    if deals is not None:
        funnel = _funnel(deals, month_range, names)
        loss_reasons = _loss_reasons(deals, names, NO_REASON[language])
    activity_frame: pd.DataFrame | None = None
    if activity is not None:
        activity_frame = _activity(activity, funnel, month_range, names)
    return FunnelFigures(funnel=funnel, loss_reasons=loss_reasons, activity=activity_frame)


# --- preparation -------------------------------------------------------------------------------


def _month_index(stamp: pd.Timestamp) -> int:
    """Months since year 0 (year × 12 + month − 1): integer month arithmetic, fast to group."""
    return stamp.year * 12 + stamp.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _prepare_deals(deals: pd.DataFrame, as_of_day: pd.Timestamp) -> pd.DataFrame:
    """One row per deal with the group key, month indexes and per-deal measures."""
    deals = _in_sheet_order(deals)
    lead_at = pd.to_datetime(deals["lead_date"])
    lead_day = lead_at.dt.normalize()
    kept = (lead_day <= as_of_day).to_numpy()
    if not kept.all():
        deals, lead_at, lead_day = deals[kept], lead_at[kept], lead_day[kept]

    # Compare codes, not texts: one hashing pass per column instead of one per value asked.
    status = _flags(deals["status"], ("won", "lost"))
    is_won, is_lost = status["won"], status["lost"]
    closing = is_won | is_lost
    close_day = pd.to_datetime(deals["close_date"]).dt.normalize()
    close_known = closing & close_day.notna().to_numpy() & (close_day <= as_of_day).to_numpy()
    # A closed deal without a close date is closed "since its lead": never open, never counted.
    closed_undated = closing & close_day.isna().to_numpy()
    close_day = close_day.where(close_known, pd.NaT)
    # A close before the lead (a validation error) is read as a close on the lead date.
    close_day = close_day.where(~(close_day < lead_day), lead_day)
    end_day = close_day.where(~closed_undated, lead_day)

    first_contact = pd.to_datetime(deals["first_contact"])
    hours = (first_contact - lead_at).dt.total_seconds() / 3600.0
    temperature = _flags(deals["temperature"], ("hot", "warm"))
    touches = pd.to_numeric(deals["touches"], errors="coerce").astype("float64")
    return pd.DataFrame(
        {
            "key": _texts(deals["manager_key"]),
            "manager": _texts(deals["manager"]),
            "lead_mi": _month_indexes(lead_day).astype("int64"),
            # month in which the deal stops being open at month end; NaN = still open
            "end_mi": _month_indexes(end_day),
            "close_mi": _month_indexes(close_day),
            "won": close_known & is_won,
            "lost": close_known & is_lost,
            "hours": hours.to_numpy(dtype="float64"),
            "touches": touches.to_numpy(dtype="float64"),
            "cycle_days": ((close_day - lead_day).dt.days).to_numpy(dtype="float64"),
            "hot": temperature["hot"],
            "warm": temperature["warm"],
            "rated": deals["temperature"].notna().to_numpy(),
            # object columns: texts only, so nothing for pandas to infer or convert
            "reason_key": pd.Series(_text_or_empty(deals, "loss_reason_key"), dtype=object),
            "reason": pd.Series(_text_or_empty(deals, "loss_reason"), dtype=object),
        }
    )


def _texts(column: pd.Series) -> pd.Series:
    """A name column kept as objects (texts, None where empty): no `str` dtype to infer, as
    every reader takes it back as objects anyway."""
    return pd.Series(column.to_numpy(dtype=object), dtype=object, copy=False)


def _in_sheet_order(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` sorted by sheet row (stable); as it is when already in that order."""
    if "row" not in frame.columns or frame["row"].is_monotonic_increasing:
        return frame
    return frame.sort_values("row", kind="stable")


def _month_indexes(stamps: pd.Series) -> np.ndarray:
    """`_month_index` of each moment as float64 (NaN for NaT). Naive datetimes (what `Inputs`
    holds) by one cast to whole months since 1970; anything else (time zones, objects) by
    taking the year and the month apart."""
    moments = stamps.to_numpy()
    if moments.dtype.kind != "M":
        return (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype="float64")
    indexes = (moments.astype("datetime64[M]").astype("int64") + 1970 * 12).astype("float64")
    indexes[np.isnat(moments)] = np.nan
    return indexes


def _flags(column: pd.Series, wanted: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per wanted value, which rows of `column` hold exactly it (empty cells hold none)."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    position = {value: index for index, value in enumerate(uniques.tolist())}
    return {value: codes == position.get(value, -2) for value in wanted}


def _text_or_empty(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    # Each distinct value turned into text once; an empty cell (code −1) takes the last, "".
    codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
    texts = np.array([*(str(value) for value in uniques.tolist()), ""], dtype=object)
    return texts[codes]


def _prepare_activity(activity: pd.DataFrame, as_of_day: pd.Timestamp) -> pd.DataFrame:
    """Activity rows dated through `as_of`, with the group key and month index."""
    activity = _in_sheet_order(activity)
    day = pd.to_datetime(activity["date"]).dt.normalize()
    kept = (day <= as_of_day).to_numpy()
    if not kept.all():
        activity, day = activity[kept], day[kept]
    prepared = pd.DataFrame(
        {
            "key": _texts(activity["manager_key"]),
            "manager": _texts(activity["manager"]),
            "mi": _month_indexes(day).astype("int64"),
        }
    )
    for column in ACTIVITY_COUNTS:
        counts = pd.to_numeric(activity[column], errors="coerce").astype("float64")
        prepared[column] = counts.to_numpy(dtype="float64")
    return prepared


def _covered_months(
    deals: pd.DataFrame | None, activity: pd.DataFrame | None, current: int
) -> range:
    """Month indexes from the earliest lead / close / activity month through the current one."""
    firsts: list[float] = []
    if deals is not None and len(deals):
        firsts.append(float(deals["lead_mi"].min()))
        if deals["close_mi"].notna().any():
            firsts.append(float(deals["close_mi"].min()))
    if activity is not None and len(activity):
        firsts.append(float(activity["mi"].min()))
    if not firsts:
        return range(current + 1, current + 1)
    return range(min(int(min(firsts)), current), current + 1)


def _display_names(deals: pd.DataFrame | None, activity: pd.DataFrame | None) -> dict[str, str]:
    """manager_key → display name, the first seen in sheet order (deals first, then activity)."""
    names: dict[str, str] = {}
    for frame in (deals, activity):
        if frame is None or "manager" not in frame.columns:
            continue
        firsts = frame.drop_duplicates("key")
        for key, name in zip(firsts["key"], firsts["manager"], strict=True):
            names.setdefault(key, name)
    return names


# --- funnel ------------------------------------------------------------------------------------


def _funnel(deals: pd.DataFrame, month_range: range, names: dict[str, str]) -> pd.DataFrame:
    """Funnel figures per (manager, month) and per month for the team, on a dense grid.

    Every figure is computed on one (key, month) grid whose last key is the team: counts by
    `np.bincount` of flat cell numbers, means and medians by one groupby on those numbers
    (the same pandas reductions over the same rows, so the same floats). A manager row exists
    where the manager has a lead, a win, a loss or an open deal; the team has every month.
    """
    if not len(deals) or not len(month_range):
        return _empty(FUNNEL_COLUMNS)
    # Key codes sorted like the keys; a deal without a key (code −1) counts for the team only.
    codes, keys = pd.factorize(deals["key"].to_numpy(dtype=object), sort=True)
    first, months = month_range.start, len(month_range)
    team_code = len(keys)
    size = (team_code + 1) * months
    counted = codes >= 0

    def cells(offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Flat grid cells of the chosen rows: their manager's cell, then the team's."""
        mine = rows & counted
        return np.concatenate(
            [codes[mine] * months + offsets[mine], team_code * months + offsets[rows]]
        )

    def count(offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return np.bincount(cells(offsets, rows), minlength=size)

    def reduce(values: np.ndarray, offsets: np.ndarray, rows: np.ndarray, how: str) -> np.ndarray:
        # Managers and the team are grouped apart, over the same rows as one groupby per key
        # would take: pandas sums a group whose ids come sorted by `reduceat`, others with
        # Kahan summation, so the same grouping is what keeps the last digit of a mean.
        grid = np.full(size, np.nan)
        mine = rows & counted
        for cell, picked in (
            (codes[mine] * months + offsets[mine], values[mine]),
            (team_code * months + offsets[rows], values[rows]),
        ):
            if len(cell):
                grouped = getattr(pd.Series(picked, copy=False).groupby(cell, sort=False), how)()
                grid[grouped.index.to_numpy()] = grouped.to_numpy(dtype="float64")
        return grid

    everyone = np.ones(len(deals), dtype=bool)
    lead_at = deals["lead_mi"].to_numpy(dtype=np.int64) - first
    in_range = (lead_at >= 0) & (lead_at < months)
    won = deals["won"].to_numpy(dtype=bool)
    lost = deals["lost"].to_numpy(dtype=bool)
    close = deals["close_mi"].to_numpy(dtype="float64")
    close_at = np.where(won | lost, close, first).astype(np.int64) - first
    hours = deals["hours"].to_numpy(dtype="float64")
    with_hours = ~np.isnan(hours)

    # Open at month end: +1 from the lead month, −1 from the month the deal stops being open.
    end = deals["end_mi"].to_numpy(dtype="float64")
    end_at = np.where(np.isnan(end), first, end).astype(np.int64) - first
    ended = ~np.isnan(end) & (end_at >= 0) & (end_at < months)
    open_counts = []
    for subset in (everyone, deals["hot"].to_numpy(dtype=bool), deals["warm"].to_numpy(dtype=bool)):
        events = count(lead_at, in_range & subset) - count(end_at, ended & subset)
        open_counts.append(events.reshape(-1, months).cumsum(axis=1).reshape(-1))
    open_all, open_hot, open_warm = open_counts

    leads = count(lead_at, everyone)
    won_count = count(close_at, won)
    lost_count = count(close_at, lost)
    is_team = np.arange(size) >= team_code * months
    shown = np.flatnonzero(
        is_team | (leads > 0) | (won_count > 0) | (lost_count > 0) | (open_all > 0)
    )
    touches = deals["touches"].to_numpy(dtype="float64")
    cycle_days = deals["cycle_days"].to_numpy(dtype="float64")
    key_labels = np.append(np.asarray(keys, dtype=object), _TEAM)
    stats = pd.DataFrame(
        {
            "leads": leads[shown],
            "won": won_count[shown],
            "lost": lost_count[shown],
            "open": open_all[shown],
            "open_hot": open_hot[shown],
            "first_contact_hours_median": reduce(hours, lead_at, with_hours, "median")[shown],
            "first_contact_hours_mean": reduce(hours, lead_at, with_hours, "mean")[shown],
            "touches_per_won": reduce(touches, close_at, won, "mean")[shown],
            "cycle_days_mean": reduce(cycle_days, close_at, won, "mean")[shown],
        },
        index=pd.MultiIndex.from_arrays(
            [key_labels[shown // months], first + shown % months], names=["key", "mi"]
        ),
    )
    for column in _COUNT_COLUMNS:
        stats[column] = stats[column].astype("int64")
    closed = stats["won"] + stats["lost"]
    stats["win_rate"] = (stats["won"] / closed).where(closed > 0)
    warm_or_hot = open_warm[shown] + stats["open_hot"].to_numpy()
    stats["warm_to_hot"] = (stats["open_hot"] / warm_or_hot).where(warm_or_hot > 0)
    if not deals["rated"].any():  # no temperature anywhere: the hot count has no input
        stats["open_hot"] = np.nan
    return _finish(stats, FUNNEL_COLUMNS, names)


# --- loss reasons ------------------------------------------------------------------------------


def _loss_reasons(deals: pd.DataFrame, names: dict[str, str], no_reason: str) -> pd.DataFrame:
    is_lost = deals["lost"].to_numpy(dtype=bool)
    if not is_lost.any():
        return _empty(LOSS_REASON_COLUMNS)
    month_indexes = deals["close_mi"].to_numpy(dtype="float64")[is_lost].astype("int64")
    reason_keys = deals["reason_key"].to_numpy(dtype=object)[is_lost]
    # Integer codes numbered in order of appearance, as a groupby numbers texts: the same
    # groups in the same order, with one hashing pass per column instead of one per grouping.
    key_codes, key_labels = pd.factorize(deals["key"].to_numpy(dtype=object)[is_lost])
    reason_codes, reason_labels = pd.factorize(reason_keys)
    # Display form of a reason: the first one seen in sheet order, across all managers.
    first_seen = np.unique(reason_codes, return_index=True)[1]
    reason_names = dict(
        zip(
            reason_keys[first_seen].tolist(),
            deals["reason"].to_numpy(dtype=object)[is_lost][first_seen].tolist(),
            strict=True,
        )
    )
    reason_names[""] = no_reason
    parts = []
    team_codes = np.zeros(len(key_codes), dtype=key_codes.dtype)
    for codes, labels in ((key_codes, np.asarray(key_labels, dtype=object)), (team_codes, None)):
        kept = codes >= 0  # a groupby leaves rows without a key out
        part = (
            pd.DataFrame(
                {"key": codes[kept], "mi": month_indexes[kept], "reason_key": reason_codes[kept]}
            )
            .groupby(["key", "mi", "reason_key"], sort=False)
            .size()
            .reset_index()
        )
        part_keys = part["key"].to_numpy()
        part["key"] = (
            np.full(len(part), _TEAM, dtype=object) if labels is None else labels[part_keys]
        )
        part["reason_key"] = np.asarray(reason_labels, dtype=object)[part["reason_key"].to_numpy()]
        parts.append(part)
    counts = pd.concat(parts, ignore_index=True).rename(columns={0: "count"})
    counts["reason"] = counts["reason_key"].map(reason_names)
    counts = counts.set_index(["key", "mi"])
    frame = _finish(counts, (*LOSS_REASON_COLUMNS, "reason_key"), names, keep_order=False)
    frame = frame.assign(_team=frame["manager_key"].isna(), _manager=frame["manager"].fillna(""))
    frame = frame.sort_values(
        ["month", "_team", "_manager", "manager_key", "count", "reason"],
        ascending=[True, True, True, True, False, True],
        kind="stable",
        na_position="last",
    )
    return frame[list(LOSS_REASON_COLUMNS)].reset_index(drop=True)


# --- activity ----------------------------------------------------------------------------------


def _activity(
    activity: pd.DataFrame,
    funnel: pd.DataFrame | None,
    month_range: range,
    names: dict[str, str],
) -> pd.DataFrame:
    if not len(activity) or not len(month_range):
        return _empty(ACTIVITY_COLUMNS)
    # One (key, month) grid whose last key is the team, summed by np.bincount: the counts are
    # whole numbers, so no order of summation changes a sum. A manager row exists where the
    # manager has an activity row (a row without a key counts for the team only); the team
    # has every covered month. Rows are dated through `as_of` and no earlier than the range.
    codes, keys = pd.factorize(activity["key"].to_numpy(dtype=object), sort=True)
    first, months = month_range.start, len(month_range)
    team_code = len(keys)
    size = (team_code + 1) * months
    at = activity["mi"].to_numpy(dtype="int64") - first
    inside = (at >= 0) & (at < months)
    mine = inside & (codes >= 0)
    cells = np.concatenate([codes[mine] * months + at[mine], team_code * months + at[inside]])
    rows = np.concatenate([np.flatnonzero(mine), np.flatnonzero(inside)])
    shown = np.flatnonzero(
        (np.bincount(cells, minlength=size) > 0) | (np.arange(size) >= team_code * months)
    )
    columns = {}
    for column in ACTIVITY_COUNTS:
        values = activity[column].to_numpy(dtype="float64")[rows]
        known = ~np.isnan(values)
        # (without any weight, bincount answers in integers)
        total = np.bincount(cells[known], weights=values[known], minlength=size).astype("float64")
        total[np.bincount(cells[known], minlength=size) == 0] = np.nan  # sum(min_count=1)
        columns[column] = total[shown]
    key_labels = np.append(np.asarray(keys, dtype=object), _TEAM)
    sums = pd.DataFrame(
        columns,
        index=pd.MultiIndex.from_arrays(
            [key_labels[shown // months], first + shown % months], names=["key", "mi"]
        ),
    )

    communications = sums[["calls", "meetings", "presentations"]].sum(axis=1, min_count=1)
    if funnel is None:
        won = pd.Series(np.nan, index=sums.index)
    else:
        keys = funnel["manager_key"].astype(object).where(funnel["manager_key"].notna(), _TEAM)
        won_index = pd.MultiIndex.from_arrays(
            [keys.to_numpy(), [_month_number(m) for m in funnel["month"]]], names=["key", "mi"]
        )
        won = pd.Series(funnel["won"].to_numpy(dtype="float64"), index=won_index)
        won = won.reindex(sums.index).fillna(0.0)
    sums["communications_per_won"] = (communications / won).where(won > 0)
    return _finish(sums, ACTIVITY_COLUMNS, names)


# --- shared helpers ----------------------------------------------------------------------------


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})


def _finish(
    stats: pd.DataFrame,
    columns: tuple[str, ...],
    names: dict[str, str],
    keep_order: bool = True,
) -> pd.DataFrame:
    """(key, mi)-indexed figures → the output frame: month labels, names, team rows, sorting."""
    keys = stats.index.get_level_values(0).to_numpy(dtype=object)
    month_indexes = stats.index.get_level_values(1).to_numpy(dtype="int64")
    frame = stats.reset_index(drop=True)
    is_team = keys == _TEAM
    manager_keys = np.where(is_team, None, keys).astype(object)
    frame["manager_key"] = pd.Series(manager_keys, dtype=object)
    frame["manager"] = pd.Series(
        [None if key is None else names.get(key, key) for key in manager_keys], dtype=object
    )
    labels = {index: _month_label(index) for index in set(month_indexes.tolist())}
    frame["month"] = pd.Series([labels[index] for index in month_indexes], dtype=object)
    if keep_order:
        frame = frame.assign(_team=is_team, _manager=frame["manager"].fillna(""))
        frame = frame.sort_values(["month", "_team", "_manager", "manager_key"], kind="stable")
    return frame[list(columns)].reset_index(drop=True)
