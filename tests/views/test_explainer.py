"""The OKR vs KPI page's view model (okrdash/views/explainer.py): the worked cases on the real rules, the
examples filtered from the link, the good practice with the coach's checks."""

from __future__ import annotations

import pytest

from okrdash import examples
from okrdash.coach import CHECKS
from okrdash.i18n import translate
from okrdash.viewstate import ExplainerState
from okrdash.views import explainer
from okrdash.views.common import Words
from tests.views.conftest import scope_of

START = explainer.CASE_INPUTS


def test_the_reply_time_kpi_and_its_key_result_on_the_real_rules():
    cases = explainer.worked_cases(Words("en"), START)
    assert cases.reply_kpi.status == "🔴 Off Track"                      # 48 against 30 or less
    assert cases.reply_kpi.target == "Target: 30 minutes or less (lower is better)."
    assert "48 minutes against a target of 30 minutes" in cases.reply_kpi.why
    assert (cases.reply_kr.progress, cases.reply_kr.status) == ("44%", "🟢 On Track")   # 48 -> 30, now 40
    assert cases.reply_kr.expected.startswith("By 15 May 2026, 49% of the cycle has passed")
    better = explainer.worked_cases(Words("en"), {**START, "ex_reply_kpi": 25, "ex_reply_kr": 30})
    assert better.reply_kpi.status == "🟢 On Track" and better.reply_kpi.why is None
    assert (better.reply_kr.progress, better.reply_kr.status) == ("100%", "🔵 Complete")


def test_the_nps_kpi_becomes_an_okr_below_target_and_not_above_it():
    cases = explainer.worked_cases(Words("en"), START)
    assert cases.nps_kpi.status == "🔴 Off Track"                         # 4 against 10 or more
    assert "Improve the customer experience" in cases.nps_okr
    assert "Raise Net Promoter Score \\(NPS\\) from 4 to 10 points" in cases.nps_okr
    assert cases.nps_kr.progress == "50%"                                # 4 -> 10, now 7
    assert explainer.worked_cases(Words("en"), {**START, "ex_nps_kr": 10}).nps_kr.status == "🔵 Complete"
    fine = explainer.worked_cases(Words("id"), {**START, "ex_nps_kpi": 10})
    assert fine.nps_kpi.status == "🟢 Sesuai Jalur" and fine.nps_okr is None and fine.nps_kr is None
    assert explainer.worked_cases(Words("id"), START).reply_kr.progress == "44%"


def test_the_example_filters_come_from_the_link(company):
    state = ExplainerState(ex_category="sales", ex_team="marketing", ex_role="hr_officer", ex_type="bogus")
    view = explainer.view(company, state, scope_of(company))
    assert [n.name for n in view.notices] == ["ex_type"]
    assert view.link == ExplainerState(ex_category="sales", ex_team="marketing", ex_role="hr_officer")
    assert view.filters["ex_category"].selected == "sales" and view.filters["ex_type"].selected is None
    table = view.kpi_examples.shown
    assert set(table["Category"]) == {"Sales"} and len(table) == len(examples.kpi_examples(category="sales"))
    teams = " ".join(card.title for card in view.team_cards)
    assert "Strengthen brand visibility and organic growth" in teams and "Sell more efficiently" not in teams
    (role,) = view.roles
    assert role.heading == "HR officer" and "Improve how we hire and keep our people" in role.cards[0].title
    assert set(view.loadable["kpi"]) == {e.key for e in examples.kpi_examples(category="sales")}
    assert view.shown.ex_category == "sales" and view.shown.ex_type is None
    assert view.filters["ex_team"].chosen("sales") == view.link.with_(ex_team="sales")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_comparison_and_the_good_practice_with_every_coach_check(company, lang):
    view = explainer.view(company, ExplainerState(), scope_of(company, lang))
    aspects = view.comparison[translate("explainer.aspect_column", lang)]
    assert list(aspects)[0] == translate("explainer.aspect.purpose", lang) and len(aspects) == 10
    checked = " ".join(p.checked_by or "" for p in view.practice)
    # Each check by its translated name: an internal code such as objective_has_number never shows.
    assert all(f"**{translate(f'coach.{check}.name', lang)}**" in checked for check in CHECKS)
    assert not any(check in checked for check in CHECKS)
    days = company.config.checkin_interval_days
    assert f"more than {days} days" in checked or f"lebih dari {days} hari" in checked  # the stale rule, from settings
    assert [p.unchecked for p in view.practice].count(True) == 1
    assert [link.link.page for link in view.links] == ["kpis", "home"]
    assert len(view.roles) == len(examples.ROLES) and view.teams == ["Company", "Sales", "Support"]
