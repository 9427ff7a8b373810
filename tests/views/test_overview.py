"""The overview's view model (okrdash/views/overview.py) on the fixture company."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pandas as pd

from okrdash import viewstate
from okrdash.readmodels import alignment_tree
from okrdash.store import open_store
from okrdash.viewstate import HomeState, ObjectiveState
from okrdash.views import overview
from okrdash.views.overview import UNALIGNED, alignment_summary, teams_to_chart
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def column(table, name: str) -> list:
    return list(table.shown[name])


def test_counts_caption_and_chart_of_the_cycle(company):
    view = overview.view(company, HomeState(), scope_of(company))
    assert view.empty is None and view.notices == []
    assert view.caption == "Cycle 2026-Q4, as of 20 Nov 2026"
    # Every status but No Target, in the rules' order; the key results without a target are not counted.
    assert [(c.label, c.count) for c in view.key_results] == [
        ("🟢 On Track", 3), ("🟠 At Risk", 2), ("🔴 Off Track", 2), ("🔵 Complete", 1), ("⚪ No Data", 1)]
    assert [(c.label, c.count) for c in view.kpis] == [
        ("🟢 On Track", 2), ("🟠 At Risk", 1), ("🔴 Off Track", 1), ("🔵 Complete", 0), ("⚪ No Data", 0)]
    bars = view.chart["datasets"]["counts"]
    assert set(bars["team"]) == {"Company", "Sales", "Support"} and view.chart_note is None
    assert bars.loc[(bars["team"] == "Sales") & (bars["status_label"] == "🔴 Off Track"), "count"].sum() == 1


def test_company_objectives_with_the_team_objectives_aligned_to_the_one_picked(company):
    scope = scope_of(company)
    view = overview.view(company, HomeState(), scope)
    grow = str(fixture.objective_id(company, "Company", "Grow revenue"))
    assert column(view.alignment, "Objective") == ["Grow revenue", "Not aligned to a company objective"]
    assert column(view.alignment, "Aligned") == ["3", "1"]
    assert column(view.alignment, "Behind") == ["3", "0"]
    assert column(view.alignment, "Progress") == ["50%", "–"]
    assert view.alignment.cards.title == "Objective"  # a phone's card per company objective
    assert view.aligned_to.values == [grow, UNALIGNED] and view.aligned_to.selected == grow
    # Off Track first, then At Risk, then by team and title; each row links to its objective.
    assert column(view.aligned, "Objective") == ["Win new accounts", "Cut reply time", "Delight customers"]
    assert column(view.aligned, "Status") == ["🔴 Off Track", "🔴 Off Track", "🟠 At Risk"]
    links = column(view.aligned, "Open")
    assert [viewstate.read(ObjectiveState, dict(parse_qsl(urlsplit(link).query))) for link in links] == [
        ObjectiveState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF,
                       objective=fixture.objective_id(company, team, title))
        for team, title in (("Sales", "Win new accounts"), ("Support", "Cut reply time"),
                            ("Support", "Delight customers"))]
    assert view.aligned.links == ("Open",) and view.aligned.file_name == "aligned-objectives.csv"
    # No aligned objective picked in the link: the share box keeps it out too.
    assert view.shown == HomeState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF)

    unaligned = overview.view(company, HomeState(aligned=UNALIGNED), scope)
    assert column(unaligned.aligned, "Objective") == ["Keep our customers"] and unaligned.notices == []
    assert unaligned.shown.aligned == UNALIGNED
    assert unaligned.aligned_to.chosen(grow) == HomeState(aligned=grow)


def test_an_aligned_objective_the_cycle_does_not_have_is_reported_and_the_first_shown(company):
    view = overview.view(company, HomeState(aligned="999999"), scope_of(company, "id"))
    assert [notice.name for notice in view.notices] == ["aligned"]
    assert "999999" in view.notices[0].text and "Grow revenue" in view.notices[0].text
    assert view.shown.aligned is None and column(view.aligned, "Tujuan")[0] == "Win new accounts"
    assert view.link == HomeState()


def test_a_long_list_of_aligned_objectives_shows_the_first_and_says_so(company, monkeypatch):
    monkeypatch.setattr(overview, "ALIGNED_ROWS", 2)
    view = overview.view(company, HomeState(), scope_of(company))
    assert len(view.aligned.shown) == 2 and len(view.aligned.rows()) == 3
    assert view.aligned.first_rows.startswith("The first 2 of 3, Off Track first")


def test_what_needs_attention_biggest_gap_first_with_a_link_to_each(company):
    view = overview.view(company, HomeState(), scope_of(company))
    shown = view.attention.shown
    assert list(shown["Title"][:3]) == ["Average reply time", "Bring the average reply time to 30 minutes",
                                        "Cut the sales cycle from 60 to 40 days"]
    assert list(shown["Gap"][:3]) == ["60%", "55%", "45%"]
    why = dict(zip(shown["Title"], shown["Also"]))
    assert why["Cut the sales cycle from 60 to 40 days"] == "no recent check-in"
    assert why["Answer at least 95% of tickets in a day"] == "owner's confidence is low"
    links = dict(zip(shown["Title"], shown["Open"]))
    assert links["Average reply time"] == (
        f"kpis?lang=en&cycle=2026-Q4&as_of=2026-11-20&kpi={fixture.kpi_id(company, 'Average reply time')}")
    # The download holds the numbers and the statuses in words.
    rows = view.attention.rows()
    assert rows["Status"].iloc[0] == "Off Track" and rows["Gap"].iloc[0] == 0.6
    assert view.attention.file_name == "needs-attention-2026-Q4.csv"


def test_overview_in_indonesian(company):
    view = overview.view(company, HomeState(), scope_of(company, "id"))
    assert view.caption == "Siklus 2026-Q4, per 20 Nov 2026"
    assert view.key_results[0].label == "🟢 Sesuai Jalur"
    assert list(view.attention.shown.columns)[:2] == ["Status", "Tim"]
    assert view.attention.shown["Selisih"].iloc[0] == "60%"


def test_an_empty_company_says_so_and_links_to_the_upload_page(tmp_path):
    store = open_store(":memory:")
    try:
        view = overview.view(store, HomeState(aligned="3"), scope_of(store, "id", cycle=None))
    finally:
        store.close()
    message, upload = view.empty
    assert message.text.startswith("**Belum ada apa-apa di sini**") and upload.link.page == "upload"
    assert upload.link.query == {"lang": "id", "as_of": "2026-11-20"}


def test_the_status_chart_draws_the_teams_most_behind_and_counts_every_team():
    rows = [("okr", "Ops", "On Track", 9), ("okr", "Ops", "Off Track", 1),
            ("okr", "Sales", "At Risk", 2), ("okr", "Sales", "Off Track", 2),
            ("okr", "Legal", "On Track", 3), ("okr", "Audit", "On Track", 5),
            ("okr", "HR", "At Risk", 1), ("okr", "HR", "On Track", 1),
            ("kpi", "Finance", "Off Track", 7)]  # KPI rows are not key results: neither drawn nor counted
    team_status = pd.DataFrame(rows, columns=["subject", "team", "status", "count"])
    drawn, teams = teams_to_chart(team_status, limit=3)
    assert teams == 5
    # Sales has 4 behind, then Ops and HR 1 each (Ops has more key results); Audit and Legal none.
    assert sorted(set(drawn["team"])) == ["HR", "Ops", "Sales"]
    assert drawn[drawn["team"] == "Sales"]["count"].sum() == 4 and set(drawn["subject"]) == {"okr"}
    every, teams = teams_to_chart(team_status)
    assert teams == 5 and len(every) == 8
    nothing, teams = teams_to_chart(pd.DataFrame())
    assert nothing.empty and teams == 0


def test_a_company_with_more_teams_than_the_chart_draws_says_which_it_shows(fresh_company, monkeypatch):
    # The overview's company-wide part is kept per scoring: a store of its own makes it with this limit.
    monkeypatch.setattr(overview, "CHART_TEAMS", 2)
    view = overview.view(fresh_company, HomeState(), scope_of(fresh_company, "id"))
    assert view.chart_note.startswith("2 tim dengan hasil kunci") and "dari 3" in view.chart_note
    assert set(view.chart["datasets"]["counts"]["team"]) == {"Sales", "Support"}


def test_the_alignment_summary_has_a_row_per_root_with_its_aligned_counts():
    from okrdash.readmodels import records

    frame = pd.DataFrame([(1, "Company", "Grow revenue", None), (2, "Sales", "Win accounts", "Grow revenue"),
                          (3, "Ops", "Cut costs", None), (4, "Marketing", "Fill the funnel", "Grow revenue")],
                         columns=["objective_id", "team", "title", "parent_title"]
                         ).assign(status=["On Track", "Off Track", "At Risk", "On Track"],
                                  progress=[0.5, 0.1, 0.2, 0.6])
    summary = alignment_summary(alignment_tree(frame))
    assert records(summary) == [
        {"key": "1", "team": "Company", "title": "Grow revenue", "status": "On Track", "progress": 0.5,
         "aligned": 2, "aligned_behind": 1},
        {"key": UNALIGNED, "team": None, "title": None, "status": None, "progress": None,
         "aligned": 1, "aligned_behind": 1},
    ]
    assert alignment_summary([]).empty


def test_this_week_s_check_in_rate_per_team(company):
    # Week of Monday 16 Nov: Sales checked in 2 of its 4 key results due (the partner programme and the
    # sales cycle are not), Support 1 of 2 (its help centre is Complete, its reply time follows a KPI:
    # neither is due), the company's team none of 2.
    view = overview.view(company, HomeState(), scope_of(company, "id"))
    rates = view.checkin_rates
    assert rates.shown.to_dict("list") == {"Tim": ["Perusahaan", "Sales", "Support"], "Sudah check-in": ["0", "2", "1"],
                                           "Wajib check-in": ["2", "4", "2"], "Tingkat check-in": ["0%", "50%", "50%"]}
    assert rates.file_name == "checkin-rate-2026-11-16.csv"
    assert overview.view(company, HomeState(), scope_of(company, cycle=fixture.PREVIOUS)).checkin_rates is None


def test_the_check_in_rates_show_the_first_teams_and_download_them_all(fresh_company, monkeypatch):
    # The overview's company-wide part is kept per scoring: a store of its own makes it with this limit.
    # A large company has thousands of teams: as an HTML table of every one the overview sent 390 KB.
    monkeypatch.setattr(overview, "CHECKIN_RATE_ROWS", 2)
    rates = overview.view(fresh_company, HomeState(), scope_of(fresh_company)).checkin_rates
    assert list(rates.shown["Team"]) == ["Company", "Sales"]
    assert rates.first_rows == "The first 2 of 3 teams, by name: download them all."
    assert list(rates.rows()["Team"]) == ["Company", "Sales", "Support"]
