"""The team page through AppTest."""

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/team.py"


def key_result_titles(app: AppTest) -> list[str]:
    """The first column (key result title) of every table on the page."""
    return [title for frame in app.dataframe for title in frame.value.iloc[:, 0]]


def objective_headings(app: AppTest) -> list[str]:
    return [m.value.removeprefix("#### ") for m in app.markdown if m.value.startswith("#### ")]


def test_team_from_link_shows_its_objectives_key_results_and_kpis(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert not app.exception
    assert app.title[0].value.endswith("Team view")
    assert app.segmented_control(key="team").value == "Engineering"
    assert "Improve the quality of our releases" in objective_headings(app)
    assert any(title.startswith("Reduce new bug reports") for title in key_result_titles(app))
    labels = [m.label for m in app.metric]
    assert "🔴 Off Track" in labels
    assert int(next(m for m in app.metric if m.label == "🔴 Off Track").value) > 0
    kpi = next(m for m in app.metric if m.label == "Mean time to resolution")
    assert kpi.value == "22 hours"
    assert any("target 24 hours" in c.value for c in app.caption)
    links = [p.proto.query_string for p in app.page_link]
    assert any("objective=" in q and f"cycle={CYCLE}" in q for q in links)
    # CSV and Excel of every table, and of the team's OKRs as a file to edit and upload back.
    assert len(app.get("download_button")) == 2 * len(app.dataframe) + 2 > 2
    assert {"download_team_okrs", "download_team_okrs_xlsx"} <= {b.key for b in app.download_button}


def test_status_and_owner_filters_come_from_the_link(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering", status="Off Track")
    assert not app.exception
    assert app.pills(key="status").value == ["Off Track"]
    statuses = {s for frame in app.dataframe for s in frame.value["Status"]}
    assert statuses == {"🔴 Off Track"}
    assert not any(title.startswith("Reduce new bug reports") for title in key_result_titles(app))

    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering", owner="Rizky")
    assert not app.exception
    assert app.selectbox(key="owner").value == "Rizky"
    owners = {o for frame in app.dataframe for o in frame.value["Owner"]}
    assert owners == {"Rizky"}


def test_filters_and_team_switch_through_the_widgets(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    app.pills(key="status").set_value(["Off Track", "At Risk"]).run()
    assert not app.exception
    assert app.query_params["status"] == "Off Track,At Risk"
    assert {s for frame in app.dataframe for s in frame.value["Status"]} == {"🔴 Off Track", "🟠 At Risk"}

    app.segmented_control(key="team").set_value("Marketing").run()
    assert not app.exception
    headings = objective_headings(app)
    assert "Improve the quality of our releases" not in headings
    assert "Make our digital marketing more visible and effective" in headings
    assert not any(title.startswith("Reduce new bug reports") for title in key_result_titles(app))
    assert app.pills(key="status").value == ["At Risk", "Off Track"]


def test_unknown_team_warns_and_shows_the_first_team(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Nobody", owner="Ghost")
    assert not app.exception
    assert any("Nobody" in w.value for w in app.warning)
    assert any("Ghost" in w.value for w in app.warning)
    assert app.segmented_control(key="team").value == "Company"
    assert "Company" in app.caption[0].value


def test_team_page_in_indonesian(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id")
    assert not app.exception
    assert app.title[0].value.endswith("Tampilan tim")
    assert "🔴 Keluar Jalur" in [m.label for m in app.metric]
    assert "Kemajuan" in app.dataframe[0].value.columns
    assert any("Pemilik: Budi" in c.value for c in app.caption)


def test_team_page_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db, page=PAGE)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


def test_the_company_is_translated_and_its_link_is_the_same_in_both_languages(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not app.exception
    picker = app.segmented_control(key="team")
    # No team in the link: the whole company, named in Indonesian; the URL carries no team.
    assert picker.value == "Company" and "Perusahaan" in picker.options and "Company" not in picker.options
    assert "team" not in app.query_params
    assert any("Perusahaan" in c.value for c in app.caption)
    picker.set_value("Engineering").run()
    assert app.query_params["team"] == "Engineering"
    app.segmented_control(key="team").set_value("Company").run()
    assert not app.exception
    assert app.query_params["team"] == "Company"  # the stored name, not "Perusahaan": works in English too
    english = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="en", team="Company")
    assert english.segmented_control(key="team").value == "Company"
    assert "Company" in english.segmented_control(key="team").options


def test_signed_in_editor_starts_on_their_team_unless_the_link_names_one(demo_db, make_app, as_person):
    from okrdash.access import Access, Role

    as_person(Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"marketing"}), mode="oidc"))
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not app.exception
    assert app.segmented_control(key="team").value == "Marketing"  # compared as names are (name_key)
    assert "Make our digital marketing more visible and effective" in objective_headings(app)
    linked = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Sales")
    assert linked.segmented_control(key="team").value == "Sales"


def test_many_teams_get_a_searchable_select_box(demo_db, make_app):
    from okrdash.importing import Upload, import_files
    from okrdash.store import open_store

    rows = "".join(f"{CYCLE},Team {n:02d},Objective {n},Key result {n},0,10,5,{AS_OF}\n" for n in range(12))
    store = open_store(demo_db)
    try:
        import_files(store, [Upload("okrs.csv", ("cycle,team,objective,key_result,baseline,target,current,date\n"
                                                + rows).encode())])
    finally:
        store.close()
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, lang="id", team="Team 07")
    assert not app.exception
    picker = app.selectbox(key="team")
    assert picker.value == "Team 07" and "Perusahaan" in picker.options
    # Streamlit's select box filters its options as one types (fuzzy by default; "none" would not).
    from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

    assert picker.proto.filter_mode != SelectWidgetFilterMode.FILTER_MODE_NONE


def test_a_team_with_more_objectives_than_a_page_shows_them_a_page_at_a_time(demo_db, make_app, monkeypatch):
    from okrdash.ui import widgets

    everything = objective_headings(make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering"))
    assert len(everything) == 3
    monkeypatch.setattr(widgets, "OBJECTIVES_PER_PAGE", 2)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id")
    assert not app.exception
    assert objective_headings(app) == everything[:2]
    assert any(c.value.startswith("Tujuan 1–2 dari 3") for c in app.caption)
    picker = app.segmented_control(key="objective_page")
    assert picker.value == 1 and list(picker.options) == ["1", "2"]
    picker.set_value(2).run()
    assert not app.exception
    assert app.query_params["objective_page"] == "2"
    assert objective_headings(app) == everything[2:]
    assert "objective_page=2" in app.get("code")[0].value  # the share link opens on the same objectives

    # A link to page 2 opens there; a page the team does not have says so and shows the first.
    linked = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="Engineering", objective_page="2")
    assert objective_headings(linked) == everything[2:]
    linked.query_params["objective_page"] = "7"
    linked.run()
    assert not linked.exception
    assert objective_headings(linked) == everything[:2]
    assert any("page 7" in w.value and "there are 2" in w.value for w in linked.warning)
