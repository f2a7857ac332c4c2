"""Key material never leaves the process: the one place that decides what looks like a key
and scrubs it from any text the bot shows or stores (log lines, the worker's state file,
`sheets-kpi status`, error messages, --verbose tracebacks).

Three nets: patterns (a PEM block, even cut short; the `private_key`/`private_key_id` fields of a
service-account JSON), the fragments of every key this process has read (`remember_key`),
so a 40-character slice of a key's body is caught even without its BEGIN line, and the shape
of key material of a key never read here (a lone PEM body line, a 40-hex private_key_id; about
1 line in 200 of random base64 happens to hold a word and slips through this last net).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sheets_kpi.errors import CredentialsError
from sheets_kpi.messages import pair

HIDDEN = "[ключ скрыт]"
# A path longer than this is not a path a person typed (Windows' MAX_PATH is 260).
MAX_PATH_CHARS = 260
# base64 runs at least this long that occur in a remembered key are hidden: any 40-character
# slice of a PEM body keeps a run of 19+ characters on one side of a line break.
_MIN_FRAGMENT = 16

_PEM = re.compile(
    r"-{2,}\s*BEGIN[^-\n]*-{0,5}.*?(?:-{2,}\s*END[^-]*-{2,}|\Z)", re.DOTALL | re.IGNORECASE
)
_KEY_FIELD = re.compile(
    r"""(["']?private_key(?:_id)?["']?\s*[:=]\s*)(["'])(?:\\.|(?!\2).)*(\2|\Z)"""
)
_BASE64_RUN = re.compile(rf"[A-Za-z0-9+/=]{{{_MIN_FRAGMENT},}}")
# Key material of a key never read here: a private_key_id (40 hex digits) and a line of a PEM
# body (64 base64 characters) standing alone. A base64 run of 40+ characters is taken for a
# key when it mixes upper case, lower case and digits like random data and, cut at its `/` and
# `+`, has no piece that reads as a word of 5+ letters (`spreadsheets`, `Documents`): paths and URLs
# keep their words. A run without `/` or `+` must be longer than a spreadsheet ID (44) is.
_KEY_ID = re.compile(r"(?<![A-Za-z0-9])[0-9a-f]{40}(?![A-Za-z0-9])")
_LONE_RUN = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])")
_WORD = re.compile(r"[A-Za-z][a-z]{4,}")
_SEPARATOR = re.compile(r"[+/]")
_MIN_UNSPLIT = 50
_known: set[str] = set()


def remember_key(info: Mapping[str, object]) -> None:
    """Remember the secret parts of a service-account key just read, to hide them anywhere."""
    key_id = info.get("private_key_id")
    if isinstance(key_id, str) and len(key_id) >= 8:
        _known.add(key_id)
    pem = info.get("private_key")
    if isinstance(pem, str):
        body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
        if body:
            _known.add(body.replace("\\n", ""))


def looks_like_key_material(value: str) -> bool:
    """True when a value meant to be a key *path* is plainly not one: it holds a line break, a
    `{`, `BEGIN` or is longer than any real path (then it is never shown)."""
    return "\n" in value or "{" in value or "BEGIN" in value or len(value) > MAX_PATH_CHARS


def redact(text: str) -> str:
    """`text` with every piece of key material replaced by «[ключ скрыт]»."""
    if not text:
        return text
    text = _PEM.sub(HIDDEN, text)
    text = _KEY_FIELD.sub(lambda match: f"{match.group(1)}{HIDDEN}", text)
    if _known:
        text = _BASE64_RUN.sub(_hide_known, text)
    text = _KEY_ID.sub(HIDDEN, text)
    return _LONE_RUN.sub(_hide_random, text)


def _hide_random(match: re.Match[str]) -> str:
    run = match.group(0)
    body = run.rstrip("=")
    mixed = (
        sum(char.isupper() for char in body) >= 4
        and sum(char.islower() for char in body) >= 4
        and sum(char.isdigit() for char in body) >= 2
    )
    pieces = [piece for piece in _SEPARATOR.split(body) if piece]
    if len(pieces) == 1 and not _SEPARATOR.search(body) and len(body) < _MIN_UNSPLIT:
        return run  # a spreadsheet ID and the like
    wordy = any(_WORD.fullmatch(piece) for piece in pieces)
    return HIDDEN if mixed and not wordy else run


def _hide_known(match: re.Match[str]) -> str:
    run = match.group(0)
    # after a JSON-escaped line break (`\\n`) the run starts with that `n`
    pieces = (run, run[1:]) if run.startswith("n") else (run,)
    return HIDDEN if any(piece in secret for piece in pieces for secret in _known) else run


def key_path(value: str, where: str) -> str:
    """`value` when it can be a path to a key file; else a CredentialsError that says what the
    value looks like and how to fix it, without showing it. `where` names the source."""
    if not looks_like_key_material(value):
        return value
    raise CredentialsError(*pair("key_material", where=where))
