"""Property: any file the importer accepts renders every page and ``okrdash status`` without an exception.

Hypothesis writes okrs and kpis files with edge values (targets near the number limit, tiny
progress, cycles at the ends of the calendar, far-off check-in dates); a file the importer refuses
is fine, a file it accepts must be drawable everywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import streamlit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from okrdash import cli
from okrdash.importing import Upload, import_files
from okrdash.problems import ImportFailed
from okrdash.store import open_store
from tests.pages.conftest import APP

NUMBERS = st.sampled_from(["0", "1", "10", "-5", "0.000001", "1000000", "1000000000000", "999999999999999",
                           "-999999999999999", ""])
DATES = st.sampled_from([dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(1970, 1, 1), dt.date(2026, 1, 1),
                         dt.date(2026, 6, 30), dt.date(2199, 12, 31), dt.date(2262, 4, 12), dt.date(9999, 12, 31)])
# Mostly blank: the importer infers the kind from the numbers, so fewer files contradict themselves.
KINDS = st.sampled_from(["", "", "", "at_least", "at_most", "milestone"])


@st.composite
def company(draw) -> tuple[str, str, str]:
    start, end = sorted(draw(st.lists(DATES, min_size=2, max_size=2, unique=True)))
    # Inside the cycle most of the time, so that key results have progress, a pace and a forecast.
    middle = start + (end - start) / 2
    as_of = draw(st.sampled_from([middle, middle, end, draw(DATES)]))
    checkin_dates = st.sampled_from([start, middle, as_of, draw(DATES)])
    okrs = ["cycle,start_date,end_date,team,objective,key_result,kind,baseline,target,current,date"]
    for index in range(draw(st.integers(1, 4))):
        okrs.append(f"Edge,{start},{end},Edge,Objective {index % 2},KR {index},{draw(KINDS)},{draw(NUMBERS)},"
                    f"{draw(NUMBERS)},{draw(NUMBERS)},{draw(checkin_dates)}")
    kpis = ["team,kpi,date,value,target"]
    for index, day in enumerate(draw(st.lists(DATES, min_size=1, max_size=3, unique=True))):
        kpis.append(f"Edge,KPI {index % 2},{day},{draw(NUMBERS) or '1'},{draw(NUMBERS)}")
    return "\n".join(okrs) + "\n", "\n".join(kpis) + "\n", as_of.isoformat()


PAGES = ("pages/overview.py", "pages/team.py", "pages/objective.py", "pages/kpis.py")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(company())
def test_any_accepted_file_renders_every_page_and_status(files):
    okrs, kpis, as_of = files
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "edge.duckdb"
        store = open_store(db)
        try:
            import_files(store, [Upload("okrs.csv", okrs.encode()), Upload("kpis.csv", kpis.encode())])
        except ImportFailed:
            return
        finally:
            ids = store.objective_scores(dt.date.fromisoformat(as_of))["objective_id"].tolist()
            store.close()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            for extra in ([], ["--json"]):
                assert cli.main(["--db", str(db), "status", "--as-of", as_of, *extra]) == 0, err.getvalue()
        previous = {k: os.environ.get(k) for k in ("OKRDASH_DB", "OKRDASH_DEMO_WHEN_EMPTY")}
        os.environ.update(OKRDASH_DB=str(db), OKRDASH_DEMO_WHEN_EMPTY="false")
        try:
            for page in PAGES:
                streamlit.cache_data.clear()
                app = AppTest.from_file(APP, default_timeout=60)
                app.query_params.update({"cycle": "Edge", "as_of": as_of, "team": "Edge",
                                         "objective": str(ids[0]) if ids else ""})
                app.switch_page(page)
                app.run()
                assert not app.exception, (page, okrs, kpis, as_of, [e.value for e in app.exception])
        finally:
            for key, value in previous.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
