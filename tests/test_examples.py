"""The documents' examples as data: complete, bilingual, and loadable through the normal importer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys

import pytest

from okrdash import examples
from okrdash.coach import check_store
from okrdash.examples import (
    CATEGORIES,
    INDICATORS,
    KPI_TYPES,
    ROLES,
    TEAMS,
    example_kpi_csv,
    example_okr_csv,
    kpi_examples,
    label,
    okr_examples,
)
from okrdash.i18n import strings
from okrdash.importing import Upload, import_files
from okrdash.store import open_store

AS_OF = dt.date(2026, 4, 1)
CYCLE = "2026-Q2"


def kr(example: examples.OkrExample, fragment: str) -> examples.KeyResultExample:
    return next(k for k in example.key_results if fragment in k.title_en)


def test_okr_examples_per_team_and_role():
    for team in TEAMS:
        assert okr_examples(team=team), team
    for role in ROLES:
        assert len(okr_examples(role=role)) == 1, role
    assert len(okr_examples()) == len({e.key for e in okr_examples()})
    assert okr_examples(team="Customer Success") == okr_examples(team="customer_success")
    assert okr_examples(team="finance") == [] and okr_examples(team="product", role="hr_officer") == []
    for example in okr_examples():
        assert (example.team is None) != (example.role is None), example.key
        assert 2 <= len(example.key_results) <= 5, example.key


def test_kpi_examples_per_category_type_indicator_and_role():
    for category in ("marketing", "sales", "service", "website"):
        assert len(kpi_examples(category=category)) >= 4, category
    for kpi_type in KPI_TYPES:
        assert len(kpi_examples(kpi_type=kpi_type)) >= 3, kpi_type
    for indicator in INDICATORS:
        assert kpi_examples(indicator=indicator), indicator
    for role in ROLES:
        assert len(kpi_examples(role=role)) == 3, role
    every = kpi_examples()
    assert {e.category for e in every} <= set(CATEGORIES) and {e.kpi_type for e in every} == set(KPI_TYPES)
    assert kpi_examples(category="service", kpi_type="strategic", indicator="lagging") == [
        e for e in every if (e.category, e.kpi_type, e.indicator) == ("service", "strategic", "lagging")]
    assert kpi_examples(category="Service", role="Customer service representative") == kpi_examples(
        role="customer_service_representative")
    assert kpi_examples(category="nothing") == []


def test_titles_in_both_languages():
    for example in okr_examples():
        assert example.title("en") == example.title_en and example.title("id") == example.title_id
        assert example.title_en != example.title_id, example.key
        for key_result in example.key_results:
            assert key_result.title_en and key_result.title_id and key_result.title_en != key_result.title_id
    for example in kpi_examples():
        assert example.title_en and example.title_id, example.key
    # Only names used as they are in Indonesian too stay the same.
    assert {e.key for e in kpi_examples() if e.title_en == e.title_id} == {"service.nps", "role.bounce_rate"}


def test_the_documents_numbers():
    quality = next(e for e in okr_examples(team="engineering") if "quality" in e.title_en)
    assert [(k.baseline, k.target) for k in quality.key_results] == [(72, 60), (96, 99), (35, 50)]
    faster = next(e for e in okr_examples(team="engineering") if "faster" in e.title_en)
    assert (kr(faster, "velocity").baseline, kr(faster, "velocity").target) == (42, 60)
    assert (kr(faster, "code review").baseline, kr(faster, "code review").target) == (100, 70)  # by 30%: an index
    assert (kr(faster, "designs").kind, kr(faster, "designs").target) == ("at_most", 2)
    retention = next(e for e in okr_examples(team="product") if "first month" in e.title_en)
    assert (kr(retention, "30-day").baseline, kr(retention, "30-day").target, kr(retention, "30-day").unit()) == (
        45, 60, "%")
    assert (kr(retention, "time to value").target, kr(retention, "time to value").unit("id")) == (3, "hari")
    expansion = okr_examples(team="company")[0]
    assert kr(expansion, "usage-based").kind == "milestone" and kr(expansion, "sign-ups").target == 500
    reply = next(e for e in kpi_examples(category="service") if e.key == "service.reply_time")
    assert (reply.direction, reply.target, reply.unit(), reply.target_from_source) == (
        "lower_is_better", 30, "minutes", True)
    revenue = next(e for e in kpi_examples(role="sales_executive") if "revenue" in e.title_en)
    assert (revenue.target, revenue.unit()) == (150_000_000, "Rp")
    response = next(e for e in kpi_examples(role="customer_service_representative") if "response" in e.title_en)
    assert (response.direction, response.target, response.unit("id")) == ("lower_is_better", 4, "jam")
    assert not next(e for e in kpi_examples(category="marketing") if e.key == "marketing.roi").target_from_source


def test_labels_in_both_languages():
    groups = {"team": TEAMS, "role": ROLES, "category": CATEGORIES, "kpi_type": KPI_TYPES, "indicator": INDICATORS}
    for group, keys in groups.items():
        for key in keys:
            for lang in ("en", "id"):
                assert f"examples.{group}.{key}" in strings(lang), (group, key, lang)
            assert label(group, key, "en") != label(group, key, "id"), (group, key)
    assert label("team", "customer_success", "id") == "Keberhasilan Pelanggan"


def test_the_csv_files_use_canonical_headers():
    okr = next(csv.DictReader(io.StringIO(example_okr_csv(okr_examples()[0], "Company", CYCLE, "id").decode())))
    assert set(okr) == set(examples.OKR_COLUMNS) and okr["team"] == "Company" and okr["cycle"] == CYCLE
    kpi_rows = list(csv.DictReader(io.StringIO(example_kpi_csv(kpi_examples()[0], "Marketing", AS_OF).decode())))
    assert len(kpi_rows) == 1 and "date" not in kpi_rows[0] and "value" not in kpi_rows[0]
    assert kpi_rows[0]["target"] == "300" and kpi_rows[0]["direction"] == "higher_is_better"


def _one_file(parts: list[bytes]) -> bytes:
    """Several example files of one kind as one file (same header): one import instead of dozens."""
    header, *_ = parts[0].decode().splitlines(keepends=True)
    assert all(p.decode().startswith(header) for p in parts)
    return (header + "".join(p.decode()[len(header):] for p in parts)).encode()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_example_imports_cleanly_into_an_empty_store(lang):
    """Each example's rows, as its own team, through the normal importer into an empty store."""
    store = open_store(":memory:")
    try:
        okrs = [example_okr_csv(e, e.key, CYCLE, lang) for e in okr_examples()]
        kpis = [example_kpi_csv(e, e.key, AS_OF, lang) for e in kpi_examples()]
        result = import_files(store, [Upload("okrs.csv", _one_file(okrs)), Upload("kpis.csv", _one_file(kpis))],
                              today=AS_OF)
        assert sorted(f.kind.value for f in result.files) == ["kpis", "okrs"]
        # OKR examples keep their numbers.
        scores = store.kr_scores(AS_OF)
        assert len(scores) == sum(len(e.key_results) for e in okr_examples())
        for example in okr_examples():
            rows = scores[scores["team"] == example.key].set_index("title")
            assert list(rows["objective"].unique()) == [example.title(lang)]
            for key_result in example.key_results:
                row = rows.loc[key_result.title(lang)]
                if key_result.kind == "milestone":
                    assert (row["kind"], row["target"]) == ("milestone", 1)
                    continue
                assert (_none(row["stated_baseline"]), _none(row["target"])) == (key_result.baseline, key_result.target)
                assert (row["unit"] or "") == key_result.unit(lang)
                if key_result.kind:
                    assert row["kind"] == key_result.kind
        # KPI examples are drafts: a target and no measurement.
        kpi_scores = store.kpi_scores(AS_OF)
        assert len(kpi_scores) == len(kpi_examples())
        assert set(kpi_scores["status"]) == {"No Data"}
        for example in kpi_examples():
            row = kpi_scores[kpi_scores["team"] == example.key].iloc[0]
            assert (row["name"], row["target"], row["direction"]) == (example.title(lang), example.target,
                                                                       example.direction)
            assert (row["kpi_type"], row["indicator"], row["category"]) == (example.kpi_type, example.indicator,
                                                                             example.category)
        # The examples are good OKRs: the coach only asks for a parent and (where the documents
        # give none) a starting value.
        advice = {f.check for f in check_store(store, AS_OF)}
        assert advice <= {"objective_not_aligned", "key_result_without_baseline"}, advice
    finally:
        store.close()


def test_one_example_file_on_its_own(store, load):
    example = okr_examples(role="hr_officer")[0]
    load(("hr.csv", example_okr_csv(example, "HR", "Sprint 1", "id", objective_type="committed",
                                    start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 4, 28))),
         ("kpi.csv", example_kpi_csv(kpi_examples(role="hr_officer")[0], "HR", AS_OF, "id")))
    objective = store.objective_scores(AS_OF).iloc[0]
    assert (objective["title"], objective["objective_type"], objective["cycle"]) == (
        example.title_id, "committed", "Sprint 1")
    assert store.kpi_scores(AS_OF).iloc[0]["name"] == kpi_examples(role="hr_officer")[0].title_id


def _none(value):
    return None if value != value else value  # NaN -> None


def test_domain_modules_do_not_import_streamlit():
    code = ("import sys, okrdash.coach, okrdash.bridge, okrdash.examples; "
            "sys.exit('streamlit' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
