"""The rules of the funnel tabs (SPEC §3): «Сделки» (deals) and «Активность» (activity)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, schema
from sheets_kpi.core.inputs.checks import Check, month_strings, shown, shown_date
from sheets_kpi.core.inputs.column_rules import (
    check_amounts,
    check_choices,
    check_counts,
    check_dates,
    check_lead_clients,
    check_managers,
)
from sheets_kpi.core.inputs.frames import (
    ACTIVITY_COLUMNS,
    ACTIVITY_DTYPES,
    DEALS_COLUMNS,
    DEALS_DTYPES,
    build_frame,
    take_rows,
)
from sheets_kpi.core.inputs.names import name_column
from sheets_kpi.core.inputs.rules import Found, rule
from sheets_kpi.core.inputs.schema import ERROR, WARNING


def check_deals(check: Check) -> pd.DataFrame:
    """Check the «Сделки» tab; the valid rows as an `Inputs.deals` frame."""
    lead, lead_readable = check_dates(check, "lead_date", allow_time=True, required=True)
    managers = check_managers(check)
    clients = check_lead_clients(check)
    channel = check_choices(check, "channel", schema.CHANNELS)
    contact, _ = check_dates(check, "first_contact", allow_time=True, required=False)
    check.apply(contact_before_lead, contact, lead)
    touches = check_counts(check, "touches")
    temperature = check_choices(check, "temperature", schema.TEMPERATURES)
    status = check_choices(check, "status", schema.STATUSES).where(lambda s: s.notna(), "open")
    close = check_close_dates(check, lead, status)
    amount_kop, _ = check_amounts(check, "deal_amount", required=False)
    reasons = name_column(check.column("loss_reason"))
    check.apply(missing_loss_reason, status, reasons.blank)
    check.reject(managers.key, month_strings(lead_readable))
    data = {
        "row": check.rows,
        "lead_date": lead,
        "month": month_strings(lead),
        "manager_key": managers.key,
        "manager": check.display_names("manager"),
        "client": clients,
        "channel": channel,
        "first_contact": contact,
        "touches": touches,
        "temperature": temperature,
        "status": status.astype(object),
        "close_date": close,
        "deal_amount_kop": amount_kop,
        "loss_reason": reasons.display,
        "loss_reason_key": reasons.key,
    }
    keep = ~check.errors
    return build_frame(
        DEALS_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, DEALS_DTYPES
    )


def _lead_shown(lead: pd.Series) -> Callable[[int], str | None]:
    """The lead date of the row at a position as the user sees it."""
    moments = lead.to_numpy()

    def text(position: int) -> str | None:
        moment = moments[position]
        return None if pd.isna(moment) else shown(pd.Timestamp(moment).to_pydatetime())

    return text


def _date_shown(check: Check, key: str) -> Callable[[int], str | None]:
    """The date cell of column `key` at a position as the user sees it."""
    raw = check.raw(key)
    return lambda position: shown_date(raw[position])


@rule(
    severity=ERROR,
    tab="deals",
    column="first_contact",
    ru="{column}: первый контакт {value} раньше даты заявки {lead}. Проверьте обе даты.",
    en="{column}: the first contact {value} is before the lead date {lead}. Check both dates.",
)
def contact_before_lead(check: Check, contact: pd.Series, lead: pd.Series) -> Found:
    """A first contact before the lead came in (to the minute)."""
    value = _date_shown(check, "first_contact")
    lead_shown = _lead_shown(lead)
    early = (contact < lead).fillna(False).to_numpy()
    return Found(early, fields=lambda p: {"value": value(p), "lead": lead_shown(p)}, value=value)


@rule(
    severity=ERROR,
    tab="deals",
    column="close_date",
    ru="{column}: дата закрытия {value} раньше даты заявки {lead}. Проверьте обе даты.",
    en="{column}: the close date {value} is before the lead date {lead}. Check both dates.",
)
def close_before_lead(check: Check, close: pd.Series, lead: pd.Series) -> Found:
    """A close date before the lead's day."""
    value = _date_shown(check, "close_date")
    lead_shown = _lead_shown(lead)
    early = (close < lead.dt.normalize()).fillna(False).to_numpy()
    return Found(early, fields=lambda p: {"value": value(p), "lead": lead_shown(p)}, value=value)


@rule(
    code="bad_value",
    severity=WARNING,
    tab="deals",
    column="close_date",
    ru="{column}: сделка в работе, но указана дата закрытия. Укажите статус «выиграна» или "
    "«проиграна» либо сотрите дату; пока дата не учитывается.",
    en="{column}: the deal is open but has a close date. Set the status to won or lost, or "
    "clear the date; until then the date is ignored.",
)
def close_date_on_open(check: Check, close: pd.Series, is_open: np.ndarray) -> Found:
    """An open deal with a close date: the date is ignored, the deal stays open."""
    return Found(is_open & close.notna().to_numpy(), value=_date_shown(check, "close_date"))


@rule(
    severity=ERROR,
    tab="deals",
    column="close_date",
    ru="Сделка закрыта («{other}»), но не указана дата закрытия. Впишите её в столбец «{column}».",
    en="The deal is closed («{other}») but has no close date. Write it in the «{column}» column.",
)
def missing_close_date(check: Check, is_open: np.ndarray) -> Found:
    """A won or lost deal without a close date."""
    close_blank = columns.blank_mask(check.column("close_date")).to_numpy()
    status_raw = check.raw("status")
    return Found(~is_open & close_blank, fields=lambda p: {"other": shown(status_raw[p])})


def check_close_dates(check: Check, lead: pd.Series, status: pd.Series) -> pd.Series:
    """The close date column: bad_date, close_before_lead, close_date_on_open (then the date
    counts as empty), missing_close_date. The usable close dates."""
    close, _ = check_dates(check, "close_date", allow_time=False, required=False)
    check.apply(close_before_lead, close, lead)
    is_open = (status == "open").to_numpy()
    open_with_date = check.apply(close_date_on_open, close, is_open)
    check.apply(missing_close_date, is_open)
    return close.where(~open_with_date)


@rule(
    severity=WARNING,
    tab="deals",
    column="loss_reason",
    ru="Сделка проиграна, но не указана причина отказа. Впишите её в столбец «{column}» — так "
    "видно, что мешает продажам.",
    en="The deal is lost but has no loss reason. Write it in the «{column}» column.",
)
def missing_loss_reason(check: Check, status: pd.Series, reason_blank: pd.Series) -> np.ndarray:
    """A lost deal without a loss reason."""
    return (status == "lost").to_numpy() & reason_blank.to_numpy()


def check_activity(check: Check) -> pd.DataFrame:
    """Check the «Активность» tab; the valid rows as an `Inputs.activity` frame."""
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    counts = {
        key: check_counts(check, key) for key in ("calls", "meetings", "presentations", "proposals")
    }
    check.reject(managers.key, month_strings(readable))
    keep = ~check.errors
    data = {
        "row": check.rows,
        "date": dates,
        "month": month_strings(dates),
        "manager_key": managers.key,
        "manager": check.display_names("manager"),
        **counts,
    }
    return build_frame(
        ACTIVITY_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ACTIVITY_DTYPES
    )
