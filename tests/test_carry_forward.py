"""Carrying unfinished aspirational objectives into the next cycle (issue 26), on the demo company:
what is offered, what the carried key results start from, one undoable batch, refusals, the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from okrdash import carry_forward
from okrdash.access import Access, Role, admin_writer
from okrdash.cli import main as cli_main
from okrdash.models import Cycle
from okrdash.problems import ImportFailed
from okrdash.store import StoreError, open_store

Q3, Q4 = Cycle.parse("2026-Q3"), Cycle.parse("2026-Q4")
ADOPT = "Get customers to adopt what we launched"  # Customer Success, aspirational, graded 0.6 in Q3


@pytest.fixture
def demo_path(demo_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, path)
    return path


@pytest.fixture
def demo_store(demo_path):
    store = open_store(demo_path)
    yield store
    store.close()


def _q3(store):
    objectives = store.objective_scores(Q3.end_date, Q3.name)
    key_results = store.kr_scores(Q3.end_date, Q3.name)
    return objectives, key_results


def test_only_unfinished_aspirational_objectives_with_open_key_results_are_offered(demo_store):
    objectives, key_results = _q3(demo_store)
    offered = carry_forward.candidates(demo_store, Q3)
    assert offered and ADOPT in {c.title for c in offered}
    by_id = objectives.set_index("objective_id")
    for candidate in offered:
        row = by_id.loc[candidate.objective_id]
        assert row["objective_type"] == "aspirational" and row["grade"] < 1.0
        own = key_results[key_results["objective_id"] == candidate.objective_id]
        assert set(candidate.key_results) == set(own.loc[own["status"] != "Complete", "title"])
    committed = set(objectives.loc[objectives["objective_type"] == "committed", "objective_id"])
    assert not committed & {c.objective_id for c in offered}  # a missed committed one gets a postmortem
    assert [c.team for c in carry_forward.candidates(demo_store, Q3, "Customer Success")] == \
        ["Customer Success"] * len([c for c in offered if c.team == "Customer Success"])


def test_carried_key_results_start_from_their_last_value_in_one_undoable_batch(demo_store):
    _, key_results = _q3(demo_store)
    (adopt,) = [c for c in carry_forward.candidates(demo_store, Q3) if c.title == ADOPT]
    before = demo_store.table_counts()
    result = carry_forward.carry_forward(demo_store, Q3, Q4, [adopt.objective_id], admin_writer("lead"),
                                         today=dt.date(2026, 10, 2))
    (written,) = result.written
    assert written.file_name == carry_forward.CARRY_FORWARD
    objectives_q4, carried = demo_store.team_okrs(Q4.name, adopt.team)
    assert objectives_q4.set_index("title").loc[ADOPT, "type"] == "aspirational"
    carried = carried[carried["objective"] == ADOPT].set_index("title")
    assert set(carried.index) == set(adopt.key_results)
    old = key_results[key_results["objective_id"] == adopt.objective_id].set_index("title")
    for title, row in carried.iterrows():
        was = old.loc[title]
        if was["kind"] in ("increase", "decrease") and was["current"] == was["current"]:
            assert row["baseline"] == pytest.approx(was["current"])  # from where Q3 left it
        assert row["target"] == pytest.approx(was["target"])
        assert row["start_date"] is None or row["start_date"] != row["start_date"]  # from Q4's start
    demo_store.undo(written.batch_id, admin_writer("lead"))
    after = demo_store.table_counts()
    assert after.pop("batches") == before.pop("batches") + 1 and after == before  # the batch stays, undone


def test_carrying_twice_or_what_is_not_offered_is_refused_and_writes_nothing(demo_store):
    objectives, _ = _q3(demo_store)
    (adopt,) = [c for c in carry_forward.candidates(demo_store, Q3) if c.title == ADOPT]
    carry_forward.carry_forward(demo_store, Q3, Q4, [adopt.objective_id], admin_writer("lead"))
    before = demo_store.table_counts()
    with pytest.raises(ImportFailed) as again:
        carry_forward.carry_forward(demo_store, Q3, Q4, [adopt.objective_id], admin_writer("lead"))
    assert [p.code for p in again.value.problems] == ["carry_forward_exists"]
    committed = int(objectives.loc[objectives["objective_type"] == "committed", "objective_id"].iloc[0])
    with pytest.raises(ImportFailed) as not_offered:
        carry_forward.carry_forward(demo_store, Q3, Q4, [committed], admin_writer("lead"))
    assert [p.code for p in not_offered.value.problems] == ["carry_forward_not_offered"]
    with pytest.raises(ImportFailed) as none:
        carry_forward.carry_forward(demo_store, Q3, Q4, [], admin_writer("lead"))
    assert [p.code for p in none.value.problems] == ["carry_forward_none_chosen"]
    assert "Sudah ada di 2026-Q4" in again.value.problems[0].message("id")
    assert demo_store.table_counts() == before


def test_an_editor_of_another_team_may_not_carry_it(demo_store):
    (adopt,) = [c for c in carry_forward.candidates(demo_store, Q3) if c.title == ADOPT]
    before = demo_store.table_counts()
    sales = Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")
    with pytest.raises((ImportFailed, StoreError)):  # the importer names the team; the store checks it too
        carry_forward.carry_forward(demo_store, Q3, Q4, [adopt.objective_id], sales)
    assert demo_store.table_counts() == before


def test_the_following_cycle():
    assert carry_forward.following_cycle([Q3, Q4], Q3) == Q4
    assert carry_forward.following_cycle([Q3], Q3) == Q4  # the next quarter, not stored yet
    assert carry_forward.following_cycle([Q4], Q4).name == "2027-Q1"
    sprint = Cycle.parse("Sprint 7", dt.date(2026, 7, 1), dt.date(2026, 7, 14))
    assert carry_forward.following_cycle([sprint], sprint) is None  # the person names it


def test_the_command_lists_then_carries(demo_path, capsys):
    assert cli_main(["--db", str(demo_path), "carry-forward", "--cycle", "Q3 2026"]) == 0
    listed = capsys.readouterr().out
    assert "into 2026-Q4" in listed and ADOPT in listed
    assert cli_main(["--db", str(demo_path), "carry-forward", "--cycle", "2026-Q3", "--objective", ADOPT.upper()]) == 0
    assert "Carried 1 objective(s) from 2026-Q3 into 2026-Q4" in capsys.readouterr().out
    assert cli_main(["--db", str(demo_path), "carry-forward", "--cycle", "2026-Q3", "--objective", ADOPT]) == 1
    assert "Already in 2026-Q4" in capsys.readouterr().err  # still offered in Q3; Q4 has it now
    assert cli_main(["--db", str(demo_path), "carry-forward", "--cycle", "2026-Q3", "--objective", "Nope"]) == 2
    assert cli_main(["--db", str(demo_path), "carry-forward", "--cycle", "2031-Q1"]) == 2
