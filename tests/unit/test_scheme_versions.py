"""SPEC §15 through `validate` and `run.compute`: scheme versions (`Действует с`), leavers
(`Работает до`, `after_leaving`) and the trial scheme — one test per sentence, the amounts
worked by hand in the comments. as_of is 2026-11-22 throughout."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from validate_tables import AS_OF, SALES, found, run, sale

from sheets_kpi.core import run as run_module
from sheets_kpi.core.compute import clients, trial
from sheets_kpi.core.model import BonusItem
from sheets_kpi.core.output.report import Result, report_dict
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import BonusConfig, Config

ROSTER15 = [
    "Менеджер", "Схема", "Параметры", "Оклад", "Активен",
    "Действует с", "Работает до", "Пробная схема", "Пробные параметры",
]  # fmt: skip


def staff(
    manager: str,
    scheme: object = None,
    params: object = None,
    salary: object = None,
    active: object = None,
    since: object = None,
    until: object = None,
    trial: object = None,
    trial_params: object = None,
) -> list[object]:
    return [manager, scheme, params, salary, active, since, until, trial, trial_params]


def compute(
    roster: list[list[object]], sales: list[list[object]], config: Config | None = None
) -> Result:
    config = config or Config()
    inputs = run(config, sales=[SALES, *sales], roster=[ROSTER15, *roster])
    return run_module.compute(inputs, config, AS_OF)


def items_of(result: Result, manager: str) -> list[tuple[str, str | None, int | None, Decimal]]:
    """(month, client, step, amount) of a manager's items, in report order."""
    return [
        (item.month, item.client, item.step, item.amount)
        for item in result.bonus_items
        if item.manager == manager
    ]


def the_item(result: Result, month: str, client: str | None) -> BonusItem:
    [item] = [i for i in result.bonus_items if i.month == month and i.client == client]
    return item


# --- Versions -----------------------------------------------------------------------------------


def test_several_rows_of_a_manager_with_effective_months_are_versions_not_errors() -> None:
    result = compute(
        [staff("Анна", "уровни"), staff("Анна", "два шага", "15%; 15%; 4", since="2026-11")],
        [sale("05.09.2026", "Анна", "Ромашка", 162000)],
    )
    assert result.problems == ()


def test_a_scheme_change_in_november_leaves_september_and_october_as_they_were() -> None:
    # Анна: «уровни» (100 000 = 25 000; 150 000 = 35 000) until «два шага» 15 %; 15 %; 4 from
    # 2026-11. Ромашка 162 000 in 09 → tier 2 = 35 000; Лютик 120 000 in 10 → tier 1 = 25 000;
    # Василёк 100 000 in 11 → step 1: 15 % × 100 000 = 15 000. Ромашка paid again in 10 and 11
    # but is a «уровни» client: no step 2 pending for it, only Василёк's 15 000.
    result = compute(
        [staff("Анна", "уровни"), staff("Анна", "два шага", "15%; 15%; 4", since="2026-11")],
        [
            sale("05.09.2026", "Анна", "Ромашка", 162000),
            sale("06.10.2026", "Анна", "Лютик", 120000),
            sale("07.10.2026", "Анна", "Ромашка", 10000),
            sale("03.11.2026", "Анна", "Василёк", 100000),
            sale("04.11.2026", "Анна", "Ромашка", 10000),
        ],
    )
    assert items_of(result, "Анна") == [
        ("2026-09", "Ромашка", 1, Decimal("35000.00")),
        ("2026-10", "Лютик", 1, Decimal("25000.00")),
        ("2026-11", "Василёк", 1, Decimal("15000.00")),
    ]
    assert [(p.client, p.amount) for p in result.pending_bonuses] == [
        ("Василёк", Decimal("15000.00"))
    ]
    # the explanations name the version in force (the manager has two)
    september = the_item(result, "2026-09", "Ромашка").explain
    assert september.startswith("схема до 2026-11 «уровни»: уровень 2: чек 1-го месяца 162")
    november = the_item(result, "2026-11", "Василёк").explain
    assert november.startswith("схема с 2026-11 «два шага»: шаг 1 из 2: 15 % × 100")


