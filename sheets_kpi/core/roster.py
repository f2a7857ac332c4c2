"""The roster (`Мотивация`, SPEC §2.5) as the rest of the core asks it: who a manager is called,
which scheme is in force for them in a month, their salary and whether they are active.

Each of these is decided here and nowhere else. Today a manager has one roster row (validation
rejects a second one); SPEC §15 adds versions by `Действует с`, which changes only this module:
callers already ask by (manager, month).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from sheets_kpi.core.inputs.frames import active_in_roster
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.settings import BonusConfig, Scheme


@dataclass(frozen=True)
class Roster:
    """The managers of `Мотивация`, by manager key, in row order. Empty = the tab has no rows:
    then every manager is on `default`, the config's scheme."""

    default: Scheme | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    schemes: Mapping[str, Scheme | None] = field(default_factory=dict)  # None: unusable cell
    salaries_kop: Mapping[str, int] = field(default_factory=dict)  # known salaries only
    inactive: frozenset[str] = frozenset()  # marked `Активен = нет`

    @classmethod
    def of(cls, inputs: Inputs, bonus: BonusConfig) -> Roster:
        """The run's roster: `Inputs.roster`, the config's scheme for everyone when it is empty."""
        return cls.from_frame(inputs.roster, bonus.scheme())

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None, default: Scheme | None = None) -> Roster:
        """The roster of an `Inputs.roster` frame; the first row of a manager wins (a second
        one never reaches the frame: validation flags it)."""
        if frame is None or frame.empty:
            return cls(default=default)
        names: dict[str, str] = {}
        schemes: dict[str, Scheme | None] = {}
        salaries: dict[str, int] = {}
        inactive: set[str] = set()
        salary = frame["salary_kop"] if "salary_kop" in frame.columns else None
        for position, (key, name, scheme, active) in enumerate(
            zip(
                frame["manager_key"].tolist(),
                frame["manager"].tolist(),
                frame["scheme"].tolist(),
                active_in_roster(frame).tolist(),
                strict=True,
            )
        ):
            if key in names:
                continue
            names[key] = name
            schemes[key] = scheme if isinstance(scheme, Scheme) else None
            if salary is not None and not pd.isna(salary.iat[position]):
                salaries[key] = int(salary.iat[position])
            if not active:
                inactive.add(key)
        return cls(default, names, schemes, salaries, frozenset(inactive))

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

    def scheme_for(self, manager_key: str, month: str) -> Scheme | None:
        """The scheme in force for a manager in a month (`YYYY-MM`); None earns nothing.

        Without roster rows every manager is on the config's scheme; with them, a manager's
        row's scheme (None when its cell is unusable). `month` is where §15's versions go."""
        del month  # one version per manager until SPEC §15
        if not self.names:
            return self.default
        return self.schemes.get(manager_key)

    def is_active(self, manager_key: str) -> bool:
        """False for a manager marked `Активен = нет`."""
        return manager_key not in self.inactive
