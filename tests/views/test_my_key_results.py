"""My key results' view model (okrdash/views/my_key_results.py) on the fixture company."""

from __future__ import annotations

from okrdash import charts
from okrdash.access import LOCAL_ACCESS, Access, Role
from okrdash.viewstate import MyKeyResultsState
from okrdash.views import my_key_results
from okrdash.views.common import RowsAsCards
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def test_the_link_names_the_owner_and_those_due_a_check_in_come_first(company):
    view = my_key_results.view(company, MyKeyResultsState(owner="Dewi"), scope_of(company), LOCAL_ACCESS)
    assert view.notices == [] and view.owner_filter.selected == "Dewi"
    table = view.key_results.shown
    # Due first (no check-in since Monday 16 Nov), furthest behind first; then those checked in this week.
    assert list(table["Key result"]) == ["Cut the sales cycle from 60 to 40 days", "Keep monthly churn at most 2%",
                                         "Answer at least 95% of tickets in a day"]
    assert list(table["Checked in this week"]) == [False, True, True]
    assert list(table["Objective"]) == ["Sales · Win new accounts", "Sales · Keep our customers",
                                        "Support · Delight customers"]
    assert list(table["Current"]) == ["58", "1.5", "96"] and list(table["Progress"]) == ["10%", "100%", "100%"]
    assert view.key_results.bars == () and view.key_results.file_name is None
    # On a phone each row is a card headed by its key result, edged in its status colour (issue 24.5).
    assert view.key_results.cards == RowsAsCards("Key result", tuple(charts.STATUS_COLORS[kr["status"]]
                                                                      for kr in view.checkin))
    assert charts.STATUS_COLORS["Off Track"] not in view.key_results.cards.colors[1:]  # 100%, not Off Track
    assert view.caption == ("Dewi: 3 key result(s) this cycle, 1 without a check-in this week (since 16 Nov 2026); "
                            "those come first.")
    assert [kr["title"] for kr in view.checkin] == list(table["Key result"])
    assert view.weekly.link.href == "checkin?lang=en&cycle=2026-Q4&as_of=2026-11-20&owner=Dewi"
    assert view.shown == MyKeyResultsState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, owner="Dewi")


def test_a_stale_key_result_is_marked_beside_its_status_in_both_languages(company):
    # Dewi's sales cycle key result was last checked in on 2 Nov; the other two this week.
    for lang, status in (("en", "🔴 Off Track · 🕒 no recent check-in"),
                         ("id", "🔴 Keluar Jalur · 🕒 belum ada check-in baru")):
        view = my_key_results.view(company, MyKeyResultsState(owner="Dewi"), scope_of(company, lang), LOCAL_ACCESS)
        assert view.key_results.shown.iloc[:, 2].tolist()[0] == status
        assert ["🕒" in label for label in view.key_results.shown.iloc[:, 2]] == [True, False, False]


def test_a_signed_in_person_opens_on_their_own_unless_the_link_names_someone(company):
    sari = Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"Support"}), mode="oidc")
    view = my_key_results.view(company, MyKeyResultsState(), scope_of(company), sari)
    assert view.owner_filter.selected == "Sari" and len(view.key_results.shown) == 3
    assert my_key_results.view(company, MyKeyResultsState(owner="Rina"), scope_of(company),
                               sari).owner_filter.selected == "Rina"
    nobody = my_key_results.view(company, MyKeyResultsState(), scope_of(company), LOCAL_ACCESS)
    assert nobody.choose.text.startswith("Pick whose key results to see") and nobody.key_results is None


def test_an_unknown_owner_is_reported_and_one_without_key_results_this_cycle_said_so(company):
    view = my_key_results.view(company, MyKeyResultsState(owner="Ghost"), scope_of(company, "id"), LOCAL_ACCESS)
    assert [n.name for n in view.notices] == ["owner"] and "Ghost" in view.notices[0].text
    assert view.link == MyKeyResultsState()
    assert view.choose is not None
    earlier = my_key_results.view(company, MyKeyResultsState(owner="Rina"), scope_of(company, cycle=fixture.PREVIOUS),
                                  LOCAL_ACCESS)
    assert earlier.none.text == "Rina owns no key result in cycle 2026-Q3." and earlier.key_results is None
    assert my_key_results.view(company, MyKeyResultsState(owner="Rina"), scope_of(company, cycle=None),
                               LOCAL_ACCESS).no_cycle is not None
