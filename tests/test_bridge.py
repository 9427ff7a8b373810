"""KPI to OKR: proposals from Off Track / At Risk KPIs, written through the real importer and rules."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from okrdash import bridge
from okrdash.bridge import add_to_okrs, proposals, to_okr_csv
from okrdash.demo import DEMO_ANCHOR, load_demo
from okrdash.importing import Upload, import_files
from okrdash.models import Cycle
from okrdash.problems import ImportFailed
from okrdash.store import open_store

from .conftest import DATA_DIR, kr_row

AS_OF = dt.date(2026, 5, 31)
CYCLE = "2026-Q2"
REPLY_TIME = "Customer support reply time"
NPS = "Net Promoter Score"


@pytest.fixture
def kpi_store(store, load):
    """The documents' two examples (tests/data/acceptance_kpis.csv): reply time 48 vs <= 30, NPS 4 vs 10."""
    load(("kpis.csv", (DATA_DIR / "acceptance_kpis.csv").read_text()))
    return store


def by_kpi(found: list[bridge.Proposal]) -> dict[str, bridge.Proposal]:
    return {p.kpi_name: p for p in found}


def test_reply_time_kpi_becomes_a_decrease_key_result(kpi_store):
    proposal = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))[REPLY_TIME]
    assert (proposal.team, proposal.status, proposal.direction) == ("Customer Support", "Off Track", "lower_is_better")
    assert (proposal.kind, proposal.current, proposal.target, proposal.unit) == ("decrease", 48.0, 30.0, "minutes")
    assert proposal.key_result == "Reduce customer support reply time from 48 to 30 minutes"
    assert proposal.objective == "Improve the customer experience"
    assert proposal.linked_key_results == ()
    assert proposal.why() == ("Customer support reply time is Off Track: the latest value is 48 minutes "
                              "against a target of 30 minutes.")


def test_nps_below_target_becomes_an_objective_about_the_customer_experience(kpi_store):
    proposal = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))[NPS]
    assert (proposal.kind, proposal.current, proposal.target) == ("increase", 4.0, 10.0)
    assert proposal.objective == "Improve the customer experience"
    assert proposal.key_result == "Raise Net Promoter Score from 4 to 10"


def test_proposals_in_indonesian(kpi_store):
    found = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "id"))
    assert found[NPS].objective == "Tingkatkan pengalaman pelanggan"
    assert found[NPS].key_result == "Tingkatkan Net Promoter Score dari 4 menjadi 10"
    assert found[REPLY_TIME].key_result == "Turunkan customer support reply time dari 48 menjadi 30 menit"
    assert "Keluar Jalur" in found[REPLY_TIME].why() and found[REPLY_TIME].why("en").startswith(REPLY_TIME)


def test_the_csv_row_is_canonical_and_linked(kpi_store):
    proposal = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))[REPLY_TIME]
    data = to_okr_csv(proposal, CYCLE, proposal.team)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert tuple(row) == bridge.OKR_CSV_COLUMNS
    assert {k: row[k] for k in ("cycle", "team", "objective_type", "kind", "baseline", "target", "unit", "kpi")} == {
        "cycle": CYCLE, "team": "Customer Support", "objective_type": "committed", "kind": "decrease",
        "baseline": "48", "target": "30", "unit": "minutes", "kpi": REPLY_TIME}
    result = import_files(kpi_store, [Upload("proposal.csv", data)], dry_run=True)
    assert [f.kind.value for f in result.files] == ["okrs"] and result.files[0].rows == 1


def test_add_to_okrs_follows_the_kpi(kpi_store):
    found = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))
    for name in (REPLY_TIME, NPS):
        result = add_to_okrs(kpi_store, found[name], CYCLE, found[name].team, imported_by="maya", today=AS_OF)
        assert result.written and result.written[0].kind == "okrs"
        assert kpi_store.batches()[0].imported_by == "maya"
    reply = kr_row(kpi_store, found[REPLY_TIME].key_result, AS_OF)
    assert (reply["kpi_name"], reply["current"], reply["baseline"], reply["target"], reply["kind"]) == (
        REPLY_TIME, 48.0, 48.0, 30.0, "decrease")
    assert reply["progress"] == 0 and reply["objective_type"] == "committed"
    nps = kr_row(kpi_store, found[NPS].key_result, AS_OF)
    assert (nps["kpi_name"], nps["current"], nps["progress"], nps["kind"]) == (NPS, 4.0, 0, "increase")
    # Both joined the one proposed objective, and the proposals now know their key results.
    objectives = kpi_store.objective_scores(AS_OF, cycle=CYCLE)
    assert list(objectives["title"]) == ["Improve the customer experience"]
    assert list(objectives["key_result_count"]) == [2]
    again = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))
    assert again[REPLY_TIME].linked_key_results == (found[REPLY_TIME].key_result,)
    # A later measurement moves the key result: 48 -> 39 minutes is half way to 30.
    import_files(kpi_store, [Upload("m.csv", f"team,kpi,date,value\nCustomer Support,{REPLY_TIME},2026-06-15,39\n".encode())])
    assert kr_row(kpi_store, found[REPLY_TIME].key_result, dt.date(2026, 6, 15))["progress"] == pytest.approx(0.5)


