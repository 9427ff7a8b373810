"""The quarter review's view model (okrdash/views/review.py) on the fixture company."""

from __future__ import annotations

from okrdash import review
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
    assert list(distribution["Grade band"]) == ["Met (1.0)", "Missed (below 1.0)", "0.7–1.0 (green)",
                                                "0.4–0.6 (yellow)", "0.0–0.3 (red)", "Not graded (no data)"]
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
    assert view.by_team_caption == "Mean grade of each team's objectives in 2026\\-Q4 against 2026\\-Q3."
    assert list(view.objectives.shown["Grade"]) == ["0.5", "1.0", "0.4", "0.0", "0.6"]
    assert list(view.objectives.shown["Grade band"]) == ["0.4–0.6 (yellow)", "Met (1.0)", "Missed (below 1.0)",
                                                         "Missed (below 1.0)", "0.4–0.6 (yellow)"]
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
                                                                  "0,7–1,0 (hijau)"]
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
