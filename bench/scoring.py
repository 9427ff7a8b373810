"""Scoring side by side: okrdash's rules against the same rules written in pandas and in polars.

    .venv/bin/pip install -c constraints.txt -e ".[bench]"   # polars, the bench's only extra
    .venv/bin/python -m bench.scoring                         # the large company of bench/.work/large
    .venv/bin/python -m bench.scoring --record                # also sets scoring in scale-large.json

What a user would otherwise pick to score an OKR and KPI export: a pandas or a polars script over
the same tables. THIS FILE RESTATES THE RULES OF okrdash/rules.sql, and is the only place allowed
to: the restatement is a check (every key result's, objective's and KPI's status must equal
okrdash's before anything is timed; the run stops naming the rows that differ otherwise) and a
yardstick, never a source of a status. The thresholds are read from okrdash.settings, not restated.
Only statuses (and the progress and expected progress a key result's status needs) are computed
here; okrdash's scoring also gives grades, bands, forecasts, staleness and trends.

Each side starts from the stored tables already in memory: okrdash from its DuckDB file (read once
before timing), pandas and polars from frames of the same tables (loading them is not timed). CPU
seconds are the process's own (every thread: DuckDB and polars use both cores), the median of
``--runs`` runs after one warm-up. okrdash's figure is the store's scoring as it runs in the
engine: ``kr_scores`` into a temp table, ``objective_rollup`` over it, ``kpi_scores``, each
materialised; the same into the pandas frames the app keeps (``store.scores``) is reported beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from bench.generate import AS_OF
from bench.run import RESULTS, loadavg, log, machine
from okrdash.settings import settings
from okrdash.store import open_store
from okrdash.store import scores as store_scores

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / ".work" / "large" / "okrdash.duckdb"
TARGET_CPU_S = 0.3  # issue 27: all statuses at most 0.3 CPU s on the large company
TABLES = {
    "cycles": "SELECT name, start_date, end_date FROM cycles",
    "objectives": "SELECT id, cycle, type FROM objectives",
    "key_results": "SELECT id, objective_id, kind, baseline, target, start_date, kpi_id FROM key_results",
    "checkins": "SELECT key_result_id, date, seq, value, confidence FROM checkins",
    "kpis": "SELECT id, direction, target, min_value, max_value, tolerance, tolerance_is_share FROM kpis",
    "kpi_measurements": "SELECT kpi_id, date, value, target FROM kpi_measurements",
}
BOUND_KINDS = ("at_least", "at_most")


def cpu_seconds(fn: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """Median CPU seconds of ``runs`` calls after one warm-up call, every value, and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    return statistics.median(times), times, result


# -- okrdash --------------------------------------------------------------------------------------


def okrdash_in_engine(cur, as_of: dt.date) -> None:
    """Every status as the store scores them, each table materialised in the engine."""
    cur.execute("CREATE OR REPLACE TEMP TABLE bench_kr AS SELECT * FROM kr_scores(?::DATE)", [as_of])
    cur.execute("CREATE OR REPLACE TEMP TABLE bench_objectives AS SELECT * FROM objective_rollup('bench_kr', ?::DATE)",
                [as_of])
    cur.execute("CREATE OR REPLACE TEMP TABLE bench_kpis AS SELECT * FROM kpi_scores(?::DATE)", [as_of])


def okrdash_statuses(cur) -> dict[str, pd.Series]:
    """The statuses okrdash_in_engine left, by id."""
    return {name: cur.execute(f"SELECT {key}, status FROM {table} ORDER BY {key}").df().set_index(key)["status"]
            for name, table, key in (("key_results", "bench_kr", "key_result_id"),
                                     ("objectives", "bench_objectives", "objective_id"),
                                     ("kpis", "bench_kpis", "kpi_id"))}


# -- the rules restated in pandas (a check and a yardstick: see the module's docstring) ------------


