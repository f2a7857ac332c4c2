"""The example rows of `init` (example_rules.py, issue 20): set aside on every tab, once each."""

from __future__ import annotations

from validate_tables import ROSTER, SALES, found, run, sale

from sheets_kpi.core.inputs.example_rules import example_name, is_marked
from sheets_kpi.core.inputs.schema import norm


def test_the_mark_is_a_whole_word_at_the_start_of_the_manager() -> None:
    assert is_marked(norm(example_name("Анна Смирнова", "ru")))  # «Пример: Анна Смирнова»
    assert is_marked(norm(example_name("Anna Smirnova", "en")))  # "Example: Anna Smirnova"
    assert is_marked(norm("  ПРИМЕР —  Борис"))
    # Real names that merely begin with the letters, or hold the word later, are data.
    assert not is_marked(norm("Примерова Анна"))
    assert not is_marked(norm("Examples Inc"))
    assert not is_marked(norm("Анна (пример)"))
    assert not is_marked(None)


def test_marked_sales_rows_are_reported_and_not_counted_whatever_else_they_hold() -> None:
    inputs = run(
        Продажи=[
            SALES,
            sale(manager="Пример: Анна Смирнова", amount=120000),  # row 2: example
            sale(manager="Примерова Анна", amount=5000),  # row 3: a real manager
            sale(day="31.02.2026", manager="Пример: Анна Смирнова", amount=-1),  # row 4: example
        ]
    )
    # An example row is one warning, even with a bad date and amount: no other rule sees it.
    assert found(inputs) == [
        ("Продажи", 2, "Менеджер", "example_row"),
        ("Продажи", 4, "Менеджер", "example_row"),
    ]
    assert inputs.sales["row"].tolist() == [3]
    assert inputs.sales["amount_kop"].tolist() == [500000]
    assert inputs.rejected.empty  # a warning: nobody's rejected row


def test_a_roster_of_example_rows_only_is_no_roster() -> None:
    inputs = run(
        Продажи=[SALES, sale(manager="Борис Петров")],
        Мотивация=[ROSTER, ["Пример: Анна Смирнова", "два шага", "15%; 15%; 4", 60000, "да"]],
    )
    assert found(inputs) == [("Мотивация", 2, "Менеджер", "example_row")]
    assert inputs.roster.empty
    assert inputs.sales["manager"].tolist() == ["Борис Петров"]


def test_a_sale_naming_the_example_manager_next_to_a_real_roster_is_an_example_too() -> None:
    inputs = run(
        Продажи=[SALES, sale(manager="пример: анна смирнова"), sale(manager="Борис Петров")],
        Мотивация=[
            ROSTER,
            ["Пример: Анна Смирнова", "два шага", "15%; 15%; 4", 60000, "да"],
            ["Борис Петров", "фикс", "5000", 40000, "да"],
        ],
    )
    assert found(inputs) == [
        ("Продажи", 2, "Менеджер", "example_row"),
        ("Мотивация", 2, "Менеджер", "example_row"),
    ]
    assert inputs.roster["manager"].tolist() == ["Борис Петров"]
    assert inputs.sales["row"].tolist() == [3]
