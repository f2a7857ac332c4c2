"""The fake Sheets API behaves like Google where the backend depends on it.

Driven through gspread's own HTTPClient over a real google-auth service-account session.
"""

from __future__ import annotations

from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError

from tests.fakes.google_env import SPREADSHEET_ID, http_client
from tests.fakes.sheets_api import (
    SHEETS_PREFIX,
    FakeSheetsApi,
    formula_cell,
    parse_mask,
    python_cell,
)
from tests.fakes.sheets_schema import discovery


@pytest.fixture
def api() -> FakeSheetsApi:
    return FakeSheetsApi()


@pytest.fixture
def client(api: FakeSheetsApi) -> gspread.HTTPClient:
    info = api.service_account_info()
    api.create_spreadsheet(
        SPREADSHEET_ID,
        {"Продажи": [["Дата", "Сумма"], [46000, 100]], "План": [["Месяц"]]},
        editors=[info["client_email"]],
    )
    return http_client(api, info)


def status_of(call: Any) -> int:
    with pytest.raises(APIError) as caught:
        call()
    return caught.value.response.status_code


def test_discovery_document_comes_from_the_client_library_wheel() -> None:
    document = discovery()

    assert document["name"] == "sheets" and document["version"] == "v4"
    assert "BatchUpdateSpreadsheetRequest" in document["schemas"]


def test_unknown_field_is_rejected_and_nothing_changes(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    before = api.snapshot(SPREADSHEET_ID, "Продажи")
    body = {"requests": [{"addSheet": {"properties": {"titel": "Сводка"}}}]}

    with pytest.raises(APIError) as caught:
        client.batch_update(SPREADSHEET_ID, body)

    assert caught.value.response.status_code == 400
    assert "titel" in caught.value.error["message"]
    assert api.snapshot(SPREADSHEET_ID, "Продажи") == before


@pytest.mark.parametrize(
    "request_body",
    [
        {"addSheet": {"properties": {"sheetId": "seven"}}},  # wrong type
        {"addSheet": {}, "deleteSheet": {"sheetId": 0}},  # two kinds in one Request
        {},  # no kind at all
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [{"sheetId": 0}],
                    "booleanRule": {"condition": {"type": "NUMBER_LESS_THAN"}},
                }
            }
        },  # not a ConditionType
        {
            "updateCells": {
                "start": {"sheetId": 0},
                "rows": [{"values": [{"userEnteredValue": {"numberValue": "12"}}]}],
                "fields": "*",
            }
        },  # a number sent as text inside a cell
    ],
)
def test_bodies_that_break_the_discovery_schema_are_400(
    client: gspread.HTTPClient, request_body: dict[str, Any]
) -> None:
    body = {"requests": [request_body]}

    assert status_of(lambda: client.batch_update(SPREADSHEET_ID, body)) == 400


def test_batch_update_is_all_or_nothing(api: FakeSheetsApi, client: gspread.HTTPClient) -> None:
    body = {
        "requests": [
            {"addSheet": {"properties": {"title": "Сводка", "sheetId": 5}}},
            {"deleteEmbeddedObject": {"objectId": 424242}},  # no such chart
        ]
    }

    with pytest.raises(APIError) as caught:
        client.batch_update(SPREADSHEET_ID, body)

    assert "requests[1]" in caught.value.error["message"]
    assert [sheet.title for sheet in api.book(SPREADSHEET_ID).sheets] == ["Продажи", "План"]


def test_adding_a_tab_that_exists_fails_the_whole_batch(client: gspread.HTTPClient) -> None:
    body = {"requests": [{"addSheet": {"properties": {"title": "План"}}}]}

    assert status_of(lambda: client.batch_update(SPREADSHEET_ID, body)) == 400


def test_ranges_outside_the_grid_or_on_missing_tabs_are_rejected(
    client: gspread.HTTPClient,
) -> None:
    outside = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 1000, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
            "fields": "userEnteredValue",
        }
    }
    missing = {"repeatCell": {"range": {"sheetId": 99}, "cell": {}, "fields": "*"}}

    for request_body in (outside, missing):
        body = {"requests": [request_body]}
        assert status_of(lambda body=body: client.batch_update(SPREADSHEET_ID, body)) == 400


def test_freezing_every_row_is_rejected(client: gspread.HTTPClient) -> None:
    body = {
        "requests": [
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": 0,
                        "gridProperties": {"rowCount": 2, "frozenRowCount": 2},
                    },
                    "fields": "gridProperties(rowCount,frozenRowCount)",
                }
            }
        ]
    }

    assert status_of(lambda: client.batch_update(SPREADSHEET_ID, body)) == 400


def test_values_batch_get_fails_whole_when_one_range_names_a_missing_tab(
    client: gspread.HTTPClient,
) -> None:
    params = {"valueRenderOption": "UNFORMATTED_VALUE"}

    good = client.values_batch_get(SPREADSHEET_ID, ["Продажи", "'План'!A1:B2"], dict(params))
    assert good["valueRanges"][0]["values"] == [["Дата", "Сумма"], [46000, 100]]
    assert good["valueRanges"][1]["values"] == [["Месяц"]]
    assert (
        status_of(lambda: client.values_batch_get(SPREADSHEET_ID, ["Продажи", "Сделки"], params))
        == 400
    )


