"""My key results: bound to ?owner=, opens on the signed-in person, the ones due a check-in first."""

from __future__ import annotations

import datetime as dt

from okrdash import readmodels
from okrdash.access import Access, Role
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/my_key_results.py"


def expected_order(db, owner: str) -> list[tuple[str, bool]]:
    store = open_store(db)
    try:
        krs = store.kr_scores(dt.date.fromisoformat(AS_OF), cycle=CYCLE)
    finally:
        store.close()
    monday = readmodels.week_start(dt.date.fromisoformat(AS_OF))
    mine = krs[krs["owner"] == owner]
    due = [t for t, last in zip(mine["title"], mine["last_checkin"]) if last is None or last != last
           or last.date() < monday]
    return due


def test_the_link_names_the_owner_and_the_ones_due_a_check_in_come_first(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, owner="Rizky")
    assert not app.exception
    assert app.selectbox(key="owner").value == "Rizky"
    table = app.dataframe[0].value
    assert len(table) > 0
    flags = list(table["Checked in this week"])
    assert flags == sorted(flags)  # every False (due) before every True
    due = expected_order(demo_db, "Rizky")
    assert set(table["Key result"][: len(due)]) == set(due)
    assert f"{len(due)} without a check-in this week" in app.caption[0].value
    assert any("Check in" in e.label for e in app.expander)  # local mode: an admin may check in


def test_signed_in_person_opens_on_their_own(demo_db, make_app, as_person):
    as_person(Access(role=Role.EDITOR, who="rizky@contoh.co.id", teams=frozenset({"Engineering"}), mode="oidc"))
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert app.selectbox(key="owner").value == "Rizky"
    assert len(app.dataframe[0].value) > 0


def test_unknown_owner_in_the_link_is_reported(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, owner="Ghost", lang="id")
    assert not app.exception
    assert any("Ghost" in w.value for w in app.warning)
    assert app.title[0].value.endswith("Hasil kunci saya")


def test_owner_of_matches_the_address_or_its_local_part():
    owners = ["Rizky", "maya@contoh.co.id", "Dewi"]
    assert readmodels.owner_of("Maya@Contoh.co.id", owners) == "maya@contoh.co.id"
    assert readmodels.owner_of("rizky@contoh.co.id", owners) == "Rizky"
    assert readmodels.owner_of("someone@contoh.co.id", owners) is None
    assert readmodels.owner_of(None, owners) is None
    assert readmodels.week_start(dt.date(2026, 11, 22)) == dt.date(2026, 11, 16)
