"""Server CPU seconds of a team, objective and KPI view: never opened before (miss) and opened before (hit).

    .venv/bin/python -m bench.views --label before     # at the commit to compare against
    .venv/bin/python -m bench.views --label after

Runs the page scripts through AppTest in this process, against the large company of bench/
(``bench/.work/large/okrdash.duckdb``; build it with ``okrdash --db ... --create import kpis.csv
okrs.csv checkins.csv`` on the files of ``bench.generate --size large``). CPU is
``time.process_time()`` around one run of the page: every thread of the process, DuckDB's included,
which is what the serving process spends on the view.

The overview is opened first (its CPU, what it sent, how many grids and charts). Each page is then opened once for a subject that is not measured (so the company-wide views,
the overview's say, are in memory as on a server that has been up a while; that run is reported as
``cpu_first_s``), then for ``--views`` subjects never opened before (``cpu_miss_s``, median), each
of those rerun ``--reruns`` times (``cpu_hit_s``, median). Subjects: the teams with the most key
results of the current cycle, each team's largest objective, and each team's KPIs (the KPI page
filtered to the team, with its first KPI open).

Writes ``bench/results/views-large-<label>.json``; with both ``before`` and ``after`` present,
also ``bench/results/views-large.md`` (the two side by side). ``--record`` also sets
``pages_server`` (per page: ``page``, ``cpu_hit_s``, ``cpu_miss_s``) in ``bench/results/scale-large.json``,
the document ``bench.run --size large`` writes, which keeps it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.generate import AS_OF, CURRENT
from bench.run import RESULTS, app_errors, loadavg, machine, new_app, use_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / ".work" / "large" / "okrdash.duckdb"
PAGES = ("team", "objective", "kpis")


def subjects(db: Path, count: int) -> list[dict[str, Any]]:
    """``count`` teams (most key results in the current cycle first), each with its largest objective and first KPI."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """WITH sizes AS (
                   SELECT o.team, o.id AS objective_id, count(*) AS krs
                   FROM objectives o JOIN key_results k ON k.objective_id = o.id
                   WHERE o.cycle = ? AND o.team <> 'Company' GROUP BY ALL)
               SELECT team, arg_max(objective_id, krs) AS objective_id,
                      (SELECT min(id) FROM kpis WHERE kpis.team = sizes.team) AS kpi_id
               FROM sizes GROUP BY team
               HAVING kpi_id IS NOT NULL
               ORDER BY sum(krs) DESC, team LIMIT ?""",
            [CURRENT.name, count],
        ).fetchall()
    finally:
        con.close()
    return [{"team": team, "objective": int(objective), "kpi": int(kpi)} for team, objective, kpi in rows]


def query(page: str, subject: dict[str, Any]) -> dict[str, str]:
    base = {"as_of": AS_OF.isoformat(), "cycle": CURRENT.name}
    if page == "team":
        return {**base, "team": subject["team"]}
    if page == "objective":
        return {**base, "objective": str(subject["objective"])}
    return {**base, "team": subject["team"], "kpi": str(subject["kpi"])}


def cpu_of_run(app) -> float:
    started = time.process_time()
    app.run()
    spent = time.process_time() - started
    errors = app_errors(app)
    if errors:
        raise RuntimeError(f"the page raised: {errors}")
    return spent


def drawn(app) -> dict[str, int]:
    """What the page sent for its elements: protobuf bytes (the tables' and charts' data included;
    the websocket's framing and the app's static files not), and how many grids and charts."""
    sizes: list[tuple[str, int]] = []

    def visit(node) -> None:
        proto = getattr(node, "proto", None)
        children = getattr(node, "children", None)
        if proto is not None and not children and hasattr(proto, "ByteSize"):
            sizes.append((getattr(node, "type", ""), proto.ByteSize()))
        for child in (children or {}).values():
            visit(child)

    visit(app._tree)
    return {"sent_bytes": sum(size for _, size in sizes),
            "grids": sum(kind == "dataframe" for kind, _ in sizes),
            "charts": sum(kind in ("vega_lite_chart", "arrow_vega_lite_chart") for kind, _ in sizes)}


def measure(db: Path, views: int, reruns: int) -> dict[str, Any]:
    use_database(db)
    chosen = subjects(db, views + 1)
    overview_app = new_app("overview", {"as_of": AS_OF.isoformat(), "cycle": CURRENT.name})
    overview_first = cpu_of_run(overview_app)  # also opens the store
    overview = {"page": "overview", "cpu_first_s": round(overview_first, 3),
                "cpu_hit_s": round(statistics.median(cpu_of_run(overview_app) for _ in range(reruns)), 3),
                **drawn(overview_app)}
    print(f"overview: first {overview['cpu_first_s']:.3f} s, hit {overview['cpu_hit_s']:.3f} s (CPU), "
          f"{overview['sent_bytes']:,} bytes, {overview['grids']} grids, {overview['charts']} charts", flush=True)
    pages = []
    for page in PAGES:
        first = cpu_of_run(new_app(page, query(page, chosen[0])))
        misses, hits = [], []
        for subject in chosen[1:]:
            app = new_app(page, query(page, subject))
            misses.append(cpu_of_run(app))
            hits.extend(cpu_of_run(app) for _ in range(reruns))
        pages.append({"page": page, "cpu_first_s": round(first, 3),
                      "cpu_miss_s": round(statistics.median(misses), 3),
                      "cpu_hit_s": round(statistics.median(hits), 3),
                      "cpu_miss_all_s": [round(m, 3) for m in misses], **drawn(app)})
        print(f"{page}: first {first:.3f} s, miss {statistics.median(misses):.3f} s, "
              f"hit {statistics.median(hits):.3f} s (CPU)", flush=True)
    return {"overview": overview, "pages": pages, "read_models": measure_read_models(db, chosen), "subjects": chosen}


def measure_read_models(db: Path, chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CPU of the read model behind each page alone (no Streamlit cache, no rendering): the data part of a view."""
    from okrdash import readmodels
    from okrdash.store import shared_store

    store, _ = shared_store(db)
    cycle = readmodels.pick_cycle(store, CURRENT.name, AS_OF)
    calls = {
        "team": lambda s: readmodels.team_view(store, s["team"], cycle, AS_OF),
        "objective": lambda s: readmodels.objective_view(store, s["objective"], AS_OF),
        "kpis": lambda s: readmodels.kpi_table(store, AS_OF, team=s["team"]),
    }
    rows = []
    for page, call in calls.items():
        spent = []
        for subject in chosen:
            started = time.process_time()
            call(subject)
            spent.append(time.process_time() - started)
        rows.append({"page": page, "cpu_s": round(statistics.median(spent), 3)})
        print(f"{page} read model: {statistics.median(spent):.3f} s (CPU)", flush=True)
    return rows


