"""How the names of an upload are spelled when stored, and the new ones that look like others.

Names match whatever their case and surrounding spaces (``names.name_key``); the first spelling
stored or seen is kept, so re-importing "sales" updates team "Sales" instead of adding another.
A new name that looks like a stored or earlier one but is another string (``Sаles`` with a Cyrillic
``а`` beside ``Sales``), or a Latin name with a letter of another script, is recorded as a
look-alike: the import refuses it, naming both (issue 22, finding 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from okrdash.names import foreign_letters, name_key, normalise_name, skeleton
from okrdash.problems import Localised
from okrdash.store import Store

# The columns of a file that name each kind of name.
_COLUMNS = {"team": ("team",), "objective": ("objective", "parent_objective"), "key_result": ("key_result",),
            "kpi": ("kpi",), "owner": ("owner", "objective_owner")}


@dataclass(frozen=True)
class Lookalike:
    what: str  # "team", "objective", "key_result", "kpi", "owner"
    name: str
    existing: str | None  # the name it looks like (None: it borrows a letter from another script)

    @property
    def columns(self) -> tuple[str, ...]:
        return _COLUMNS[self.what]

    def problem(self) -> tuple[Any, ...]:
        """The code and parameters of the problem it is, for ``Validator._problem``."""
        letters = foreign_letters(self.name) or "–"
        if self.existing is None:
            return "foreign_letters_name", {"name": self.name, "letters": letters}
        return "lookalike_name", {"name": self.name, "existing": self.existing, "letters": letters,
                                  "what": Localised(self.what.replace("_", " "), _WHAT_ID[self.what])}


_WHAT_ID = {"team": "tim", "objective": "tujuan", "key_result": "hasil kunci", "kpi": "KPI", "owner": "pemilik"}


class Spellings:
    """The first spelling of each name, seeded with the store's; look-alikes of the upload's new names."""

    def __init__(self, store: Store):
        self._store = store
        self._names: dict[tuple[str | None, ...], str] = {}
        self._shapes: dict[tuple[str | None, ...], tuple[str | None, ...]] = {}  # skeleton key -> name key
        self._seeding = True
        self._titles_loaded = False
        self._owners: set[str] = set()  # the owner texts spelled already
        self.lookalikes: list[Lookalike] = []
        for team in store.teams():
            self.team(team)
        for row in store.kpi_index():
            self.kpi(row["team"], row["kpi"])
        for owner in store.owners():
            self.owner(owner)
        self._seeding = False

    def _load_titles(self) -> None:
        """Stored objective and key result titles, read on first use: only OKR files need them."""
        if self._titles_loaded:
            return
        self._titles_loaded, seeding, self._seeding = True, self._seeding, True
        index = self._store.key_result_index()
        objective_of = None  # the index lists an objective's key results together: spell it once
        for cycle, team, objective, key_result in zip(index["cycle"], index["team"], index["objective"],
                                                      index["key_result"]):
            if objective_of != (cycle, team, objective):
                objective_of = (cycle, team, objective)
                self.objective(cycle, team, objective)
            self.key_result(cycle, team, objective, key_result)
        self._seeding = seeding

    def _spell(self, key: tuple[str | None, ...], text: str) -> str:
        """The first spelling stored or seen under ``key`` (the name keys, as SQL's okr_name_key sees them)."""
        spelled = self._names.get(key)
        if spelled is None:
            spelled = self._names[key] = normalise_name(text)
            shape = (*key[:-1], skeleton(text))
            first = self._shapes.setdefault(shape, key)
            if not self._seeding and first != key:
                self.lookalikes.append(Lookalike(str(key[0]), spelled, self._names[first]))
            elif not self._seeding and foreign_letters(text):
                self.lookalikes.append(Lookalike(str(key[0]), spelled, None))
        return spelled

    def team(self, team: str) -> str:
        return self._spell(("team", name_key(team)), team)

    def objective(self, cycle: str, team: str, title: str) -> str:
        self._load_titles()
        return self._spell(("objective", name_key(cycle), name_key(team), name_key(title)), title)

    def key_result(self, cycle: str, team: str, objective: str, title: str) -> str:
        self._load_titles()
        return self._spell(("key_result", name_key(cycle), name_key(team), name_key(objective), name_key(title)), title)

    def kpi(self, team: str, name: str) -> str:
        return self._spell(("kpi", name_key(team), name_key(name)), name)

    def known_kpi(self, team: str, name: str) -> bool:
        return ("kpi", name_key(team), name_key(name)) in self._names

    def owner(self, owner: str | None) -> None:
        """An owner is stored as written; only a look-alike of another owner is recorded."""
        if owner and owner not in self._owners:  # (a file names a few hundred owners on 30,000 rows)
            self._owners.add(owner)
            self._spell(("owner", name_key(owner)), owner)
