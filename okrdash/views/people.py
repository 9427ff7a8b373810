"""The People page's view model (issue 25): the people okrdash reminds, for admins to read and edit,
the owners of key results no person is (they get no reminder), and the owners two people share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from okrdash.access import Access, Role
from okrdash.markdown import plain
from okrdash.people import match_owners, stored_people
from okrdash.store import Store
from okrdash.viewstate import PeopleState
from okrdash.views.common import Card, Markdown, Message, Notice, PageLink, RowsAsCards, Scope, Table, Words, unread

# The editor's columns: the address the row was opened with (hidden; a changed address is a new
# person and the old one removed), then a people file's columns.
COLUMNS = ("opened_email", "name", "email", "manager_email", "language", "team", "whatsapp")
_NO_STATUS_COLOR = "#9e9e9e"


@dataclass(frozen=True, eq=False)
class PeopleView:
    shown: PeopleState
    link: PeopleState
    notices: list[Notice]
    denied: Message | None              # not an admin: nothing else is filled in
    caption: str
    count: str
    empty: Message | None               # no people yet: how to add them
    upload: PageLink
    people: pd.DataFrame                # the editor's rows (COLUMNS), as stored
    labels: dict[str, str]              # editor column -> its header in the reader's language
    languages: dict[str, str]           # language code -> its name in the reader's language
    cards: tuple[Card, ...]             # the people on a phone
    unknown: Table | None               # key results whose owner is no known person
    ambiguous: Table | None             # owners two or more people are named
    unknown_none: Markdown
    ambiguous_none: Markdown


def view(store: Store, state: PeopleState, scope: Scope, access: Access) -> PeopleView:
    words = scope.words
    t = words.t
    link = PeopleState()
    notices = unread(words, state)
    labels = {c: t(f"people.{c}") for c in COLUMNS if c != "opened_email"}
    languages = {"id": t("people.language_id"), "en": t("people.language_en")}
    upload = PageLink(t("people.go_upload"), scope.urls.upload(), "⬆️")
    if access.role is not Role.ADMIN:
        return PeopleView(scope.shown(link), link, notices, Message(t("people.admins_only"), "🔒"), "", "", None,
                          upload, pd.DataFrame(columns=list(COLUMNS)), labels, languages, (), None, None, "", "")
    people = stored_people(store)
    frame = pd.DataFrame([{"opened_email": p.email, **p.model_dump(mode="json")} for p in people],
                         columns=list(COLUMNS), dtype="string")
    cards = tuple(Card(title=p.name, status=p.email, color=_NO_STATUS_COLOR, details=_details(words, team=words.team(p.team) if p.team else None,
                                                          manager_email=p.manager_email,
                                                          language=languages[p.language.value], whatsapp=p.whatsapp))
                  for p in people)
    key_results = store.kr_scores(scope.as_of, cycle=scope.cycle.name) if scope.cycle else pd.DataFrame(
        columns=["owner", "team", "objective_id", "title"])
    owned = key_results[key_results["owner"].notna() & (key_results["owner"].astype(str).str.strip() != "")]
    matched = match_owners(owned["owner"], people)
    unknown_rows = owned[owned["owner"].isin(matched.unknown)].sort_values(["owner", "team", "title"])
    unknown = _owners_table(words, scope, unknown_rows)
    ambiguous = _ambiguous(words, matched.ambiguous)
    cycle = plain(scope.cycle.name) if scope.cycle else "–"
    return PeopleView(
        shown=scope.shown(link), link=link, notices=notices, denied=None, caption=t("people.caption"),
        count=t("people.count", count=words.number(len(people))),
        empty=None if people else Message(t("people.empty"), "📭"), upload=upload, people=frame,
        labels=labels, languages=languages, cards=cards, unknown=unknown,
        ambiguous=ambiguous,
        unknown_none=t("people.unknown_none", cycle=cycle), ambiguous_none=t("people.ambiguous_none"))


def _owners_table(words: Words, scope: Scope, rows: pd.DataFrame) -> Table | None:
    """Key results whose owner is no known person: owner, team, key result and a link to its
    objective; on a phone each row is a card headed by the owner."""
    if not len(rows):
        return None
    t = words.t
    links = scope.urls.objectives(rows["objective_id"]).tolist()
    frame = pd.DataFrame({t("people.owner"): rows["owner"].tolist(),
                          t("people.team"): [words.team(team) for team in rows["team"]],
                          t("people.key_result"): rows["title"].tolist(),
                          t("people.open"): links})
    shown = frame.drop(columns=[t("people.open")])
    return Table(shown=frame, rows=lambda: shown, file_name="owners-without-person.csv", key="people_unknown",
                 links=(t("people.open"),), cards=RowsAsCards(t("people.owner")))


def _ambiguous(words: Words, ambiguous: dict) -> Table | None:
    """Owners two or more people are named, with those people (name and address); on a phone each
    row is a card headed by the owner."""
    if not ambiguous:
        return None
    t = words.t
    matches = {owner: ", ".join(f"{p.name} ({p.email})" for p in people) for owner, people in ambiguous.items()}
    frame = pd.DataFrame({t("people.owner"): list(matches), t("people.matches"): list(matches.values())})
    return Table(shown=frame, rows=lambda: frame, file_name="owners-of-two-people.csv", key="people_ambiguous",
                 cards=RowsAsCards(t("people.owner")))


def _details(words: Words, **parts: str | None) -> str:
    """"Team: Sales · Language: English": the parts given, by their column labels; empty ones left out."""
    return " · ".join(f"{words.t(f'people.{name}')}: {value}" for name, value in parts.items() if value)
