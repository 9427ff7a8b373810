"""The objective page's view model (okrdash/views/objective.py) on the fixture company."""

from __future__ import annotations

from okrdash.store import open_store
from okrdash.viewstate import KpisState, ObjectiveState, TeamState
from okrdash.views import objective
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def test_an_objective_from_the_link_with_its_key_results_forecasts_and_check_ins(company):
    objective_id = fixture.objective_id(company, "Sales", "Win new accounts")
    view = objective.view(company, ObjectiveState(objective=objective_id), scope_of(company))
    assert view.notices == [] and view.choose is None
    assert (view.title, view.team, view.objective_id) == ("Win new accounts", "Sales", objective_id)
    assert view.badge.label == "Off Track" and view.reason == "Off Track because 1 of 3 key results is Off Track\\."
    assert view.meta == "Team: Sales · Owner: Budi · Committed"
    assert [bar.text for bar in view.bar] == ["🔴 Off Track · 35% · expected by now 55%"]
    assert view.grade == () and view.other_cycle is None  # the cycle runs
    assert view.back.link.state == TeamState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, team="Sales")
    assert list(view.key_results.table.shown["Key result"]) == [
        "Sign 10 new accounts", "Cut the sales cycle from 60 to 40 days", "Launch the partner programme"]
    assert view.key_results.table.file_name == f"objective-{objective_id}-key-results.csv"
    signed, cycle, partners = view.cards
    assert signed.meta == "Owner: Budi · Progress 60% · expected by now 55%  \nCurrent 6 · target 10"
    assert signed.forecast == "At the current pace the target is reached on 24 Dec 2026."
    assert cycle.forecast.endswith("after the cycle ends (31 Dec 2026).")
    assert partners.forecast is None and partners.checkins is None  # a milestone: no pace; no check-in yet
    # The check-ins of the key result, oldest first, with a download; its burn-up chart's rows.
    assert list(signed.checkins.shown["Date"]) == ["15 Oct 2026", "2 Nov 2026", "18 Nov 2026"]
    assert list(signed.checkins.shown["Note"])[:1] == ["Two signed"]
    assert signed.checkins.file_name == f"checkins-{signed.key_result_id}.csv"
    series = signed.chart["datasets"]["series"]
    assert set(series["series"]) == {"Actual", "Expected"} and len(series) == 5
    assert signed.checkin["title"] == "Sign 10 new accounts" and signed.kpi is None
    assert view.shown == ObjectiveState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, objective=objective_id)


def test_a_key_result_that_follows_a_kpi_links_to_it_and_shows_its_measurements(company):
    view = objective.view(company, ObjectiveState(objective=fixture.objective_id(company, "Support", "Cut reply time")),
                          scope_of(company))
    (card,) = view.cards
    assert card.kpi.label == "The values come from KPI Average reply time"
    assert card.kpi.link.state == KpisState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF,
                                            kpi=fixture.kpi_id(company, "Average reply time"))
    assert list(card.checkins.shown["Value"]) == ["52", "48"]
    assert card.meta.endswith("Current 48 minutes · target 30 minutes")


def test_an_ended_objective_shows_its_grade_and_says_when_it_is_of_another_cycle(company):
    objective_id = fixture.objective_id(company, "Support", "Delight customers", fixture.PREVIOUS)
    view = objective.view(company, ObjectiveState(objective=objective_id), scope_of(company, "id"))
    assert [(b.label, b.color) for b in view.grade] == [("Nilai akhir 1,0", "green"), ("Hijau", "green")]
    assert view.other_cycle.startswith("Tujuan ini termasuk siklus 2026\\-Q3")
    assert objective.view(company, ObjectiveState(objective=objective_id),
                          scope_of(company, cycle=fixture.PREVIOUS)).other_cycle is None


def test_the_grade_badge_reads_the_band_by_type_in_both_languages(graded_company):
    committed = fixture.objective_id(graded_company, "Ops", "Open the new warehouse", fixture.PREVIOUS)
    aspirational = fixture.objective_id(graded_company, "Ops", "Halve returns", fixture.PREVIOUS)
    for lang, missed, green in (("en", ("Final grade 0.8", "Missed: needs a postmortem"), ("Final grade 0.7", "Green")),
                                ("id", ("Nilai akhir 0,8", "Tidak tercapai: perlu postmortem"),
                                 ("Nilai akhir 0,7", "Hijau"))):
        grade = objective.view(graded_company, ObjectiveState(objective=committed), scope_of(graded_company, lang)).grade
        assert [(b.label, b.color) for b in grade] == [(missed[0], "red"), (missed[1], "red")]  # 0.8 committed: a miss
        grade = objective.view(graded_company, ObjectiveState(objective=aspirational), scope_of(graded_company, lang)).grade
        assert [(b.label, b.color) for b in grade] == [(green[0], "green"), (green[1], "green")]


def test_the_pickers_list_one_teams_objectives_and_a_team_change_clears_the_objective(company):
    delight = fixture.objective_id(company, "Support", "Delight customers")
    view = objective.view(company, ObjectiveState(objective=delight), scope_of(company))
    assert view.team_filter.selected == "Support" and view.team_filter.values == ["Company", "Sales", "Support"]
    assert [o.label for o in view.objective_filter.options] == ["Delight customers", "Cut reply time"]
    assert view.objective_filter.selected == delight
    assert view.team_filter.chosen("Sales") == ObjectiveState(team="Sales")
    other = fixture.objective_id(company, "Support", "Cut reply time")
    assert view.objective_filter.chosen(other) == ObjectiveState(objective=other)
    # Opened without an objective: the company's own, its name in the reader's language.
    empty = objective.view(company, ObjectiveState(), scope_of(company, "id"))
    assert empty.team_filter.selected == "Company" and empty.team_filter.label_of("Company") == "Perusahaan"
    assert [o.label for o in empty.objective_filter.options] == ["Grow revenue"]
    assert empty.choose.text.startswith("Pilih tujuan di atas") and empty.shown.team == "Company"
    sales = objective.view(company, ObjectiveState(team="Sales"), scope_of(company))
    assert [o.label for o in sales.objective_filter.options] == ["Win new accounts", "Keep our customers"]


def test_an_objective_the_link_cannot_show_is_reported_and_the_picker_offered(company):
    for state, wording in ((ObjectiveState(objective=99999), "does not exist"),
                           (ObjectiveState(unread=(("objective", "abc"),)), "not an objective number")):
        view = objective.view(company, state, scope_of(company))
        assert [n.name for n in view.notices] == ["objective"] and wording in view.notices[0].text
        assert view.title == "" and view.objective_filter.selected is None and view.objective_filter.options
        assert view.link == ObjectiveState()
    nobody = objective.view(company, ObjectiveState(team="Nobody"), scope_of(company, "id"))
    assert [n.name for n in nobody.notices] == ["team"] and "Perusahaan" in nobody.notices[0].text
    assert nobody.team_filter.selected == "Company"


def test_a_cycle_without_objectives_and_a_company_without_a_cycle(company):
    store = open_store(":memory:")
    try:
        message, upload = objective.view(store, ObjectiveState(objective=1), scope_of(store, cycle=None)).empty
    finally:
        store.close()
    assert "Nothing here yet" in message.text and upload.link.page == "upload"
    message, _ = objective.view(company, ObjectiveState(), scope_of(company, cycle=None)).empty
    assert message.text == "There is no OKR cycle yet."