def pandas_statuses(t: dict[str, pd.DataFrame], as_of: dt.date) -> dict[str, pd.Series]:
    s = settings()
    day = pd.Timestamp(as_of)
    krs, objectives, cycles = t["key_results"], t["objectives"], t["cycles"]
    checkins = t["checkins"][t["checkins"]["date"] <= day]
    measurements = t["kpi_measurements"][t["kpi_measurements"]["date"] <= day]
    # A key result's values: its check-ins, or its KPI's measurements; ordered by day, then seq.
    linked = krs.loc[krs["kpi_id"].notna(), ["id", "kpi_id"]]
    followed = linked.merge(measurements[["kpi_id", "date", "value"]], on="kpi_id").drop(columns="kpi_id")
    followed = followed.rename(columns={"id": "key_result_id"}).assign(seq=0, confidence=np.nan)
    values = pd.concat([checkins, followed], ignore_index=True).sort_values(["key_result_id", "date", "seq"])
    by_kr = values.groupby("key_result_id", sort=False)["value"]
    current, first = by_kr.last(), by_kr.first()
    confidence = values.dropna(subset=["confidence"]).groupby("key_result_id")["confidence"].last()
    bound = krs.loc[krs["kind"].isin(BOUND_KINDS), ["id", "kind", "target"]]
    in_bound = values.merge(bound, left_on="key_result_id", right_on="id")
    inside = np.where(in_bound["kind"] == "at_least", in_bound["value"] >= in_bound["target"],
                      in_bound["value"] <= in_bound["target"])
    share = pd.Series(inside, index=in_bound["key_result_id"]).groupby(level=0).mean()

    base = krs.merge(objectives, left_on="objective_id", right_on="id", suffixes=("", "_objective"))
    base = base.merge(cycles, left_on="cycle", right_on="name", suffixes=("", "_cycle"))
    ids = base["id"]
    cur, firsts = ids.map(current), ids.map(first)
    start = base["start_date"].fillna(base["start_date_cycle"])
    span = ((base["end_date"] - start).dt.days).clip(lower=1)
    elapsed = (((day - start).dt.days) / span).clip(0.0, 1.0)
    end_point = np.where(base["type"] == "aspirational", s.aspirational_end_point, 1.0)
    baseline = base["baseline"].fillna(firsts)
    is_bound = base["kind"].isin(BOUND_KINDS)
    gap = base["target"] - baseline
    progress = np.select(
        [base["kind"] == "milestone", is_bound],
        [np.where(cur.isna(), np.nan, (cur >= base["target"]).astype(float)), ids.map(share)],
        (cur - baseline) / gap.where(gap != 0))
    progress = pd.Series(progress, index=base.index, dtype=float)
    expected = pd.Series(np.where(is_bound, end_point, elapsed * end_point), index=base.index)
    complete_allowed = ~is_bound | (elapsed >= 1)
    status = np.select(
        [base["target"].isna(), progress.isna(), (progress >= 1) & complete_allowed,
         (progress >= s.on_track_ratio * expected) | (expected - progress <= s.on_track_gap),
         (progress >= s.at_risk_ratio * expected) | (expected - progress <= s.at_risk_gap)],
        ["No Target", "No Data", "Complete", "On Track", "At Risk"], "Off Track")
    low = ids.map(confidence) <= s.low_confidence
    status = np.where((status == "On Track") & low, "At Risk", status)
    kr_status = pd.Series(status, index=ids.values).sort_index()

    # Objectives: the worst key result status (Complete only when every one is).
    rows = pd.DataFrame({"objective_id": base["objective_id"].values, "status": status})
    rows["measured"] = ~rows["status"].isin(["No Data", "No Target"])
    rows["complete"] = rows["status"] == "Complete"
    rows["off"] = rows["status"] == "Off Track"
    rows["risk"] = rows["status"] == "At Risk"
    per = rows.groupby("objective_id").agg(measured=("measured", "sum"), complete=("complete", "all"),
                                           off=("off", "any"), risk=("risk", "any"))
    per = per.reindex(objectives["id"])
    objective_status = pd.Series(np.select(
        [per["measured"].fillna(0) == 0, per["complete"] == True, per["off"] == True,  # noqa: E712 (NaN)
         per["risk"] == True],  # noqa: E712
        ["No Data", "Complete", "Off Track", "At Risk"], "On Track"), index=per.index).sort_index()

    # KPIs: the latest value against the latest target, within the tolerance.
    kpis = t["kpis"].set_index("id")
    ordered = measurements.sort_values(["kpi_id", "date"])
    value = ordered.groupby("kpi_id")["value"].last().reindex(kpis.index)
    period_target = ordered.dropna(subset=["target"]).groupby("kpi_id")["target"].last().reindex(kpis.index)
    target = period_target.fillna(kpis["target"])
    is_range = kpis["direction"] == "range"
    width = (kpis["max_value"] - kpis["min_value"]).abs()
    stated = kpis["tolerance"] * np.where(kpis["tolerance_is_share"] == True,  # noqa: E712 (NaN)
                                          np.where(is_range, width, target.abs()), 1.0)
    tolerance = stated.fillna(pd.Series(np.where(is_range, width, target.abs()), index=kpis.index)
                              * s.kpi_tolerance_share)
    higher, lower = kpis["direction"] == "higher_is_better", kpis["direction"] == "lower_is_better"
    inside = (value >= kpis["min_value"]) & (value <= kpis["max_value"])
    near = (value >= kpis["min_value"] - tolerance) & (value <= kpis["max_value"] + tolerance)
    kpi_status = pd.Series(np.select(
        [is_range & (kpis["min_value"].isna() | kpis["max_value"].isna()), ~is_range & target.isna(), value.isna(),
         higher & (value >= target), higher & (value >= target - tolerance), higher,
         lower & (value <= target), lower & (value <= target + tolerance), lower,
         inside, near],
        ["No Target", "No Target", "No Data", "On Track", "At Risk", "Off Track", "On Track", "At Risk", "Off Track",
         "On Track", "At Risk"], "Off Track"), index=kpis.index).sort_index()
    return {"key_results": kr_status, "objectives": objective_status, "kpis": kpi_status}


