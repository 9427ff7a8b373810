"""The weekly check-in: every key result one person owns in the cycle on one screen, each with its
last value, date and note beside the fields for the new ones; one save writes them as one batch
(okrdash/checkins.py ``record_weekly``; drawn and saved by okrdash/ui/weekly.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from okrdash import readmodels, reminders
from okrdash.access import Access
from okrdash.checkins import KeyResultRef
from okrdash.markdown import plain
from okrdash.models import Status
from okrdash.problems import Problem
from okrdash.store import Store
from okrdash.viewstate import CheckinState
from okrdash.views.common import (choose_owner, Filter, Markdown, Message, Notice, PageLink, Scope, Words, unread)


@dataclass(frozen=True)
class CheckinItem:
    """One key result on the weekly check-in."""

    key_result_id: int
    ref: KeyResultRef
    heading: Markdown            # title, then team · objective
    status: Markdown             # status in words, stale marker, checked in this week or not
    previous: Markdown           # the last value, its date and note; or that there is none
    value_label: Markdown        # "New value (minutes)"
    milestone: bool              # done / not done instead of a number
    editable: bool               # the reader may write this key result's team


@dataclass(frozen=True, eq=False)
class CheckinView:
    shown: CheckinState
    link: CheckinState                    # what the address holds: the owner the page could use
    notices: list[Notice]
    no_cycle: Message | None = None
    owner_filter: Filter | None = None
    choose: Message | None = None         # nobody picked (nor signed in)
    caption: Markdown = ""
    none: Message | None = None           # the person owns no key result this cycle
    items: tuple[CheckinItem, ...] = ()   # open key results, those due this week first
    complete: tuple[CheckinItem, ...] = ()  # folded away
    follows_kpi: Markdown | None = None   # key results fed by a KPI's measurements: named, not editable
    day: dt.date | None = None            # the date the check-ins are saved with
    read_only: Message | None = None      # the reader may write none of these key results
    labels: dict[str, str] | None = None  # check-ins columns -> field labels (problems name the field)
    my_key_results: PageLink | None = None


def view(store: Store, state: CheckinState, scope: Scope, access: Access,
         today: dt.date | None = None) -> CheckinView:
    words = scope.words
    notices = unread(words, state)
    if scope.cycle is None:
        return CheckinView(scope.shown(CheckinState()), state.with_(), notices,
                           no_cycle=Message(words.t("common.no_cycle"), "📭"))
    chosen = choose_owner(store, words, notices, scope, state.owner, access.who,
                          lambda owner: CheckinState(owner=owner), "checkin.unknown_owner")
    requested, owner, picker = chosen.requested, chosen.owner, chosen.picker
    shown = CheckinState(owner=owner)
    link = CheckinState(owner=requested)
    if not owner:
        return CheckinView(scope.shown(shown), link, notices, owner_filter=picker,
                           choose=Message(words.t("checkin.choose"), "👆"))
    mine = readmodels.owned_key_results(store, scope.cycle, scope.as_of, owner)
    if mine.empty:
        return CheckinView(scope.shown(shown), link, notices, owner_filter=picker,
                           none=Message(words.t("my.none", owner=plain(owner), cycle=scope.cycle.name), "📭"))
    day = checkin_day(scope, today or dt.date.today())
    rows = readmodels.records(mine)
    by_hand = [kr for kr in rows if kr["kpi_id"] is None]
    last = store.last_checkins([int(kr["key_result_id"]) for kr in by_hand], scope.as_of)
    items = [_item(words, kr, last.get(int(kr["key_result_id"])), access) for kr in by_hand]
    open_ = tuple(item for item, kr in zip(items, by_hand) if kr["status"] != Status.COMPLETE.value)
    complete = tuple(item for item, kr in zip(items, by_hand) if kr["status"] == Status.COMPLETE.value)
    followed = [kr for kr in rows if kr["kpi_id"] is not None]
    due = sum(1 for kr in by_hand if kr["status"] != Status.COMPLETE.value and not kr["checked_in_this_week"])
    return CheckinView(
        scope.shown(shown), link, notices, owner_filter=picker,
        caption=words.t("checkin.caption", owner=plain(owner), count=len(open_), due=due,
                        week=words.date(readmodels.week_start(scope.as_of)), day=words.date(day)),
        items=open_, complete=complete,
        follows_kpi=words.t("checkin.follows_kpi", items=", ".join(
            f"{plain(kr['title'])} → {plain(kr['kpi_name'] or '')}" for kr in followed)) if followed else None,
        day=day,
        read_only=None if any(item.editable for item in items) else Message(words.t("checkin.read_only"), "🔒"),
        labels=labels(words),
        my_key_results=PageLink(words.t("checkin.to_my_key_results"), scope.urls.my_key_results(owner), "🙋"))


def checkin_day(scope: Scope, today: dt.date) -> dt.date:
    """The day the check-ins are dated: today, unless the page shows an earlier day (a check-in after
    it would not show), kept within the cycle."""
    assert scope.cycle is not None
    return min(max(min(today, scope.as_of), scope.cycle.start_date), scope.cycle.end_date)


def labels(words: Words) -> dict[str, str]:
    """The check-ins file's columns as the page's fields are labelled (a problem names the field)."""
    return {"value": words.t("forms.value"), "date": words.t("common.date"),
            "confidence": words.t("common.confidence"), "note": words.t("common.note"),
            "key_result": words.t("common.key_result"), "team": words.t("common.team")}


def _item(words: Words, kr: dict[str, Any], last: dict[str, Any] | None, access: Access) -> CheckinItem:
    status = words.status_label(kr["status"])
    if kr["stale"]:
        status += f" · 🕒 {words.t('common.stale')}"
    if kr["status"] != Status.COMPLETE.value:
        status += " · " + words.t("checkin.done_this_week" if kr["checked_in_this_week"] else "checkin.due_this_week")
    unit = f" ({plain(words.unit(kr['unit']))})" if kr["unit"] else ""
    return CheckinItem(
        key_result_id=int(kr["key_result_id"]),
        ref=KeyResultRef(kr["cycle"], kr["team"], kr["objective"], kr["title"]),
        heading=f"**{plain(kr['title'])}**  \n{plain(words.team(kr['team']))} · {plain(kr['objective'])}",
        status=plain(status), previous=previous(words, kr, last),
        value_label=words.t("forms.value") + unit, milestone=kr["kind"] == "milestone",
        editable=access.may_edit_team(kr["team"]))


def previous(words: Words, kr: dict[str, Any], last: dict[str, Any] | None) -> Markdown:
    """The last check-in's value, date and note (escaped), or that there is none yet."""
    if last is None:
        return words.t("forms.no_previous")
    if kr["kind"] == "milestone":
        value = words.t("forms.done" if float(last["value"]) >= 1 else "forms.not_done")
    else:
        value = plain(words.amount(last["value"], kr["unit"]))
    text = words.t("forms.previous", value=value, date=words.date(pd.Timestamp(last["date"]).date()))
    note = last["note"]
    if isinstance(note, str) and note.strip():
        text += f" · «{plain(note)}»"
    return text


