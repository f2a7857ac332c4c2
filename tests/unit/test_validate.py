"""Validation of the five input tabs (SPEC §2, §3): every code firing and not firing, the frames'
exact shape, tab and header resolution, identity of names."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.inputs.validate import validate, wanted_tabs
from sheets_kpi.core.model import Inputs, RawTab, RawWorkbook
from sheets_kpi.core.settings import Config, TiersScheme, TwoStepScheme

AS_OF = date(2026, 11, 22)
SALES = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено", "ID"]
ROSTER = ["Менеджер", "Схема", "Параметры", "Оклад", "Активен"]
PLAN = ["Месяц", "Менеджер", "План выручки", "План новых клиентов"]
DEALS = [
    "Дата заявки",
    "Менеджер",
    "Клиент",
    "Канал",
    "Первый контакт",
    "Касаний",
    "Температура",
    "Статус",
    "Дата закрытия",
    "Сумма сделки",
    "Причина отказа",
]
ACTIVITY = ["Дата", "Менеджер", "Звонки", "Встречи", "Презентации", "КП"]


def sale(
    day: object = "03.11.2026",
    manager: object = "Иванова Анна",
    client: object = "Ромашка",
    amount: object = 100000,
    margin: object = None,
    channel: object = None,
    kind: object = None,
    paid: object = None,
    row_id: object = None,
) -> list[object]:
    return [day, manager, client, amount, margin, channel, kind, paid, row_id]


def deal(
    lead: object = "01.11.2026",
    manager: object = "Иванова Анна",
    client: object = "Ромашка",
    channel: object = None,
    contact: object = None,
    touches: object = None,
    temperature: object = None,
    status: object = None,
    close: object = None,
    amount: object = None,
    reason: object = None,
) -> list[object]:
    return [
        lead,
        manager,
        client,
        channel,
        contact,
        touches,
        temperature,
        status,
        close,
        amount,
        reason,
    ]


def run(config: Config | None = None, as_of: date = AS_OF, **tabs: list[list[object]]) -> Inputs:
    """Validate a workbook whose tabs are given as title=rows (header row first)."""
    titles = {"sales": "Продажи", "roster": "Мотивация", "plan": "План", "deals": "Сделки"}
    titles |= {"activity": "Активность"}
    named = {titles.get(key, key): rows for key, rows in tabs.items()}
    raw = RawWorkbook(
        titles=tuple(named), tabs={title: RawTab(title, rows) for title, rows in named.items()}
    )
    return validate(raw, config or Config(), as_of)


def found(inputs: Inputs) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.tab, p.row, p.column, p.code) for p in inputs.problems]


def codes(inputs: Inputs) -> list[str]:
    return [p.code for p in inputs.problems]


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
        "margin_kop", "channel", "type", "paid", "id",
    ]  # fmt: skip
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
    ]  # fmt: skip
    assert inputs.rejected.empty
    assert inputs.tab_titles == {"sales": "Продажи"}
    assert inputs.column_index["sales"]["amount"] == 4


def test_empty_paid_cell_means_paid() -> None:
    assert run(sales=[SALES, sale(paid=None)]).sales["paid"].tolist() == [True]


def test_empty_rows_are_skipped_silently_even_thousands_of_them() -> None:
    blank_rows: list[list[object]] = [[None] * 9 for _ in range(5000)]
    blank_rows[10] = ["", "  ", None, "\u00a0"]  # spaces only, a short ragged row
    inputs = run(sales=[SALES, sale(), *blank_rows, sale(client="Лютик")])
    assert inputs.problems == []
    assert inputs.sales["row"].tolist() == [2, 5003]  # sheet rows keep their numbers


def test_unknown_columns_are_ignored_even_in_otherwise_empty_rows() -> None:
    # A helper column filled down (e.g. a formula) does not turn empty rows into errors.
    inputs = run(sales=[[*SALES, "Заметка"], [*sale(), "ok"], [None] * 9 + ["=A2"]])
    assert inputs.problems == []
    assert len(inputs.sales) == 1


def test_rows_of_any_length_are_read_by_their_header() -> None:
    # Google drops trailing empty cells, and people type notes right of the last column.
    inputs = run(
        sales=[
            SALES,
            ["03.11.2026", "Иванова Анна", "Ромашка", 1000],
            [*sale(client="Астра", amount=2000, paid="нет"), "заметка", None, "ещё"],
            ["04.11.2026", "Иванова Анна"],
        ]
    )
    assert found(inputs) == [
        ("Продажи", 4, "Клиент", "missing_client"),
        ("Продажи", 4, "Сумма", "bad_amount"),
    ]
    assert inputs.sales["client"].tolist() == ["Ромашка", "Астра"]
    assert inputs.sales["amount_kop"].tolist() == [100000, 200000]
    assert inputs.sales["paid"].tolist() == [True, False]


# --- tabs and headers ---------------------------------------------------------------------------


def test_missing_sales_tab_is_fatal() -> None:
    inputs = run(plan=[PLAN])
    assert found(inputs) == [("Продажи", None, None, "missing_tab")]
    assert inputs.problems[0].severity == "error"
    assert inputs.fatal
    assert inputs.sales.empty and "amount_kop" in inputs.sales.columns


def test_tab_title_is_matched_after_normalising() -> None:
    raw = RawWorkbook(("продажи ",), {"продажи ": RawTab("продажи ", [SALES, sale()])})
    inputs = validate(raw, Config(), AS_OF)
    assert inputs.problems == [] and len(inputs.sales) == 1
    assert inputs.tab_titles["sales"] == "продажи "


def test_exact_title_wins_over_a_normalised_one() -> None:
    raw = RawWorkbook(
        ("ПРОДАЖИ", "Продажи"),
        {
            "ПРОДАЖИ": RawTab("ПРОДАЖИ", [SALES, sale(), sale()]),
            "Продажи": RawTab("Продажи", [SALES, sale(client="Лютик")]),
        },
    )
    inputs = validate(raw, Config(), AS_OF)
    assert inputs.tab_titles["sales"] == "Продажи"
    assert inputs.sales["client"].tolist() == ["Лютик"]


def test_several_normalised_matches_without_an_exact_one_are_an_error() -> None:
    raw = RawWorkbook(
        ("продажи", "ПРОДАЖИ "),
        {"продажи": RawTab("продажи", [SALES]), "ПРОДАЖИ ": RawTab("ПРОДАЖИ ", [SALES])},
    )
    inputs = validate(raw, Config(), AS_OF)
    assert codes(inputs) == ["missing_tab"] and inputs.fatal
    assert "«продажи»" in inputs.problems[0].message
    assert "«ПРОДАЖИ »" in inputs.problems[0].message


def test_configured_tab_title_is_used() -> None:
    config = Config(tabs={"sales": "Оплаты"})
    raw = RawWorkbook(("Оплаты",), {"Оплаты": RawTab("Оплаты", [SALES, sale()])})
    inputs = validate(raw, config, AS_OF)
    assert inputs.problems == [] and len(inputs.sales) == 1
    assert wanted_tabs(config)("оплаты") and wanted_tabs(config)("Продажи")


def test_english_tab_and_headers_are_accepted() -> None:
    header = ["Date", "Manager", "Client", "Amount", "Margin", "Channel", "Type", "Paid", "ID"]
    row = ["2026-11-03", "Ann", "Acme", 5000, 1000, "inbound", "existing", "no", None]
    raw = RawWorkbook(("Sales",), {"Sales": RawTab("Sales", [header, row])})
    inputs = validate(raw, Config(), AS_OF)
    assert inputs.problems == []
    assert inputs.sales[["channel", "type", "paid"]].values.tolist() == [
        ["inbound", "existing", False]
    ]


def test_wanted_tabs_accepts_input_tabs_only() -> None:
    wanted = wanted_tabs(Config())
    assert wanted("Продажи") and wanted(" сделки") and wanted("Compensation") and wanted("ПЛАН")
    assert not wanted("Сводка") and not wanted("Ошибки") and not wanted("Лист1")


def test_headers_ignore_case_spaces_yo_and_order() -> None:
    header = ["  сумма ", "КЛИЕНТ", "Manager", "дата", "Оплачено"]
    inputs = run(sales=[header, [5000, "Лютик", "Петров", "03.11.2026", "да"]])
    assert inputs.problems == []
    assert inputs.sales["amount_kop"].tolist() == [500_000]
    assert inputs.column_index["sales"] == {
        "amount": 1, "client": 2, "manager": 3, "date": 4, "paid": 5,
    }  # fmt: skip


def test_a_header_twice_is_a_tab_level_error_and_the_first_is_used() -> None:
    header = ["Дата", "Менеджер", "Клиент", "Сумма", "сумма"]
    inputs = run(sales=[header, ["03.11.2026", "Петров", "Лютик", 100, 999]])
    assert found(inputs) == [("Продажи", None, "сумма", "duplicate_column")]
    assert "D и E" in inputs.problems[0].message
    assert inputs.sales["amount_kop"].tolist() == [10_000]


def test_missing_required_column_on_sales_is_fatal() -> None:
    inputs = run(sales=[["Дата", "Менеджер", "Сумма"], ["03.11.2026", "Петров", 100]])
    assert found(inputs) == [("Продажи", None, "Клиент", "missing_column")]
    assert inputs.fatal and inputs.sales.empty


def test_missing_required_column_on_an_optional_tab_ignores_that_tab() -> None:
    inputs = run(
        sales=[SALES, sale()],
        deals=[["Дата заявки", "Менеджер"], ["01.11.2026", "Иванова Анна"]],
    )
    assert found(inputs) == [("Сделки", None, "Клиент", "missing_column")]
    assert "не учитывается" in inputs.problems[0].message
    assert not inputs.fatal and inputs.deals is None and len(inputs.sales) == 1


def test_an_empty_optional_tab_counts_as_absent() -> None:
    inputs = run(sales=[SALES, sale()], deals=[], activity=[[None, None]])
    assert inputs.problems == [] and inputs.deals is None and inputs.activity is None


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


# --- identity, rejected rows, order -------------------------------------------------------------


def test_display_names_are_the_first_seen_when_there_is_no_roster() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(manager="петров", client="«Лютик»"),
            sale(manager="Петров  ", client="ЛЮТИК"),
        ]
    )
    assert inputs.sales["manager"].tolist() == ["петров", "петров"]
    assert inputs.sales["client"].tolist() == ["«Лютик»", "«Лютик»"]
    assert inputs.sales["client_key"].tolist() == ["лютик", "лютик"]


def test_each_error_row_is_rejected_once_with_manager_and_month() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(day="05.12.2026", client=None, amount=0),  # three errors, one row
            sale(day="31.02.2026", manager=None),
            sale(margin="x"),  # a warning only: not rejected
        ]
    )
    rejected = inputs.rejected
    assert list(rejected.columns) == ["tab", "row", "manager_key", "month"]
    assert rejected.values.tolist() == [
        ["Продажи", 2, "иванова анна", "2026-12"],
        ["Продажи", 3, None, None],
    ]


def test_problems_are_sorted_by_tab_then_row_then_column() -> None:
    inputs = run(
        sales=[SALES, sale(amount="x"), sale(day="x", client=None)],
        plan=[PLAN, ["bad", None, None, None]],
        deals=[DEALS, deal(touches=-1)],
        roster=[ROSTER, ["Иванова Анна", "нечто", None, None, None]],
    )
    assert found(inputs) == [
        ("Продажи", 2, "Сумма", "bad_amount"),
        ("Продажи", 3, "Дата", "bad_date"),
        ("Продажи", 3, "Клиент", "missing_client"),
        ("Сделки", 2, "Касаний", "bad_count"),
        ("План", 2, "Месяц", "bad_setting"),
        ("Мотивация", 2, "Схема", "bad_setting"),
    ]


def test_messages_are_in_english_when_configured() -> None:
    inputs = run(Config(language="en"), sales=[SALES, sale(amount="abc"), sale(day="05.12.2026")])
    assert inputs.problems[0].message.startswith("Сумма: «abc» is not an amount")
    assert "is after the run date" in inputs.problems[1].message


# --- Мотивация ----------------------------------------------------------------------------------


def test_roster_rows_become_the_roster_frame() -> None:
    inputs = run(
        sales=[SALES, sale(manager="иванова анна")],
        roster=[
            ROSTER,
            ["Иванова Анна", "два шага", "10%; 5%; 3", "50 000", "да"],
            ["Петров", None, None, None, "нет"],
        ],
    )
    assert inputs.problems == []
    roster = inputs.roster
    assert roster["manager"].tolist() == ["Иванова Анна", "Петров"]
    assert roster["manager_key"].tolist() == ["иванова анна", "петров"]
    assert isinstance(roster["scheme"][0], TwoStepScheme)
    assert isinstance(roster["scheme"][1], TiersScheme)  # empty cell = the config's default
    assert roster["salary_kop"].tolist() == [5_000_000, pd.NA]
    assert roster["active"].tolist() == [True, False]
    assert inputs.sales["manager"].tolist() == ["Иванова Анна"]


def test_bad_scheme_is_a_bad_setting_naming_the_cell_and_the_manager_stays() -> None:
    inputs = run(
        sales=[SALES, sale(manager="Петров")],
        roster=[
            ROSTER,
            ["Иванова Анна", None, None, None, None],
            ["Петров", "премия", None, None, None],
        ],
    )
    assert found(inputs) == [("Мотивация", 3, "Схема", "bad_setting")]
    assert inputs.problems[0].message.startswith("Ячейка Мотивация!B3: ")
    assert inputs.roster["scheme"].tolist()[1] is None
    assert len(inputs.sales) == 1  # Петров's sale is still valid


def test_bad_parameters_name_the_parameters_cell() -> None:
    inputs = run(sales=[SALES], roster=[ROSTER, ["Петров", "уровни", "много", None, None]])
    assert found(inputs) == [("Мотивация", 2, "Параметры", "bad_setting")]
    assert "Мотивация!C2" in inputs.problems[0].message


def test_same_manager_twice_in_the_roster_rejects_the_later_row() -> None:
    inputs = run(
        sales=[SALES],
        roster=[ROSTER, ["Петров", None, None, 1000, None], ["ПЕТРОВ", "фикс", None, 2000, None]],
    )
    assert found(inputs) == [("Мотивация", 3, "Менеджер", "bad_setting")]
    assert "строке 2" in inputs.problems[0].message
    assert inputs.roster["salary_kop"].tolist() == [100_000]


def test_bad_salary_and_bad_active_flag() -> None:
    inputs = run(
        sales=[SALES],
        roster=[
            ROSTER,
            ["Петров", None, None, "много", "может"],
            ["Сидоров", None, None, -1, None],
        ],
    )
    assert found(inputs) == [
        ("Мотивация", 2, "Оклад", "bad_setting"),
        ("Мотивация", 2, "Активен", "bad_value"),
        ("Мотивация", 3, "Оклад", "bad_setting"),
    ]
    assert inputs.roster["salary_kop"].tolist() == [pd.NA, pd.NA]
    assert inputs.roster["active"].tolist() == [True, True]


# --- План ---------------------------------------------------------------------------------------


def test_plan_rows_become_the_plan_frame() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["ноябрь 2026", "Иванова Анна", "300 000", 3],
            ["11.2026", None, 900000, None],
            [date(2026, 12, 15), "иванова анна", None, 0],
        ],
    )
    assert inputs.problems == []
    plan = inputs.plan
    assert list(plan.columns) == [
        "row", "month", "manager_key", "manager", "plan_revenue_kop", "plan_new_clients",
    ]  # fmt: skip
    assert plan["month"].tolist() == ["2026-11", "2026-11", "2026-12"]
    assert plan["manager_key"].tolist() == ["иванова анна", None, "иванова анна"]
    assert plan["manager"].tolist() == ["Иванова Анна", None, "Иванова Анна"]
    assert plan["plan_revenue_kop"].tolist() == [30_000_000, 90_000_000, pd.NA]
    assert plan["plan_new_clients"].tolist() == [3, pd.NA, 0]


def test_bad_plan_cells_are_bad_settings_naming_the_cell() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["13.2026", "Петров", 1000, None],
            ["2026-11", "Петров", "много", None],
            ["2026-11", "Сидоров", 0, None],
            ["2026-11", "Сидоров", 1000, 2.5],
            [None, "Петров", 1000, None],
        ],
    )
    assert found(inputs) == [
        ("План", 2, "Месяц", "bad_setting"),
        ("План", 3, "План выручки", "bad_setting"),
        ("План", 4, "План выручки", "bad_setting"),
        ("План", 5, "План новых клиентов", "bad_setting"),
        ("План", 6, "Месяц", "bad_setting"),
    ]
    assert inputs.problems[0].message.startswith("Ячейка План!A2: ")
    assert inputs.plan.empty


def test_the_same_manager_and_month_twice_rejects_the_later_plan_row() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["2026-11", "Петров", 1000, None],
            ["ноябрь 2026", "петров", 2000, None],
            ["2026-11", None, 5000, None],
            ["2026-11", "", 6000, None],
        ],
    )
    assert found(inputs) == [
        ("План", 3, "Менеджер", "bad_setting"),
        ("План", 5, "Менеджер", "bad_setting"),
    ]
    assert "строке 2" in inputs.problems[0].message
    assert "всей команды" in inputs.problems[1].message
    assert inputs.plan["plan_revenue_kop"].tolist() == [100_000, 500_000]


def test_plan_for_someone_outside_the_roster_is_unknown_manager() -> None:
    inputs = run(
        sales=[SALES],
        plan=[PLAN, ["2026-11", "Петорв", 1000, None]],
        roster=[ROSTER, ["Петров", None, None, None, None]],
    )
    assert found(inputs) == [("План", 2, "Менеджер", "unknown_manager")]


# --- Сделки и Активность ------------------------------------------------------------------------


def test_deal_rows_become_the_deals_frame() -> None:
    inputs = run(
        sales=[SALES],
        deals=[
            DEALS,
            deal(
                "01.11.2026 10:00",
                contact="01.11.2026 12:30",
                touches=4,
                temperature="Тёплый",
                status="выиграна",
                close="05.11.2026",
                amount="150 000",
                channel="входящий",
            ),
            deal(
                "02.11.2026",
                client="Лютик",
                status="проиграна",
                close="03.11.2026",
                reason=" Дорого ",
            ),
            deal("03.11.2026", client="Астра", temperature="горячий"),
        ],
    )
    assert inputs.problems == []
    deals = inputs.deals
    assert deals is not None
    assert deals["lead_date"].tolist()[0] == pd.Timestamp(2026, 11, 1, 10, 0)
    assert deals["first_contact"].tolist()[0] == pd.Timestamp(2026, 11, 1, 12, 30)
    assert deals["month"].tolist() == ["2026-11"] * 3
    assert deals["status"].tolist() == ["won", "lost", "open"]  # empty status = open
    assert deals["temperature"].tolist() == ["warm", None, "hot"]
    assert deals["touches"].tolist() == [4, pd.NA, pd.NA]
    assert deals["deal_amount_kop"].tolist() == [15_000_000, pd.NA, pd.NA]
    assert deals["channel"].tolist() == ["inbound", None, None]
    assert deals["loss_reason"].tolist() == [None, "Дорого", None]
    assert deals["loss_reason_key"].tolist() == [None, "дорого", None]
    assert pd.isna(deals["close_date"][2])
    for column in ("lead_date", "first_contact", "close_date"):
        assert str(deals[column].dtype) == "datetime64[ns]"


def test_deal_date_checks() -> None:
    inputs = run(
        sales=[SALES],
        deals=[
            DEALS,
            deal("05.11.2026", status="выиграна", close="04.11.2026"),
            deal("05.11.2026 10:00", contact="05.11.2026 09:59"),
            deal("05.11.2026", status="проиграна", reason="Дорого"),
            deal("05.11.2026", status="выиграна", close="05.11.2026"),  # same day: fine
            deal("05.11.2026", contact="05.11.2026 00:00"),  # no time = 00:00: fine
            deal("30.11.2026"),
        ],
    )
    assert found(inputs) == [
        ("Сделки", 2, "Дата закрытия", "close_before_lead"),
        ("Сделки", 3, "Первый контакт", "contact_before_lead"),
        ("Сделки", 4, "Дата закрытия", "missing_close_date"),
        ("Сделки", 7, "Дата заявки", "future_date"),
    ]
    assert inputs.deals is not None and inputs.deals["row"].tolist() == [5, 6]


def test_lost_without_reason_is_a_warning() -> None:
    inputs = run(sales=[SALES], deals=[DEALS, deal(status="проиграна", close="02.11.2026")])
    assert found(inputs) == [("Сделки", 2, "Причина отказа", "missing_loss_reason")]
    assert inputs.problems[0].severity == "warning"
    assert inputs.deals is not None and len(inputs.deals) == 1


def test_open_deal_with_a_close_date_keeps_open_and_ignores_the_date() -> None:
    inputs = run(sales=[SALES], deals=[DEALS, deal(status="в работе", close="02.11.2026")])
    assert found(inputs) == [("Сделки", 2, "Дата закрытия", "bad_value")]
    assert inputs.deals is not None
    assert inputs.deals["status"].tolist() == ["open"]
    assert pd.isna(inputs.deals["close_date"][0])


def test_deal_counts_amounts_and_lists() -> None:
    inputs = run(
        sales=[SALES],
        deals=[
            DEALS,
            deal(touches=2.5),
            deal(touches="пять"),
            deal(amount="много"),
            deal(amount=-1),
            deal(status="отложена", temperature="ледяной"),
            deal(manager=None, client=None),
        ],
    )
    assert found(inputs) == [
        ("Сделки", 2, "Касаний", "bad_count"),
        ("Сделки", 3, "Касаний", "bad_count"),
        ("Сделки", 4, "Сумма сделки", "bad_amount"),
        ("Сделки", 5, "Сумма сделки", "nonpositive_amount"),
        ("Сделки", 6, "Температура", "bad_value"),
        ("Сделки", 6, "Статус", "bad_value"),
        ("Сделки", 7, "Менеджер", "missing_manager"),
        ("Сделки", 7, "Клиент", "missing_client"),
    ]
    assert inputs.deals is not None and inputs.deals["status"].tolist() == ["open"]


def test_a_value_outside_a_list_is_answered_with_the_list_as_the_drop_down_spells_it() -> None:
    inputs = run(sales=[SALES], deals=[DEALS, deal(temperature="тепло")])
    [problem] = inputs.problems
    assert (problem.code, problem.severity) == ("bad_value", "warning")
    assert "Выберите «холодный» или «тёплый» или «горячий»." in problem.message


def test_deal_client_of_spaces_or_quotes_only_is_missing_and_others_are_kept_as_written() -> None:
    inputs = run(
        sales=[SALES],
        deals=[
            DEALS,
            deal(client=" «Альфа»  ООО "),
            deal(client=" \u00a0«» "),
            deal(client=1001),
            deal(client="\t"),
        ],
    )
    assert found(inputs) == [
        ("Сделки", 3, "Клиент", "missing_client"),
        ("Сделки", 5, "Клиент", "missing_client"),
    ]
    assert inputs.deals is not None
    assert inputs.deals["row"].tolist() == [2, 4]
    assert inputs.deals["client"].tolist() == [" «Альфа»  ООО ", 1001]


def test_activity_rows_and_bad_counts() -> None:
    inputs = run(
        sales=[SALES],
        activity=[
            ACTIVITY,
            ["02.11.2026", "Петров", 10, 2, None, "1"],
            ["03.11.2026", "Петров", -1, 2.5, "три", None],
            ["33.11.2026", "Петров", 1, 1, 1, 1],
        ],
    )
    assert found(inputs) == [
        ("Активность", 3, "Звонки", "bad_count"),
        ("Активность", 3, "Встречи", "bad_count"),
        ("Активность", 3, "Презентации", "bad_count"),
        ("Активность", 4, "Дата", "bad_date"),
    ]
    activity = inputs.activity
    assert activity is not None
    assert activity[["calls", "meetings", "presentations", "proposals"]].values.tolist() == [
        [10, 2, pd.NA, 1]
    ]
    assert str(activity["calls"].dtype) == "Int64"
    assert activity["month"].tolist() == ["2026-11"]


def test_bad_count_message_quotes_a_whole_number_as_typed() -> None:
    # A column of numbers is read as floats; the message must still say «-2», not «-2.0».
    inputs = run(
        sales=[SALES],
        activity=[ACTIVITY, ["02.11.2026", "Петров", -2, 1, 0, 0]],
    )
    (problem,) = [p for p in inputs.problems if p.code == "bad_count"]
    assert (problem.row, problem.column, problem.value) == (2, "Звонки", "-2")
    assert "«-2» — не целое неотрицательное число" in problem.message
    assert "-2.0" not in problem.message


@pytest.mark.parametrize(
    "calls", [10**20, 10**400, 1e300, "100000000000000000000", "9" * 5000, " ".join(["999"] * 1500)]
)
def test_a_count_too_big_for_any_counter_is_a_bad_count_not_a_crash(calls: object) -> None:
    # 10**400 is beyond the float range, 10**20 beyond int64; openpyxl reads a long number
    # in a hand-made xlsx as a Python int.
    inputs = run(
        sales=[SALES],
        activity=[
            ACTIVITY,
            ["02.11.2026", "Петров", calls, 1, 0, 0],
            ["03.11.2026", "Петров", 10**9, 1, 0, 0],  # the largest count taken
        ],
    )
    (problem,) = inputs.problems
    assert (problem.row, problem.column, problem.code) == (2, "Звонки", "bad_count")
    assert "слишком большое число" in problem.message
    assert inputs.activity is not None
    assert inputs.activity["calls"].tolist() == [10**9]


def test_a_huge_float_is_quoted_as_python_writes_it_not_as_301_digits() -> None:
    inputs = run(sales=[SALES], activity=[ACTIVITY, ["02.11.2026", "Петров", 1e300, 1, 0, 0]])
    (problem,) = inputs.problems
    assert problem.value == "1e+300"
    assert "«1e+300»" in problem.message


def test_a_whole_number_beyond_float_range_in_a_date_cell_is_a_bad_date() -> None:
    inputs = run(sales=[SALES, sale(day=10**400), sale()])
    assert found(inputs) == [("Продажи", 2, "Дата", "bad_date")]
    assert len(inputs.sales) == 1


def test_ambiguous_optional_tab_is_an_error_but_not_fatal() -> None:
    raw = RawWorkbook(
        ("Продажи", "план", "ПЛАН "),
        {
            "Продажи": RawTab("Продажи", [SALES, sale()]),
            "план": RawTab("план", [PLAN]),
            "ПЛАН ": RawTab("ПЛАН ", [PLAN]),
        },
    )
    inputs = validate(raw, Config(), AS_OF)
    assert found(inputs) == [("План", None, None, "missing_tab")]
    assert not inputs.fatal and len(inputs.sales) == 1 and inputs.plan.empty


def test_error_rows_of_settings_tabs_are_reported_but_not_charged_to_a_manager() -> None:
    # A bad plan cell or a repeated roster row is the owner's mistake: it is in Ошибки, but
    # the leaderboard's "rows rejected" counts only what managers log (SPEC §8).
    inputs = run(
        sales=[SALES, sale(day="33.11.2026", manager="Петров")],
        plan=[PLAN, ["2026-11", "Петров", "много", None]],
        roster=[ROSTER, ["Петров", None, None, None, None], ["Петров", None, None, None, None]],
    )
    assert [(p.tab, p.row, p.code) for p in inputs.problems if p.severity == "error"] == [
        ("Продажи", 2, "bad_date"),
        ("План", 2, "bad_setting"),
        ("Мотивация", 3, "bad_setting"),
    ]
    assert inputs.rejected.values.tolist() == [["Продажи", 2, "петров", None]]