def test_a_manager_with_one_version_keeps_todays_explanations() -> None:
    result = compute([staff("Анна", "уровни")], [sale("05.09.2026", "Анна", "Ромашка", 162000)])
    assert the_item(result, "2026-09", "Ромашка").explain.startswith("уровень 2: чек 1-го месяца")


def test_step_2_follows_the_version_in_force_in_the_clients_month_1() -> None:
    # Борис: «два шага» 10 %; 20 %; 2 until «фикс» 5 000 from 2026-10. Мак: 100 000 in 09 (its
    # month 1, the first version), 50 000 in 10: step 1 = 10 % × 100 000 = 10 000 in 09, step 2
    # = 20 % × 100 000 = 20 000 in 10, though 10 is «фикс». Лён, new in 10: «фикс» 5 000.
    result = compute(
        [
            staff("Борис", "два шага", "10%; 20%; 2"),
            staff("Борис", "фикс", "5000", since="2026-10"),
        ],
        [
            sale("10.09.2026", "Борис", "Мак", 100000),
            sale("10.10.2026", "Борис", "Мак", 50000),
            sale("15.10.2026", "Борис", "Лён", 80000, channel="входящий"),
        ],
    )
    assert items_of(result, "Борис") == [
        ("2026-09", "Мак", 1, Decimal("10000.00")),
        ("2026-10", "Лён", 1, Decimal("5000.00")),
        ("2026-10", "Мак", 2, Decimal("20000.00")),
    ]
    step_2 = the_item(result, "2026-10", "Мак").explain
    assert step_2.startswith("схема до 2026-10 «два шага»: шаг 2 из 2: 20 % × 100")


def test_month_basis_tiers_follow_the_version_in_force_in_that_month() -> None:
    # Гена, basis = month: 100 000 = 10 000 until 2026-11, then 100 000 = 20 000. October:
    # 60 000 + 50 000 = 110 000 ≥ 100 000 → 10 000; November: 120 000 → 20 000.
    result = compute(
        [
            staff("Гена", "уровни", "100000=10000; база=месяц"),
            staff("Гена", "уровни", "100000=20000; база=месяц", since="2026-11"),
        ],
        [
            sale("01.10.2026", "Гена", "Дуб", 60000),
            sale("02.10.2026", "Гена", "Вяз", 50000),
            sale("03.11.2026", "Гена", "Клён", 120000),
        ],
    )
    assert items_of(result, "Гена") == [
        ("2026-10", None, 1, Decimal("10000.00")),
        ("2026-11", None, 1, Decimal("20000.00")),
    ]


def test_salary_cost_and_roi_follow_the_version_in_force_in_each_month() -> None:
    # Анна: Оклад 50 000 on «уровни», 70 000 from 2026-11 on «фикс» 1 000.
    # October: Лютик 120 000 → 25 000; cost = 50 000 + 25 000 = 75 000.
    # November: Василёк (inbound) → 1 000; cost = 70 000 + 1 000 = 71 000.
    result = compute(
        [
            staff("Анна", "уровни", salary=50000),
            staff("Анна", "фикс", "1000", salary=70000, since="2026-11"),
        ],
        [
            sale("06.10.2026", "Анна", "Лютик", 120000, margin=100000),
            sale("03.11.2026", "Анна", "Василёк", 90000, channel="входящий"),
        ],
    )
    monthly = result.monthly.set_index("month")
    assert monthly.loc["2026-10", ["salary", "bonus", "cost"]].tolist() == [50000, 25000, 75000]
    assert monthly.loc["2026-11", ["salary", "bonus", "cost"]].tolist() == [70000, 1000, 71000]
    # roi in October: (100 000 − 75 000) / 75 000 = 1/3
    assert abs(monthly.loc["2026-10", "roi"] - 1 / 3) < 1e-12


