"""Finding the input tabs and their columns (SPEC §2): titles, headers, missing, twice or
ambiguous tabs and columns."""

from __future__ import annotations

from validate_tables import (
    AS_OF,
    PLAN,
    SALES,
    codes,
    found,
    run,
    sale,
)

from sheets_kpi.core.inputs.validate import validate, wanted_tabs
from sheets_kpi.core.model import RawTab, RawWorkbook
from sheets_kpi.core.settings import Config

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
