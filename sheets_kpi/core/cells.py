"""Cell addresses in A1 notation, shared by the core's messages and the Google requests."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """`A`, `B`, …, `Z`, `AA` for a 1-based column index (1 → A, 27 → AA)."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
