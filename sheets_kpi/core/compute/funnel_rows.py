"""The `Сделки` and `Активность` rows as the funnel figures read them (SPEC §6): one row per
deal or activity row dated through `as_of`, with its group key, month indexes (year × 12 +
month − 1) and per-deal measures; and the months the figures cover."""

from __future__ import annotations

import numpy as np
import pandas as pd

ACTIVITY_COUNTS = ("calls", "meetings", "presentations", "proposals")


def month_index(stamp: pd.Timestamp) -> int:
    """Months since year 0 (year × 12 + month − 1): integer month arithmetic, fast to group."""
    return stamp.year * 12 + stamp.month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def prepare_deals(deals: pd.DataFrame, as_of_day: pd.Timestamp) -> pd.DataFrame:
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
    """`month_index` of each moment as float64 (NaN for NaT). Naive datetimes (what `Inputs`
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


def prepare_activity(activity: pd.DataFrame, as_of_day: pd.Timestamp) -> pd.DataFrame:
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


def covered_months(
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


def display_names(deals: pd.DataFrame | None, activity: pd.DataFrame | None) -> dict[str, str]:
    """manager_key → display name, the first seen in sheet order (deals first, then activity)."""
    names: dict[str, str] = {}
    for frame in (deals, activity):
        if frame is None or "manager" not in frame.columns:
            continue
        firsts = frame.drop_duplicates("key")
        for key, name in zip(firsts["key"], firsts["manager"], strict=True):
            names.setdefault(key, name)
    return names
