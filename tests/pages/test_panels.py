"""The coach and the KPI-to-OKR bridge on the team, KPI and objective pages, and access on upload."""

import datetime as dt

from okrdash import bridge
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE
from tests.helpers.html_tables import shown_tables


def _open_proposal(db):
    store = open_store(db)
    try:
        proposals = [p for p in bridge.proposals(store, dt.date.fromisoformat(AS_OF), CYCLE)
                     if not p.linked_key_results]
        return proposals[0], store.table_counts()
    finally:
        store.close()


def test_team_page_adds_a_proposed_key_result_linked_to_its_kpi(demo_db, make_app):
    proposal, before = _open_proposal(demo_db)
    app = make_app(demo_db, page="pages/team.py", team=proposal.team, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    app.button(key=f"team_bridge_{proposal.kpi_id}").click().run()
    assert not app.exception
    assert any("Added" in s.value for s in app.success)
    # The page drew again: the new key result is in its objective's table, measured from today.
    shown = {title for frame in shown_tables(app) if "Key result" in frame.columns for title in frame["Key result"]}
    assert proposal.key_result in shown
    store = open_store(demo_db)
    try:
        assert store.table_counts()["key_results"] == before["key_results"] + 1
        krs = store.kr_scores(dt.date.fromisoformat(AS_OF), cycle=CYCLE, team=proposal.team)
        assert proposal.kpi_name in set(krs["kpi_name"].dropna())
    finally:
        store.close()


def test_coach_panel_is_on_the_team_and_objective_pages(demo_db, make_app):
    app = make_app(demo_db, page="pages/team.py", team="Engineering", as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert any("OKR quality coach" in e.label for e in app.expander)
    store = open_store(demo_db)
    try:
        objective_id = int(store.objective_scores(dt.date.fromisoformat(AS_OF), cycle=CYCLE).iloc[0]["objective_id"])
    finally:
        store.close()
    app = make_app(demo_db, page="pages/objective.py", objective=str(objective_id), as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert any("OKR quality coach" in e.label for e in app.expander)


def test_coach_flags_the_documents_counter_example_in_an_upload(demo_db, make_app):
    app = make_app(demo_db, page="pages/upload.py", lang="en")
    data = ("cycle,team,objective,parent_objective,key_result,baseline,target\n"
            "2026-Q4,Marketing,Increase the conversion rate by 2% by optimising the landing page,"
            "Grow expansion revenue,Raise landing page conversion,2,4\n").encode()
    app.file_uploader(key="upload_files").set_value([("counter.csv", data, "text/csv")]).run()
    assert not app.exception
    assert any("1 suggestion" in e.label or "suggestion" in e.label for e in app.expander)
