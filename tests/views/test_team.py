"""The team page's view model (okrdash/views/team.py) on the fixture company."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import charts, readmodels
from okrdash.i18n import translate
from okrdash.access import LOCAL_ACCESS, LOCAL_VIEWER, Access, Role
from okrdash.store import open_store
from okrdash.viewstate import HomeState, ReviewState, TeamState
from okrdash.views import overview, team
from okrdash.views import review as review_view
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def titles(view) -> list[str]:
    return [card.title for card in view.cards]


def key_results(view) -> list[str]:
    return [title for card in view.cards if card.key_results for title in card.key_results.table.shown["Key result"]]


def test_a_team_from_the_link_with_its_objectives_key_results_and_kpis(company):
    view = team.view(company, TeamState(team="Support"), scope_of(company), LOCAL_ACCESS)
    assert view.notices == [] and view.team == "Support" and view.message is None
    assert view.caption == "Support · cycle 2026-Q4, as of 20 Nov 2026"
    assert [(c.label, c.count) for c in view.counts] == [
        ("🟢 On Track", 0), ("🟠 At Risk", 2), ("🔴 Off Track", 1), ("🔵 Complete", 1), ("⚪ No Data", 0)]
    assert titles(view) == ["Delight customers", "Cut reply time"]
    delight = view.cards[0]
    assert (delight.badge.label, delight.badge.icon, delight.badge.color) == ("At Risk", "🟠", "orange")
    assert delight.meta == "Owner: Sari · Aspirational"
    assert delight.reason == "At Risk because 2 of 3 key results are At Risk\\."
    assert [bar.text for bar in delight.bar] == ["🟠 At Risk · 60% · expected by now 38%"]
    assert delight.link.link.href == (f"objective?lang=en&cycle=2026-Q4&as_of=2026-11-20"
                                      f"&objective={fixture.objective_id(company, 'Support', 'Delight customers')}")
    table = delight.key_results.table.shown
    assert list(table.columns) == ["Key result", "Status", "Progress", "Current", "Target", "Owner", "Confidence",
                                   "Last check-in"]
    assert list(table.iloc[1]) == ["Answer at least 95% of tickets in a day", "🟠 At Risk", "100%", "96%", "95%",
                                   "Dewi", "2", "17 Nov 2026"]
    # The download keeps numbers and every column, statuses in words.
    rows = delight.key_results.table.rows()
    assert rows["Current"].tolist() == [74.0, 96.0, 1.0] and rows["Status"].tolist()[0] == "At Risk"
    assert delight.key_results.table.file_name == "key-results-Support-6.csv".replace(
        "6", str(fixture.objective_id(company, "Support", "Delight customers")))
    assert [kr["title"] for kr in delight.checkin] == list(table["Key result"])  # the check-in form's choices
    # KPIs as tiles: the value with its unit, the change, the trend's colour, status and target.
    tiles = {tile.name: tile for tile in view.kpis}
    reply = tiles["Average reply time"]
    assert (reply.value, reply.delta, reply.delta_color, reply.recent) == ("48 minutes", "-4", "green", [52.0, 48.0])
    assert reply.caption == "🔴 Off Track · target 30 minutes"
    assert view.kpi_names == ["Average reply time", "First contact resolution"]
    assert view.shown == TeamState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, team="Support")


def test_stale_key_results_and_kpis_are_marked_beside_their_status_in_both_languages(company):
    for lang, check_in, measured, flags in (("en", "no recent check-in", "no recent measurement", "Flags"),
                                            ("id", "belum ada check-in baru", "belum ada pengukuran baru", "Tanda")):
        # 20 Nov: CSAT's last check-in was on the 10th (more than the weekly interval ago), the
        # 95% one's on the 17th.
        delight = team.view(company, TeamState(team="Support"), scope_of(company, lang), LOCAL_ACCESS).cards[0]
        status = delight.key_results.table.shown.iloc[:, 1].tolist()
        assert status[0].endswith(f" · 🕒 {check_in}") and "🕒" not in status[1]
        assert delight.key_results.bars[0].text.endswith(f" · 🕒 {check_in}") and "🕒" not in delight.key_results.bars[1].text
        # The download keeps the status in words and the flag in its own column.
        rows = delight.key_results.table.rows()
        assert rows[flags].tolist() == [check_in, "", check_in] and "🕒" not in rows.to_string()
        # The KPIs are measured weekly, last on 14 Nov: fresh on the 20th, stale by the 30th.
        assert not any("🕒" in tile.caption for tile in team.view(company, TeamState(team="Support"),
                                                                   scope_of(company, lang), LOCAL_ACCESS).kpis)
        later = team.view(company, TeamState(team="Support"), scope_of(company, lang, as_of=dt.date(2026, 11, 30)),
                          LOCAL_ACCESS)
        assert all(tile.caption.endswith(f" · 🕒 {measured}") for tile in later.kpis)


def test_the_status_and_owner_filters_run_in_sql_and_only_list_what_matches(company):
    scope = scope_of(company)
    off_track = team.view(company, TeamState(team="Sales", status=("Off Track",)), scope, LOCAL_ACCESS)
    assert titles(off_track) == ["Win new accounts"] and key_results(off_track) == [
        "Cut the sales cycle from 60 to 40 days"]
    # The status reason and the check-in form still count every key result of the objective.
    assert off_track.cards[0].reason.startswith("Off Track because 1 of 3")
    assert len(off_track.cards[0].checkin) == 3
    assert off_track.status_filter.selected == ("Off Track",)
    dewi = team.view(company, TeamState(team="Sales", owner="Dewi"), scope, LOCAL_ACCESS)
    assert titles(dewi) == ["Win new accounts", "Keep our customers"]
    assert key_results(dewi) == ["Cut the sales cycle from 60 to 40 days", "Keep monthly churn at most 2%"]
    assert dewi.owner_filter.values == ["Budi", "Dewi"] and dewi.owner_filter.selected == "Dewi"
    nothing = team.view(company, TeamState(team="Sales", status=("Complete",)), scope, LOCAL_ACCESS)
    assert nothing.cards == () and nothing.nothing_matches.text == "No key result matches these filters."
    # A requested status the team has none of stays a choice (so it can be taken off).
    assert "Complete" in nothing.status_filter.values and "At Risk" not in nothing.status_filter.values


def test_each_filter_gives_the_state_its_choices_lead_to(company):
    view = team.view(company, TeamState(team="Sales", status=("Off Track",), objective_page=1), scope_of(company),
                     LOCAL_ACCESS)
    status = view.status_filter
    assert status.toggled("On Track").status == ("Off Track", "On Track")
    assert status.toggled("Off Track").status == ()
    # A choice keeps the other filters shown (what the address holds: no language, cycle or date).
    assert status.chosen(["No Data", "Off Track"]) == TeamState(team="Sales", status=("No Data", "Off Track"))
    assert view.owner_filter.chosen("Budi").owner == "Budi" and view.owner_filter.chosen(None).owner is None
    assert view.team_filter.chosen("Support") == TeamState(team="Support", status=("Off Track",))
    assert view.team_filter.style == "segmented" and view.team_filter.required


def test_unknown_values_in_the_link_are_reported_and_not_applied(company):
    state = TeamState(team="Nobody", status=("Off Track", "Bogus"), owner="Ghost")
    view = team.view(company, state, scope_of(company, "id"), LOCAL_ACCESS)
    assert [n.name for n in view.notices] == ["team", "status", "owner"]
    # The address keeps what the page could use of the link.
    assert view.link == TeamState(status=("Off Track",))
    assert "Nobody" in view.notices[0].text and "Perusahaan" in view.notices[0].text
    assert view.team == "Company" and view.shown.status == ("Off Track",) and view.shown.owner is None
    assert "Bogus" in view.notices[1].text and "Ghost" in view.notices[2].text


def test_the_company_is_named_in_the_readers_language_and_linked_by_its_stored_name(company):
    view = team.view(company, TeamState(), scope_of(company, "id"), LOCAL_ACCESS)
    assert view.team == "Company" and view.caption.startswith("Perusahaan · siklus 2026-Q4")
    assert view.team_filter.label_of("Company") == "Perusahaan" and view.team_filter.values == [
        "Company", "Sales", "Support"]
    assert view.team_filter.chosen("Company").team == "Company"
    assert view.kpis[0].caption.startswith("🟢 Sesuai Jalur · target 2 sampai 8")


def test_a_signed_in_editor_starts_on_their_own_team_unless_the_link_names_one(company):
    sari = Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"support"}), mode="oidc")
    assert team.view(company, TeamState(), scope_of(company), sari).team == "Support"  # compared as names are
    assert team.view(company, TeamState(team="Sales"), scope_of(company), sari).team == "Sales"
    assert team.view(company, TeamState(), scope_of(company), LOCAL_VIEWER).team == "Company"


def test_objectives_a_page_at_a_time_and_a_page_the_team_does_not_have(company):
    scope = scope_of(company, "id")
    first = team.view(company, TeamState(team="Sales"), scope, LOCAL_ACCESS, per_page=1)
    assert titles(first) == ["Win new accounts"] and first.objectives_shown.startswith("Tujuan 1–1 dari 2")
    assert first.page_filter.values == [1, 2] and first.page_filter.selected == 1
    assert first.page_filter.chosen(2).objective_page == 2
    # Choosing a status or an owner starts the list again from its first page.
    assert first.status_filter.chosen(["On Track"]).objective_page is None
    second = team.view(company, TeamState(team="Sales", objective_page=2), scope, LOCAL_ACCESS, per_page=1)
    assert titles(second) == ["Keep our customers"] and second.shown.objective_page == 2
    beyond = team.view(company, TeamState(team="Sales", objective_page=7), scope, LOCAL_ACCESS, per_page=1)
    assert titles(beyond) == ["Win new accounts"] and beyond.shown.objective_page is None
    assert [n.name for n in beyond.notices] == ["objective_page"] and "halaman 7" in beyond.notices[0].text
    assert beyond.link == TeamState(team="Sales") and second.link == TeamState(team="Sales", objective_page=2)
    assert team.view(company, TeamState(team="Sales"), scope, LOCAL_ACCESS).page_filter is None


def test_a_team_with_no_objectives_in_the_cycle_and_a_company_without_cycles(company):
    earlier = team.view(company, TeamState(team="Company"), scope_of(company, cycle=fixture.PREVIOUS), LOCAL_ACCESS)
    assert earlier.message.text == "Company has no objectives in cycle 2026-Q3." and earlier.cards == ()
    assert earlier.cycle.name == fixture.PREVIOUS  # the OKR editor is still offered, to write some
    no_cycle = team.view(company, TeamState(team="Sales"), scope_of(company, cycle=None), LOCAL_ACCESS)
    assert no_cycle.message.text == "There is no OKR cycle yet." and no_cycle.cycle is None
    assert [tile.name for tile in no_cycle.kpis] == ["Closed deals"]


def test_the_teams_okrs_file_is_in_the_readers_language(company):
    view = team.view(company, TeamState(team="Sales"), scope_of(company, "id"), LOCAL_ACCESS)
    assert view.okrs_file_name == "okrs-Sales-2026-Q4.csv"
    okrs = view.okrs_file()
    assert {"Tim", "Tujuan", "Hasil kunci", "Nilai awal"} <= set(okrs.columns)
    assert set(okrs["Tujuan"]) == {"Win new accounts", "Keep our customers"}


def test_no_team_at_all_says_so():
    store = open_store(":memory:")
    try:
        view = team.view(store, TeamState(team="Sales"), scope_of(store, cycle=None), LOCAL_ACCESS)
    finally:
        store.close()
    message, upload = view.empty
    assert "Nothing here yet" in message.text and upload.link.page == "upload"


def test_the_team_page_read_model_pages_in_sql(company):
    cycle = fixture.cycle(company)
    page = readmodels.team_page(company, "Sales", cycle, fixture.AS_OF, ("On Track", "No Data"), None, 2, 1)
    assert (page.team_objectives, page.listed, page.pages, page.page) == (2, 2, 2, 2)
    assert list(page.objectives["title"]) == ["Keep our customers"]
    assert page.owners == ["Budi", "Dewi"] and page.status_counts["Off Track"] == 1
    none = readmodels.team_page(company, "Sales", cycle, fixture.AS_OF, (), "x'); DROP TABLE kpis; --")
    assert (none.listed, none.pages, none.page, len(none.objectives)) == (0, 1, 1, 0)  # a value, never SQL


def test_a_teams_own_attention_list_off_track_at_risk_stale_and_low_confidence_biggest_gap_first(company):
    """Issue 24.6: the team page lists what needs attention in that team only, in the overview's order."""
    whole = overview.view(company, HomeState(), scope_of(company)).attention.shown
    for name in ("Sales", "Support"):
        view = team.view(company, TeamState(team=name), scope_of(company), LOCAL_ACCESS)
        shown = view.attention.shown
        assert set(shown["Team"]) == {name}
        assert list(shown["Title"]) == [title for title, team_ in zip(whole["Title"], whole["Team"]) if team_ == name]
        # On a phone each row is a card headed by its title, edged in its status's colour.
        assert view.attention.cards.title == "Title"
        assert list(view.attention.cards.colors) == [charts.STATUS_COLORS[next(
            status for status in charts.STATUS_ICONS if label.startswith(charts.STATUS_ICONS[status]))]
            for label in shown["Status"]]
        assert view.attention.file_name == f"needs-attention-{name}-2026-Q4.csv" and view.all_clear is None


