"""Numbers typed in the browser are read by the file reader, in the convention of the reader's language.

"6,5" in an Indonesian form is six and a half, "1.500" fifteen hundred and "Rp1.500.000" an amount;
"6.5" and "1,500" are the English spellings. A number the convention cannot read is refused naming
the field; NaN, infinity, a day outside the cycle and an objective the table does not offer are
refused with their own messages, never changed into something else (a blank, a default day).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrdash import checkins, editing
from okrdash.access import admin_writer
from okrdash.i18n import strings
from okrdash.importing import NumberFormat
from okrdash.importing.cells import read_number
from okrdash.importing.rows import number_cell, number_text
from okrdash.models import MAX_ABS_NUMBER
from okrdash.problems import ImportFailed
from tests.conftest import END, START, day, kr_row

ID, EN = NumberFormat.ID, NumberFormat.EN
OKRS = (f"cycle,start_date,end_date,team,objective,key_result,baseline,target,unit,kind\n"
        f"Sprint 1,{START},{END},Sales,Grow revenue,Lift NPS from 4.1 to 4.6,4.1,4.6,,increase\n"
        f"Sprint 1,{START},{END},Sales,Grow revenue,Sign 100 customers,0,100,,increase\n")
NPS = checkins.KeyResultRef("Sprint 1", "Sales", "Grow revenue", "Lift NPS from 4.1 to 4.6")
LABELS = {"value": "Nilai baru", "date": "Tanggal", "confidence": "Keyakinan", "note": "Catatan",
          "target": "Target untuk periode ini"}
ADMIN = admin_writer("rina")


# -- the reading of one typed cell ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "numbers", "value"), [
    ("6,5", ID, 6.5), ("1.500", ID, 1500.0), ("Rp1.500.000", ID, 1_500_000.0), ("45%", ID, 45.0),
    ("-4,4", ID, -4.4), ("1.234,5", ID, 1234.5), ("0,8", ID, 0.8), ("Rp 2,5 M", ID, 2.5e9),
    ("6.5", EN, 6.5), ("1,500", EN, 1500.0), ("Rp1,500,000", EN, 1_500_000.0), ("45%", EN, 45.0),
    ("-4.4", EN, -4.4), ("1,234.5", EN, 1234.5), ("1.500", EN, 1.5),
])
def test_a_typed_number_reads_in_the_readers_convention(text, numbers, value):
    reading = read_number(f"  {text} ", numbers)
    assert (reading.value, reading.problem) == (value, None)


@pytest.mark.parametrize(("text", "numbers", "problem"), [
    ("6.5", ID, "not_a_number"), ("6,5", EN, "not_a_number"), ("1,5,0", ID, "not_a_number"),
    ("lima", ID, "not_a_number"), ("NaN", ID, "number_out_of_range"), ("inf", EN, "number_out_of_range"),
    ("-Infinity", ID, "number_out_of_range"), ("1e400", EN, "number_out_of_range"),
    ("9.999.999.999.999.999", ID, "number_out_of_range"), ("#DIV/0!", ID, "formula_error"),
])
def test_what_the_convention_cannot_read_is_a_problem(text, numbers, problem):
    reading = read_number(text, numbers)
    assert (reading.value, reading.problem) == (None, problem)
    assert read_number("   ", numbers) is None  # a blank is no number, and no problem


finite = st.floats(min_value=-MAX_ABS_NUMBER, max_value=MAX_ABS_NUMBER, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(value=finite, numbers=st.sampled_from(NumberFormat))
def test_any_number_written_in_a_convention_reads_back_to_itself(value, numbers):
    text = number_text(value, numbers)
    assert read_number(text, numbers).value == value + 0.0, text  # -0.0 is written "0"


@st.composite
def spelled(draw):
    """A number as a person writes it in a convention: sign, Rupiah or percent, grouped or not, decimals.
    Rupiah amounts are whole (the file reader reads "Rp1.500" as thousands in either convention)."""
    numbers = draw(st.sampled_from(NumberFormat))
    affix = draw(st.sampled_from(["", "Rp", "%"]))
    whole = draw(st.integers(min_value=0, max_value=10**12))
    fraction = "" if affix == "Rp" else draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=6)))
    group, decimal = (".", ",") if numbers is ID else (",", ".")
    digits = f"{whole:,}".replace(",", group) if draw(st.booleans()) else str(whole)
    body = digits + (decimal + fraction if fraction else "")
    sign = draw(st.sampled_from(["", "-"]))
    text = f"{sign}Rp{body}" if affix == "Rp" else f"{sign}{body}{affix}"
    value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    return numbers, text, value


@settings(max_examples=300, deadline=None)
@given(case=spelled())
def test_what_a_person_types_in_a_convention_reads_as_they_meant(case):
    numbers, text, value = case
    reading = read_number(text, numbers)
    assert reading is not None and reading.problem is None, text
    assert reading.value == float(value), text


def test_a_number_cell_keeps_what_was_sent():
    assert number_cell(" 6,5 ", ID) == " 6,5 "  # text as typed (the scratch table trims it, as a file's)
    assert number_cell(6.5, ID) == "6,5" and number_cell(1500, EN) == "1,500" and number_cell(None, ID) is None
    # NaN and infinities are no blank: the reader refuses them instead.
    assert [number_cell(v, ID) for v in (math.nan, math.inf, -math.inf)] == ["nan", "inf", "-inf"]


# -- the forms' rows through the importer --------------------------------------------------------------------

@pytest.fixture
def sales(store, load):
    load(("okrs.csv", OKRS))
    return store


def test_six_comma_five_in_an_indonesian_check_in_is_six_and_a_half(sales):
    checkins.record_checkin(sales, NPS, "6,5", day(20), "7,5", None, ADMIN, LABELS, numbers=ID)
    checkins.record_checkin(sales, NPS, "4.3", day(21), None, None, ADMIN, LABELS, numbers=EN)
    assert [kr_row(sales, NPS.key_result, day(d))["current"] for d in (20, 21)] == [6.5, 4.3]


def test_a_number_the_convention_cannot_read_names_the_field_and_writes_nothing(sales):
    before = sales.table_counts()
    for text, numbers, code, examples in (("6.5", ID, "not_a_number_typed", "6,5 · 1.500 · 45% · Rp1.500.000"),
                                          ("6,5", EN, "not_a_number_typed", "6.5 · 1,500 · 45% · Rp1,500,000"),
                                          ("NaN", ID, "number_out_of_range", None),
                                          ("-inf", EN, "number_out_of_range", None)):
        with pytest.raises(ImportFailed) as caught:
            checkins.record_checkin(sales, NPS, text, day(20), None, None, ADMIN, LABELS, numbers=numbers)
        (problem,) = caught.value.problems
        assert (problem.column, problem.value, problem.code) == ("Nilai baru", text, code)
        if examples:
            assert examples in problem.message("id") and examples in problem.message("en")
    # A NaN sent as a number (a forged field) is refused the same way, not read as a blank ("required").
    with pytest.raises(ImportFailed) as caught:
        checkins.record_checkin(sales, NPS, math.nan, day(20), None, None, ADMIN, LABELS, numbers=ID)
    assert [(p.value, p.code) for p in caught.value.problems] == [("nan", "number_out_of_range")]
    assert sales.table_counts() == before


def test_a_check_in_outside_its_cycle_is_refused_not_moved(sales):
    before = sales.table_counts()
    for outside in (START - pd.Timedelta(days=1), END + pd.Timedelta(days=1)):
        with pytest.raises(ImportFailed) as caught:
            checkins.record_checkin(sales, NPS, "5", outside, None, None, ADMIN, LABELS, numbers=ID,
                                    within=(START, END))
        (problem,) = caught.value.problems
        assert (problem.column, problem.value, problem.code) == ("Tanggal", outside.isoformat(),
                                                                   "checkin_date_outside_cycle")
        assert START.isoformat() in problem.message("id") and END.isoformat() in problem.message("en")
    assert sales.table_counts() == before
    checkins.record_checkin(sales, NPS, "5", END, None, None, ADMIN, LABELS, numbers=ID, within=(START, END))
    assert kr_row(sales, NPS.key_result, END)["current"] == 5.0


def test_a_measurement_reads_amounts_and_refuses_nan_naming_the_value(sales):
    checkins.record_measurement(sales, "Sales", "Revenue", "Rp1.500.000", day(10), "Rp2.000.000", ADMIN, LABELS,
                                numbers=ID)
    checkins.record_measurement(sales, "Sales", "Revenue", "1,750,000", day(11), None, ADMIN, LABELS, numbers=EN)
    history = sales.kpi_history(int(sales.kpi_scores(day(11))["kpi_id"].iloc[0]))
    assert list(history["value"]) == [1_500_000.0, 1_750_000.0] and history["target"].iloc[0] == 2_000_000.0
    before = sales.table_counts()
    with pytest.raises(ImportFailed) as caught:
        checkins.record_measurement(sales, "Sales", "Revenue", "nan", day(12), None, ADMIN, LABELS, numbers=ID)
    assert [(p.column, p.value, p.code) for p in caught.value.problems] == [("Nilai baru", "nan", "number_out_of_range")]
    assert sales.table_counts() == before


def test_the_kpi_editor_reads_its_fields_in_the_convention_and_refuses_nan(sales):
    checkins.record_measurement(sales, "Sales", "Revenue", "10", day(10), None, ADMIN, LABELS, numbers=EN)
    version = sales.kpi_version("Sales", "Revenue")
    editing.save_kpi_definition(sales, "Sales", "Revenue", {"target": "1.500", "tolerance": "7,5%", "min": "0,5"},
                                version, ADMIN, {}, numbers=ID)
    (kpi,) = sales.kpi_definitions()
    assert (kpi["target"], kpi["tolerance"], kpi["tolerance_is_share"], kpi["min_value"]) == (1500.0, 0.075, True, 0.5)
    before = sales.table_counts()
    with pytest.raises(ImportFailed) as caught:  # a NaN target: refused, not read as "keep the stored one"
        editing.save_kpi_definition(sales, "Sales", "Revenue", {"target": math.nan}, sales.kpi_version("Sales", "Revenue"),
                                    ADMIN, {"target": "Target"}, numbers=ID)
    assert [(p.column, p.value, p.code) for p in caught.value.problems] == [("Target", "nan", "number_out_of_range")]
    assert sales.table_counts() == before and sales.kpi_definitions()[0]["target"] == 1500.0


def _okr_edit(store, numbers, change):
    objectives, key_results = store.team_okrs("Sprint 1", "Sales")
    typed = editing.typed_numbers(key_results, editing.KEY_RESULT_NUMBERS, numbers)
    plan = editing.plan_okr_edit("Sprint 1", "Sales", objectives, objectives, typed, change(typed.copy()), day(60),
                                 START, END, numbers)
    return plan, lambda: editing.save_okr_edit(store, plan, "Sprint 1", "Sales", store.okr_version("Sprint 1", "Sales"),
                                               ADMIN, {"baseline": "Nilai awal", "weight": "Bobot",
                                                       "objective": "Tujuan"}, today=day(60))


def test_the_okr_editor_writes_stored_numbers_in_the_convention_and_reads_them_back(sales):
    _, key_results = sales.team_okrs("Sprint 1", "Sales")
    typed = editing.typed_numbers(key_results, editing.KEY_RESULT_NUMBERS, ID)
    assert list(typed["baseline"]) == ["4,1", "0"] and str(typed["baseline"].dtype) == "str"
    plan, _ = _okr_edit(sales, ID, lambda frame: frame)
    assert plan.is_empty  # unchanged text reads back to the stored numbers: nothing to write

    def indonesian_baseline(frame):
        frame.loc[0, "baseline"] = "4,4"
        return frame

    _, save = _okr_edit(sales, ID, indonesian_baseline)
    save()
    assert kr_row(sales, NPS.key_result, day(60))["baseline"] == 4.4


def test_the_okr_editor_refuses_a_forged_nan_weight_and_an_objective_it_does_not_offer(sales):
    before = sales.table_counts()

    def nan_weight(frame):  # the grid's text column turns what the browser sends into text: "nan"
        frame.loc[1, "weight"] = "nan"
        return frame

    _, save = _okr_edit(sales, ID, nan_weight)
    with pytest.raises(ImportFailed) as caught:
        save()
    assert [(p.column, p.value, p.code) for p in caught.value.problems] == [("Bobot", "nan", "number_out_of_range")]

    def elsewhere(frame):
        frame.loc[1, "objective"] = "Not an objective here"
        return frame

    plan, save = _okr_edit(sales, ID, elsewhere)
    with pytest.raises(ImportFailed) as caught:
        save()
    assert [(p.column, p.value, p.code) for p in caught.value.problems] == [
        ("Tujuan", "Not an objective here", "objective_not_in_table")]
    assert sales.table_counts() == before


@pytest.mark.parametrize("code", ["not_a_number_typed", "checkin_date_outside_cycle", "objective_not_in_table"])
def test_every_form_problem_has_a_message_in_both_languages(code):
    en, id_ = strings("en").get(f"problem.{code}"), strings("id").get(f"problem.{code}")
    assert en and id_ and en != id_