# -- the rules restated in polars (a check and a yardstick: see the module's docstring) ------------


def polars_statuses(t: dict[str, Any], as_of: dt.date) -> dict[str, pd.Series]:
    import polars as pl

    s = settings()
    krs, objectives, cycles = t["key_results"], t["objectives"], t["cycles"]
    checkins = t["checkins"].lazy().filter(pl.col("date") <= as_of)
    measurements = t["kpi_measurements"].lazy().filter(pl.col("date") <= as_of)
    followed = (krs.lazy().filter(pl.col("kpi_id").is_not_null()).select("id", "kpi_id")
                .join(measurements.select("kpi_id", "date", "value"), on="kpi_id")
                .select(pl.col("id").alias("key_result_id"), "date", pl.lit(0, pl.Int32).alias("seq"), "value",
                        pl.lit(None, pl.Float64).alias("confidence")))
    values = pl.concat([checkins.select("key_result_id", "date", pl.col("seq").cast(pl.Int32), "value",
                                        "confidence"), followed])
    values = values.join(krs.lazy().select(pl.col("id").alias("key_result_id"), "kind",
                                           pl.col("target").alias("kr_target")), on="key_result_id")
    inside = pl.when(pl.col("kind") == "at_least").then(pl.col("value") >= pl.col("kr_target")) \
        .otherwise(pl.col("value") <= pl.col("kr_target")).cast(pl.Float64)
    latest = values.group_by("key_result_id").agg(
        pl.col("value").sort_by(["date", "seq"]).last().alias("current"),
        pl.col("value").sort_by(["date", "seq"]).first().alias("first_value"),
        pl.col("confidence").sort_by(["date", "seq"]).drop_nulls().last().alias("confidence"),
        inside.filter(pl.col("kind").is_in(BOUND_KINDS)).mean().alias("share"))
    end = pl.col("end_date")
    start = pl.coalesce(pl.col("start_date"), pl.col("cycle_start"))
    elapsed = ((pl.lit(as_of) - start).dt.total_days() / pl.max_horizontal(
        (end - start).dt.total_days(), pl.lit(1))).clip(0.0, 1.0)
    end_point = pl.when(pl.col("type") == "aspirational").then(s.aspirational_end_point).otherwise(1.0)
    is_bound = pl.col("kind").is_in(BOUND_KINDS)
    baseline = pl.coalesce(pl.col("baseline"), pl.col("first_value"))
    denominator = pl.col("target") - baseline
    progress = (pl.when(pl.col("kind") == "milestone")
                .then(pl.when(pl.col("current").is_null()).then(None)
                      .otherwise((pl.col("current") >= pl.col("target")).cast(pl.Float64)))
                .when(is_bound).then(pl.col("share"))
                .otherwise((pl.col("current") - baseline) / pl.when(denominator != 0).then(denominator)))
    scored = (krs.lazy()
              .join(objectives.lazy().rename({"id": "objective_id"}), on="objective_id")
              .join(cycles.lazy().rename({"name": "cycle", "start_date": "cycle_start"}), on="cycle")
              .join(latest, left_on="id", right_on="key_result_id", how="left")
              .with_columns(progress.alias("progress"), elapsed.alias("elapsed"), end_point.alias("end_point"))
              .with_columns(pl.when(is_bound).then(pl.col("end_point"))
                            .otherwise(pl.col("elapsed") * pl.col("end_point")).alias("expected")))
    p, e = pl.col("progress"), pl.col("expected")
    by_numbers = (pl.when(pl.col("target").is_null()).then(pl.lit("No Target"))
                  .when(p.is_null()).then(pl.lit("No Data"))
                  .when((p >= 1) & (~is_bound | (pl.col("elapsed") >= 1))).then(pl.lit("Complete"))
                  .when((p >= s.on_track_ratio * e) | (e - p <= s.on_track_gap)).then(pl.lit("On Track"))
                  .when((p >= s.at_risk_ratio * e) | (e - p <= s.at_risk_gap)).then(pl.lit("At Risk"))
                  .otherwise(pl.lit("Off Track")))
    scored = scored.with_columns(by_numbers.alias("by_numbers")).with_columns(
        pl.when((pl.col("by_numbers") == "On Track") & (pl.col("confidence") <= s.low_confidence))
        .then(pl.lit("At Risk")).otherwise(pl.col("by_numbers")).alias("status"))
    status = pl.col("status")
    per = scored.group_by("objective_id").agg(
        (~status.is_in(["No Data", "No Target"])).sum().alias("measured"), (status == "Complete").all().alias("all"),
        (status == "Off Track").any().alias("off"), (status == "At Risk").any().alias("risk"))
    objective_status = (objectives.lazy().select(pl.col("id").alias("objective_id"))
                        .join(per, on="objective_id", how="left")
                        .select("objective_id", pl.when(pl.col("measured").fill_null(0) == 0).then(pl.lit("No Data"))
                                .when(pl.col("all")).then(pl.lit("Complete"))
                                .when(pl.col("off")).then(pl.lit("Off Track"))
                                .when(pl.col("risk")).then(pl.lit("At Risk"))
                                .otherwise(pl.lit("On Track")).alias("status")))

    last = measurements.group_by("kpi_id").agg(
        pl.col("value").sort_by("date").last().alias("value"),
        pl.col("target").sort_by("date").drop_nulls().last().alias("period_target"))
    kpis = t["kpis"].lazy().join(last, left_on="id", right_on="kpi_id", how="left").with_columns(
        pl.coalesce(pl.col("period_target"), pl.col("target")).alias("target"))
    is_range = pl.col("direction") == "range"
    width = (pl.col("max_value") - pl.col("min_value")).abs()
    scale = pl.when(is_range).then(width).otherwise(pl.col("target").abs())
    tolerance = pl.coalesce(pl.when(pl.col("tolerance_is_share")).then(pl.col("tolerance") * scale)
                            .otherwise(pl.col("tolerance")), s.kpi_tolerance_share * scale)
    v, target, low, high = pl.col("value"), pl.col("target"), pl.col("min_value"), pl.col("max_value")
    kpi_status = kpis.with_columns(tolerance.alias("tol")).select("id", (
        pl.when(is_range & (low.is_null() | high.is_null())).then(pl.lit("No Target"))
        .when(~is_range & target.is_null()).then(pl.lit("No Target"))
        .when(v.is_null()).then(pl.lit("No Data"))
        .when(pl.col("direction") == "higher_is_better").then(
            pl.when(v >= target).then(pl.lit("On Track")).when(v >= target - pl.col("tol")).then(pl.lit("At Risk"))
            .otherwise(pl.lit("Off Track")))
        .when(pl.col("direction") == "lower_is_better").then(
            pl.when(v <= target).then(pl.lit("On Track")).when(v <= target + pl.col("tol")).then(pl.lit("At Risk"))
            .otherwise(pl.lit("Off Track")))
        .otherwise(
            pl.when(v.is_between(low, high)).then(pl.lit("On Track"))
            .when(v.is_between(low - pl.col("tol"), high + pl.col("tol"))).then(pl.lit("At Risk"))
            .otherwise(pl.lit("Off Track")))).alias("status"))
    kr, objective, kpi = pl.collect_all([scored.select("id", "status"), objective_status, kpi_status])
    return {"key_results": kr, "objectives": objective, "kpis": kpi}