def test_active_is_the_latest_versions() -> None:
    # Дина was inactive in her first row, active from 2026-10; Ева the reverse. Neither sold in
    # November: the leaderboard lists the active roster managers only, so Дина and not Ева.
    result = compute(
        [
            staff("Дина", active="нет"),
            staff("Дина", active="да", since="2026-10"),
            staff("Ева", active="да"),
            staff("Ева", active="нет", since="2026-10"),
            staff("Жора"),
        ],
        [sale("03.11.2026", "Жора", "Мак", 1000)],
    )
    assert sorted(result.leaderboard["manager"]) == ["Дина", "Жора"]


def test_works_until_is_the_latest_versions() -> None:
    # Борис's first row says he works until 30.09.2026, his row from 2026-10 says nothing: he
    # has not left, so step 2 of Мак (15 % × 100 000 = 15 000 in 10) is his.
    result = compute(
        [
            staff("Борис", "два шага", "15%; 15%; 2", until="30.09.2026"),
            staff("Борис", "два шага", "15%; 15%; 2", since="2026-10"),
        ],
        [sale("10.09.2026", "Борис", "Мак", 100000), sale("10.10.2026", "Борис", "Мак", 1000)],
    )
    assert the_item(result, "2026-10", "Мак").amount == Decimal("15000.00")


def test_months_before_a_managers_first_version_use_the_first_version() -> None:
    # Вера: «фикс» 7 000 from 2026-10, «фикс» 9 000 from 2026-11. A client of 09 (before
    # either) gets the first version's 7 000, one of 11 the second's 9 000.
    result = compute(
        [
            staff("Вера", "фикс", "7000", since="2026-10"),
            staff("Вера", "фикс", "9000", since="2026-11"),
        ],
        [
            sale("10.09.2026", "Вера", "Мак", 1000, channel="входящий"),
            sale("10.11.2026", "Вера", "Лён", 1000, channel="входящий"),
        ],
    )
    assert items_of(result, "Вера") == [
        ("2026-09", "Мак", 1, Decimal("7000.00")),
        ("2026-11", "Лён", 1, Decimal("9000.00")),
    ]


def test_two_rows_with_the_same_effective_month_reject_the_later_one() -> None:
    inputs = run(
        sales=[SALES],
        roster=[
            ROSTER15,
            staff("Анна", "фикс", "1000", since="2026-10"),
            staff("анна", "фикс", "2000", since="10.2026"),  # the same month, written otherwise
        ],
    )
    assert found(inputs) == [("Мотивация", 3, "Действует с", "bad_setting")]
    assert inputs.problems[0].message == (
        "Ячейка Мотивация!F3: у менеджера «Анна» уже есть строка, действующая с 2026-10 (строка "
        "2); эта строка не учитывается. Оставьте одну строку на месяц или исправьте «Действует с»."
    )
    assert inputs.roster["row"].tolist() == [2]  # the later row is ignored


def test_two_rows_without_an_effective_month_reject_the_later_one_and_say_how_to_fix() -> None:
    inputs = run(
        sales=[SALES],
        roster=[ROSTER15, staff("Анна", "фикс", "1000"), staff("Анна", "фикс", "2000")],
    )
    assert found(inputs) == [("Мотивация", 3, "Менеджер", "bad_setting")]
    assert inputs.problems[0].message == (
        "Ячейка Мотивация!A3: менеджер «Анна» уже есть в строке 2. Оставьте одну строку на "
        "менеджера, или укажите в «Действует с» месяц, с которого действует эта строка "
        "(например, 2026-11)."
    )
    assert inputs.roster["row"].tolist() == [2]


def test_an_unreadable_effective_month_is_an_error_naming_the_cell() -> None:
    inputs = run(
        sales=[SALES],
        roster=[ROSTER15, staff("Анна", "фикс", "1000"), staff("Анна", since="с ноября")],
    )
    assert found(inputs) == [("Мотивация", 3, "Действует с", "bad_setting")]
    message = inputs.problems[0].message
    assert message.startswith("Ячейка Мотивация!F3: ") and "2026-11" in message
    assert inputs.roster["row"].tolist() == [2]  # the row is left out, the manager stays


def test_an_unreadable_works_until_is_an_error_naming_the_cell() -> None:
    inputs = run(sales=[SALES], roster=[ROSTER15, staff("Анна", until="когда-нибудь")])
    assert found(inputs) == [("Мотивация", 2, "Работает до", "bad_setting")]
    assert inputs.problems[0].message.startswith("Ячейка Мотивация!G2: ")
    assert inputs.roster["until"].isna().all()


