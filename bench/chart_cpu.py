"""CPU per chart builder call (okrdash/charts.py): the first call in the process, a first call with
new non-data arguments (a new declaration; the first call of the process already loaded what the
builders need), and warm calls with other rows of the same shape (median).

    .venv/bin/python -m bench.chart_cpu

CPU is ``time.process_time()`` around one call; rows are those of a large company's view (25 teams
by status, 40 check-ins, 120 KPI measurements, 8 key result cards).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from okrdash import charts

STATUSES = list(charts.STATUS_COLORS)[:4]


def _clear() -> None:
    for builder in vars(charts).values():
        if hasattr(builder, "cache_clear"):
            builder.cache_clear()


def _calls(seed: int) -> dict[str, Callable[[str], Any]]:
    """Each builder over rows that differ with ``seed``; ``title`` varies the non-data arguments."""
    days = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(120)]
    counts = pd.DataFrame([{"team": f"Team {t}", "status": s, "status_label": f"{charts.STATUS_ICONS[s]} {s}",
                            "count": (t * 7 + i + seed) % 9 + 1, "status_rank": i}
                           for t in range(25) for i, s in enumerate(STATUSES)])
    history = pd.DataFrame({"date": days[:40], "value": [float(i + seed) for i in range(40)]})
    expected = pd.DataFrame({"date": [days[0], days[-1]], "value": [0.0, 100.0]})
    kpi = pd.DataFrame({"date": days, "value": [90.0 + (i + seed) % 10 for i in range(120)]})
    grades = pd.DataFrame({"band": ["green", "yellow", "red", None], "label": ["0.7-1", "0.4-0.7", "0-0.4", "-"],
                           "count": [seed, 3, 2, 1]})
    labels = {"actual": "Actual", "expected": "Expected", "target": "Target"}
    return {
        "team_status_chart": lambda title: charts.team_status_chart(counts, title, "Key results", "Team", "Status"),
        "burn_up_chart": lambda title: charts.burn_up_chart(history, expected, 100.0 + seed, title, "people",
                                                            "Date", labels),
        "kpi_history_chart": lambda title: charts.kpi_history_chart(kpi, 100.0, (90.0, 100.0), title, title,
                                                                    "Date", "Target"),
        "grade_distribution_chart": lambda title: charts.grade_distribution_chart(grades, "Objectives", title,
                                                                                  "Band"),
    }


def _cpu(call: Callable[[], Any]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


def main() -> None:
    first = {name: _cpu(lambda c=call: c("first")) for name, call in _calls(0).items()}
    _clear()
    new = {name: _cpu(lambda c=call: c("new")) for name, call in _calls(1).items()}
    warm: dict[str, list[float]] = {name: [] for name in first}
    for seed in range(2, 22):
        for name, call in _calls(seed).items():
            warm[name].append(_cpu(lambda c=call: c("new")))
    print(f"{'builder':26} {'first in process':>17} {'new arguments':>14} {'warm (median)':>14}  CPU ms")
    for name in first:
        print(f"{name:26} {first[name] * 1000:17.1f} {new[name] * 1000:14.1f} {statistics.median(warm[name]) * 1000:14.2f}")


if __name__ == "__main__":
    main()
