"""The rules of «Сделки» (SPEC §3): the deals frame, date order, closed and lost deals."""

from __future__ import annotations

import pandas as pd
from validate_tables import (
    DEALS,
    SALES,
    deal,
    found,
    run,
)

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
