"""The scheduled worker over many cycles against the in-process fake of Sheets API v4.

Usage:
    python benchmarks/bench_worker.py                       # 1,000 cycles, 1,000 sales rows
    python benchmarks/bench_worker.py --cycles 200 --rows 10000 --change-every 20

One `Worker` with one Google spreadsheet target, wired as `sheets-kpi run --every` wires it
(`LeasedBackend` over `GSheetsBackend`, `pipeline.run_once` with the last fingerprint), reached
through the real gspread + google-auth + requests stack. Every `--change-every`-th cycle an
amount on `Продажи` is edited first, so that cycle recomputes and writes; the others find the
input unchanged and only read. Cycles are run back to back (no sleeping on the schedule).

Printed: the current RSS after 10, 100 and all cycles (memory must not grow), the
peak RSS, the mean time of an unchanged and of a changed cycle, and the Sheets requests per
cycle of each kind (token requests excluded).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_api import input_tabs  # noqa: E402

from sheets_kpi.backends.gsheets import GSheetsBackend  # noqa: E402
from sheets_kpi.config import Config  # noqa: E402
from sheets_kpi.pipeline import run_once  # noqa: E402
from sheets_kpi.worker import (  # noqa: E402
    CycleOutcome,
    LeasedBackend,
    LeaseHeld,
    Target,
    Worker,
    lease_seconds,
)
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsApi, python_cell  # noqa: E402

AS_OF = date(2026, 11, 22)


def current_rss_mib() -> float:
    """The resident set size of this process now, MiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1000, help="sales rows")
    parser.add_argument("--change-every", type=int, default=10)
    args = parser.parse_args()

    api = FakeSheetsApi()
    folder = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    key, email = key_file(api, folder)
    os.chmod(key, 0o600)
    api.create_spreadsheet(SPREADSHEET_ID, input_tabs(args.rows), editors=[email])
    waits = RecordedWaits()
    google = GSheetsBackend(
        SPREADSHEET_ID, key, adapter=api.adapter, sleep=waits.sleep, rand=lambda: 0.5
    )
    config = Config()
    leased = LeasedBackend(
        google, config.tab_title("summary"), seconds=lease_seconds(900, (), None)
    )
    last_fingerprint: str | None = None
    timings: dict[str, list[float]] = {"unchanged": [], "changed": []}
    requests: dict[str, list[int]] = {"unchanged": [], "changed": []}

    def cycle(status: dict[str, str]) -> CycleOutcome:
        nonlocal last_fingerprint
        lease = leased.lease()
        assert lease is not None
        status = {**status, "lease": lease.text()}
        run_at = datetime.now(UTC).replace(microsecond=0)
        try:
            outcome = run_once(
                leased, config, AS_OF, run_at, status=status, skip_if=last_fingerprint
            )
        except LeaseHeld as held:  # never here: one worker
            return CycleOutcome(wrote=False, summary=str(held), skipped_reason="lease")
        if outcome.unchanged:
            return CycleOutcome(wrote=False, summary="unchanged", skipped_reason="unchanged")
        last_fingerprint = outcome.fingerprint
        return CycleOutcome(wrote=outcome.wrote, summary="wrote", as_of=AS_OF)

    outcomes: list[CycleOutcome] = []

    def timed(status: dict[str, str]) -> CycleOutcome:
        outcomes.append(cycle(status))
        return outcomes[-1]

    worker = Worker([Target("bench", timed)], every_seconds=900)
    rss_at: dict[int, float] = {}
    for number in range(1, args.cycles + 1):
        if number % args.change_every == 0:  # so the first 10 cycles hold both kinds
            sales = api.sheet(SPREADSHEET_ID, "Продажи")
            sales.cells[(1, 3)] = python_cell(100_000 + number)  # an amount on row 2 changes
        api.reset_counts()  # the fake's request log would grow; the worker must not
        started = time.perf_counter()
        worker.run_cycle()
        elapsed = time.perf_counter() - started
        if number > 1:  # the first cycle also creates the tabs
            kind = "changed" if outcomes[-1].wrote else "unchanged"
            timings[kind].append(elapsed)
            requests[kind].append(api.count())
        outcomes.clear()
        if number in (10, 100):
            gc.collect()
            rss_at[number] = current_rss_mib()
    gc.collect()
    rss_after_all = current_rss_mib()
    failures = worker.targets[0].consecutive_failures

    print(f"cycles: {args.cycles}, sales rows: {args.rows}, change every {args.change_every}")
    for number, rss in sorted(rss_at.items()):
        print(f"RSS after {number:>5} cycles: {rss:8.1f} MiB")
    print(f"RSS after {args.cycles:>5} cycles: {rss_after_all:8.1f} MiB")
    print(f"peak RSS:                {peak_rss_mib():8.1f} MiB")
    for kind in ("unchanged", "changed"):
        if timings[kind]:
            mean = statistics.fmean(timings[kind]) * 1000
            counts = sorted(set(requests[kind]))
            print(
                f"{kind:9} cycles: {len(timings[kind]):4d}, mean {mean:7.1f} ms, "
                f"Sheets requests per cycle: {counts}"
            )
    print(f"failed cycles in a row at the end: {failures}")


if __name__ == "__main__":
    main()
