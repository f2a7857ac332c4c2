"""The rules of the «Продажи» tab (SPEC §3): one typed row per payment, every problem found."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, names, parse, schema
from sheets_kpi.core.inputs.checks import (
    Check,
    check_choices,
    check_clients,
    check_dates,
    check_managers,
    check_yes_no,
    empty_error,
    flag_parse,
    month_strings,
    shown,
)
from sheets_kpi.core.inputs.frames import SALES_COLUMNS, SALES_DTYPES, build_frame, take_rows
from sheets_kpi.core.textfmt import kopecks_text


def check_sales(check: Check) -> pd.DataFrame:
    """Check the «Продажи» tab; the valid rows as an `Inputs.sales` frame."""
    ctx = check.ctx
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    clients = check_clients(check)

    amount = columns.money_column(check.column("amount"))
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

    margin = columns.money_column(check.column("margin"))
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

    # IDs are meant to be all different: hashing the cells to find the distinct ones would find
    # nearly every cell distinct. Each cell is keyed on its own; `_repeated` hashes the keys once.
    ids = names.name_column(columns.each_cell(check.column_cells("id")))
    has_id = ~ids.blank
    repeated = _repeated(ids) & has_id.to_numpy()
    if repeated.any():
        first_rows = pd.Series(check.rows, index=ids.key.index)[has_id.to_numpy()]
        first_row = (
            pd.DataFrame({"key": ids.key[has_id], "row": first_rows})
            .drop_duplicates("key")
            .set_index("key")["row"]
            .to_dict()
        )
        keys = ids.key.to_numpy(dtype=object)
        raw_ids = check.raw("id")

        def duplicate_text(position: int) -> str:
            other = first_row[keys[position]]
            # The upper row may be rejected itself: then neither counts, and the message says so.
            upper_rejected = check.errors[np.searchsorted(check.rows, other)]
            return check.message(
                "duplicate_id_of_rejected" if upper_rejected else "duplicate_id",
                "id",
                value=shown(raw_ids[position]),
                other=other,
            )

        check.flag(repeated, "duplicate_id", "id", duplicate_text)

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
        "manager": check.display_names("manager"),
        "client_key": clients.key,
        "client": check.display_names("client"),
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


def _repeated(names: names.NameColumn) -> np.ndarray:
    """True on each row whose name key appeared in an upper row. Hashes integer codes rather
    than texts: distinct cells with distinct keys (IDs usually) repeat only as the same cell."""
    keys = names.unique_keys[:-1]
    if len(set(keys.tolist())) == len(keys):  # each distinct cell has its own key
        codes = names.take
    else:
        codes = pd.factorize(names.unique_keys)[0][names.take]
    return pd.Series(codes, copy=False).duplicated(keep="first").to_numpy()