@pytest.fixture(scope="module")
def banded_company():
    store = fixture.new_store()
    fixture.load_bands(store)
    yield store
    store.close()


def grades(view) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Each objective card's grade badges: label, icon, colour."""
    return {card.title: tuple((b.label, b.icon, b.color) for b in card.grade) for card in view.cards}


@pytest.mark.parametrize("lang, committed, aspirational, type_words", [
    ("en", ("Final grade 0.9", "Missed (below 1.0)", "Postmortem"), ("Final grade 0.7", "Green (0.7 or more)"),
     ("Committed", "Aspirational")),
    ("id", ("Nilai akhir 0,9", "Tidak tercapai (di bawah 1,0)", "Perlu postmortem"),
     ("Nilai akhir 0,7", "Hijau (0,7 atau lebih)"), ("Komitmen", "Aspirasional"))])
def test_a_finished_cycle_grades_each_objective_by_its_type_as_the_review_does(banded_company, lang, committed,
                                                                               aspirational, type_words):
    scope = scope_of(banded_company, lang, cycle=fixture.PREVIOUS)
    view = team.view(banded_company, TeamState(team="Field"), scope, LOCAL_ACCESS)
    # A committed objective at 0.93 is a miss with a postmortem, never green; an aspirational 0.7 is green.
    assert grades(view) == {
        "Open the depot": ((committed[0], "🎓", "red"), (committed[1], "", "red"), (committed[2], "", "red")),
        "Cut fuel use": ((aspirational[0], "🎓", "green"), (aspirational[1], "", "green"))}
    assert [card.meta.endswith(kind) for card, kind in zip(view.cards, type_words)] == [True, True]
    # The status card for the chat says the same grades, a line under each objective's bar.
    assert {row.title: row.grade for row in team.status_card_content(banded_company, scope, "Field").rows} == {
        "Open the depot": " · ".join(committed), "Cut fuel use": " · ".join(aspirational)}
    assert view.grades_caption.startswith("Grades of 2026\\-Q3 are final" if lang == "en" else
                                          "Nilai siklus 2026\\-Q3 sudah final")
    assert view.ambition is None  # aspirational objectives averaging 0.7: no flag
    # The download carries type, grade (a number), band and flags; no owner, so no grade per person.
    rows = view.objectives.rows().set_index(translate("common.objective", lang))
    grade, band = translate("common.grade", lang), translate("review.band", lang)
    assert rows.loc["Open the depot", [translate("review.type", lang), grade]].tolist() == [type_words[0], 0.9]
    assert rows.loc["Open the depot", band] == committed[1] and rows.loc["Cut fuel use", band] == aspirational[1]
    assert rows.loc["Open the depot", translate("review.flags", lang)] == committed[2]
    assert "Agus" not in rows.to_string() and view.objectives.file_name == "objectives-Field-2026-Q3.csv"
    # The same numbers as the quarter review, which reads them from the same rows.
    reviewed = review_view.view(banded_company, ReviewState(team="Field"), scope).objectives.rows()
    assert reviewed.set_index(translate("common.objective", lang))[band].to_dict() == rows[band].to_dict()


