"""The ``okrdash`` command: import, status, demo, serve."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
from pathlib import Path

from okrdash import demo, readmodels
from okrdash.importer import Upload, import_files
from okrdash.problems import ImportFailed
from okrdash.store import Store, open_store

APP = Path(__file__).resolve().parent.parent / "app.py"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrdash", description="OKR and KPI dashboard for the intranet.")
    parser.add_argument("--db", help="database file (default: $OKRDASH_DB or data/okrdash.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="validate and import CSV files (all or nothing)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    imp.add_argument("--by", help="who is importing (recorded with the batch)")

    status = commands.add_parser("status", help="progress and status per objective, key result and KPI")
    status.add_argument("--team")
    status.add_argument("--cycle", help="e.g. 2026-Q2 (default: the cycle containing --as-of)")
    status.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today)")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    demo_cmd = commands.add_parser("demo", help="load the demo company")
    demo_cmd.add_argument("--reset", action="store_true", help="delete all data first")

    serve = commands.add_parser("serve", help="start the web app (loads the demo into an empty database)")
    serve.add_argument("--port", type=int, default=8501)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command == "serve":
        return _serve(args)
    store = open_store(args.db)
    try:
        return {"import": _import, "status": _status, "demo": _demo}[args.command](store, args)
    finally:
        store.close()


def _import(store: Store, args: argparse.Namespace) -> int:
    uploads = []
    for path in args.files:
        if not path.is_file():
            print(f"okrdash: no such file: {path}", file=sys.stderr)
            return 2
        uploads.append(Upload(path.name, path.read_bytes()))
    try:
        result = import_files(store, uploads, dry_run=args.dry_run, imported_by=args.by)
    except ImportFailed as failed:
        for problem in failed.problems:
            print(problem.describe(), file=sys.stderr)
        print(f"{len(failed.problems)} problem(s); nothing was imported.", file=sys.stderr)
        return 1
    for summary in result.files:
        print(f"{summary.file_name}: {summary.kind.value}, {summary.rows} rows, valid")
    if args.dry_run:
        print("Dry run: nothing was written.")
    else:
        for written in result.written:
            print(f"{written.file_name}: batch {written.batch_id}, {written.inserted} inserted, {written.updated} updated")
    return 0


def _status(store: Store, args: argparse.Namespace) -> int:
    as_of = args.as_of or dt.date.today()
    report = readmodels.status_report(store, as_of=as_of, cycle=args.cycle, team=args.team)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"Cycle {report['cycle'] or '-'}, as of {as_of.isoformat()}")
    for objective in report["objectives"]:
        print(f"\n{objective['team']} | {objective['title']}  {_pct(objective['progress'])}  "
              f"{objective['status']}  grade {_num(objective['grade'])}")
        for kr in objective["key_results"]:
            print(f"  - {kr['title']}: {_pct(kr['progress'])} (expected {_pct(kr['expected'])}) {kr['status']}")
    if report["kpis"]:
        print("\nKPIs")
        for kpi in report["kpis"]:
            print(f"  {kpi['team']} | {kpi['name']}: {_num(kpi['value'])} (target {_num(kpi['target'])}) {kpi['status']}")
    return 0


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100) + 0}%"  # + 0 turns -0 into 0


def _num(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:g}"


def _demo(store: Store, args: argparse.Namespace) -> int:
    if args.reset:
        store.reset()
    result = demo.load_demo(store)
    print(f"Demo company loaded: {result.inserted} rows inserted, {result.updated} updated.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.db:
        env["OKRDASH_DB"] = str(Path(args.db).resolve())
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port)]
    os.execvpe(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
