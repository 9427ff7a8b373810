"""The data model: enums and pydantic records shared by the importer, the store and the pages."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from enum import StrEnum
from typing import Annotated, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from okrdash.vocabulary import WORDS, month_number, parse_word, word_list


E = TypeVar("E", bound=StrEnum)


class Status(StrEnum):
    """Status of a key result, objective or KPI. The strings are stored and exported as they are."""

    ON_TRACK = "On Track"
    AT_RISK = "At Risk"
    OFF_TRACK = "Off Track"
    COMPLETE = "Complete"
    NO_DATA = "No Data"
    NO_TARGET = "No Target"


class KRKind(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    MILESTONE = "milestone"


class ObjectiveType(StrEnum):
    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    RANGE = "range"


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class KpiType(StrEnum):
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    FUNCTIONAL = "functional"


class Indicator(StrEnum):
    LEADING = "leading"
    LAGGING = "lagging"


class FileKind(StrEnum):
    """The kinds of file the importer tells apart by their headers (okrdash/kinds.py declares them)."""

    OKRS = "okrs"
    CHECKINS = "checkins"
    KPIS = "kpis"
    PEOPLE = "people"  # the people reminders go to (issue 25): only an admin writes them


class Language(StrEnum):
    """The language a person reads okrdash's mails in."""

    EN = "en"
    ID = "id"


@functools.lru_cache(maxsize=4096)  # a large file repeats a handful of spellings thousands of times
def parse_enum(enum: type[E], text: str) -> E:
    """Parse an enum value written in any case, with spaces or dashes, in English or Indonesian, or
    as a page shows it (okrdash/vocabulary.py holds the words)."""
    value = parse_word(enum.__name__, text) if enum.__name__ in WORDS else None
    try:
        return enum(value if value is not None else text.strip().lower().replace(" ", "_"))
    except ValueError:
        choices = word_list(enum.__name__, "en") if enum.__name__ in WORDS else ", ".join(e.value for e in enum)
        raise PydanticCustomError("enum_choice", "must be one of {choices}", {
            "choices": choices, "choices_id": word_list(enum.__name__, "id") if enum.__name__ in WORDS else choices,
        }) from None


def _finite(value: float | None) -> float | None:
    if value is not None and (math.isnan(value) or math.isinf(value) or abs(value) > MAX_ABS_NUMBER):
        raise PydanticCustomError("number_out_of_range", "must be a finite number", {})
    return value


# Values beyond this are typos or overflow probes, not business numbers.
MAX_ABS_NUMBER = 1e15

# The longest name or text field a model takes.
MAX_TEXT = 500
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
Number = Annotated[float, AfterValidator(_finite)]
OptionalNumber = Annotated[float | None, AfterValidator(_finite)]

# Quarter spellings people write: 2026-Q2, Q2 2026, 2026Q2, Q4-26, FY2026 Q4, Q4 Y2026, Kuartal 4 2026,
# Kuartal IV 2026, TW4 2026, Triwulan IV 2026, and "2026 4" (a Tahun column and a Kuartal column joined).
_QUARTER_WORD = r"(?:Q|K|TW|KUARTAL|KWARTAL|TRIWULAN|QUARTER)"
_QUARTER_NUMBER = r"(?P<q>[1-4]|IV|III|II|I)"
_QUARTER_PATTERNS = (
    # A two-digit year only after the quarter ("Q4-26"): "26-Q2" is too likely a typo to read.
    re.compile(rf"^(?:FY|Y|TA|TAHUN)?\s*(?P<year>\d{{4}})\s*[-/ ]?\s*{_QUARTER_WORD}\s*{_QUARTER_NUMBER}$", re.I),
    re.compile(rf"^{_QUARTER_WORD}\s*{_QUARTER_NUMBER}\s*[-/ ]?\s*(?:FY|Y|TA|TAHUN)?\s*(?P<year>\d{{4}})$", re.I),
    re.compile(rf"^{_QUARTER_WORD}\s*{_QUARTER_NUMBER}\s*[- ]\s*(?P<year>\d{{2}})$", re.I),  # "Q4-26" ("Q2/26" is not)
    re.compile(r"^(?P<year>\d{4})\s+(?P<q>[1-4]|IV|III|II|I)$", re.I),
)
# "Okt-Des 2026", "Jan - Mar 2026": a quarter written as its first and last month.
_MONTH_RANGE = re.compile(r"^(?P<first>[A-Za-z]{3,})\.?\s*[-–/]\s*(?P<last>[A-Za-z]{3,})\.?\s+(?P<year>\d{4})$")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _quarter_of(name: str) -> tuple[int, int] | None:
    """(year, quarter) of a quarter spelling, None when ``name`` is not one."""
    for pattern in _QUARTER_PATTERNS:
        if match := pattern.match(name):
            year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
            return year, _ROMAN.get(match["q"].upper()) or int(match["q"])
    if match := _MONTH_RANGE.match(name):
        first, last = month_number(match["first"]), month_number(match["last"])
        if first in (1, 4, 7, 10) and last == first + 2:
            return int(match["year"]), (first + 2) // 3
    return None


