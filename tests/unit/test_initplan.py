"""`init`'s input tab plans: headers, formats, drop-downs and example rows (SPEC §2, §10)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sheets_kpi.core.inputs import schema, validate
from sheets_kpi.core.model import RawTab, RawWorkbook
from sheets_kpi.core.output.initplan import DEFAULT_EXAMPLE_DATE, input_tab_inits
from sheets_kpi.core.output.sheetplan import InputTabInit
from sheets_kpi.core.settings import Config


def _by_key(plans: list[InputTabInit]) -> dict[str, InputTabInit]:
    return {plan.key: plan for plan in plans}


def _cell(plan: InputTabInit, tab: schema.InputTab, column_key: str) -> object:
    index = [column.key for column in tab.columns].index(column_key)
    return plan.example[index]


def test_six_input_tabs_in_spec_order_with_default_titles() -> None:
    plans = input_tab_inits(Config())
    assert [plan.title for plan in plans] == [
        "Продажи",
        "Сделки",
        "Активность",
        "План",
        "Мотивация",
        "Корректировки",
    ]
    assert [plan.key for plan in plans] == [
        "sales", "deals", "activity", "plan", "roster", "adjustments",
    ]  # fmt: skip
    # the archive's input tab (SPEC §14) is not init's: it comes with the first close
    assert "Закрытые месяцы" not in [plan.title for plan in plans]


def test_titles_follow_configured_tab_names() -> None:
    plans = _by_key(input_tab_inits(Config(tabs={"sales": "Оплаты"})))
    assert plans["sales"].title == "Оплаты"
    assert plans["plan"].title == "План"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_headers_are_the_schema_labels_and_match_back_to_their_keys(language: str) -> None:
    plans = _by_key(input_tab_inits(Config(language=language)))  # type: ignore[arg-type]
    for tab in schema.INPUT_TABS:
        plan = plans[tab.key]
        assert plan.headers == tuple(column.label(language) for column in tab.columns)  # type: ignore[arg-type]
        assert [schema.match_header(tab, header) for header in plan.headers] == [
            column.key for column in tab.columns
        ]
        width = len(plan.headers)
        assert len(plan.formats) == len(plan.example) == len(plan.column_widths) == width
        assert all(
            w >= len(header) for w, header in zip(plan.column_widths, plan.headers, strict=True)
        )


def test_english_titles_and_list_values() -> None:
    plans = _by_key(input_tab_inits(Config(language="en")))
    assert plans["roster"].title == "Compensation"
    assert plans["sales"].dropdowns == {
        6: ("inbound", "outbound"),
        7: ("new", "existing", "refund"),  # SPEC §14: a refund row
        8: ("yes", "no"),
    }
    assert plans["deals"].dropdowns[8] == ("open", "won", "lost")


def test_dropdowns_offer_the_russian_list_values() -> None:
    plans = _by_key(input_tab_inits(Config()))
    # Продажи: Канал is column 6, Тип 7, Оплачено 8
    assert plans["sales"].dropdowns == {
        6: ("входящий", "исходящий"),
        7: ("новый", "повторный", "возврат"),  # SPEC §14: a refund row
        8: ("да", "нет"),
    }
    # Сделки: Канал 4, Температура 7, Статус 8
    assert plans["deals"].dropdowns == {
        4: ("входящий", "исходящий"),
        7: ("холодный", "тёплый", "горячий"),
        8: ("в работе", "выиграна", "проиграна"),
    }
    assert plans["activity"].dropdowns == {}
    assert plans["plan"].dropdowns == {}
    # Мотивация: Схема 2, Активен 5, Пробная схема 8 (SPEC §15)
    assert plans["roster"].dropdowns == {
        2: ("уровни", "два шага", "маржа", "фикс"),
        5: ("да", "нет"),
        8: ("уровни", "два шага", "маржа", "фикс"),
    }


def test_every_dropdown_value_is_accepted_by_its_list() -> None:
    lists = {
        "channel": schema.CHANNELS,
        "type": schema.CLIENT_TYPES,
        "paid": schema.YES_NO,
        "active": schema.YES_NO,
        "temperature": schema.TEMPERATURES,
        "status": schema.STATUSES,
        "scheme": schema.SCHEMES,
        "trial": schema.SCHEMES,
    }
    for language in ("ru", "en"):
        plans = _by_key(input_tab_inits(Config(language=language)))  # type: ignore[arg-type]
        for tab in schema.INPUT_TABS:
            for column_index, values in plans[tab.key].dropdowns.items():
                column = tab.columns[column_index - 1]
                for value in values:
                    assert schema.lookup(lists[column.key], value) is not None, (tab.key, value)


def test_number_formats_of_dates_money_and_counts() -> None:
    plans = _by_key(input_tab_inits(Config()))
    assert plans["sales"].formats == ("date", None, None, "money", "money", None, None, None, None)
    assert plans["deals"].formats == (
        "date", None, None, None, "datetime", "integer", None, None, "date", "money", None,
    )  # fmt: skip
    assert plans["activity"].formats == ("date", None, "integer", "integer", "integer", "integer")
    assert plans["plan"].formats == (None, None, "money", "integer")
    # Мотивация: Оклад money; SPEC §15's Действует с (a month, text), Работает до (a date),
    # Пробная схема, Пробные параметры
    assert plans["roster"].formats == (None, None, None, "money", None, None, "date", None, None)
    # Корректировки: Месяц shown as a month, Сумма as money (a penalty shows as −5 000,00 ₽)
    assert plans["adjustments"].formats == ("month", None, "money", None, None, None)
    assert plans["adjustments"].dropdowns == {}  # no list column
    # Сумма (column 3) wants a number other than 0; no other column of any tab does
    assert plans["adjustments"].nonzero == {
        3: "Сумма не 0: премия — плюс (5 000), штраф — минус (-5 000)."
    }
    assert all(not plans[key].nonzero for key in ("sales", "deals", "activity", "plan", "roster"))


def test_example_rows_are_valid_by_hand() -> None:
    as_of = date(2026, 11, 22)
    plans = _by_key(input_tab_inits(Config(), as_of=as_of))
    sales, deals, activity, plan, roster = (
        plans[key] for key in ("sales", "deals", "activity", "plan", "roster")
    )
    manager = _cell(roster, schema.ROSTER, "manager")
    # one manager everywhere: the sales row names someone in the roster
    for tab, tab_plan in ((schema.SALES, sales), (schema.DEALS, deals), (schema.PLAN, plan)):
        assert schema.norm(str(_cell(tab_plan, tab, "manager"))) == schema.norm(str(manager))
    # every required column is filled
    for tab in schema.INPUT_TABS:
        for column in tab.columns:
            if column.required:
                assert _cell(plans[tab.key], tab, column.key) not in (None, ""), (tab.key, column)
    # Продажи: a real date not after as_of, amount > 0, 0 <= margin <= amount, list values
    assert _cell(sales, schema.SALES, "date") == as_of
    amount = _cell(sales, schema.SALES, "amount")
    margin = _cell(sales, schema.SALES, "margin")
    assert isinstance(amount, int) and isinstance(margin, int) and 0 <= margin <= amount
    assert schema.lookup(schema.CHANNELS, _cell(sales, schema.SALES, "channel")) == "inbound"
    assert schema.lookup(schema.CLIENT_TYPES, _cell(sales, schema.SALES, "type")) == "new"
    assert schema.lookup(schema.YES_NO, _cell(sales, schema.SALES, "paid")) is True
    # Сделки: lead <= first contact, lead <= close <= as_of, a won deal with a close date
    lead = _cell(deals, schema.DEALS, "lead_date")
    contact = _cell(deals, schema.DEALS, "first_contact")
    close = _cell(deals, schema.DEALS, "close_date")
    assert isinstance(lead, date) and isinstance(contact, datetime) and isinstance(close, date)
    assert datetime(lead.year, lead.month, lead.day) <= contact
    assert lead <= close <= as_of
    assert schema.lookup(schema.STATUSES, _cell(deals, schema.DEALS, "status")) == "won"
    assert schema.lookup(schema.TEMPERATURES, _cell(deals, schema.DEALS, "temperature")) == "hot"
    # Активность: non-negative integer counts
    counts = [
        _cell(activity, schema.ACTIVITY, key)
        for key in ("calls", "meetings", "presentations", "proposals")
    ]
    assert all(isinstance(count, int) and count >= 0 for count in counts)
    # План: the month of as_of, written YYYY-MM
    assert _cell(plan, schema.PLAN, "month") == "2026-11"
    # Мотивация: a known scheme, active
    assert schema.lookup(schema.SCHEMES, _cell(roster, schema.ROSTER, "scheme")) == "two_step"
    assert schema.lookup(schema.YES_NO, _cell(roster, schema.ROSTER, "active")) is True
    # Корректировки: a date inside the month of as_of (shown as 11.2026), a penalty (< 0)
    adjustment = plans["adjustments"]
    assert _cell(adjustment, schema.ADJUSTMENTS, "month") == date(2026, 11, 1)
    assert _cell(adjustment, schema.ADJUSTMENTS, "amount") == -5000


def test_example_rows_without_as_of_fall_on_a_fixed_past_date() -> None:
    plans = _by_key(input_tab_inits(Config()))
    assert _cell(plans["sales"], schema.SALES, "date") == DEFAULT_EXAMPLE_DATE
    assert _cell(plans["plan"], schema.PLAN, "month") == "2026-01"


def test_plans_are_the_same_on_every_call() -> None:
    assert input_tab_inits(Config(), as_of=date(2026, 3, 1)) == input_tab_inits(
        Config(), as_of=date(2026, 3, 1)
    )


def _example_book(config: Config, as_of: date | None, manager: str | None = None) -> RawWorkbook:
    """A workbook of the six init tabs, each holding its example row (with `manager` in place
    of the marked example manager when given)."""
    tabs = {}
    for plan in input_tab_inits(config, as_of=as_of):
        example = list(plan.example)
        if manager is not None:
            example = [
                manager if isinstance(cell, str) and cell.startswith(("Пример:", "Example:"))
                else cell
                for cell in example
            ]  # fmt: skip
        tabs[plan.title] = RawTab(plan.title, [list(plan.headers), example])
    return RawWorkbook(tuple(tabs), tabs)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("as_of", [None, date(2026, 11, 22)])
def test_example_rows_with_a_real_manager_pass_validation_without_a_single_problem(
    language: str, as_of: date | None
) -> None:
    # The examples show a valid format: with a real manager in place of «Пример: Анна
    # Смирнова», every row is data.
    config = Config(language=language)  # type: ignore[arg-type]
    run_date = as_of or date(2026, 11, 22)
    book = _example_book(config, as_of, manager="Борис Петров")
    inputs = validate.validate(book, config, run_date)
    assert inputs.problems == []
    # every example row is kept: one valid row in each tab
    assert len(inputs.sales) == len(inputs.plan) == len(inputs.roster) == 1
    assert inputs.deals is not None and len(inputs.deals) == 1
    assert inputs.activity is not None and len(inputs.activity) == 1
    assert inputs.adjustments is not None and len(inputs.adjustments) == 1


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("as_of", [None, date(2026, 11, 22)])
def test_example_rows_as_written_are_one_example_row_warning_each_and_no_data(
    language: str, as_of: date | None
) -> None:
    config = Config(language=language)  # type: ignore[arg-type]
    run_date = as_of or date(2026, 11, 22)
    inputs = validate.validate(_example_book(config, as_of), config, run_date)
    assert [(p.tab, p.row, p.code, p.severity) for p in inputs.problems] == [
        (config.tab_title(key), 2, "example_row", "warning")
        for key in ("sales", "deals", "activity", "plan", "roster", "adjustments")
    ]
    assert len(inputs.sales) == len(inputs.plan) == len(inputs.roster) == 0
    assert inputs.deals is not None and len(inputs.deals) == 0
    assert inputs.activity is not None and len(inputs.activity) == 0
    assert inputs.adjustments is not None and len(inputs.adjustments) == 0
