"""What the weekly rhythm owes at one moment (issue 25): the owners' reminders and the managers' digests.

Pure: it reads the store (the people, the rules' kept scores) and says what is due; sending is
okrdash/mail.py's, recording it the store's (``Store.sending_reminder``), both driven by
``okrdash remind``. The schedule is in settings (``SCHEDULE_SETTINGS``, docs/rules.md):

- the week runs Monday to Sunday in ``reminder_timezone``; a check-in dated that Monday or later
  counts for it;
- from ``reminder_weekday`` at ``reminder_hour``, each owner of a key result of a running cycle
  with no check-in this week is due one reminder listing those key results (a Complete one needs no
  check-in, one that follows a KPI is fed by the KPI's measurements);
- ``digest_grace_days`` later, each manager of such owners is due one digest: who still has not
  checked in, and which of their people's key results turned Off Track this week (Off Track now, not
  at the end of the week before).

Owners are matched to people by name key; an owner who is no known person, or who is two, is
reported, never mailed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from okrdash import sqlfiles
from okrdash.models import Language, Status
from okrdash.names import name_key
from okrdash.readmodels import week_start
from okrdash.people import OwnerMatch, Person, match_owners, stored_people
from okrdash.settings import Settings
from okrdash.store import Store

SQL = sqlfiles.named_queries(Path(__file__).with_name("reminders.sql"))


class ReminderKind(StrEnum):
    """What is sent (stored in reminders_sent.kind)."""

    OWNER = "owner"
    DIGEST = "digest"


@dataclass(frozen=True)
class OpenKeyResult:
    """A key result checked in by hand, as the rules score it at the moment asked about."""

    key_result_id: int
    cycle: str
    team: str
    objective: str
    title: str
    owner: str
    unit: str | None
    current: float | None
    last_checkin: dt.date | None
    status: Status
    status_before: Status | None
    checked_in_this_week: bool  # reminders.sql says what counts for the week and what is owed
    owes_checkin: bool

    def days_since_checkin(self, today: dt.date) -> int | None:
        return None if self.last_checkin is None else (today - self.last_checkin).days

    @property
    def turned_off_track(self) -> bool:
        return self.status is Status.OFF_TRACK and self.status_before is not Status.OFF_TRACK


@dataclass(frozen=True)
class OwnerReminder:
    """One owner's reminder: the key results they have not checked in on this week."""

    person: Person
    owner: str  # as written in the owner cells (the check-in link names it)
    key_results: tuple[OpenKeyResult, ...]


@dataclass(frozen=True)
class ManagerDigest:
    """One manager's digest: their people who have not checked in, and what turned Off Track."""

    email: str
    name: str | None  # the manager's name when they are a person okrdash knows
    language: Language
    missing: tuple[OwnerReminder, ...]
    off_track: tuple[OpenKeyResult, ...]


@dataclass(frozen=True)
class Schedule:
    """The moments of one week (Monday to Sunday in the configured time zone)."""

    week: dt.date  # its Monday
    reminders_from: dt.datetime
    digest_from: dt.datetime

    @classmethod
    def of(cls, moment: dt.datetime, config: Settings) -> Schedule:
        local = local_time(moment, config)
        week = local.date() - dt.timedelta(days=local.weekday())
        reminders_from = dt.datetime.combine(week + dt.timedelta(days=config.reminder_weekday - 1),
                                             dt.time(config.reminder_hour), tzinfo=local.tzinfo)
        return cls(week, reminders_from, reminders_from + dt.timedelta(days=config.digest_grace_days))


@dataclass(frozen=True)
class Due:
    """What is due at ``at`` (local time): every reminder and digest of the week whose moment has
    come, sent or not (the store knows which were: ``Store.reminders_sent``)."""

    at: dt.datetime
    schedule: Schedule
    reminders: tuple[OwnerReminder, ...]
    digests: tuple[ManagerDigest, ...]
    unknown_owners: tuple[str, ...]  # owners of key results no person is named: never mailed
    ambiguous_owners: dict[str, tuple[Person, ...]]  # owners two or more people are named: never mailed

    @property
    def today(self) -> dt.date:
        return self.at.date()


def local_time(moment: dt.datetime, config: Settings) -> dt.datetime:
    """``moment`` in the reminders' time zone (a naive one is taken as already there)."""
    zone = ZoneInfo(config.reminder_timezone)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def due(store: Store, at: dt.datetime, config: Settings | None = None) -> Due:
    """Every owner's reminder and manager's digest due at ``at``."""
    config = config or store.config
    local = local_time(at, config)
    schedule = Schedule.of(local, config)
    today = local.date()
    key_results = _checked_by_hand(store, today, schedule.week - dt.timedelta(days=1), schedule.week)
    people = stored_people(store)
    matched = match_owners((kr.owner for kr in key_results), people)
    reminders = _owner_reminders(key_results, matched) if local >= schedule.reminders_from else ()
    digests = (_digests(reminders, key_results, matched, people, config)
               if local >= schedule.digest_from else ())
    return Due(local, schedule, reminders, digests, matched.unknown, matched.ambiguous)


