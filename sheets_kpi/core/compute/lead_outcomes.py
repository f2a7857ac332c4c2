"""What became of the current month's leads (issue 20): of the deals whose lead date is in
the month of `as_of`, how many are won, lost or still open today.

A cohort, unlike SPEC §6's funnel (won / lost *closed* in the month, open *whatever the lead
month*): the parts add up to the leads, so a funnel chart of them reads top to bottom.
Presentation for `Сводка`'s chart; the JSON report does not carry it. As in `funnel.py`, a
lead dated after `as_of` is ignored and a close date after `as_of` means "not closed yet".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sheets_kpi.core import months


@dataclass(frozen=True)
class LeadOutcomes:
    """The team's leads of `month` and where they stand on `as_of`."""

    month: str
    leads: int
    won: int
    lost: int
    open: int


def lead_outcomes(deals: pd.DataFrame | None, as_of: date) -> LeadOutcomes | None:
    """The current month's leads split into won, lost and open; None without `Сделки`."""
    if deals is None:
        return None
    month = months.month_of(as_of)
    end_of_day = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    lead_date = pd.to_datetime(deals["lead_date"])
    cohort = (deals["month"].astype(str).to_numpy() == month) & (lead_date < end_of_day).to_numpy()
    status = deals["status"].astype(object).to_numpy()[cohort]
    close_date = pd.to_datetime(deals["close_date"]).to_numpy()[cohort]
    # a closed deal without a close date counts as closed (validation reports it)
    closed_by_now = pd.isna(close_date) | (close_date < end_of_day.to_datetime64())
    won = int(np.count_nonzero((status == "won") & closed_by_now))
    lost = int(np.count_nonzero((status == "lost") & closed_by_now))
    leads = int(np.count_nonzero(cohort))
    return LeadOutcomes(month=month, leads=leads, won=won, lost=lost, open=leads - won - lost)
