"""Every chart builder (okrdash/charts.py) writes a valid Vega-Lite spec: checked against the schema
Altair ships, since the builders write dicts and nothing validates them when a page draws them."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources

import jsonschema
import pandas as pd
import pytest

from okrdash import charts, presentation
from okrdash.formatting import chart_locale


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(resources.files("altair.vegalite.v6.schema").joinpath("vega-lite-schema.json").read_text())
    return jsonschema.Draft7Validator(schema)


def as_sent(spec: dict) -> dict:
    """The spec as the browser gets it: datasets as rows, the reader's locale in the config."""
    datasets = {name: json.loads(frame.to_json(orient="records", date_format="iso"))
                for name, frame in spec.get("datasets", {}).items()}
    return {**spec, "datasets": datasets, "config": {"locale": chart_locale("id")}}


def assert_valid(spec: dict) -> None:
    sent = as_sent(spec)
    errors = sorted(validator().iter_errors(sent), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]
    named = {name for name in sent["datasets"]}
    used = {layer["data"]["name"] for layer in [sent, *sent.get("layer", [])] if "data" in layer}
    assert used and used <= named, (used, named)


LABELS = {"actual": "Aktual", "expected": "Diharapkan", "target": "Target"}
DAYS = [dt.date(2026, 10, 1), dt.date(2026, 10, 15)]


@pytest.mark.parametrize("target", [12.0, None])
def test_burn_up_chart(target):
    history = pd.DataFrame({"date": DAYS, "value": [1.0, 4.5], "confidence": [3, 2], "note": [None, "x"]})
    expected = pd.DataFrame({"date": [DAYS[0], dt.date(2026, 12, 31)], "value": [0.0, 12.0]})
    spec = charts.burn_up_chart(history, expected, target, "Progres", "orang", "Tanggal", LABELS)
    assert_valid(spec)
    assert len(spec["layer"]) == (2 if target is not None else 1)
    assert len(spec["datasets"]["series"]) == 4


def test_burn_up_chart_without_any_value():
    empty = pd.DataFrame(columns=["date", "value"])
    assert_valid(charts.burn_up_chart(empty, empty, None, "Progres", "nilai", "Tanggal", LABELS))


@pytest.mark.parametrize(("target", "band"), [(100.0, (90.0, 100.0)), (None, None)])
def test_kpi_history_chart(target, band):
    history = pd.DataFrame({"date": DAYS, "value": [95.0, 97.5], "target": [100.0, 100.0]})
    spec = charts.kpi_history_chart(history, target, band, "KPI", "Nilai (%)", "Tanggal", "Target")
    assert_valid(spec)
    assert list(spec["datasets"]["history"].columns) == ["date", "value"]  # what the chart draws, no more


def test_team_status_chart():
    counts = pd.DataFrame({"subject": "okr", "team": ["A", "A", "B"], "status": ["On Track", "At Risk", "On Track"],
                           "count": [3, 1, 2], "status_label": ["🟢 Sesuai", "🟠 Berisiko", "🟢 Sesuai"],
                           "status_rank": [0, 1, 0]})
    spec = charts.team_status_chart(counts, "Judul", "Hasil utama", "Tim", "Status")
    assert_valid(spec)
    assert "🟢 Sesuai" in spec["encoding"]["color"]["scale"]["domain"]


def test_grade_distribution_chart():
    counts = pd.DataFrame({"band": ["green", "yellow", "red", None], "label": ["a", "b", "c", "d"],
                           "count": [1, 0, 2, 5]})
    spec = charts.grade_distribution_chart(counts, "Objektif", "Jumlah", "Rentang")
    assert_valid(spec)
    assert spec["encoding"]["color"]["scale"]["range"][-1] == charts.STATUS_COLORS["No Data"]


def test_status_donut():
    assert_valid(charts.status_donut({"On Track": 2, "At Risk": 0}, {"On Track": "Sesuai"}, "Status"))


def test_progress_chart():
    rows = presentation.progress_rows(["Tingkatkan retensi pelanggan di semua wilayah penjualan utama kita", ""],
                                      [0.4, None], [0.5, None], ["At Risk", "No Data"], "id")
    spec = charts.progress_chart(rows, "Diharapkan")
    assert_valid(spec)
    assert spec["height"] > 2 * 47
