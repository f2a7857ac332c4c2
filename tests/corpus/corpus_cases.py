"""The bad-input corpus: small workbooks built by code, each with the problems it must produce.

A case is a set of tabs (title → rows, row 1 = header) plus an optional `tweak` that does what
rows cannot say (merged cells, hidden rows, formulas, a damaged file). `expect` lists the
problems that must be reported as (code, tab, sheet row, column header); `check_exit` and
`run_exit` are the exit codes of `sheets-kpi check` and `sheets-kpi run --once` (None: the
command cannot open the file, so only `check_exit` applies to both). `message` is a fragment of
the Russian sentence a file-level failure must print.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

SALES = "Продажи"
HEADER = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено", "ID"]
GOOD = ["05.11.2026", "Анна Смирнова", "Ромашка", 120000]
AS_OF = "2026-11-22"

Row = Sequence[object]
Expected = tuple[str, str, int | None, str | None]  # code, tab, row, column


@dataclass(frozen=True)
class Case:
    name: str
    tabs: dict[str, list[Row]] | None  # None: the file is made by `tweak` alone
    check_exit: int
    run_exit: int | None = None  # None: same as check_exit (a file-level failure)
    expect: tuple[Expected, ...] = ()
    exact: bool = False  # the problems must be exactly `expect` (codes, rows, columns)
    message: str = ""  # a fragment of the printed message
    tweak: Callable[[Path], Path] | None = None  # runs after the workbook is saved
    sheet_tweak: Callable[[openpyxl.Workbook], None] | None = None  # runs before it is saved
    clean_rows: int = 0  # rows that must reach the computation (paid sales counted)
    revenue: float | None = None  # the team's revenue over all months, when it matters
    tags: frozenset[str] = field(default_factory=frozenset)


def sales(*rows: Row, header: Row = HEADER) -> dict[str, list[Row]]:
    """A workbook with only `Продажи`: the header and `rows`."""
    return {SALES: [list(header), *map(list, rows)]}


def row(
    date_cell: object = "05.11.2026",
    manager: object = "Анна Смирнова",
    client: object = "Ромашка",
    amount: object = 120000,
    *rest: object,
) -> list[object]:
    return [date_cell, manager, client, amount, *rest]


def build(case: Case, folder: Path) -> Path:
    """The workbook file of `case` inside `folder`; returns the path to hand to the CLI."""
    path = folder / f"{case.name}.xlsx"
    if case.tabs is not None:
        workbook = openpyxl.Workbook()
        default = workbook.active
        for title, rows in case.tabs.items():
            sheet = workbook.create_sheet(title)
            for row_number, values in enumerate(rows, start=1):
                for column_number, value in enumerate(values, start=1):
                    cell = sheet.cell(row_number, column_number, value)
                    if isinstance(value, str):
                        cell.data_type = "s"  # typed text, even "=...": formulas come by tweak
        if case.tabs:
            workbook.remove(default)
        if case.sheet_tweak is not None:
            case.sheet_tweak(workbook)
        workbook.save(path)
    if case.tweak is not None:
        path = case.tweak(path)
    return path


# ---------------------------------------------------------------- tweaks


def _merge_first_rows(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[SALES]
    sheet.merge_cells("B2:B3")  # one manager for two payments, typed once in a merged cell


def _hide_row_3(workbook: openpyxl.Workbook) -> None:
    workbook[SALES].row_dimensions[3].hidden = True


def _gap_of_5000_empty_rows(workbook: openpyxl.Workbook) -> None:
    sheet: Worksheet = workbook[SALES]
    for column, value in enumerate(row("10.11.2026", "Борис Петров", "Лютик", 50000), start=1):
        sheet.cell(5003, column, value)
    sheet.cell(4000, 7).number_format = "0"  # a formatted but empty cell inside the gap


def _formulas_in_inputs(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[SALES]
    sheet["D2"] = "=100000+20000"
    sheet["L2"] = "=D2*2"  # an unknown column with a formula


def _cached_results(path: Path) -> Path:
    """Give the formulas of `_formulas_in_inputs` the results Excel would have saved with them
    (openpyxl writes formulas without results)."""
    results = {"D2": "120000", "L2": "240000"}
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for ref, value in results.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v ?/>',
                        rf"\g<1>\g<2><v>{value}</v>",
                        text,
                    )
                data = text.encode("utf-8")
            archive.writestr(info, data)
    return path


def _zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _text_file(path: Path) -> Path:
    path.write_text("Дата;Менеджер;Клиент;Сумма\n05.11.2026;Анна;Ромашка;1000\n", encoding="utf-8")
    return path


def _random_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


def _encrypted(path: Path) -> Path:
    """An OLE compound file that holds the `EncryptionInfo` stream name, as Excel's
    password-protected workbooks do."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100
    path.write_bytes(header + directory + b"\x00" * 1024)
    return path


