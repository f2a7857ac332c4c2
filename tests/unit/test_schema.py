"""Identity of names and headers (SPEC §2, §2.6)."""

from __future__ import annotations

import pandas as pd
import pytest

from sheets_kpi.core.inputs import schema
from sheets_kpi.core.inputs.names import name_column


@pytest.mark.parametrize(
    "written",
    [
        "ООО «Ромашка»",
        'ООО "Ромашка"',
        "ооо ромашка",
        "«ООО Ромашка»",
        "ООО«Ромашка»",
        " ООО  Ромашка ",
    ],
)
def test_quotes_anywhere_case_and_spaces_do_not_change_a_client(written):
    assert schema.norm(written) == "ооо ромашка"


def test_yo_and_ye_are_one_letter_in_names():
    assert schema.norm("Ковалёв Дмитрий") == schema.norm("ковалев  дмитрий")


def test_different_names_stay_different():
    assert schema.norm("ООО Ромашка") != schema.norm("ООО Ромашка-2")


def test_fast_column_path_gives_the_same_keys_as_norm():
    written = ["ООО «Ромашка»", 'ИП "Соколов"', "«»", "Кофейня «Зерно»", None]
    keys = name_column(pd.Series(written, dtype=object)).key.tolist()
    assert keys == ["ооо ромашка", "ип соколов", None, "кофейня зерно", None]


def test_headers_match_in_english_and_with_odd_spaces():
    assert schema.match_header(schema.SALES, "  сумма\u00a0") == "amount"
    assert schema.match_header(schema.SALES, "AMOUNT") == "amount"
    assert schema.match_header(schema.DEALS, "дата  заявки") == "lead_date"
    assert schema.match_header(schema.SALES, "Примечание") is None
