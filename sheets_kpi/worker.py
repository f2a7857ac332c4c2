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
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import schedule

from sheets_kpi.errors import ConfigError, LockedError

log = logging.getLogger(__name__)

_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# After this many failed cycles in a row the log says so plainly.
FAILURES_WORTH_SHOUTING = 3


def parse_interval(text: str) -> int:
    """`30s`, `15m`, `1h`, `1d` → seconds. Raises ConfigError with the valid format."""
    match = _INTERVAL.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise ConfigError(
            f"Не понял интервал «{text}». Укажите число и единицу: 30s (секунды), "
            "15m (минуты), 1h (часы) или 1d (дни), например --every 15m."
        )
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


def parse_at(text: str) -> str:
    """Check a daily time `HH:MM` (24-hour). Raises ConfigError with the valid format."""
    if not _AT.match((text or "").strip()):
        raise ConfigError(
            f"Не понял время «{text}». Укажите время суток как ЧЧ:ММ по 24-часовым часам, "
            "например --at 09:00 или --at 18:30."
        )
    return text.strip()


@dataclass(frozen=True)
class CycleOutcome:
    """What one cycle of one spreadsheet did."""

    wrote: bool  # False when nothing changed since the last successful cycle, or a lease skip
    summary: str  # one line for the log
    skipped_reason: str | None = None


@dataclass
class Target:
    """One spreadsheet the worker serves. `cycle(status)` runs it once and may raise anything."""

    name: str
    cycle: Callable[[dict[str, str]], CycleOutcome]
    consecutive_failures: int = 0
    last_failure: str | None = None
    last_success_at: datetime | None = None
    status: dict[str, str] = field(default_factory=dict)


class Worker:
    """Runs every target once at start and then on the schedule, until stopped."""

    def __init__(
        self,
        targets: Sequence[Target],
        *,
        every_seconds: int | None = None,
        at: Sequence[str] = (),
        scheduler: schedule.Scheduler | None = None,
        now: Callable[[], datetime] = datetime.now,
        verbose: bool = False,
    ) -> None:
        if not every_seconds and not at:
            raise ConfigError(
                "Для работы по расписанию укажите --every (например 15m) и/или --at "
                "(например 09:00), или [schedule] в конфиге. Для одного запуска: run --once."
            )
        self.targets = list(targets)
        self.scheduler = scheduler or schedule.Scheduler()
        self.now = now
        self.verbose = verbose
        self.stop_event = threading.Event()
        self.cycles_run = 0
        if every_seconds:
            self.scheduler.every(every_seconds).seconds.do(self.run_cycle)
        for moment in at:
            self.scheduler.every().day.at(parse_at(moment)).do(self.run_cycle)

    def next_run(self) -> datetime | None:
        return self.scheduler.next_run

    def run_cycle(self) -> None:
        """One cycle over every target; a failing target never stops the others."""
        self.cycles_run += 1
        for target in self.targets:
            self._run_target(target)

    def _run_target(self, target: Target) -> None:
        status = dict(target.status)
        next_run = self.next_run()
        if next_run is not None:
            status["next_run"] = next_run.strftime("%Y-%m-%d %H:%M")
        if target.last_failure:
            status["last_failure"] = target.last_failure
        try:
            outcome = target.cycle(status)
        except Exception as error:  # the worker never dies of a cycle
            target.consecutive_failures += 1
            target.last_failure = f"{self.now():%Y-%m-%d %H:%M}: {_one_line(error)}"
            log.error(
                "%s: цикл не удался: %s", target.name, _one_line(error), exc_info=self.verbose
            )
            if target.consecutive_failures >= FAILURES_WORTH_SHOUTING:
                log.error(
                    "%s: уже %d неудачных циклов подряд — проверьте доступ к таблице и сеть; "
                    "бот продолжит попытки по расписанию.",
                    target.name,
                    target.consecutive_failures,
                )
            return
        if target.consecutive_failures:
            log.info(
                "%s: снова работает после %d неудачных циклов.",
                target.name,
                target.consecutive_failures,
            )
        target.consecutive_failures = 0
        target.last_failure = None
        target.last_success_at = self.now()
        log.info("%s: %s", target.name, outcome.summary)

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
        log.info("Остановлен по сигналу; текущий цикл завершён.")
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


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."


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
        raise LockedError(
            f"С этой таблицей уже работает другой процесс sheets-kpi "
            f"(pid {info.get('pid', '?')} на {info.get('host', '?')}, с {info.get('since', '?')}). "
            "Остановите его или дождитесь окончания; два бота на одной таблице не запускаются."
        ) from None
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
