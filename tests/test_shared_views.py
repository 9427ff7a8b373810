"""View models shared by every session (okrdash/ui/caching.shared_view): one object per view and
write version, a new one after any write or undo, never one built across a write."""

from __future__ import annotations

import pytest

from okrdash import demo, editing, readmodels
from okrdash.access import admin_writer
from okrdash.ui import caching
from okrdash.views import kpis as kpis_view
from okrdash.views import team as team_view
from okrdash.views.common import Scope
from okrdash.viewstate import KpisState, TeamState

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


def test_a_kpis_stored_definition_is_shared_read_only_and_new_after_its_edit(store):
    # The definition editor starts from the KPI's stored definition, kept in the shared view model
    # (one query for the one KPI, not 5,000 definitions read per view): no session may change the
    # object the others draw, and an edit shows in the next view.
    demo.load_demo(store, anchor=AS_OF)
    cycle = readmodels.pick_cycle(store, None, AS_OF)
    kpi = store.kpi_scores(AS_OF).iloc[0]
    scope, state = Scope("en", cycle, AS_OF), KpisState(kpi=int(kpi["kpi_id"]))

    def session_definition():
        return caching.shared_view(kpis_view.view, store, state, scope, frozenset()).detail.definition

    first = session_definition()
    stored = next(d for d in store.kpi_definitions() if (d["team"], d["name"]) == (kpi["team"], kpi["name"]))
    assert session_definition() is first and dict(first) == stored
    with pytest.raises(TypeError):
        first["target"] = 1.0  # type: ignore[index]
    editing.save_kpi_definition(store, kpi["team"], kpi["name"], {"target": "4242"},
                                store.kpi_version(kpi["team"], kpi["name"]), admin_writer("lead"), {"target": "Target"})
    after_edit = session_definition()
    assert after_edit is not first and after_edit["target"] == 4242.0 and first["target"] == stored["target"]
