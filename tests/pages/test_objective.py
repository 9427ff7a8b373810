"""The objective page through AppTest."""

import datetime as dt

from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/objective.py"


def objective_ids(db, cycle: str = CYCLE) -> dict[str, int]:
    """Objective title -> id in ``cycle`` of the database at ``db``."""
    store = open_store(db)
    try:
        frame = store.objective_scores(dt.date.fromisoformat(AS_OF), cycle=cycle)
    finally:
        store.close()
    return dict(zip(frame["title"], frame["objective_id"].astype(int)))


def charts(app) -> list:
    return app.get("vega_lite_chart")


def test_objective_from_link_shows_header_charts_and_checkins(demo_db, make_app):
    objective_id = objective_ids(demo_db)["Improve the quality of our releases"]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective=str(objective_id))
    assert not app.exception
    assert not app.warning
    assert app.title[0].value.endswith("Objective detail")
    assert app.header[0].value == "Improve the quality of our releases"
    assert app.selectbox(key="objective_picker").value == objective_id
    assert any(m.value.startswith("Team: Engineering · Owner: Budi") for m in app.markdown)
    key_results = app.dataframe[0].value
    assert any(title.startswith("Reduce new bug reports") for title in key_results["Key result"])
    # A burn-up chart per key result; the status-coloured progress of the objective and of its key
    # results is static HTML (no chart script for two bars), with the status in words and escaped titles.
    assert len(charts(app)) == len(key_results)
    bars = [element.proto.body for element in app.get("html") if "okr-progress" in element.proto.body]
    assert len(bars) == 2
    assert bars[0].count('role="progressbar"') == 1
    assert bars[1].count('role="progressbar"') == len(key_results)
    assert "Reduce new bug reports" in bars[1] and "At Risk" in bars[0] and "expected by now" in bars[0]
    assert any(c.value == "At Risk because 2 of 3 key results are At Risk\\." for c in app.caption)
    assert any(c.value.startswith("At the current pace the target is reached on") for c in app.caption)
    checkins = app.dataframe[1].value
    assert list(checkins.columns) == ["Date", "Value", "Confidence", "Note"]
    assert len(checkins) > 0
    assert len(app.get("download_button")) == 2 * len(app.dataframe)  # CSV and Excel
    assert f"objective={objective_id}" in app.get("code")[0].value


def test_picking_another_objective_updates_the_link_and_the_view(demo_db, make_app):
    ids = objective_ids(demo_db)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE,
                   objective=str(ids["Improve the quality of our releases"]))
    app.selectbox(key="objective_picker").set_value(ids["Help the development team ship faster"]).run()
    assert not app.exception
    assert app.query_params["objective"] == str(ids["Help the development team ship faster"])
    assert app.header[0].value == "Help the development team ship faster"


def test_key_result_linked_to_a_kpi_points_to_the_kpi_page(demo_db, make_app):
    objective_id = objective_ids(demo_db)["Improve customer support"]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective=str(objective_id))
    assert not app.exception
    kpi_links = [p for p in app.page_link if p.proto.page == "kpis"]
    assert kpi_links and kpi_links[0].label == "The values come from KPI Average reply time"
    assert "kpi=" in kpi_links[0].proto.query_string


def test_grade_shows_once_the_cycle_has_ended(demo_db, make_app):
    objective_id = objective_ids(demo_db, "2026-Q3")["Launch our new product successfully"]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle="2026-Q3", objective=str(objective_id))
    assert not app.exception
    assert any("Final grade" in m.value and ("green" in m.value or "yellow" in m.value or "red" in m.value)
               for m in app.markdown)


def test_bad_or_removed_objective_id_warns_and_offers_the_picker(demo_db, make_app):
    for value in ("abc", "99999"):
        app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective=value)
        assert not app.exception
        assert any(value in w.value for w in app.warning)
        assert app.selectbox(key="objective_picker").value is None
        assert len(app.selectbox(key="objective_picker").options) > 0
        assert not app.header


def test_objective_page_in_indonesian(demo_db, make_app):
    objective_id = objective_ids(demo_db)["Improve the quality of our releases"]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective=str(objective_id), lang="id")
    assert not app.exception
    assert app.title[0].value.endswith("Rincian tujuan")
    assert any(m.value.startswith("Tim: Engineering · Pemilik: Budi") for m in app.markdown)
    assert any(c.value.startswith("Dengan laju saat ini") for c in app.caption)

    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective="abc", lang="id")
    assert any("bukan nomor tujuan" in w.value for w in app.warning)


def test_objective_page_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db, page=PAGE, objective="1")
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


def test_the_picker_lists_one_teams_objectives_and_a_team_change_clears_the_objective(demo_db, make_app):
    ids = objective_ids(demo_db)
    store = open_store(demo_db)
    try:
        frame = store.objective_scores(dt.date.fromisoformat(AS_OF), cycle=CYCLE)
    finally:
        store.close()
    by_team = {team: set(group["objective_id"].astype(int)) for team, group in frame.groupby("team")}
    objective_id = ids["Improve the quality of our releases"]
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, objective=str(objective_id))
    assert not app.exception
    assert app.selectbox(key="objective_team").value == "Engineering"
    assert set(app.selectbox(key="objective_picker").options) == {
        title for title, id_ in ids.items() if id_ in by_team["Engineering"]}
    app.selectbox(key="objective_team").set_value("Marketing").run()
    assert not app.exception
    assert app.query_params["team"] == "Marketing" and "objective" not in app.query_params
    assert set(app.selectbox(key="objective_picker").options) == {
        title for title, id_ in ids.items() if id_ in by_team["Marketing"]}
    assert "team=Marketing" in app.get("code")[0].value

    # Opened without a subject: the company's own objectives, its name in the reader's language.
    empty = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not empty.exception
    picker = empty.selectbox(key="objective_team")
    assert picker.value == "Company" and "Perusahaan" in picker.options
    assert len(empty.selectbox(key="objective_picker").options) == len(by_team["Company"])

    unknown = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Nobody")
    assert any("Nobody" in w.value for w in unknown.warning)
    assert unknown.selectbox(key="objective_team").value == "Company"