def week_checkins(store: Store, day: dt.date) -> tuple[OpenKeyResult, ...]:
    """The key results checked in by hand running on ``day``, each with whether it is checked in for
    ``day``'s week (from its Monday) and whether it owes a check-in: what the app counts (the sidebar's
    check-ins owed, the overview's weekly rate). Their ``status_before`` is not asked (it is ``status``).

    Kept with the scores of ``day`` until the next write: every page's sidebar and the overview ask
    it, and it is tens of thousands of rows on a large company (0.3 CPU s a view when asked each time).
    Callers read the list and leave it as it is."""
    return store.scores(day).kept(("week_checkins",), lambda: tuple(_checked_by_hand(store, day, day, week_start(day))))


@dataclass(frozen=True)
class WeekRate:
    """One team's weekly check-ins: key results checked in this week out of those due (checked in,
    or owing one)."""

    team: str
    checked_in: int
    due: int

    @property
    def rate(self) -> float | None:
        return self.checked_in / self.due if self.due else None


def week_rates(key_results: Iterable[OpenKeyResult]) -> list[WeekRate]:
    """Per team, in name order: how many of :func:`week_checkins`' key results are checked in of those due."""
    counted: dict[str, list[int]] = {}
    for kr in key_results:
        if kr.checked_in_this_week or kr.owes_checkin:
            team = counted.setdefault(kr.team, [0, 0])
            team[0] += kr.checked_in_this_week
            team[1] += 1
    return [WeekRate(team, checked, due) for team, (checked, due) in sorted(counted.items())]


def owed_by(key_results: Iterable[OpenKeyResult], owner: str) -> int:
    """How many check-ins ``owner`` (as owner cells write the name, compared by name key) owes this week."""
    wanted = name_key(owner)
    return sum(1 for kr in key_results if kr.owes_checkin and name_key(kr.owner) == wanted)


def _checked_by_hand(store: Store, today: dt.date, before: dt.date, week: dt.date) -> list[OpenKeyResult]:
    with store.cursor() as cur:
        store.scores(today).register(cur, "now")
        store.scores(before).register(cur, "before")
        sql = SQL["checked_by_hand"]
        result = cur.execute(sql, sqlfiles.parameters(sql, {"today": today, "week": week}))
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, row)) for row in result.fetchall()]
    return [OpenKeyResult(**{**row, "status": Status(row["status"]),
                             "status_before": Status(row["status_before"]) if row["status_before"] else None,
                             "current": _number(row["current"]),
                             "checked_in_this_week": bool(row["checked_in_this_week"]),
                             "owes_checkin": bool(row["owes_checkin"])})
            for row in rows]


def _number(value: object) -> float | None:
    return None if value is None or value != value else float(value)  # NaN from a pandas frame is None


def _owner_reminders(key_results: list[OpenKeyResult], matched: OwnerMatch) -> tuple[OwnerReminder, ...]:
    """One reminder per person owning key results that owe this week's check-in."""
    owed: dict[str, list[OpenKeyResult]] = {}
    for kr in key_results:
        if kr.owner in matched.people and kr.owes_checkin:
            owed.setdefault(kr.owner, []).append(kr)
    # Two spellings of one person's name ("Rizky", "rizky") are one person's one reminder.
    by_person: dict[str, OwnerReminder] = {}
    for owner, items in owed.items():
        person = matched.people[owner]
        earlier = by_person.get(person.email)
        by_person[person.email] = OwnerReminder(
            person, earlier.owner if earlier else owner, (*(earlier.key_results if earlier else ()), *items))
    return tuple(sorted(by_person.values(), key=lambda r: (r.person.name.casefold(), r.person.email)))


def _digests(reminders: tuple[OwnerReminder, ...], key_results: list[OpenKeyResult], matched: OwnerMatch,
             people: list[Person], config: Settings) -> tuple[ManagerDigest, ...]:
    """One digest per manager with someone who has not checked in or a key result turned Off Track."""
    by_email = {person.email: person for person in people}
    missing: dict[str, list[OwnerReminder]] = {}
    for reminder in reminders:
        if reminder.person.manager_email:
            missing.setdefault(reminder.person.manager_email, []).append(reminder)
    off_track: dict[str, list[OpenKeyResult]] = {}
    for kr in key_results:
        person = matched.people.get(kr.owner)
        if person is not None and person.manager_email and kr.turned_off_track:
            off_track.setdefault(person.manager_email, []).append(kr)
    digests = []
    for email in sorted(set(missing) | set(off_track)):
        manager = by_email.get(email)
        language = manager.language if manager else Language(config.default_language)
        digests.append(ManagerDigest(email, manager.name if manager else None, language,
                                     tuple(missing.get(email, ())), tuple(off_track.get(email, ()))))
    return tuple(digests)
