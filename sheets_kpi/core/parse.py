"""Raw cell → typed value (SPEC §2.6). The only place that gives raw cells meaning.

Each parser takes one raw cell (None, str, int, float, bool, date/datetime) and returns the value
or raises `ParseError` with a problem code. Column-wide helpers parse each *distinct* raw value
once and map the results back, so a million rows with a few thousand distinct values stay fast.
"""

from __future__ import annotations


class ParseError(ValueError):
    """A cell that cannot be read. `code` is a SPEC §3 code, `hint` a Russian how-to-fix text."""

    def __init__(self, code: str, hint: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.hint = hint
