"""The quarter review's view model (okrdash/views/review.py) on the fixture company."""

from __future__ import annotations

import datetime as dt

from okrdash import review
from okrdash.settings import Settings
from okrdash.store import open_store
from okrdash.viewstate import ReviewState
from okrdash.views import review as review_view
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def test_the_review_of_the_running_cycle(company):
    view = review_view.view(company, ReviewState(), scope_of(company))
    assert view.caption == "Cycle 2026\\-Q4 is still running: grades so far, as of 20 Nov 2026"
    assert [(c.label, c.count) for c in view.counts] == [("Teams with OKRs", 3), ("Objectives", 5), ("Key results", 10)]
    # Every grade read by its objective's type: a committed one is met at 1.0 or missed.
    distribution = view.distribution.shown
    assert list(distribution["Grade band"]) == ["Met (1.0)", "Missed (below 1.0)", "Green (0.7 or more)",
                                                "Yellow (0.4 to below 0.7)", "Red (below 0.4)", "Not graded (no data)"]
    assert list(distribution["Objectives"]) == ["1", "2", "0", "2", "0", "0"]
    assert list(distribution["Key results"]) == ["1", "4", "2", "1", "1", "1"]
    assert [chart["datasets"]["counts"]["count"].tolist() for chart in view.charts] == [
        [1, 2, 0, 2, 0, 0], [1, 4, 2, 1, 1, 1]]
    postmortem, raise_ambition = view.flagged
    # Committed objectives below 1.0 need a postmortem; no team's aspirational objectives average 0.9.
    assert postmortem.title == "Committed objectives that were missed"
    assert list(postmortem.table.shown["Objective"]) == ["Win new accounts", "Cut reply time"]
    assert list(postmortem.table.shown["Grade"]) == ["0.4", "0.0"]
    assert list(postmortem.table.shown["Grade band"]) == ["Missed (below 1.0)"] * 2
    assert raise_ambition.table is None and raise_ambition.none == "No team's aspirational objectives averaged that high."
    assert "average 0.9 or more" in raise_ambition.help and "about 0.7" in raise_ambition.help  # the rules' values
    # Each team's mean grade against 2026-Q3: Sales (1.0 + 0.4) / 2 = 0.7 against 1.0.
    by_team = view.by_team.shown.set_index("Team")
    assert list(by_team.loc["Sales", ["Mean grade", "Previous cycle", "Change"]]) == ["0.7", "1", "−0.3"]
    assert list(by_team.loc["Company", ["Previous cycle", "Change"]]) == ["–", "–"]
    assert view.by_team.rows().set_index("Team").loc["Sales", "Change"] == -0.3
    assert view.by_team_caption.startswith("Mean grade so far of each team's objectives in 2026\\-Q4, which is still "
                                           "running (as of 20 Nov 2026), against the final grades of 2026\\-Q3")
    assert list(view.objectives.shown["Grade"]) == ["0.5", "1.0", "0.4", "0.0", "0.6"]
    assert list(view.objectives.shown["Grade band"]) == ["Yellow (0.4 to below 0.7)", "Met (1.0)", "Missed (below 1.0)",
                                                         "Missed (below 1.0)", "Yellow (0.4 to below 0.7)"]
    assert list(view.key_results.shown["Grade"])[:2] == ["–", "0.5"]
    assert view.key_results.file_name == "review-2026-Q4-key_results.csv"
    assert view.shown == ReviewState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF)


def test_the_final_review_of_one_team_in_indonesian(company):
    view = review_view.view(company, ReviewState(team="Sales"), scope_of(company, "id", cycle=fixture.PREVIOUS))
    assert view.caption == "Siklus 2026\\-Q3, nilai akhir (dinilai pada hari terakhirnya, 30 Sep 2026)"
    assert view.team_filter.selected == "Sales" and view.shown.team == "Sales"
    objectives = view.objectives.shown
    assert list(objectives["Tim"]) == ["Sales"] and list(objectives["Nilai akhir"]) == ["1,0"]
    assert list(view.distribution.shown["Rentang nilai"])[:3] == ["Tercapai (1,0)", "Tidak tercapai (di bawah 1,0)",
                                                                  "Hijau (0,7 atau lebih)"]
    assert "belum ada siklus sebelumnya" in view.by_team_caption


def test_a_team_whose_aspirational_objectives_average_high_should_raise_its_ambition(company):
    # In 2026-Q3 Support's only aspirational objective reached 1.0.
    view = review_view.view(company, ReviewState(), scope_of(company, "id", cycle=fixture.PREVIOUS))
    raise_ambition = view.flagged[1]
    assert raise_ambition.title == "Tim yang perlu menaikkan ambisinya" and raise_ambition.none is None
    assert raise_ambition.table.shown.to_dict("list") == {
        "Tim": ["Support"], "Rata-rata aspirasional": ["1"], "Rata-rata aspirasional, siklus sebelumnya": ["–"]}


def test_a_team_the_cycle_does_not_have_is_reported_escaped_and_every_team_shown(company):
    view = review_view.view(company, ReviewState(team="[click](http://evil.example)"), scope_of(company))
    assert [n.name for n in view.notices] == ["team"] and "\\[click\\]\\(http" in view.notices[0].text
    assert view.team_filter.selected is None and view.link == ReviewState()
    assert view.team_filter.chosen("Support") == ReviewState(team="Support")
    assert view.team_filter.placeholder == "All teams"


