"""Checks every file kind's validation shares: pydantic errors as problems, finite numbers, dates
within a cycle, the words of an enum column, the cap on problems listed."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.models import MAX_ABS_NUMBER
from okrdash.problems import Localised, Problem
from okrdash.settings import Settings


def capped(problems: list[Problem], config: Settings, unlisted: int = 0) -> list[Problem]:
    """At most ``max_reported_problems``, then one line saying how many more there are."""
    limit = config.max_reported_problems
    if len(problems) <= limit and not unlisted:
        return problems
    shown = sorted(problems, key=lambda p: (p.file_name, p.line or 0))[:limit]
    more = len(problems) - len(shown) + unlisted
    return shown + [Problem(shown[-1].file_name, None, None, None, "more_problems", {"count": more})]


def pydantic_problems(error: ValidationError, file_name: str, line: int, row: dict[str, Any],
                       column_of: dict[str, str]) -> list[Problem]:
    """Pydantic errors as problems, with the CSV column the field came from."""
    found = []
    for detail in error.errors():
        code = detail["type"]
        field_name = str(detail["loc"][0]) if detail["loc"] else MODEL_ERROR_FIELDS.get(code)
        column = column_of.get(field_name or "", field_name)
        params = dict(detail.get("ctx") or {})
        if code == "string_too_long":
            code = "text_too_long"
        elif code == "missing" or code == "string_too_short":
            code = "required"
        elif not code.islower() or code not in KNOWN_CODES:
            params = {"detail": detail["msg"]}
            code = "invalid"
        value = row.get(column) if column else None
        found.append(Problem(file_name, line, column, None if value is None else str(value), code, params))
    return found


# Errors raised by a model's cross-field validator, and the field each one is about.
MODEL_ERROR_FIELDS = {
    "weight_positive": "weight", "target_equals_baseline": "target", "kind_contradicts_numbers": "kind",
    "tolerance_negative": "tolerance", "range_needs_bounds": "direction", "range_inverted": "min_value",
    "cycle_dates": "end_date",
}

KNOWN_CODES = {
    "text_too_long", "required", "enum_choice", "cycle_format", "cycle_dates", "weight_positive",
    "target_equals_baseline", "kind_contradicts_numbers", "tolerance_negative", "range_needs_bounds",
    "range_inverted", "number_out_of_range", "email_invalid", "whatsapp_invalid", "email_repeated",
}


# A check-in this many days after its cycle's end is still a late update, not a typo.
DATE_MARGIN_DAYS = 31
MAX_WARNINGS_PER_CODE = 20


def within(day: dt.date, start: dt.date, end: dt.date) -> bool:
    """``day`` inside the cycle, or at most DATE_MARGIN_DAYS after its end."""
    return start <= day and (day - end).days <= DATE_MARGIN_DAYS  # (end + margin may pass year 9999)


def finite(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and abs(value) <= MAX_ABS_NUMBER)




def enum_choices(error: PydanticCustomError) -> Localised:
    """The words an enum column takes, for the reader of each language (models.parse_enum's error)."""
    context = error.context or {}
    return Localised(str(context.get("choices", "")), str(context.get("choices_id", context.get("choices", ""))))


class BadCell(Exception):
    """A cell of an enum column whose word is none of its values."""

    def __init__(self, column: str, choices: Localised):
        self.column, self.choices = column, choices
