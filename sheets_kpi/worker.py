"""The scheduled worker (SPEC §12): runs cycles on a schedule, forever, without dying of one.

The worker owns its own `schedule.Scheduler` (never the module-level default). Everything that
touches a spreadsheet is behind `Target.cycle`, so the loop, the signals, the lock and the
failure accounting are testable with a fake cycle and a moved clock.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

from sheets_kpi.backends.base import Backend
from sheets_kpi.config import INTERVAL_RANGE_TEXT, interval_allowed, interval_seconds
from sheets_kpi.core.model import RawWorkbook
from sheets_kpi.core.output.labels import LABELS
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite
from sheets_kpi.errors import ConfigError, LockedError, SheetsKpiError
from sheets_kpi.messages import pair, text
from sheets_kpi.redact import redact

log = logging.getLogger(__name__)

_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# After this many failed cycles in a row the log says so plainly.
FAILURES_WORTH_SHOUTING = 3


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
        self.stop_event = threading.Event()
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
            if self.stop_event.is_set():  # a signal: finish the spreadsheet at hand, no more
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
        """Ask the loop to finish: the current cycle completes, then `run` returns."""
        self.stop_event.set()

    def run(self, *, max_idle_wait: float = 60.0) -> int:
        """Run the first cycle now, then the schedule until stopped. Returns the exit code 0."""
        self.run_cycle()
        while not self.stop_event.is_set():
            self.scheduler.run_pending()
            if self.stop_event.is_set():
                break
            idle = self.scheduler.idle_seconds
            wait = max_idle_wait if idle is None else min(max(idle, 0.0), max_idle_wait)
            # Event.wait returns at once when a signal sets the event: idle workers exit fast.
            self.stop_event.wait(wait if wait > 0 else 0.05)
        log.info(text("worker_stopped", self.language))
        return 0


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


# --- state for `sheets-kpi status` ------------------------------------------------------------


@dataclass
class TargetState:
    """What the owner wants to know about one spreadsheet; one small JSON file each.

    Times are the agency's wall clock (the target's time zone), `YYYY-MM-DD HH:MM:SS`.
    """

    name: str
    last_update_at: str | None = None  # the generated tabs were last rewritten
    as_of: str | None = None  # the `as_of` of those figures
    last_success_at: str | None = None  # the last cycle that worked (wrote or found no change)
    last_cycle_at: str | None = None
    last_result: str | None = None  # "wrote", "unchanged", "lease", "read"
    next_run: str | None = None
    last_failure: str | None = None  # set while the most recent cycle failed
    consecutive_failures: int = 0


def state_path(state_dir: Path, identity: str) -> Path:
    """The state file of a spreadsheet identity, next to its lock file."""
    return lock_path(state_dir, identity).with_suffix(".state.json")


def read_state(path: Path) -> TargetState | None:
    """The recorded state, or None when there is none (never run) or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    known = TargetState.__dataclass_fields__
    return TargetState(**{key: value for key, value in data.items() if key in known})


def write_state(path: Path, state: TargetState) -> None:
    """Write the state file atomically (temp file + rename), so `status` never reads half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        json.dump(asdict(state), handle, ensure_ascii=False, indent=1)
    os.replace(handle.name, path)


# --- the lease: no overlap across machines -----------------------------------------------------

LEASE_KEY = "lease"  # the status key; core/labels.py gives it its Сводка label
LEASE_LABELS = LABELS[LEASE_KEY]  # RU, EN: how the row is found again on Сводка
MIN_LEASE_SECONDS = 600
_LEASE_VALUE = re.compile(
    r"^(?P<host>.+), pid (?P<pid>\d+), (?:до|until) "
    r"(?P<expires>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$"
)


@dataclass(frozen=True)
class Lease:
    """A worker's mark on Сводка: who writes this spreadsheet, and until when (UTC)."""

    host: str
    pid: int
    expires: datetime  # aware, UTC

    def text(self, language: str = "ru") -> str:
        until = "until" if language == "en" else "до"
        return f"{self.host}, pid {self.pid}, {until} {self.expires:%Y-%m-%d %H:%M:%S} UTC"


class LeaseHeld(SheetsKpiError):
    """Another worker (on another machine) holds a fresh lease on this spreadsheet."""


def lease_seconds(every_seconds: int | None, at: Sequence[str], configured: str | None) -> int:
    """How long a written lease lasts; 0 = no lease (`lease = "off"`).

    Default: twice the gap between cycles (for `--at` only: the longest gap between the daily
    times), at least 10 minutes.
    """
    if configured == "off":
        return 0
    if configured:
        return parse_interval(configured)
    gaps: list[int] = []
    if every_seconds:
        gaps.append(every_seconds)
    if at:
        minutes = sorted({int(moment[:2]) * 60 + int(moment[3:5]) for moment in at})
        following = [*minutes[1:], minutes[0] + 24 * 60]
        gaps.append(max(b - a for a, b in zip(minutes, following, strict=True)) * 60)
    gap = min(gaps) if gaps else MIN_LEASE_SECONDS
    return max(2 * gap, MIN_LEASE_SECONDS)


