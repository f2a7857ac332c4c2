"""How the local workbook is replaced without losing anything (issue 15).

A write goes into a temporary file beside the real workbook (symlinks resolved), is flushed to
disk and renamed over it. Before renaming, the write is discarded when another program saved
the workbook since the bot read it (its device, inode, size and mtime changed), or while Excel
or LibreOffice holds it open (their lock file sits beside it). Hard links are never split, and
a zip whose parts would unpack to something absurd is refused before any part is inflated.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sheets_kpi.backends.xlsx.texts import pair
from sheets_kpi.core.textfmt import plural_ru
from sheets_kpi.errors import BackendError

logger = logging.getLogger(__name__)

FileIdentity = tuple[int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns

MAX_PART_BYTES = 500 * 2**20  # no part of a real workbook unpacks to more than this
MAX_RATIO = 100  # deflate gives real sheets 5–30:1; a zip bomb gives 1000:1
RATIO_FROM_BYTES = 50 * 2**20  # small parts may compress very well (an empty styles list)
STALE_TEMP_SECONDS = 3600  # a run that is still writing its temp file is never this slow


def file_identity(path: Path) -> FileIdentity | None:
    """What changes when any program saves the file; None when there is no file."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def writable_target(path: Path) -> Path:
    """The file a write replaces: the real file behind a symlink, so the link stays a link."""
    return Path(os.path.realpath(path))


def refuse_zip_bombs(path: Path) -> None:
    """Refuse a workbook whose zip directory promises a part too big to unpack, before any
    part is inflated. A file that is not a zip at all is left to the loader to report."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        too_big = member.file_size > MAX_PART_BYTES
        if too_big or (member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO):
            logger.debug(
                "zip member %s: %d bytes from %d",
                member.filename,
                member.file_size,
                member.compress_size,
            )
            raise BackendError(
                *pair(
                    "zip_bomb",
                    path=path,
                    part=member.filename,
                    megabytes=member.file_size // 2**20,
                    ratio=f"{ratio:.0f}",
                )
            )


def refuse_unsafe_target(path: Path) -> None:
    """Refuse to replace a read-only workbook, a hard-linked one (renaming would split the
    links) or one that Excel or LibreOffice holds open."""
    target = writable_target(path)
    try:
        found = os.stat(target)
    except OSError:
        found = None
    if found is not None and not stat.S_IMODE(found.st_mode) & 0o222:
        # renaming over a read-only file works on Linux: respect the owner's intent
        raise BackendError(*pair("read_only", path=path))
    if found is not None and found.st_nlink > 1:
        raise BackendError(
            *pair(
                "hard_links",
                path=path,
                links=plural_ru(
                    found.st_nlink, "жёсткая ссылка", "жёстких ссылки", "жёстких ссылок"
                ),
                count=found.st_nlink,
            )
        )
    refuse_open_elsewhere(path)


def lock_files(path: Path) -> list[Path]:
    """The lock files LibreOffice (`.~lock.NAME#`) and Excel (`~$NAME`) keep beside a
    workbook they have open, beside the given path and beside the real file."""
    places = {Path(path).absolute(), writable_target(path)}
    found: list[Path] = []
    for place in sorted(places):
        for name in (f".~lock.{place.name}#", f"~${place.name}"):
            candidate = place.parent / name
            if candidate.exists():
                found.append(candidate)
    return found


def refuse_open_elsewhere(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise BackendError(*pair("open_elsewhere", path=path, lock=locks[0].name))


def refuse_lost_update(path: Path, expected: FileIdentity | None) -> None:
    """Refuse when the workbook is no longer the file the bot read."""
    if file_identity(writable_target(path)) != expected:
        raise BackendError(*pair("lost_update", path=path))


def remove_stale_temp_files(target: Path, now: float | None = None) -> None:
    """Remove `.NAME.*.tmp.xlsx` left beside `target` by a run killed while saving, once they
    are an hour old (a younger one may belong to a run that is writing right now)."""
    now = time.time() if now is None else now
    for leftover in target.parent.glob(f".{target.stem}.*.tmp.xlsx"):
        try:
            found = leftover.lstat()
            if stat.S_ISREG(found.st_mode) and now - found.st_mtime > STALE_TEMP_SECONDS:
                leftover.unlink()
                logger.info("removed %s, left by an interrupted run", leftover)
        except OSError as exc:
            logger.debug("could not remove %s: %r", leftover, exc)


def replace_atomically(
    path: Path, expected: FileIdentity | None, write: Callable[[BinaryIO], object]
) -> FileIdentity | None:
    """Write the new workbook with `write` into a temporary file beside the real file, flush it
    to disk and rename it over the workbook — unless the workbook is no longer `expected` or is
    open in Excel/LibreOffice. Returns the identity of the file written. Any failure leaves the
    workbook as it was and no temporary file behind."""
    target = writable_target(path)
    refuse_unsafe_target(path)
    remove_stale_temp_files(target)
    folder = target.parent
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".tmp.xlsx", dir=folder
        )
    except OSError as exc:
        raise BackendError(
            *pair("no_temp_file", folder=folder, reason=exc.strerror or exc)
        ) from exc
    temp = Path(temp_name)
    replaced = False
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        refuse_open_elsewhere(path)
        refuse_lost_update(path, expected)
        os.replace(temp, target)
        replaced = True
    except PermissionError as exc:
        raise BackendError(*pair("save_denied", path=path)) from exc
    except OSError as exc:
        raise BackendError(*pair("save_failed", path=path, reason=exc.strerror or exc)) from exc
    finally:
        if not replaced:
            temp.unlink(missing_ok=True)
    _sync_folder(folder)
    return file_identity(target)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
