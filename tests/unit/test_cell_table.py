"""Laying out a tab's cells (`checks.cell_table`): the vectorised layout against a plain one."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.inputs.checks import cell_table

CELLS = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)


def plain_table(body: list[list[object]], width: int) -> list[list[object]]:
    """The same layout, one cell at a time: row i, column j is the cell if the row reaches it."""
    return [[row[j] if j < len(row) else None for j in range(width)] for row in body]


@settings(max_examples=200, deadline=None)
@given(
    body=st.lists(st.lists(CELLS, max_size=12), min_size=1, max_size=30),
    width=st.integers(min_value=1, max_value=10),
)
def test_cell_table_pads_short_rows_and_cuts_long_ones_like_a_plain_layout(
    body: list[list[object]], width: int
) -> None:
    before = [list(row) for row in body]
    table = cell_table(body, width)
    assert table.shape == (len(body), width) and table.dtype == object
    expected = plain_table(body, width)
    # the very objects of the rows (identity, so 1 and True or nan stay apart), None beyond
    assert all(table[i, j] is expected[i][j] for i in range(len(body)) for j in range(width))
    # the rows themselves are left as they were: same lengths, same cells
    assert [len(row) for row in body] == [len(row) for row in before]
    assert all(
        a is b for row, old in zip(body, before, strict=True) for a, b in zip(row, old, strict=True)
    )


def test_cell_table_of_rows_of_the_width_keeps_them_in_order() -> None:
    # 2 rows × 3 columns, already of the width: laid out as they are.
    table = cell_table([["a", 1, None], ["b", 2.5, True]], 3)
    assert table.tolist() == [["a", 1, None], ["b", 2.5, True]]
