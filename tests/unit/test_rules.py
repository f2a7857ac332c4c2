"""Validation rules as named units (core/inputs/rules.py): declared once, applied by `Check`."""

from __future__ import annotations

import string
from datetime import date

import numpy as np
import pytest

from sheets_kpi.core.inputs import columns, schema, validate
from sheets_kpi.core.inputs.checks import Check, Context
from sheets_kpi.core.inputs.rules import RULES, Found, Rule, declare
from sheets_kpi.core.settings import Config

AS_OF = date(2026, 11, 22)
SALES = ["Дата", "Менеджер", "Клиент", "Сумма"]

# SPEC §3: every problem code and its severity.
CODES = {
    "missing_tab": "error",
    "missing_column": "error",
    "duplicate_column": "error",
    "bad_date": "error",
    "future_date": "error",
    "too_old_date": "error",
    "missing_manager": "error",
    "unknown_manager": "error",
    "missing_client": "error",
    "bad_amount": "error",
    "nonpositive_amount": "error",
    "duplicate_id": "error",
    "bad_margin": "warning",
    "margin_exceeds_amount": "warning",
    "bad_value": "warning",
    "possible_duplicate": "warning",
    "bad_setting": "error",
    "close_before_lead": "error",
    "missing_close_date": "error",
    "missing_loss_reason": "warning",
    "contact_before_lead": "error",
    "bad_count": "error",
    # Not in SPEC §3: issue 20 adds it (an example row of `init`, set aside).
    "example_row": "warning",
    # SPEC §14 (issue 17): refunds.
    "refund_without_payment": "error",
    "refund_exceeds_payments": "warning",
    # SPEC §14 (issue 17), `Корректировки`: an amount of zero, an empty reason.
    "zero_amount": "error",
    "missing_reason": "error",
    # SPEC §15 (issue 18): a `Работает до` before the manager's own payments.
    "until_before_payments": "warning",
}


def sales_check(*rows: list[object]) -> Check:
    context = Context(Config(), AS_OF, "ru")
    return Check(context, schema.SALES, "Продажи", [SALES, *rows]).load()


def big_amount(check: Check, amounts: columns.ParsedColumn, limit_kop: int) -> Found:
    """A test rule: an amount above `limit_kop`; its message names the limit in roubles."""
    above = (amounts.values.fillna(0) > limit_kop).to_numpy()
    return Found(above, fields=lambda position: {"other": limit_kop // 100})


def test_a_rule_is_one_function_that_returns_the_rows_it_flags() -> None:
    rule = Rule(
        "big_amount",
        "big_amount",
        "warning",
        ("{column}: {value} ₽ — больше {other} ₽.", "{column}: {value} is above {other}."),
        tab="sales",
        column="amount",
        find=big_amount,
    )
    check = sales_check(
        ["03.11.2026", "Анна", "Ромашка", 500],
        ["03.11.2026", "Анна", "Ромашка", 20000],  # 2 000 000 kopecks > 1 000 000: flagged
    )
    amounts = columns.money_column(check.column("amount"))
    flagged = check.apply(rule, amounts, 1_000_000)
    assert flagged.tolist() == [False, True]
    [(_, problem)] = check.ctx.problems
    assert (problem.tab, problem.row, problem.column, problem.value) == (
        "Продажи",
        3,
        "Сумма",
        "20000",
    )
    assert (problem.code, problem.severity) == ("big_amount", "warning")
    assert problem.message == "Сумма: 20000 ₽ — больше 10000 ₽."
    assert not check.errors.any()  # a warning keeps the row


def test_an_error_rule_rejects_the_rows_it_flags() -> None:
    rule = Rule("no_anna", "no_anna", "error", ("Не Анна.", "Not Anna."), column="manager",
                find=lambda check: np.array([True, False]))  # fmt: skip
    check = sales_check(
        ["03.11.2026", "Анна", "Ромашка", 500], ["03.11.2026", "Борис", "Ромашка", 500]
    )
    check.apply(rule)
    assert check.errors.tolist() == [True, False]
    assert [problem.value for _, problem in check.ctx.problems] == ["Анна"]


def test_rule_names_are_unique_and_a_code_keeps_one_severity() -> None:
    before = dict(RULES)
    with pytest.raises(ValueError, match="two rules named 'bad_date'"):
        declare(Rule("bad_date", "bad_date", "error", ("", "")))
    with pytest.raises(ValueError, match="'bad_value' is both warning and error"):
        declare(Rule("bad_value_as_error", "bad_value", "error", ("", "")))
    assert RULES == before


def test_the_declared_rules_report_exactly_the_spec_codes_and_severities() -> None:
    assert validate.validate  # importing validate declares every rule
    assert {rule.code: rule.severity for rule in RULES.values()} == CODES


def test_every_rule_says_the_same_fields_in_russian_and_english() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for rule in RULES.values():
        russian, english = rule.message
        assert fields(russian) == fields(english), rule.name
        assert russian != english or russian.startswith(("{column}: {hint}", "Ячейка")), rule.name
