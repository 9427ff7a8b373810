"""The People page's view model (okrdash/views/people.py) on the fixture company with explicit people:
Rina is a person, Dewi is two people, Budi and Sari are nobody okrdash knows."""

from __future__ import annotations

import pandas as pd
import pytest

from okrdash import editing
from okrdash.access import Access, Role, admin_writer
from okrdash.people import PeopleRows, Person
from okrdash.viewstate import PeopleState
from okrdash.views import people
from okrdash.views.common import RowsAsCards
from tests.views.conftest import scope_of

ADMIN = admin_writer("admin@contoh.co.id")
PEOPLE = PeopleRows(source="people.xlsx", people=(
    Person(name="Rina", email="rina@contoh.co.id", language="en", team="Company"),
    Person(name="Dewi", email="dewi.a@contoh.co.id", manager_email="rina@contoh.co.id"),
    Person(name="dewi", email="dewi.b@contoh.co.id", whatsapp="+62 812 3456 7890"),
))


@pytest.fixture
def with_people(fresh_company):
    fresh_company.apply([PEOPLE.changes()], ADMIN)
    return fresh_company


def test_unknown_owners_and_ambiguities_are_listed(with_people):
    view = people.view(with_people, PeopleState(), scope_of(with_people), ADMIN)
    assert view.denied is None and view.empty is None
    assert list(view.people["email"]) == ["dewi.a@contoh.co.id", "dewi.b@contoh.co.id", "rina@contoh.co.id"]
    unknown = view.unknown.shown
    assert list(unknown["Owner"]) == ["Budi", "Budi", "Sari", "Sari", "Sari"]
    assert list(unknown["Key result"])[:2] == ["Launch the partner programme", "Sign 10 new accounts"]
    assert all(link.startswith("objective?lang=en&cycle=2026-Q4") and "&objective=" in link for link in unknown["Open"])
    # On a phone each row is a card headed by its owner (no status: no status colour).
    assert view.unknown.cards == view.ambiguous.cards == RowsAsCards("Owner")
    assert view.ambiguous.shown.to_dict("records") == [
        {"Owner": "Dewi", "People of this name": "Dewi (dewi.a@contoh.co.id), dewi (dewi.b@contoh.co.id)"}]
    assert "Language: English" in view.cards[-1].details and "Team: Company" in view.cards[-1].details


def test_in_indonesian(with_people):
    view = people.view(with_people, PeopleState(), scope_of(with_people, lang="id"), ADMIN)
    assert list(view.unknown.shown.columns) == ["Pemilik", "Tim", "Hasil kunci", "Buka"]
    assert view.unknown.shown["Tim"].iloc[0] == "Sales"
    assert "Bahasa: Bahasa Inggris" in view.cards[-1].details
    assert view.count == "3 orang"


def test_no_people_yet_says_how_to_add_them(fresh_company):
    view = people.view(fresh_company, PeopleState(), scope_of(fresh_company, lang="id"), ADMIN)
    assert view.empty is not None and "Unggah berkas daftar orang" in view.empty.text
    assert view.upload.link.page == "upload" and len(view.people) == 0
    assert list(view.unknown.shown["Pemilik"].unique()) == ["Budi", "Dewi", "Rina", "Sari"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_an_admin_sees_the_people(with_people, role):
    view = people.view(with_people, PeopleState(), scope_of(with_people), Access(role=role, who="x@contoh.co.id"))
    assert view.denied is not None and "Only an admin" in view.denied.text
    assert len(view.people) == 0 and view.unknown is None


def test_an_edit_adds_changes_and_removes_as_one_undoable_batch(with_people):
    opened = people.view(with_people, PeopleState(), scope_of(with_people), ADMIN).people
    version = with_people.people_version()
    edited = opened.copy()
    edited.loc[edited["email"] == "dewi.b@contoh.co.id", "name"] = "Dewi Lestari"  # no longer two Dewis
    edited = edited[edited["email"] != "rina@contoh.co.id"]                          # Rina removed
    edited = pd.concat([edited, pd.DataFrame([{"name": "Budi", "email": "budi@contoh.co.id", "language": "id"}])])
    plan = editing.plan_people_edit(opened, edited)
    assert [r["email"] for r in plan.rows] == ["dewi.b@contoh.co.id", "budi@contoh.co.id"]
    assert plan.removed == ("rina@contoh.co.id",)
    [written] = editing.save_people_edit(with_people, plan, version, ADMIN, {})
    after = people.view(with_people, PeopleState(), scope_of(with_people), ADMIN)
    assert sorted(after.unknown.shown["Owner"].unique()) == ["Rina", "Sari"]
    assert after.ambiguous is None
    # A second save over the version opened before is refused, naming the batch that changed it.
    with pytest.raises(editing.Conflict):
        editing.save_people_edit(with_people, plan, version, ADMIN, {})
    with_people.undo(written.batch_id, ADMIN)
    assert sorted(p["email"] for p in with_people.people()) == sorted(p.email for p in PEOPLE.people)


def test_a_bad_address_typed_in_the_table_is_named_and_nothing_is_written(with_people):
    opened = people.view(with_people, PeopleState(), scope_of(with_people), ADMIN).people
    edited = pd.concat([opened, pd.DataFrame([{"name": "Budi", "email": "budi@", "language": "id"}])])
    from okrdash.problems import ImportFailed

    with pytest.raises(ImportFailed) as failed:
        editing.save_people_edit(with_people, editing.plan_people_edit(opened, edited),
                                 with_people.people_version(), ADMIN, {"email": "Surel"})
    [problem] = failed.value.problems
    # Only the new row is written, but the problem names its place in the table: the fourth row.
    assert (problem.line, problem.column, problem.value, problem.code) == (4, "Surel", "budi@", "email_invalid")
    assert len(with_people.people()) == 3
