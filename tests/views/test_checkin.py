"""The weekly check-in's view model (okrdash/views/checkin.py) and its one save
(okrdash/checkins.py ``record_weekly``) on the fixture company."""

from __future__ import annotations

import dataclasses

import pytest

from okrdash import checkins
from okrdash.access import LOCAL_ACCESS, Access, Role
from okrdash.importing.reading import NumberFormat
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.viewstate import CheckinState
from okrdash.views import checkin
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of

SALES_EDITOR = Access(role=Role.EDITOR, who="budi@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")


def open_checkin(store, owner: str, lang: str = "en", access: Access = LOCAL_ACCESS) -> checkin.CheckinView:
    return checkin.view(store, CheckinState(owner=owner), scope_of(store, lang), access, today=fixture.AS_OF)


def test_every_key_result_of_the_owner_is_on_one_screen_with_its_last_check_in(company):
    view = open_checkin(company, "Dewi")
    assert view.notices == [] and view.owner_filter.selected == "Dewi"
    # Across teams; the one not checked in this week first.
    assert [item.ref.key_result for item in view.items] == [
        "Cut the sales cycle from 60 to 40 days", "Keep monthly churn at most 2%",
        "Answer at least 95% of tickets in a day"]
    assert [item.ref.team for item in view.items] == ["Sales", "Sales", "Support"]
    first = view.items[0]
    assert first.previous == "Last check-in: 58 days on 2 Nov 2026"
    assert first.status.endswith("not checked in this week") and "🕒" in first.status
    assert view.items[1].status.endswith("checked in this week")
    assert first.value_label == "New value (days)" and not first.milestone and first.editable
    assert view.day == fixture.AS_OF and view.complete == () and view.follows_kpi is None
    assert view.caption.startswith("Dewi: 3 open key result(s) this cycle, 1 not checked in this week")
    assert view.shown == CheckinState(lang="en", cycle="2026-Q4", as_of=fixture.AS_OF, owner="Dewi")
    assert view.my_key_results.link.state.owner == "Dewi"


def test_complete_ones_are_folded_away_and_those_following_a_kpi_named_in_indonesian(company):
    view = open_checkin(company, "Sari", "id")
    assert [item.ref.key_result for item in view.items] == ["Raise CSAT from 70 to 90"]
    assert [item.ref.key_result for item in view.complete] == ["Publish the help centre"]
    assert view.complete[0].milestone and view.complete[0].previous == "Check-in terakhir: Selesai pada 20 Okt 2026"
    assert "minggu ini" not in view.complete[0].status  # a complete key result owes nothing
    assert view.follows_kpi == ("Mengikuti pengukuran KPI, jadi tidak di-check-in di sini: "
                                "Bring the average reply time to 30 minutes → Average reply time.")
    assert view.items[0].previous == "Check-in terakhir: 74 pada 10 Nov 2026"
    assert view.caption.startswith("Sari: 1 hasil kunci terbuka")


def test_the_reader_may_write_only_the_key_results_of_their_teams(company):
    view = open_checkin(company, "Dewi", access=SALES_EDITOR)
    assert [item.editable for item in view.items] == [True, True, False] and view.read_only is None
    viewer = open_checkin(company, "Dewi", access=dataclasses.replace(SALES_EDITOR, role=Role.VIEWER))
    assert not any(item.editable for item in viewer.items) and viewer.read_only is not None


def test_nobody_picked_an_unknown_owner_and_no_cycle(company):
    assert open_checkin(company, None).choose.text.startswith("Pick whose weekly check-in")
    ghost = open_checkin(company, "Ghost <b>")
    assert [n.name for n in ghost.notices] == ["owner"] and r"Ghost \<b\>" in ghost.notices[0].text
    assert ghost.link == CheckinState() and ghost.items == ()
    sari = Access(role=Role.EDITOR, who="sari@contoh.co.id", teams=frozenset({"Support"}), mode="oidc")
    assert checkin.view(company, CheckinState(), scope_of(company), sari).owner_filter.selected == "Sari"
    assert checkin.view(company, CheckinState(owner="Rina"), scope_of(company, cycle=None),
                        LOCAL_ACCESS).no_cycle is not None


def entries(view: checkin.CheckinView, **typed: tuple) -> list[checkins.Entry]:
    """An entry per open key result: ``typed`` by the start of its title, the others blank."""
    out = []
    for item in view.items:
        given = next((v for k, v in typed.items() if item.ref.key_result.lower().startswith(k.replace("_", " "))), ())
        out.append(checkins.Entry(item.ref, *given))
    return out


