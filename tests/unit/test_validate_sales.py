"""The rules of «Продажи» (SPEC §3): every code firing and not firing, the sales frame's exact
shape."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from validate_tables import (
    ROSTER,
    SALES,
    codes,
    found,
    run,
    sale,
)

from sheets_kpi.core.inputs.schema import norm

# --- clean input --------------------------------------------------------------------------------


def test_clean_sales_rows_become_the_typed_sales_frame() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(
                "03.11.2026",
                "Иванова Анна",
                "ООО «Ромашка»",
                "100 000,50",
                40000,
                "входящий",
                "новый",
                "да",
                "A-1",
            ),
            sale(datetime(2026, 10, 5), "Петров", "Лютик", 2500.0, None, None, None, "нет"),
        ]
    )
    assert inputs.problems == [] and not inputs.fatal
    sales = inputs.sales
    assert list(sales.columns) == [
        "row", "date", "month", "manager_key", "manager", "client_key", "client", "amount_kop",
        "margin_kop", "channel", "type", "paid", "id", "refund",
    ]  # fmt: skip
    assert sales["refund"].tolist() == [False, False] and str(sales["refund"].dtype) == "bool"
    assert sales["row"].tolist() == [2, 3]
    assert str(sales["date"].dtype) == "datetime64[ns]"
    assert sales["date"].tolist() == [pd.Timestamp(2026, 11, 3), pd.Timestamp(2026, 10, 5)]
    assert sales["month"].tolist() == ["2026-11", "2026-10"]
    assert sales["manager_key"].tolist() == ["иванова анна", "петров"]
    assert sales["client"].tolist() == ["ООО «Ромашка»", "Лютик"]
    assert sales["client_key"].tolist() == [norm("ООО «Ромашка»"), "лютик"]
    # 100 000,50 ₽ = 10 000 050 kopecks; 2500 ₽ = 250 000 kopecks.
    assert str(sales["amount_kop"].dtype) == "int64"
    assert sales["amount_kop"].tolist() == [10_000_050, 250_000]
    assert str(sales["margin_kop"].dtype) == "Int64"
    assert sales["margin_kop"].tolist() == [4_000_000, pd.NA]
    assert sales["channel"].tolist() == ["inbound", None]
    assert sales["type"].tolist() == ["new", None]
    assert sales["paid"].tolist() == [True, False]
    assert str(sales["paid"].dtype) == "bool"
    assert sales["id"].tolist() == ["A-1", None]
    assert inputs.deals is None and inputs.activity is None
    assert inputs.plan.empty and inputs.roster.empty
    assert list(inputs.roster.columns) == [
        "row", "manager_key", "manager", "scheme", "salary_kop", "active",
        "effective", "until", "trial",  # SPEC §15
    ]  # fmt: skip
    assert inputs.rejected.empty
    assert inputs.tab_titles == {"sales": "Продажи"}
    assert inputs.column_index["sales"]["amount"] == 4


def test_empty_paid_cell_means_paid() -> None:
    assert run(sales=[SALES, sale(paid=None)]).sales["paid"].tolist() == [True]


# --- sales row codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["31.02.2026", "2026/11/03", "вчера", None, 60, True])
def test_bad_date_is_an_error(day: object) -> None:
    inputs = run(sales=[SALES, sale(day=day), sale(client="Лютик")])
    assert found(inputs) == [("Продажи", 2, "Дата", "bad_date")]
    assert inputs.sales["row"].tolist() == [3]


def test_future_date_fires_the_day_after_as_of_only() -> None:
    inputs = run(sales=[SALES, sale(day="22.11.2026"), sale(day="23.11.2026")])
    assert found(inputs) == [("Продажи", 3, "Дата", "future_date")]
    assert inputs.problems[0].value == "23.11.2026"
    assert "22.11.2026" in inputs.problems[0].message


def test_too_old_date_fires_before_2000_only() -> None:
    inputs = run(sales=[SALES, sale(day="01.01.2000"), sale(day="31.12.1999")])
    assert found(inputs) == [("Продажи", 3, "Дата", "too_old_date")]


def test_dates_are_shown_as_the_user_sees_them() -> None:
    # A serial number and a datetime cell both show as dd.mm.yyyy in the Ошибки tab.
    inputs = run(sales=[SALES, sale(day=46359), sale(day=datetime(2026, 12, 5))])
    assert [p.value for p in inputs.problems] == ["03.12.2026", "05.12.2026"]


def test_missing_manager_and_client() -> None:
    inputs = run(sales=[SALES, sale(manager="  "), sale(client=None)])
    assert found(inputs) == [
        ("Продажи", 2, "Менеджер", "missing_manager"),
        ("Продажи", 3, "Клиент", "missing_client"),
    ]
    assert inputs.problems[0].value is None


def test_unknown_manager_suggests_the_closest_roster_name() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(manager="Иванва Анна"),
            sale(manager="иванова  анна"),
            sale(manager="Зайцев"),
        ],
        roster=[
            ROSTER,
            ["Иванова Анна", None, None, None, None],
            ["Петров Олег", None, None, None, None],
        ],
    )
    assert found(inputs) == [
        ("Продажи", 2, "Менеджер", "unknown_manager"),
        ("Продажи", 4, "Менеджер", "unknown_manager"),
    ]
    assert "Возможно, имелся в виду «Иванова Анна»" in inputs.problems[0].message
    assert "Возможно" not in inputs.problems[1].message
    assert inputs.sales["manager"].tolist() == ["Иванова Анна"]  # the roster's display form


def test_unknown_manager_with_a_word_of_a_roster_name_is_pointed_to_it() -> None:
    # «Анна Смирнва» is spelt too unlike «Анна» for difflib (ratio 0.5), but shares its word.
    inputs = run(
        sales=[SALES, sale(manager="Анна Смирнва"), sale(manager="Ольга Зайцева")],
        roster=[
            ROSTER,
            ["Анна", None, None, None, None],
            ["Борис", None, None, None, None],
        ],
    )
    assert codes(inputs) == ["unknown_manager", "unknown_manager"]
    assert "Возможно, имелся в виду «Анна»." in inputs.problems[0].message
    assert "Возможно" not in inputs.problems[1].message


def test_no_roster_means_every_manager_is_known() -> None:
    inputs = run(sales=[SALES, sale(manager="Кто Угодно")], roster=[ROSTER])
    assert inputs.problems == [] and inputs.roster.empty


@pytest.mark.parametrize("amount", ["abc", None, "1.000.000", "100,505", True])
def test_bad_amount_is_an_error(amount: object) -> None:
    inputs = run(sales=[SALES, sale(amount=amount)])
    assert codes(inputs) == ["bad_amount"] and inputs.sales.empty


def test_a_whole_number_beyond_float_range_is_a_bad_amount_not_a_crash() -> None:
    # A hand-made xlsx can hold a 400-digit number, which openpyxl reads as a Python int.
    inputs = run(sales=[SALES, sale(amount=10**400), sale(amount=1000)])
    assert found(inputs) == [("Продажи", 2, "Сумма", "bad_amount")]
    assert inputs.sales["amount_kop"].tolist() == [100000]


@pytest.mark.parametrize("amount", [0, -5000, "-0", "-100 000"])
def test_nonpositive_amount_is_an_error(amount: object) -> None:
    inputs = run(sales=[SALES, sale(amount=amount)])
    assert codes(inputs) == ["nonpositive_amount"] and inputs.sales.empty


def test_an_amount_under_half_a_kopeck_is_nonpositive_and_the_message_says_why() -> None:
    # 0,004 ₽ rounds to 0 kopecks: above zero as typed, but not a payment in kopecks.
    inputs = run(sales=[SALES, sale(amount="0,004")])
    [problem] = inputs.problems
    assert problem.code == "nonpositive_amount" and "не меньше копейки (0,01)" in problem.message


def test_duplicate_id_rejects_the_later_row_and_keeps_the_earlier() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(row_id="A1"),
            sale(row_id="B2"),
            sale(row_id=" a1 "),
            sale(row_id=7.0),
            sale(row_id="7"),
        ]
    )
    assert found(inputs) == [
        ("Продажи", 4, "ID", "duplicate_id"),
        ("Продажи", 6, "ID", "duplicate_id"),
    ]
    assert "строке 2" in inputs.problems[0].message
    assert inputs.sales["id"].tolist() == ["A1", "B2", "7"]


def test_duplicate_id_of_a_rejected_row_says_that_neither_counts() -> None:
    inputs = run(sales=[SALES, sale(row_id="5", amount="abc"), sale(row_id="5")])
    assert found(inputs) == [
        ("Продажи", 2, "Сумма", "bad_amount"),
        ("Продажи", 3, "ID", "duplicate_id"),
    ]
    message = inputs.problems[1].message
    assert "строке 2" in message and "не учтена ни одна из двух" in message
    assert "учтена та строка" not in message
    assert inputs.sales.empty


def test_bad_or_negative_margin_is_a_warning_and_counts_as_missing() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(margin="много"),
            sale(client="Б", margin=-10),
            sale(client="В", margin=0),
        ]
    )
    assert found(inputs) == [
        ("Продажи", 2, "Маржа", "bad_margin"),
        ("Продажи", 3, "Маржа", "bad_margin"),
    ]
    assert {p.severity for p in inputs.problems} == {"warning"}
    assert inputs.sales["margin_kop"].tolist() == [pd.NA, pd.NA, 0]


def test_margin_above_amount_is_a_warning_and_the_row_stays() -> None:
    inputs = run(
        sales=[SALES, sale(amount=1000, margin=1000.01), sale(client="Б", amount=1000, margin=1000)]
    )
    assert found(inputs) == [("Продажи", 2, "Маржа", "margin_exceeds_amount")]
    assert "1 000,01" in inputs.problems[0].message
    assert inputs.sales["margin_kop"].tolist() == [100_001, 100_000]


def test_values_outside_their_list_are_warnings_and_count_as_empty() -> None:
    inputs = run(sales=[SALES, sale(channel="сарафан", kind="старый", paid="частично")])
    assert found(inputs) == [
        ("Продажи", 2, "Канал", "bad_value"),
        ("Продажи", 2, "Тип", "bad_value"),
        ("Продажи", 2, "Оплачено", "bad_value"),
    ]
    assert inputs.problems[0].value == "сарафан"
    row = inputs.sales.iloc[0]
    assert row["channel"] is None and row["type"] is None and bool(row["paid"]) is True


def test_possible_duplicate_needs_same_date_manager_client_amount_and_no_id() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(),
            sale(manager="ИВАНОВА АННА", client="«Ромашка»"),  # same identity → warned
            sale(amount=100001),  # another amount
            sale(day="04.11.2026"),  # another day
            sale(row_id="X1"),  # has an ID
            sale(),  # a third copy: warned, pointing at row 2
        ]
    )
    assert found(inputs) == [
        ("Продажи", 3, None, "possible_duplicate"),
        ("Продажи", 7, None, "possible_duplicate"),
    ]
    assert all("строки 2" in p.message for p in inputs.problems)
    assert len(inputs.sales) == 6  # a warning keeps the row


def test_rows_with_errors_are_not_possible_duplicates() -> None:
    inputs = run(sales=[SALES, sale(amount=0), sale(amount=0)])
    assert codes(inputs) == ["nonpositive_amount", "nonpositive_amount"]


def test_a_whole_number_beyond_float_range_in_a_date_cell_is_a_bad_date() -> None:
    inputs = run(sales=[SALES, sale(day=10**400), sale()])
    assert found(inputs) == [("Продажи", 2, "Дата", "bad_date")]
    assert len(inputs.sales) == 1
