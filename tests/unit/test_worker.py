"""The worker loop with a fake cycle and a moved clock (no sleeping through real minutes)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time

from sheets_kpi.errors import ConfigError, LockedError
from sheets_kpi.worker import (
    CycleOutcome,
    Target,
    Worker,
    acquire_lock,
    parse_at,
    parse_interval,
)


def recording_target(name: str, calls: list, fail_on: set[int] = frozenset()) -> Target:
    def cycle(status: dict[str, str]) -> CycleOutcome:
        calls.append((name, datetime.now(), dict(status)))
        if len(calls) in fail_on:
            raise RuntimeError("сеть недоступна")
        return CycleOutcome(wrote=True, summary="записано")

    return Target(name, cycle)


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("2d", 172800)]
)
def test_interval_accepts_seconds_minutes_hours_days(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "m15", "0m", "1w", "1.5h"])
def test_bad_interval_names_the_valid_format(text):
    with pytest.raises(ConfigError, match="15m"):
        parse_interval(text)


def test_bad_daily_time_names_the_valid_format():
    assert parse_at("09:00") == "09:00"
    with pytest.raises(ConfigError, match="ЧЧ:ММ"):
        parse_at("9am")


def test_worker_without_schedule_is_a_config_error():
    with pytest.raises(ConfigError, match="--every"):
        Worker([recording_target("a", [])])


def test_every_runs_at_start_and_then_each_interval():
    calls: list = []
    with freeze_time("2026-11-23 10:00:00") as clock:
        worker = Worker([recording_target("a", calls)], every_seconds=15 * 60)
        worker.run_cycle()  # the first cycle, as run() does at start
        clock.tick(timedelta(minutes=14))
        worker.scheduler.run_pending()
        assert len(calls) == 1  # 14 minutes: not yet
        clock.tick(timedelta(minutes=1))
        worker.scheduler.run_pending()
        assert [call[1] for call in calls] == [
            datetime(2026, 11, 23, 10, 0),
            datetime(2026, 11, 23, 10, 15),
        ]


def test_at_runs_daily_at_the_given_times():
    calls: list = []
    with freeze_time("2026-11-23 08:00:00") as clock:
        worker = Worker([recording_target("a", calls)], at=["09:00", "18:30"])
        assert worker.next_run() == datetime(2026, 11, 23, 9, 0)
        for _ in range(25 * 4):  # 25 hours in 15-minute steps, 08:00 → next day 09:00
            clock.tick(timedelta(minutes=15))
            worker.scheduler.run_pending()
        assert [call[1].strftime("%d %H:%M") for call in calls] == [
            "23 09:00",
            "23 18:30",
            "24 09:00",
        ]


def test_a_failed_cycle_is_logged_and_the_next_one_runs(caplog):
    calls: list = []
    caplog.set_level(logging.INFO, logger="sheets_kpi.worker")
    with freeze_time("2026-11-23 10:00:00") as clock:
        worker = Worker([recording_target("Отдел", calls, fail_on={1})], every_seconds=60)
        worker.run_cycle()
        target = worker.targets[0]
        assert target.consecutive_failures == 1
        assert "сеть недоступна" in target.last_failure
        clock.tick(timedelta(minutes=1))
        worker.scheduler.run_pending()
    assert len(calls) == 2
    assert target.consecutive_failures == 0
    # the second cycle was told about the previous failure, for the Сводка status line
    assert "сеть недоступна" in calls[1][2]["last_failure"]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "\n" not in errors[0].getMessage()
    assert not errors[0].exc_info  # a traceback only with --verbose


def test_several_failures_in_a_row_are_said_plainly(caplog):
    calls: list = []
    caplog.set_level(logging.ERROR, logger="sheets_kpi.worker")
    worker = Worker([recording_target("a", calls, fail_on={1, 2, 3})], every_seconds=60)
    for _ in range(3):
        worker.run_cycle()
    assert worker.targets[0].consecutive_failures == 3
    assert any("3 неудачных циклов подряд" in r.getMessage() for r in caplog.records)


def test_one_failing_spreadsheet_never_stops_the_others():
    calls: list = []

    def broken(status):
        raise OSError("диск недоступен")

    good = recording_target("good", calls)
    worker = Worker([Target("broken", broken), good], every_seconds=60)
    worker.run_cycle()
    worker.run_cycle()
    assert len(calls) == 2
    assert worker.targets[0].consecutive_failures == 2
    assert good.consecutive_failures == 0


def test_stop_during_a_cycle_finishes_it_then_run_returns_zero():
    finished: list = []

    def cycle(status):
        worker.stop()  # a signal arriving mid-cycle
        finished.append(True)
        return CycleOutcome(wrote=True, summary="ok")

    worker = Worker([Target("a", cycle)], every_seconds=60)
    assert worker.run(max_idle_wait=0.01) == 0
    assert finished == [True]
    assert worker.cycles_run == 1


def test_status_carries_the_next_planned_run():
    calls: list = []
    with freeze_time("2026-11-23 10:00:00"):
        worker = Worker([recording_target("a", calls)], every_seconds=900)
        worker.run_cycle()
    assert calls[0][2]["next_run"] == "2026-11-23 10:15"


def test_second_lock_on_one_spreadsheet_names_the_holder(tmp_path):
    first = acquire_lock(tmp_path, "/data/agency.xlsx")
    try:
        with pytest.raises(LockedError, match="pid"):
            acquire_lock(tmp_path, "/data/agency.xlsx")
        other = acquire_lock(tmp_path, "/data/other.xlsx")
        other.release()
    finally:
        first.release()
    acquire_lock(tmp_path, "/data/agency.xlsx").release()  # free again after release
