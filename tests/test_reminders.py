"""The weekly rhythm's schedule, people and what is due (issue 25): okrdash/reminders.py, okrdash/people.py
and the people and reminders_sent tables of both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from okrdash.access import Access, Role, admin_writer
from okrdash.importing import Upload, import_files
from okrdash.models import Status
from okrdash.people import PeopleRows, Person, match_owners, stored_people
from okrdash.reminders import Schedule, due
from okrdash.settings import SCHEDULE_SETTINGS, SOURCES, Settings, load_settings, provenance
from okrdash.store import StoreError

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parents[1]
MONDAY = dt.date(2026, 11, 23)
ADMIN = admin_writer("admin@contoh.co.id")

# Rizky has not checked in this week on one key result, has on the other; Rina's key result went Off
# Track this week; Budi is no person okrdash knows; two people are named Sari.
OKRS = ("cycle,team,objective,key_result,owner,baseline,target,unit,current,date\n"
        "2026-Q4,Sales,Grow revenue,Close 40 deals,Rizky,0,40,deals,12,2026-11-16\n"
        "2026-Q4,Sales,Grow revenue,Sign 5 partners,rizky,0,5,partners,2,2026-11-23\n"
        "2026-Q4,Sales,Grow revenue,Raise NPS,Budi,0,10,,2,2026-11-02\n"
        "2026-Q4,Sales,Grow revenue,Visit 30 clients,Sari,0,30,,2,2026-11-02\n"
        "2026-Q4,Engineering,Ship faster,Cut lead time,Rina,10,2,days,8,2026-11-16\n"
        "2026-Q4,Engineering,Ship faster,Write the runbook,Rina,0,1,,1,2026-11-02\n")
# Rina's lead time was At Risk at the end of the week before (Sunday), Off Track by Wednesday (9.9: worse).
CHECKINS = "team,key_result,date,value\nEngineering,Cut lead time,2026-11-24,9.9\n"

PEOPLE = PeopleRows(source="people.xlsx", people=(
    Person(name="Rizky", email="rizky@contoh.co.id", manager_email="dewi@contoh.co.id", language="id"),
    Person(name="Rina", email="Rina@Contoh.co.id", manager_email="dewi@contoh.co.id", language="en",
           whatsapp="+62 812 3456 7890"),
    Person(name="Dewi", email="dewi@contoh.co.id", language="id", team="Sales"),
    Person(name="Sari", email="sari.a@contoh.co.id", language="id"),
    Person(name="SARI", email="sari.b@contoh.co.id", language="id"),
))


def company(store, *, checkins: bool = True) -> None:
    files = [Upload("okrs.csv", OKRS.encode())] + ([Upload("checkins.csv", CHECKINS.encode())] if checkins else [])
    import_files(store, files, imported_by="admin@contoh.co.id", today=MONDAY)
    store.apply([PEOPLE.changes()], ADMIN)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# -- the schedule --------------------------------------------------------------------------------


def test_the_schedule_settings_name_their_sources_and_docs_rules_md_gives_them():
    assert SCHEDULE_SETTINGS == ("reminder_weekday", "reminder_hour", "digest_grace_days", "reminder_timezone")
    rules_md = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    section = rules_md.split("\n## The reminders' schedule and its sources\n", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in section.splitlines()
            if line.startswith("| `")]
    defaults = Settings()
    assert rows == [[f"`{name}`", str(getattr(defaults, name)), ", ".join(provenance(name).sources),
                     provenance(name).says] for name in SCHEDULE_SETTINGS]
    for name in SCHEDULE_SETTINGS:
        assert set(provenance(name).sources) <= set(SOURCES)
    assert (defaults.reminder_weekday, defaults.reminder_hour, defaults.digest_grace_days,
            defaults.reminder_timezone) == (1, 9, 2, "Asia/Jakarta")


def test_the_schedule_is_set_by_environment_in_either_language_and_checked():
    config = load_settings({"OKRDASH_REMINDER_WEEKDAY": "Rabu", "OKRDASH_REMINDER_HOUR": "8",
                            "OKRDASH_REMINDER_TIMEZONE": "Asia/Makassar"})
    assert (config.reminder_weekday, config.reminder_hour, config.reminder_timezone) == (3, 8, "Asia/Makassar")
    with pytest.raises(ValidationError, match="not a time zone"):
        load_settings({"OKRDASH_REMINDER_TIMEZONE": "Jakarta"})
    with pytest.raises(ValidationError, match="must fall in the reminders' week"):
        load_settings({"OKRDASH_REMINDER_WEEKDAY": "saturday", "OKRDASH_DIGEST_GRACE_DAYS": "2"})


def test_the_week_and_its_moments_are_read_in_the_configured_time_zone():
    config = Settings()
    # Monday 01:30 in Jakarta is Sunday 18:30 UTC: the week is Jakarta's.
    schedule = Schedule.of(dt.datetime(2026, 11, 22, 18, 30, tzinfo=dt.UTC), config)
    assert schedule.week == MONDAY
    assert schedule.reminders_from.isoformat() == "2026-11-23T09:00:00+07:00"
    assert schedule.digest_from.isoformat() == "2026-11-25T09:00:00+07:00"
    papua = Schedule.of(at("2026-11-29T23:59"), Settings(reminder_timezone="Asia/Jayapura", reminder_weekday=5))
    assert papua.week == MONDAY and papua.reminders_from.isoformat() == "2026-11-27T09:00:00+09:00"


# -- what is due ---------------------------------------------------------------------------------


def test_before_the_hour_nothing_is_due_and_unknown_owners_are_reported(store):
    company(store)
    found = due(store, at("2026-11-23T08:59"))
    assert found.reminders == () and found.digests == ()
    assert found.unknown_owners == ("Budi",)
    assert {owner: sorted(p.email for p in people) for owner, people in found.ambiguous_owners.items()} == {
        "Sari": ["sari.a@contoh.co.id", "sari.b@contoh.co.id"]}


def test_monday_0930_owners_without_a_check_in_this_week_are_due(store):
    company(store, checkins=False)
    found = due(store, at("2026-11-23T09:30"))
    assert [(r.person.email, r.owner, [kr.title for kr in r.key_results]) for r in found.reminders] == [
        ("rina@contoh.co.id", "Rina", ["Cut lead time"]),  # the runbook is Complete: nothing to check in
        ("rizky@contoh.co.id", "Rizky", ["Close 40 deals"]),  # Monday's check-in counts for the week
    ]
    (lead_time,) = found.reminders[0].key_results
    assert (lead_time.current, lead_time.last_checkin, lead_time.days_since_checkin(found.today)) == (
        8.0, dt.date(2026, 11, 16), 7)
    assert found.digests == ()  # two days later
    # Neither Budi (unknown) nor Sari (two people) is due anything.
    assert {r.owner for r in found.reminders}.isdisjoint({"Budi", "Sari"})


def test_two_days_later_each_manager_is_due_a_digest(store):
    company(store)
    found = due(store, at("2026-11-25T09:00"))
    assert [r.person.name for r in found.reminders] == ["Rizky"]  # Rina checked in on Tuesday
    (digest,) = found.digests
    assert (digest.email, digest.name, digest.language) == ("dewi@contoh.co.id", "Dewi", "id")
    assert [r.person.name for r in digest.missing] == ["Rizky"]
    assert [(kr.title, kr.status, kr.status_before) for kr in digest.off_track] == [
        ("Cut lead time", Status.OFF_TRACK, Status.AT_RISK)]
    assert due(store, at("2026-11-25T08:59")).digests == ()


# -- people in the store -------------------------------------------------------------------------


def test_people_are_one_batch_undoable_and_matched_by_name_key(store):
    (written,) = store.apply([PEOPLE.changes()], ADMIN)
    assert (written.kind, written.inserted, written.updated) == ("people", 5, 0)
    people = stored_people(store)
    assert {p.email for p in people} >= {"rina@contoh.co.id"}  # addresses are kept in lower case
    match = match_owners(["rizky", "RIZKY", "Rina\u00a0", "Budi", "Sari"], people)
    assert {owner: p.email for owner, p in match.people.items()} == {
        "rizky": "rizky@contoh.co.id", "RIZKY": "rizky@contoh.co.id", "Rina\u00a0": "rina@contoh.co.id"}
    assert match.unknown == ("Budi",) and set(match.ambiguous) == {"Sari"}
    renamed = PeopleRows(source="people-v2.csv", people=(
        Person(name="Rizky Pratama", email="rizky@contoh.co.id", language="en"),))
    (second,) = store.apply([renamed.changes()], ADMIN)
    assert (second.inserted, second.updated) == (0, 1)
    store.undo(second.batch_id, ADMIN)
    assert next(p for p in stored_people(store) if p.email == "rizky@contoh.co.id").name == "Rizky"
    store.undo(written.batch_id, ADMIN)
    assert stored_people(store) == []


def test_only_an_admin_writes_or_undoes_people(store):
    editor = Access(role=Role.EDITOR, who="ed@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")
    with pytest.raises(StoreError) as refused:
        store.apply([PEOPLE.changes()], editor)
    assert refused.value.code == "people_not_allowed" and store.people() == []
    (written,) = store.apply([PEOPLE.changes()], ADMIN)
    with pytest.raises(StoreError) as refused_undo:
        store.undo(written.batch_id, editor)
    assert refused_undo.value.code == "undo_people_not_allowed" and len(store.people()) == 5


def test_people_rows_are_checked():
    with pytest.raises(ValidationError, match="one e-mail address"):
        Person(name="Rina", email="Rina <rina@contoh.co.id>")
    with pytest.raises(ValidationError, match="one e-mail address"):
        Person(name="Rina", email="rina@contoh.co.id\r\nBcc: all@contoh.co.id")
    with pytest.raises(ValidationError, match="given twice"):
        PeopleRows(source="p.csv", people=(Person(name="A", email="a@contoh.co.id"),
                                           Person(name="B", email="A@contoh.co.id")))
    with pytest.raises(ValidationError, match="phone number"):
        Person(name="A", email="a@contoh.co.id", whatsapp="call me")
    with pytest.raises(ValidationError):
        Person(name="A", email="a@contoh.co.id", language="jv")


def test_a_reminder_is_recorded_once_and_not_when_its_send_fails(store):
    with store.sending_reminder("owner", "rina@contoh.co.id", MONDAY) as mine:
        assert mine
    with store.sending_reminder("owner", "rina@contoh.co.id", MONDAY) as mine:
        assert not mine
    with pytest.raises(ConnectionRefusedError), store.sending_reminder("owner", "rizky@contoh.co.id", MONDAY) as mine:
        assert mine
        raise ConnectionRefusedError("the mail server refused")
    assert store.reminders_sent(MONDAY) == {("owner", "rina@contoh.co.id")}
    assert store.reminders_sent(MONDAY + dt.timedelta(days=7)) == set()
