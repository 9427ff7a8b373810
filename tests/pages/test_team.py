"""The team page through AppTest, on the fixture company: it opens in both languages and its pickers
write the link (what it shows is tested on its view model, tests/views/test_team.py)."""

import pytest
from streamlit.testing.v1 import AppTest

from okrdash.i18n import translate
from okrdash.markdown import plain
from tests.fixtures.company import AS_OF, CYCLE
from tests.helpers.html_tables import shown_tables
from tests.pages.test_forms import form_keys, open_form

PAGE = "pages/team.py"
PINNED = {"as_of": AS_OF.isoformat(), "cycle": CYCLE}


def key_result_titles(app: AppTest) -> list[str]:
    """The key results of every key results table on the page."""
    return [title for frame in shown_tables(app) if "Progress" in frame for title in frame["Key result"]]


def objective_headings(app: AppTest) -> list[str]:
    return [m.value.removeprefix("#### ") for m in app.markdown if m.value.startswith("#### ")]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_team_page_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, team="Support", lang=lang, **PINNED)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("team.title", lang))
    assert app.segmented_control(key="team").value == "Support"
    assert objective_headings(app) == ["Delight customers", "Cut reply time"]
    assert translate("status.At Risk", lang) in " ".join(m.label for m in app.metric)
    assert [p.proto.page for p in app.page_link] == ["objective", "objective"]
    # CSV and Excel of every table, of the team's objectives with their grades, of the team's OKRs as a
    # file to edit and upload back, and its status card.
    assert len(app.get("download_button")) == 2 * len(shown_tables(app)) + 5 > 5
    assert {"download_team_objectives", "download_team_objectives_xlsx", "download_team_okrs",
            "download_team_okrs_xlsx", "status_card"} <= {b.key for b in app.download_button}
    assert "team=Support" in app.code[0].value  # the share box


def test_filters_and_team_switch_through_the_widgets(company_db, make_app):
    app = make_app(company_db, page=PAGE, team="Support", **PINNED)
    app.pills(key="status").set_value(["Off Track", "Complete"]).run()
    assert not app.exception
    assert app.query_params["status"] == "Off Track,Complete"
    # (the help centre, Complete, was last checked in on 20 Oct: stale, marked beside its status)
    assert {s.split(" · ")[0] for frame in shown_tables(app) if "Progress" in frame for s in frame["Status"]} == {
        "🔴 Off Track", "🔵 Complete"}

    app.segmented_control(key="team").set_value("Sales").run()
    assert not app.exception
    assert app.query_params["team"] == "Sales"
    assert objective_headings(app) == ["Win new accounts"]
    assert key_result_titles(app) == ["Cut the sales cycle from 60 to 40 days"]
    assert app.pills(key="status").value == ["Off Track", "Complete"]

    app.selectbox(key="owner").set_value("Dewi").run()
    assert app.query_params["owner"] == "Dewi" and key_result_titles(app) == ["Cut the sales cycle from 60 to 40 days"]


def test_unknown_values_warn_and_leave_the_link_with_what_it_could_use(company_db, make_app):
    app = make_app(company_db, page=PAGE, team="Nobody", status="Off Track,Bogus", owner="Ghost", **PINNED)
    assert not app.exception
    assert [w for w in app.warning if "Nobody" in w.value] and [w for w in app.warning if "Ghost" in w.value]
    assert app.segmented_control(key="team").value == "Company"
    assert app.query_params["status"] == "Off Track" and "owner" not in app.query_params


def test_the_company_is_translated_and_its_link_is_the_same_in_both_languages(company_db, make_app):
    app = make_app(company_db, page=PAGE, lang="id", **PINNED)
    assert not app.exception
    picker = app.segmented_control(key="team")
    # No team in the link: the whole company, named in Indonesian; the URL carries no team.
    assert picker.value == "Company" and "Perusahaan" in picker.options and "Company" not in picker.options
    assert "team" not in app.query_params
    picker.set_value("Sales").run()
    app.segmented_control(key="team").set_value("Company").run()
    assert not app.exception
    assert app.query_params["team"] == "Company"  # the stored name, not "Perusahaan": works in English too
    english = make_app(company_db, page=PAGE, lang="en", team="Company", **PINNED)
    assert english.segmented_control(key="team").value == "Company"


def test_many_teams_get_a_searchable_select_box(company_db, make_app):
    from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

    from okrdash.importing import Upload, import_files
    from okrdash.store import open_store

    rows = "".join(f"{CYCLE},Team {n:02d},Objective {n},Key result {n},0,10,5,{AS_OF}\n" for n in range(12))
    store = open_store(company_db)
    try:
        import_files(store, [Upload("okrs.csv", ("cycle,team,objective,key_result,baseline,target,current,date\n"
                                                + rows).encode())])
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, lang="id", team="Team 07", **PINNED)
    assert not app.exception
    picker = app.selectbox(key="team")
    assert picker.value == "Team 07" and "Perusahaan" in picker.options
    # Streamlit's select box filters its options as one types (fuzzy by default; "none" would not).
    assert picker.proto.filter_mode != SelectWidgetFilterMode.FILTER_MODE_NONE


