"""The worker's loop (SPEC §12): runs cycles on a schedule, forever, without dying of one.

The worker owns its own `schedule.Scheduler` (never the module-level default). Everything that
touches a spreadsheet is behind `Target.cycle`, so the loop, the signals and the failure
accounting are testable with a fake cycle and a moved clock.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

from sheets_kpi.config_sections import INTERVAL_RANGE_TEXT, interval_allowed, interval_seconds
from sheets_kpi.errors import ConfigError, SheetsKpiError
from sheets_kpi.messages import pair, text
from sheets_kpi.redact import redact
from sheets_kpi.worker.state import TargetState, read_state, write_state

log = logging.getLogger(__name__)

_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# After this many failed cycles in a row the log says so plainly.
FAILURES_WORTH_SHOUTING = 3
# How soon an idle worker notices `stop` (a signal), in seconds.
STOP_CHECK_SECONDS = 0.2


def parse_interval(text: str) -> int:
    """`30s`, `15m`, `1h`, `1d` → seconds. Raises ConfigError with the valid format."""
    seconds = interval_seconds(text)
    if not seconds:
        raise ConfigError(*pair("interval_format", value=text))
    if not interval_allowed(seconds):
        low, high = INTERVAL_RANGE_TEXT
        raise ConfigError(*pair("interval_range", value=text, range_ru=low, range_en=high))
    return seconds


def parse_at(text: str) -> str:
    """Check a daily time `HH:MM` (24-hour). Raises ConfigError with the valid format."""
    if not _AT.match((text or "").strip()):
        raise ConfigError(*pair("at_format", value=text))
    return text.strip()


@dataclass(frozen=True)
class CycleOutcome:
    """What one cycle of one spreadsheet did."""

    wrote: bool  # False when nothing changed since the last successful cycle, or a lease skip
    summary: str  # one line for the log
    skipped_reason: str | None = None  # "unchanged" or "lease"
    as_of: date | None = None  # the `as_of` of the figures written


@dataclass
class Target:
    """One spreadsheet the worker serves. `cycle(status)` runs it once and may raise anything."""

    name: str
    cycle: Callable[[dict[str, str]], CycleOutcome]
    consecutive_failures: int = 0
    last_failure: str | None = None
    last_success_at: datetime | None = None
    status: dict[str, str] = field(default_factory=dict)
    state_path: Path | None = None  # where `TargetState` is recorded for `sheets-kpi status`
    state: TargetState | None = None
    timezone: str | None = None  # the agency's: times on Сводка and in the state file

    def wall_clock(self, moment: datetime) -> datetime:
        """A moment of the worker's clock (the server's local time) on the agency's clock."""
        if self.timezone is None:
            return moment
        try:
            return moment.astimezone(ZoneInfo(self.timezone)).replace(tzinfo=None)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return moment