def test_a_team_whose_aspirational_objectives_average_high_is_told_to_raise_its_ambition(banded_company):
    for lang, words in (("en", "Sprint's aspirational objectives averaged 1"), ("id", "rata-rata bernilai 1 di siklus 2026\\-Q3")):
        view = team.view(banded_company, TeamState(team="Sprint"), scope_of(banded_company, lang, cycle=fixture.PREVIOUS),
                         LOCAL_ACCESS)
        assert words in view.ambition.text and view.ambition.kind == "warning"
        # One objective at 1.0 is a success: green, and no flag on the objective.
        assert [color for _, _, color in grades(view)["Ship every route"]] == ["green", "green"]


def test_a_running_cycle_shows_the_grade_so_far_as_provisional_without_a_band(company):
    for lang, so_far, caption in (("en", "Grade so far 0.6 (provisional)", "final when it ends on 31 Dec 2026"),
                                  ("id", "Nilai sementara 0,6 (belum final)", "final saat siklus berakhir, 31 Des 2026")):
        view = team.view(company, TeamState(team="Support"), scope_of(company, lang), LOCAL_ACCESS)
        assert grades(view)["Delight customers"] == ((so_far, "⏳", "gray"),)
        assert caption in view.grades_caption and view.ambition is None
        # The download says what the page says: the grade so far, no band yet.
        rows = view.objectives.rows()
        assert translate("review.band", lang) not in rows and translate("team.grade_so_far_column", lang) in rows
