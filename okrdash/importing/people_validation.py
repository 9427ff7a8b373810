"""Validation of a people file (issue 25): one row per e-mail address, each through the Person model
(okrdash/people.py), where what an address, a language or a WhatsApp number may be lives once.

A people file has at most a few thousand rows, so every row goes through pydantic; the blank
required cells and repeated addresses are found in bulk first, like any file kind's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.importing.checks import enum_choices, pydantic_problems
from okrdash.importing.table import CsvTable
from okrdash.models import Language, parse_enum
from okrdash.people import PeopleRows, Person

if TYPE_CHECKING:
    from okrdash.importing.validation import Validator

PEOPLE_COLUMNS = ("name", "email", "manager_email", "language", "team", "whatsapp")


def validate_people(v: Validator, table: CsvTable) -> None:
    """Every problem of a people file, or its FileChanges appended to ``v.changes``."""
    v._cell_problems(table, numbers=(), dates=(), required=("name", "email"))
    # Addresses are compared as stored: trimmed and in lower case.
    v._duplicates(table, ("email",), where="NOT okr_blank(email)", key=("lower(trim(email))",))
    selected = ", ".join(f'"{c}"' if c in table.columns else f'NULL AS "{c}"' for c in PEOPLE_COLUMNS)
    cursor = v.con.execute(f'SELECT line, {selected} FROM "{table.table}" ORDER BY line')
    people: list[tuple[int, Person]] = []
    for record in cursor.fetchall():
        row = dict(zip(("line", *PEOPLE_COLUMNS), record))
        person = _person(v, table, row)
        if person is not None:
            people.append((row["line"], person))
    if v.problems:
        return
    _unknown_managers(v, table, people)
    change = PeopleRows(source=table.file_name, people=tuple(person for _, person in people)).changes()
    change.sha256 = table.sha256
    v.changes.append(change)


def _person(v: Validator, table: CsvTable, row: dict[str, Any]) -> Person | None:
    """The row as a Person, or None with its problems added (a blank required cell was named already)."""
    fields = {c: (row[c].strip() or None) if isinstance(row[c], str) else None for c in PEOPLE_COLUMNS}
    if fields["name"] is None or fields["email"] is None:
        return None
    language_read = True
    if fields["language"] is not None:
        try:
            fields["language"] = parse_enum(Language, fields["language"])
        except PydanticCustomError as error:  # named; the row's other cells are still checked
            v._problem(table, row["line"], "language", row["language"], "enum_choice", choices=enum_choices(error))
            fields["language"], language_read = None, False
    try:
        person = Person(**{k: value for k, value in fields.items() if value is not None})
    except ValidationError as error:
        v.problems += pydantic_problems(error, table.file_name, row["line"], row, {c: c for c in PEOPLE_COLUMNS})
        return None
    return person if language_read else None


def _unknown_managers(v: Validator, table: CsvTable, people: list[tuple[int, Person]]) -> None:
    """A manager address that is no one's, in the file or stored: their digest would go to an address
    okrdash has no name or language for. Worth a look, not a refusal (the manager may be added later)."""
    known = {person.email for _, person in people} | {row["email"] for row in v.store.people()}
    named: set[str] = set()
    for line, person in people:
        manager = person.manager_email
        if manager and manager not in known and manager not in named:
            named.add(manager)
            v._warn(table, line, "manager_email", manager, "manager_not_a_person")