def test_one_save_is_one_batch_of_the_key_results_not_left_blank_read_in_indonesian(fresh_company):
    view = open_checkin(fresh_company, "Dewi", "id")
    before = len(fresh_company.batches())
    typed = entries(view, cut=("55,5", "tinggi", "Dua akun lagi"), answer=("97", None, None))
    result = checkins.record_weekly(fresh_company, typed, view.day, LOCAL_ACCESS, view.labels, today=fixture.AS_OF,
                                    numbers=NumberFormat.ID)
    (written,) = result.written
    assert len(fresh_company.batches()) == before + 1
    assert (written.file_name, written.inserted) == (checkins.WEEKLY_CHECKIN, 2)
    after = open_checkin(fresh_company, "Dewi")
    values = {item.ref.key_result: item.previous for item in after.items}
    assert values["Cut the sales cycle from 60 to 40 days"] == \
        r"Last check-in: 55\.5 days on 20 Nov 2026 · «Dua akun lagi»"
    assert values["Answer at least 95% of tickets in a day"] == "Last check-in: 97% on 20 Nov 2026"
    assert values["Keep monthly churn at most 2%"] == "Last check-in: 1\\.5% on 18 Nov 2026"  # left blank
    # Undone as one: both check-ins go.
    fresh_company.undo(written.batch_id, LOCAL_ACCESS)
    assert open_checkin(fresh_company, "Dewi").items[0].previous == "Last check-in: 58 days on 2 Nov 2026"


def test_a_problem_names_its_key_result_and_nothing_is_written(fresh_company):
    view = open_checkin(fresh_company, "Dewi", "id")
    before = len(fresh_company.batches())
    typed = entries(view, cut=("55", None, None), keep=(None, "sangat", "catatan"), answer=("9x7", None, None))
    with pytest.raises(ImportFailed) as failed:
        checkins.record_weekly(fresh_company, typed, view.day, LOCAL_ACCESS, view.labels, numbers=NumberFormat.ID)
    assert len(fresh_company.batches()) == before
    written = [item for item, entry in zip(view.items, typed) if not entry.blank]
    text = checkin.refusal(scope_of(fresh_company, "id").words, failed.value.problems, written)
    lines = text.split("  \n")
    assert lines[0] == "Tidak ada yang disimpan:"
    # The churn row: a note and a confidence but no value; the reply row: a value that is no number.
    assert any(line.startswith("**Keep monthly churn at most 2%** · Keyakinan «sangat»") for line in lines), lines
    assert any(line.startswith("**Answer at least 95% of tickets in a day** · Nilai baru «9x7»") for line in lines), \
        lines


def test_nothing_typed_is_refused_and_a_team_the_writer_may_not_write_refuses_the_whole_save(fresh_company):
    view = open_checkin(fresh_company, "Dewi")
    with pytest.raises(ImportFailed) as failed:
        checkins.record_weekly(fresh_company, entries(view), view.day, LOCAL_ACCESS, view.labels)
    assert [p.code for p in failed.value.problems] == ["weekly_checkin_blank"]
    before = len(fresh_company.batches())
    typed = entries(view, cut=("50", None, None), answer=("97", None, None))  # Sales and Support
    with pytest.raises((ImportFailed, StoreError)):
        checkins.record_weekly(fresh_company, typed, view.day, SALES_EDITOR, view.labels)
    assert len(fresh_company.batches()) == before


def test_the_check_ins_i_owe_this_week_link_to_my_weekly_check_in(fresh_company):
    budi = Access(role=Role.EDITOR, who="budi@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")
    # Signed in, I am the owner my address names (Budi: his milestone is not checked in this week).
    owed = checkin.owed(fresh_company, scope_of(fresh_company, "id"), budi, chosen="Dewi")
    assert owed.label == "1 check-in belum dilakukan minggu ini" and owed.link.state.owner == "Budi"
    assert owed.link.href == "checkin?lang=id&cycle=2026-Q4&as_of=2026-11-20&owner=Budi"
    # In local mode, the owner chosen last; nobody chosen (or no cycle), nothing to say.
    assert checkin.owed(fresh_company, scope_of(fresh_company), LOCAL_ACCESS, chosen="Dewi").link.state.owner == "Dewi"
    assert checkin.owed(fresh_company, scope_of(fresh_company), LOCAL_ACCESS) is None
    assert checkin.owed(fresh_company, scope_of(fresh_company, cycle=None), budi) is None
    # A complete key result owes nothing; once Dewi checks in her sales cycle, she owes nothing either.
    view = open_checkin(fresh_company, "Dewi")
    checkins.record_weekly(fresh_company, entries(view, cut=("57", None, None)), view.day, LOCAL_ACCESS, view.labels)
    done = checkin.owed(fresh_company, scope_of(fresh_company), LOCAL_ACCESS, chosen="Dewi")
    assert done.label == "All checked in this week" and done.icon == "✅"


def test_a_known_unit_is_named_in_the_readers_language(company):
    (first, *_) = open_checkin(company, "Dewi", "id").items
    assert first.value_label == "Nilai baru (hari)"  # "days", stored as typed


def test_the_last_check_ins_are_read_in_one_query_not_each_key_result_s_history(company, store_reads):
    """Each item shows only its last check-in: the view reads those, for all items at once."""
    asked = store_reads
    view = open_checkin(company, "Dewi")
    assert [item.previous for item in view.items][0] == "Last check-in: 58 days on 2 Nov 2026"
    assert [name for name in asked if name in ("checkin_histories", "last_checkins")] == ["last_checkins"]
