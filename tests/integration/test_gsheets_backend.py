"""GSheetsBackend against the in-process fake of Sheets API v4 (real gspread/google-auth stack)."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.backends.gsheets import GSheetsBackend, spreadsheet_id
from sheets_kpi.backends.gsheets.requests import (
    PROTECTION_MARKER,
    column_letter,
    hyperlink_formula,
)
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    CellRef,
    Chart,
    ConditionalRule,
    Formula,
    InputTabInit,
    Series,
    TabWrite,
)
from sheets_kpi.core.settings import RetryConfig
from sheets_kpi.errors import BackendError, ConfigError, CredentialsError
from tests.fakes.google_env import (
    SPREADSHEET_ID,
    RecordedWaits,
    backend_on_fake,
    key_file,
)
from tests.fakes.sheets_api import FakeSheetsApi, effective_of, formula_cell

SALES = [
    ["Дата", "Менеджер", "Клиент", "Сумма", "Оплачено"],
    [46000, "Иван Петров", "ООО «Ромашка»", 120000, "да"],
    [46001.5, "Анна", '=IMPORTXML("http://evil";"//a")', "100 000 ₽", None],
    [None, None, None, None, None],
    ["01.11.2026", "Анна", "ИП Смирнов", formula_cell("=D2*2", 240000), True],
]


def summary_plan(rows: int = 3, managers: int = 2) -> TabWrite:
    """A Сводка-like plan: a header, `rows` data rows of `managers` + 1 columns, a chart,
    two conditional rules and protection."""
    header = (
        Cell("Менеджер", style="header"),
        *(Cell(f"М{number}", style="header") for number in range(managers)),
    )
    body = tuple(
        (
            Cell(f"Клиент {row}"),
            *(Cell(1000.0 * row + number, fmt="money") for number in range(managers)),
        )
        for row in range(rows)
    )
    data = CellRange(2, 2, rows + 1, managers + 1)
    return TabWrite(
        key="summary",
        title="Сводка",
        rows=(header, *body),
        frozen_rows=1,
        column_widths=(24,) + (12,) * managers,
        conditional=(
            ConditionalRule(data, "<", 1.0, "#F4CCCC"),
            ConditionalRule(data, ">=", 1.0, "#D9EAD3"),
        ),
        charts=(
            Chart(
                kind="column",
                title="Выручка по менеджерам",
                categories=CellRange(2, 1, rows + 1, 1),
                series=(Series("М0", CellRange(2, 2, rows + 1, 2)),),
                anchor_row=rows + 3,
                anchor_column=1,
            ),
            Chart(
                kind="column",
                title="Выручка и план",
                categories=CellRange(2, 1, rows + 1, 1),
                series=(
                    Series("Факт", CellRange(2, 2, rows + 1, 2)),
                    Series("План", CellRange(2, 3, rows + 1, 3)),
                ),
                anchor_row=rows + 3,
                anchor_column=8,
                line_series=(1,),
            ),
        ),
    )


def errors_plan(label: str = "Иван Петров") -> TabWrite:
    return TabWrite(
        key="errors",
        title="Ошибки",
        rows=(
            (Cell("Лист", style="header"), Cell("Значение", style="header")),
            (Cell("Продажи"), Cell(label, link=CellRef("Продажи", 2, 2))),
        ),
        frozen_rows=1,
    )


@pytest.fixture
def api() -> FakeSheetsApi:
    return FakeSheetsApi()


@pytest.fixture
def waits() -> RecordedWaits:
    return RecordedWaits()


@pytest.fixture
def backend(api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits) -> GSheetsBackend:
    made, _email = backend_on_fake(api, tmp_path, {"Продажи": SALES}, waits=waits)
    return made


def run_cycle(backend: GSheetsBackend, plans: list[TabWrite]) -> None:
    backend.read(lambda title: title == "Продажи")
    backend.write(plans)


# -- reading ------------------------------------------------------------------------------


def test_read_hands_over_raw_values_with_dates_as_serials(backend: GSheetsBackend) -> None:
    workbook = backend.read(lambda title: title == "Продажи")

    assert workbook.titles == ("Продажи",)
    assert workbook.sheet_ids == {"Продажи": 0}
    rows = workbook.tabs["Продажи"].rows
    assert rows[0] == ["Дата", "Менеджер", "Клиент", "Сумма", "Оплачено"]
    assert rows[1] == [46000, "Иван Петров", "ООО «Ромашка»", 120000, "да"]
    # a user's text that looks like a formula is still text; a date-time stays a serial
    assert rows[2] == [46001.5, "Анна", '=IMPORTXML("http://evil";"//a")', "100 000 ₽"]
    assert rows[3] == []  # an empty row stays in place, trimmed to nothing
    # a formula gives its result; a bool stays a bool
    assert rows[4] == ["01.11.2026", "Анна", "ИП Смирнов", 240000, True]


def test_read_skips_tabs_not_wanted_but_lists_their_titles(
    api: FakeSheetsApi, tmp_path: Path
) -> None:
    backend, _ = backend_on_fake(api, tmp_path, {"Продажи": SALES, "Заметки": [["x"]]})

    workbook = backend.read(lambda title: title == "Продажи")

    assert workbook.titles == ("Продажи", "Заметки")
    assert set(workbook.tabs) == {"Продажи"}


def test_read_trims_trailing_empty_rows_and_columns(api: FakeSheetsApi, tmp_path: Path) -> None:
    backend, _ = backend_on_fake(
        api, tmp_path, {"Продажи": [["a", None, None], [1, 2, None], [None, None], [None]]}
    )

    rows = backend.read(lambda _title: True).tabs["Продажи"].rows

    assert rows == [["a"], [1, 2]]


# -- request counts -----------------------------------------------------------------------


def test_changed_cycle_costs_one_read_and_one_write(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_cycle(backend, [summary_plan(), errors_plan()])

    assert api.count("get") == 1
    assert api.count("batchUpdate") == 1
    assert api.count() == 2  # plus one token request, which is not a Sheets call
    assert api.count("token") == 1


@pytest.mark.parametrize(("rows", "managers"), [(10, 2), (10_000, 2), (10, 20)])
def test_request_count_does_not_grow_with_rows_or_managers(
    api: FakeSheetsApi, backend: GSheetsBackend, rows: int, managers: int
) -> None:
    plans = [summary_plan(rows, managers), errors_plan()]
    plans += [
        TabWrite(key, title, ((Cell("x"),),))
        for key, title in (("leaderboard", "Лидерборд"), ("bonuses", "Бонусы"))
    ]

    run_cycle(backend, plans)
    run_cycle(backend, plans)

    assert api.count() == 4  # two cycles × (one read + one batchUpdate)
    # the first read of a process is a spreadsheets.get; the next one a values.batchGet
    assert api.count("get") == 1 and api.count("values.batchGet") == 1
    assert len(api.values(SPREADSHEET_ID, "Сводка")) == rows + 1


def test_only_the_spreadsheets_scope_is_requested(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(lambda _title: True)

    assert api.scopes_requested == ["https://www.googleapis.com/auth/spreadsheets"]


# -- what the write leaves behind ------------------------------------------------------------


def test_input_tabs_are_byte_identical_after_runs(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    before = api.snapshot(SPREADSHEET_ID, "Продажи")

    run_cycle(backend, [summary_plan(), errors_plan()])
    run_cycle(backend, [summary_plan(5), errors_plan()])

    assert api.snapshot(SPREADSHEET_ID, "Продажи") == before


def test_thousand_runs_leave_exactly_one_set_of_charts_rules_and_protections(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    plans = [summary_plan(2), errors_plan()]
    for _ in range(1000):
        backend.write(plans)

    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    errors = api.sheet(SPREADSHEET_ID, "Ошибки")
    assert len(summary.charts) == 2
    assert len(summary.conditional_formats) == 2
    assert [p["description"] for p in summary.protected_ranges] == [PROTECTION_MARKER]
    assert len(errors.protected_ranges) == 1
    assert all(item["warningOnly"] for item in summary.protected_ranges)
    assert [sheet.title for sheet in api.book(SPREADSHEET_ID).sheets] == [
        "Продажи",
        "Сводка",
        "Ошибки",
    ]


def test_generated_tab_keeps_its_sheet_id_from_run_to_run(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_cycle(backend, [summary_plan(), errors_plan()])
    first = api.sheet(SPREADSHEET_ID, "Сводка").sheet_id

    run_cycle(backend, [summary_plan(7), errors_plan()])

    assert api.sheet(SPREADSHEET_ID, "Сводка").sheet_id == first
    assert backend.read(lambda _t: False).sheet_ids["Сводка"] == first


def test_user_text_looking_like_a_formula_is_written_as_a_string(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    plan = TabWrite("leaderboard", "Лидерборд", ((Cell('=IMPORTXML("http://x";"//a")'),),))

    run_cycle(backend, [plan])

    assert api.entered(SPREADSHEET_ID, "Лидерборд", 1, 1) == {
        "stringValue": '=IMPORTXML("http://x";"//a")'
    }


def test_only_bot_formulas_are_formulas(api: FakeSheetsApi, backend: GSheetsBackend) -> None:
    plan = TabWrite("summary", "Сводка", ((Cell(Formula("SUM(1;2)")), Cell("=SUM(1;2)")),))

    run_cycle(backend, [plan])

    assert api.entered(SPREADSHEET_ID, "Сводка", 1, 1) == {"formulaValue": "=SUM(1;2)"}
    assert api.entered(SPREADSHEET_ID, "Сводка", 1, 2) == {"stringValue": "=SUM(1;2)"}


def test_error_row_links_to_the_offending_cell_with_escaped_text(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    sneaky = 'Иван"); IMPORTXML("http://evil'

    run_cycle(backend, [errors_plan(sneaky)])

    formula = api.entered(SPREADSHEET_ID, "Ошибки", 2, 2)["formulaValue"]
    # Продажи has gid 0; the offending cell is B2; quotes in user text are doubled
    assert formula == '=HYPERLINK("#gid=0&range=B2";"Иван""); IMPORTXML(""http://evil")'
    assert api.values(SPREADSHEET_ID, "Ошибки")[1] == ["Продажи", sneaky]


def test_numbers_dates_and_formats_are_written_as_numbers(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    plan = TabWrite(
        "monthly",
        "Помесячно",
        (
            (
                Cell(date(2026, 11, 22)),
                Cell(datetime(2026, 11, 22, 12, 0)),
                Cell(0.875, fmt="percent"),
                Cell(150000, fmt="money"),
                Cell(float("nan"), fmt="money"),
                Cell(True),
            ),
        ),
    )

    run_cycle(backend, [plan])

    cells = api.sheet(SPREADSHEET_ID, "Помесячно").cells
    # 2026-11-22 is day 46348 after 1899-12-30; noon adds half a day
    assert cells[(0, 0)]["userEnteredValue"] == {"numberValue": 46348}
    assert cells[(0, 0)]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert cells[(0, 1)]["userEnteredValue"] == {"numberValue": 46348.5}
    assert cells[(0, 2)]["userEnteredFormat"]["numberFormat"] == {
        "type": "PERCENT",
        "pattern": "0.0%",
    }
    assert cells[(0, 3)]["userEnteredFormat"]["numberFormat"]["pattern"] == '#,##0.00 "₽"'
    assert "userEnteredValue" not in cells[(0, 4)]  # NaN is an empty cell, not text
    assert cells[(0, 5)]["userEnteredValue"] == {"boolValue": True}


def test_rewrite_clears_old_content_and_shrinks_the_grid(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_cycle(backend, [summary_plan(50)])
    small = TabWrite("summary", "Сводка", ((Cell("only"),),))

    run_cycle(backend, [small])

    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    assert api.values(SPREADSHEET_ID, "Сводка") == [["only"]]
    assert (summary.row_count, summary.column_count) == (1, 1)
    assert summary.charts == [] and summary.conditional_formats == []


def test_banner_write_changes_only_row_one(api: FakeSheetsApi, backend: GSheetsBackend) -> None:
    run_cycle(backend, [summary_plan(3)])
    before = api.sheet(SPREADSHEET_ID, "Сводка")
    rows_before = api.values(SPREADSHEET_ID, "Сводка")
    banner = TabWrite(
        "summary", "Сводка", ((Cell("Данные не посчитаны", style="banner"),),), mode="banner"
    )

    run_cycle(backend, [banner])

    after = api.sheet(SPREADSHEET_ID, "Сводка")
    assert api.values(SPREADSHEET_ID, "Сводка") == [["Данные не посчитаны"], *rows_before[1:]]
    assert after.charts == before.charts
    assert after.conditional_formats == before.conditional_formats
    assert after.protected_ranges == before.protected_ranges
    assert after.properties == before.properties


def test_bot_leaves_other_protections_on_its_tabs_alone(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_cycle(backend, [summary_plan()])
    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    summary.protected_ranges.append(
        {"protectedRangeId": 77, "range": {"sheetId": summary.sheet_id}, "description": "босс"}
    )

    run_cycle(backend, [summary_plan()])

    descriptions = sorted(
        item["description"] for item in api.sheet(SPREADSHEET_ID, "Сводка").protected_ranges
    )
    assert descriptions == sorted(["босс", PROTECTION_MARKER])


def test_big_payload_logs_a_warning_with_its_size(
    api: FakeSheetsApi, backend: GSheetsBackend, caplog: pytest.LogCaptureFixture
) -> None:
    rows = tuple((Cell("я" * 600),) for _ in range(2000))  # 2000 × 1200 bytes of UTF-8

    with caplog.at_level(logging.WARNING, logger="sheets_kpi.backends.gsheets"):
        run_cycle(backend, [TabWrite("bonuses", "Бонусы", rows)])

    assert any("2 MB" in record.getMessage() for record in caplog.records)


# -- retries ------------------------------------------------------------------------------


def test_429_with_retry_after_is_honoured(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits
) -> None:
    api.fail_next(429, headers={"Retry-After": "7"})

    backend.read(lambda _t: True)

    assert waits.delays == [7.0]  # jitter (0.5 × 1 s) is below what the server asked for
    assert api.count("get") == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_jittered_backoff(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits, status: int
) -> None:
    api.fail_next(status, times=3)

    backend.read(lambda _t: True)

    # full jitter with rand() = 0.5: 0.5 × 1, 0.5 × 2, 0.5 × 4 seconds
    assert waits.delays == [0.5, 1.0, 2.0]


def test_connection_resets_and_timeouts_are_retried(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits
) -> None:
    api.raise_next(requests.ConnectionError("Connection reset by peer"))
    api.raise_next(requests.ReadTimeout("read timed out"))

    workbook = backend.read(lambda _t: True)

    assert "Продажи" in workbook.tabs
    assert len(waits.delays) == 2


def test_retries_stop_at_the_attempt_budget_with_a_clear_error(
    api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits
) -> None:
    backend, _ = backend_on_fake(
        api, tmp_path, {"Продажи": SALES}, retry=RetryConfig(attempts=3), waits=waits
    )
    api.fail_next(503, times=10)

    with pytest.raises(BackendError) as caught:
        backend.read(lambda _t: True)

    assert caught.value.exit_code == 3
    # 3 takes the "few" form (2–4 попытки, 5 попыток, 21 попытка); it once read «3 попыток»
    assert "3 попытки" in str(caught.value)
    assert "503" in str(caught.value)
    assert api.count("get") == 3
    assert len(waits.delays) == 2


def test_retries_stop_at_the_time_budget(
    api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits
) -> None:
    backend, _ = backend_on_fake(
        api,
        tmp_path,
        {"Продажи": SALES},
        retry=RetryConfig(attempts=100, total_seconds=10),
        waits=waits,
    )
    api.fail_next(429, times=100, headers={"Retry-After": "4"})

    with pytest.raises(BackendError, match="квота"):
        backend.read(lambda _t: True)

    assert sum(waits.delays) <= 10
    assert waits.delays == [4.0, 4.0]  # a third wait would pass 10 s: it gives up instead


def test_bad_request_is_not_retried(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits
) -> None:
    api.fail_next(400)

    with pytest.raises(BackendError):
        backend.read(lambda _t: True)

    assert waits.delays == []
    assert api.count("get") == 1


def test_write_that_failed_after_being_applied_is_rebuilt_not_resent(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(lambda _t: True)
    api.fail_next(500, apply=True, kinds=["batchUpdate"])

    backend.write([summary_plan(), errors_plan()])

    # resending the first body would add Сводка a second time and fail the whole batch
    assert api.counts()["batchUpdate"] == 2
    assert api.count("get") == 2  # the read, then a re-read before the second try
    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    assert len(summary.charts) == 2
    assert len(summary.protected_ranges) == 1


def test_write_that_timed_out_after_being_applied_is_rebuilt(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(lambda _t: True)
    api.raise_next(requests.ReadTimeout("read timed out"), apply=True, kinds=["batchUpdate"])

    backend.write([summary_plan(), errors_plan()])

    assert len(api.sheet(SPREADSHEET_ID, "Сводка").charts) == 2
    assert [s.title for s in api.book(SPREADSHEET_ID).sheets] == ["Продажи", "Сводка", "Ошибки"]


# -- access and credentials ------------------------------------------------------------------


def test_unshared_spreadsheet_says_to_share_it_with_the_service_account(
    api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits
) -> None:
    backend, email = backend_on_fake(api, tmp_path, {"Продажи": SALES}, shared=False)

    with pytest.raises(BackendError) as caught:
        backend.write([summary_plan()])

    assert caught.value.exit_code == 3
    assert f"откройте доступ к таблице для {email} с правами редактора" in str(caught.value)
    assert api.count("batchUpdate") == 0
    assert waits.delays == []


def test_unknown_spreadsheet_says_the_id_is_wrong(api: FakeSheetsApi, tmp_path: Path) -> None:
    path, _ = key_file(api, tmp_path)
    backend = GSheetsBackend("1NoSuchSpreadsheet000000000", path, adapter=api.adapter)

    with pytest.raises(BackendError, match="не найдена: ID неверен"):
        backend.read(lambda _t: True)


def test_sheet_url_or_id_is_accepted() -> None:
    url = f"https://docs.google.com/spreadsheets/d/{SPREADSHEET_ID}/edit#gid=0"

    assert spreadsheet_id(url) == SPREADSHEET_ID
    assert spreadsheet_id(f"  {SPREADSHEET_ID} ") == SPREADSHEET_ID
    with pytest.raises(ConfigError):
        spreadsheet_id("моя таблица")


def test_missing_key_file_is_a_credentials_error(tmp_path: Path) -> None:
    backend = GSheetsBackend(SPREADSHEET_ID, tmp_path / "nope.json")

    with pytest.raises(CredentialsError, match="не найден") as caught:
        backend.read(lambda _t: True)

    assert caught.value.exit_code == 2


def test_no_credentials_anywhere_says_how_to_give_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

    with pytest.raises(CredentialsError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        GSheetsBackend(SPREADSHEET_ID, None).read(lambda _t: True)


def test_credentials_come_from_the_environment_variable(
    api: FakeSheetsApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, email = key_file(api, tmp_path)
    api.create_spreadsheet(SPREADSHEET_ID, {"Продажи": SALES}, editors=[email])
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))

    backend = GSheetsBackend(SPREADSHEET_ID, None, adapter=api.adapter)

    assert backend.read(lambda _t: True).titles == ("Продажи",)


def test_non_json_key_file_is_a_credentials_error(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_bytes(b"\x89PNG not json")

    with pytest.raises(CredentialsError, match="не JSON"):
        GSheetsBackend(SPREADSHEET_ID, path).read(lambda _t: True)


@pytest.mark.parametrize("kind", ["installed", "web"])
def test_oauth_client_secret_instead_of_a_key_is_explained(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "client_secret.json"
    secret = {kind: {"client_id": "x.apps.googleusercontent.com", "client_secret": "GOCSPX-s3cr3t"}}
    path.write_text(json.dumps(secret))

    with pytest.raises(CredentialsError, match="OAuth-клиент") as caught:
        GSheetsBackend(SPREADSHEET_ID, path).read(lambda _t: True)

    assert "GOCSPX" not in str(caught.value)


def test_broken_key_says_to_download_a_new_one_without_quoting_it(
    api: FakeSheetsApi, tmp_path: Path
) -> None:
    info = api.service_account_info()
    info["private_key"] = "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASC\n"
    path = tmp_path / "key.json"
    path.write_text(json.dumps(info))

    with pytest.raises(CredentialsError, match="скачайте новый") as caught:
        GSheetsBackend(SPREADSHEET_ID, path, adapter=api.adapter).read(lambda _t: True)

    assert "MIIE" not in str(caught.value)


def test_revoked_key_is_a_credentials_error_naming_the_account(
    api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits
) -> None:
    backend, email = backend_on_fake(api, tmp_path, {"Продажи": SALES}, waits=waits)
    api.revoke(email)

    with pytest.raises(CredentialsError) as caught:
        backend.read(lambda _t: True)

    assert caught.value.exit_code == 2
    assert email in str(caught.value)
    assert "PRIVATE KEY" not in str(caught.value)
    assert waits.delays == []


# -- init ---------------------------------------------------------------------------------


def sales_init(title: str = "Продажи") -> InputTabInit:
    return InputTabInit(
        key="sales",
        title=title,
        headers=("Дата", "Менеджер", "Клиент", "Сумма", "Оплачено"),
        formats=("date", None, None, "money", None),
        dropdowns={5: ("да", "нет")},
        example=(date(2026, 11, 2), "Иван Петров", "ООО «Ромашка»", 120000, "да"),
        column_widths=(12, 20, 24, 14, 10),
    )


def test_init_adds_missing_tabs_with_headers_and_drop_downs_in_one_write(
    api: FakeSheetsApi, tmp_path: Path
) -> None:
    backend, _ = backend_on_fake(api, tmp_path, {"Лист1": []})

    created = backend.init([sales_init(), sales_init("План")])

    assert created == ["Продажи", "План"]
    assert api.count("get") == 1 and api.count("batchUpdate") == 1
    sales = api.sheet(SPREADSHEET_ID, "Продажи")
    assert api.values(SPREADSHEET_ID, "Продажи")[0] == list(sales_init().headers)
    assert sales.grid["frozenRowCount"] == 1
    rule = sales.cells[(5, 4)]["dataValidation"]
    assert rule["condition"]["type"] == "ONE_OF_LIST"
    assert [value["userEnteredValue"] for value in rule["condition"]["values"]] == ["да", "нет"]
    assert rule["strict"] is False
    assert sales.cells[(5, 3)]["userEnteredFormat"]["numberFormat"]["pattern"] == '#,##0.00 "₽"'


def test_init_fills_an_empty_tab_and_never_touches_one_with_data(
    api: FakeSheetsApi, tmp_path: Path
) -> None:
    backend, _ = backend_on_fake(api, tmp_path, {"Продажи": SALES, "План": []})
    sales_before = api.snapshot(SPREADSHEET_ID, "Продажи")
    plan_id = api.sheet(SPREADSHEET_ID, "План").sheet_id

    created = backend.init([sales_init(), sales_init("План")])

    assert created == ["План"]
    assert api.snapshot(SPREADSHEET_ID, "Продажи") == sales_before
    assert api.sheet(SPREADSHEET_ID, "План").sheet_id == plan_id
    assert api.values(SPREADSHEET_ID, "План")[0][0] == "Дата"


def test_init_next_to_real_data_adds_no_example_row(api: FakeSheetsApi, tmp_path: Path) -> None:
    # Next to real sales, a made-up example row in a new tab would count: none is added.
    backend, _ = backend_on_fake(api, tmp_path, {"Продажи": SALES})
    assert backend.init([sales_init(), sales_init("План")]) == ["План"]
    assert api.values(SPREADSHEET_ID, "План") == [list(sales_init().headers)]


def test_init_of_a_blank_spreadsheet_adds_the_example_rows(
    api: FakeSheetsApi, tmp_path: Path
) -> None:
    backend, _ = backend_on_fake(api, tmp_path, {"Лист1": []})
    assert backend.init([sales_init(), sales_init("План")]) == ["Продажи", "План"]
    assert api.values(SPREADSHEET_ID, "План")[1][1] == "Иван Петров"


def test_init_with_nothing_to_do_writes_nothing(api: FakeSheetsApi, tmp_path: Path) -> None:
    backend, _ = backend_on_fake(api, tmp_path, {"Продажи": SALES})

    assert backend.init([sales_init()]) == []
    assert api.count("batchUpdate") == 0


def test_describe_gives_the_spreadsheet_url(backend: GSheetsBackend) -> None:
    assert backend.describe() == f"https://docs.google.com/spreadsheets/d/{SPREADSHEET_ID}/edit"


def test_a_column_of_one_format_is_sent_once_and_lands_on_every_cell(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    rows = tuple((Cell(f"Клиент {n}"), Cell(1000.0 * n, fmt="money")) for n in range(10))

    run_cycle(backend, [TabWrite("bonuses", "Бонусы", rows)])

    sent = api.last_batch_update
    assert sent is not None
    repeats = [r["repeatCell"] for r in sent["requests"] if "repeatCell" in r]
    assert len(repeats) == 1  # ten money cells, one format in the payload
    assert (repeats[0]["range"]["startRowIndex"], repeats[0]["range"]["endRowIndex"]) == (0, 10)
    cells = api.sheet(SPREADSHEET_ID, "Бонусы").cells
    assert all(
        cells[(n, 1)]["userEnteredFormat"]["numberFormat"]["pattern"] == '#,##0.00 "₽"'
        for n in range(10)
    )
    assert cells[(9, 1)]["userEnteredValue"] == {"numberValue": 9000.0}


@settings(max_examples=60, deadline=None)
@given(label=st.text(max_size=40))
def test_link_label_can_never_break_out_of_its_string(label: str) -> None:
    formula = hyperlink_formula(0, 5, 2, label)

    # the fake parses HYPERLINK("…";"…") strictly: the whole formula is one call whose label
    # reads back exactly as the user's text
    assert effective_of({"formulaValue": formula}) == {"stringValue": label}


@pytest.mark.parametrize(
    ("column", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letters(column: int, letters: str) -> None:
    assert column_letter(column) == letters