def test_pages_of_objectives_through_the_picker_and_the_link(company_db, make_app, monkeypatch):
    from okrdash.views import team

    monkeypatch.setattr(team, "OBJECTIVES_PER_PAGE", 1)
    app = make_app(company_db, page=PAGE, team="Sales", lang="id", **PINNED)
    assert not app.exception
    assert objective_headings(app) == ["Win new accounts"]
    picker = app.segmented_control(key="objective_page")
    assert picker.value == 1 and list(picker.options) == ["1", "2"]
    picker.set_value(2).run()
    assert not app.exception
    assert app.query_params["objective_page"] == "2"
    assert objective_headings(app) == ["Keep our customers"]
    assert "objective_page=2" in app.code[0].value  # the share link opens on the same objectives
    app.query_params["objective_page"] = "7"
    app.run()
    assert not app.exception and objective_headings(app) == ["Win new accounts"]
    assert any("halaman 7" in w.value for w in app.warning) and "objective_page" not in app.query_params


def test_team_page_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db, page=PAGE)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_stale_key_results_and_kpis_are_marked_where_their_status_is(company_db, make_app, lang):
    app = make_app(company_db, page=PAGE, team="Support", lang=lang, cycle=CYCLE, as_of="2026-11-30")
    assert not app.exception
    marker = f"🕒 {translate('common.stale', lang)}"
    statuses = [cell for frame in shown_tables(app) if translate("common.status", lang) in frame
                for cell in frame[translate("common.status", lang)]]
    assert any(cell.endswith(marker) for cell in statuses)
    assert any(c.value.endswith(f"🕒 {translate('common.stale_kpi', lang)}") for c in app.caption)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_finished_cycle_shows_each_objectives_grade_and_band_and_downloads_them(company_db, make_app, lang):
    """Issue 26: a committed objective at 0.93 in a finished cycle reads On Track by its status, and
    its grade says it was missed (a postmortem), never green; an aspirational 0.7 is green."""
    from okrdash.store import open_store
    from tests.fixtures.company import load_bands

    store = open_store(company_db)
    try:
        load_bands(store)
    finally:
        store.close()
    app = make_app(company_db, page=PAGE, team="Field", lang=lang, cycle="2026-Q3", as_of=AS_OF.isoformat())
    assert not app.exception and not app.warning
    badges = [m.value for m in app.markdown if "-badge[" in m.value]
    final, missed = translate("team.grade_final", lang, grade="0,9" if lang == "id" else "0.9"), translate(
        "review.band_missed", lang)
    # Grade, band and flag: badges on one line that wraps between them (Markdown-escaped labels).
    assert f":red-badge[🎓 {plain(final)}] :red-badge[{plain(missed)}] " \
           f":red-badge[{plain(translate('review.flag_postmortem', lang))}]" in badges
    assert any(b.startswith(":green-badge[🎓 ") and ("0,7" if lang == "id" else "0\\.7") in b for b in badges)
    assert not any("⏳" in b for b in badges)
    assert any(c.value.startswith(translate("team.grades_final", lang, cycle="2026\\-Q3", grade_green_from=0.7,
                                            grade_yellow_from=0.4)[:20]) for c in app.caption)
    assert {"download_team_objectives", "download_team_objectives_xlsx"} <= {b.key for b in app.download_button}


def test_a_running_cycle_shows_grades_so_far_as_provisional(company_db, make_app):
    app = make_app(company_db, page=PAGE, team="Support", lang="id", **PINNED)
    assert not app.exception
    badges = [m.value for m in app.markdown if "-badge[" in m.value]
    assert ":gray-badge[⏳ Nilai sementara 0,6 \\(belum final\\)]" in badges
    assert not any("🎓" in b for b in badges)
    assert any("baru final saat siklus berakhir, 31 Des 2026" in c.value for c in app.caption)


def test_the_check_in_forms_of_a_team_read_their_last_check_ins_in_one_query(company_db, make_app, store_reads):
    """Issue 27: each objective's check-in form asked for its key result's history, one query per form
    (five on a page, after a write each a first view's cost); the page's view model now reads the
    last check-ins of all its key results in one query."""
    asked = store_reads
    app = make_app(company_db, page=PAGE, team="Sales", **PINNED)
    assert not app.exception
    assert [name for name in asked if name in ("checkin_histories", "last_checkins")] == ["last_checkins"]
    # Two objectives, a form each, each beside its key result's last check-in once opened: the
    # opened forms read nothing of their own (at most the view's one query a run).
    forms = form_keys(app, "Check in")
    assert [e.label for e in app.get("expander")].count("✍️ Check in") == len(forms) == 2
    asked.clear()
    for key in forms:
        open_form(app, key)
    assert [c.value for c in app.caption if c.value.startswith("Last check-in: ")] == [
        "Last check-in: 58 days on 2 Nov 2026", "Last check-in: 1\\.5% on 18 Nov 2026"]
    assert "checkin_histories" not in asked and asked.count("last_checkins") <= len(forms)
