"""Names (managers, clients, IDs, loss reasons): display form and identity key of each cell,
once per distinct value, in a few C-speed passes over all of them joined."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import schema
from sheets_kpi.core.inputs.columns import Distinct, distinct
from sheets_kpi.core.inputs.parse import is_blank, name_text, odd_spaces


@dataclass(frozen=True)
class NameColumn:
    """Names of a column: identity key (None where blank) aligned to raw, and per distinct
    value (in order of first appearance) the display form and key."""

    key: pd.Series
    blank: pd.Series
    unique_display: np.ndarray  # len(uniques) + 1, None where blank
    unique_keys: np.ndarray
    take: np.ndarray

    @property
    def display(self) -> pd.Series:
        """Display form per row (None where blank)."""
        return pd.Series(
            self.unique_display[self.take], index=self.key.index, dtype=object, copy=False
        )


_SEPARATOR = "\x00"
_MANY_SPACES = re.compile(" {2,}")
_SPACE_AT_SEPARATOR = re.compile(f" ?{_SEPARATOR} ?")


def _trim_items(joined: str) -> str:
    """Strip the spaces around every item of a joined text (spaces are already collapsed)."""
    if f" {_SEPARATOR}" in joined or f"{_SEPARATOR} " in joined:
        joined = _SPACE_AT_SEPARATOR.sub(_SEPARATOR, joined)
    return joined.strip(" ")


# ASCII characters the name passes would change, besides single spaces: other spaces, quotes.
_ASCII_CHANGED = tuple(
    char
    for char in map(chr, range(128))
    if char != " " and (schema._SPACES.fullmatch(char) or char in schema._QUOTES)
)


def _plain_ascii(joined: str) -> bool:
    """True when the space and quote passes would leave `joined` as it is (plain ASCII such as
    IDs and invoice numbers): a few quick scans instead of three regular-expression passes."""
    return (
        joined.isascii()
        and "  " not in joined
        and not any(char in joined for char in _ASCII_CHANGED)
    )


def _joined_forms(joined: str) -> tuple[str, str]:
    """Of texts joined by `_SEPARATOR` (which none holds): the joined `schema.display` forms,
    and the joined `schema.norm` forms before casefolding (quotes gone). Each pass runs only
    when a quick search finds something for it to change; a text unchanged comes back as the
    same object."""
    if _plain_ascii(joined):
        joined = _trim_items(joined)
        return joined, joined
    if odd_spaces(joined):
        joined = schema._SPACES.sub(" ", joined)
    joined = keyed = _trim_items(joined)
    if any(char in joined for char in schema._QUOTES):
        keyed = _trim_items(_MANY_SPACES.sub(" ", schema._QUOTE_RUN.sub(" ", joined)))
    return joined, keyed


def _names_of_text(texts: list[str]) -> tuple[list[str], list[str]]:
    """`schema.display` and `schema.norm` of many texts at once: the texts are joined into one
    string, transformed by a few C-speed passes, and split again (`\x00` must not occur)."""
    original = _SEPARATOR.join(texts)
    joined, keyed = _joined_forms(original)
    keyed = keyed.casefold().replace("ё", "е")
    # The display forms are the texts themselves when no pass changed anything (`str.strip`
    # hands back the same object then): no need to split them out again.
    shown = list(texts) if joined is original else joined.split(_SEPARATOR)
    return shown, keyed.split(_SEPARATOR)


def norm_many(texts: list[str]) -> list[str]:
    """`schema.norm` of each text, in a few C-speed passes over all of them at once."""
    if texts:
        _, keys = _names_of_text(texts)
        if len(keys) == len(texts):  # no text held the separator
            return keys
    return [schema.norm(text) for text in texts]


def _names(uniques: list[object]) -> tuple[list[str | None], list[str | None]]:
    """Display forms and keys of distinct names; the same results as `schema.display` / `norm`
    (a cell of quotes only counts as empty), quick for text: a million IDs must stay fast."""
    if uniques and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        shown_all, keys_all = _names_of_text(uniques)  # type: ignore[arg-type]
        if len(keys_all) == len(uniques):  # no text held the separator
            return (
                [text if key else None for text, key in zip(shown_all, keys_all, strict=True)],
                [key or None for key in keys_all],
            )
    text_positions = [
        position
        for position, value in enumerate(uniques)
        if type(value) is str and _SEPARATOR not in value
    ]
    texts = [uniques[position] for position in text_positions]
    shown: list[str | None] = [None] * len(uniques)
    keys: list[str | None] = [None] * len(uniques)
    if texts:
        text_shown, text_keys = _names_of_text(texts)  # type: ignore[arg-type]
        for position, text, key in zip(text_positions, text_shown, text_keys, strict=True):
            if key:
                shown[position] = text
                keys[position] = key
    if len(texts) < len(uniques):
        done = set(text_positions)
        for position, value in enumerate(uniques):
            if position in done or is_blank(value):
                continue
            text = schema.display(name_text(value))
            key = schema.norm(text)
            if key:
                shown[position] = text
                keys[position] = key
    return shown, keys


def _text_names(
    uniques: list[object], all_text: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """`_names` of distinct texts as arrays (display, key, missing; one more entry at the end
    for empty cells), without a Python step per name: a million IDs stay quick. None when
    some value is not text or holds the separator; `all_text`: the caller knows every value
    is a str."""
    if not uniques or not (all_text or pd.api.types.infer_dtype(uniques, skipna=False) == "string"):
        return None
    shown_all, keys_all = _names_of_text(uniques)  # type: ignore[arg-type]
    if len(keys_all) != len(uniques):
        return None
    count = len(uniques)
    shown = np.empty(count + 1, dtype=object)
    shown[:count] = shown_all
    keys = np.empty(count + 1, dtype=object)
    keys[:count] = keys_all
    missing = np.zeros(count + 1, dtype=bool)
    missing[count] = True
    if "" in keys_all:  # spaces or quotes only: as good as an empty cell
        missing[:count] = keys[:count] == ""
        shown[missing] = None
        keys[missing] = None
    return shown, keys, missing


def missing_names(values: np.ndarray) -> np.ndarray:
    """Which cells of a name column are empty as `name_column` sees them (spaces or quotes
    only count as empty), cell by cell and without keying the names: for a column that nothing
    groups by, such as the deals' clients, where hashing and keying 100k nearly all different
    names would cost several times more."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # the usual case
        missing = np.zeros(len(values), dtype=bool)
        is_text = slice(None)
    else:
        missing = np.asarray(pd.isna(values), dtype=bool)  # a number or date is never empty
        is_text = np.fromiter((type(cell) is str for cell in values), bool, count=len(values))
    texts = values[is_text].tolist()
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1:  # no text holds the separator
        _, keyed = _joined_forms(joined)
        # An item left empty shows as two separators in a row, or one at either end.
        if not (
            f"{_SEPARATOR}{_SEPARATOR}" in keyed
            or keyed[:1] in ("", _SEPARATOR)
            or keyed[-1:] == _SEPARATOR
        ):
            return missing
        empty = [not item for item in keyed.split(_SEPARATOR)]
    else:  # one name at a time
        empty = [not schema.norm(text) for text in texts]
    missing[is_text] = empty
    return missing


def name_column(raw: pd.Series | Distinct) -> NameColumn:
    """Display form (`schema.display`) and key (`schema.norm`) of each name, once per distinct."""
    column = distinct(raw)
    texts = _text_names(column.uniques, column.all_text)
    if texts is not None:
        shown, keys, missing = texts
    else:
        shown_list, key_list = _names(column.uniques)
        shown = np.array([*shown_list, None], dtype=object)
        keys = np.array([*key_list, None], dtype=object)
        missing = np.array([key is None for key in key_list] + [True], dtype=bool)
    take = column.take
    return NameColumn(
        key=pd.Series(keys[take], index=column.index, dtype=object, copy=False),
        blank=pd.Series(missing[take], index=column.index, dtype=bool, copy=False),
        unique_display=shown,
        unique_keys=keys,
        take=take,
    )
