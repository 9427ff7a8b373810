"""The CLI's ``status --json`` document, built in the engine without pandas (statements in status_report.sql).

``okrdash status`` is a short-lived process: it asks the rules' macros once for what it prints
instead of building the kept scores the app's pages share, so neither pandas nor the kept frames
are loaded. :func:`pick_cycle` is also how the pages choose their cycle.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrdash import sqlfiles

if TYPE_CHECKING:
    from okrdash.models import Cycle
    from okrdash.store import Store

STATUS_REPORT_SQL = Path(__file__).with_name("status_report.sql")


def pick_cycle(store: Store, name: str | None, as_of: dt.date) -> Cycle | None:
    """The named cycle; else the one containing ``as_of``; else the latest that started before it."""
    cycles = store.cycles()
    if name:
        for cycle in cycles:
            if cycle.name == name:
                return cycle
    containing = [c for c in cycles if c.start_date <= as_of <= c.end_date]
    if containing:
        return containing[-1]
    started = [c for c in cycles if c.start_date <= as_of]
    return (started or cycles or [None])[-1]


def status_report(store: Store, as_of: dt.date, cycle: str | None = None, team: str | None = None) -> dict[str, Any]:
    """The objectives of ``cycle`` (the one containing ``as_of`` when None; none for a cycle that is
    not stored) with their key results, and the KPIs, of ``team`` (every team when None)."""
    chosen = pick_cycle(store, cycle, as_of)
    if cycle and (chosen is None or chosen.name != cycle):
        chosen = None
    queries = sqlfiles.named_queries(STATUS_REPORT_SQL)
    values = {"as_of": as_of, "cycle": chosen.name if chosen else None, "team": team}
    with store.cursor() as cur:
        objectives = _rows(cur, queries["objectives"], values) if chosen is not None else []
        kpis = _rows(cur, queries["kpis"], values)
    return {"cycle": chosen.name if chosen else None, "as_of": as_of.isoformat(),
            "objectives": objectives, "kpis": kpis}


def _rows(cur: Any, sql: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts by column name (a list of structs arrives as a list of dicts)."""
    result = cur.execute(sql, sqlfiles.parameters(sql, values))
    names = [column[0] for column in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]
