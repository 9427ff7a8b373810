"""Validated once, written as validated: ``prepare`` / ``commit`` and the background worker."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash.access import Access, Role, admin_writer
from okrdash.importing import commit, pipeline, prepare, worker
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from tests.conftest import uploads

TODAY = dt.date(2026, 11, 24)
KPIS = "team,kpi,date,value,target\nSales,Closed deals,2026-11-01,12,20\nSales,Closed deals,2026-11-02,14,20\n"
MORE_KPIS = "team,kpi,date,value,target\nSales,Closed deals,2026-11-03,15,20\n"
OKRS = (
    "cycle,start_date,end_date,team,objective,key_result,kind,baseline,target\n"
    "2026-Q4,2026-10-01,2026-12-31,Sales,Win the region,Close 40 deals,increase,0,40\n"
)
CHECKINS = "team,key_result,cycle,date,value\nSales,Close 40 deals,2026-Q4,2026-11-20,12\n"
ADMIN = admin_writer("ayu")


@pytest.fixture
def validations(monkeypatch) -> list[int]:
    """One entry per run of the importer's validation."""
    calls: list[int] = []
    real = pipeline._validate

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_validate", counted)
    return calls


def test_commit_writes_what_was_validated_without_validating_again(store, validations):
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    assert len(validations) == 1
    result = commit(store, prepared, ADMIN, today=TODAY)
    assert len(validations) == 1
    assert result.inserted == 3  # the KPI and its two measurements
    assert store.table_counts()["kpi_measurements"] == 2
    assert prepared.changes == [] and prepared.uploads == []  # released: nothing of the file is held


def test_the_uploaded_bytes_are_let_go_before_the_store_writes(store, monkeypatch):
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    held_while_writing: list[int] = []
    real_apply = store.apply

    def apply(changes, writer):
        held_while_writing.append(len(prepared.uploads))
        return real_apply(changes, writer)

    monkeypatch.setattr(store, "apply", apply)
    commit(store, prepared, ADMIN, today=TODAY)
    assert held_while_writing == [0]  # the write's peak does not also hold the file


def test_a_write_since_the_validation_makes_it_validate_again(store, validations, load):
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    load(("more.csv", MORE_KPIS), today=TODAY)  # someone else imports meanwhile
    validations.clear()
    commit(store, prepared, ADMIN, today=TODAY)
    assert len(validations) == 1
    assert store.table_counts()["kpi_measurements"] == 3


def test_a_new_day_or_other_rights_make_it_validate_again(store, validations):
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    assert prepared.is_current(store, TODAY, None)
    assert not prepared.is_current(store, TODAY + dt.timedelta(days=1), None)
    assert not prepared.is_current(store, TODAY, frozenset({"Sales"}))
    commit(store, prepared, ADMIN, today=TODAY + dt.timedelta(days=1))
    assert len(validations) == 2


def test_a_validation_gone_stale_and_no_longer_valid_writes_nothing(store, load):
    load(("okrs.csv", OKRS), today=TODAY)
    prepared = prepare(store, uploads((("checkins.csv", CHECKINS),)), today=TODAY)
    store.undo(store.batches()[0].id, ADMIN)  # the key result the check-ins name is gone
    before = store.table_counts()
    with pytest.raises(ImportFailed) as failed:
        commit(store, prepared, ADMIN, today=TODAY)
    assert failed.value.problems
    assert store.table_counts() == before


def test_a_refused_writer_changes_nothing(store):
    # Validated for every team, written by an editor of Marketing only: validated again for their
    # teams (the Sales rows are refused) and nothing lands.
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    before = store.table_counts()
    marketing = Access(role=Role.EDITOR, who="budi", teams=frozenset({"Marketing"}), mode="oidc")
    with pytest.raises((ImportFailed, StoreError)):
        commit(store, prepared, marketing, today=TODAY)
    assert store.table_counts() == before


def test_the_store_refuses_a_current_validation_for_a_team_the_writer_may_not_write(store):
    # The right to write is checked by store.apply, not by the validation: a viewer whose
    # validation says nothing about teams (allowed None in a forged Prepared) still writes nothing.
    prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    viewer = Access(role=Role.VIEWER, who="cici")
    prepared.allowed_teams = viewer.allowed_teams  # as if validated for this person
    before = store.table_counts()
    with pytest.raises(StoreError) as refused:
        commit(store, prepared, viewer, today=TODAY)
    assert refused.value.code == "write_not_allowed"
    assert store.table_counts() == before


def test_import_files_validates_once(store, validations):
    pipeline.import_files(store, uploads((("kpis.csv", KPIS),)), today=TODAY)
    assert len(validations) == 1


def test_the_worker_runs_a_job_and_reports_its_stages(store):
    stages: list[str] = []

    def work(progress):
        def recorded(stage: str) -> None:
            stages.append(stage)
            progress(stage)
        prepared = prepare(store, uploads((("kpis.csv", KPIS),)), today=TODAY, progress=recorded)
        return commit(store, prepared, ADMIN, today=TODAY, progress=recorded)

    job = worker.WORKER.submit("import", work, files=["kpis.csv"])
    job.wait(60)
    assert job.done() and job.stage == "done"
    assert job.result().inserted == 3
    assert stages == ["reading", "checking", "writing"]


def test_a_failed_job_raises_its_error_to_whoever_picks_it_up(store):
    job = worker.WORKER.submit("check", lambda progress: prepare(
        store, uploads((("broken.csv", "team,kpi,date,value\nSales,Deals,2026-13-45,x\n"),)), today=TODAY),
        files=["broken.csv"])
    job.wait(60)
    with pytest.raises(ImportFailed):
        job.result()
    assert store.table_counts()["kpi_measurements"] == 0
