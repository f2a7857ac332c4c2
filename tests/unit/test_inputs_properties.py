"""The vectorised paths of reading the input tabs, each against a plain version one cell (or one
row) at a time, the pattern of the plain recount in test_clients.py."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.inputs import columns, schema
from sheets_kpi.core.inputs.checks import month_strings
from sheets_kpi.core.inputs.dates import parse_date
from sheets_kpi.core.inputs.names import name_column
from sheets_kpi.core.inputs.parse import ParseError
from sheets_kpi.core.inputs.sales_rules import _repeated
from sheets_kpi.core.inputs.validate import validate
from sheets_kpi.core.model import RawTab, RawWorkbook
from sheets_kpi.core.settings import Config

# datetime cells around the range a datetime64[ns] column holds (1678–2261), with and without
# a time of day: the vector path and the cell-by-cell path must agree on both sides of it
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1700, 1, 1)),
    st.datetimes(min_value=datetime(2250, 1, 1), max_value=datetime(9999, 12, 31)),
)


def plain_dates(cells: list[object], allow_time: bool) -> tuple[list[object], list[bool]]:
    """`parse_date` of each cell: the moment (NaT where empty or unreadable), and which failed."""
    moments: list[object] = []
    failed: list[bool] = []
    for cell in cells:
        try:
            moments.append(pd.Timestamp(parse_date(cell, allow_time=allow_time)))
            failed.append(False)
        except ParseError:
            moments.append(pd.NaT)
            failed.append(cell is not None)
    return moments, failed


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), MOMENTS), min_size=1, max_size=10), time=st.booleans())
def test_date_column_of_datetime_cells_agrees_with_parse_date_cell_by_cell(
    cells: list[object], time: bool
) -> None:
    parsed = columns.date_column(pd.Series(cells, dtype=object), allow_time=time)
    moments, failed = plain_dates(cells, time)
    # NaT is not equal to itself: compare with None in its place
    assert [None if pd.isna(value) else value for value in parsed.values.tolist()] == [
        None if pd.isna(value) else value for value in moments
    ]
    assert parsed.failed.tolist() == failed


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), MOMENTS.filter(lambda m: 1678 < m.year < 2261)), max_size=10))
def test_month_strings_agree_with_formatting_each_moment(cells: list[datetime | None]) -> None:
    moments = pd.Series(cells, dtype="datetime64[ns]")
    expected = [None if cell is None else f"{cell.year:04d}-{cell.month:02d}" for cell in cells]
    assert month_strings(moments).tolist() == expected


ID_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["A1", " a1 ", "A 1", "B2", "b2", "", "  ", "«A1»", "7"]),
    st.sampled_from([7, 7.0, 8.5, True]),
    st.text(alphabet="aAbB1 ", max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ID_CELLS, max_size=12))
def test_repeated_ids_agree_with_a_plain_seen_before_check(cells: list[object]) -> None:
    # `_repeated` hashes integer codes, not texts; a plain version remembers the keys seen.
    ids = name_column(columns.each_cell(pd.Series(cells, dtype=object)))
    keys = ids.key.tolist()
    seen: set[str] = set()
    expected = []
    for key in keys:
        expected.append(key is not None and key in seen)
        if key is not None:
            seen.add(key)
    repeated = _repeated(ids) & ~ids.blank.to_numpy()
    assert repeated.tolist() == expected


NAMES = st.sampled_from(
    ["Анна", "анна", " Анна ", "АННА", "Борис", "борис  ", "Алёна", "Алена", "«Вера»", "Вера"]
)


@settings(max_examples=60, deadline=None)
@given(
    managers=st.lists(NAMES, min_size=1, max_size=8),
    clients=st.lists(NAMES, min_size=1, max_size=8),
    roster=st.lists(NAMES, max_size=3),
)
def test_display_names_are_the_rosters_else_the_first_seen_like_a_plain_pass(
    managers: list[str], clients: list[str], roster: list[str]
) -> None:
    # Plain: the roster's first form of a name (Мотивация is read first), else the first form
    # the sales tab shows, top to bottom; clients likewise, managers and clients apart.
    count = min(len(managers), len(clients))
    sales = [["Дата", "Менеджер", "Клиент", "Сумма"]]
    sales += [["03.11.2026", managers[i], clients[i], 100] for i in range(count)]
    tabs = {"Продажи": sales}
    if roster:
        tabs["Мотивация"] = [["Менеджер"], *[[name] for name in roster]]
    raw = RawWorkbook(tuple(tabs), {title: RawTab(title, rows) for title, rows in tabs.items()})
    inputs = validate(raw, Config(), date(2026, 11, 22))

    def first_forms(names: list[str], known: dict[str, str]) -> dict[str, str]:
        forms = dict(known)
        for name in names:
            forms.setdefault(schema.norm(name), schema.display(name))
        return forms

    roster_forms = first_forms(roster, {})
    manager_forms = first_forms(managers[:count], roster_forms)
    client_forms = first_forms(clients[:count], {})
    kept = inputs.sales["row"].to_numpy() - 2  # rows rejected (unknown managers) are left out
    assert inputs.sales["manager"].tolist() == [
        manager_forms[schema.norm(managers[i])] for i in kept
    ]
    assert inputs.sales["client"].tolist() == [client_forms[schema.norm(clients[i])] for i in kept]
    # the rows kept: every row without a roster, else those naming a roster manager
    assert kept.tolist() == [
        i for i in range(count) if not roster or schema.norm(managers[i]) in roster_forms
    ]
