"""Server CPU seconds and bytes sent of every page's view: never opened before (miss) and opened before (hit).

    .venv/bin/python -m bench.views --label before     # at the commit to compare against
    .venv/bin/python -m bench.views --label after
    .venv/bin/python -m bench.views --label after --server   # the same views asked of okrdash serve

Runs the page scripts through AppTest in this process, against the large company of bench/
(``bench/.work/large/okrdash.duckdb``; build it with ``okrdash --db ... --create import kpis.csv
okrs.csv checkins.csv`` on the files of ``bench.generate --size large``). CPU is
``time.process_time()`` around one run of the page: every thread of the process, DuckDB's included,
which is what the serving process spends on the view.

Every page (``PAGE_FILES``: overview, team, objective, KPIs, review, my key results, explainer,
upload) is opened first as a link without a filter opens it, for the whole company (so the
company-wide views are in memory as on a server that has been up a while; that run is reported as
``cpu_first_s``, its reruns as ``cpu_whole_hit_s``), then for ``--views`` subjects never opened
before (``cpu_miss_s``, median), each of those rerun ``--reruns`` times (``cpu_hit_s``, median).
Subjects: the teams with the most key results of the current cycle, each team's largest objective,
its KPIs (the KPI page filtered to the team, with its first KPI open), its quarter review and one of
its key result owners; company objectives (the overview's aligned list) and example teams (the
explainer). The upload page has no subject: each miss is a new session.

What a page sent (``drawn``: element protobuf bytes, grids, charts) is kept for its largest view
of those measured, the whole-company one included (``sent_whole``).

``--server`` asks an ``okrdash serve`` process (ports ``--ports``, default 56500-56699) over its
websocket instead (bench/serving.py): a miss is a new session opening the subject's link, a hit the
same session asking again; CPU is the serving process's user+system time around each view. AppTest
differs from the server: it compiles the scripts on every run, and each new AppTest would scan the
installed packages for components (0.17 CPU s, done once per server process; this module gives every
AppTest one registry). With it, ``cpu_floor_s`` (a fixed pure-Python workload's
CPU seconds at the start and end) says how much a CPU second bought during the run. Writes
``bench/results/views-large-server-<label>.json``.

Writes ``bench/results/views-large-<label>.json``; with both ``before`` and ``after`` present,
also ``bench/results/views-large.md`` (the two side by side). ``--record`` also sets
``pages_server`` (per page: ``page``, ``cpu_hit_s``, ``cpu_miss_s``, and its largest view's
``sent_bytes``, ``grids``, ``charts``) in ``bench/results/scale-large.json``,
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
from bench.run import RESULTS, app_errors, loadavg, machine, status_file, use_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / ".work" / "large" / "okrdash.duckdb"
# Every page of the app, and what a subject of each is (the part of the URL that changes per view).
PAGE_FILES = {
    "overview": "pages/overview.py",          # subject: the company objective whose aligned objectives are listed
    "team": "pages/team.py",                  # a team
    "objective": "pages/objective.py",        # a team's largest objective
    "kpis": "pages/kpis.py",                  # a team's KPIs, its first KPI open
    "review": "pages/review.py",              # the quarter review of one team
    "my_key_results": "pages/my_key_results.py",  # one owner's key results
    "explainer": "pages/explainer.py",        # the example OKRs of one kind of team
    "upload": "pages/upload.py",              # none: a new session
}
PAGES = tuple(PAGE_FILES)


def subjects(db: Path, count: int) -> list[dict[str, Any]]:
    """``count`` teams (most key results in the current cycle first), each with its largest objective,
    first KPI and first key result owner; and as many company objectives and example teams."""
    import duckdb

    from okrdash import examples

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """WITH sizes AS (
                   SELECT o.team, o.id AS objective_id, count(*) AS krs, min(k.owner) AS owner
                   FROM objectives o JOIN key_results k ON k.objective_id = o.id
                   WHERE o.cycle = ? AND o.team <> 'Company' GROUP BY ALL)
               SELECT team, arg_max(objective_id, krs) AS objective_id,
                      (SELECT min(id) FROM kpis WHERE kpis.team = sizes.team) AS kpi_id, min(owner) AS owner
               FROM sizes GROUP BY team
               HAVING kpi_id IS NOT NULL
               ORDER BY sum(krs) DESC, team LIMIT ?""",
            [CURRENT.name, count],
        ).fetchall()
        company = [row[0] for row in con.execute(
            "SELECT id FROM objectives WHERE cycle = ? AND team = 'Company' ORDER BY id", [CURRENT.name]).fetchall()]
    finally:
        con.close()
    example_teams = list(examples.TEAMS)
    return [{"team": team, "objective": int(objective), "kpi": int(kpi), "owner": owner,
             "aligned": str(company[index % len(company)]) if company else None,
             "ex_team": example_teams[index % len(example_teams)]}
            for index, (team, objective, kpi, owner) in enumerate(rows)]


def query(page: str, subject: dict[str, Any] | None) -> dict[str, str]:
    """The URL of ``page`` for ``subject``; None: the page as first opened, with no filter (the whole company)."""
    base = {"as_of": AS_OF.isoformat(), "cycle": CURRENT.name}
    if subject is None or page == "upload":
        return base
    if page == "overview":
        return {**base, "aligned": subject["aligned"]} if subject["aligned"] else base
    if page in ("team", "review"):
        return {**base, "team": subject["team"]}
    if page == "objective":
        return {**base, "objective": str(subject["objective"])}
    if page == "my_key_results":
        return {**base, "owner": subject["owner"]}
    if page == "explainer":
        return {**base, "ex_team": subject["ex_team"]}
    return {**base, "team": subject["team"], "kpi": str(subject["kpi"])}


_COMPONENTS: list[Any] = []


def _components() -> Any:
    """One component registry for every AppTest of the run, as a server has one per process:
    AppTest would otherwise scan the installed packages for components on each new app's first
    run (0.17 CPU s, counted as the page's miss)."""
    if not _COMPONENTS:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    return _COMPONENTS[0]


def open_app(page: str, url: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    from okrdash.access import LOCAL_TOKEN_PARAM, local_token

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    app._bidi_component_manager = _components()  # AppTest's own attribute (Streamlit 1.67)
    app.query_params.update(url)
    app.query_params[LOCAL_TOKEN_PARAM] = local_token().value  # local mode: the editor's view, as before
    if page != "overview":
        app.switch_page(PAGE_FILES[page])
    return app


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


def measure(db: Path, views: int, reruns: int, pages: tuple[str, ...] = PAGES) -> dict[str, Any]:
    use_database(db)
    chosen = subjects(db, views)
    rows = []
    for page in pages:
        # The page as first opened (no filter: the whole company); also warms what every view shares.
        whole = open_app(page, query(page, None))
        first = cpu_of_run(whole)
        whole_hit = statistics.median(cpu_of_run(whole) for _ in range(reruns))
        sent = {"whole": drawn(whole)}
        misses, hits = [], []
        for subject in chosen:
            app = open_app(page, query(page, subject))
            misses.append(cpu_of_run(app))
            hits.extend(cpu_of_run(app) for _ in range(reruns))
            sent[f"subject {len(misses)}"] = drawn(app)
        largest = max(sent.values(), key=lambda d: d["sent_bytes"])
        rows.append({"page": page, "cpu_first_s": round(first, 3), "cpu_whole_hit_s": round(whole_hit, 3),
                     "cpu_miss_s": round(statistics.median(misses), 3),
                     "cpu_hit_s": round(statistics.median(hits), 3),
                     "cpu_miss_all_s": [round(m, 3) for m in misses],
                     "sent_whole": sent["whole"], **largest})
        print(f"{page}: first {first:.3f} s, whole-company rerun {whole_hit:.3f} s, miss {statistics.median(misses):.3f} s, "
              f"hit {statistics.median(hits):.3f} s (CPU); largest sent {largest['sent_bytes']:,} bytes, "
              f"{largest['grids']} grids, {largest['charts']} charts", flush=True)
    return {"pages": rows, "read_models": measure_read_models(db, chosen), "subjects": chosen}


# url_path of each page in app.py's navigation ("" is the default page, the overview).
URL_PATHS = {"overview": "", "team": "team", "objective": "objective", "kpis": "kpis", "review": "review",
             "my_key_results": "my", "explainer": "explainer", "upload": "upload"}


def cpu_floor() -> float:
    """CPU seconds of a fixed pure-Python workload in this process (median of 3): on a machine
    shared with other work a CPU second buys less at a high load, so a view's figure is read
    next to this floor measured in the same run."""
    def once() -> float:
        started = time.process_time()
        sum(i * i for i in range(2_000_000))
        return time.process_time() - started

    return round(statistics.median(once() for _ in range(3)), 3)


def measure_server(db: Path, views: int, reruns: int, pages: tuple[str, ...], ports: tuple[int, int],
                   timeout: float) -> dict[str, Any]:
    """The same views as :func:`measure`, asked of an ``okrdash serve`` process over its websocket
    (bench/serving.py): a miss is a new session (a new websocket, as a new browser tab) opening the
    subject's link, a hit the same session asking again. CPU is the serving process's user+system
    time around each view (``/proc/<pid>/stat``, every thread; nothing else talks to it)."""
    from bench.load import LOGS, process_cpu
    from bench.serving import Server, Session, free_port

    chosen = subjects(db, views)
    rows = []
    with Server(free_port(*ports), LOGS, db=db) as server:
        server.wait_healthy()
        pid = server.process.pid

        def timed(session: Session, page: str, url: dict[str, str]) -> float:
            before = process_cpu(pid)
            view = session.view(URL_PATHS[page], url)
            spent = process_cpu(pid) - before
            if view.error:
                raise RuntimeError(f"{page} {url}: {view.error}")
            return spent

        for page in pages:
            with Session(server.url, timeout=timeout) as whole:
                first = timed(whole, page, query(page, None))
                whole_hit = statistics.median(timed(whole, page, query(page, None)) for _ in range(reruns))
            misses, hits = [], []
            for subject in chosen:
                before = process_cpu(pid)
                session = Session(server.url, timeout=timeout)  # the new session's own work counts too
                connected = process_cpu(pid) - before
                with session:
                    misses.append(connected + timed(session, page, query(page, subject)))
                    hits.extend(timed(session, page, query(page, subject)) for _ in range(reruns))
            rows.append({"page": page, "cpu_first_s": round(first, 3), "cpu_whole_hit_s": round(whole_hit, 3),
                         "cpu_miss_s": round(statistics.median(misses), 3),
                         "cpu_hit_s": round(statistics.median(hits), 3),
                         "cpu_miss_all_s": [round(m, 3) for m in misses]})
            print(f"{page} (server): first {first:.3f} s, whole-company rerun {whole_hit:.3f} s, "
                  f"miss {statistics.median(misses):.3f} s, hit {statistics.median(hits):.3f} s (CPU)", flush=True)
        if server.uncaught():
            raise RuntimeError(f"the server logged an uncaught exception:\n{server.output()}")
    return {"pages": rows, "subjects": chosen}


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


def _page_rows(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Page -> its row; results written before every page was measured kept the overview apart."""
    rows = {row["page"]: row for row in result.get("pages", [])}
    if "overview" in result and "overview" not in rows:
        rows["overview"] = result["overview"]
    return rows


def _seconds(row: dict[str, Any], key: str) -> str:
    return f"{row[key]:.3f}" if isinstance(row.get(key), (int, float)) else "–"


def markdown(before: dict[str, Any], after: dict[str, Any]) -> str:
    old_rows, new_rows = _page_rows(before), _page_rows(after)
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
    for page, row in new_rows.items():
        old = old_rows.get(page, {})
        model = (f"{models_before[page]:.3f} / {models_after[page]:.3f}"
                 if page in models_before and page in models_after else "–")
        lines.append(f"| {page} | {_seconds(old, 'cpu_miss_s')} | {_seconds(row, 'cpu_miss_s')} "
                     f"| {_seconds(old, 'cpu_hit_s')} | {_seconds(row, 'cpu_hit_s')} "
                     f"| {_seconds(old, 'cpu_first_s')} / {_seconds(row, 'cpu_first_s')} | {model} |")
    lines += ["", "What each page sent (element protobufs; the largest view measured), before / after:", "",
              "| page | bytes | grids | charts |", "|---|---:|---:|---:|"]
    for page, row in new_rows.items():
        old = old_rows.get(page, {})
        if "sent_bytes" not in row:
            continue
        old_bytes = f"{old['sent_bytes']:,}" if "sent_bytes" in old else "–"
        lines.append(f"| {page} | {old_bytes} / {row['sent_bytes']:,} "
                     f"| {old.get('grids', '–')} / {row['grids']} | {old.get('charts', '–')} / {row['charts']} |")
    return "\n".join(lines) + "\n"


def record_in_scale(result: dict[str, Any]) -> None:
    scale = RESULTS / "scale-large.json"
    document = json.loads(scale.read_text()) if scale.exists() else {}
    document["pages_server"] = [
        {"page": row["page"], "cpu_hit_s": row["cpu_hit_s"], "cpu_miss_s": row["cpu_miss_s"],
         "sent_bytes": row["sent_bytes"], "grids": row["grids"], "charts": row["charts"],
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
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages (default: every page)")
    parser.add_argument("--server", action="store_true",
                        help="ask an okrdash serve process over its websocket instead of AppTest in this process")
    parser.add_argument("--ports", default="56500-56699", help="ports --server may listen on")
    parser.add_argument("--timeout", type=float, default=180.0, help="--server: seconds a view may take")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} is missing: see this module's docstring")
    started, load = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), loadavg()
    if args.server:
        low, high = (int(x) for x in args.ports.split("-"))
        floor = cpu_floor()
        result = {"label": args.label, "started": started, "machine": machine(), "how": "okrdash serve, websocket",
                  **measure_server(args.db, args.views, args.reruns, tuple(args.pages.split(",")), (low, high),
                                   args.timeout)}
        result["loadavg"] = [load, loadavg()]
        result["cpu_floor_s"] = [floor, cpu_floor()]
        print(f"load average {result['loadavg']}, CPU floor (bench.views.cpu_floor) {result['cpu_floor_s']} s")
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"views-large-server-{args.label}.json").write_text(json.dumps(result, indent=2) + "\n")
        return
    result = {"label": args.label, "started": started, "machine": machine(),
              **measure(args.db, args.views, args.reruns, tuple(args.pages.split(",")))}
    result["loadavg"] = [load, loadavg()]
    # Every page rendered, for every subject, in this one process: its peak resident memory.
    result["peak_rss_bytes"] = status_file("VmHWM")
    print(f"peak RSS of this process (every page rendered): {result['peak_rss_bytes'] / 2**20:.0f} MB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"views-large-{args.label}.json").write_text(json.dumps(result, indent=2) + "\n")
    if args.record:
        record_in_scale(result)
    before, after = RESULTS / "views-large-before.json", RESULTS / "views-large-after.json"
    if before.exists() and after.exists():
        (RESULTS / "views-large.md").write_text(markdown(json.loads(before.read_text()), json.loads(after.read_text())))


if __name__ == "__main__":
    main()
