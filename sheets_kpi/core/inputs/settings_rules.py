"""The rules of the settings tabs (SPEC §3): «Мотивация» (the roster) and «План»."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, parse, schema
from sheets_kpi.core.inputs import scheme_params as schemes
from sheets_kpi.core.inputs.checks import Check, check_managers, check_yes_no
from sheets_kpi.core.inputs.frames import (
    PLAN_COLUMNS,
    PLAN_DTYPES,
    ROSTER_COLUMNS,
    ROSTER_DTYPES,
    build_frame,
    take_rows,
)
from sheets_kpi.core.inputs.messages import lower_first, message_text


def _setting_hint(check: Check, key: str, code_text: Callable[[int], str]) -> Callable[[int], str]:
    """A bad_setting message naming the cell (e.g. «Мотивация!C4»)."""

    def text(position: int) -> str:
        cell = check.cell_name(key, int(check.rows[position]))
        hint = lower_first(code_text(position))
        return message_text("bad_setting", check.ctx.language, cell=cell, hint=hint)

    return text


def _flag_setting(
    check: Check, parsed: columns.ParsedColumn, key: str, required: bool
) -> np.ndarray:
    failed = parsed.failed.copy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    language = check.ctx.language
    empty = (
        f"заполните «{check.header(key)}»."
        if language == "ru"
        else f"fill in «{check.header(key)}»."
    )

    def hint(position: int) -> str:
        error = parsed.error_at(position)
        return error.text(language) if error is not None else empty

    check.flag(failed, "bad_setting", key, _setting_hint(check, key, hint))
    return failed


def check_roster(check: Check) -> pd.DataFrame:
    """Check «Мотивация»; fills `check.ctx.roster_keys`. The valid rows as `Inputs.roster`."""
    ctx = check.ctx
    language = ctx.language
    names = check_managers(check)  # the roster is read first: no roster to check against yet
    ctx.roster_keys = set(names.key.dropna())
    repeated = (names.key.duplicated(keep="first") & ~names.blank).to_numpy()
    first_row = (
        pd.DataFrame({"key": names.key, "row": check.rows})[~names.blank.to_numpy()]
        .drop_duplicates("key")
        .set_index("key")["row"]
        .to_dict()
    )
    keys = names.key.to_numpy(dtype=object)

    def repeated_hint(position: int) -> str:
        name = ctx.manager_display[keys[position]]
        row = first_row[keys[position]]
        if language == "ru":
            return f"менеджер «{name}» уже есть в строке {row}. Оставьте одну строку на менеджера."
        return f"manager «{name}» is already in row {row}. Keep one row per manager."

    check.flag(repeated, "bad_setting", "manager", _setting_hint(check, "manager", repeated_hint))
    keep = ~names.blank.to_numpy() & ~repeated

    scheme_raw = check.raw("scheme")
    params_raw = check.raw("params")
    found: list[object] = [None] * len(check.rows)
    bad_scheme = np.zeros(len(check.rows), dtype=bool)
    bad_params = np.zeros(len(check.rows), dtype=bool)
    reasons: dict[int, str] = {}
    for position in np.flatnonzero(keep):
        scheme_cell = None if parse.is_blank(scheme_raw[position]) else scheme_raw[position]
        params_cell = None if parse.is_blank(params_raw[position]) else params_raw[position]
        try:
            found[position] = schemes.parse_scheme(scheme_cell, params_cell, ctx.config.bonus)
        except schemes.SchemeError as error:
            reasons[position] = str(error)
            unknown_name = (
                scheme_cell is not None and schema.lookup(schema.SCHEMES, scheme_cell) is None
            )
            if unknown_name or params_cell is None:
                bad_scheme[position] = True
            else:
                bad_params[position] = True
    check.flag(
        bad_scheme, "bad_setting", "scheme", _setting_hint(check, "scheme", reasons.__getitem__)
    )
    check.flag(
        bad_params, "bad_setting", "params", _setting_hint(check, "params", reasons.__getitem__)
    )

    salary = columns.money_column(check.column("salary"))
    _flag_setting(check, salary, "salary", required=False)
    negative = (salary.ok & (salary.values.fillna(0) < 0)).to_numpy()
    negative_hint = "оклад не может быть меньше нуля." if language == "ru" else "salary below zero."
    check.flag(
        negative, "bad_setting", "salary", _setting_hint(check, "salary", lambda p: negative_hint)
    )
    salary_kop = salary.values.where(salary.ok.to_numpy() & ~negative)
    active = check_yes_no(check, "active", default=True)

    data = {
        "row": check.rows,
        "manager_key": names.key,
        "manager": check.display_names("manager"),
        "scheme": pd.Series(found, index=names.key.index, dtype=object),
        "salary_kop": salary_kop,
        "active": active,
    }
    return build_frame(
        ROSTER_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ROSTER_DTYPES
    )


def check_plan(check: Check) -> pd.DataFrame:
    """Check the «План» tab; the valid rows as an `Inputs.plan` frame."""
    ctx = check.ctx
    language = ctx.language
    months = columns.month_column(check.column("month"))
    _flag_setting(check, months, "month", required=True)
    too_old = (months.ok & (months.values.fillna("9999-99") < "2000-01")).to_numpy()
    old_hint = "месяц раньше 2000 года — проверьте год." if language == "ru" else "before 2000."
    check.flag(too_old, "bad_setting", "month", _setting_hint(check, "month", lambda p: old_hint))
    month_values = months.values.where(months.ok.to_numpy() & ~too_old)

    managers = check_managers(check, required=False)

    revenue = columns.money_column(check.column("plan_revenue"))
    _flag_setting(check, revenue, "plan_revenue", required=False)
    nonpositive = (revenue.ok & (revenue.values.fillna(1) <= 0)).to_numpy()
    zero_hint = (
        "план должен быть больше нуля; если плана нет, оставьте ячейку пустой."
        if language == "ru"
        else "the plan must be above zero; leave the cell empty when there is no plan."
    )
    check.flag(
        nonpositive,
        "bad_setting",
        "plan_revenue",
        _setting_hint(check, "plan_revenue", lambda p: zero_hint),
    )
    new_clients = columns.count_column(check.column("plan_new_clients"))
    _flag_setting(check, new_clients, "plan_new_clients", required=False)

    # The same manager (or the team) twice for one month: the later row is the error.
    candidates = ~check.errors
    keyed = pd.DataFrame(
        {"month": month_values, "manager": managers.key.fillna(""), "row": check.rows}
    )[candidates]
    repeated_rows = keyed[keyed.duplicated(["month", "manager"], keep="first")]
    if len(repeated_rows):
        first = keyed.drop_duplicates(["month", "manager"]).set_index(["month", "manager"])["row"]
        month_of_row = dict(zip(keyed["row"], keyed["month"], strict=True))
        manager_of_row = dict(zip(keyed["row"], keyed["manager"], strict=True))
        key = "manager" if "manager" in check.index else "month"

        def hint(position: int) -> str:
            row = int(check.rows[position])
            month, manager = month_of_row[row], manager_of_row[row]
            earlier = first[(month, manager)]
            who = ctx.manager_display.get(manager, "") if manager else None
            if language == "ru":
                whom = f"для «{who}»" if who else "для всей команды"
                return f"план на {month} {whom} уже задан в строке {earlier}. Оставьте одну строку."
            whom = f"for «{who}»" if who else "for the team"
            return f"the {month} plan {whom} is already in row {earlier}. Keep one row."

        mask = np.isin(check.rows, repeated_rows["row"].to_numpy())
        check.flag(mask, "bad_setting", key, _setting_hint(check, key, hint))

    keep = ~check.errors
    manager_names = check.display_names("manager")
    data = {
        "row": check.rows,
        "month": month_values,
        "manager_key": managers.key,
        "manager": manager_names.where(managers.key.notna(), None),
        "plan_revenue_kop": revenue.values,
        "plan_new_clients": new_clients.values,
    }
    return build_frame(PLAN_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, PLAN_DTYPES)
