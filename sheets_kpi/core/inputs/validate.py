"""Raw input tabs → typed frames and problems (SPEC §2, §3). Every problem at once, as data.

Here: the entry points, finding the input tabs, putting the results together. The rules per tab
are in sales_rules.py (Продажи), funnel_rules.py (Сделки, Активность), settings_rules.py
(План, Мотивация) and adjustments_rules.py (Корректировки), the column rules they share in
column_rules.py, the tab-level ones in tab_rules.py (see rules.py); the per-tab machinery in
checks.py, the frames' columns in frames.py, reading cells in parse.py, dates.py, columns.py and
names.py.

Decisions where the SPEC is silent (see also parse.py, dates.py):
- a row is "completely empty" when every *known* column is blank: unknown columns are ignored
  everywhere, so a helper formula column dragged down does not turn into errors;
- `duplicate_id` compares IDs by identity (`norm`) over all non-empty rows; `possible_duplicate`
  compares rows that have no error and no ID;
- a bad `Оклад` or `Схема`/`Параметры` is a `bad_setting` error, but the manager stays in the
  roster (salary empty / scheme None), so their sales are not rejected as `unknown_manager`;
  a repeated manager in `Мотивация` (or manager + month in `План`) rejects the later row;
- a revenue plan must be > 0 (an empty cell means "no plan"); a new-clients plan may be 0;
- `План` / `Сделки` / `Активность` rows naming someone outside a non-empty roster are
  `unknown_manager`, like sales rows;
- a deal that is open (or has no status) but has a close date: `bad_value` warning on the close
  date, which is then treated as empty (the deal stays open);
- a negative or zero `Сумма сделки` is `nonpositive_amount`; an unreadable one `bad_amount`;
- several tabs matching one input tab only after normalising: `missing_tab` naming them;
- an example row of `init` (its manager «Пример: …», or the old unmarked one on Продажи and
  Сделки) is an `example_row` warning and is left out of everything, as if not on the sheet;
- a `Корректировки` month is checked like a date (`bad_date`; after the month of `as_of`:
  `future_date`; before 2000: `too_old_date`), and its rejected rows are the owner's, like
  `План`'s: not among the leaderboard's rejected rows (adjustments_rules.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from sheets_kpi.core.inputs import (
    adjustments_rules,
    funnel_rules,
    parse,
    sales_rules,
    schema,
    settings_rules,
    version_rules,
)
from sheets_kpi.core.inputs.checks import Check, Context
from sheets_kpi.core.inputs.example_rules import set_aside_examples
from sheets_kpi.core.inputs.frames import (
    REJECTED_COLUMNS,
    empty_plan,
    empty_roster,
    empty_sales,
)
from sheets_kpi.core.inputs.tab_rules import (
    AMBIGUOUS_TAB,
    MISSING_COLUMN,
    MISSING_COLUMN_OPTIONAL,
    MISSING_TAB,
)
from sheets_kpi.core.model import Inputs, RawTab, RawWorkbook
from sheets_kpi.core.settings import Config


def wanted_tabs(config: Config) -> Callable[[str], bool]:
    """A filter for `Backend.read`: true for any title that could be an input tab."""
    names: set[str] = set()
    for tab in schema.INPUT_TABS:
        names.update(schema.norm(name) for name in (config.tab_title(tab.key), tab.ru, tab.en))
    return lambda title: schema.norm(title) in names


def _resolve(
    titles: tuple[str, ...], config: Config, spec: schema.InputTab
) -> tuple[str | None, list[str]]:
    """The workbook title of input tab `spec`, or (None, the ambiguous candidates)."""
    names = [config.tab_title(spec.key)]
    if spec.key not in config.tabs:
        names += [name for name in (spec.ru, spec.en) if name not in names]
    for name in names:
        if name in titles:
            return name, []
    for name in names:
        matches = [title for title in titles if schema.norm(title) == schema.norm(name)]
        if len(matches) == 1:
            return matches[0], []
        if matches:
            return None, matches
    return None, []


def validate(raw: RawWorkbook, config: Config, as_of: date) -> Inputs:
    """Check every input tab (SPEC §2, §3) and return the valid rows as typed frames."""
    ctx = Context(config, as_of, config.language)
    checks, tab_titles, fatal = _open_tabs(raw, config, ctx)
    column_index = {key: dict(check.index) for key, check in checks.items()}

    def loaded(key: str) -> Check:
        """The tab's check with its cells read; dropped from `checks`, so that its cells are
        freed once the tab is done and the run holds one tab's cells at a time. The example
        rows of `init` are reported and set aside first (example_rules.py)."""
        return set_aside_examples(checks.pop(key).load())

    roster_check = None
    if "roster" in checks:
        ctx.roster_title = checks["roster"].title
        roster_check = loaded("roster")
        roster = settings_rules.check_roster(roster_check)
    else:
        roster = empty_roster()
    if "sales" in checks and not fatal:
        sales = sales_rules.check_sales(loaded("sales"))
    else:
        sales = empty_sales()
    if roster_check is not None and "until" in roster_check.index:  # SPEC §15 leavers
        sales_title = tab_titles.get("sales", config.tab_title("sales"))
        roster_check.apply(version_rules.until_before_payments, roster, sales, sales_title)
    plan = settings_rules.check_plan(loaded("plan")) if "plan" in checks else empty_plan()
    deals = funnel_rules.check_deals(loaded("deals")) if "deals" in checks else None
    activity = funnel_rules.check_activity(loaded("activity")) if "activity" in checks else None
    adjustments = (
        adjustments_rules.check_adjustments(loaded("adjustments"))
        if "adjustments" in checks
        else None
    )

    problems = [problem for _, problem in sorted(ctx.problems, key=lambda item: item[0])]
    # Tab order as for problems: Продажи, Сделки, Активность, План, Мотивация (Корректировки
    # rows are the owner's, like План and Мотивация: never among the rejected).
    in_order = [part for _, part in sorted(ctx.rejected, key=lambda item: item[0])]
    rejected = (
        pd.concat(in_order, ignore_index=True)
        if in_order
        else pd.DataFrame({name: pd.Series([], dtype=object) for name in REJECTED_COLUMNS})
    )
    rejected["row"] = rejected["row"].astype("int64")
    return Inputs(
        sales=sales,
        plan=plan,
        roster=roster,
        problems=problems,
        rejected=rejected,
        fatal=fatal,
        deals=deals,
        activity=activity,
        adjustments=adjustments,
        tab_titles=tab_titles,
        column_index=column_index,
    )


def _open_tabs(
    raw: RawWorkbook, config: Config, ctx: Context
) -> tuple[dict[str, Check], dict[str, str], bool]:
    """Find each input tab and read its header (cells are read later, by `Check.load`):
    the checks by tab key, the tab titles, and whether a fatal problem was found."""
    fatal = False
    checks: dict[str, Check] = {}
    tab_titles: dict[str, str] = {}
    for spec in schema.INPUT_TABS:
        title, ambiguous = _resolve(raw.titles, config, spec)
        configured = config.tab_title(spec.key)
        if title is None:
            if ambiguous:
                names = ", ".join(f"«{name}»" for name in ambiguous)
                ctx.tab_problem(AMBIGUOUS_TAB, spec.key, configured, None, names=names)
                fatal = fatal or spec.key == "sales"
            elif spec.key == "sales":
                ctx.tab_problem(MISSING_TAB, spec.key, configured, None)
                fatal = True
            continue
        tab_titles[spec.key] = title
        rows = raw.tabs.get(title, RawTab(title, [])).rows
        has_header = bool(rows) and any(not parse.is_blank(cell) for cell in rows[0])
        if not has_header and spec.key != "sales":
            continue  # an empty optional tab counts as absent
        check = Check(ctx, spec, title, rows)
        if check.missing:
            rule = MISSING_COLUMN if spec.key == "sales" else MISSING_COLUMN_OPTIONAL
            for key in check.missing:
                label = spec.column(key).label(ctx.language)
                ctx.tab_problem(rule, spec.key, title, label)
            fatal = fatal or spec.key == "sales"
            if spec.key != "sales":
                continue
        checks[spec.key] = check
    return checks, tab_titles, fatal
