"""The rules of rules.sql asked about planned values, for code that makes data to a plan.

The demo company and the bench generator choose each key result's values so that it lands in a
wanted status. They ask the rules (the macros of rules.sql in a small in-memory DuckDB over empty
tables, with the thresholds of the settings given) what progress is expected by a cycle's end and
where each status begins, instead of restating the thresholds; a progress's status is then read
from those floors (:meth:`StatusFloors.status`), all of a plan's floors asked at once.
Statements: rules_asked.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import duckdb

from okrdash import sqlfiles
from okrdash.settings import Settings, settings
from okrdash.store.schema import install_rules, migrate

RULES_ASKED_SQL = Path(__file__).with_name("rules_asked.sql")


class StatusFloors(NamedTuple):
    """The least progress that is On Track, and At Risk, at one expected progress: okr_kr_status's
    thresholds read the other way (okr_kr_status_floors; tests hold the two together)."""

    on_track: float
    at_risk: float

    def status(self, progress: float) -> str:
        """The status the rules give ``progress`` at this expected progress (Complete from 1.0)."""
        if progress >= 1:
            return "Complete"
        if progress >= self.on_track:
            return "On Track"
        return "At Risk" if progress >= self.at_risk else "Off Track"


class Rules:
    """The rules with ``config``'s thresholds (the process's settings by default), asked on a cursor
    of a store opened with that config (its macros hold them already), or else on a DuckDB of their own."""

    def __init__(self, config: Settings | None = None, cursor: duckdb.DuckDBPyConnection | None = None) -> None:
        self.config = config or settings()
        self._owned = cursor is None
        if cursor is None:
            cursor = duckdb.connect(":memory:")
            migrate(cursor)  # the table macros of rules.sql are bound to the tables
            install_rules(cursor, self.config)
        self._con = cursor
        self._end_points: dict[str, float] = {}

    def close(self) -> None:
        if self._owned:
            self._con.close()

    def __enter__(self) -> Rules:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _ask(self, name: str, **params: object) -> list[tuple]:
        sql = sqlfiles.named_queries(RULES_ASKED_SQL)[name]
        return self._con.execute(sql, sqlfiles.parameters(sql, params)).fetchall()

    def end_point(self, objective_type: str) -> float:
        """The progress expected of an objective of ``objective_type`` by the end of its cycle."""
        if objective_type not in self._end_points:
            self._end_points[objective_type] = float(self._ask("end_point", objective_type=objective_type)[0][0])
        return self._end_points[objective_type]

    def status_floors(self, expected: Sequence[float]) -> list[StatusFloors]:
        """Where On Track and At Risk begin at each expected progress (one question for them all)."""
        return [StatusFloors(float(on_track), float(at_risk))
                for on_track, at_risk in self._ask("status_floors", expected=list(expected))]