class Cycle(BaseModel):
    """An OKR cycle: a quarter like 2026-Q2, or any name with explicit start and end dates."""

    model_config = ConfigDict(frozen=True)

    name: Text
    start_date: dt.date
    end_date: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end_date <= self.start_date:
            raise PydanticCustomError("cycle_dates", "the cycle must end after it starts", {})
        return self

    @classmethod
    def parse(
        cls, text: str, start_date: dt.date | None = None, end_date: dt.date | None = None
    ) -> Cycle:
        """A cycle from a quarter spelling ("2026-Q2", "Q2 2026", "Kuartal IV 2026", "Okt-Des 2026" ...),
        or any name plus both dates."""
        name = text.strip()
        if found := _quarter_of(name):
            year, quarter = found
            quarter_start = dt.date(year, 3 * quarter - 2, 1)
            next_start = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
            return cls(
                name=f"{year}-Q{quarter}",
                start_date=start_date or quarter_start,
                end_date=end_date or next_start - dt.timedelta(days=1),
            )
        if start_date and end_date and name:
            return cls(name=name, start_date=start_date, end_date=end_date)
        raise PydanticCustomError("cycle_format", "use a quarter like 2026-Q2, or give start and end dates", {})

    @classmethod
    def containing(cls, day: dt.date) -> Cycle:
        """The calendar quarter that contains ``day``."""
        return cls.parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


class Objective(BaseModel):
    cycle: Cycle
    team: Text
    title: Text
    owner: OptionalText = None
    type: ObjectiveType = ObjectiveType.ASPIRATIONAL
    parent_title: OptionalText = None


# A key result whose title says it lowers something, when no baseline tells the direction.
_DECREASE_WORDS = re.compile(
    r"\b(reduce|decrease|lower|cut|shorten|kurangi|turunkan|menurunkan|mengurangi|pangkas|percepat)\b", re.I
)


class KeyResult(BaseModel):
    objective_title: Text
    title: Text
    owner: OptionalText = None
    kind: KRKind | None = None
    baseline: OptionalNumber = None
    target: OptionalNumber = None
    unit: OptionalText = None
    weight: Number = Field(default=1.0)
    kpi_name: OptionalText = None
    # Measured from this day when it starts after its cycle; None: from the cycle's start.
    start_date: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        self.kind, self.baseline, self.target = key_result_numbers(
            self.title, self.kind, self.baseline, self.target, self.weight)
        return self

    def infer_kind(self) -> KRKind:
        """Increase or decrease from baseline vs target; from the title's verb when the baseline is missing."""
        return infer_kind(self.title, self.baseline, self.target)


def infer_kind(title: str, baseline: float | None, target: float | None) -> KRKind:
    """Increase or decrease from baseline vs target; from the title's verb when the baseline is missing."""
    if baseline is not None and target is not None and baseline != target:
        return KRKind.INCREASE if target > baseline else KRKind.DECREASE
    return KRKind.DECREASE if _DECREASE_WORDS.search(title) else KRKind.INCREASE


def key_result_numbers(title: str, kind: KRKind | None, baseline: float | None, target: float | None,
                       weight: float) -> tuple[KRKind, float | None, float | None]:
    """A key result's kind, baseline and target as stored (a kind inferred, a milestone's 0 and 1), or
    the PydanticCustomError that keeps its numbers from fitting. KeyResult's own rule, and the one
    the importer applies to a file's rows without a model per row."""
    if weight <= 0:
        raise PydanticCustomError("weight_positive", "the weight must be greater than 0", {})
    if kind is None:
        kind = infer_kind(title, baseline, target)
    if kind is KRKind.MILESTONE:
        return kind, 0.0 if baseline is None else baseline, 1.0 if target is None else target
    if baseline is not None and target is not None and kind in (KRKind.INCREASE, KRKind.DECREASE):
        if baseline == target:
            raise PydanticCustomError(
                "target_equals_baseline", "the target equals the baseline, so progress cannot move", {}
            )
        if (kind is KRKind.INCREASE) != (target > baseline):
            raise PydanticCustomError(
                "kind_contradicts_numbers", "{kind} does not fit a baseline of {baseline} and a target of {target}",
                {"kind": kind.value, "baseline": baseline, "target": target},
            )
    return kind, baseline, target


class CheckIn(BaseModel):
    date: dt.date
    value: Number
    confidence: Annotated[float | None, Field(ge=0, le=10)] = None
    note: Annotated[str | None, StringConstraints(max_length=5000)] = None


class Kpi(BaseModel):
    team: Text
    name: Text
    unit: OptionalText = None
    direction: Direction = Direction.HIGHER_IS_BETTER
    target: OptionalNumber = None
    min_value: OptionalNumber = None
    max_value: OptionalNumber = None
    tolerance: OptionalNumber = None
    tolerance_is_share: bool = False
    frequency: Frequency = Frequency.MONTHLY
    kpi_type: KpiType = KpiType.OPERATIONAL
    indicator: Indicator = Indicator.LAGGING
    category: OptionalText = None
    owner: OptionalText = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.tolerance is not None and self.tolerance < 0:
            raise PydanticCustomError("tolerance_negative", "the tolerance cannot be negative", {})
        if self.direction is Direction.RANGE:
            if self.min_value is None or self.max_value is None:
                raise PydanticCustomError("range_needs_bounds", "a range KPI needs both min and max", {})
            if self.min_value > self.max_value:
                raise PydanticCustomError("range_inverted", "min is greater than max", {})
        return self


class KpiMeasurement(BaseModel):
    date: dt.date
    value: Number
    target: OptionalNumber = None


class Batch(BaseModel):
    """One import, as recorded in the store."""

    id: int
    imported_at: dt.datetime
    file_name: str
    sha256: str
    kind: str
    inserted: int
    updated: int
    imported_by: str | None = None
    # The operating system account a command-line import or undo ran as (None for the app's writes).
    imported_os_user: str | None = None
    undone_at: dt.datetime | None = None
    undone_by: str | None = None
    undone_os_user: str | None = None