# --- Leavers ------------------------------------------------------------------------------------

# Борис («два шага» 15 %; 15 %; 2) works until 30.09.2026. Ромашка: 120 000 with him in 09
# (step 1: 15 % × 120 000 = 18 000, his), then 40 000 logged by Анна («фикс» 1 000) in 10:
# step 2 = 15 % × 120 000 = 18 000 would accrue in 10, after the month of his leaving.
LEAVER_ROSTER = [
    staff("Борис", "два шага", "15%; 15%; 2", until="30.09.2026"),
    staff("Анна", "фикс", "1000"),
]
LEAVER_SALES = [
    sale("10.09.2026", "Борис", "Ромашка", 120000),
    sale("10.10.2026", "Анна", "Ромашка", 40000),
]


def test_a_leavers_item_after_leaving_goes_to_nobody_by_default() -> None:
    result = compute(LEAVER_ROSTER, LEAVER_SALES)
    assert items_of(result, "Борис") == [
        ("2026-09", "Ромашка", 1, Decimal("18000.00")),
        ("2026-10", "Ромашка", 2, Decimal("0.00")),
    ]
    assert the_item(result, "2026-10", "Ромашка").withheld == (
        "Работает до 2026-09-30: шаг 2 не начисляется (after_leaving = nobody)"
    )
    assert items_of(result, "Анна") == []  # Ромашка is not Анна's new client


def test_a_leavers_item_goes_to_the_manager_on_the_clients_last_payment_with_current_manager() -> (
    None
):
    config = Config(bonus=BonusConfig(after_leaving="current_manager"))
    result = compute(LEAVER_ROSTER, LEAVER_SALES, config)
    # 18 000 by Борис's scheme (Анна's «фикс» would give 1 000), now Анна's, explained
    item = the_item(result, "2026-10", "Ромашка")
    assert (item.manager, item.step, item.amount, item.withheld) == (
        "Анна",
        2,
        Decimal("18000.00"),
        None,
    )
    assert item.explain.startswith(
        "перешёл от менеджера Борис (работал до 2026-09-30): шаг 2 из 2: 15 % × 120"
    )
    assert items_of(result, "Борис") == [("2026-09", "Ромашка", 1, Decimal("18000.00"))]
    october = result.monthly.set_index(["month", "manager"]).loc[("2026-10", "Анна")]
    assert october["bonus"] == 18000


def test_a_leavers_pending_step_2_is_not_forecast_when_it_would_go_to_nobody() -> None:
    # Мак paid Борис 100 000 in 08 and 09: step 2 (N = 4) waits for 2 more paying months, which
    # can only come after his leaving. With "nobody" it is not pending; with current_manager
    # it is (15 % × 100 000 = 15 000), whoever will serve Мак.
    roster = [staff("Борис", "два шага", "15%; 15%; 4", until="30.09.2026")]
    sales = [sale("10.08.2026", "Борис", "Мак", 100000), sale("10.09.2026", "Борис", "Мак", 1)]
    assert compute(roster, sales).pending_bonuses == ()
    config = Config(bonus=BonusConfig(after_leaving="current_manager"))
    pending = compute(roster, sales, config).pending_bonuses
    assert [(p.client, p.amount) for p in pending] == [("Мак", Decimal("15000.00"))]


def test_the_last_payment_of_the_month_decides_who_takes_over() -> None:
    # In 10 Ромашка paid Анна on the 5th and Вера on the 20th: Вера takes step 2 over.
    config = Config(bonus=BonusConfig(after_leaving="current_manager"))
    result = compute(
        [*LEAVER_ROSTER, staff("Вера", "фикс", "1000")],
        [
            sale("10.09.2026", "Борис", "Ромашка", 120000),
            sale("20.10.2026", "Вера", "Ромашка", 1000),
            sale("05.10.2026", "Анна", "Ромашка", 40000),
        ],
        config,
    )
    assert the_item(result, "2026-10", "Ромашка").manager == "Вера"


