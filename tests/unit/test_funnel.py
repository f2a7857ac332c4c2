"""Funnel, loss reasons and activity figures (SPEC §6 "Funnel figures exactly", §8)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.compute import funnel
from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.model import Inputs

AS_OF = date(2026, 11, 20)

DEAL_DEFAULTS: dict[str, object] = {
    "client": "ООО Ромашка",
    "channel": None,
    "first_contact": None,
    "touches": None,
    "temperature": None,
    "status": "open",
    "close_date": None,
    "deal_amount_kop": None,
    "loss_reason": None,
}


def deals_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Validated `Inputs.deals` as core/validate.py hands it over (ARCHITECTURE.md "Frames")."""
    records = []
    for number, row in enumerate(rows, start=2):
        record = {**DEAL_DEFAULTS, **row, "row": number}
        record["manager_key"] = norm(str(record["manager"]))
        reason = record["loss_reason"]
        record["loss_reason_key"] = None if reason is None else norm(str(reason))
        records.append(record)
    columns = ["row", "lead_date", "manager", *DEAL_DEFAULTS, "manager_key"]
    frame = pd.DataFrame(records, columns=[*columns, "loss_reason_key"])
    for column in ("lead_date", "first_contact", "close_date"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    frame["month"] = frame["lead_date"].dt.strftime("%Y-%m")
    frame["touches"] = frame["touches"].astype("Int64")
    frame["deal_amount_kop"] = frame["deal_amount_kop"].astype("Int64")
    return frame


def activity_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    records = []
    for number, row in enumerate(rows, start=2):
        record = {"calls": None, "meetings": None, "presentations": None, "proposals": None}
        record.update(row)
        record["row"] = number
        record["manager_key"] = norm(str(record["manager"]))
        records.append(record)
    columns = ["row", "date", "manager", "manager_key", *funnel.ACTIVITY_COUNTS]
    frame = pd.DataFrame(records, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    for column in funnel.ACTIVITY_COUNTS:
        frame[column] = frame[column].astype("Int64")
    return frame


def inputs(deals: pd.DataFrame | None = None, activity: pd.DataFrame | None = None) -> Inputs:
    empty = pd.DataFrame()
    return Inputs(
        sales=empty,
        plan=empty,
        roster=empty,
        problems=[],
        rejected=empty,
        deals=deals,
        activity=activity,
    )


# Анна: two months of deals, one won a month after its lead; Борис: three November deals.
STORY = [
    # 1: lead Oct, won Nov 10 → open at the end of October; cycle 5 Oct → 10 Nov = 36 days
    {
        "lead_date": "2026-10-05 09:00",
        "manager": "Анна",
        "first_contact": "2026-10-05 13:00",  # 4 h
        "status": "won",
        "close_date": "2026-11-10",
        "touches": 6,
        "temperature": "hot",
    },
    # 2: a date without time is 00:00 → first contact 24 h later; lost in October
    {
        "lead_date": "2026-10-10",
        "manager": "Анна",
        "first_contact": "2026-10-11",  # 24 h
        "status": "lost",
        "close_date": "2026-10-20",
        "loss_reason": "Дорого",
    },
    # 3: still open, warm
    {
        "lead_date": "2026-10-15 10:00",
        "manager": "Анна",
        "first_contact": "2026-10-17 12:00",  # 50 h
        "temperature": "warm",
    },
    # 4: won on the last day of October → not open at its end; cycle 20 → 31 Oct = 11 days
    {
        "lead_date": "2026-10-20",
        "manager": "Анна",
        "first_contact": "2026-10-20 06:00",  # 6 h
        "status": "won",
        "close_date": "2026-10-31",
        "touches": 4,
        "temperature": "hot",
    },
    # 5: same reason as deal 2 written differently → one reason, shown as first seen
    {
        "lead_date": "2026-11-02 10:00",
        "manager": "Борис",
        "first_contact": "2026-11-02 12:30",  # 2.5 h
        "status": "lost",
        "close_date": "2026-11-05",
        "loss_reason": " «дорого» ",
    },
    # 6: lost without a reason → «не указана»
    {"lead_date": "2026-11-03", "manager": "Борис", "status": "lost", "close_date": "2026-11-04"},
    # 7: won without touches; cycle 4 → 18 Nov = 14 days
    {"lead_date": "2026-11-04", "manager": "Борис", "status": "won", "close_date": "2026-11-18"},
]


def story_figures() -> funnel.FunnelFigures:
    result = funnel.figures(inputs(deals=deals_frame(STORY)), AS_OF)
    assert result is not None
    return result


def row_of(frame: pd.DataFrame, month: str, manager: str | None) -> pd.Series:
    if manager is None:
        matches = frame[(frame["month"] == month) & frame["manager"].isna()]
    else:
        matches = frame[(frame["month"] == month) & (frame["manager"] == manager)]
    assert len(matches) == 1, (month, manager, frame)
    return matches.iloc[0]


def test_funnel_has_spec_columns_and_rows_sorted_with_team_last() -> None:
    table = story_figures().funnel
    assert table is not None
    assert tuple(table.columns) == funnel.FUNNEL_COLUMNS
    assert list(zip(table["month"], table["manager"], strict=True)) == [
        ("2026-10", "Анна"),
        ("2026-10", None),
        ("2026-11", "Анна"),
        ("2026-11", "Борис"),
        ("2026-11", None),
    ]
    assert table["manager_key"].tolist() == ["анна", None, "анна", "борис", None]


def test_october_counts_leads_closes_and_deals_open_at_month_end() -> None:
    october = row_of(story_figures().funnel, "2026-10", "Анна")
    # leads: deals 1-4; won: deal 4 (closed 31 Oct); lost: deal 2;
    # open at 31 Oct: deal 1 (won only on 10 Nov) and deal 3 (still open) = 2
    assert (october["leads"], october["won"], october["lost"], october["open"]) == (4, 1, 1, 2)
    assert october["win_rate"] == pytest.approx(0.5)  # 1 / (1 + 1)


def test_first_contact_median_of_even_count_is_mean_of_middle_two() -> None:
    october = row_of(story_figures().funnel, "2026-10", "Анна")
    # hours 4, 24, 6, 50 → sorted 4, 6, 24, 50: median (6 + 24) / 2 = 15, mean 84 / 4 = 21
    assert october["first_contact_hours_median"] == pytest.approx(15.0)
    assert october["first_contact_hours_mean"] == pytest.approx(21.0)


def test_won_deal_counts_in_its_close_month_not_its_lead_month() -> None:
    table = story_figures().funnel
    november = row_of(table, "2026-11", "Анна")
    # deal 1 (lead in October) is won in November: touches 6, cycle 36 days;
    # no November leads of Анна, so no first-contact hours; open: deal 3 only
    assert (november["leads"], november["won"], november["lost"], november["open"]) == (
        0,
        1,
        0,
        1,
    )
    assert november["win_rate"] == pytest.approx(1.0)
    assert november["touches_per_won"] == pytest.approx(6.0)
    assert november["cycle_days_mean"] == pytest.approx(36.0)
    assert math.isnan(november["first_contact_hours_median"])
    assert math.isnan(november["first_contact_hours_mean"])


def test_touches_and_cycle_use_only_won_deals_of_the_month() -> None:
    october = row_of(story_figures().funnel, "2026-10", "Анна")
    # only deal 4 is won in October: 4 touches, 11 days from 20 to 31 Oct
    assert october["touches_per_won"] == pytest.approx(4.0)
    assert october["cycle_days_mean"] == pytest.approx(11.0)


def test_touches_per_won_is_empty_when_no_won_deal_has_touches() -> None:
    boris = row_of(story_figures().funnel, "2026-11", "Борис")
    # leads 5, 6, 7; won 7; lost 5, 6 → win rate 1/3; deal 7 has no touches
    assert (boris["leads"], boris["won"], boris["lost"], boris["open"]) == (3, 1, 2, 0)
    assert boris["win_rate"] == pytest.approx(1 / 3)
    assert math.isnan(boris["touches_per_won"])
    assert boris["cycle_days_mean"] == pytest.approx(14.0)
    # a single contact time: median = mean = 2.5 h
    assert boris["first_contact_hours_median"] == pytest.approx(2.5)
    assert boris["first_contact_hours_mean"] == pytest.approx(2.5)


def test_open_hot_and_warm_to_hot_among_open_deals() -> None:
    table = story_figures().funnel
    october = row_of(table, "2026-10", "Анна")
    # open at 31 Oct: deal 1 hot, deal 3 warm → open_hot 1, warm_to_hot 1 / (1 + 1)
    assert october["open_hot"] == 1
    assert october["warm_to_hot"] == pytest.approx(0.5)
    november = row_of(table, "2026-11", "Анна")
    # open now: deal 3 warm only → 0 / (1 + 0) = 0, a measurement, not empty
    assert november["open_hot"] == 0
    assert november["warm_to_hot"] == pytest.approx(0.0)
    # Борис has no open deals at all → empty
    assert math.isnan(row_of(table, "2026-11", "Борис")["warm_to_hot"])


def test_open_hot_is_empty_when_no_deal_has_a_temperature() -> None:
    # Two open November deals and no Температура anywhere: the count has no input (§6).
    rows = [
        {"lead_date": "2026-11-02", "manager": "Анна"},
        {"lead_date": "2026-11-03", "manager": "Анна"},
    ]
    table = funnel.figures(inputs(deals_frame(rows)), AS_OF).funnel
    for manager in ("Анна", None):
        row = row_of(table, "2026-11", manager)
        assert row["open"] == 2
        assert math.isnan(row["open_hot"])
        assert math.isnan(row["warm_to_hot"])
    # One cold deal is enough to make the count a measurement: 0 hot among 2 open.
    rows[0]["temperature"] = "cold"
    table = funnel.figures(inputs(deals_frame(rows)), AS_OF).funnel
    assert row_of(table, "2026-11", "Анна")["open_hot"] == 0


def test_team_rows_sum_over_all_managers() -> None:
    table = story_figures().funnel
    team = row_of(table, "2026-11", None)
    # leads 5, 6, 7; won 1, 7; lost 5, 6; open: deal 3
    assert (team["leads"], team["won"], team["lost"], team["open"]) == (3, 2, 2, 1)
    assert team["win_rate"] == pytest.approx(0.5)
    assert team["touches_per_won"] == pytest.approx(6.0)  # deal 1 only has touches
    assert team["cycle_days_mean"] == pytest.approx(25.0)  # (36 + 14) / 2
    assert team["first_contact_hours_median"] == pytest.approx(2.5)
    october = row_of(table, "2026-10", None)
    assert october["first_contact_hours_median"] == pytest.approx(15.0)
    assert october["open"] == 2


def test_deal_lost_after_an_earlier_month_is_open_at_that_month_end() -> None:
    deals = deals_frame(
        [
            # lead 28 Aug, lost 3 Oct: open at the end of August and September, not October
            {
                "lead_date": "2026-08-28",
                "manager": "Анна",
                "status": "lost",
                "close_date": "2026-10-03",
                "loss_reason": "Ушли к конкурентам",
            }
        ]
    )
    result = funnel.figures(inputs(deals=deals), AS_OF)
    assert result is not None and result.funnel is not None
    anna = result.funnel[result.funnel["manager"] == "Анна"].set_index("month")
    # Анна's rows: Aug (lead, open), Sep (open), Oct (lost); none in Nov (nothing happened)
    assert anna["open"].to_dict() == {"2026-08": 1, "2026-09": 1, "2026-10": 0}
    assert anna["lost"].to_dict() == {"2026-08": 0, "2026-09": 0, "2026-10": 1}
    # team rows cover every month from the first lead through the current month
    team = result.funnel[result.funnel["manager"].isna()]
    assert team["month"].tolist() == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert team["open"].tolist() == [1, 1, 0, 0]
    assert team["lost"].tolist() == [0, 0, 1, 0]


def test_win_rate_is_empty_in_a_month_without_closes() -> None:
    deals = deals_frame([{"lead_date": "2026-11-02", "manager": "Анна"}])
    result = funnel.figures(inputs(deals=deals), AS_OF)
    assert result is not None and result.funnel is not None
    anna = row_of(result.funnel, "2026-11", "Анна")
    assert (anna["leads"], anna["won"], anna["lost"], anna["open"]) == (1, 0, 0, 1)
    assert math.isnan(anna["win_rate"])
    assert math.isnan(anna["cycle_days_mean"])


def test_close_after_as_of_is_not_a_close_yet() -> None:
    # validation rejects future dates; if one slips through, the deal is still open "now"
    deals = deals_frame(
        [
            {
                "lead_date": "2026-11-02",
                "manager": "Анна",
                "status": "won",
                "close_date": "2026-11-25",
            }
        ]
    )
    result = funnel.figures(inputs(deals=deals), AS_OF)
    assert result is not None and result.funnel is not None
    anna = row_of(result.funnel, "2026-11", "Анна")
    assert (anna["won"], anna["open"]) == (0, 1)


def test_loss_reasons_count_by_identity_and_show_first_spelling() -> None:
    reasons = story_figures().loss_reasons
    assert reasons is not None
    assert tuple(reasons.columns) == funnel.LOSS_REASON_COLUMNS
    rows = list(
        zip(reasons["month"], reasons["manager"], reasons["reason"], reasons["count"], strict=True)
    )
    # " «дорого» " is the same reason as "Дорого" (deal 2 is seen first); deal 6 has none
    assert rows == [
        ("2026-10", "Анна", "Дорого", 1),
        ("2026-10", None, "Дорого", 1),
        ("2026-11", "Борис", "Дорого", 1),
        ("2026-11", "Борис", "не указана", 1),
        ("2026-11", None, "Дорого", 1),
        ("2026-11", None, "не указана", 1),
    ]


def test_loss_reasons_sorted_by_count_then_reason_and_english_label() -> None:
    deals = deals_frame(
        [
            {"lead_date": "2026-11-02", "manager": "Анна", "status": "lost", "close_date": d}
            | ({"loss_reason": reason} if reason else {})
            for d, reason in [
                ("2026-11-03", "Нет бюджета"),
                ("2026-11-04", None),
                ("2026-11-05", "нет бюджета"),
                ("2026-11-06", "Дорого"),
            ]
        ]
    )
    result = funnel.figures(inputs(deals=deals), AS_OF, language="en")
    assert result is not None and result.loss_reasons is not None
    team = result.loss_reasons[result.loss_reasons["manager"].isna()]
    # Нет бюджета ×2 first; then the ones with 1 by reason text: Latin "not given" < "Дорого"
    assert list(zip(team["reason"], team["count"], strict=True)) == [
        ("Нет бюджета", 2),
        ("not given", 1),
        ("Дорого", 1),
    ]


def test_activity_sums_per_manager_month_and_empty_column_stays_empty() -> None:
    activity = activity_frame(
        [
            {"date": "2026-11-03", "manager": "Анна", "calls": 10, "meetings": 2, "proposals": 1},
            {"date": "2026-11-10", "manager": "Анна", "calls": 5},
            {
                "date": "2026-11-05",
                "manager": "Борис",
                "calls": 3,
                "meetings": 1,
                "presentations": 1,
            },
        ]
    )
    result = funnel.figures(inputs(deals=deals_frame(STORY), activity=activity), AS_OF)
    assert result is not None and result.activity is not None
    table = result.activity
    assert tuple(table.columns) == funnel.ACTIVITY_COLUMNS
    anna = row_of(table, "2026-11", "Анна")
    # calls 10 + 5; meetings 2; no presentations logged at all → empty, not 0; proposals 1
    assert (anna["calls"], anna["meetings"], anna["proposals"]) == (15, 2, 1)
    assert math.isnan(anna["presentations"])
    # communications (15 + 2 + empty) / 1 won (deal 1) = 17
    assert anna["communications_per_won"] == pytest.approx(17.0)
    boris = row_of(table, "2026-11", "Борис")
    assert boris["communications_per_won"] == pytest.approx(5.0)  # (3 + 1 + 1) / 1 won
    team = row_of(table, "2026-11", None)
    # calls 18, meetings 3, presentations 1 → 22 / 2 won (deals 1 and 7) = 11
    assert (team["calls"], team["meetings"], team["presentations"]) == (18, 3, 1)
    assert team["communications_per_won"] == pytest.approx(11.0)
    # October: no activity rows → the team row is empty, and Анна has no activity row
    october = row_of(table, "2026-10", None)
    assert math.isnan(october["calls"]) and math.isnan(october["communications_per_won"])
    assert len(table[(table["month"] == "2026-10") & table["manager"].notna()]) == 0


def test_communications_per_won_is_empty_when_nothing_was_won() -> None:
    lost = {"lead_date": "2026-11-02", "manager": "Анна", "status": "lost"}
    deals = deals_frame([lost | {"close_date": "2026-11-03"}])
    activity = activity_frame([{"date": "2026-11-03", "manager": "Анна", "calls": 7}])
    result = funnel.figures(inputs(deals=deals, activity=activity), AS_OF)
    assert result is not None and result.activity is not None
    anna = row_of(result.activity, "2026-11", "Анна")
    assert anna["calls"] == 7
    assert math.isnan(anna["communications_per_won"])  # won = 0 → empty, not 0 or infinity


def test_activity_without_deals_tab_has_no_communications_per_won() -> None:
    activity = activity_frame([{"date": "2026-11-03", "manager": "Анна", "calls": 7}])
    result = funnel.figures(inputs(activity=activity), AS_OF)
    assert result is not None
    assert result.funnel is None and result.loss_reasons is None
    assert result.activity is not None
    assert math.isnan(row_of(result.activity, "2026-11", "Анна")["communications_per_won"])


def test_both_tabs_absent_give_no_figures() -> None:
    assert funnel.figures(inputs(), AS_OF) is None


def test_present_but_empty_tabs_give_empty_frames_with_columns() -> None:
    result = funnel.figures(inputs(deals=deals_frame([]), activity=activity_frame([])), AS_OF)
    assert result is not None
    assert result.funnel is not None and result.funnel.empty
    assert tuple(result.funnel.columns) == funnel.FUNNEL_COLUMNS
    assert result.loss_reasons is not None and result.loss_reasons.empty
    assert tuple(result.loss_reasons.columns) == funnel.LOSS_REASON_COLUMNS
    assert result.activity is not None and result.activity.empty
    assert tuple(result.activity.columns) == funnel.ACTIVITY_COLUMNS


def test_display_name_is_the_first_seen_for_one_manager_key() -> None:
    deals = deals_frame(
        [
            {"lead_date": "2026-11-02", "manager": "Анна Петрова"},
            {"lead_date": "2026-11-03", "manager": "анна  петрова"},
        ]
    )
    result = funnel.figures(inputs(deals=deals), AS_OF)
    assert result is not None and result.funnel is not None
    managers = result.funnel[result.funnel["manager"].notna()]
    assert managers["manager"].tolist() == ["Анна Петрова"]
    assert managers["leads"].tolist() == [2]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=150),  # lead: days after 1 Jul 2026
            st.integers(min_value=0, max_value=150),  # days to close
            st.sampled_from(["open", "won", "lost"]),
            st.sampled_from(["Анна", "Борис"]),
        ),
        max_size=25,
    )
)
def test_open_at_month_end_matches_a_direct_count(
    deals: list[tuple[int, int, str, str]],
) -> None:
    start = pd.Timestamp("2026-07-01")
    rows = []
    for lead_offset, close_offset, status, manager in deals:
        lead = start + pd.Timedelta(days=lead_offset)
        close = lead + pd.Timedelta(days=close_offset)
        if lead.date() > AS_OF:
            continue
        if close.date() > AS_OF:
            status = "open"
        row: dict[str, object] = {"lead_date": lead, "manager": manager, "status": status}
        if status != "open":
            row["close_date"] = close
        rows.append(row)
    result = funnel.figures(inputs(deals=deals_frame(rows)), AS_OF)
    assert result is not None and result.funnel is not None
    for record in result.funnel.itertuples(index=False):
        month_end = min(pd.Period(record.month).end_time.normalize(), pd.Timestamp(AS_OF))
        expected = sum(
            1
            for row in rows
            if (record.manager is None or row["manager"] == record.manager)
            and row["lead_date"] <= month_end
            and (row["status"] == "open" or row["close_date"] > month_end)
        )
        assert record.open == expected
