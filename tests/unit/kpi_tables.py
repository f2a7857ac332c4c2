"""Small inline input tables for the KPI, leaderboard and alert tests.

`clients_of` derives the `Clients` frames (ARCHITECTURE.md) with plain Python from SPEC §4, so
these tests do not depend on core/clients.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd

from sheets_kpi.core.compute.clients import TABLE_COLUMNS
from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.model import BonusItem, Inputs, Problem
from sheets_kpi.core.settings import Scheme


def sale(
    day: str,
    manager: str,
    client: str,
    amount: float,
    *,
    margin: float | None = None,
    paid: bool = True,
    kind: str | None = None,
    channel: str | None = None,
) -> dict[str, object]:
    """One row of Продажи; amounts in roubles, `day` as `YYYY-MM-DD`."""
    return {
        "date": pd.Timestamp(day),
        "month": day[:7],
        "manager_key": norm(manager),
        "manager": manager,
        "client_key": norm(client),
        "client": client,
        "amount_kop": round(amount * 100),
        "margin_kop": None if margin is None else round(margin * 100),
        "channel": channel,
        "type": kind,
        "paid": paid,
        "id": None,
    }


def sales_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "date",
            "month",
            "manager_key",
            "manager",
            "client_key",
            "client",
            "amount_kop",
            "margin_kop",
            "channel",
            "type",
            "paid",
            "id",
        ],
    )
    frame.insert(0, "row", range(2, len(frame) + 2))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount_kop"] = frame["amount_kop"].astype("int64")
    frame["margin_kop"] = frame["margin_kop"].astype("Int64")
    frame["paid"] = frame["paid"].astype(bool)
    return frame


def plan_frame(rows: list[tuple[str, str | None, float | None, int | None]]) -> pd.DataFrame:
    """Rows of План: (month, manager or None for the team, revenue plan, new clients plan)."""
    frame = pd.DataFrame(
        {
            "row": list(range(2, len(rows) + 2)),
            "month": [month for month, _, _, _ in rows],
            "manager_key": [None if name is None else norm(name) for _, name, _, _ in rows],
            "manager": [name for _, name, _, _ in rows],
            "plan_revenue_kop": pd.array(
                [None if money is None else round(money * 100) for _, _, money, _ in rows],
                dtype="Int64",
            ),
            "plan_new_clients": pd.array([count for _, _, _, count in rows], dtype="Int64"),
        }
    )
    return frame


def roster_frame(
    rows: list[tuple[str, Scheme | None, float | None, bool]],
) -> pd.DataFrame:
    """Rows of Мотивация: (manager, scheme, salary roubles or None, active)."""
    return pd.DataFrame(
        {
            "row": list(range(2, len(rows) + 2)),
            "manager_key": [norm(name) for name, _, _, _ in rows],
            "manager": [name for name, _, _, _ in rows],
            "scheme": pd.Series([scheme for _, scheme, _, _ in rows], dtype=object),
            "salary_kop": pd.array(
                [None if money is None else round(money * 100) for _, _, money, _ in rows],
                dtype="Int64",
            ),
            "active": [active for _, _, _, active in rows],
        }
    )


def rejected_frame(rows: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    """Rejected input rows: (manager or None, month or None), all on Продажи."""
    return pd.DataFrame(
        {
            "tab": ["Продажи"] * len(rows),
            "row": list(range(2, len(rows) + 2)),
            "manager_key": [None if name is None else norm(name) for name, _ in rows],
            "month": [month for _, month in rows],
        }
    )


def make_inputs(
    sales: list[dict[str, object]],
    plan: list[tuple[str, str | None, float | None, int | None]] = (),
    roster: list[tuple[str, Scheme | None, float | None, bool]] = (),
    problems: list[Problem] = (),
    deals: pd.DataFrame | None = None,
    activity: pd.DataFrame | None = None,
) -> Inputs:
    return Inputs(
        sales=sales_frame(list(sales)),
        plan=plan_frame(list(plan)),
        roster=roster_frame(list(roster)),
        problems=list(problems),
        rejected=rejected_frame([]),
        deals=deals,
        activity=activity,
    )


def clients_of(sales: pd.DataFrame) -> SimpleNamespace:
    """The Clients frames of SPEC §4, computed row by row (a reference, not fast)."""
    paid = sales[sales["paid"]].reset_index(drop=True)
    seen: dict[str, list[str]] = {}
    indices = []
    for client_key, month in zip(paid["client_key"], paid["month"], strict=True):
        months_so_far = sorted(set(paid.loc[paid["client_key"] == client_key, "month"]))
        seen[client_key] = months_so_far
        indices.append(months_so_far.index(month) + 1)
    payments = paid.assign(month_index=indices)
    records = []
    for client_key, months_of_client in seen.items():
        rows = payments[payments["client_key"] == client_key].sort_values(["date", "row"])
        first = rows.iloc[0]
        month1 = rows[rows["month"] == months_of_client[0]]
        margins = month1["margin_kop"]
        records.append(
            {
                "client_key": client_key,
                "client": first["client"],
                "acquiring_manager_key": first["manager_key"],
                "acquiring_manager": first["manager"],
                "first_month": months_of_client[0],
                "first_row": int(first["row"]),
                "first_channel": first["channel"],
                "is_new": first["type"] != "existing",
                "month1_check_kop": int(month1["amount_kop"].sum()),
                "month1_margin_kop": pd.NA if margins.isna().any() else int(margins.sum()),
                "paying_months": len(months_of_client),
                "months": tuple(months_of_client),
                "last_payment_date": rows["date"].max(),
            }
        )
    table = pd.DataFrame(
        records,
        columns=list(TABLE_COLUMNS),  # the contract of clients.Clients.table
    )
    table["is_new"] = table["is_new"].astype(bool)
    table["month1_check_kop"] = table["month1_check_kop"].astype("int64")
    table["month1_margin_kop"] = table["month1_margin_kop"].astype("Int64")
    table["paying_months"] = table["paying_months"].astype("int64")
    return SimpleNamespace(payments=payments, table=table)


def bonus_item(manager: str, month: str, amount: str, client: str | None = "Клиент") -> BonusItem:
    return BonusItem(
        manager_key=norm(manager),
        manager=manager,
        month=month,
        client=client,
        scheme="tiers",
        step=1,
        basis=Decimal(0),
        rate=None,
        tier=None,
        amount=Decimal(amount),
        explain="",
    )


AS_OF = date(2026, 11, 10)
