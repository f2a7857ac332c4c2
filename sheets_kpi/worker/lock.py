"""The machine-wide lock of a spreadsheet: one worker or `run --once` per spreadsheet per
machine (a file with the holder's pid, held with `flock`; POSIX only, the worker runs on a
Linux server, deploy/sheets-kpi.service)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from sheets_kpi.errors import LockedError
from sheets_kpi.messages import pair


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
