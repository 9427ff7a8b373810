"""Look-alike names (issue 22, finding 8): a new team, objective, key result, KPI or owner that looks
like an existing one but is another string is refused, naming both; bidi isolates do not survive."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash.names import foreign_letters, name_key, normalise_name, skeleton

TODAY = dt.date(2026, 11, 20)
OKRS = "cycle,team,objective,key_result,owner,baseline,target\n2026-Q4,Sales,Grow,Deals,Rina,0,10\n"
CYRILLIC_A = "\u0430"


def test_bidi_isolates_are_no_part_of_a_name():
    assert normalise_name("Sales\u2066\u2069") == "Sales" and name_key("\u2067Sales\u2069") == "sales"


def test_a_look_alike_has_the_skeleton_of_the_name_it_looks_like():
    assert skeleton(f"S{CYRILLIC_A}les") == skeleton("SALES") and name_key(f"S{CYRILLIC_A}les") != name_key("Sales")
    assert foreign_letters(f"S{CYRILLIC_A}les") == f"{CYRILLIC_A} (CYRILLIC)"
    assert foreign_letters("Москва") == "" and foreign_letters("Pemasaran") == ""


@pytest.mark.parametrize(("header", "written"), [
    ("team", f"S{CYRILLIC_A}les"), ("objective", "Gr\u043ew"), ("key_result", f"De{CYRILLIC_A}ls"),
    ("owner", f"Rin{CYRILLIC_A}"),
])
def test_a_new_name_that_looks_like_a_stored_one_is_refused(store, load, reject, header, written):
    load(("okr.csv", OKRS), today=TODAY)
    row = {"cycle": "2026-Q4", "team": "Sales", "objective": "Grow", "key_result": "Deals", "owner": "Rina",
           "baseline": "0", "target": "10"}
    row[header] = written
    data = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    problems = reject(("okr2.csv", data), today=TODAY)
    assert [(p.line, p.column, p.code) for p in problems] == [(2, header, "lookalike_name")]
    assert "(CYRILLIC)" in problems[0].message("en") and "aksara" not in problems[0].message("en")


def test_a_kpi_look_alike_beside_its_original_in_one_file(store, reject):
    data = "team,kpi,date,value\nSales,Leads,2026-10-31,4\nSales,L\u0435ads,2026-11-30,5\n"
    [problem] = reject(("kpi.csv", data), today=TODAY)
    assert (problem.line, problem.column, problem.code, problem.params["existing"]) == (
        3, "kpi", "lookalike_name", "Leads")


def test_a_latin_name_with_one_letter_of_another_script_is_refused(store, reject):
    data = f"team,kpi,date,value\nPem{CYRILLIC_A}saran,Leads,2026-10-31,4\n"
    [problem] = reject(("kpi.csv", data), today=TODAY)
    assert (problem.column, problem.code) == ("team", "foreign_letters_name")


def test_names_in_other_scripts_are_names(store, load):
    load(("kpi.csv", "team,kpi,date,value\nМосква,Продажи,2026-10-31,4\n"), today=TODAY)
