"""Clients and their paying months (SPEC §4), on small hand-made sales logs."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.compute.clients import TABLE_COLUMNS, analyse
from sheets_kpi.core.inputs.schema import display, norm


def sales_frame(*rows: dict) -> pd.DataFrame:
    """An `Inputs.sales` frame; each row gives date, manager, client, amount (kopecks) and
    optionally margin (kopecks), channel, type, paid, row."""
    records = []
    for position, row in enumerate(rows):
        day = date.fromisoformat(row["date"])
        records.append(
            {
                "row": row.get("row", position + 2),
                "date": pd.Timestamp(day),
                "month": f"{day.year:04d}-{day.month:02d}",
                "manager_key": norm(row["manager"]),
                "manager": display(row["manager"]),
                "client_key": norm(row["client"]),
                "client": display(row["client"]),
                "amount_kop": row["amount"],
                "margin_kop": row.get("margin"),
                "channel": row.get("channel"),
                "type": row.get("type"),
                "paid": row.get("paid", True),
                "id": None,
            }
        )
    frame = pd.DataFrame(records)
    frame["amount_kop"] = frame["amount_kop"].astype("int64")
    frame["margin_kop"] = frame["margin_kop"].astype("Int64")
    frame["paid"] = frame["paid"].astype(bool)
    return frame


def client_row(table: pd.DataFrame, client_key: str) -> pd.Series:
    return table.set_index("client_key").loc[client_key]


def test_gaps_between_paying_months_do_not_count() -> None:
    # Jan, Mar, Apr, Jul → months 1, 2, 3, 4; the 4th paying month is July.
    sales = sales_frame(
        {"date": "2026-01-15", "manager": "Анна", "client": "Ромашка", "amount": 100},
        {"date": "2026-03-15", "manager": "Анна", "client": "Ромашка", "amount": 100},
        {"date": "2026-04-15", "manager": "Анна", "client": "Ромашка", "amount": 100},
        {"date": "2026-07-15", "manager": "Анна", "client": "Ромашка", "amount": 100},
    )
    clients = analyse(sales)
    assert clients.payments["month_index"].tolist() == [1, 2, 3, 4]
    row = client_row(clients.table, "ромашка")
    assert row["months"] == ("2026-01", "2026-03", "2026-04", "2026-07")
    assert row["paying_months"] == 4
    assert row["last_payment_date"] == pd.Timestamp("2026-07-15")


def test_two_payments_in_month_one_make_one_check() -> None:
    # 100 000,00 + 62 000,50 in January = 162 000,50 → 16 200 050 kopecks; March is month 2.
    sales = sales_frame(
        {"date": "2026-01-10", "manager": "Анна", "client": "Ромашка", "amount": 10_000_000},
        {"date": "2026-01-25", "manager": "Анна", "client": "Ромашка", "amount": 6_200_050},
        {"date": "2026-03-01", "manager": "Анна", "client": "Ромашка", "amount": 999},
    )
    clients = analyse(sales)
    assert clients.payments["month_index"].tolist() == [1, 1, 2]
    assert client_row(clients.table, "ромашка")["month1_check_kop"] == 16_200_050


def test_month_one_check_counts_payments_logged_by_another_manager() -> None:
    # Anna's 100 on Jan 5 is the earliest; Boris's 50 on Jan 20 is still month 1 → check 150.
    sales = sales_frame(
        {"date": "2026-01-20", "manager": "Борис", "client": "Ромашка", "amount": 50},
        {"date": "2026-01-05", "manager": "Анна", "client": "Ромашка", "amount": 100},
    )
    row = client_row(analyse(sales).table, "ромашка")
    assert row["acquiring_manager_key"] == "анна"
    assert row["acquiring_manager"] == "Анна"
    assert row["first_row"] == 3
    assert row["month1_check_kop"] == 150


def test_tie_on_the_earliest_date_goes_to_the_upper_row() -> None:
    # Rows 2 and 3 share the earliest date: row 2 (Борис) is upper, so Борис acquired it.
    sales = sales_frame(
        {"date": "2026-02-01", "manager": "Борис", "client": "Ромашка", "amount": 10},
        {"date": "2026-02-01", "manager": "Анна", "client": "Ромашка", "amount": 20},
    )
    row = client_row(analyse(sales).table, "ромашка")
    assert row["acquiring_manager_key"] == "борис"
    assert row["first_row"] == 2


def test_existing_on_the_earliest_row_makes_the_client_not_new() -> None:
    sales = sales_frame(
        {
            "date": "2026-01-05",
            "manager": "Анна",
            "client": "Старый",
            "amount": 10,
            "type": "existing",
        },
        {"date": "2026-02-05", "manager": "Анна", "client": "Старый", "amount": 10, "type": "new"},
        {"date": "2026-01-06", "manager": "Анна", "client": "Новый", "amount": 10, "type": "new"},
        {"date": "2026-01-07", "manager": "Анна", "client": "Обычный", "amount": 10},
    )
    table = analyse(sales).table.set_index("client_key")
    assert table.loc["старый", "is_new"] == False  # noqa: E712 - numpy bool
    assert table.loc["новый", "is_new"] == True  # noqa: E712
    assert table.loc["обычный", "is_new"] == True  # noqa: E712


def test_existing_on_a_later_row_does_not_change_a_new_client() -> None:
    sales = sales_frame(
        {"date": "2026-01-05", "manager": "Анна", "client": "Ромашка", "amount": 10},
        {
            "date": "2026-02-05",
            "manager": "Анна",
            "client": "Ромашка",
            "amount": 10,
            "type": "existing",
        },
    )
    assert bool(client_row(analyse(sales).table, "ромашка")["is_new"]) is True


def test_unpaid_rows_are_not_payments_and_not_paying_months() -> None:
    # The unpaid January invoice by Борис is ignored: month 1 is March, acquired by Анна.
    sales = sales_frame(
        {
            "date": "2026-01-05",
            "manager": "Борис",
            "client": "Ромашка",
            "amount": 500,
            "paid": False,
        },
        {"date": "2026-03-05", "manager": "Анна", "client": "Ромашка", "amount": 70},
        {"date": "2026-04-05", "manager": "Анна", "client": "Ромашка", "amount": 80, "paid": False},
    )
    clients = analyse(sales)
    assert clients.payments["row"].tolist() == [3]
    row = client_row(clients.table, "ромашка")
    assert row["acquiring_manager_key"] == "анна"
    assert row["first_month"] == "2026-03"
    assert row["month1_check_kop"] == 70
    assert row["paying_months"] == 1


def test_month_one_margin_is_missing_when_any_month_one_payment_lacks_it() -> None:
    # Ромашка: margins 30 + 40 = 70 (the February margin-less payment is month 2, irrelevant).
    # Лютик: one January payment has no margin → <NA>.
    sales = sales_frame(
        {"date": "2026-01-05", "manager": "Анна", "client": "Ромашка", "amount": 100, "margin": 30},
        {"date": "2026-01-06", "manager": "Анна", "client": "Ромашка", "amount": 100, "margin": 40},
        {"date": "2026-02-06", "manager": "Анна", "client": "Ромашка", "amount": 100},
        {"date": "2026-01-05", "manager": "Анна", "client": "Лютик", "amount": 100, "margin": 30},
        {"date": "2026-01-09", "manager": "Анна", "client": "Лютик", "amount": 100},
    )
    table = analyse(sales).table.set_index("client_key")
    assert table.loc["ромашка", "month1_margin_kop"] == 70
    assert pd.isna(table.loc["лютик", "month1_margin_kop"])


def test_client_identity_ignores_case_and_quotes_display_is_first_seen() -> None:
    sales = sales_frame(
        {"date": "2026-01-05", "manager": "Анна", "client": "ООО «Ромашка»", "amount": 10},
        {"date": "2026-01-04", "manager": "Анна", "client": "ооо «ромашка»", "amount": 20},
    )
    table = analyse(sales).table
    assert len(table) == 1
    assert table.loc[0, "client"] == "ООО «Ромашка»"
    assert table.loc[0, "first_row"] == 3
    assert table.loc[0, "first_channel"] is None


def test_payments_keep_sheet_order_and_table_follows_first_rows() -> None:
    sales = sales_frame(
        {
            "date": "2026-02-05",
            "manager": "Анна",
            "client": "Б",
            "amount": 10,
            "channel": "inbound",
        },
        {"date": "2026-01-05", "manager": "Анна", "client": "А", "amount": 10},
        {
            "date": "2026-01-05",
            "manager": "Анна",
            "client": "Б",
            "amount": 10,
            "channel": "outbound",
        },
    )
    clients = analyse(sales)
    assert clients.payments["row"].tolist() == [2, 3, 4]
    assert clients.payments["month_index"].tolist() == [2, 1, 1]
    # А's earliest row is 3, Б's is 4 (its January payment), with channel outbound.
    assert clients.table["client_key"].tolist() == ["а", "б"]
    assert clients.table["first_channel"].tolist() == [None, "outbound"]


def test_no_paid_rows_give_an_empty_table_with_all_columns() -> None:
    sales = sales_frame(
        {"date": "2026-01-05", "manager": "Анна", "client": "А", "amount": 10, "paid": False},
    )
    clients = analyse(sales)
    assert clients.payments.empty
    assert "month_index" in clients.payments.columns
    assert clients.table.empty
    assert tuple(clients.table.columns) == TABLE_COLUMNS


payment = st.tuples(
    st.integers(0, 2),  # client
    st.integers(0, 2),  # manager
    st.dates(date(2025, 1, 1), date(2026, 12, 31)),
    st.integers(1, 10**9),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(payment, min_size=1, max_size=25))
def test_month_index_and_check_match_a_plain_recount(payments: list) -> None:
    sales = sales_frame(
        *(
            {
                "date": day.isoformat(),
                "manager": f"m{manager}",
                "client": f"c{client}",
                "amount": amount,
            }
            for client, manager, day, amount in payments
        )
    )
    clients = analyse(sales)
    for client_key, group in sales.groupby("client_key"):
        months = sorted(set(group["month"]))
        row = client_row(clients.table, client_key)
        assert row["months"] == tuple(months)
        assert row["month1_check_kop"] == group.loc[group["month"] == months[0], "amount_kop"].sum()
        earliest = group.sort_values(["date", "row"]).iloc[0]
        assert row["acquiring_manager_key"] == earliest["manager_key"]
    expected_index = [
        sorted(set(sales.loc[sales["client_key"] == key, "month"])).index(month) + 1
        for key, month in zip(sales["client_key"], sales["month"], strict=True)
    ]
    assert clients.payments["month_index"].tolist() == expected_index
