"""`cli.main` wired to the in-process fake Google (tests/fakes): the CLI builds its
`GSheetsBackend` as usual; this swaps in one that sends every request to the fake and sleeps
through `RecordedWaits` instead of real time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sheets_kpi.backends import gsheets
from sheets_kpi.core.settings import RetryConfig
from tests.fakes.google_env import RecordedWaits
from tests.fakes.sheets_api import FakeSheetsApi

# the only formula the bot writes: a link to a cell, its label a literal with quotes doubled
BOT_LINK = re.compile(r'=HYPERLINK\("#gid=\d+&range=[A-Z]+\d+";"(?:[^"]|"")*"\)')


_REAL_BACKEND = gsheets.GSheetsBackend


def wire_cli_to_fake(
    monkeypatch: pytest.MonkeyPatch, api: FakeSheetsApi, waits: RecordedWaits
) -> None:
    """Every `GSheetsBackend` the CLI makes talks to `api` and waits on `waits`."""
    real = _REAL_BACKEND

    def on_fake(
        sheet: str, credentials: Path | None = None, retry: RetryConfig | None = None, **_: Any
    ) -> gsheets.GSheetsBackend:
        return real(
            sheet,
            credentials,
            retry,
            adapter=api.adapter,
            sleep=waits.sleep,
            rand=lambda: 0.5,
            clock=waits.clock,
        )

    monkeypatch.setattr(gsheets, "GSheetsBackend", on_fake)


def state_of(api: FakeSheetsApi, spreadsheet_id: str) -> dict[str, bytes]:
    """Everything the fake holds about every tab, to compare before and after a run."""
    book = api.book(spreadsheet_id)
    return {sheet.title: api.snapshot(spreadsheet_id, sheet.title) for sheet in book.sheets}


def user_formulas(api: FakeSheetsApi, spreadsheet_id: str) -> list[tuple[str, str]]:
    """(tab, formula) of every formula cell that is not exactly one of the bot's links."""
    found: list[tuple[str, str]] = []
    for sheet in api.book(spreadsheet_id).sheets:
        for cell in sheet.cells.values():
            formula = cell.get("userEnteredValue", {}).get("formulaValue")
            if formula is not None and not BOT_LINK.fullmatch(formula):
                found.append((sheet.title, formula))
    return found


def longest_text_sent(api: FakeSheetsApi) -> int:
    """The longest string or formula in the last batchUpdate (Google refuses > 50 000)."""
    longest = 0

    def walk(node: object) -> None:
        nonlocal longest
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("stringValue", "formulaValue") and isinstance(value, str):
                    longest = max(longest, len(value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(api.last_batch_update)
    return longest