def polars_as_series(found: dict[str, Any]) -> dict[str, pd.Series]:
    """polars' statuses by id, as the other two give them (converted after timing)."""
    return {name: pd.Series(frame.get_column("status").to_list(), index=frame.get_column(frame.columns[0]).to_list())
            .sort_index() for name, frame in found.items()}


def disagreements(reference: dict[str, pd.Series], other: dict[str, pd.Series]) -> dict[str, Any]:
    """Rows whose status differs (or that one side lacks), per table: a count and the first few."""
    out = {}
    for name, ours in reference.items():
        theirs = other[name]
        joined = pd.DataFrame({"okrdash": ours, "other": theirs})
        differ = joined[joined["okrdash"] != joined["other"]]
        out[name] = {"rows": len(joined), "differ": len(differ),
                     "first": differ.head(5).reset_index().astype(str).values.tolist()}
    return out


# -- driver ---------------------------------------------------------------------------------------


def measure(db: Path, as_of: dt.date, runs: int) -> dict[str, Any]:
    import polars as pl

    loads = [loadavg()]
    store = open_store(db, read_only=True)
    with store.cursor() as cur:
        frames = {name: cur.execute(sql).df() for name, sql in TABLES.items()}
        polars_frames = {name: cur.sql(sql).pl() for name, sql in TABLES.items()}
        okrdash_cpu, okrdash_all, _ = cpu_seconds(lambda: okrdash_in_engine(cur, as_of), runs)
        reference = okrdash_statuses(cur)
        frames_cpu, frames_all, _ = cpu_seconds(lambda: store_scores.score(cur, as_of), runs)
    store.close()
    log(f"okrdash: {okrdash_cpu:.3f} CPU s in the engine, {frames_cpu:.3f} into frames")
    checks = {}
    pandas_cpu, pandas_all, found = cpu_seconds(lambda: pandas_statuses(frames, as_of), runs)
    checks["pandas"] = disagreements(reference, found)
    log(f"pandas: {pandas_cpu:.3f} CPU s")
    polars_cpu, polars_all, found = cpu_seconds(lambda: polars_statuses(polars_frames, as_of), runs)
    checks["polars"] = disagreements(reference, polars_as_series(found))
    log(f"polars: {polars_cpu:.3f} CPU s")
    loads.append(loadavg())
    wrong = {side: {t: c for t, c in tables.items() if c["differ"]} for side, tables in checks.items()}
    if any(wrong.values()):
        raise SystemExit(f"statuses differ from okrdash's, nothing recorded: {json.dumps(wrong, indent=1)}")
    rows = {name: series.size for name, series in reference.items()}
    return {
        "okrdash_cpu_s": round(okrdash_cpu, 3), "pandas_cpu_s": round(pandas_cpu, 3), "polars_cpu_s": round(polars_cpu, 3),
        "okrdash_frames_cpu_s": round(frames_cpu, 3), "target_cpu_s": TARGET_CPU_S,
        "met": okrdash_cpu <= TARGET_CPU_S,
        "cpu_s_all": {"okrdash": [round(x, 3) for x in okrdash_all], "okrdash_frames": [round(x, 3) for x in frames_all],
                      "pandas": [round(x, 3) for x in pandas_all], "polars": [round(x, 3) for x in polars_all]},
        "statuses_agree": {side: {t: f"{c['rows'] - c['differ']}/{c['rows']}" for t, c in tables.items()}
                           for side, tables in checks.items()},
        "rows": rows, "runs": runs, "as_of": as_of.isoformat(), "loadavg": loads,
        "versions": {"pandas": pd.__version__, "polars": pl.__version__},
        "what": "CPU s (every thread), median of runs after a warm-up; okrdash: kr_scores, objective_rollup over "
                "it and kpi_scores materialised in the engine (okrdash_frames: the same into the app's pandas frames); "
                "pandas and polars: bench/scoring.py's restatement of the rules over frames of the same tables "
                "(loading not timed), statuses checked equal on every row first",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="the company's database (default: the large one)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per side (default 5)")
    parser.add_argument("--record", action="store_true", help="set scoring's comparators in scale-large.json")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist: generate and import the large company first (bench/run.py)")
    try:
        import polars  # noqa: F401
    except ImportError:
        parser.error('polars is missing: pip install -c constraints.txt -e ".[bench]"')
    result = {"measured": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), **measure(args.db, AS_OF, args.runs)}
    print(json.dumps(result, indent=2))
    if args.record:
        scale = RESULTS / "scale-large.json"
        document = json.loads(scale.read_text()) if scale.exists() else {}
        document.setdefault("scoring", {}).update(
            {key: result[key] for key in ("okrdash_cpu_s", "pandas_cpu_s", "polars_cpu_s")},
            comparators={k: v for k, v in result.items() if k not in ("okrdash_cpu_s", "pandas_cpu_s", "polars_cpu_s")})
        scale.write_text(json.dumps(document, indent=2, default=str) + "\n")
        log(f"scoring figures written into {scale}")


if __name__ == "__main__":
    main()
