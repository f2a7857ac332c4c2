"""Validation rules as named units (SPEC §3), after pandera's registered checks.

A rule says once what it reports: its name, its problem code, the tab and column it looks at,
its severity and its (Russian, English) message. A row rule is one function decorated with
`@rule(...)` that returns the rows it flags (a mask, or a `Found` with what the message says
about each row); `Check.apply` runs it and reports what it found. Adding a rule is one function
in the file of its tab (sales_rules.py, funnel_rules.py, settings_rules.py), or in
column_rules.py for a column check several tabs share; tab-level rules are in tab_rules.py.

Message fields: {column} (the column's header as typed), {tab} (the tab's title), {as_of} and
{value} (the flagged cell as shown in Ошибки) are filled for every row; {hint}, {other}, {cell},
{suggest}, {lead}, {names}, {name}, {month} by the rule (`Found.fields`). A field nobody fills
reads as empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs.schema import Language, Severity, in_language


@dataclass(frozen=True)
class Found:
    """The rows a rule flags and what its message says about each.

    `rows`: a mask over the tab's rows. `column`: the column key flagged, when the rule is one
    several columns share (else the rule's own). `fields(position)`: the message fields of the
    row at `position` (0-based among the rows). `value(position)`: the value shown in Ошибки
    (by default the flagged cell as the user sees it)."""

    rows: np.ndarray | pd.Series
    column: str | None = None
    fields: Callable[[int], dict[str, object]] | None = None
    value: Callable[[int], str | None] | None = None


@dataclass(frozen=True)
class Rule:
    """One validation rule. `name` is unique; several rules may share a `code` (one problem
    told apart by its message, e.g. `duplicate_id` and `duplicate_id_of_rejected`)."""

    name: str
    code: str
    severity: Severity
    message: tuple[str, str]  # (ru, en) templates
    tab: str | None = None  # the input tab's key; None: a check any tab may use
    column: str | None = None  # the column key flagged; None: given by `Found` or the row
    find: Callable[..., Found | np.ndarray | pd.Series] | None = None  # None: a tab-level rule

    def text(self, language: Language, **fields: object) -> str:
        """The message in `language`; fields left out (or None) read as empty."""
        return message_text(self.message, language, **fields)


RULES: dict[str, Rule] = {}


def declare(new: Rule) -> Rule:
    """Add `new` to `RULES`; a code keeps one severity whichever rule reports it."""
    if new.name in RULES:
        raise ValueError(f"two rules named {new.name!r}")
    for known in RULES.values():
        if known.code == new.code and known.severity != new.severity:
            raise ValueError(f"code {new.code!r} is both {known.severity} and {new.severity}")
    RULES[new.name] = new
    return new


def rule(
    *,
    code: str | None = None,
    severity: Severity,
    ru: str,
    en: str,
    tab: str | None = None,
    column: str | None = None,
) -> Callable[[Callable[..., Any]], Rule]:
    """Register the decorated function as a row rule named after it (its code too, unless
    `code` says otherwise). The function takes the tab's `Check` first and returns the rows it
    flags."""

    def register(find: Callable[..., Any]) -> Rule:
        name = find.__name__
        return declare(Rule(name, code or name, severity, (ru, en), tab, column, find))

    return register


def message_text(template: tuple[str, str], language: Language, **fields: object) -> str:
    """A (ru, en) template filled in `language`; fields left out (or None) read as empty."""
    filled = _Fields({key: ("" if value is None else value) for key, value in fields.items()})
    return in_language(template, language).format_map(filled)


def lower_first(text: str) -> str:
    """«Дата: такой даты нет…» reads better than «Дата: Такой даты нет…»."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return ""
