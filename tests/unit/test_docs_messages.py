"""Every error message that docs/GOOGLE_SHEETS.md lists is one the code can print (issue 20).

The guide's table quotes the start of each message («…» elides a variable part, `N`/`M`
stand for numbers). Each quoted fragment must stand inside one string literal of the package
(f-strings count with their fixed parts), so a message renamed in the code fails this test
until the guide follows it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "GOOGLE_SHEETS.md"
PACKAGE = ROOT / "sheets_kpi"

# Placeholders the guide uses inside a quoted message for a variable part.
_VARIABLE = re.compile(r"…|\bN\b|\bM\b|kpi-bot@")


def _quoted_messages() -> list[str]:
    """The «…» message of each row of the guide's «Что значат сообщения» table."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("## Что значат сообщения", 1)[1].split("\n## ", 1)[0]
    messages = []
    for line in table.splitlines():
        if line.startswith("| «"):
            first_cell = line.split("|")[1].strip()
            messages.append(first_cell[1 : first_cell.rindex("»")])
    return messages


def _literals() -> list[str]:
    """Every string literal of the package, f-strings with `{}` in place of each field."""
    found: list[str] = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                found.append(
                    "".join(
                        part.value if isinstance(part, ast.Constant) else "{}"
                        for part in node.values
                    )
                )
    return found


def _fragments(message: str) -> list[str]:
    return [part.strip(" .,:—") for part in _VARIABLE.split(message) if len(part.strip()) >= 4]


def test_the_guide_lists_its_messages():
    # 13 rows today; an empty list would make the next test pass on nothing.
    assert len(_quoted_messages()) >= 10


def test_every_message_in_the_google_guide_is_one_the_code_can_print():
    literals = _literals()
    missing = [
        (message, fragment)
        for message in _quoted_messages()
        for fragment in _fragments(message)
        if not any(fragment in literal for literal in literals)
    ]
    assert missing == []
