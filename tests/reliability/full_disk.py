"""A disk that fills up while the workbook's temporary file is written: every write past the
room left fails with ENOSPC, the ones after it too (as the zip's end record would)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

real_fdopen = os.fdopen


class FillingFile:
    """Wraps the temporary file; writes beyond `room` bytes fail as on a full disk."""

    def __init__(self, inner: Any, room: int) -> None:
        self.inner = inner
        self.room = room
        self.written = 0

    def write(self, data: bytes) -> int:
        fits = max(0, min(len(data), self.room - self.written))
        if fits:
            self.inner.write(bytes(memoryview(data)[:fits]))
            self.written += fits
        if fits < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fits

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> FillingFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.inner.close()


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """From now on, a workbook's temporary file (`.NAME.*.tmp.xlsx`) holds at most `room`
    bytes; other files are written as usual."""

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)
        if ".tmp.xlsx" in str(Path(f"/proc/self/fd/{fd}").readlink()):
            return FillingFile(handle, room)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)