def markdown(before: dict[str, Any], after: dict[str, Any]) -> str:
    by_page = {row["page"]: row for row in before["pages"]}
    lines = [
        "Server CPU seconds per view, large company (AppTest page runs, medians)",
        "",
        f"before: commit {before['machine']['commit']}, {before['started']}, load average {before['loadavg']}",
        f"after: commit {after['machine']['commit']}, {after['started']}, load average {after['loadavg']}",
        f"machine: {after['machine']['cores']} cores, {after['machine']['cpu']}, shared with other work",
        "",
        "| page | miss before | miss after | hit before | hit after | first view after start, before / after "
        "| read model alone, before / after |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    models_before = {row["page"]: row["cpu_s"] for row in before.get("read_models", [])}
    models_after = {row["page"]: row["cpu_s"] for row in after.get("read_models", [])}
    for row in after["pages"]:
        old = by_page[row["page"]]
        lines.append(f"| {row['page']} | {old['cpu_miss_s']:.3f} | {row['cpu_miss_s']:.3f} | {old['cpu_hit_s']:.3f} "
                     f"| {row['cpu_hit_s']:.3f} | {old['cpu_first_s']:.3f} / {row['cpu_first_s']:.3f} "
                     f"| {models_before.get(row['page'], float('nan')):.3f} / {models_after.get(row['page'], float('nan')):.3f} |")
    lines += ["", "What each page sent (element protobufs, last subject measured), before / after:", "",
              "| page | bytes | grids | charts |", "|---|---:|---:|---:|"]
    drawn_before = {row["page"]: row for row in [before.get("overview", {}), *before["pages"]] if "sent_bytes" in row}
    for row in [after.get("overview", {}), *after["pages"]]:
        if "sent_bytes" not in row:
            continue
        old = drawn_before.get(row["page"], {})
        lines.append(f"| {row['page']} | {old.get('sent_bytes', '–'):,} / {row['sent_bytes']:,} "
                     f"| {old.get('grids', '–')} / {row['grids']} | {old.get('charts', '–')} / {row['charts']} |")
    if "overview" in after:
        lines.append(f"\nOverview CPU s, first run / rerun: before {before.get('overview', {}).get('cpu_first_s', '–')} / "
                     f"{before.get('overview', {}).get('cpu_hit_s', '–')}, after {after['overview']['cpu_first_s']} / "
                     f"{after['overview']['cpu_hit_s']}")
    return "\n".join(lines) + "\n"


def record_in_scale(result: dict[str, Any]) -> None:
    scale = RESULTS / "scale-large.json"
    document = json.loads(scale.read_text()) if scale.exists() else {}
    document["pages_server"] = [
        {"page": row["page"], "cpu_hit_s": row["cpu_hit_s"], "cpu_miss_s": row["cpu_miss_s"],
         "measured": f"{result['started']}, commit {result['machine']['commit']}, bench.views"}
        for row in result["pages"]]
    scale.write_text(json.dumps(document, indent=2, default=str) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="before or after (names the result file)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--views", type=int, default=5, help="subjects never opened before, per page")
    parser.add_argument("--reruns", type=int, default=3, help="reruns of each subject (hits)")
    parser.add_argument("--record", action="store_true", help="set pages_server in scale-large.json")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} is missing: see this module's docstring")
    started, load = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), loadavg()
    result = {"label": args.label, "started": started, "machine": machine(),
              **measure(args.db, args.views, args.reruns)}
    result["loadavg"] = [load, loadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"views-large-{args.label}.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.record:
        record_in_scale(result)
    before, after = RESULTS / "views-large-before.json", RESULTS / "views-large-after.json"
    if before.exists() and after.exists():
        (RESULTS / "views-large.md").write_text(markdown(json.loads(before.read_text()), json.loads(after.read_text())))


if __name__ == "__main__":
    main()
