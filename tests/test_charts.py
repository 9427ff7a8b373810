"""Every chart builder (okrdash/charts.py) writes a valid Vega-Lite spec, checked against the schema
Altair ships as the browser gets it (rows in, locale in the config). The builders declare their
charts with Altair once per set of non-data arguments and keep the dict: a second call with other
rows reuses it, and one call's rows, title or height never show up in another call's spec."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import lru_cache
from importlib import resources

import jsonschema
import pandas as pd
import pytest

from okrdash import charts
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
    scale = spec["encoding"]["color"]["scale"]
    # The legend names the statuses drawn, in the reader's words: no English "No Data" / "No Target".
    assert scale["domain"] == ["🟢 Sesuai", "🟠 Berisiko"]
    assert scale["range"] == [charts.STATUS_COLORS["On Track"], charts.STATUS_COLORS["At Risk"]]


def test_date_axes_name_the_day_before_the_month():
    history = pd.DataFrame({"date": DAYS, "value": [1.0, 2.0]})
    burn_up = charts.burn_up_chart(history, history, None, "P", "orang", "Tanggal", LABELS)
    kpi = charts.kpi_history_chart(history, None, None, "KPI", "Nilai", "Tanggal", "Target")
    for spec in (burn_up, kpi):
        axes = [layer["encoding"]["x"]["axis"] for layer in spec["layer"] if "x" in layer.get("encoding", {})
                and layer["encoding"]["x"].get("type") == "temporal"]
        assert axes and all(axis["format"] == "%-d %b" for axis in axes)


def test_grade_distribution_chart():
    counts = pd.DataFrame({"band": ["green", "yellow", "red", None], "label": ["a", "b", "c", "d"],
                           "count": [1, 0, 2, 5]})
    spec = charts.grade_distribution_chart(counts, "Objektif", "Jumlah", "Rentang")
    assert_valid(spec)
    assert spec["encoding"]["color"]["scale"]["range"][-1] == charts.STATUS_COLORS["No Data"]


# -- the kept declarations -----------------------------------------------------------------------

def _team(seed: int) -> dict:
    counts = pd.DataFrame({"team": ["A", "B"], "status": ["On Track", "At Risk"], "count": [seed, seed + 1],
                           "status_label": ["Sesuai", "Berisiko"], "status_rank": [0, 1]})
    return charts.team_status_chart(counts, f"Judul {seed}", "Hasil utama", "Tim", "Status")


def _burn_up(seed: int) -> dict:
    history = pd.DataFrame({"date": DAYS, "value": [float(seed), seed + 2.0]})
    expected = pd.DataFrame({"date": [DAYS[0], dt.date(2026, 12, 31)], "value": [0.0, 12.0]})
    return charts.burn_up_chart(history, expected, 10.0 + seed, f"Progres {seed}", "orang", "Tanggal", LABELS)


def _kpi(seed: int) -> dict:
    history = pd.DataFrame({"date": DAYS, "value": [90.0 + seed, 95.0]})
    return charts.kpi_history_chart(history, 100.0 + seed, (90.0, 100.0 + seed), f"KPI {seed}", "Nilai", "Tanggal",
                                    "Target")


def _grades(seed: int) -> dict:
    counts = pd.DataFrame({"band": ["green", "red", None], "label": ["a", "b", "c"], "count": [seed, 1, 2]})
    return charts.grade_distribution_chart(counts, f"Objektif {seed}", "Jumlah", "Rentang")


BUILDERS = {
    "team_status_chart": (_team, charts._team_status),
    "burn_up_chart": (_burn_up, charts._burn_up),
    "kpi_history_chart": (_kpi, charts._kpi_history),
    "grade_distribution_chart": (_grades, charts._grade_distribution),
}


def _rows(spec: dict) -> dict:
    return as_sent(spec)["datasets"]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_declared_once_for_other_rows(name):
    build, declaration = BUILDERS[name]
    declaration.cache_clear()
    first, second = build(1), build(2)
    assert declaration.cache_info().misses == 1 and declaration.cache_info().hits == 1
    assert_valid(first)
    assert_valid(second)
    assert _rows(first) != _rows(second)
    assert {k: v for k, v in first.items() if k not in ("datasets", "title", "height")} == \
        {k: v for k, v in second.items() if k not in ("datasets", "title", "height")}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_one_call_never_leaks_into_another(name):
    build, _ = BUILDERS[name]
    first = build(1)
    kept = _rows(first), first.get("title"), first.get("height")
    second = build(2)
    assert (_rows(first), first.get("title"), first.get("height")) == kept
    assert second["datasets"] is not first["datasets"]
    # A caller replacing a top-level key of its spec (widgets.chart sets the config) changes no other call's.
    first["config"] = {"locale": chart_locale("id")}
    first["datasets"]["extra"] = pd.DataFrame({"x": [1]})
    third = build(2)
    assert "config" not in third and "extra" not in third["datasets"]
    assert _rows(third) == _rows(second)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_what_streamlit_does_to_a_spec_stays_in_its_call(name):
    """st.vega_lite_chart rewrites parts of the spec it is given in place (null legend titles, the
    datasets it moves out: streamlit.elements.vega_charts._prepare_vega_lite_spec): none of it may
    reach the kept declaration that the next call copies."""
    from streamlit.elements.vega_charts import _prepare_vega_lite_spec

    build, _ = BUILDERS[name]
    first = build(1)
    before = copy.deepcopy(as_sent(first))
    _prepare_vega_lite_spec(first, True)
    assert as_sent(build(1)) == before


def test_burn_up_without_target_keeps_no_target_of_an_earlier_call():
    history = pd.DataFrame({"date": DAYS, "value": [1.0, 2.0]})
    with_target = charts.burn_up_chart(history, history, 5.0, "P", "orang", "Tanggal", LABELS)
    without = charts.burn_up_chart(history, history, None, "P", "orang", "Tanggal", LABELS)
    assert "target" in with_target["datasets"] and "target" not in without["datasets"]
    assert len(without["layer"]) == 1 and len(with_target["layer"]) == 2


def test_specs_carry_no_altair_standalone_extras():
    """Altair adds $schema and its default theme's view size to a standalone chart; the specs leave
    them out, as the dict builders did (Streamlit sizes the chart)."""
    for build, _ in BUILDERS.values():
        spec = build(1)
        assert "$schema" not in spec and "config" not in spec


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_new_declaration_leaves_the_whole_charts_schema_check_to_these_tests(name, monkeypatch):
    """Altair's check of a whole declaration against the schema was two thirds of its cost on the
    request path (an objective's first view declares a burn-up per unit); these tests check every
    builder's output against the same schema (assert_valid), so a declaration skips it."""
    from altair.utils import schemapi

    build, declaration = BUILDERS[name]
    declaration.cache_clear()
    real = schemapi.validate_jsonschema

    def not_the_whole_chart(spec, *args, **kwargs):
        # A whole chart names its data or layers; its parts (an axis, a scale) are checked when made.
        assert not (isinstance(spec, dict) and ("data" in spec or "layer" in spec)), "a declaration checked the whole chart"
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(schemapi, "validate_jsonschema", not_the_whole_chart)
    spec = build(1)
    monkeypatch.undo()
    assert_valid(spec)