KPIS = """team,kpi,date,value,target,unit,direction,min,max,category
HR,Overtime hours per week,2026-05-31,10,,hours,range,2,8,hr
HR,Training hours per week,2026-05-31,0.5,,hours,range,2,8,hr
HR,Meeting hours per week,2026-05-31,5,,hours,range,2,8,hr
Sales,Monthly revenue,2026-05-31,141000000,150000000,Rp,higher_is_better,,,sales
Sales,Closed deals,2026-05-31,21,20,deals,higher_is_better,,,sales
Sales,Pipeline coverage,,,3,x,higher_is_better,,,pipeline
Sales,Discount rate,2026-05-31,14,10,%,lower_is_better,,,Pipeline
"""


def test_direction_aware_proposals(store, load):
    load(("kpis.csv", KPIS))
    found = by_kpi(proposals(store, AS_OF, CYCLE, "en"))
    statuses = {row["name"]: row["status"] for _, row in store.kpi_scores(AS_OF).iterrows()}
    # Only Off Track and At Risk KPIs: not On Track (closed deals, meeting hours), not No Data.
    assert set(found) == {n for n, s in statuses.items() if s in ("Off Track", "At Risk")}
    assert set(found) == {"Overtime hours per week", "Training hours per week", "Monthly revenue", "Discount rate"}
    over, under = found["Overtime hours per week"], found["Training hours per week"]
    assert (over.kind, over.current, over.target) == ("decrease", 10.0, 8.0)   # nearest bound of the band
    assert (under.kind, under.current, under.target) == ("increase", 0.5, 2.0)
    assert over.key_result == "Bring overtime hours per week down from 10 into the 2 to 8 hours band"
    assert "2 to 8 hours" in over.why()
    revenue = found["Monthly revenue"]
    assert revenue.status == "At Risk" and revenue.kind == "increase"
    assert revenue.key_result == "Raise monthly revenue from Rp141,000,000 to Rp150,000,000"
    assert revenue.objective == "Grow our sales performance"
    # A category without its own objective gets the generic one (categories in any case).
    assert found["Discount rate"].objective == "Bring Discount rate back on target"
    assert found["Discount rate"].key_result == "Reduce discount rate from 14% to 10%"
    # Off Track before At Risk.
    ordered = proposals(store, AS_OF, CYCLE, "en")
    assert [p.status for p in ordered] == sorted((p.status for p in ordered), key=lambda s: s != "Off Track")
    # The range proposals import and follow their KPI like the others.
    for proposal in (over, under):
        add_to_okrs(store, proposal, CYCLE, proposal.team, today=AS_OF)
        row = kr_row(store, proposal.key_result, AS_OF)
        assert (row["kpi_name"], row["progress"], row["target"]) == (proposal.kpi_name, 0, proposal.target)


def test_adding_to_an_existing_objective_keeps_it(store, load):
    load(("kpis.csv", (DATA_DIR / "acceptance_kpis.csv").read_text()),
         ("okrs.csv", "cycle,team,objective,objective_owner,objective_type,parent_objective,key_result,baseline,target\n"
                      "2026-Q2,Company,Keep customers happy,Rina,committed,,Reduce churn from 5% to 3%,5,3\n"
                      "2026-Q2,Customer Support,Give fast and friendly help,Maya,aspirational,Keep customers happy,"
                      "Resolve 90% of tickets in the first contact,78,90\n"))
    proposal = by_kpi(proposals(store, AS_OF, CYCLE, "en"))[REPLY_TIME]
    add_to_okrs(store, proposal, CYCLE, "Customer Support", objective="Give fast and friendly help", today=AS_OF)
    objective = store.objective_scores(AS_OF, cycle=CYCLE, team="Customer Support").iloc[0]
    assert (objective["title"], objective["owner"], objective["objective_type"], objective["parent_title"],
            objective["key_result_count"]) == ("Give fast and friendly help", "Maya", "aspirational",
                                               "Keep customers happy", 2)


def test_another_team_gets_an_unlinked_key_result(kpi_store):
    proposal = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))[NPS]
    row = next(csv.DictReader(io.StringIO(to_okr_csv(proposal, CYCLE, "Company", "aspirational").decode())))
    assert row["kpi"] == "" and row["team"] == "Company" and row["baseline"] == "4"
    add_to_okrs(kpi_store, proposal, CYCLE, "Company", objective_type="aspirational", today=AS_OF)
    kr = kr_row(kpi_store, proposal.key_result, AS_OF)
    assert kr["kpi_name"] is None and kr["baseline"] == 4 and kr["objective_type"] == "aspirational"


