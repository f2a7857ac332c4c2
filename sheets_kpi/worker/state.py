"""What the worker records of each spreadsheet for `sheets-kpi status`: one small JSON file."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from sheets_kpi.worker.lock import lock_path


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
