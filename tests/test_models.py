"""The pydantic records and enum parsing of okrdash.models."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from okrdash.models import (
    MAX_ABS_NUMBER,
    CheckIn,
    Cycle,
    Direction,
    Frequency,
    Indicator,
    KeyResult,
    Kpi,
    KpiType,
    KRKind,
    ObjectiveType,
    Status,
    parse_enum,
)


def error_types(error: ValidationError) -> set[str]:
    return {detail["type"] for detail in error.errors()}


# -- cycles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-Q2", "Q2 2026", "Q2-2026", "2026Q2", "q2 2026", "2026 Q2", "2026/Q2"])
def test_quarter_forms_name_the_same_cycle(text):
    cycle = Cycle.parse(text)
    assert cycle.name == "2026-Q2"
    assert (cycle.start_date, cycle.end_date) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2028-Q1", dt.date(2028, 1, 1), dt.date(2028, 3, 31)),
    ],
)
def test_quarter_bounds(text, start, end):
    cycle = Cycle.parse(text)
    assert (cycle.start_date, cycle.end_date) == (start, end)


def test_named_cycle_needs_explicit_dates():
    cycle = Cycle.parse("Sprint 7", dt.date(2026, 5, 1), dt.date(2026, 5, 14))
    assert (cycle.name, cycle.start_date, cycle.end_date) == ("Sprint 7", dt.date(2026, 5, 1), dt.date(2026, 5, 14))
    with pytest.raises(PydanticCustomError) as caught:
        Cycle.parse("Sprint 7")
    assert caught.value.type == "cycle_format"


def test_quarter_with_explicit_dates_keeps_the_dates():
    cycle = Cycle.parse("2026-Q2", dt.date(2026, 4, 6), dt.date(2026, 7, 3))
    assert (cycle.name, cycle.start_date, cycle.end_date) == ("2026-Q2", dt.date(2026, 4, 6), dt.date(2026, 7, 3))


@pytest.mark.parametrize("text", ["2026-Q5", "Q0 2026", "next quarter", "26-Q2", ""])
def test_unparseable_cycles(text):
    with pytest.raises(PydanticCustomError) as caught:
        Cycle.parse(text)
    assert caught.value.type == "cycle_format"


def test_cycle_must_end_after_it_starts():
    with pytest.raises(ValidationError) as caught:
        Cycle.parse("Backwards", dt.date(2026, 5, 31), dt.date(2026, 5, 1))
    assert error_types(caught.value) == {"cycle_dates"}


@pytest.mark.parametrize(
    ("day", "name"),
    [(dt.date(2026, 1, 1), "2026-Q1"), (dt.date(2026, 3, 31), "2026-Q1"), (dt.date(2026, 4, 1), "2026-Q2"),
     (dt.date(2026, 12, 31), "2026-Q4")],
)
def test_cycle_containing_a_day(day, name):
    cycle = Cycle.containing(day)
    assert cycle.name == name
    assert cycle.start_date <= day <= cycle.end_date


# -- key results ----------------------------------------------------------------------------------


def test_kind_inferred_from_baseline_and_target():
    assert KeyResult(objective_title="O", title="A", baseline=48, target=30).kind is KRKind.DECREASE
    assert KeyResult(objective_title="O", title="B", baseline=4, target=10).kind is KRKind.INCREASE


@pytest.mark.parametrize(
    ("title", "kind"),
    [("Reduce churn", KRKind.DECREASE), ("Kurangi keluhan pelanggan", KRKind.DECREASE),
     ("Cut onboarding time", KRKind.DECREASE), ("Sign 20 customers", KRKind.INCREASE)],
)
def test_kind_inferred_from_title_without_baseline(title, kind):
    assert KeyResult(objective_title="O", title=title, target=10).kind is kind


def test_milestone_defaults_to_zero_and_one():
    kr = KeyResult(objective_title="O", title="Launch", kind=KRKind.MILESTONE)
    assert (kr.baseline, kr.target) == (0.0, 1.0)


def test_weight_defaults_to_one_and_must_be_positive():
    assert KeyResult(objective_title="O", title="K", target=1).weight == 1.0
    for weight in (0, -1):
        with pytest.raises(ValidationError) as caught:
            KeyResult(objective_title="O", title="K", target=1, weight=weight)
        assert error_types(caught.value) == {"weight_positive"}


def test_target_equal_to_baseline_is_refused():
    with pytest.raises(ValidationError) as caught:
        KeyResult(objective_title="O", title="K", baseline=10, target=10)
    assert error_types(caught.value) == {"target_equals_baseline"}


def test_stated_kind_must_fit_the_numbers():
    with pytest.raises(ValidationError) as caught:
        KeyResult(objective_title="O", title="K", kind=KRKind.INCREASE, baseline=10, target=5)
    assert error_types(caught.value) == {"kind_contradicts_numbers"}
    # Bounds need no direction: at_least below its baseline is fine.
    assert KeyResult(objective_title="O", title="K", kind=KRKind.AT_LEAST, baseline=90, target=80).target == 80


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, MAX_ABS_NUMBER * 10])
def test_numbers_must_be_finite_and_reasonable(value):
    with pytest.raises(ValidationError) as caught:
        KeyResult(objective_title="O", title="K", baseline=0, target=value)
    assert error_types(caught.value) == {"number_out_of_range"}


def test_blank_titles_are_refused():
    with pytest.raises(ValidationError):
        KeyResult(objective_title="O", title="   ", target=1)


# -- check-ins and KPIs ----------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [-1, 10.5])
def test_checkin_confidence_is_0_to_10(confidence):
    with pytest.raises(ValidationError):
        CheckIn(date=dt.date(2026, 5, 1), value=1, confidence=confidence)
    assert CheckIn(date=dt.date(2026, 5, 1), value=1, confidence=10).confidence == 10


def test_kpi_defaults():
    kpi = Kpi(team="T", name="K")
    assert (kpi.direction, kpi.frequency, kpi.kpi_type, kpi.indicator) == (
        Direction.HIGHER_IS_BETTER, Frequency.MONTHLY, KpiType.OPERATIONAL, Indicator.LAGGING)


def test_range_kpi_needs_ordered_bounds():
    with pytest.raises(ValidationError) as caught:
        Kpi(team="T", name="K", direction=Direction.RANGE, min_value=2)
    assert error_types(caught.value) == {"range_needs_bounds"}
    with pytest.raises(ValidationError) as caught:
        Kpi(team="T", name="K", direction=Direction.RANGE, min_value=8, max_value=2)
    assert error_types(caught.value) == {"range_inverted"}


def test_kpi_tolerance_cannot_be_negative():
    with pytest.raises(ValidationError) as caught:
        Kpi(team="T", name="K", target=10, tolerance=-1)
    assert error_types(caught.value) == {"tolerance_negative"}


# -- enums ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum", "text", "value"),
    [
        (KRKind, "Increase", KRKind.INCREASE), (KRKind, "AT-LEAST", KRKind.AT_LEAST),
        (KRKind, "at most", KRKind.AT_MOST), (KRKind, "tonggak", KRKind.MILESTONE),
        (KRKind, "turun", KRKind.DECREASE),
        (ObjectiveType, "komitmen", ObjectiveType.COMMITTED), (ObjectiveType, "aspiratif", ObjectiveType.ASPIRATIONAL),
        (Direction, "lower", Direction.LOWER_IS_BETTER), (Direction, "Lower is better", Direction.LOWER_IS_BETTER),
        (Direction, "naik", Direction.HIGHER_IS_BETTER), (Direction, "turun", Direction.LOWER_IS_BETTER),
        (Direction, "rentang", Direction.RANGE),
        (Frequency, "mingguan", Frequency.WEEKLY), (Frequency, "kuartalan", Frequency.QUARTERLY),
        (Frequency, "tahunan", Frequency.YEARLY), (Frequency, "harian", Frequency.DAILY),
        (KpiType, "strategis", KpiType.STRATEGIC), (KpiType, "fungsional", KpiType.FUNCTIONAL),
        (Indicator, "leading", Indicator.LEADING),
    ],
)
def test_parse_enum_accepts_case_spacing_and_indonesian(enum, text, value):
    assert parse_enum(enum, text) is value


def test_parse_enum_names_the_choices():
    with pytest.raises(PydanticCustomError) as caught:
        parse_enum(Direction, "sideways")
    assert caught.value.type == "enum_choice"
    assert "lower_is_better" in caught.value.context["choices"]


def test_status_strings_are_stable():
    # The strings are stored and exported as they are; renaming one breaks stored data.
    assert [s.value for s in Status] == ["On Track", "At Risk", "Off Track", "Complete", "No Data", "No Target"]


@pytest.mark.parametrize("text", [
    "Kuartal 4 2026", "Kuartal IV 2026", "TW4 2026", "Triwulan IV 2026", "Okt-Des 2026", "Q4-26", "FY2026 Q4",
    "Q4 Y2026", "kuartal iv 2026", "2026 4", "2026 IV", "Oct - Dec 2026",
])
def test_quarter_spellings_people_write(text):
    cycle = Cycle.parse(text)
    assert (cycle.name, cycle.start_date, cycle.end_date) == ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize("text", ["Kuartal V 2026", "Feb-Apr 2026", "TW0 2026", "Q4-2", "Okt-Des"])
def test_near_quarter_spellings_are_refused(text):
    with pytest.raises(PydanticCustomError):
        Cycle.parse(text)
