"""The people okrdash reminds (issue 25): who they are, how their rows reach the store, and which
key result owners they are.

A person is one e-mail address with the name they are written as in owner cells, a manager (by
e-mail address), the language their mails are in, and optionally a team and a WhatsApp number.
Rows reach the store as :class:`PeopleRows` (the people file kind, once the importer reads it, will
produce the same) through ``Store.apply``: one batch, undoable, and only an admin may write them.
Owners are matched to people by the project's name key (okrdash/names.py): an owner no person is
named is *unknown*, one that two people are named is *ambiguous*; neither is mailed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Protocol, Self

import pandas as pd
from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from okrdash.models import FileKind, Language, OptionalText, Text
from okrdash.names import name_key, normalise_name
from okrdash.store.writes import FileChanges

# One address, no display name, nothing that could break a mail header (no spaces, angle brackets,
# commas or line breaks): what an owner's row in an HR export holds.
_EMAIL = re.compile(r"^[^@\s<>,;\"()\[\]\\]+@[^@\s<>,;\"()\[\]\\]+\.[^@\s<>,;\"()\[\]\\.]+$")
_WHATSAPP = re.compile(r"^\+?[0-9][0-9 .-]{5,20}$")


def _email(text: str) -> str:
    address = text.strip().lower()
    if len(address) > 254 or not _EMAIL.match(address):
        raise PydanticCustomError("email_invalid", "must be one e-mail address, like rina@contoh.co.id", {})
    return address


def _optional_email(text: str | None) -> str | None:
    return None if text is None or not text.strip() else _email(text)


def _whatsapp(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    if not _WHATSAPP.match(text.strip()):
        raise PydanticCustomError("whatsapp_invalid", "must be a phone number, like +62 812 3456 7890", {})
    return text.strip()


Email = Annotated[str, AfterValidator(_email)]
OptionalEmail = Annotated[str | None, AfterValidator(_optional_email)]


class Person(BaseModel):
    """One person okrdash may remind."""

    model_config = ConfigDict(frozen=True)

    name: Annotated[Text, AfterValidator(normalise_name)]
    email: Email
    manager_email: OptionalEmail = None
    language: Language = Language.ID
    team: OptionalText = None
    whatsapp: Annotated[OptionalText, AfterValidator(_whatsapp)] = None


class PeopleRows(BaseModel):
    """People to write as one batch: from the people file kind, a form, or a test."""

    model_config = ConfigDict(frozen=True)

    source: Text  # the batch's name: the file's name, or the form's
    people: tuple[Person, ...]

    @model_validator(mode="after")
    def _one_row_per_address(self) -> Self:
        seen: set[str] = set()
        for person in self.people:
            if person.email in seen:
                raise PydanticCustomError("email_repeated", "{email} is given twice", {"email": person.email})
            seen.add(person.email)
        return self

    def changes(self) -> FileChanges:
        """The rows as the store writes them (``Store.apply([rows.changes()], admin)``)."""
        frame = pd.DataFrame([person.model_dump(mode="json") for person in self.people],
                             columns=["email", "name", "manager_email", "language", "team", "whatsapp"])
        digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
        return FileChanges(file_name=self.source, sha256=digest, kind=FileKind.PEOPLE, people=frame)


class HasPeople(Protocol):
    def people(self) -> list[dict]: ...


@dataclass(frozen=True)
class OwnerMatch:
    """Owners of key results matched to people by name key."""

    people: dict[str, Person] = field(default_factory=dict)  # owner as written -> the one person so named
    unknown: tuple[str, ...] = ()  # owners no person is named
    ambiguous: dict[str, tuple[Person, ...]] = field(default_factory=dict)  # owners two or more people are named


def match_owners(owners: Iterable[str], people: Iterable[Person]) -> OwnerMatch:
    """Each owner (as written in owner cells) to the person of that name (``names.name_key``)."""
    by_key: dict[str | None, list[Person]] = {}
    for person in people:
        by_key.setdefault(name_key(person.name), []).append(person)
    matched: dict[str, Person] = {}
    unknown: list[str] = []
    ambiguous: dict[str, tuple[Person, ...]] = {}
    for owner in dict.fromkeys(owners):
        found = by_key.get(name_key(owner), [])
        if len(found) == 1:
            matched[owner] = found[0]
        elif found:
            ambiguous[owner] = tuple(found)
        else:
            unknown.append(owner)
    return OwnerMatch(matched, tuple(unknown), ambiguous)


def stored_people(store: HasPeople) -> list[Person]:
    """The people the store holds (validated when they were written)."""
    return [Person.model_validate(row) for row in store.people()]