def test_a_review_larger_than_a_table_sends_lists_the_first_rows_and_says_so(company, monkeypatch):
    monkeypatch.setattr(review, "REVIEW_ROWS", 2)
    view = review_view.view(company, ReviewState(), scope_of(company))
    assert len(view.key_results.shown) == 2 and len(view.key_results.rows()) == 10
    assert view.key_results.first_rows.startswith("The first 2 of 10 rows")
    assert view.counts[2].count == 10  # counted whole, listed in part


def test_no_cycle_and_a_cycle_without_objectives(company):
    store = open_store(":memory:")
    try:
        message, upload = review_view.view(store, ReviewState(), scope_of(store, cycle=None)).empty
    finally:
        store.close()
    assert "Nothing here yet" in message.text and upload.link.page == "upload"
    message, _ = review_view.view(company, ReviewState(), scope_of(company, cycle=None)).empty
    assert message.text == "There is no OKR cycle yet."


def test_grades_read_by_type_a_committed_0_8_is_missed_an_aspirational_0_7_green(graded_company):
    view = review_view.view(graded_company, ReviewState(team="Ops"), scope_of(graded_company, cycle=fixture.PREVIOUS))
    objectives = view.objectives.shown.set_index("Objective")
    assert objectives.loc["Open the new warehouse", ["Grade", "Grade band", "Flags"]].tolist() == [
        "0.8", "Missed (below 1.0)", "Postmortem"]
    assert objectives.loc["Halve returns", ["Grade", "Grade band", "Flags"]].tolist() == ["0.7", "Green (0.7 or more)", ""]
    assert objectives.loc["Ship same day", ["Grade band", "Flags"]].tolist() == ["Green (0.7 or more)", ""]
    postmortem, raise_ambition = view.flagged
    assert list(postmortem.table.shown["Objective"]) == ["Open the new warehouse"]
    # Aspirational 0.7 and 1.0 average 0.85: one 1.0 in a team that averages less is a success, not a flag.
    assert raise_ambition.table is None
    # The downloads carry band and flags; the grades are never given per person.
    rows = view.objectives.rows().set_index("Objective")
    assert rows.loc["Open the new warehouse", ["Grade", "Grade band", "Flags"]].tolist() == [
        0.8, "Missed (below 1.0)", "Postmortem"]
    for table in (view.objectives, view.key_results, postmortem.table, view.by_team):
        assert "Owner" not in table.shown and "Owner" not in table.rows()
        assert "Agus" not in table.rows().to_string()


def test_the_team_flags_in_both_languages(graded_company):
    for lang, flag, band, column in (("en", "Raise ambition", "Missed (below 1.0)", "Flags"),
                                     ("id", "Naikkan ambisi", "Tidak tercapai (di bawah 1,0)", "Tanda")):
        view = review_view.view(graded_company, ReviewState(), scope_of(graded_company, lang, cycle=fixture.PREVIOUS))
        by_team = view.by_team.rows()
        # Support's only aspirational objective reached 1.0: it averages 1.0; Ops averages 0.85.
        assert by_team.iloc[:, 0].tolist() == ["Ops", "Sales", "Support"] and by_team[column].tolist() == [
            "", "", flag]
        assert view.flagged[1].table.shown.iloc[:, 0].tolist() == ["Support"]
        objectives = view.objectives.shown.set_index(view.objectives.shown.columns[1])
        assert objectives.loc["Open the new warehouse", objectives.columns[3]] == band


def test_the_bands_are_named_with_the_rules_settings_not_restated():
    store = open_store(":memory:", Settings(grade_green_from=0.8, grade_yellow_from=0.5))
    try:
        fixture.load(store)
        fixture.load_graded(store)
        view = review_view.view(store, ReviewState(team="Ops"), scope_of(store, "id", cycle=fixture.PREVIOUS))
    finally:
        store.close()
    objectives = view.objectives.shown.set_index("Tujuan")
    # With green from 0.8, the aspirational 0.7 is yellow; the committed 0.8 is still missed.
    assert objectives.loc["Halve returns", "Rentang nilai"] == "Kuning (0,5 sampai di bawah 0,8)"
    assert objectives.loc["Open the new warehouse", "Rentang nilai"] == "Tidak tercapai (di bawah 1,0)"
    assert "hijau mulai 0,8" in view.distribution_help and "kuning mulai 0,5" in view.distribution_help


def test_a_finished_cycle_offers_its_unfinished_aspirational_objectives_to_carry(graded_company):
    view = review_view.view(graded_company, ReviewState(team="Ops"),
                            scope_of(graded_company, "id", cycle=fixture.PREVIOUS))
    # Halve returns (aspirational, 0.7) may go on; Ship same day reached 1.0; a missed committed one
    # gets a postmortem instead.
    assert view.carry.to.name == "2026-Q4"
    assert [o.label for o in view.carry.options] == ["Ops · Halve returns (0,7)"]
    assert view.carry.title == "Lanjutkan ke 2026\\-Q4"
    assert review_view.view(graded_company, ReviewState(), scope_of(graded_company)).carry is None  # still running


def test_comparing_a_cycle_still_running_says_its_grades_are_so_far(graded_company):
    """Issue 24.8: a quarter in progress against a finished one reads as grades so far, in both languages."""
    running = review_view.view(graded_company, ReviewState(), scope_of(graded_company))
    assert "so far" in running.by_team_caption and "still running" in running.by_team_caption
    indonesian = review_view.view(graded_company, ReviewState(), scope_of(graded_company, "id"))
    assert "sementara" in indonesian.by_team_caption and "masih berjalan" in indonesian.by_team_caption
    finished = review_view.view(graded_company, ReviewState(), scope_of(graded_company, as_of=dt.date(2027, 1, 15)))
    assert finished.by_team_caption and "so far" not in finished.by_team_caption
