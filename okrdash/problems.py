"""Validation problems: where (file, line, column), what (the value) and why (a message code).

Messages are rendered in the reader's language from the ``problem.*`` strings in the locales, so
the same problem reads in English in the CLI and in Bahasa Indonesia on an Indonesian page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrdash.i18n import translate


@dataclass(frozen=True)
class Localised:
    """A message parameter written for each reader: ``Localised("cycle, team", "Siklus, Tim")``."""

    en: str
    id: str

    def __str__(self) -> str:
        return self.en

    def text(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


def localised(key: str) -> Localised:
    """The string ``key`` of the locales in both languages, as a message parameter."""
    return Localised(translate(key, "en"), translate(key, "id"))


def localised_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: v.text(lang) if isinstance(v, Localised) else v for k, v in params.items()}


@dataclass(frozen=True)
class Problem:
    file_name: str
    line: int | None
    column: str | None
    value: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return translate(f"problem.{self.code}", lang, **localised_params(self.params, lang))

    def describe(self, lang: str = "en") -> str:
        """One line for a terminal: ``okrs.csv line 7, column target, value "x": must be a number``."""
        where = [self.file_name]
        if self.line is not None:
            where.append(translate("problem.at_line", lang, line=self.line))
        if self.column:
            where.append(translate("problem.at_column", lang, column=self.column))
        if self.value not in (None, ""):
            where.append(translate("problem.at_value", lang, value=self.value))
        return f"{', '.join(where)}: {self.message(lang)}"

    def as_row(self, lang: str = "en") -> dict[str, Any]:
        return {
            "file": self.file_name,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
        }


def problem_total(problems: list[Problem]) -> int:
    """How many problems were found: those listed plus those the "N more problems" notes count."""
    return sum(int(p.params.get("count", 0)) if p.code == "more_problems" else 1 for p in problems)


class ImportFailed(Exception):
    """Raised when an upload has problems; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        # File-level problems first, then by line; the "N more problems" note last.
        self.problems = sorted(
            problems, key=lambda p: (p.code == "more_problems", p.file_name, p.line or 0, p.column or "")
        )
        super().__init__(f"{self.total} problem(s) found; nothing was imported")

    @property
    def total(self) -> int:
        return problem_total(self.problems)
