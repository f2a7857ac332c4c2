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

from sheets_kpi.core.compute import funnel_rows
from sheets_kpi.core.compute.funnel_rows import ACTIVITY_COUNTS
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.output import report
from sheets_kpi.core.textfmt import pick

FUNNEL_COLUMNS = (*report.FUNNEL_COLUMNS, "manager_key")
LOSS_REASON_COLUMNS = (*report.LOSS_REASON_COLUMNS, "manager_key")
ACTIVITY_COLUMNS = (*report.ACTIVITY_COLUMNS, "manager_key")

NO_REASON = ("не указана", "not given")  # a lost deal without a reason, (ru, en)

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
    deals = funnel_rows.prepare_deals(inputs.deals, as_of_day) if inputs.deals is not None else None
    activity = (
        funnel_rows.prepare_activity(inputs.activity, as_of_day)
        if inputs.activity is not None
        else None
    )
    month_range = funnel_rows.covered_months(deals, activity, funnel_rows.month_index(as_of_day))
    names = funnel_rows.display_names(deals, activity)

    funnel: pd.DataFrame | None = None
    loss_reasons: pd.DataFrame | None = None
    if deals is not None:
        funnel = _funnel(deals, month_range, names)
        loss_reasons = _loss_reasons(deals, names, pick(NO_REASON, language))
    activity_frame: pd.DataFrame | None = None
    if activity is not None:
        activity_frame = _activity(activity, funnel, month_range, names)
    return FunnelFigures(funnel=funnel, loss_reasons=loss_reasons, activity=activity_frame)


# --- funnel ------------------------------------------------------------------------------------


class _Grid:
    """A dense (key, month) grid whose last key is the team, as flat cell numbers. A row
    without a key (code −1) counts for the team only."""

    def __init__(self, codes: np.ndarray, key_count: int, month_range: range) -> None:
        self.codes = codes
        self.first, self.months = month_range.start, len(month_range)
        self.team_code = key_count
        self.size = (key_count + 1) * self.months
        self.counted = codes >= 0

    def parts(
        self, offsets: np.ndarray, rows: np.ndarray
    ) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """(cells, chosen rows) for the managers' cells, then the team's."""
        mine = rows & self.counted
        return (
            (self.codes[mine] * self.months + offsets[mine], mine),
            (self.team_code * self.months + offsets[rows], rows),
        )

    def count(self, offsets: np.ndarray, rows: np.ndarray) -> np.ndarray:
        cells = np.concatenate([cells for cells, _ in self.parts(offsets, rows)])
        return np.bincount(cells, minlength=self.size)

    def reduce(
        self, values: np.ndarray, offsets: np.ndarray, rows: np.ndarray, how: str
    ) -> np.ndarray:
        # Managers and the team are grouped apart, over the same rows as one groupby per key
        # would take: pandas sums a group whose ids come sorted by `reduceat`, others with
        # Kahan summation, so the same grouping is what keeps the last digit of a mean.
        grid = np.full(self.size, np.nan)
        for cells, chosen in self.parts(offsets, rows):
            if len(cells):
                grouped = getattr(
                    pd.Series(values[chosen], copy=False).groupby(cells, sort=False), how
                )()
                grid[grouped.index.to_numpy()] = grouped.to_numpy(dtype="float64")
        return grid

    def open_at_month_end(
        self, deals: pd.DataFrame, lead_at: np.ndarray, in_range: np.ndarray, subset: np.ndarray
    ) -> np.ndarray:
        """Open deals of `subset` at each month end: +1 from the lead month, −1 from the month
        the deal stops being open, summed along the months."""
        end = deals["end_mi"].to_numpy(dtype="float64")
        end_at = np.where(np.isnan(end), self.first, end).astype(np.int64) - self.first
        ended = ~np.isnan(end) & (end_at >= 0) & (end_at < self.months)
        events = self.count(lead_at, in_range & subset) - self.count(end_at, ended & subset)
        return events.reshape(-1, self.months).cumsum(axis=1).reshape(-1)


def _funnel(deals: pd.DataFrame, month_range: range, names: dict[str, str]) -> pd.DataFrame:
    """Funnel figures per (manager, month) and per month for the team, on a dense grid.

    Every figure is computed on one (key, month) grid whose last key is the team: counts by
    `np.bincount` of flat cell numbers, means and medians by one groupby on those numbers
    (the same pandas reductions over the same rows, so the same floats). A manager row exists
    where the manager has a lead, a win, a loss or an open deal; the team has every month.
    """
    if not len(deals) or not len(month_range):
        return _empty(FUNNEL_COLUMNS)
    # Key codes sorted like the keys.
    codes, keys = pd.factorize(deals["key"].to_numpy(dtype=object), sort=True)
    grid = _Grid(codes, len(keys), month_range)
    first, months = grid.first, grid.months
    everyone = np.ones(len(deals), dtype=bool)
    lead_at = deals["lead_mi"].to_numpy(dtype=np.int64) - first
    in_range = (lead_at >= 0) & (lead_at < months)
    won = deals["won"].to_numpy(dtype=bool)
    lost = deals["lost"].to_numpy(dtype=bool)
    close = deals["close_mi"].to_numpy(dtype="float64")
    close_at = np.where(won | lost, close, first).astype(np.int64) - first
    hours = deals["hours"].to_numpy(dtype="float64")
    with_hours = ~np.isnan(hours)
    open_all, open_hot, open_warm = (
        grid.open_at_month_end(deals, lead_at, in_range, subset)
        for subset in (
            everyone,
            deals["hot"].to_numpy(dtype=bool),
            deals["warm"].to_numpy(dtype=bool),
        )
    )
    leads = grid.count(lead_at, everyone)
    won_count = grid.count(close_at, won)
    lost_count = grid.count(close_at, lost)
    is_team = np.arange(grid.size) >= grid.team_code * months
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
            "first_contact_hours_median": grid.reduce(hours, lead_at, with_hours, "median")[shown],
            "first_contact_hours_mean": grid.reduce(hours, lead_at, with_hours, "mean")[shown],
            "touches_per_won": grid.reduce(touches, close_at, won, "mean")[shown],
            "cycle_days_mean": grid.reduce(cycle_days, close_at, won, "mean")[shown],
        },
        index=pd.MultiIndex.from_arrays(
            [key_labels[shown // months], first + shown % months], names=["key", "mi"]
        ),
    )
    return _finish(_rates(stats, open_warm[shown], deals), FUNNEL_COLUMNS, names)


def _rates(stats: pd.DataFrame, open_warm: np.ndarray, deals: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers, and the win rate and warm-to-hot share from them."""
    for column in _COUNT_COLUMNS:
        stats[column] = stats[column].astype("int64")
    closed = stats["won"] + stats["lost"]
    stats["win_rate"] = (stats["won"] / closed).where(closed > 0)
    warm_or_hot = open_warm + stats["open_hot"].to_numpy()
    stats["warm_to_hot"] = (stats["open_hot"] / warm_or_hot).where(warm_or_hot > 0)
    if not deals["rated"].any():  # no temperature anywhere: the hot count has no input
        stats["open_hot"] = np.nan
    return stats


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
    labels = {index: funnel_rows.month_label(index) for index in set(month_indexes.tolist())}
    frame["month"] = pd.Series([labels[index] for index in month_indexes], dtype=object)
    if keep_order:
        frame = frame.assign(_team=is_team, _manager=frame["manager"].fillna(""))
        frame = frame.sort_values(["month", "_team", "_manager", "manager_key"], kind="stable")
    return frame[list(columns)].reset_index(drop=True)
