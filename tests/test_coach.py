"""The OKR coach: checks on stored OKRs (grades from the rules) and on an upload's preview rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from okrdash.coach import CHECKS, Finding, check_rows, check_store, number_in_title, task_word
from okrdash.demo import DEMO_ANCHOR, load_demo
from okrdash.i18n import strings
from okrdash.importing import Upload, import_files
from okrdash.models import Cycle
from okrdash.settings import Settings
from okrdash.store import open_store

from .conftest import END, START, day

COUNTER_EXAMPLE = "Increase the conversion rate by 2% by optimising the landing page"


def checks(findings: list[Finding], **where) -> list[str]:
    """The check names of the findings whose fields match ``where``."""
    return [f.check for f in findings if all(getattr(f, k) == v for k, v in where.items())]


def assert_texts(findings: list[Finding]) -> None:
    """Every finding reads as a sentence in both languages (no missing key, no unfilled placeholder)."""
    for finding in findings:
        for lang in ("en", "id"):
            for text in (finding.reason(lang), finding.fix(lang)):
                assert text and not text.startswith("coach.") and "{" not in text, (finding, lang, text)
        assert finding.reason("en") != finding.reason("id")


# -- the words and numbers the checks look for -----------------------------------------------------


@pytest.mark.parametrize(("title", "number"), [
    (COUNTER_EXAMPLE, "2%"),
    ("Meningkatkan tingkat konversi sebesar 2% dengan mengoptimalkan halaman arahan", "2%"),
    ("Raise 30-day retention for new users", "30"),
    ("Reach Rp150 million in monthly revenue", "Rp150"),
    ("Sign 1,000 customers", "1,000"),
    ("Grow revenue 10x", "10x"),
    ("Deliver a smooth first experience for our users", None),
    ("Launch our new Q3 product successfully", None),  # a quarter is a time frame, not a metric
    ("Tingkatkan pertumbuhan penjualan 2026", None),
    ("Win the B2B market", None),
    ("Raise customer retention by twenty percent", None),  # number words are not looked for
])
def test_number_in_title(title, number):
    assert number_in_title(title) == number


@pytest.mark.parametrize(("title", "word"), [
    ("Launch a customer referral program", "launch"),
    ("Talk to 30 customers about their needs", "talk to"),
    ("Hold quarterly business reviews", "hold"),
    ("Organise a webinar", "organise"),
    ("Luncurkan sistem onboarding digital", "luncurkan"),
    ("Terapkan survei kepuasan karyawan setiap bulan", "terapkan"),
    ("Bicaralah dengan 30 pelanggan", "bicaralah"),
    ("Buat 3 artikel yang masuk halaman pertama Google", "buat"),
    ("Raise NPS from 4 to 10", None),
    ("Extend the runway to 18 months", None),  # whole words only
    ("Kurangi waktu balasan dari 48 menjadi 30 menit", None),
])
def test_task_word(title, word):
    assert task_word(title) == word


def test_every_check_has_reason_and_fix_in_both_languages():
    for check in CHECKS:
        for lang in ("en", "id"):
            assert f"coach.{check}.reason" in strings(lang), (check, lang)
            assert f"coach.{check}.fix" in strings(lang), (check, lang)
        assert strings("en")[f"coach.{check}.fix"] != strings("id")[f"coach.{check}.fix"]


# -- upload rows ----------------------------------------------------------------------------------

COMPANY_OBJECTIVE = "Deliver a smooth first experience for our users"
LONG_TITLE = "Make every single part of our sales process faster, friendlier and far more predictable"
UPLOAD = f"""cycle,team,objective,parent_objective,objective_type,key_result,kind,baseline,target
Q2 2026,Company,{COMPANY_OBJECTIVE},,committed,Raise activation from 30% to 45%,,30%,45%
2026-Q2,Company,{COMPANY_OBJECTIVE},,committed,Cut time to value from 7 to 3 days,,7,3
2026-Q2,Marketing,{COMPANY_OBJECTIVE.replace("Deliver", "Help deliver")},{COMPANY_OBJECTIVE},,Raise sign-up conversion from 2% to 4%,,2,4
2026-Q2,Marketing,{COMPANY_OBJECTIVE.replace("Deliver", "Help deliver")},,,Publish three onboarding guides,,0,3
2026-Q2,Marketing,{COUNTER_EXAMPLE},{COMPANY_OBJECTIVE},,Raise conversion from 2% to 4%,,2,4
2026-Q2,Marketing,{COUNTER_EXAMPLE},,,Launch the new landing page,,,
2026-Q2,Marketing,{COUNTER_EXAMPLE},,,Launch a referral program,milestone,,
2026-Q2,Product,Keep more new users through their first month,,,Raise onboarding completion to 80%,,,80%
2026-Q2,Sales,"{LONG_TITLE}",Grow expansion revenue,,Raise the win rate from 18% to 25%,,18,25
2026-Q2,Sales,"{LONG_TITLE}",,,Raise NPS among key accounts,,,
2026-Q2,Sales,"{LONG_TITLE}",,,Keep discounts at 10% or less,at_most,,10
"""


@pytest.fixture
def upload_preview(store) -> pd.DataFrame:
    """The preview the importer hands the upload page for UPLOAD (a dry run: nothing written)."""
    result = import_files(store, [Upload("okrs.csv", UPLOAD.encode())], dry_run=True, today=dt.date(2026, 4, 1))
    assert store.is_empty()
    return result.files[0].preview


def test_check_rows_on_an_upload_preview(upload_preview):
    findings = check_rows(upload_preview)
    assert_texts(findings)
    # The company objective is well formed ("Q2 2026" and "2026-Q2" are the same cycle).
    assert checks(findings, objective=COMPANY_OBJECTIVE) == []
    # An objective aligned to it, with a key result that has a task verb but a measurable target.
    assert checks(findings, team="Marketing", objective=COMPANY_OBJECTIVE.replace("Deliver", "Help deliver")) == []
    # The documents' counter-example: a number in the objective, and a task with no target.
    counter = [f for f in findings if f.objective == COUNTER_EXAMPLE]
    assert [(f.check, f.key_result, f.line) for f in counter] == [
        ("objective_has_number", None, 6),
        ("key_result_is_task", "Launch the new landing page", 7),
    ]
    assert counter[0].params == {"number": "2%"} and counter[0].severity == "warning"
    assert counter[1].params == {"verb": "launch"}
    # A milestone reads as a task and is fine as it is ("Launch a referral program").
    assert checks(findings, key_result="Launch a referral program") == []
    product = [f for f in findings if f.team == "Product"]
    assert sorted(f.check for f in product) == ["key_result_without_baseline", "objective_not_aligned",
                                               "too_few_key_results"]
    assert next(f for f in product if f.check == "too_few_key_results").params == {"count": 1, "minimum": 2}
    sales = [f for f in findings if f.team == "Sales"]
    assert sorted((f.check, f.key_result) for f in sales) == [
        ("key_result_without_baseline", "Raise NPS among key accounts"),
        ("key_result_without_target", "Raise NPS among key accounts"),
        ("objective_title_too_long", None),
    ]  # at_most needs only a target; the parent is not checked without the store
    assert next(f for f in sales if f.check == "objective_title_too_long").params == {
        "length": len(LONG_TITLE), "maximum": 70}
    assert all(f.line is not None and f.objective_id is None for f in findings)
    assert checks(findings, check="committed_below_one") == []  # grades do not apply to an upload


def test_check_rows_knows_stored_parents_when_given_the_store(store, load, upload_preview):
    load(("company.csv", "cycle,team,objective,key_result,baseline,target\n"
                         "2026-Q2,Company,Grow expansion revenue,Raise NRR from 104% to 112%,104,112\n"))
    findings = check_rows(upload_preview, store=store)
    not_aligned = [f for f in findings if f.check == "objective_not_aligned"]
    assert [(f.team, f.variant) for f in not_aligned] == [("Product", None)]  # Sales' parent is stored now
    unknown = check_rows(upload_preview.assign(parent_objective=upload_preview["parent_objective"].replace(
        "Grow expansion revenue", "Grow a revenue nobody set")), store=store)
    parent = [f for f in unknown if f.team == "Sales" and f.check == "objective_not_aligned"]
    assert [(f.variant, f.params) for f in parent] == [("unknown_parent", {"parent": "Grow a revenue nobody set"})]
    assert "Grow a revenue nobody set" in parent[0].reason("id")


def test_check_rows_counts_objectives_and_key_results():
    rows = []
    for number, objective in enumerate(["Win new markets", "Delight customers", "Ship faster", "Hire well",
                                         "Cut costs"]):
        for kr in range(6 if number == 0 else 2):
            rows.append({"cycle": "2026-Q3", "team": "Ops", "objective": objective, "parent_objective": "Grow",
                         "key_result": f"Raise metric {kr} of {objective} from 1 to 2", "baseline": "1",
                         "target": "2", "line": len(rows) + 2})
    rows.append({"cycle": "2026-Q3", "team": "Company", "objective": "Grow", "key_result": "Raise revenue from 1 to 2",
                 "baseline": "1", "target": "2", "line": len(rows) + 2})
    rows.append({"cycle": "2026-Q3", "team": "Company", "objective": "Grow", "key_result": "Raise margin from 1 to 2",
                 "baseline": "1", "target": "2", "line": len(rows) + 2})
    findings = check_rows(pd.DataFrame(rows))  # no kind column: a missing column counts as blank
    assert_texts(findings)
    assert [(f.check, f.team, f.objective, f.params.get("count")) for f in findings] == [
        ("too_many_objectives", "Ops", None, 5),
        ("too_many_key_results", "Ops", "Win new markets", 6),
    ]
    assert findings[0].line == 2 and "Ops" in findings[0].reason("en") and "2026-Q3" in findings[0].reason("id")


def test_check_rows_skips_blank_rows_and_handles_no_rows():
    assert check_rows(pd.DataFrame()) == []
    frame = pd.DataFrame([{"cycle": "2026-Q2", "team": "Company", "objective": None, "key_result": "x", "line": 2},
                          {"cycle": float("nan"), "team": "Company", "objective": "y", "key_result": "x", "line": 3}])
    assert check_rows(frame) == []


# -- stored OKRs ----------------------------------------------------------------------------------

GRADED = f"""cycle,start_date,end_date,team,objective,objective_type,parent_objective,key_result,baseline,target,current,date
T1,{START},{END},Company,Keep customers happy,committed,,Reduce churn from 5 to 3,5,3,3.4,{day(50)}
T1,{START},{END},Company,Keep customers happy,committed,,Raise NPS from 40 to 50,40,50,48,{day(50)}
T1,{START},{END},Support,Answer customers faster,aspirational,Keep customers happy,Cut reply time from 48 to 30 minutes,48,30,30,{day(50)}
T1,{START},{END},Support,Answer customers faster,aspirational,Keep customers happy,Raise first-contact resolution from 80 to 90,80,90,90,{day(50)}
T1,{START},{END},Support,Answer questions before they are asked,committed,Keep customers happy,Publish 40 help articles,0,40,40,{day(50)}
T1,{START},{END},Support,Answer questions before they are asked,committed,Keep customers happy,Launch in-app chat,,,,
"""


def test_grade_checks_at_the_end_of_the_cycle(store, load):
    load(("okrs.csv", GRADED))
    during = check_store(store, day(50))
    assert checks(during, check="committed_below_one") == []
    findings = check_store(store, END)
    assert_texts(findings)
    graded = store.objective_scores(END).set_index("title")["grade"]
    assert graded["Keep customers happy"] == pytest.approx(0.8) and graded["Answer customers faster"] == 1.0
    below = [f for f in findings if f.check == "committed_below_one"]
    # "Answer questions before they are asked" is committed and graded 1.0 (its key result
    # without a target has no progress): no postmortem.
    assert [(f.objective, f.params) for f in below] == [("Keep customers happy", {"grade": 0.8})]
    assert "0.8" in below[0].reason("en") and "0,8" in below[0].reason("id")
    # An aspirational objective at 1.0 is a success: ambition is judged on a team's average, in the
    # quarter review (okr_raise_ambition), never on one objective here.
    assert [f for f in findings if f.objective == "Answer customers faster" and f.objective_id is not None
            and f.key_result is None] == []
    assert "aspirational_at_one" not in CHECKS
    # The task without a target is found in the store too, with ids for links and no line.
    task = [f for f in findings if f.check == "key_result_is_task"]
    assert [(f.key_result, f.line) for f in task] == [("Launch in-app chat", None)]
    assert task[0].objective_id is not None and task[0].key_result_id is not None


def test_check_store_filters_by_cycle_and_team(store, load):
    load(("okrs.csv", GRADED))
    assert {f.team for f in check_store(store, END, team="Support")} == {"Support"}
    assert check_store(store, END, cycle="2030-Q1") == []
    # Support's objectives name the company objective as parent: it is found although the team
    # filter leaves the company's objectives out.
    assert checks(check_store(store, END, team="Support"), check="objective_not_aligned") == []


@pytest.fixture(scope="module")
def demo_store():
    store = open_store(":memory:")
    load_demo(store, DEMO_ANCHOR)
    yield store
    store.close()


def test_a_well_formed_demo_okr_has_no_findings(demo_store):
    cycle = Cycle.containing(DEMO_ANCHOR).name
    objectives = demo_store.objective_scores(DEMO_ANCHOR, cycle=cycle)
    engineering = objectives[objectives["team"] == "Engineering"]
    title = next(t for t in engineering["title"] if "quality" in t)  # "Improve the quality of our releases"
    findings = check_store(demo_store, DEMO_ANCHOR, cycle=cycle)
    assert [f for f in findings if f.objective == title] == []
    assert [f for f in check_store(demo_store, DEMO_ANCHOR, cycle=cycle, team="Engineering")
            if f.severity == "warning"] == []


def test_demo_postmortems_follow_the_stored_grades(demo_store):
    """Finished cycle: every committed objective graded below 1.0 (by the rules) asks for a postmortem."""
    previous = Cycle.containing(Cycle.containing(DEMO_ANCHOR).start_date - dt.timedelta(days=1)).name
    scores = demo_store.objective_scores(DEMO_ANCHOR, cycle=previous)
    expected = sorted(scores[(scores["objective_type"] == "committed") & (scores["grade"] < 1.0)]["title"])
    findings = check_store(demo_store, DEMO_ANCHOR, cycle=previous)
    assert expected and sorted(f.objective for f in findings if f.check == "committed_below_one") == expected
    assert_texts(findings)


def test_coach_does_not_block_an_import(store, load):
    """Findings are advice: the counter-example imports like any other objective."""
    load(("okrs.csv", f"cycle,team,objective,key_result\n2026-Q2,Marketing,{COUNTER_EXAMPLE},Launch the page\n"))
    assert checks(check_store(store, dt.date(2026, 4, 1)), objective=COUNTER_EXAMPLE)[:1] == ["objective_has_number"]


def test_the_coach_holds_okrs_to_the_limits_of_the_settings():
    """The counts and the title length are rule settings (with their sources): a company that sets
    others gets them, in an upload's rows and in the store alike."""
    rows = pd.DataFrame({"cycle": ["2026-Q2"] * 3, "team": ["Marketing"] * 3,
                         "objective": ["Make our brand easier to find"] * 3,
                         "key_result": ["Grow organic visits from 7,000 to 9,000", "Raise newsletter sign-ups from 200 to 400",
                                        "Cut the bounce rate from 47% to 40%"],
                         "baseline": ["7000", "200", "47"], "target": ["9000", "400", "40"]})
    assert checks(check_rows(rows), check="too_many_key_results") == []
    strict = open_store(":memory:", Settings(max_key_results=2, max_objective_title=20))
    try:
        found = check_rows(rows, strict)
        assert [(f.check, f.params) for f in found if f.check in ("too_many_key_results", "objective_title_too_long")] \
            == [("objective_title_too_long", {"length": 29, "maximum": 20}),
                ("too_many_key_results", {"count": 3, "maximum": 2})]
        assert_texts(found)
    finally:
        strict.close()


UNGRADED = f"""cycle,start_date,end_date,team,objective,objective_type,parent_objective,key_result
T1,{START},{END},Support,Be known for kind answers,committed,Keep customers happy,Ask every customer how we did
"""


def test_postmortems_are_the_reviews_flag(store, load):
    """The coach asks for a postmortem exactly where the quarter review does: both read the rules'
    postmortem, so a committed objective the rules flag without a grade is found too."""
    from okrdash import review

    load(("okrs.csv", GRADED))
    load(("okrs.csv", UNGRADED))
    cycle = next(c for c in store.cycles() if c.name == "T1")
    quarter = review.review(store, cycle, END)
    flagged = set(quarter.needs_postmortem["title"])
    assert "Be known for kind answers" in flagged and "Keep customers happy" in flagged
    found = check_store(store, END)
    assert {f.objective for f in found if f.check == "committed_below_one"} == flagged
    ungraded = next(f for f in found if f.objective == "Be known for kind answers" and f.check == "committed_below_one")
    assert ungraded.variant == "ungraded" and ungraded.params == {}
    assert_texts([ungraded])
