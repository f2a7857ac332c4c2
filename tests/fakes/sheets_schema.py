"""Google's published Sheets v4 discovery document as JSON Schema, for the fake API.

The discovery document ships in the `google-api-python-client` wheel (a test-only dependency).
Every `$ref` among its `schemas` becomes a JSON-Schema reference, every object rejects unknown
fields, and a `Request` must set exactly one kind of request.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import jsonschema


@functools.cache
def discovery() -> dict[str, Any]:
    """The Sheets v4 discovery document from the google-api-python-client wheel."""
    documents = resources.files("googleapiclient") / "discovery_cache" / "documents"
    return json.loads((documents / "sheets.v4.json").read_text(encoding="utf-8"))


def _convert(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return {"$ref": f"#/definitions/{node['$ref']}"}
    kind = node.get("type")
    result: dict[str, Any] = {}
    if kind == "object":
        result["type"] = "object"
        if "properties" in node:
            result["properties"] = {
                name: _convert(child) for name, child in node["properties"].items()
            }
            result["additionalProperties"] = False
        if "additionalProperties" in node:
            result["additionalProperties"] = _convert(node["additionalProperties"])
    elif kind == "array":
        result["type"] = "array"
        if "items" in node:
            result["items"] = _convert(node["items"])
    elif kind == "string":
        # 64-bit integers travel as JSON strings, but Google accepts plain numbers too
        if node.get("format") in ("int64", "uint64"):
            result["type"] = ["string", "integer"]
        else:
            result["type"] = "string"
            if "enum" in node:
                result["enum"] = list(node["enum"])
    elif kind in ("integer", "number", "boolean"):
        result["type"] = kind
    return result


@functools.cache
def definitions() -> dict[str, Any]:
    """Every schema of the discovery document, converted to JSON Schema."""
    converted = {name: _convert(schema) for name, schema in discovery()["schemas"].items()}
    # one request, one kind (Google: "Must specify at least one request" / "oneof")
    converted["Request"]["minProperties"] = 1
    converted["Request"]["maxProperties"] = 1
    return converted


@functools.cache
def validator(schema_name: str, *, rows_checked_apart: bool = False) -> Any:
    """A compiled validator for one schema of the document, e.g. `BatchUpdateSpreadsheetRequest`.

    With `rows_checked_apart`, `RowData` is only checked to be an object: `first_error` checks
    rows cell by cell with a cache, since jsonschema takes ~0.2 ms a cell.
    """
    known = dict(definitions())
    if rows_checked_apart:
        known["RowData"] = {"type": "object"}
    schema = {"definitions": known, "$ref": f"#/definitions/{schema_name}"}
    return jsonschema.validators.Draft7Validator(schema)


def _message(error: Any, prefix: str = "") -> str:
    where = prefix + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    )
    return f"Invalid JSON payload received at '{where.lstrip('.') or '(root)'}': {error.message}"


def _placeholder(value: Any) -> Any:
    if isinstance(value, bool | None):
        return value
    if isinstance(value, int | float):
        return 0
    if isinstance(value, str):
        return ""
    return value


def _cell_shape(cell: Any) -> str:
    """A cell with its free values blanked: cells of one shape are valid or invalid together."""
    if not isinstance(cell, dict):
        return repr(cell)
    shaped = dict(cell)
    for key in ("userEnteredValue", "effectiveValue"):
        value = shaped.get(key)
        if isinstance(value, dict):
            shaped[key] = {name: _placeholder(item) for name, item in value.items()}
    if isinstance(shaped.get("note"), str):
        shaped["note"] = ""
    return json.dumps(shaped, sort_keys=True, default=str)


@functools.cache
def _cell_error(shape: str) -> str | None:
    error = jsonschema.exceptions.best_match(validator("CellData").iter_errors(json.loads(shape)))
    return None if error is None else _message(error)


def _rows_error(rows: Any, where: str) -> str | None:
    if not isinstance(rows, list):
        return None  # the main validator already says so
    for row_number, row in enumerate(rows):
        row_where = f"{where}.rows[{row_number}]"
        unknown = set(row) - {"values"}
        if unknown:
            return (
                f"Invalid JSON payload received. Unknown name {sorted(unknown)[0]!r} at {row_where}"
            )
        cells = row.get("values", [])
        if not isinstance(cells, list):
            return f"Invalid JSON payload received at '{row_where}.values': not a list"
        for cell_number, cell in enumerate(cells):
            error = _cell_error(_cell_shape(cell))
            if error is not None:
                return f"{error} (in {row_where}.values[{cell_number}])"
    return None


@functools.cache
def _envelope_error(envelope_json: str) -> str | None:
    checker = validator("BatchUpdateSpreadsheetRequest")
    error = jsonschema.exceptions.best_match(checker.iter_errors(json.loads(envelope_json)))
    return None if error is None else _message(error)


@functools.cache
def _request_error(request_json: str) -> str | None:
    """Errors of one `Request` (its rows blanked), cached: a bot sends the same ones each run."""
    checker = validator("Request", rows_checked_apart=True)
    error = jsonschema.exceptions.best_match(checker.iter_errors(json.loads(request_json)))
    return None if error is None else _message(error)


def _without_rows(request: Any) -> str:
    if isinstance(request, dict):
        shallow = {}
        for kind, detail in request.items():
            if isinstance(detail, dict) and "rows" in detail:
                detail = {**detail, "rows": []}
            shallow[kind] = detail
        request = shallow
    return json.dumps(request, sort_keys=True, default=str)


def first_error(body: Any, schema_name: str) -> str | None:
    """A Google-style message for the first way `body` breaks `schema_name`, or None."""
    if schema_name != "BatchUpdateSpreadsheetRequest" or not isinstance(body, dict):
        error = jsonschema.exceptions.best_match(validator(schema_name).iter_errors(body))
        return None if error is None else _message(error)
    requests = body.get("requests", [])
    if not isinstance(requests, list):
        return "Invalid JSON payload received at 'requests': not a list"
    # the envelope alone; each request is checked apart, with a cache
    envelope = _envelope_error(json.dumps({**body, "requests": []}, sort_keys=True, default=str))
    if envelope is not None:
        return envelope
    for number, request in enumerate(requests):
        problem = _request_error(_without_rows(request))
        if problem is not None:
            return problem.replace("'(root)'", "''", 1).replace("'", f"'requests[{number}].", 1)
        for kind in ("updateCells", "appendCells"):
            if isinstance(request, dict) and kind in request:
                found = _rows_error(request[kind].get("rows", []), f"requests[{number}].{kind}")
                if found:
                    return found
    return None


def _method(name: str) -> dict[str, Any]:
    """A method of the document by its id without the `sheets.` prefix, e.g.
    `spreadsheets.values.batchGet`."""
    *resources, method = name.split(".")
    node: dict[str, Any] = discovery()
    for resource in resources:
        node = node["resources"][resource]
    return node["methods"][method]


def query_error(method: str, query: dict[str, list[str]]) -> str | None:
    """A Google-style message for the first query parameter `method` does not take (its own
    and the document's global ones: `prettyPrint`, `fields`, ...), or a value outside its enum
    or type; None when the query is valid."""
    known = {**discovery()["parameters"], **_method(method).get("parameters", {})}
    for name, values in query.items():
        spec = known.get(name)
        if spec is None or spec.get("location") != "query":
            return (
                f'Invalid JSON payload received. Unknown name "{name}": '
                "Cannot bind query parameter."
            )
        if len(values) > 1 and not spec.get("repeated"):
            return f"Invalid value at '{name}': more than one value for a single field."
        for value in values:
            if spec.get("type") == "boolean" and value not in ("true", "false"):
                return f"Invalid value at '{name}' (TYPE_BOOL), \"{value}\""
            if "enum" in spec and value not in spec["enum"]:
                return f"Invalid value at '{name}', \"{value}\""
    return None