def test_get_with_a_fields_mask_returns_metadata_and_values_in_one_request(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    params = {
        "includeGridData": "true",
        "fields": "sheets(properties(sheetId,title),data.rowData.values.effectiveValue)",
    }

    answer = client.spreadsheets_get(SPREADSHEET_ID, params)

    first = answer["sheets"][0]
    assert set(answer) == {"sheets"}
    assert first["properties"] == {"sheetId": 0, "title": "Продажи"}
    assert first["data"][0]["rowData"][1]["values"] == [
        {"effectiveValue": {"numberValue": 46000}},
        {"effectiveValue": {"numberValue": 100}},
    ]
    assert api.count("get") == 1


def test_get_without_grid_data_has_no_cells(client: gspread.HTTPClient) -> None:
    answer = client.spreadsheets_get(SPREADSHEET_ID, {"includeGridData": "false"})

    assert all("data" not in sheet for sheet in answer["sheets"])
    assert [sheet["properties"]["title"] for sheet in answer["sheets"]] == ["Продажи", "План"]


def test_field_masks_parse_nested_selections() -> None:
    mask = parse_mask("sheets(properties(title,gridProperties),data.rowData),spreadsheetId")

    assert mask == {
        "sheets": {
            "properties": {"title": None, "gridProperties": None},
            "data": {"rowData": None},
        },
        "spreadsheetId": None,
    }


def test_charts_rules_and_protections_get_ids_and_can_be_deleted(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    chart = {
        "spec": {
            "basicChart": {
                "chartType": "COLUMN",
                "domains": [{"domain": {"sourceRange": {"sources": [{"sheetId": 0}]}}}],
            }
        },
        "position": {"overlayPosition": {"anchorCell": {"sheetId": 0, "rowIndex": 3}}},
    }
    protected = {"range": {"sheetId": 0}, "warningOnly": True, "description": "бот"}
    replies = client.batch_update(
        SPREADSHEET_ID,
        {
            "requests": [
                {"addChart": {"chart": chart}},
                {"addProtectedRange": {"protectedRange": protected}},
            ]
        },
    )["replies"]
    chart_id = replies[0]["addChart"]["chart"]["chartId"]
    range_id = replies[1]["addProtectedRange"]["protectedRange"]["protectedRangeId"]

    client.batch_update(
        SPREADSHEET_ID,
        {
            "requests": [
                {"deleteEmbeddedObject": {"objectId": chart_id}},
                {"deleteProtectedRange": {"protectedRangeId": range_id}},
            ]
        },
    )

    sales = api.sheet(SPREADSHEET_ID, "Продажи")
    assert sales.charts == [] and sales.protected_ranges == []


def test_requests_are_counted_by_kind(api: FakeSheetsApi, client: gspread.HTTPClient) -> None:
    client.spreadsheets_get(SPREADSHEET_ID, {"includeGridData": "false"})
    client.batch_update(SPREADSHEET_ID, {"requests": [{"addSheet": {}}]})
    client.values_batch_get(SPREADSHEET_ID, ["Продажи"])

    assert api.counts() == {"token": 1, "get": 1, "batchUpdate": 1, "values.batchGet": 1}
    assert api.count() == 3


def test_injected_faults_hit_the_next_requests_only(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    api.fail_next(503, headers={"Retry-After": "3"})
    api.raise_next(requests.ConnectionError("reset"))

    with pytest.raises(APIError) as caught:
        client.spreadsheets_get(SPREADSHEET_ID)
    with pytest.raises(requests.ConnectionError):
        client.spreadsheets_get(SPREADSHEET_ID)
    answer = client.spreadsheets_get(SPREADSHEET_ID)

    assert caught.value.response.status_code == 503
    assert caught.value.response.headers["Retry-After"] == "3"
    assert answer["spreadsheetId"] == SPREADSHEET_ID


def test_a_fault_after_applying_leaves_the_change_in_place(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    api.fail_next(500, apply=True)

    with pytest.raises(APIError):
        client.batch_update(SPREADSHEET_ID, {"requests": [{"addSheet": {}}]})

    assert len(api.book(SPREADSHEET_ID).sheets) == 3


def test_token_endpoint_refuses_unknown_and_revoked_keys(api: FakeSheetsApi) -> None:
    from google.auth.exceptions import RefreshError

    info = api.service_account_info("revoked@agency-kpi.iam.gserviceaccount.com")
    api.create_spreadsheet(SPREADSHEET_ID, editors=[info["client_email"]])
    api.revoke(info["client_email"])

    with pytest.raises(RefreshError, match="invalid_grant"):
        http_client(api, info).spreadsheets_get(SPREADSHEET_ID)


def test_requests_without_a_valid_token_are_401(api: FakeSheetsApi) -> None:
    session = requests.Session()
    session.mount("https://", api.adapter)

    response = session.get(f"https://sheets.googleapis.com/v4/spreadsheets/{SPREADSHEET_ID}")

    assert response.status_code == 401


def test_spreadsheet_not_shared_is_403_and_unknown_is_404(api: FakeSheetsApi) -> None:
    info = api.service_account_info()
    api.create_spreadsheet(SPREADSHEET_ID, editors=[])
    client = http_client(api, info)

    assert status_of(lambda: client.spreadsheets_get(SPREADSHEET_ID)) == 403
    assert status_of(lambda: client.spreadsheets_get("1Unknown00000000000")) == 404


def test_values_update_user_entered_turns_text_into_formulas_raw_does_not(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    text = '=IMPORTXML("http://x";"//a")'

    client.values_update(
        SPREADSHEET_ID, "'План'!A2", {"valueInputOption": "RAW"}, {"values": [[text]]}
    )
    client.values_update(
        SPREADSHEET_ID, "'План'!A3", {"valueInputOption": "USER_ENTERED"}, {"values": [[text]]}
    )

    assert api.entered(SPREADSHEET_ID, "План", 2, 1) == {"stringValue": text}
    assert api.entered(SPREADSHEET_ID, "План", 3, 1) == {"formulaValue": text}


def test_get_with_a_range_on_a_missing_tab_fails_whole(client: gspread.HTTPClient) -> None:
    params = {"includeGridData": "true", "ranges": ["Продажи", "Сделки"]}

    assert status_of(lambda: client.spreadsheets_get(SPREADSHEET_ID, params)) == 400
    answer = client.spreadsheets_get(
        SPREADSHEET_ID, {"includeGridData": "true", "ranges": ["План"]}
    )
    assert [("data" in sheet) for sheet in answer["sheets"]] == [False, True]


def test_query_parameters_are_checked_against_the_discovery_document(
    client: gspread.HTTPClient,
) -> None:
    ranges = ["Продажи"]
    # a parameter of another method, a value outside the enum, a boolean that is not one
    for params in (
        {"includeGridData": "true"},
        {"valueRenderOption": "UNFORMATTED"},
        {"prettyPrint": "no"},
    ):
        assert status_of(lambda p=params: client.values_batch_get(SPREADSHEET_ID, ranges, p)) == 400
    # the method's own parameters and the global ones are taken
    params = {
        "valueRenderOption": "UNFORMATTED_VALUE",
        "dateTimeRenderOption": "SERIAL_NUMBER",
        "majorDimension": "ROWS",
        "prettyPrint": "false",
        "fields": "valueRanges.values",
    }
    assert client.values_batch_get(SPREADSHEET_ID, ranges, params) == {
        "valueRanges": [{"values": [["Дата", "Сумма"], [46000, 100]]}]
    }


def test_answers_are_indented_unless_pretty_print_is_false(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    pretty = client.request("get", f"{SHEETS_PREFIX}{SPREADSHEET_ID}")
    plain = client.request(
        "get", f"{SHEETS_PREFIX}{SPREADSHEET_ID}", params={"prettyPrint": "false"}
    )

    assert pretty.json() == plain.json()
    # Google's default: two spaces a level, one value a line; prettyPrint=false: no whitespace
    assert pretty.text.startswith('{\n  "spreadsheetId": ')
    assert "\n" not in plain.text and ": " not in plain.text
    assert [call.pretty_printed for call in api.calls if call.kind == "get"] == [True, False]


def test_batch_update_reply_carries_the_masked_spreadsheet_when_asked(
    client: gspread.HTTPClient,
) -> None:
    body = {
        "requests": [{"addSheet": {"properties": {"title": "Сводка", "sheetId": 7}}}],
        "includeSpreadsheetInResponse": True,
        "responseIncludeGridData": False,
    }
    fields = "updatedSpreadsheet.sheets.properties(sheetId,title)"

    answer = client.request(
        "post",
        f"{SHEETS_PREFIX}{SPREADSHEET_ID}:batchUpdate",
        params={"fields": fields},
        json=body,
    ).json()

    assert answer == {
        "updatedSpreadsheet": {
            "sheets": [
                {"properties": {"sheetId": 0, "title": "Продажи"}},
                {"properties": {"sheetId": 1001, "title": "План"}},
                {"properties": {"sheetId": 7, "title": "Сводка"}},
            ]
        }
    }


def test_values_give_error_cells_as_their_text_and_whole_numbers_without_a_point(
    api: FakeSheetsApi, client: gspread.HTTPClient
) -> None:
    sheet = api.sheet(SPREADSHEET_ID, "План")
    sheet.cells[(1, 0)] = formula_cell("=1/0", None) | {
        "effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO", "message": "x"}}
    }
    sheet.cells[(1, 1)] = python_cell(46000.0)
    sheet.cells[(1, 3)] = python_cell(0.25)

    answer = client.values_batch_get(
        SPREADSHEET_ID, ["План"], {"valueRenderOption": "UNFORMATTED_VALUE"}
    )

    # an empty cell before the row's last value is "", trailing ones are left out
    assert answer["valueRanges"][0]["values"][1] == ["#DIV/0!", 46000, "", 0.25]
    assert isinstance(answer["valueRanges"][0]["values"][1][1], int)