def test_shared_client_is_not_raised_for_a_client_of_a_manager_who_has_left() -> None:
    shared = [a for a in compute(LEAVER_ROSTER, LEAVER_SALES).alerts if a.kind == "shared_client"]
    assert shared == []
    # the same client while Борис still works (no Работает до): Борис and Анна share it
    staying = [staff("Борис", "два шага", "15%; 15%; 2"), staff("Анна", "фикс", "1000")]
    alerts = compute(staying, LEAVER_SALES).alerts
    assert [a.kind for a in alerts if a.kind == "shared_client"] == ["shared_client"]


def test_works_until_before_the_managers_own_payments_is_a_warning_on_the_cell() -> None:
    inputs = run(
        sales=[
            SALES,
            sale("10.09.2026", "Борис", "Ромашка", 120000),
            sale("05.10.2026", "Борис", "Лютик", 5000),
        ],
        roster=[ROSTER15, staff("Борис", until="30.09.2026")],
    )
    assert [(p.tab, p.row, p.column, p.code, p.severity) for p in inputs.problems] == [
        ("Мотивация", 2, "Работает до", "until_before_payments", "warning")
    ]
    assert inputs.problems[0].message.startswith(
        "Ячейка Мотивация!G2: «Борис» работает до 30.09.2026, но в «Продажи» есть его оплаты "
        "позже (первая — 05.10.2026, строка 3)."
    )
    assert len(inputs.sales) == 2  # a warning keeps the rows


# --- Trial scheme --------------------------------------------------------------------------------

# Анна is paid by «уровни» (100 000 = 25 000; 150 000 = 35 000), trial «два шага» 10 %; 10 %; 2.
# Ромашка 162 000 in 09, 10 000 in 10; Лютик 120 000 in 10.
# paid:  09: 35 000 (tier 2);  10: 25 000 (Лютик, tier 1).
# trial: 09: 10 % × 162 000 = 16 200;  10: step 2 of Ромашка 16 200 + step 1 of Лютик 12 000
#        = 28 200.
TRIAL_SALES = [
    sale("05.09.2026", "Анна", "Ромашка", 162000),
    sale("05.10.2026", "Анна", "Ромашка", 10000),
    sale("06.10.2026", "Анна", "Лютик", 120000),
    sale("07.10.2026", "Борис", "Мак", 200000),
]


def trial_rows(result: Result) -> list[tuple[str, str, float, float]]:
    assert result.trial is not None
    frame = result.trial
    return list(zip(frame["month"], frame["manager"], frame["paid"], frame["trial"], strict=True))


def test_the_trial_scheme_is_computed_per_month_next_to_the_paid_one_and_never_paid() -> None:
    roster = [
        staff("Анна", "уровни", trial="два шага", trial_params="10%; 10%; 2"),
        staff("Борис", "уровни"),  # no trial scheme: no rows
    ]
    result = compute(roster, TRIAL_SALES)
    assert trial_rows(result) == [
        ("2026-09", "Анна", 35000.0, 16200.0),
        ("2026-10", "Анна", 25000.0, 28200.0),
    ]
    # never paid: the items are the «уровни» ones only
    assert {item.scheme for item in result.bonus_items} == {"tiers"}
    assert report_dict(result)["trial"] == [
        {"month": "2026-09", "manager": "Анна", "paid": 35000, "trial": 16200},
        {"month": "2026-10", "manager": "Анна", "paid": 25000, "trial": 28200},
    ]


def test_the_trial_scheme_keeps_the_limits() -> None:
    # A cap of 20 000 a month: paid 09 = 20 000 (35 000 capped), 10 = 20 000 (25 000 capped);
    # trial 09 = 16 200 (below the cap), 10 = 20 000 (28 200 capped).
    config = Config(bonus=BonusConfig(monthly_cap=Decimal(20000)))
    roster = [staff("Анна", "уровни", trial="два шага", trial_params="10%; 10%; 2")]
    result = compute(roster, TRIAL_SALES[:3], config)
    assert trial_rows(result) == [
        ("2026-09", "Анна", 20000.0, 16200.0),
        ("2026-10", "Анна", 20000.0, 20000.0),
    ]