def test_a_custom_cycle_needs_and_gets_its_dates(kpi_store, load):
    load(("okrs.csv", "cycle,start_date,end_date,team,objective,key_result,baseline,target\n"
                      "Sprint 7,2026-05-18,2026-06-12,Company,Keep customers happy,Reduce churn from 5% to 3%,5,3\n"))
    proposal = by_kpi(proposals(kpi_store, AS_OF, "Sprint 7", "en"))[NPS]
    with pytest.raises(ImportFailed):  # a name that is not a quarter needs its dates
        import_files(kpi_store, [Upload("p.csv", to_okr_csv(proposal, "Sprint 7", proposal.team))])
    add_to_okrs(kpi_store, proposal, "Sprint 7", proposal.team, today=AS_OF)
    assert kr_row(kpi_store, proposal.key_result, AS_OF)["cycle"] == "Sprint 7"


def test_an_editor_of_other_teams_is_refused(kpi_store):
    proposal = by_kpi(proposals(kpi_store, AS_OF, CYCLE, "en"))[NPS]
    before = kpi_store.table_counts()
    with pytest.raises(ImportFailed) as refused:
        add_to_okrs(kpi_store, proposal, CYCLE, proposal.team, allowed_teams={"Sales"}, today=AS_OF)
    assert [p.code for p in refused.value.problems] == ["team_not_allowed"]
    assert kpi_store.table_counts() == before
    add_to_okrs(kpi_store, proposal, CYCLE, proposal.team, allowed_teams=["Customer Support"], today=AS_OF)


def test_a_demo_off_track_kpi_becomes_a_linked_key_result_in_one_call():
    store = open_store(":memory:")
    try:
        load_demo(store, DEMO_ANCHOR)
        cycle = Cycle.containing(DEMO_ANCHOR).name
        found = proposals(store, DEMO_ANCHOR, cycle, "en")
        assert found and found[0].status == "Off Track"
        # The documents' reply-time example is in the demo already, linked to its KPI.
        assert any(p.linked_key_results for p in found if p.kpi_name == "Average reply time")
        proposal = next(p for p in found if p.status == "Off Track" and not p.linked_key_results)
        before = len(store.kr_scores(DEMO_ANCHOR, cycle=cycle))
        add_to_okrs(store, proposal, cycle, proposal.team, imported_by="editor", today=DEMO_ANCHOR)
        row = kr_row(store, proposal.key_result, DEMO_ANCHOR)
        kpi = store.kpi_scores(DEMO_ANCHOR, team=proposal.team).set_index("name").loc[proposal.kpi_name]
        assert (row["kpi_name"], row["team"], row["cycle"]) == (proposal.kpi_name, proposal.team, cycle)
        assert row["current"] == kpi["value"] == row["baseline"] and row["progress"] == 0
        assert len(store.kr_scores(DEMO_ANCHOR, cycle=cycle)) == before + 1
    finally:
        store.close()


def test_proposals_for_one_team_are_the_company_proposals_of_that_team():
    store = open_store(":memory:")
    try:
        load_demo(store, DEMO_ANCHOR)
        cycle = Cycle.containing(DEMO_ANCHOR).name
        company = proposals(store, DEMO_ANCHOR, cycle, "en")
        teams = {p.team for p in company}
        assert len(teams) > 1 and any(p.linked_key_results for p in company)
        for team in teams:
            assert proposals(store, DEMO_ANCHOR, cycle, "en", team=team) == [p for p in company if p.team == team]
    finally:
        store.close()


def test_a_key_result_added_from_a_kpi_mid_cycle_is_measured_from_that_day():
    """The issue's example: made from a KPI on 1 December, it is not Off Track the moment it exists
    because its expected progress counts from 1 December, not from the cycle's 1 October."""
    store = open_store(":memory:")
    try:
        load_demo(store, DEMO_ANCHOR)
        cycle = Cycle.containing(DEMO_ANCHOR)
        proposal = next(p for p in proposals(store, DEMO_ANCHOR, cycle.name, "en") if not p.linked_key_results)
        added_on = DEMO_ANCHOR
        add_to_okrs(store, proposal, cycle.name, proposal.team, imported_by="editor", today=added_on)
        row = kr_row(store, proposal.key_result, added_on)
        assert (row["start_date"], row["cycle_start"]) == (added_on, cycle.start_date)
        assert row["expected"] == 0 and row["status"] == "On Track"
        a_week_later = kr_row(store, proposal.key_result, added_on + dt.timedelta(days=7))
        assert a_week_later["elapsed"] == pytest.approx(7 / (cycle.end_date - added_on).days)
    finally:
        store.close()
