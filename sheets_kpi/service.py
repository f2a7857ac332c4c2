"""The command line's wiring of the worker (SPEC §12): one `worker.Target` per spreadsheet with
its own cycle, fingerprint and lease, the machine locks, and the state file a `run --once`
leaves for `sheets-kpi status`."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_kpi import console, options, worker
from sheets_kpi.backends.base import Backend
from sheets_kpi.config import config_for_output
from sheets_kpi.core.run import config_problem
from sheets_kpi.core.settings import Config
from sheets_kpi.errors import ConfigError, SheetsKpiError, UsageError
from sheets_kpi.messages import pair
from sheets_kpi.pipeline import RunOutcome, run_once, show_fatal
from sheets_kpi.worker import CycleOutcome, acquire_lock

logger = logging.getLogger(__name__)


def run_once_locked(backend: Backend, config: Config, as_of: date) -> RunOutcome:
    """One `run --once` under the spreadsheet's machine lock (a cron run never overlaps a
    worker or a slow previous run on the same spreadsheet), recorded in its state file."""
    lock = acquire_lock(options.state_dir(), backend.describe())
    try:
        try:
            outcome = run_once(backend, config, as_of, options.run_at(config))
        except Exception as error:
            record_once(config, backend.describe(), None, as_of, error)
            raise
        record_once(config, backend.describe(), outcome, as_of)
    finally:
        lock.release()
    return outcome


def show_config_failure(args: argparse.Namespace, error: ConfigError) -> bool:
    """SPEC §3: an invalid config is fatal, and `run` shows it in the spreadsheet like a missing
    `Продажи` tab: the problem in `Ошибки` and a banner on `Сводка`, the last good figures kept.

    Possible only when the rest of the config still says where the spreadsheet is and how its
    tabs are named (the bad value is a computing setting: bonus, alerts, schedule, retry);
    otherwise, or when the spreadsheet cannot be reached or is busy, the terminal message is
    all there is. True when the spreadsheet was written."""
    path = options.config_path(args)
    config = config_for_output(path) if path is not None else None
    if config is None:
        return False
    problem = config_problem(path.name, str(error))
    try:
        backend = options.backend(args, config, xlsx=args.xlsx, must_exist=True)
        lock = acquire_lock(options.state_dir(), backend.describe())
        try:
            as_of = options.as_of(args, config)
            show_fatal(backend, config, [problem], as_of, options.run_at(config))
        finally:
            lock.release()
    except SheetsKpiError:
        logger.debug("the config problem could not be shown in the spreadsheet", exc_info=True)
        return False
    logger.info("the config problem is shown in %s", backend.describe())
    return True


def serve(args: argparse.Namespace, config: Config) -> int:
    """`run` without `--once`: the scheduled worker (SPEC §12)."""
    every = args.every or config.schedule.every
    # each daily time checked before anything reads it (`9:00` is a usage error, exit 2)
    at = tuple(worker.parse_at(moment) for moment in tuple(args.at or ()) or config.schedule.at)
    if not every and not at:
        raise UsageError(*pair("no_schedule"))
    fixed_as_of = options.as_of(args, config) if args.as_of else None
    entries = options.spreadsheets(args, config)
    if args.report is not None and len(entries) > 1:
        raise UsageError(*pair("report_several_worker"))
    report = options.report_target(args, options.local_workbook(args, entries[0]), config)
    every_seconds = worker.parse_interval(every) if every else None
    lease_seconds = worker.lease_seconds(every_seconds, at, config.schedule.lease)
    console.log_each_cycle(bool(args.verbose))

    targets: list[worker.Target] = []
    identities: list[str] = []
    for entry in entries:
        if len(entries) == 1:  # one table: a missing workbook or a bad key stops the start
            backend: Backend | SheetsKpiError = options.backend(
                args, entry, xlsx=args.xlsx, must_exist=True
            )
        else:  # several: a broken one fails its own cycles, the others are served
            try:
                backend = options.backend(
                    args, entry, xlsx=options.entry_xlsx(entry), must_exist=False
                )
            except SheetsKpiError as error:
                backend = error
        identity = options.identity(args, entry)
        identities.append(identity)
        cycle = make_cycle(entry, backend, lease_seconds, fixed_as_of, run_once, report)
        targets.append(
            worker.Target(
                entry.name or identity,
                cycle,
                state_path=worker.state_path(options.state_dir(), identity),
                timezone=entry.timezone,
            )
        )
    runner = worker.Worker(
        targets,
        every_seconds=every_seconds,
        at=at,
        verbose=bool(args.verbose),
        language=config.language,
    )
    locks: list[worker.SpreadsheetLock] = []
    try:
        for identity in identities:
            locks.append(worker.acquire_lock(options.state_dir(), identity))
        with worker.stop_on_signals(runner):
            return runner.run()
    finally:
        for lock in locks:
            lock.release()


def make_cycle(
    config: Config,
    backend: Backend | SheetsKpiError,
    lease_seconds: int,
    fixed_as_of: date | None,
    run_once: Callable[..., RunOutcome],
    report: Path | None = None,
) -> Callable[[dict[str, str]], CycleOutcome]:
    """One spreadsheet's cycle for the worker, with its own fingerprint and lease."""
    if isinstance(backend, SheetsKpiError):
        failure = backend

        def broken(status: dict[str, str]) -> worker.CycleOutcome:
            raise failure

        return broken
    leased = worker.LeasedBackend(backend, config.tab_title("summary"), seconds=lease_seconds)
    last_fingerprint: str | None = None

    def cycle(status: dict[str, str]) -> worker.CycleOutcome:
        nonlocal last_fingerprint
        as_of = fixed_as_of or options.today(config)
        lease = leased.lease()
        if lease is not None:
            status = {**status, worker.LEASE_KEY: lease.text(config.language)}
        try:
            outcome = run_once(
                leased,
                config,
                as_of,
                options.run_at(config),
                status=status,
                skip_if=last_fingerprint,
            )
        except worker.LeaseHeld as held:
            return worker.CycleOutcome(wrote=False, summary=str(held), skipped_reason="lease")
        if outcome.unchanged:
            return worker.CycleOutcome(
                wrote=False,
                summary=console.say(
                    config,
                    "данные и месяц не изменились, листы не переписаны",
                    "the data and the month have not changed, the tabs were not rewritten",
                ),
                skipped_reason="unchanged",
            )
        if report is not None:
            options.write_report(report, outcome, config, as_of)
        last_fingerprint = outcome.fingerprint
        return worker.CycleOutcome(
            wrote=outcome.wrote, summary=console.one_line_summary(outcome, config), as_of=as_of
        )

    return cycle


def record_once(
    config: Config,
    identity: str,
    outcome: RunOutcome | None,
    as_of: date,
    error: BaseException | None = None,
) -> None:
    """Record a `run --once` in the state file, so `status` also serves cron set-ups."""
    path = worker.state_path(options.state_dir(), identity)
    state = worker.read_state(path) or worker.TargetState(name=config.name or identity)
    now = datetime.now(ZoneInfo(config.timezone)).strftime("%Y-%m-%d %H:%M:%S")
    state.last_cycle_at = now
    state.next_run = None
    if outcome is None:
        state.consecutive_failures += 1
        text = worker.one_line(error) if error is not None else "?"
        state.last_failure = f"{now[:16]}: {text}"
    else:
        state.consecutive_failures = 0
        state.last_failure = None
        state.last_success_at = now
        state.last_result = "wrote" if outcome.wrote else "read"
        if outcome.wrote:
            state.last_update_at = now
            state.as_of = as_of.isoformat()
    try:
        worker.write_state(path, state)
    except OSError as problem:
        logger.warning("не удалось записать состояние в %s: %s", path, problem)
