"""Raw input tabs → typed frames and problems (SPEC §2, §3). Every problem at once, as data.

Decisions where the SPEC is silent (see also core/parse.py):
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
- several tabs matching one input tab only after normalising: `missing_tab` naming them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from sheets_kpi.config import Config
from sheets_kpi.core import parse, schema, schemes
from sheets_kpi.core.checks import (
    Check,
    Context,
    check_choices,
    check_clients,
    check_counts,
    check_dates,
    check_managers,
    check_yes_no,
    column_letter,
    display_names,
    empty_error,
    flag_parse,
    month_strings,
    remember_names,
    shown,
    shown_date,
)
from sheets_kpi.core.frames import (
    ACTIVITY_COLUMNS,
    ACTIVITY_DTYPES,
    DEALS_COLUMNS,
    DEALS_DTYPES,
    PLAN_COLUMNS,
    PLAN_DTYPES,
    REJECTED_COLUMNS,
    ROSTER_COLUMNS,
    ROSTER_DTYPES,
    SALES_COLUMNS,
    SALES_DTYPES,
    build_frame,
    empty_plan,
    empty_roster,
    empty_sales,
    take_rows,
)
from sheets_kpi.core.model import Inputs, RawTab, RawWorkbook
from sheets_kpi.core.textfmt import kopecks_text
from sheets_kpi.core.validate_messages import lower_first, message_text

__all__ = [
    "ACTIVITY_COLUMNS",
    "DEALS_COLUMNS",
    "PLAN_COLUMNS",
    "REJECTED_COLUMNS",
    "ROSTER_COLUMNS",
    "SALES_COLUMNS",
    "column_letter",
    "empty_plan",
    "empty_roster",
    "empty_sales",
    "shown",
    "validate",
    "wanted_tabs",
]

log = logging.getLogger(__name__)


def wanted_tabs(config: Config) -> Callable[[str], bool]:
    """A filter for `Backend.read`: true for any title that could be an input tab."""
    names: set[str] = set()
    for tab in schema.INPUT_TABS:
        names.update(schema.norm(name) for name in (config.tab_title(tab.key), tab.ru, tab.en))
    return lambda title: schema.norm(title) in names


# --- the tabs -----------------------------------------------------------------------------------


def _sales(check: Check) -> pd.DataFrame:
    ctx = check.ctx
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    clients = check_clients(check)

    amount = parse.money_column(check.column("amount"))
    bad_amount = flag_parse(
        check, amount, "bad_amount", "amount", required=True, empty=empty_error(parse.parse_money)
    )
    amount_kop = amount.values
    nonpositive = (~bad_amount & (amount_kop.fillna(1) <= 0)).to_numpy()
    check.flag(
        nonpositive,
        "nonpositive_amount",
        "amount",
        lambda p: check.message("nonpositive_amount", "amount"),
    )

    margin = parse.money_column(check.column("margin"))
    margin_kop = margin.values
    negative = margin.ok.to_numpy() & (margin_kop.fillna(0) < 0).to_numpy()
    flag_parse(check, margin, "bad_margin", "margin", required=False)
    language = ctx.language
    negative_hint = (
        "маржа не может быть меньше нуля."
        if language == "ru"
        else "the margin cannot be below zero."
    )
    check.flag(
        negative,
        "bad_margin",
        "margin",
        lambda p: check.message("bad_margin", "margin", hint=negative_hint),
    )
    margin_kop = margin_kop.where(margin.ok.to_numpy() & ~negative)
    exceeds = (
        (margin_kop.notna() & ~bad_amount & ~nonpositive & (margin_kop > amount_kop))
        .fillna(False)
        .to_numpy()
    )
    margins = margin_kop.to_numpy()
    amounts = amount_kop.to_numpy()
    check.flag(
        exceeds,
        "margin_exceeds_amount",
        "margin",
        lambda p: check.message(
            "margin_exceeds_amount",
            "margin",
            value=kopecks_text(margins[p], check.ctx.language),
            other=kopecks_text(amounts[p], check.ctx.language),
        ),
    )

    channel = check_choices(check, "channel", schema.CHANNELS)
    client_type = check_choices(check, "type", schema.CLIENT_TYPES)
    paid = check_yes_no(check, "paid", default=True)

    ids = parse.name_column(check.column("id"))
    has_id = ~ids.blank
    repeated = (ids.key.duplicated(keep="first") & has_id).to_numpy()
    if repeated.any():
        first_rows = pd.Series(check.rows, index=ids.key.index)[has_id.to_numpy()]
        first_row = (
            pd.DataFrame({"key": ids.key[has_id], "row": first_rows})
            .drop_duplicates("key")
            .set_index("key")["row"]
            .to_dict()
        )
        keys = ids.key.to_numpy(dtype=object)
        raw_ids = check.cell("id").to_numpy(dtype=object)
        check.flag(
            repeated,
            "duplicate_id",
            "id",
            lambda p: check.message(
                "duplicate_id", "id", value=shown(raw_ids[p]), other=first_row[keys[p]]
            ),
        )

    # possible_duplicate: rows without errors and without an ID, same date/manager/client/amount.
    candidates = ~check.errors & ~has_id.to_numpy()
    if candidates.any():
        keyed = pd.DataFrame(
            {
                "date": dates,
                "manager": managers.key,
                "client": clients.key,
                "amount": amount_kop,
                "row": check.rows,
            }
        )[candidates]
        subset = ["date", "manager", "client", "amount"]
        twins = keyed[keyed.duplicated(subset, keep=False)]
        if len(twins):
            twins = twins.assign(first=twins.groupby(subset, sort=False)["row"].transform("first"))
            later = twins[twins["row"] != twins["first"]]
            first_of = dict(zip(later["row"], later["first"], strict=True))
            mask = np.isin(check.rows, later["row"].to_numpy())
            check.flag(
                mask,
                "possible_duplicate",
                None,
                lambda p: check.message(
                    "possible_duplicate", None, other=first_of[int(check.rows[p])]
                ),
            )

    months = month_strings(dates)
    check.reject(managers.key, month_strings(readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "date": dates,
        "month": months,
        "manager_key": managers.key,
        "manager": display_names(managers, ctx.manager_display),
        "client_key": clients.key,
        "client": display_names(clients, ctx.client_display),
        "amount_kop": amount_kop,
        "margin_kop": margin_kop,
        "channel": channel,
        "type": client_type,
        "paid": paid,
        "id": ids.display,
    }
    return build_frame(
        SALES_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, SALES_DTYPES
    )


def _setting_hint(check: Check, key: str, code_text: Callable[[int], str]) -> Callable[[int], str]:
    """A bad_setting message naming the cell (e.g. «Мотивация!C4»)."""

    def text(position: int) -> str:
        cell = check.cell_name(key, int(check.rows[position]))
        hint = lower_first(code_text(position))
        return message_text("bad_setting", check.ctx.language, cell=cell, hint=hint)

    return text


def _flag_setting(check: Check, parsed: parse.ParsedColumn, key: str, required: bool) -> np.ndarray:
    failed = parsed.code.notna().to_numpy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    errors = parsed.error.to_numpy(dtype=object)
    language = check.ctx.language
    empty = (
        f"заполните «{check.header(key)}»."
        if language == "ru"
        else f"fill in «{check.header(key)}»."
    )

    def hint(position: int) -> str:
        error = errors[position]
        return error.text(language) if error is not None else empty

    check.flag(failed, "bad_setting", key, _setting_hint(check, key, hint))
    return failed


def _roster(check: Check) -> pd.DataFrame:
    ctx = check.ctx
    language = ctx.language
    names = parse.name_column(check.column("manager"))
    check.flag(
        names.blank,
        "missing_manager",
        "manager",
        lambda p: check.message("missing_manager", "manager"),
    )
    remember_names(ctx.manager_display, names)
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

    scheme_raw = check.cell("scheme").to_numpy(dtype=object)
    params_raw = check.cell("params").to_numpy(dtype=object)
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

    salary = parse.money_column(check.column("salary"))
    _flag_setting(check, salary, "salary", required=False)
    negative = (salary.ok & (salary.values.fillna(0) < 0)).to_numpy()
    negative_hint = "оклад не может быть меньше нуля." if language == "ru" else "salary below zero."
    check.flag(
        negative, "bad_setting", "salary", _setting_hint(check, "salary", lambda p: negative_hint)
    )
    salary_kop = salary.values.where(salary.ok.to_numpy() & ~negative)
    active = check_yes_no(check, "active", default=True)

    check.reject(names.key, None)
    data = {
        "row": check.rows,
        "manager_key": names.key,
        "manager": display_names(names, ctx.manager_display),
        "scheme": pd.Series(found, index=names.key.index, dtype=object),
        "salary_kop": salary_kop,
        "active": active,
    }
    return build_frame(
        ROSTER_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ROSTER_DTYPES
    )


def _plan(check: Check) -> pd.DataFrame:
    ctx = check.ctx
    language = ctx.language
    months = parse.month_column(check.column("month"))
    _flag_setting(check, months, "month", required=True)
    too_old = (months.ok & (months.values.fillna("9999-99") < "2000-01")).to_numpy()
    old_hint = "месяц раньше 2000 года — проверьте год." if language == "ru" else "before 2000."
    check.flag(too_old, "bad_setting", "month", _setting_hint(check, "month", lambda p: old_hint))
    month_values = months.values.where(months.ok.to_numpy() & ~too_old)

    managers = check_managers(check, required=False)

    revenue = parse.money_column(check.column("plan_revenue"))
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
    new_clients = parse.count_column(check.column("plan_new_clients"))
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

    check.reject(managers.key, month_values)
    keep = ~check.errors
    manager_names = display_names(managers, ctx.manager_display)
    data = {
        "row": check.rows,
        "month": month_values,
        "manager_key": managers.key,
        "manager": manager_names.where(managers.key.notna(), None),
        "plan_revenue_kop": revenue.values,
        "plan_new_clients": new_clients.values,
    }
    return build_frame(PLAN_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, PLAN_DTYPES)


def _deals(check: Check) -> pd.DataFrame:
    ctx = check.ctx
    lead, lead_readable = check_dates(check, "lead_date", allow_time=True, required=True)
    managers = check_managers(check)
    clients = check_clients(check)
    channel = check_choices(check, "channel", schema.CHANNELS)
    lead_text = lead.to_numpy()

    def lead_shown(position: int) -> str | None:
        moment = lead_text[position]
        return None if pd.isna(moment) else shown(pd.Timestamp(moment).to_pydatetime())

    contact, _ = check_dates(check, "first_contact", allow_time=True, required=False)
    contact_raw = check.cell("first_contact").to_numpy(dtype=object)
    early_contact = (contact < lead).fillna(False).to_numpy()
    check.flag(
        early_contact,
        "contact_before_lead",
        "first_contact",
        lambda p: check.message(
            "contact_before_lead",
            "first_contact",
            value=shown_date(contact_raw[p]),
            lead=lead_shown(p),
        ),
        lambda p: shown_date(contact_raw[p]),
    )
    touches = check_counts(check, "touches")
    temperature = check_choices(check, "temperature", schema.TEMPERATURES)
    status = check_choices(check, "status", schema.STATUSES).where(lambda s: s.notna(), "open")

    close, _ = check_dates(check, "close_date", allow_time=False, required=False)
    close_raw = check.cell("close_date").to_numpy(dtype=object)
    close_blank = parse.blank_mask(check.column("close_date")).to_numpy()
    early_close = (close < lead.dt.normalize()).fillna(False).to_numpy()
    check.flag(
        early_close,
        "close_before_lead",
        "close_date",
        lambda p: check.message(
            "close_before_lead", "close_date", value=shown_date(close_raw[p]), lead=lead_shown(p)
        ),
        lambda p: shown_date(close_raw[p]),
    )
    is_open = (status == "open").to_numpy()
    closed = ~is_open
    open_with_date = is_open & close.notna().to_numpy()
    check.flag(
        open_with_date,
        "bad_value",
        "close_date",
        lambda p: check.message("close_date_on_open", "close_date"),
        lambda p: shown_date(close_raw[p]),
    )
    close = close.where(~open_with_date)
    status_raw = check.cell("status").to_numpy(dtype=object)
    check.flag(
        closed & close_blank,
        "missing_close_date",
        "close_date",
        lambda p: check.message("missing_close_date", "close_date", other=shown(status_raw[p])),
    )

    amount = parse.money_column(check.column("deal_amount"))
    bad_amount = flag_parse(check, amount, "bad_amount", "deal_amount", required=False)
    nonpositive = (~bad_amount & (amount.values.fillna(1) <= 0)).to_numpy()
    check.flag(
        nonpositive,
        "nonpositive_amount",
        "deal_amount",
        lambda p: check.message("nonpositive_amount", "deal_amount"),
    )

    reasons = parse.name_column(check.column("loss_reason"))
    lost = (status == "lost").to_numpy()
    check.flag(
        lost & reasons.blank.to_numpy(),
        "missing_loss_reason",
        "loss_reason",
        lambda p: check.message("missing_loss_reason", "loss_reason"),
    )

    months = month_strings(lead)
    check.reject(managers.key, month_strings(lead_readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "lead_date": lead,
        "month": months,
        "manager_key": managers.key,
        "manager": display_names(managers, ctx.manager_display),
        "client_key": clients.key,
        "client": display_names(clients, ctx.client_display),
        "channel": channel,
        "first_contact": contact,
        "touches": touches,
        "temperature": temperature,
        "status": status.astype(object),
        "close_date": close,
        "deal_amount_kop": amount.values,
        "loss_reason": reasons.display,
        "loss_reason_key": reasons.key,
    }
    return build_frame(
        DEALS_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, DEALS_DTYPES
    )


def _activity(check: Check) -> pd.DataFrame:
    ctx = check.ctx
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    counts = {
        key: check_counts(check, key) for key in ("calls", "meetings", "presentations", "proposals")
    }
    months = month_strings(dates)
    check.reject(managers.key, month_strings(readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "date": dates,
        "month": months,
        "manager_key": managers.key,
        "manager": display_names(managers, ctx.manager_display),
        **counts,
    }
    return build_frame(
        ACTIVITY_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ACTIVITY_DTYPES
    )


# --- the workbook -------------------------------------------------------------------------------


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
    fatal = False
    checks: dict[str, Check] = {}
    tab_titles: dict[str, str] = {}
    for spec in schema.INPUT_TABS:
        title, ambiguous = _resolve(raw.titles, config, spec)
        configured = config.tab_title(spec.key)
        if title is None:
            if ambiguous:
                names = ", ".join(f"«{name}»" for name in ambiguous)
                text = message_text("ambiguous_tab", ctx.language, tab=configured, names=names)
                ctx.tab_problem(spec.key, configured, None, "missing_tab", text)
                fatal = fatal or spec.key == "sales"
            elif spec.key == "sales":
                text = message_text("missing_tab", ctx.language, tab=configured)
                ctx.tab_problem(spec.key, configured, None, "missing_tab", text)
                fatal = True
            continue
        tab_titles[spec.key] = title
        rows = raw.tabs.get(title, RawTab(title, [])).rows
        has_header = bool(rows) and any(not parse.is_blank(cell) for cell in rows[0])
        if not has_header and spec.key != "sales":
            continue  # an empty optional tab counts as absent
        check = Check(ctx, spec, title, rows)
        if check.missing:
            code = "missing_column" if spec.key == "sales" else "missing_column_optional"
            for key in check.missing:
                label = spec.column(key).label(ctx.language)
                text = message_text(code, ctx.language, tab=title, column=label)
                ctx.tab_problem(spec.key, title, label, "missing_column", text)
            fatal = fatal or spec.key == "sales"
            if spec.key != "sales":
                continue
        checks[spec.key] = check

    roster = empty_roster()
    if "roster" in checks:
        ctx.roster_title = checks["roster"].title
        roster = _roster(checks["roster"])
    sales = empty_sales()
    if "sales" in checks and not fatal:
        sales = _sales(checks["sales"])
    plan = _plan(checks["plan"]) if "plan" in checks else empty_plan()
    deals = _deals(checks["deals"]) if "deals" in checks else None
    activity = _activity(checks["activity"]) if "activity" in checks else None

    problems = [problem for _, problem in sorted(ctx.problems, key=lambda item: item[0])]
    # Tab order as for problems: Продажи, Сделки, Активность, План, Мотивация.
    in_order = [part for _, part in sorted(ctx.rejected, key=lambda item: item[0])]
    rejected = (
        pd.concat(in_order, ignore_index=True)
        if in_order
        else pd.DataFrame({name: pd.Series([], dtype=object) for name in REJECTED_COLUMNS})
    )
    rejected["row"] = rejected["row"].astype("int64")
    log.info(
        "validated %d sales rows: %d problems, %d rejected rows",
        len(sales),
        len(problems),
        len(rejected),
    )
    return Inputs(
        sales=sales,
        plan=plan,
        roster=roster,
        problems=problems,
        rejected=rejected,
        fatal=fatal,
        deals=deals,
        activity=activity,
        tab_titles=tab_titles,
        column_index={key: dict(check.index) for key, check in checks.items()},
    )
