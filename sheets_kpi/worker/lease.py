"""The lease: no two machines' workers write one spreadsheet at once (SPEC §12).

A worker marks Сводка with its host, pid and an expiry; another machine's worker that reads a
fresh mark skips its cycle. The mark is read along with the inputs, in the same request.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sheets_kpi.backends.base import Backend
from sheets_kpi.core.model import RawWorkbook
from sheets_kpi.core.output.labels import LABELS
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite
from sheets_kpi.errors import SheetsKpiError
from sheets_kpi.messages import pair
from sheets_kpi.worker.loop import parse_interval

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
