"""The `shared_client` alert (SPEC §7): a client whose payments were logged by more than one
manager, found on integer codes of the payments rather than on their texts."""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import NamedTuple

import numpy as np
import pandas as pd

from sheets_kpi.core.compute.alert_texts import say
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Alert
from sheets_kpi.core.textfmt import quoted_name


class _Shared(NamedTuple):
    """The payments of the clients logged by more than one manager, by client key, then date
    and sheet row."""

    keys: list[str]  # the shared clients' keys, sorted
    picked: np.ndarray  # their payments' positions in `payments`, in that order
    rank: np.ndarray  # each picked payment's client, as its place in `keys`
    manager_codes: np.ndarray  # every payment's manager code (−1 without a key)
    width: int  # number of manager codes (at least 1)


def _shared_payments(clients: Clients) -> _Shared | None:
    payments = clients.payments
    # Integer codes instead of texts; a missing key (code −1) is left out, as a groupby would.
    known_codes = getattr(clients, "client_codes", None)  # stand-ins may not carry it
    if known_codes is not None:
        client_codes, client_keys = known_codes  # the same factorize, done once in analyse
    else:
        client_codes, client_keys = pd.factorize(payments["client_key"])
    manager_codes, manager_keys = pd.factorize(payments["manager_key"])
    known = (client_codes >= 0) & (manager_codes >= 0)
    width = max(len(manager_keys), 1)
    pairs = np.sort(client_codes[known].astype("int64") * width + manager_codes[known])
    distinct = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    managers_per_client = np.bincount(distinct // width, minlength=len(client_keys))
    shared_codes = np.flatnonzero(managers_per_client > 1)
    if not len(shared_codes):
        return None
    # Rank the shared clients by key, so sorting by rank is sorting by key.
    shared_keys = np.asarray(client_keys.take(shared_codes), dtype=object)
    by_key = np.argsort(shared_keys, kind="stable")
    rank = np.full(len(client_keys), -1, dtype="int64")
    rank[shared_codes[by_key]] = np.arange(len(shared_codes))
    picked = np.flatnonzero((client_codes >= 0) & (rank[np.maximum(client_codes, 0)] >= 0))
    # Every payment has its own sheet row, so (client, date, row) orders the rows completely.
    dates = payments["date"].to_numpy(dtype="datetime64[ns]").view("int64")[picked]
    sheet_rows = payments["row"].to_numpy(dtype="int64")[picked]
    picked = picked[np.lexsort((sheet_rows, dates, rank[client_codes[picked]]))]
    return _Shared(
        shared_keys[by_key].tolist(), picked, rank[client_codes[picked]], manager_codes, width
    )


def shared_client_alerts(
    clients: Clients,
    names: dict[str, str],
    language: Language,
    gone: Collection[str] = frozenset(),
) -> list[Alert]:
    """A client whose payments were logged by more than one manager: one alert per client,
    naming the managers in the order of their first payment; month = its latest payment.
    Not for a client whose acquiring manager is in `gone` (keys of the managers whose
    `Работает до` is before `as_of`, SPEC §15): a colleague has taken it over."""
    payments = clients.payments
    shared = None if payments.empty else _shared_payments(clients)
    if shared is None:
        return []
    picked, picked_rank = shared.picked, shared.rank
    # A client's managers in the order of their first payment: the first row of each
    # (client, manager) pair, in row order (np.unique's index is each value's first place).
    pair_of_row = picked_rank * (shared.width + 1) + (shared.manager_codes[picked] + 1)
    first_rows = np.sort(np.unique(pair_of_row, return_index=True)[1])
    people_of: dict[int, list[str]] = {}
    for client_rank, manager_key, manager in zip(
        picked_rank[first_rows].tolist(),
        payments["manager_key"].to_numpy()[picked[first_rows]].tolist(),
        payments["manager"].to_numpy()[picked[first_rows]].tolist(),
        strict=True,
    ):
        people_of.setdefault(client_rank, []).append(str(names.get(manager_key, manager)))
    # rows are in payment order, so a client's last row holds its latest month
    last_rows = picked[np.r_[picked_rank[1:] != picked_rank[:-1], True]]
    months_of = payments["month"].to_numpy()[last_rows].tolist()
    last_names = payments["client"].to_numpy()[last_rows].tolist()
    acquisition = _acquisition(clients.table, shared.keys, names)
    found = []
    for index, (key, last_name, month) in enumerate(
        zip(shared.keys, last_names, months_of, strict=True)
    ):
        client, acquirer, acquirer_key = acquisition.get(key, (math.nan, math.nan, None))
        if acquirer_key in gone:
            continue
        message = say(
            "shared_client",
            language,
            client=quoted_name(last_name if pd.isna(client) else client),
            who=", ".join(people_of[index]),
            acquirer=acquirer,
        )
        found.append(Alert(kind="shared_client", manager=None, month=str(month), message=message))
    return found


def _acquisition(
    table: pd.DataFrame, keys: list[str], names: dict[str, str]
) -> dict[str, tuple[str, str, str]]:
    """client key → (display name, acquiring manager's display name, their key) of these
    clients."""
    table = table[table["client_key"].isin(keys).to_numpy()].drop_duplicates("client_key")
    return {
        key: (client, names.get(acquirer_key, acquirer), acquirer_key)
        for key, client, acquirer_key, acquirer in zip(
            table["client_key"].tolist(),
            table["client"].tolist(),
            table["acquiring_manager_key"].tolist(),
            table["acquiring_manager"].tolist(),
            strict=True,
        )
    }