def test_the_trial_scheme_is_taken_from_the_version_in_force() -> None:
    # Анна's trial is «фикс» 1 000 in her first version and «фикс» 3 000 from 2026-10:
    # Ромашка (month 1 = 09) → 1 000 in 09; Лютик (month 1 = 10) → 3 000 in 10.
    roster = [
        staff("Анна", "уровни", trial="фикс", trial_params="1000; все"),
        staff("Анна", "уровни", since="2026-10", trial="фикс", trial_params="3000; все"),
    ]
    result = compute(roster, TRIAL_SALES[:3])
    assert trial_rows(result) == [
        ("2026-09", "Анна", 35000.0, 1000.0),
        ("2026-10", "Анна", 25000.0, 3000.0),
    ]


def test_trial_parameters_follow_the_scheme_grammar_and_defaults() -> None:
    # «два шага» with empty trial parameters: the config's 15 %; 15 %; 4.
    # Ромашка 162 000 in 09 → 15 % × 162 000 = 24 300; Лютик 120 000 in 10 → 18 000.
    result = compute([staff("Анна", "уровни", trial="два шага")], TRIAL_SALES[:3])
    assert trial_rows(result) == [
        ("2026-09", "Анна", 35000.0, 24300.0),
        ("2026-10", "Анна", 25000.0, 18000.0),
    ]


def test_bad_trial_cells_are_bad_settings_naming_the_cell() -> None:
    inputs = run(
        sales=[SALES],
        roster=[
            ROSTER15,
            staff("Анна", trial="уровни", trial_params="много"),
            staff("Борис", trial="премия"),
        ],
    )
    assert found(inputs) == [
        ("Мотивация", 2, "Пробные параметры", "bad_setting"),
        ("Мотивация", 3, "Пробная схема", "bad_setting"),
    ]
    assert inputs.problems[0].message.startswith("Ячейка Мотивация!I2: ")
    assert inputs.problems[1].message.startswith("Ячейка Мотивация!H3: схема «премия»")


def test_without_a_trial_scheme_there_are_no_trial_figures() -> None:
    result = compute([staff("Анна", "уровни")], TRIAL_SALES)
    assert result.trial is None
    assert "trial" not in report_dict(result)


def test_the_trial_paid_column_counts_scheme_items_only() -> None:
    # The caller passes the items as paid; a ledger line (here a made-up adjustment of 5 000)
    # is not the scheme's: paid stays 35 000 in 09.
    config = Config()
    inputs = run(
        config,
        sales=[SALES, TRIAL_SALES[0]],
        roster=[ROSTER15, staff("Анна", "уровни", trial="фикс", trial_params="1000; все")],
    )
    result = run_module.compute(inputs, config, AS_OF)
    extra = replace(result.bonus_items[0], scheme="adjustment", step=None, amount=Decimal(5000))
    frame = trial.trial_figures(
        inputs,
        clients.analyse(inputs.sales),
        Roster.of(inputs, config.bonus),
        config.bonus,
        {},
        [*result.bonus_items, extra],
        AS_OF,
        "ru",
    )
    assert frame is not None
    assert frame[["month", "paid", "trial"]].values.tolist() == [["2026-09", 35000.0, 1000.0]]


def test_leaver_and_version_words_are_english_when_configured() -> None:
    # Борис's step 2 in 10 goes to nobody (0); Анна's two versions are named in English.
    config = Config(language="en")
    result = compute(LEAVER_ROSTER, LEAVER_SALES, config)
    assert the_item(result, "2026-10", "Ромашка").withheld == (
        "Works until 2026-09-30: step 2 not accrued (after_leaving = nobody)"
    )
    versions = [staff("Анна", "уровни"), staff("Анна", "фикс", "1000; все", since="2026-11")]
    english = compute(versions, [sale("05.09.2026", "Анна", "Ромашка", 162000)], config)
    assert the_item(english, "2026-09", "Ромашка").explain.startswith(
        "scheme before 2026-11 «tiers»: tier 2: month-1 check 162"
    )
