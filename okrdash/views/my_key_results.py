"""My key results: the key results one person owns across teams, the ones without a check-in this
week first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from okrdash import readmodels
from okrdash.access import Access
from okrdash.markdown import plain
from okrdash.store import Store
from okrdash.viewstate import MyKeyResultsState
from okrdash.views.common import (choose_owner, Filter, Markdown, Message, Notice, PageLink, RowsAsCards, Scope, Table,
                                  stale_marks, status_colors, status_labels, table, unread, with_stale)


@dataclass(frozen=True, eq=False)
class MyKeyResultsView:
    shown: MyKeyResultsState
    link: MyKeyResultsState                # what the address holds: the owner the page could use
    notices: list[Notice]
    no_cycle: Message | None = None
    owner_filter: Filter | None = None
    choose: Message | None = None          # nobody picked (nor signed in)
    caption: Markdown = ""
    none: Message | None = None            # the person owns no key result this cycle
    key_results: Table | None = None
    checkin: list[dict[str, Any]] | None = None  # for the check-in form
    weekly: PageLink | None = None         # this person's weekly check-in: every key result on one screen


def view(store: Store, state: MyKeyResultsState, scope: Scope, access: Access) -> MyKeyResultsView:
    words = scope.words
    notices = unread(words, state)
    if scope.cycle is None:
        return MyKeyResultsView(scope.shown(MyKeyResultsState()), state.with_(), notices,
                                no_cycle=Message(words.t("common.no_cycle"), "📭"))
    chosen = choose_owner(store, words, notices, scope, state.owner, access.who,
                          lambda owner: MyKeyResultsState(owner=owner), "team.unknown_filter")
    requested, owner, picker = chosen.requested, chosen.owner, chosen.picker
    shown = MyKeyResultsState(owner=owner)
    if not owner:
        return MyKeyResultsView(scope.shown(shown), MyKeyResultsState(owner=requested), notices, owner_filter=picker,
                                choose=Message(words.t("my.choose"), "👆"))
    mine = readmodels.owned_key_results(store, scope.cycle, scope.as_of, owner)
    due = int((~mine["checked_in_this_week"]).sum())
    return MyKeyResultsView(
        scope.shown(shown), MyKeyResultsState(owner=requested), notices, owner_filter=picker,
        caption=words.t("my.caption", owner=plain(owner), count=len(mine), due=due,
                        week=words.date(readmodels.week_start(scope.as_of))),
        none=Message(words.t("my.none", owner=plain(owner), cycle=scope.cycle.name), "📭") if mine.empty else None,
        key_results=_table(scope, mine) if len(mine) else None,
        checkin=readmodels.with_last_checkins(store, readmodels.records(mine), scope.as_of),
        weekly=PageLink(words.t("checkin.open", owner=plain(owner)), scope.urls.checkin(owner), "✅") if len(mine)
        else None)


def _table(scope: Scope, mine: pd.DataFrame) -> Table:
    words = scope.words
    progress = words.t("common.progress")
    frame = pd.DataFrame({
        words.t("common.key_result"): mine["title"],
        words.t("common.objective"): words.teams(mine["team"]) + " · " + mine["objective"],
        words.t("common.status"): with_stale(status_labels(words, mine["status"]), stale_marks(words, mine["stale"])),
        progress: mine["progress"],
        words.t("common.current"): mine["current"],
        words.t("common.target"): mine["target"],
        words.t("common.last_checkin"): mine["last_checkin"],
        words.t("my.this_week"): mine["checked_in_this_week"],
    })
    # Progress in words as the page writes it, not a grid progress column: that one draws every bar
    # in the theme's red, 100% Complete included; the status colours are the cards'.
    return table(words, frame, None, "mine", shares=(progress,),
                 cards=RowsAsCards(words.t("common.key_result"), status_colors(list(mine["status"]))))
