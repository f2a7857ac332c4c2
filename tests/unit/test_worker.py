"""The worker loop with a fake cycle and a moved clock (no sleeping through real minutes)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from sheets_kpi.core.model import RawTab, RawWorkbook
from sheets_kpi.errors import ConfigError, LockedError
from sheets_kpi.worker import (
    CycleOutcome,
    Lease,
    LeasedBackend,
    LeaseHeld,
    Target,
    TargetState,
    Worker,
    acquire_lock,
    find_lease,
    lease_holder,
    lease_seconds,
    lock_holder,
    parse_at,
    parse_interval,
    read_state,
    state_path,
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
    assert any("3 неудачных цикла подряд" in r.getMessage() for r in caplog.records)


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


def test_a_signal_while_idle_ends_run_after_the_first_cycle():
    # idle for an hour between cycles; SIGALRM (routed to `stop` like SIGTERM) comes at 0.1 s.
    # The handler only sets a flag (an Event's lock in a handler can deadlock the loop). A
    # thread stops the worker after 30 s as a failsafe, so a broken stop fails, never hangs.
    calls: list = []
    worker = Worker([recording_target("a", calls)], every_seconds=3600)
    failsafe = threading.Timer(30, worker.stop)
    previous = signal.signal(signal.SIGALRM, worker.stop)
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    failsafe.start()
    try:
        assert worker.run(max_idle_wait=3600) == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        stopped_by_failsafe = not failsafe.is_alive()
        failsafe.cancel()
    assert not stopped_by_failsafe
    assert len(calls) == 1 and worker.cycles_run == 1


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


# --- next run, stop between spreadsheets, state files --------------------------------------


def test_next_run_seen_from_inside_a_running_job_is_one_period_on():
    seen: list = []

    def cycle(status):
        seen.append(status["next_run"])
        return CycleOutcome(wrote=True, summary="ok")

    with freeze_time("2026-11-23 10:00:00") as clock:
        worker = Worker([Target("a", cycle)], every_seconds=900)
        clock.tick(timedelta(minutes=15))
        worker.scheduler.run_pending()  # the job runs at 10:15; its own next_run is still 10:15
    # 10:15 + 15 minutes, not the moment that is running now
    assert seen == ["2026-11-23 10:30"]


def test_a_signal_mid_cycle_skips_the_remaining_spreadsheets():
    calls: list = []

    def first(status):
        worker.stop()
        calls.append("first")
        return CycleOutcome(wrote=True, summary="ok")

    worker = Worker([Target("first", first), recording_target("second", calls)], every_seconds=60)
    assert worker.run(max_idle_wait=0.01) == 0
    assert calls == ["first"]  # the first finished, the second never started


def test_state_file_records_update_as_of_next_run_and_failures(tmp_path):
    attempts: list = []

    def cycle(status):
        attempts.append(1)
        if len(attempts) == 2:
            raise RuntimeError("квота Google исчерпана")
        return CycleOutcome(wrote=len(attempts) == 1, summary="ok", as_of=date(2026, 11, 23))

    path = state_path(tmp_path, "/data/agency.xlsx")
    with freeze_time("2026-11-23 10:00:00") as clock:
        worker = Worker([Target("Отдел", cycle, state_path=path)], every_seconds=900)
        worker.run_cycle()  # 10:00 wrote
        first = read_state(path)
        clock.tick(timedelta(minutes=15))
        worker.scheduler.run_pending()  # 10:15 failed
        failed = read_state(path)
        clock.tick(timedelta(minutes=15))
        worker.scheduler.run_pending()  # 10:30 nothing changed: no write
        recovered = read_state(path)
    assert first == TargetState(
        name="Отдел",
        last_update_at="2026-11-23 10:00:00",
        as_of="2026-11-23",
        last_success_at="2026-11-23 10:00:00",
        last_cycle_at="2026-11-23 10:00:00",
        last_result="wrote",
        next_run="2026-11-23 10:15:00",
        last_failure=None,
        consecutive_failures=0,
    )
    assert failed.consecutive_failures == 1
    assert failed.last_failure == "2026-11-23 10:15: квота Google исчерпана"
    assert failed.last_update_at == "2026-11-23 10:00:00"  # the figures are still from 10:00
    assert failed.next_run == "2026-11-23 10:30:00"
    assert recovered.consecutive_failures == 0 and recovered.last_failure is None
    assert recovered.last_success_at == "2026-11-23 10:30:00"
    assert recovered.last_update_at == "2026-11-23 10:00:00"  # read, found no change


def test_unreadable_state_file_is_no_state(tmp_path):
    path = tmp_path / "x.state.json"
    path.write_text("{not json", encoding="utf-8")
    assert read_state(path) is None
    assert read_state(tmp_path / "missing.json") is None


def test_lock_holder_names_the_running_process(tmp_path):
    assert lock_holder(tmp_path, "/data/agency.xlsx") is None
    lock = acquire_lock(tmp_path, "/data/agency.xlsx")
    try:
        assert lock_holder(tmp_path, "/data/agency.xlsx")["pid"] == os.getpid()
    finally:
        lock.release()
    assert lock_holder(tmp_path, "/data/agency.xlsx") is None


# --- the lease -------------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("every", "at", "configured", "seconds"),
    [
        (900, (), None, 1800),  # 2 × 15 min
        (60, (), None, 600),  # 2 × 1 min is under the 10-minute floor
        (None, ("09:00",), None, 2 * 86400),  # once a day: the gap is 24 h
        (None, ("09:00", "18:00"), None, 2 * 15 * 3600),  # longest gap 18:00 → 09:00 = 15 h
        (900, ("09:00",), None, 1800),  # both: the shorter gap
        (900, (), "1h", 3600),
        (900, (), "off", 0),
    ],
)
def test_lease_lasts_twice_the_gap_at_least_ten_minutes(every, at, configured, seconds):
    assert lease_seconds(every, at, configured) == seconds


def test_lease_text_is_found_again_on_the_summary_rows():
    lease = Lease("server-a", 4242, NOW + timedelta(minutes=30))
    rows = [
        [None],
        ["Обновлено", 46000.5],
        ["Данные на", 46000],
        ["Следующий запуск", "2026-11-23 10:15"],
        ["Обслуживает бот", lease.text("ru")],
    ]
    assert find_lease(rows) == lease
    assert find_lease([["Served by worker", lease.text("en")]]) == lease
    assert find_lease([["Обновлено", 1]]) is None
    assert find_lease([["Обслуживает бот", "кто-то правил руками"]]) is None


def test_fresh_lease_of_another_machine_holds_until_it_expires():
    lease = Lease("server-a", 4242, NOW + timedelta(minutes=30))
    assert lease_holder(lease, host="server-b", lock_held=True, now=NOW) == lease
    later = NOW + timedelta(minutes=30)
    assert lease_holder(lease, host="server-b", lock_held=True, now=later) is None


def test_own_machine_lease_never_blocks_a_restarted_worker():
    # the machine-wide lock this worker holds proves pid 4242 is gone
    lease = Lease("server-a", 4242, NOW + timedelta(minutes=30))
    assert lease_holder(lease, host="server-a", lock_held=True, now=NOW) is None


class MemoryBackend:
    """Two input-ish tabs and a Сводка in memory; counts reads and writes."""

    def __init__(self, summary_rows: list[list[object]]) -> None:
        self.tabs = {
            "Продажи": RawTab("Продажи", [["Дата", "Менеджер"], [46000, "Анна"]]),
            "Сводка": RawTab("Сводка", summary_rows),
        }
        self.reads: list[set[str]] = []
        self.writes = 0

    def read(self, wanted):
        asked = {title for title in self.tabs if wanted(title)}
        self.reads.append(asked)
        return RawWorkbook(tuple(self.tabs), {t: self.tabs[t] for t in asked})

    def write(self, plans):
        self.writes += 1

    def init(self, tabs):
        return []

    def describe(self):
        return "memory"


def only_sales(title: str) -> bool:
    return title == "Продажи"


def test_leased_read_takes_summary_in_the_same_read_and_hands_back_inputs_only():
    other = Lease("server-a", 1, NOW - timedelta(minutes=1))  # expired
    inner = MemoryBackend([["Обслуживает бот", other.text()]])
    leased = LeasedBackend(inner, "Сводка", seconds=600, host="server-b", clock=lambda: NOW)
    raw = leased.read(only_sales)
    assert inner.reads == [{"Продажи", "Сводка"}]  # one read, Сводка along
    assert set(raw.tabs) == {"Продажи"}  # the fingerprint sees the inputs only
    assert raw.titles == ("Продажи", "Сводка")
    assert leased.lease() == Lease("server-b", os.getpid(), NOW + timedelta(seconds=600))


def test_leased_read_refuses_while_another_machine_holds_the_lease():
    holder = Lease("server-a", 4242, NOW + timedelta(minutes=20))
    inner = MemoryBackend([["Обслуживает бот", holder.text()]])
    leased = LeasedBackend(inner, "Сводка", seconds=600, host="server-b", clock=lambda: NOW)
    with pytest.raises(LeaseHeld, match="server-a, pid 4242"):
        leased.read(only_sales)
    assert len(inner.reads) == 1 and inner.writes == 0


def test_leases_off_read_only_what_was_asked():
    inner = MemoryBackend([])
    leased = LeasedBackend(inner, "Сводка", seconds=0, host="server-b", clock=lambda: NOW)
    assert set(leased.read(only_sales).tabs) == {"Продажи"}
    assert inner.reads == [{"Продажи"}]
    assert leased.lease() is None


def test_state_file_keeps_the_last_update_across_a_restart(tmp_path):
    path = state_path(tmp_path, "/data/agency.xlsx")

    def wrote(status):
        return CycleOutcome(wrote=True, summary="ok", as_of=date(2026, 11, 23))

    def unchanged(status):
        return CycleOutcome(wrote=False, summary="ok", skipped_reason="unchanged")

    with freeze_time("2026-11-23 10:00:00"):
        Worker([Target("a", wrote, state_path=path)], every_seconds=900).run_cycle()
    with freeze_time("2026-11-23 12:00:00"):  # a new process: nothing written yet
        Worker([Target("a", unchanged, state_path=path)], every_seconds=900).run_cycle()
    state = read_state(path)
    assert (state.last_update_at, state.as_of) == ("2026-11-23 10:00:00", "2026-11-23")
    assert state.last_success_at == "2026-11-23 12:00:00"
