"""View models shared by every session (okrdash/ui/caching.shared_view): one object per view and
write version, a new one after any write or undo, never one built across a write."""

from __future__ import annotations

import pytest

from okrdash import demo, readmodels
from okrdash.access import admin_writer
from okrdash.ui import caching
from okrdash.views import team as team_view
from okrdash.views.common import Scope
from okrdash.viewstate import TeamState

pytestmark = pytest.mark.both_backends

AS_OF = demo.DEMO_ANCHOR


def current_of(view, key_result_id: int) -> float:
    for card in view.cards:
        for row in card.checkin:
            if row["key_result_id"] == key_result_id:
                return float(row["current"])
    raise AssertionError(f"key result {key_result_id} not on the page")


def test_sessions_share_a_view_until_a_write_and_an_undo_makes_it_new(store, load):
    demo.load_demo(store, anchor=AS_OF)
    cycle = readmodels.pick_cycle(store, None, AS_OF)
    row = store.kr_scores(AS_OF, cycle=cycle.name).query("kpi_id.isna()").dropna(subset=["current"]).iloc[0]
    scope, access, state = Scope("en", cycle, AS_OF), admin_writer("lead"), TeamState(team=row["team"])

    def session_view():
        return caching.shared_view(team_view.view, store, state, scope, access, 1000)

    first = session_view()
    assert session_view() is first  # a second session draws the same view model
    result = load(("checkins.csv", "team,key_result,cycle,date,value\n"
                                   f"{row['team']},{row['title']},{row['cycle']},{AS_OF.isoformat()},4242\n"))
    after_write = session_view()
    assert after_write is not first and current_of(after_write, int(row["key_result_id"])) == 4242.0
    store.undo(result.written[0].batch_id, admin_writer("lead"))
    after_undo = session_view()
    assert after_undo is not after_write
    assert current_of(after_undo, int(row["key_result_id"])) == current_of(first, int(row["key_result_id"]))


def test_a_view_built_while_a_write_commits_is_served_once_not_kept(store, load):
    demo.load_demo(store, anchor=AS_OF)
    cycle = readmodels.pick_cycle(store, None, AS_OF)
    row = store.kr_scores(AS_OF, cycle=cycle.name).dropna(subset=["current"]).iloc[0]
    built: list[int] = []

    def view_across_a_write(store_, value):
        built.append(value)
        load(("checkins.csv", "team,key_result,cycle,date,value\n"
                              f"{row['team']},{row['title']},{row['cycle']},{AS_OF.isoformat()},{value}\n"))
        return object()

    first = caching.shared_view(view_across_a_write, store, 1)
    second = caching.shared_view(view_across_a_write, store, 1)
    assert first is not second and built == [1, 1]
