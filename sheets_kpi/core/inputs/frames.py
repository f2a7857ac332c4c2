"""The validated frames (ARCHITECTURE.md "Frames"): their columns, dtypes and empty forms."""

from __future__ import annotations

import numpy as np
import pandas as pd

SALES_COLUMNS = (
    "row", "date", "month", "manager_key", "manager", "client_key", "client", "amount_kop",
    "margin_kop", "channel", "type", "paid", "id", "refund",
)  # fmt: skip
PLAN_COLUMNS = (
    "row", "month", "manager_key", "manager", "plan_revenue_kop", "plan_new_clients",
)  # fmt: skip
ROSTER_COLUMNS = (
    "row", "manager_key", "manager", "scheme", "salary_kop", "active",
    "effective", "until", "trial",
)  # fmt: skip
DEALS_COLUMNS = (
    "row", "lead_date", "month", "manager_key", "manager", "client", "channel",
    "first_contact", "touches", "temperature", "status", "close_date", "deal_amount_kop",
    "loss_reason", "loss_reason_key",
)  # fmt: skip
ACTIVITY_COLUMNS = (
    "row", "date", "month", "manager_key", "manager", "calls", "meetings", "presentations",
    "proposals",
)  # fmt: skip
ADJUSTMENTS_COLUMNS = (
    "row",
    "month",
    "manager_key",
    "manager",
    "amount_kop",
    "reason",
    "client",
    "id",
)
REJECTED_COLUMNS = ("tab", "row", "manager_key", "month")

SALES_DTYPES = {
    "row": "int64",
    "date": "datetime64[ns]",
    "amount_kop": "int64",
    "margin_kop": "Int64",
    "paid": "bool",
    "refund": "bool",
}

ROSTER_DTYPES = {
    "row": "int64",
    "salary_kop": "Int64",
    "active": "bool",
    "until": "datetime64[ns]",
}
PLAN_DTYPES = {"row": "int64", "plan_revenue_kop": "Int64", "plan_new_clients": "Int64"}
DEALS_DTYPES = {
    "row": "int64",
    "lead_date": "datetime64[ns]",
    "first_contact": "datetime64[ns]",
    "touches": "Int64",
    "close_date": "datetime64[ns]",
    "deal_amount_kop": "Int64",
}

ACTIVITY_DTYPES = {
    "row": "int64",
    "date": "datetime64[ns]",
    "calls": "Int64",
    "meetings": "Int64",
    "presentations": "Int64",
    "proposals": "Int64",
}

ADJUSTMENTS_DTYPES = {"row": "int64", "amount_kop": "int64"}


def build_frame(
    columns: tuple[str, ...], data: dict[str, object], dtypes: dict[str, str]
) -> pd.DataFrame:
    """A frame of `columns` from `data`, cast to `dtypes`, numbered from 0."""
    # copy=False: no consolidation of same-dtype columns into 2-D blocks (a copy of each)
    frame = pd.DataFrame({name: data[name] for name in columns}, copy=False)
    for name, dtype in dtypes.items():
        frame[name] = frame[name].astype(dtype)
    return frame.reset_index(drop=True)


def take_rows(values: object, keep: np.ndarray) -> object:
    """The `keep` rows of a column (Series or array), renumbered from 0."""
    if isinstance(values, pd.Series):
        return values[keep].reset_index(drop=True)
    return np.asarray(values)[keep]


def empty_sales() -> pd.DataFrame:
    """An `Inputs.sales` frame with no rows."""
    data = {name: pd.Series([], dtype=object) for name in SALES_COLUMNS}
    return build_frame(SALES_COLUMNS, data, SALES_DTYPES)


def empty_plan() -> pd.DataFrame:
    """An `Inputs.plan` frame with no rows."""
    data = {name: pd.Series([], dtype=object) for name in PLAN_COLUMNS}
    return build_frame(PLAN_COLUMNS, data, PLAN_DTYPES)


def empty_roster() -> pd.DataFrame:
    """An `Inputs.roster` frame with no rows (no roster)."""
    data = {name: pd.Series([], dtype=object) for name in ROSTER_COLUMNS}
    return build_frame(ROSTER_COLUMNS, data, ROSTER_DTYPES)


def active_in_roster(roster: pd.DataFrame | None) -> np.ndarray:
    """Per roster row, whether the manager is active (`Активен`; empty means yes)."""
    if roster is None or roster.empty:
        return np.zeros(0, dtype=bool)
    return roster["active"].astype("boolean").fillna(True).to_numpy(dtype=bool)


def inactive_managers(roster: pd.DataFrame | None) -> set[str]:
    """Keys of the managers marked `Активен = нет` in the roster."""
    if roster is None or roster.empty:
        return set()
    return set(roster.loc[~active_in_roster(roster), "manager_key"])
