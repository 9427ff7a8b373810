"""Measure the proposed fixes for the slow page parts, without touching pages/ or okrdash/.

    .venv/bin/python -m bench.pagefixes --size large

Builds small throw-away Streamlit apps in a temporary folder (a main script with st.navigation,
the variant page and a stub objective page, so st.page_link works as in app.py), fed with the real
read-model results of the generated company (bench/.work/<size>/okrdash.duckdb), and times warm
AppTest reruns of each variant:

- overview alignment tree: today one st.page_link per team objective inside a bordered container
  per company objective (pages/overview.py), against one st.dataframe with a LinkColumn;
- CSV downloads: today ``to_csv_bytes(frame)`` on every rerun (okrdash/ui/widgets.py
  download_csv), against a callable ``data=lambda: to_csv_bytes(frame)`` that Streamlit 1.67 runs
  only when the button is clicked.

- the KPI-to-OKR bridge panel on the team and KPI pages: today ``bridge.proposals`` for the whole
  company on every rerun (okrdash/ui/panels.py bridge_panel -> okrdash/bridge.py proposals:
  ``records(store.kpi_scores(as_of))`` and ``records(store.kr_scores(as_of, cycle))``), then filtered
  to the team; proposed: the team's At Risk / Off Track KPIs from ``kpi_scores(as_of, team)`` and
  the linked key result titles from one GROUP BY over key_results (no scoring); timed directly.

Each variant is also rerun by 1, 2 and 4 sessions at once in one process (threads, as Streamlit
runs sessions) for ``--seconds`` each: reruns per second and CPU seconds per rerun.

Writes bench/results/profiles/<size>-pagefixes.md.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "bench" / "results" / "profiles"

MAIN = """
import streamlit as st
st.navigation([st.Page("pages/variant.py", default=True), st.Page("pages/objective.py")]).run()
"""

VARIANTS = {
    "alignment tree as page links (overview before commit 79d6671)": """
        import pickle
        import streamlit as st
        from okrdash import readmodels
        from okrdash.i18n import format_percent
        objectives = pickle.load(open({data!r}, "rb"))["objectives"]
        for root, children in readmodels.alignment_tree(objectives):
            with st.container(border=True):
                if root:
                    st.markdown(f"**{{root['title']}}** · {{root['team']}} · {{root['status']}} · "
                                f"{{format_percent(root['progress'], 'en')}}")
                else:
                    st.markdown("**Not aligned**")
                for child in readmodels.records(children):
                    st.page_link("pages/objective.py",
                                 label=f"{{child['team']}} · {{child['title']}} · {{child['status']}} · "
                                       f"{{format_percent(child['progress'], 'en')}}",
                                 query_params={{"objective": str(child["objective_id"]), "lang": "en",
                                                "cycle": "2026-Q4", "as_of": "2026-11-22"}})
    """,
    "alignment tree as one table with links (proposed; what 79d6671 does)": """
        import pickle
        import pandas as pd
        import streamlit as st
        from okrdash import readmodels
        objectives = pickle.load(open({data!r}, "rb"))["objectives"]
        company = objectives[objectives["team"].isin(readmodels.COMPANY_TEAMS)]
        for row in company.itertuples():
            st.markdown(f"**{{row.title}}** · {{row.status}} · {{row.progress:.0%}}")
        teams = objectives[~objectives["team"].isin(readmodels.COMPANY_TEAMS)]
        table = pd.DataFrame({{
            "aligned to": teams["parent_title"].fillna("—"), "team": teams["team"], "objective": teams["title"],
            "status": teams["status"], "progress": teams["progress"],
            "open": ["objective?objective=" + str(i) + "&lang=en&cycle=2026-Q4&as_of=2026-11-22"
                     for i in teams["objective_id"]],
        }})
        st.dataframe(table, hide_index=True, column_config={{
            "progress": st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent"),
            "open": st.column_config.LinkColumn(display_text="↗")}})
    """,
    "KPI table CSV download built every rerun (today)": """
        import pickle
        import streamlit as st
        from okrdash.export import to_csv_bytes
        table = pickle.load(open({data!r}, "rb"))["kpis"]
        st.download_button("CSV", data=to_csv_bytes(table), file_name="kpis.csv", mime="text/csv", on_click="ignore")
    """,
    "KPI table CSV download built on click (proposed)": """
        import pickle
        import streamlit as st
        from okrdash.export import to_csv_bytes
        table = pickle.load(open({data!r}, "rb"))["kpis"]
        st.download_button("CSV", data=lambda: to_csv_bytes(table), file_name="kpis.csv", mime="text/csv",
                           on_click="ignore")
    """,
}


def measure_bridge(store, as_of, cycle: str, warm: int) -> list[tuple[str, float, int]]:
    """bridge.proposals as the team page calls it today, against the proposed team-scoped version."""
    from okrdash import bridge
    from okrdash.readmodels import records

    with store.cursor() as cur:
        team = cur.execute("""SELECT team FROM kpi_scores(?::DATE) WHERE status IN ('Off Track', 'At Risk')
                              GROUP BY team ORDER BY count(*) DESC, team LIMIT 1""", [as_of]).fetchall()[0][0]

    def today(team_=None):
        return [p for p in bridge.proposals(store, as_of, cycle, "en") if team_ is None or p.team == team_]

    def proposed(team_=None):
        wanted = {"Off Track", "At Risk"}
        kpis = [k for k in records(store.kpi_scores(as_of, team=team_))
                if k["status"] in wanted and k["value"] is not None]
        with store.cursor() as cur:  # would be a Store method: linked key result titles of a cycle
            linked = dict(cur.execute(
                """SELECT k.kpi_id, list(k.title ORDER BY k.id) FROM key_results k
                   JOIN objectives o ON o.id = k.objective_id
                   WHERE o.cycle = ? AND k.kpi_id IS NOT NULL GROUP BY k.kpi_id""", [cycle]).fetchall())
        found = [p for k in kpis if (p := bridge._proposal(k, "en", tuple(linked.get(int(k["kpi_id"]), ())))) is not None]
        found.sort(key=lambda p: (p.status != "Off Track", p.team, p.kpi_name))
        return found

    out = []
    for name, fn in ((f"today, team page ({team}): whole company, then filtered", lambda: today(team)),
                     (f"proposed, team page ({team}): team's KPIs + linked titles query", lambda: proposed(team)),
                     ("today, whole company", today), ("proposed, whole company", proposed)):
        times = []
        for _ in range(warm):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        out.append((name, statistics.median(times), len(result)))
        print(f"{name}: {statistics.median(times) * 1000:.0f} ms, {len(result)} proposals", flush=True)
    same_team = [(p.kpi_id, p.linked_key_results) for p in today(team)] == [(p.kpi_id, p.linked_key_results) for p in proposed(team)]
    same_all = [(p.kpi_id, p.linked_key_results) for p in today()] == [(p.kpi_id, p.linked_key_results) for p in proposed()]
    out.append((f"same proposals: team {same_team}, company {same_all}", 0.0, 0))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--warm", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work")
    parser.add_argument("--threads", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    threads_list = [int(x) for x in args.threads.split(",") if x]

    from streamlit.testing.v1 import AppTest

    from bench.generate import AS_OF, CURRENT
    from okrdash import readmodels
    from okrdash.store import open_store

    store = open_store(args.workdir / args.size / "okrdash.duckdb")
    cycle = readmodels.pick_cycle(store, CURRENT.name, AS_OF)
    objectives = readmodels.overview(store, cycle, AS_OF).objectives
    kpis = readmodels.kpi_table(store, AS_OF).kpis
    bridge_rows = measure_bridge(store, AS_OF, CURRENT.name, args.warm)
    store.close()
    kpi_export = kpis[["status", "team", "name", "value", "target", "unit", "change", "category", "kpi_type",
                       "indicator", "frequency", "owner", "last_date"]]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        data = base / "data.pickle"
        data.write_bytes(pickle.dumps({"objectives": objectives, "kpis": kpi_export}))
        (base / "pages").mkdir()
        (base / "pages" / "objective.py").write_text("import streamlit as st\nst.write('objective')\n")
        (base / "app.py").write_text(MAIN)
        for name, source in VARIANTS.items():
            (base / "pages" / "variant.py").write_text(textwrap.dedent(source).format(data=str(data)))
            app = AppTest.from_file(str(base / "app.py"), default_timeout=300)
            app.run()
            if app.exception:
                raise RuntimeError(f"{name}: {app.exception[0].value}")
            times = []
            for _ in range(args.warm):
                started = time.perf_counter()
                app.run()
                times.append(time.perf_counter() - started)
            concurrent = []
            for threads in threads_list:
                apps = [AppTest.from_file(str(base / "app.py"), default_timeout=300) for _ in range(threads)]
                for one in apps:
                    one.run()
                counts = [0] * threads
                deadline = time.perf_counter() + args.seconds

                def work(index: int) -> None:
                    while time.perf_counter() < deadline:
                        apps[index].run()
                        counts[index] += 1

                started, cpu = time.perf_counter(), time.process_time()
                workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                concurrent.append((threads, sum(counts) / elapsed, cpu / max(sum(counts), 1)))
            rows.append((name, statistics.median(times), concurrent))
            print(f"{name}: {statistics.median(times) * 1000:.0f} ms; " + "; ".join(
                f"x{n}: {r:.2f} reruns/s, {c:.3f} CPU s/rerun" for n, r, c in concurrent), flush=True)
    lines = [f"# Proposed page fixes, measured: {args.size} company", "",
             f"Rerun: `.venv/bin/python -m bench.pagefixes --size {args.size}`. Warm AppTest reruns of a throw-away app "
             f"holding only the part in question (median of {args.warm}); {len(objectives):,} objectives in the cycle, "
             f"{len(kpi_export):,} KPIs.", "",
             "| variant | warm rerun ms | " + " | ".join(f"{n} sessions: reruns/s (CPU s per rerun)" for n in threads_list) + " |",
             "|---|---:|" + "---:|" * len(threads_list)]
    lines += [f"| {name} | {seconds * 1000:,.0f} | " + " | ".join(f"{r:.2f} ({c:.3f})" for _, r, c in concurrent) + " |"
              for name, seconds, concurrent in rows]
    lines += ["", "KPI-to-OKR bridge proposals, called directly (median of "
              f"{args.warm}):", "", "| variant | ms | proposals |", "|---|---:|---:|"]
    lines += [f"| {name} | {seconds * 1000:,.0f} | {count} |" for name, seconds, count in bridge_rows]
    PROFILES.mkdir(parents=True, exist_ok=True)
    (PROFILES / f"{args.size}-pagefixes.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {PROFILES / f'{args.size}-pagefixes.md'}")


if __name__ == "__main__":
    main()