def refusal(words: Words, problems: list[Problem], written: list[CheckinItem]) -> Markdown:
    """Why nothing was saved: each problem with the key result it is about (its row among those
    written), the field, the value typed and the message, escaped."""
    lines = [words.t("forms.nothing_saved")]
    for problem in problems:
        about = written[problem.line - 1] if problem.line is not None and 0 < problem.line <= len(written) else (
            written[0] if len(written) == 1 else None)
        where = [f"**{plain(about.ref.key_result)}**"] if about else []
        if problem.column:
            where.append(plain(problem.column))
        value = f" «{plain(problem.value)}»" if problem.value not in (None, "") else ""
        lines.append(f"{' · '.join(where)}{value}: {plain(problem.message(words.lang))}" if where or value
                     else plain(problem.message(words.lang)))
    return "  \n".join(lines)


def saved(words: Words, count: int, batch: int) -> Markdown:
    return words.t("checkin.saved", count=count, batch=batch) + "  \n" + words.t("forms.undo_hint")


def owed(store: Store, scope: Scope, access: Access, chosen: str | None = None) -> PageLink | None:
    """How many check-ins the reader owes this week (reminders.sql's rule), linking to their weekly
    check-in: a signed-in person is the owner their address names; in local mode, where nobody is
    signed in, the owner ``chosen`` last on My key results or the weekly check-in. None without an
    owner or a cycle."""
    if scope.cycle is None:
        return None
    owners = readmodels.owners(store, scope.as_of)
    owner = readmodels.owner_of(access.who, owners) or (chosen if access.mode == "local" else None)
    if owner not in owners:
        return None
    count = reminders.owed_by(reminders.week_checkins(store, scope.as_of), owner)
    words = scope.words
    label = words.t("checkin.owed", count=count) if count else words.t("checkin.owed_none")
    return PageLink(label, scope.urls.checkin(owner), "⏰" if count else "✅")