def find_lease(rows: Sequence[Sequence[object]]) -> Lease | None:
    """The lease recorded on Сводка's status rows (label in column A, value in B), if any."""
    for row in rows[:40]:
        if len(row) < 2 or not isinstance(row[0], str) or row[0].strip() not in LEASE_LABELS:
            continue
        match = _LEASE_VALUE.match(str(row[1] or "").strip())
        if match is None:
            return None
        expires = datetime.strptime(match.group("expires"), "%Y-%m-%d %H:%M:%S")
        return Lease(match.group("host"), int(match.group("pid")), expires.replace(tzinfo=UTC))
    return None


def lease_holder(lease: Lease | None, *, host: str, lock_held: bool, now: datetime) -> Lease | None:
    """The other worker that holds `lease` now, or None when this worker may write.

    A lease from this very host is never in the way: the machine-wide lock (held by this
    process) proves its writer is gone, e.g. the worker before a restart.
    """
    if lease is None or lease.expires <= now:
        return None
    if lease.host == host and (lock_held or lease.pid == os.getpid()):
        return None
    return lease


class LeasedBackend:
    """A backend wrapper that reads Сводка along with the inputs (no extra request) and refuses
    the cycle while another machine's worker holds a fresh lease. Implements `Backend`."""

    def __init__(
        self,
        inner: Backend,
        summary_title: str,
        *,
        seconds: int,
        host: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.inner = inner
        self.summary_title = summary_title
        self.seconds = seconds
        self.host = host or socket.gethostname()
        self.clock = clock

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """The inputs as `inner.read` gives them; raises LeaseHeld while another holds the lease.
        Сводка is read in the same request and dropped, so the fingerprint sees inputs only."""
        if not self.seconds:
            return self.inner.read(wanted)
        raw = self.inner.read(lambda title: wanted(title) or title == self.summary_title)
        tabs = dict(raw.tabs)
        summary = tabs.pop(self.summary_title, None)
        if summary is not None and not wanted(self.summary_title):
            raw = RawWorkbook(raw.titles, tabs, raw.sheet_ids)
        if summary is not None:
            holder = lease_holder(
                find_lease(summary.rows), host=self.host, lock_held=True, now=self.clock()
            )
            if holder is not None:
                until = f"{holder.expires:%Y-%m-%d %H:%M}"
                raise LeaseHeld(*pair("lease_held", host=holder.host, pid=holder.pid, until=until))
        return raw

    def lease(self) -> Lease | None:
        """The lease to write with the next write (None when leases are off)."""
        if not self.seconds:
            return None
        return Lease(self.host, os.getpid(), self.clock() + timedelta(seconds=self.seconds))

    def write(self, plans: Sequence[TabWrite]) -> None:
        self.inner.write(plans)

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        return self.inner.init(tabs)

    def describe(self) -> str:
        return self.inner.describe()


@dataclass
class SpreadsheetLock:
    """An exclusive lock on one spreadsheet for this machine (a file with the holder's pid)."""

    path: Path
    handle: IO[str]

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


def lock_path(state_dir: Path, identity: str) -> Path:
    """The lock file of a spreadsheet identity (an absolute path or a spreadsheet ID)."""
    safe = re.sub(r"[^\w.-]+", "_", identity).strip("_")[-120:] or "spreadsheet"
    return state_dir / f"{safe}.lock"


def lock_holder(state_dir: Path, identity: str) -> dict[str, object] | None:
    """Who holds the spreadsheet's lock now (pid, host, since), or None when nobody does."""
    import fcntl

    path = lock_path(state_dir, identity)
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            try:
                info = json.loads(handle.read() or "{}")
            except json.JSONDecodeError:
                info = {}
            return info if isinstance(info, dict) else {}
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def acquire_lock(state_dir: Path, identity: str) -> SpreadsheetLock:
    """Take the machine-wide lock of a spreadsheet, or raise LockedError naming the holder."""
    import fcntl  # POSIX only: the worker runs on a Linux server (deploy/sheets-kpi.service)

    state_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(state_dir, identity)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "{}"
        handle.close()
        try:
            info = json.loads(holder)
        except json.JSONDecodeError:
            info = {}
        fields = {key: info.get(key, "?") for key in ("pid", "host", "since")}
        raise LockedError(*pair("locked", **fields)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(
        json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "spreadsheet": identity,
            },
            ensure_ascii=False,
        )
    )
    handle.flush()
    return SpreadsheetLock(path, handle)