def _old_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    return path


def _read_only(path: Path) -> Path:
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return path


def _missing(path: Path) -> Path:
    return path.with_name("нет-такого-файла.xlsx")


def _folder(path: Path) -> Path:
    folder = path.with_name("папка.xlsx")
    folder.mkdir()
    return folder


def _truncated(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _libreoffice_lock(path: Path) -> Path:
    """LibreOffice has the workbook open: its lock file lies beside it."""
    (path.parent / f".~lock.{path.name}#").write_text(",Анна,pc,04.12.2026 10:00,file:///;")
    return path


def _excel_lock(path: Path) -> Path:
    (path.parent / f"~${path.name}").write_bytes(b"\x05Anna" + b" " * 100)
    return path


def _hard_link(path: Path) -> Path:
    os.link(path, path.with_name("копия.xlsx"))
    return path


def _symlink(path: Path) -> Path:
    """The workbook lives in another folder; the path given to the bot is a symlink."""
    real = path.parent / "настоящая" / path.name
    real.parent.mkdir()
    path.rename(real)
    path.symlink_to(real)
    return path


BOMB_BYTES = 60 * 2**20  # unpacked; about 60 KB packed (1000:1)


def zip_bomb(path: Path) -> Path:
    """Shared strings that unpack to 60 MB from ~60 KB, the shape of a real zip bomb
    (1.2 MB → 1 GiB), small enough to build in a test."""
    item = "<si><t>я</t></si>".encode()
    body = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body += item * (BOMB_BYTES // len(item)) + b"</sst>"
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(info, data)
        archive.writestr("xl/sharedStrings.xml", body)
    return path


# ---------------------------------------------------------------- the corpus

LONG = "Ромашка " + "я" * 50_000
GOOGLE = frozenset({"google"})  # built on the fake Google spreadsheet, not as a .xlsx file

CASES: list[Case] = [
    # --- the workbook and its tabs
    Case("empty_workbook", {}, 1, 1, (("missing_tab", SALES, None, None),), exact=True),
    Case(
        "only_other_tab",
        {"Заметки": [["просто текст"]]},
        1,
        1,
        (("missing_tab", SALES, None, None),),
        exact=True,
    ),
    Case("header_only", sales(), 0, 0, exact=True),
    Case(
        "sales_tab_completely_empty", {SALES: []}, 1, 1, (("missing_column", SALES, None, "Дата"),)
    ),
    Case(
        "english_headers",
        sales(row(), header=["Date", "Manager", "Client", "Amount"]),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    Case(
        "headers_with_nbsp_spaces_case_yo",
        sales(row(), header=["\u00a0ДАТА ", "  менеджер", "КЛИЕНТ\u00a0", "сумма  "]),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    Case(
        "header_with_yo_and_inner_spaces",
        {
            SALES: [
                ["Дата", "Менеджер", "Клиент", "Сумма", "Оплачёно"],
                row("05.11.2026", "Анна", "Ромашка", 1000, "нет"),
            ]
        },
        0,
        0,
        exact=True,
    ),
    # the first «Сумма» is read, the second is reported: the row still counts
    Case(
        "duplicated_header",
        sales([*row(), 5], header=["Дата", "Менеджер", "Клиент", "Сумма", "Сумма"]),
        1,
        0,
        (("duplicate_column", SALES, None, "Сумма"),),
        exact=True,
        clean_rows=1,
    ),
    Case(
        "missing_required_column",
        sales(["05.11.2026", "Анна", "Ромашка"], header=["Дата", "Менеджер", "Клиент"]),
        1,
        1,
        (("missing_column", SALES, None, "Сумма"),),
    ),
    Case(
        "all_headers_missing_row_one_empty",
        {SALES: [[], row()]},
        1,
        1,
        (("missing_column", SALES, None, "Дата"),),
    ),
    Case(
        "tab_name_with_trailing_space",
        {"Продажи ": [HEADER, row()]},
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    # Excel and openpyxl refuse two titles that differ only in case; a trailing space they take
    Case(
        "two_tabs_differing_in_case_and_a_space",
        {"продажи ": [HEADER, row("05.11.2026", "Борис", "Лютик", 999)], SALES: [HEADER, row()]},
        0,
        0,
        exact=True,
        clean_rows=1,
        revenue=120000,  # the tab named exactly «Продажи» is read
    ),
    Case(
        "two_tabs_like_sales_none_exact",
        {"ПРОДАЖИ": [HEADER, row()], "продажи ": [HEADER, row()]},
        1,
        1,
        (("missing_tab", SALES, None, None),),
        exact=True,
        message="Несколько листов похожи",
    ),
    Case(
        "two_tabs_differing_only_in_case",
        {"ПРОДАЖИ": [HEADER, row("05.11.2026", "Борис", "Лютик", 999)], SALES: [HEADER, row()]},
        0,
        0,
        exact=True,
        clean_rows=1,
        revenue=120000,
        tags=GOOGLE,
    ),
    Case(
        "merged_manager_cells",
        sales(row(), row("06.11.2026", None, "Лютик", 5000)),
        1,
        0,
        (("missing_manager", SALES, 3, "Менеджер"),),
        exact=True,
        clean_rows=1,
        sheet_tweak=_merge_first_rows,
    ),
    Case(
        "hidden_row_still_counted",
        sales(row(), row("06.11.2026", "Борис", "Лютик", 5000)),
        0,
        0,
        exact=True,
        clean_rows=2,
        sheet_tweak=_hide_row_3,
    ),
    Case(
        "thousands_of_empty_rows_between_data",
        sales(row()),
        0,
        0,
        exact=True,
        clean_rows=2,
        sheet_tweak=_gap_of_5000_empty_rows,
    ),
    Case(
        "formulas_in_input_cells",
        sales(row()),
        0,
        0,
        exact=True,
        clean_rows=1,
        sheet_tweak=_formulas_in_inputs,
        tweak=_cached_results,
        tags=frozenset({"formulas"}),
    ),
    Case(
        "formula_without_cached_result",  # saved by a program that does not compute
        sales(row()),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
        sheet_tweak=_formulas_in_inputs,
        tags=frozenset({"formulas"}),
    ),
    Case("empty_rows_only", {SALES: [HEADER, [], [None, None, ""], ["", " "]]}, 0, 0, exact=True),
    # --- dates
    Case(
        "date_31_february",
        sales(row("31.02.2026")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_29_february_2025",
        sales(row("29.02.2025")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_all_zeros",
        sales(row("00.00.0000")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_serial_60_is_the_fake_leap_day",
        sales(row(60)),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_serial_far_future",
        sales(row(100_000)),
        1,
        0,
        (("future_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_serial_31_december_9999",
        sales(row(2_958_465)),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_text_year_9999",
        sales(row("31.12.9999")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_text_year_1",
        sales(row("01.01.0001")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_serial_beyond_year_9999",
        sales(row(9_999_999)),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_serial_negative", sales(row(-5)), 1, 0, (("bad_date", SALES, 2, "Дата"),), exact=True
    ),
    Case(
        "date_before_2000",
        sales(row("31.12.1999")),
        1,
        0,
        (("too_old_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_after_as_of",
        sales(row("23.11.2026")),
        1,
        0,
        (("future_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "date_as_datetime_cell",
        sales(row(datetime(2026, 11, 5, 14, 30))),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    Case(
        "date_as_text_words",
        sales(row("вчера")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case("date_missing", sales(row(None)), 1, 0, (("bad_date", SALES, 2, "Дата"),), exact=True),
    Case(
        "date_nan_float",
        sales(row(float("nan"))),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case("date_true_bool", sales(row(True)), 1, 0, (("bad_date", SALES, 2, "Дата"),), exact=True),
    Case("date_ambiguous_short_year", sales(row("05.11.26")), 0, 0, exact=True, clean_rows=1),
    # --- amounts
    Case(
        "amount_1e308",
        sales(row(amount=1e308)),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_inf_text",
        sales(row(amount="inf")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_nan_text",
        sales(row(amount="NaN")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_nan_float",
        sales(row(amount=float("nan"))),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_minus_zero",
        sales(row(amount=-0.0)),
        1,
        0,
        (("nonpositive_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_minus_zero_text",
        sales(row(amount="-0")),
        1,
        0,
        (("nonpositive_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_dots_as_thousands",
        sales(row(amount="1.000.000")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_commas_as_thousands",
        sales(row(amount="1,000,000.50")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_with_short_rouble", sales(row(amount="100 000 р")), 0, 0, exact=True, clean_rows=1
    ),
    Case(
        "amount_text_with_letters",
        sales(row(amount="сто тысяч")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_digits_and_letters",
        sales(row(amount="12abc")),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_negative",
        sales(row(amount=-1500)),
        1,
        0,
        (("nonpositive_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_bool",
        sales(row(amount=True)),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_missing",
        sales(row(amount=None)),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "amount_half_kopeck",
        sales(row(amount=0.004)),
        1,
        0,
        (("nonpositive_amount", SALES, 2, "Сумма"),),
    ),
    Case(
        "amount_date_cell",
        sales(row(amount=datetime(2026, 1, 1))),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "margin_1e308",
        sales(row("05.11.2026", "Анна", "Ромашка", 1000, 1e308)),
        0,
        0,
        (("bad_margin", SALES, 2, "Маржа"),),
        clean_rows=1,
    ),
    Case(
        "margin_negative_and_over",
        sales(
            row("05.11.2026", "Анна", "Ромашка", 1000, -5),
            row("06.11.2026", "Анна", "Лютик", 1000, 5000),
        ),
        0,
        0,
        (("bad_margin", SALES, 2, "Маржа"), ("margin_exceeds_amount", SALES, 3, "Маржа")),
        exact=True,
        clean_rows=2,
    ),
    # --- names and text
    Case(
        "fifty_thousand_character_client", sales(row(client=LONG)), 0, 0, exact=True, clean_rows=1
    ),
    Case(
        "fifty_thousand_character_date",
        sales(row("1" * 50_000)),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"),),
        exact=True,
    ),
    Case(
        "fifty_thousand_character_amount",
        sales(row(amount="9" * 50_000)),
        1,
        0,
        (("bad_amount", SALES, 2, "Сумма"),),
        exact=True,
    ),
    Case(
        "fifty_thousand_character_header",
        sales(row(), header=[*HEADER[:4], "Ж" * 50_000]),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    Case(
        "emoji_in_names",
        sales(row(manager="Анна 🚀", client="Ромашка 🌼")),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    Case(
        "zero_width_spaces_in_names",
        sales(row(manager="Анна\u200bСмирнова"), row("06.11.2026", "Анна Смирнова", "Лютик", 10)),
        0,
        0,
        exact=True,
        clean_rows=2,
    ),
    Case(
        "rtl_marks_in_names",
        sales(row(manager="\u200fАнна\u202e", client="\u200eРомашка")),
        0,
        0,
        exact=True,
        clean_rows=1,
    ),
    # a .xlsx file cannot hold NUL or control characters (XML 1.0): Google can
    Case(
        "nul_in_names",
        sales(row(manager="Анна\x00Смирнова", client="Рома\x00шка")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=GOOGLE,
    ),
    Case(
        "control_characters_in_names",
        sales(row(client="Ромашка\x07\x1b[31m")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=GOOGLE,
    ),
    Case(
        "manager_called_importxml",
        sales(row(manager='=IMPORTXML("http://evil.example/x", "//a")')),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "client_starting_with_equals",
        sales(row(client="=1+1")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "client_starting_with_plus",
        sales(row(client="+79991234567")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "client_starting_with_minus",
        sales(row(client="-ООО Ромашка")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "client_starting_with_at",
        sales(row(client="@romashka")),
        0,
        0,
        exact=True,
        clean_rows=1,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "formula_looking_values_in_errors",
        sales(row('=HYPERLINK("http://evil")', "=cmd|' /C calc'!A0", "+SUM(A1)", "@x")),
        1,
        0,
        (("bad_date", SALES, 2, "Дата"), ("bad_amount", SALES, 2, "Сумма")),
        exact=True,
        tags=frozenset({"formula_text"}),
    ),
    Case(
        "manager_only_spaces",
        sales(row(manager="   \u00a0")),
        1,
        0,
        (("missing_manager", SALES, 2, "Менеджер"),),
        exact=True,
    ),
    Case(
        "client_only_quotes",
        sales(row(client="«»")),
        1,
        0,
        (("missing_client", SALES, 2, "Клиент"),),
    ),
    Case("manager_is_a_number", sales(row(manager=12345)), 0, 0, exact=True, clean_rows=1),
    Case(
        "bad_choice_values",
        sales(row("05.11.2026", "Анна", "Ромашка", 1000, None, "=A1", "старый", "может быть")),
        0,
        0,
        (
            ("bad_value", SALES, 2, "Канал"),
            ("bad_value", SALES, 2, "Тип"),
            ("bad_value", SALES, 2, "Оплачено"),
        ),
        exact=True,
        clean_rows=1,
    ),
    Case(
        "duplicate_ids",
        sales(
            row("05.11.2026", "Анна", "Ромашка", 1000, None, None, None, None, "A-1"),
            row("06.11.2026", "Анна", "Лютик", 2000, None, None, None, None, "a-1"),
        ),
        1,
        0,
        (("duplicate_id", SALES, 3, "ID"),),
        exact=True,
        clean_rows=1,
    ),
    # --- optional tabs with garbage
    Case(
        "roster_with_bad_scheme",
        {
            **sales(row()),
            "Мотивация": [
                ["Менеджер", "Схема", "Параметры"],
                ["Анна Смирнова", "=IMPORTXML(1)", "1e308"],
            ],
        },
        1,
        0,
        (("bad_setting", "Мотивация", 2, "Схема"),),
        clean_rows=1,
    ),
    # --- settings far beyond any agency (issue 15): a row error, the rest still computed
    Case(
        "roster_fixed_amount_of_28_digits",
        {
            **sales(row()),
            "Мотивация": [
                ["Менеджер", "Схема", "Параметры"],
                ["Анна Смирнова", "фикс", "1000000000000000000000000000"],
            ],
        },
        1,
        0,
        (("bad_setting", "Мотивация", 2, "Параметры"),),
        exact=True,
        message="больше 10¹² ₽",
        clean_rows=1,
    ),
    Case(
        "roster_tier_bonus_over_a_trillion",
        {
            **sales(row()),
            "Мотивация": [
                ["Менеджер", "Схема", "Параметры"],
                ["Анна Смирнова", "уровни", "1e300=1e300"],
                ["Борис Петров", "уровни", "100000=5000000000000"],
            ],
        },
        1,
        0,
        (
            ("bad_setting", "Мотивация", 2, "Параметры"),
            ("bad_setting", "Мотивация", 3, "Параметры"),
        ),
        exact=True,
        clean_rows=1,
    ),
    Case(
        "roster_second_month_of_20_digits",
        {
            **sales(row()),
            "Мотивация": [
                ["Менеджер", "Схема", "Параметры"],
                ["Анна Смирнова", "два шага", "15%; 15%; 99999999999999999999"],
            ],
        },
        1,
        0,
        (("bad_setting", "Мотивация", 2, "Параметры"),),
        exact=True,
        message="не больше 120",
        clean_rows=1,
    ),
    Case(
        "plan_of_25_digits",
        {
            **sales(row()),
            "План": [
                ["Месяц", "Менеджер", "План выручки"],
                ["2026-11", "Анна Смирнова", 10**25],
            ],
        },
        1,
        0,
        (("bad_setting", "План", 2, "План выручки"),),
        exact=True,
        clean_rows=1,
    ),
    Case(
        "plan_with_garbage_month",
        {
            **sales(row()),
            "План": [
                ["Месяц", "Менеджер", "План выручки"],
                ["тринадцатый 2026", "Анна Смирнова", "1e308"],
            ],
        },
        1,
        0,
        (("bad_setting", "План", 2, "Месяц"),),
        clean_rows=1,
    ),
    Case(
        "deals_with_garbage",
        {
            **sales(row()),
            "Сделки": [
                ["Дата заявки", "Менеджер", "Клиент", "Касаний"],
                ["31.02.2026", "Анна", "Ромашка", -3],
            ],
        },
        1,
        0,
        (("bad_date", "Сделки", 2, "Дата заявки"),),
        clean_rows=1,
    ),
    Case(
        "activity_with_garbage",
        {
            **sales(row()),
            "Активность": [["Дата", "Менеджер", "Звонки"], ["05.11.2026", "Анна", -3]],
        },
        1,
        0,
        (("bad_count", "Активность", 2, "Звонки"),),
        clean_rows=1,
    ),
    # --- a tab of the user's named like a generated one (issue 15): refused, nothing written
    Case(
        "user_tab_named_like_the_summary_in_capitals",
        {**sales(row()), "СВОДКА": [["моя сводка"]]},
        2,
        message="В таблице есть лист «СВОДКА», а бот пишет свой лист «Сводка»",
    ),
    Case(
        "user_tab_named_like_the_bonuses_with_a_trailing_space",
        {**sales(row()), "Бонусы ": [["мои бонусы"]]},
        2,
        message="[tabs] bonuses",
    ),
    # --- files that are not workbooks
    Case("zero_byte_file", None, 3, message="0 байт", tweak=_zero_bytes),
    Case("text_file_with_xlsx_name", None, 3, message="не похож на книгу Excel", tweak=_text_file),
    Case(
        "zip_that_is_not_a_workbook", None, 3, message="не похож на книгу Excel", tweak=_random_zip
    ),
    Case(
        "truncated_workbook", sales(row()), 3, message="не похож на книгу Excel", tweak=_truncated
    ),
    Case("password_protected_workbook", None, 3, message="защищена паролем", tweak=_encrypted),
    Case("old_xls_with_xlsx_name", None, 3, message="старом формате", tweak=_old_xls),
    Case("missing_path", None, 3, message="не найдена", tweak=_missing),
    Case("folder_instead_of_file", None, 3, message="это папка", tweak=_folder),
    # a read-only workbook can be checked; `run` cannot save it and says so
    Case(
        "read_only_file",
        sales(row()),
        0,
        3,
        exact=True,
        message="только для чтения",
        tweak=_read_only,
        tags=frozenset({"read_only"}),
    ),
    # --- issue 15: the workbook is open elsewhere, linked, or a zip bomb
    Case(
        "open_in_libreoffice",
        sales(row()),
        0,
        3,
        message="книга открыта в Excel/LibreOffice — закройте её, и бот обновит листы",
        tweak=_libreoffice_lock,
    ),
    Case(
        "open_in_excel",
        sales(row()),
        0,
        3,
        message="книга открыта в Excel/LibreOffice — закройте её, и бот обновит листы",
        tweak=_excel_lock,
    ),
    Case("hard_linked_workbook", sales(row()), 0, 3, message="жёстких ссылки", tweak=_hard_link),
    Case("symlinked_workbook", sales(row()), 0, 0, exact=True, clean_rows=1, tweak=_symlink),
    Case(
        "zip_bomb_in_shared_strings",
        sales(row()),
        3,
        message="книга повреждена или слишком велика",
        tweak=zip_bomb,
    ),
]

assert date.fromisoformat(AS_OF)  # the corpus is written against this as_of
