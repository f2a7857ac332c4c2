"""The scheduled worker (SPEC §12), one idea a module: `loop` (the schedule, the cycles, the
signals), `state` (the file `sheets-kpi status` reads), `lease` (no overlap across machines)
and `lock` (no overlap on one machine)."""

from sheets_kpi.worker.lease import (
    LEASE_KEY,
    LEASE_LABELS,
    MIN_LEASE_SECONDS,
    Lease,
    LeasedBackend,
    LeaseHeld,
    find_lease,
    lease_holder,
    lease_seconds,
)
from sheets_kpi.worker.lock import SpreadsheetLock, acquire_lock, lock_holder, lock_path
from sheets_kpi.worker.loop import (
    FAILURES_WORTH_SHOUTING,
    CycleOutcome,
    Target,
    Worker,
    one_line,
    parse_at,
    parse_interval,
    stop_on_signals,
)
from sheets_kpi.worker.state import TargetState, read_state, state_path, write_state

__all__ = [
    "FAILURES_WORTH_SHOUTING",
    "LEASE_KEY",
    "LEASE_LABELS",
    "MIN_LEASE_SECONDS",
    "CycleOutcome",
    "Lease",
    "LeaseHeld",
    "LeasedBackend",
    "SpreadsheetLock",
    "Target",
    "TargetState",
    "Worker",
    "acquire_lock",
    "find_lease",
    "lease_holder",
    "lease_seconds",
    "lock_holder",
    "lock_path",
    "one_line",
    "parse_at",
    "parse_interval",
    "read_state",
    "state_path",
    "stop_on_signals",
    "write_state",
]