class Worker:
    """Runs every target once at start and then on the schedule, until stopped."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        every_seconds: int | None = None,
        at: Sequence[str] = (),
        scheduler: schedule.Scheduler | None = None,
        now: Callable[[], datetime] | None = None,
        verbose: bool = False,
        language: str = "ru",
    ) -> None:
        if not every_seconds and not at:
            raise ConfigError(*pair("worker_no_schedule"))
        self.targets = list(targets)
        self.scheduler = scheduler or schedule.Scheduler()
        self.now = now or _local_now
        self.verbose = verbose
        self.language = language  # of the log lines
        self.stopping = False  # set by `stop`, from a signal handler or another thread
        self.cycles_run = 0
        if every_seconds:
            self.scheduler.every(every_seconds).seconds.do(self.run_cycle)
        for moment in at:
            self.scheduler.every().day.at(parse_at(moment)).do(self.run_cycle)

    def next_run(self) -> datetime | None:
        """The next planned cycle after now (a job running right now counts from its next)."""
        now = self.now()
        upcoming: list[datetime] = []
        for job in self.scheduler.jobs:
            planned = job.next_run
            if planned is None:
                continue
            if planned <= now and job.unit in ("seconds", "minutes", "hours", "days", "weeks"):
                # running now, or overdue: it runs again one period on, or at once if late
                planned = max(planned + timedelta(**{job.unit: job.interval}), now)
            upcoming.append(planned)
        return min(upcoming, default=None)

    def run_cycle(self) -> None:
        """One cycle over every target; a failing target never stops the others."""
        self.cycles_run += 1
        for target in self.targets:
            if self.stopping:  # a signal: finish the spreadsheet at hand, no more
                log.info(text("worker_stopping", self.language))
                break
            self._run_target(target)

    def _run_target(self, target: Target) -> None:
        status = dict(target.status)
        next_run = self.next_run()
        if next_run is not None:
            status["next_run"] = target.wall_clock(next_run).strftime("%Y-%m-%d %H:%M")
        if target.last_failure:
            status["last_failure"] = target.last_failure
        try:
            outcome = target.cycle(status)
        except Exception as error:  # the worker never dies of a cycle
            target.consecutive_failures += 1
            when = target.wall_clock(self.now())
            target.last_failure = f"{when:%Y-%m-%d %H:%M}: {one_line(error, self.language)}"
            self._record(target, None)
            reason = one_line(error, self.language)
            failed = text("cycle_failed", self.language, name=target.name, error=reason)
            log.error("%s", failed, exc_info=self.verbose)
            if target.consecutive_failures >= FAILURES_WORTH_SHOUTING:
                count = target.consecutive_failures
                log.error("%s", text("failing_in_a_row", self.language, name=target.name, n=count))
            return
        if target.consecutive_failures:
            count = target.consecutive_failures
            log.info("%s", text("working_again", self.language, name=target.name, n=count))
        target.consecutive_failures = 0
        target.last_failure = None
        target.last_success_at = self.now()
        self._record(target, outcome)
        log.info("%s: %s", target.name, outcome.summary)

    def _record(self, target: Target, outcome: CycleOutcome | None) -> None:
        """Update the target's state (and its file) after a cycle; `outcome` None = failed."""
        state = target.state
        if state is None and target.state_path is not None:
            state = read_state(target.state_path)  # the last update survives a restart
        if state is None:
            state = TargetState(name=target.name)
        state.name = target.name
        now = f"{target.wall_clock(self.now()):%Y-%m-%d %H:%M:%S}"
        next_run = self.next_run()
        state.next_run = f"{target.wall_clock(next_run):%Y-%m-%d %H:%M:%S}" if next_run else None
        state.consecutive_failures = target.consecutive_failures
        state.last_failure = target.last_failure
        state.last_cycle_at = now
        if outcome is not None:
            state.last_success_at = now
            state.last_result = outcome.skipped_reason or ("wrote" if outcome.wrote else "read")
            if outcome.wrote:
                state.last_update_at = now
                state.as_of = outcome.as_of.isoformat() if outcome.as_of else state.as_of
        target.state = state
        if target.state_path is not None:
            try:
                write_state(target.state_path, state)
            except OSError as error:  # a status file is a convenience, never worth a cycle
                where = {"name": target.name, "path": target.state_path, "error": error}
                log.warning("%s", text("state_not_written", self.language, **where))

    def stop(self, *_: object) -> None:
        """Ask the loop to finish: the current cycle completes, then `run` returns.

        Safe in a signal handler: it only sets a flag. (Setting a `threading.Event` there
        takes the event's lock, which the interrupted thread may hold inside `Event.wait`:
        a worker that never exits on SIGTERM.)"""
        self.stopping = True

    def run(self, *, max_idle_wait: float = 60.0) -> int:
        """Run the first cycle now, then the schedule until stopped. Returns the exit code 0."""
        self.run_cycle()
        while not self.stopping:
            self.scheduler.run_pending()
            if self.stopping:
                break
            idle = self.scheduler.idle_seconds
            wait = max_idle_wait if idle is None else min(max(idle, 0.0), max_idle_wait)
            self._idle(wait if wait > 0 else 0.05)
        log.info(text("worker_stopped", self.language))
        return 0

    def _idle(self, seconds: float) -> None:
        """Sleep `seconds` in short slices, returning soon after `stop` (idle workers exit
        fast). Slices are counted, not timed: a test's frozen clock cannot stall them."""
        slices = max(1, math.ceil(seconds / STOP_CHECK_SECONDS))
        for _ in range(slices):
            if self.stopping:
                return
            time.sleep(seconds / slices)


@contextlib.contextmanager
def stop_on_signals(worker: Worker) -> Iterator[None]:
    """Route SIGINT and SIGTERM to `worker.stop` while inside the block."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, worker.stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _local_now() -> datetime:
    # looked up at each call, so a moved clock (freezegun, schedule's own) is seen
    return datetime.now()


def one_line(error: BaseException, language: str = "ru") -> str:
    """An error as one short line for the log and the state file, key material hidden."""
    said = error.text(language) if isinstance(error, SheetsKpiError) else str(error)
    text = redact(" ".join(said.split())) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
