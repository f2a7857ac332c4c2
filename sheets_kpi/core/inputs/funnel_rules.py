"""The rules of the funnel tabs (SPEC §3): «Сделки» (deals) and «Активность» (activity)."""

from __future__ import annotations

import pandas as pd

from sheets_kpi.core.inputs import columns, names, schema
from sheets_kpi.core.inputs.checks import (
    Check,
    check_choices,
    check_counts,
    check_dates,
    check_lead_clients,
    check_managers,
    flag_parse,
    month_strings,
    shown,
    shown_date,
)
from sheets_kpi.core.inputs.frames import (
    ACTIVITY_COLUMNS,
    ACTIVITY_DTYPES,
    DEALS_COLUMNS,
    DEALS_DTYPES,
    build_frame,
    take_rows,
)


def check_deals(check: Check) -> pd.DataFrame:
    """Check the «Сделки» tab; the valid rows as an `Inputs.deals` frame."""
    lead, lead_readable = check_dates(check, "lead_date", allow_time=True, required=True)
    managers = check_managers(check)
    clients = check_lead_clients(check)
    channel = check_choices(check, "channel", schema.CHANNELS)
    lead_text = lead.to_numpy()

    def lead_shown(position: int) -> str | None:
        moment = lead_text[position]
        return None if pd.isna(moment) else shown(pd.Timestamp(moment).to_pydatetime())

    contact, _ = check_dates(check, "first_contact", allow_time=True, required=False)
    contact_raw = check.raw("first_contact")
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
    close_raw = check.raw("close_date")
    close_blank = columns.blank_mask(check.column("close_date")).to_numpy()
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
    status_raw = check.raw("status")
    check.flag(
        closed & close_blank,
        "missing_close_date",
        "close_date",
        lambda p: check.message("missing_close_date", "close_date", other=shown(status_raw[p])),
    )

    amount = columns.money_column(check.column("deal_amount"))
    bad_amount = flag_parse(check, amount, "bad_amount", "deal_amount", required=False)
    nonpositive = (~bad_amount & (amount.values.fillna(1) <= 0)).to_numpy()
    check.flag(
        nonpositive,
        "nonpositive_amount",
        "deal_amount",
        lambda p: check.message("nonpositive_amount", "deal_amount"),
    )

    reasons = names.name_column(check.column("loss_reason"))
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
        "manager": check.display_names("manager"),
        "client": clients,
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


def check_activity(check: Check) -> pd.DataFrame:
    """Check the «Активность» tab; the valid rows as an `Inputs.activity` frame."""
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
        "manager": check.display_names("manager"),
        **counts,
    }
    return build_frame(
        ACTIVITY_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ACTIVITY_DTYPES
    )
