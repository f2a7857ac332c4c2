"""The roster (`Мотивация`, SPEC §2.5, §15) as the rest of the core asks it: who a manager is
called, which scheme (and trial scheme) is in force for them in a month, their salary in a month,
whether they are active and until when they work.

Each of these is decided here and nowhere else. A manager may have several rows, the versions of
SPEC §15, each from its `Действует с` month (empty = from the beginning): the version in force in
a month is the latest one that starts on or before it, and months before the first version use
the first. Display name, `Активен` and `Работает до` are the latest version's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from sheets_kpi.core.inputs.frames import active_in_roster
from sheets_kpi.core.inputs.schema import LIST_LABELS, Language
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.settings import BonusConfig, Scheme
from sheets_kpi.core.textfmt import pick

# How an explanation names the version in force when a manager has several (SPEC §15).
_VERSION_FROM = ("схема с {month} «{scheme}»", "scheme from {month} «{scheme}»")
_VERSION_BEFORE = ("схема до {month} «{scheme}»", "scheme before {month} «{scheme}»")


@dataclass(frozen=True)
class Version:
    """One `Мотивация` row of a manager: in force from `since` (None: from the beginning)."""

    since: str | None
    scheme: Scheme | None  # None: an unusable cell, earns nothing
    salary_kop: int | None = None
    trial: Scheme | None = None


@dataclass(frozen=True)
class Roster:
    """The managers of `Мотивация`, by manager key, in row order. Empty = the tab has no rows:
    then every manager is on `default`, the config's scheme."""

    default: Scheme | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    # each manager's versions, oldest first (the one without `Действует с` first of all)
    versions: Mapping[str, tuple[Version, ...]] = field(default_factory=dict)
    inactive: frozenset[str] = frozenset()  # the latest version says `Активен = нет`
    until: Mapping[str, date] = field(default_factory=dict)  # the latest version's `Работает до`

    @classmethod
    def of(cls, inputs: Inputs, bonus: BonusConfig) -> Roster:
        """The run's roster: `Inputs.roster`, the config's scheme for everyone when it is empty."""
        return cls.from_frame(inputs.roster, bonus.scheme())

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None, default: Scheme | None = None) -> Roster:
        """The roster of an `Inputs.roster` frame. Validation leaves one row per manager and
        `Действует с`; should two reach here, the upper one wins."""
        if frame is None or frame.empty:
            return cls(default=default)
        rows: dict[str, dict[str | None, tuple[Version, bool, object, str]]] = {}
        actives = active_in_roster(frame).tolist()
        for position, key in enumerate(frame["manager_key"].tolist()):
            since = _cell(frame, "effective", position)
            if since in rows.get(key, {}):
                continue
            salary = _cell(frame, "salary_kop", position)
            version = Version(
                since=None if since is None else str(since),
                scheme=_scheme(_cell(frame, "scheme", position)),
                salary_kop=None if salary is None else int(salary),
                trial=_scheme(_cell(frame, "trial", position)),
            )
            active = bool(actives[position])
            name = frame["manager"].iat[position]
            rows.setdefault(key, {})[since] = (
                version,
                active,
                _cell(frame, "until", position),
                name,
            )
        names: dict[str, str] = {}
        versions: dict[str, tuple[Version, ...]] = {}
        inactive: set[str] = set()
        until: dict[str, date] = {}
        for key, by_since in rows.items():
            ordered = [by_since[since] for since in sorted(by_since, key=lambda s: s or "")]
            versions[key] = tuple(version for version, _, _, _ in ordered)
            _, active, last_day, name = ordered[-1]
            names[key] = name
            if not active:
                inactive.add(key)
            if last_day is not None:
                until[key] = pd.Timestamp(last_day).date()
        return cls(default, names, versions, frozenset(inactive), until)

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[str]:
        """The managers' keys, in row order."""
        return iter(self.names)

    def __contains__(self, manager_key: object) -> bool:
        return manager_key in self.names

    def display_name(self, manager_key: str, seen: str) -> str:
        """A manager's display name: the roster's when the roster has them, else `seen`, the
        name as the input tabs show it (validation already made it the first spelling seen)."""
        return self.names.get(manager_key, seen)

    def version_for(self, manager_key: str, month: str) -> Version | None:
        """The version in force for a manager in a month (`YYYY-MM`): the latest that starts on
        or before it, else the first; None for a manager the roster does not list."""
        found = self.versions.get(manager_key)
        if not found:
            return None
        in_force = found[0]
        for version in found[1:]:
            if version.since is not None and version.since <= month:
                in_force = version
        return in_force

    def scheme_for(self, manager_key: str, month: str) -> Scheme | None:
        """The scheme in force for a manager in a month (`YYYY-MM`); None earns nothing.

        Without roster rows every manager is on the config's scheme; with them, the scheme of
        the manager's version in force (None when its cell is unusable)."""
        if not self.names:
            return self.default
        version = self.version_for(manager_key, month)
        return None if version is None else version.scheme

    def salary_for(self, manager_key: str, month: str) -> int | None:
        """The salary in kopecks of the version in force in `month`; None when not known."""
        version = self.version_for(manager_key, month)
        return None if version is None else version.salary_kop

    def version_label(self, manager_key: str, month: str, language: Language) -> str:
        """How explanations name the version in force in `month`, «схема с 2026-09 «два
        шага»»; "" for a manager with one version (explanations stay as they were)."""
        found = self.versions.get(manager_key, ())
        version = self.version_for(manager_key, month)
        if len(found) < 2 or version is None or version.scheme is None:
            return ""
        scheme = pick(LIST_LABELS["scheme"][version.scheme.name], language)
        if version is found[0]:
            return pick(_VERSION_BEFORE, language).format(month=found[1].since, scheme=scheme)
        return pick(_VERSION_FROM, language).format(month=version.since, scheme=scheme)

    @property
    def salaries_kop(self) -> dict[str, int]:
        """Each manager's salary in kopecks in the latest version, where known."""
        return {
            key: found[-1].salary_kop
            for key, found in self.versions.items()
            if found[-1].salary_kop is not None
        }

    def salaries_in(self, manager_keys: pd.Series, months: pd.Series) -> pd.Series:
        """The salary in roubles of each (manager, month) pair, by the version in force in
        that month (SPEC §15); NaN where not known."""
        pairs = pd.MultiIndex.from_arrays([manager_keys.to_numpy(), months.to_numpy()])
        codes, uniques = pd.factorize(pairs)
        salaries = [self.salary_for(str(key), str(month)) for key, month in uniques.tolist()]
        roubles = [float("nan") if kop is None else kop / 100 for kop in salaries]
        values = [roubles[code] for code in codes.tolist()] if len(codes) else []
        return pd.Series(values, index=manager_keys.index, dtype=float)

    @property
    def trial_managers(self) -> frozenset[str]:
        """The managers with a trial scheme in any version (SPEC §15)."""
        return frozenset(
            key
            for key, found in self.versions.items()
            if any(version.trial is not None for version in found)
        )

    def on_trial(self) -> Roster:
        """This roster with each version's trial scheme in force in place of its scheme (a
        version without one keeps its scheme): what the trial computation runs on."""
        versions = {
            key: tuple(
                version if version.trial is None else replace(version, scheme=version.trial)
                for version in found
            )
            for key, found in self.versions.items()
        }
        return replace(self, versions=versions)

    def is_active(self, manager_key: str) -> bool:
        """False for a manager marked `Активен = нет`."""
        return manager_key not in self.inactive


def _cell(frame: pd.DataFrame, column: str, position: int) -> object:
    """A roster cell, None when the column is absent or the cell empty."""
    if column not in frame.columns:
        return None
    value = frame[column].iat[position]
    if value is None or (not isinstance(value, Scheme) and pd.isna(value)):
        return None
    return value


def _scheme(value: object) -> Scheme | None:
    return value if isinstance(value, Scheme) else None
