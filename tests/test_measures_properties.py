"""Property tests of what an okrs row's shares say (importing/measures.py) and of round numbers:
a progress or achievement written the way a spreadsheet rounds it always agrees with the value it
was worked out from, and the value worked out from it has that progress."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from okrdash.importing.measures import settle
from okrdash.importing.number_format import NumberEvidence, decide_numbers
from okrdash.importing.reading import NumberFormat, ReadingChoices

AMOUNTS = st.integers(-10_000, 10_000).map(lambda n: n / 10)


def row(**cells) -> dict:
    base = {"kind": None, "direction": None, "target_bound": None, "baseline_value": None, "target_value": None,
            "current_value": None, "current_milestone": None, "status_milestone": None, "unit": None,
            "target_unit": None, "baseline_unit": None, "progress": None, "progress_share": None,
            "progress_points": True, "achievement": None, "achievement_share": None, "achievement_points": True}
    return {**base, **cells}


@settings(max_examples=300, deadline=None)
@given(baseline=AMOUNTS, target=AMOUNTS, current=AMOUNTS, decimals=st.integers(0, 2))
def test_a_rounded_progress_agrees_with_its_value(baseline, target, current, decimals):
    if baseline == target:
        return
    points = round((current - baseline) / (target - baseline) * 100, decimals)
    written = f"{points:.{decimals}f}%"
    settled = settle(row(baseline_value=baseline, target_value=target, current_value=current, progress=written,
                         progress_share=points))
    assert settled.problem is None, (written, settled.problem)
    assert settled.current == current


@settings(max_examples=300, deadline=None)
@given(baseline=AMOUNTS, target=AMOUNTS, points=st.integers(-50, 250))
def test_a_value_worked_out_from_progress_has_that_progress(baseline, target, points):
    if baseline == target:
        return
    settled = settle(row(baseline_value=baseline, target_value=target, progress=f"{points}%", progress_share=points))
    assert settled.problem is None and settled.derived == "progress"
    assert abs((settled.current - baseline) / (target - baseline) * 100 - points) < 1e-6


@settings(max_examples=200, deadline=None)
@given(thousands=st.integers(1, 999), separator=st.sampled_from([",", "."]))
def test_a_round_number_beside_a_whole_number_groups_thousands(thousands, separator):
    cell = f"{thousands}{separator}{'000' if thousands % 2 else '500'}"
    key = "round_comma" if separator == "," else "round_dot"
    evidence = {"value": NumberEvidence(Counter({key: 1}), {key: (2, cell)}, whole_numbers=True)}
    readings, problems = decide_numbers("f.csv", evidence, file_signals=[], elsewhere={}, choices=ReadingChoices())
    assert problems == []
    assert readings["value"].format is (NumberFormat.EN if separator == "," else NumberFormat.ID)
