"""Names are compared one way (okrdash/names.py) for rights and matching; look-alike spellings are
normalised; only an admin defines a cycle with dates of its own."""

from __future__ import annotations

import datetime as dt

from okrdash.access import Access, Role
from okrdash.names import name_key, normalise_name

OKRS = "cycle,team,objective,key_result,baseline,target\n2026-Q4,{team},Keep it running,Uptime,90,99\n"
CHECKIN = "team,key_result,date,value\n{team},Uptime,2026-11-01,95\n"


def test_an_editor_of_dotted_it_cannot_write_into_it(store, load, reject):
    load(("okrs.csv", OKRS.format(team="IT")))
    problems = reject(("checkins.csv", CHECKIN.format(team="İT")), allowed_teams=frozenset({"İT"}))
    assert [(p.column, p.value, p.code) for p in problems] == [("key_result", "Uptime", "unknown_key_result")]
    assert store.table_counts()["checkins"] == 0


def test_an_editor_of_sales_may_write_sales_in_lower_case(store, load):
    load(("okrs.csv", OKRS.format(team="Sales")))
    load(("checkins.csv", CHECKIN.format(team="sales")), allowed_teams=frozenset({"Sales"}))
    assert store.teams() == ["Sales"]
    assert store.table_counts()["checkins"] == 1
    assert Access(role=Role.EDITOR, teams=frozenset({"Sales"}), mode="oidc").may_edit_team("sales")
    assert not Access(role=Role.EDITOR, teams=frozenset({"İT"}), mode="oidc").may_edit_team("IT")


def test_look_alike_team_names_become_one_team(store, load):
    load(("okrs.csv", OKRS.format(team="Sales")))
    for look_alike in ("Sales\u00a0", "Sa\u200bles", "\uff33ales", "Sales\u2060"):  # NBSP, zero-width, full-width S
        load(("okrs.csv", OKRS.format(team=f'"{look_alike}"')))
    assert store.teams() == ["Sales"]
    assert store.table_counts()["objectives"] == 1


def test_look_alike_titles_are_stored_normalised(store, load):
    load(("okrs.csv", "cycle,team,objective,key_result,baseline,target\n"
                      "2026-Q4,Ops,Keep\u00a0it\u200b running,\ufb01x the alerts,0,10\n"))
    frame = store.kr_scores(dt.date(2026, 11, 1))
    assert (frame.loc[0, "objective"], frame.loc[0, "title"]) == ("Keep it running", "fix the alerts")


def test_the_name_key_keeps_dotted_capital_i_apart_and_folds_case():
    assert name_key("Sales") == name_key(" sales ") == name_key("SALES")
    assert name_key("İT") != name_key("IT")
    assert normalise_name("  Customer\u00a0 Success\u200d ") == "Customer Success"


CUSTOM_QUARTER = "cycle,start_date,end_date,team,objective,key_result,baseline,target\n" \
                 "2027-Q1,{start},{end},Sales,Grow,Ten deals,0,10\n"


def test_a_team_editor_cannot_define_a_cycle_with_its_own_dates(store, reject):
    problems = reject(("okrs.csv", CUSTOM_QUARTER.format(start="2027-01-01", end="2027-01-05")),
                      allowed_teams=frozenset({"Sales"}))
    assert [(p.line, p.column, p.value, p.code) for p in problems] == [(2, "cycle", "2027-Q1", "cycle_dates_admin_only")]
    assert "admin" in problems[0].message("en") and "admin" in problems[0].message("id")
    assert store.cycles() == []


def test_a_team_editor_naming_a_new_quarter_gets_its_calendar_dates(store, load):
    load(("okrs.csv", "cycle,team,objective,key_result,baseline,target\n2027-Q1,Sales,Grow,Ten deals,0,10\n"),
         allowed_teams=frozenset({"Sales"}))
    load(("okrs.csv", CUSTOM_QUARTER.format(start="2027-01-01", end="2027-03-31")),
         allowed_teams=frozenset({"Sales"}))  # the calendar dates written out are fine too
    assert [(c.name, c.start_date, c.end_date) for c in store.cycles()] == [
        ("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31))]


def test_an_admin_defines_a_cycle_with_its_own_dates(store, load):
    load(("okrs.csv", CUSTOM_QUARTER.format(start="2027-01-04", end="2027-04-02")))
    assert [(c.start_date, c.end_date) for c in store.cycles()] == [(dt.date(2027, 1, 4), dt.date(2027, 4, 2))]


def test_a_team_editor_cannot_define_a_named_cycle(store, reject):
    problems = reject(("okrs.csv", "cycle,start_date,end_date,team,objective,key_result,baseline,target\n"
                                   "Sprint 9,2027-01-01,2027-01-14,Sales,Grow,Ten deals,0,10\n"),
                      allowed_teams=frozenset({"Sales"}))
    assert [p.code for p in problems] == ["cycle_dates_admin_only"]
