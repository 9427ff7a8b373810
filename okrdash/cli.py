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
from okrdash.access import hash_passphrase
from okrdash.importing import DateOrder, NumberFormat, ReadingChoices, Upload, import_files
from okrdash.importing.report import reading_report
from okrdash.problems import ImportFailed
from okrdash.settings import load_settings
from okrdash.store import Store, StoreError, open_store, restore

# Exit codes: 0 success, 1 invalid input (nothing written), 2 usage error, 3 the store refused
# (database in use by another process, batch cannot be undone, backup folder not empty ...).
EXIT_STORE = 3

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
    imp.add_argument("--numbers", choices=[f.value for f in NumberFormat],
                     help="how to read 1.500 where the files do not say: id = one thousand five hundred "
                          "(1.500,5), en = one and a half (1,500.5)")
    imp.add_argument("--dates", choices=[o.value for o in DateOrder],
                     help="how to read 10/1/2026 where the files do not say: dmy = 10 January, mdy = 1 October, "
                          "ymd = year first (26/10/01)")

    status = commands.add_parser("status", help="progress and status per objective, key result and KPI")
    status.add_argument("--team")
    status.add_argument("--cycle", help="e.g. 2026-Q2 (default: the cycle containing --as-of)")
    status.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today)")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    demo_cmd = commands.add_parser("demo", help="load the demo company")
    demo_cmd.add_argument("--reset", action="store_true", help="delete all data first")

    undo = commands.add_parser("undo", help="return the data to its state before an import batch")
    undo.add_argument("batch_id", type=int)
    undo.add_argument("--by", help="who is undoing (recorded with the batch)")

    backup = commands.add_parser("backup", help="write the whole database as Parquet files into a new folder")
    backup.add_argument("folder", type=Path)

    restore_cmd = commands.add_parser("restore", help="load a backup folder into a new or empty database")
    restore_cmd.add_argument("folder", type=Path)

    commands.add_parser("hash-passphrase", help="read an editor passphrase and print its hash for secrets.toml")

    serve = commands.add_parser("serve", help="start the web app (loads the demo into an empty database)")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", help="address to listen on (default: all)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command == "serve":
        return _serve(args)
    if args.command == "hash-passphrase":
        return _hash_passphrase()
    try:
        if args.command == "restore":
            restore(args.folder, args.db or load_settings().db_path)
            print(f"Restored {args.folder} into {args.db or load_settings().db_path}.")
            return 0
        store = open_store(args.db)
    except StoreError as error:
        print(f"okrdash: {error.message()}", file=sys.stderr)
        return EXIT_STORE
    try:
        commands = {"import": _import, "status": _status, "demo": _demo, "undo": _undo, "backup": _backup}
        return commands[args.command](store, args)
    except StoreError as error:
        print(f"okrdash: {error.message()}", file=sys.stderr)
        return EXIT_STORE
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
        choices = ReadingChoices(numbers=NumberFormat(args.numbers) if args.numbers else None,
                                 dates=DateOrder(args.dates) if args.dates else None)
        result = import_files(store, uploads, dry_run=args.dry_run, imported_by=args.by, choices=choices)
    except ImportFailed as failed:
        for problem in failed.problems:
            print(problem.describe(), file=sys.stderr)
        print(f"{len(failed.problems)} problem(s); nothing was imported.", file=sys.stderr)
        return 1
    for summary in result.files:
        print(f"{summary.file_name}: {summary.kind.value}, {summary.rows} rows, valid")
        for line in reading_report(summary):
            print(f"  {line}")
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


def _hash_passphrase() -> int:
    import getpass

    passphrase = getpass.getpass("Editor passphrase: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(passphrase) < 8:
        print("okrdash: use at least 8 characters", file=sys.stderr)
        return 2
    print("[okrdash]")
    print(f'editor_passphrase = "{hash_passphrase(passphrase)}"')
    return 0


def _undo(store: Store, args: argparse.Namespace) -> int:
    changed = store.undo(args.batch_id, undone_by=args.by)
    print(f"Batch {args.batch_id} undone: {changed} rows removed or restored to their earlier version.")
    return 0


def _backup(store: Store, args: argparse.Namespace) -> int:
    folder = store.backup(args.folder)
    print(f"Backup written to {folder} (Parquet files and schema.sql; restore with: okrdash restore {folder}).")
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
    if args.db:
        os.environ["OKRDASH_DB"] = str(Path(args.db).resolve())
    # Streamlit treats a folder named pages/ next to the entry point as a legacy multipage app
    # until st.navigation has run once, so the first visitor of a shared deep link would get a
    # page without app.py's navigation and sidebar. Our pages/ are st.navigation pages.
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), "--server.port", str(args.port)]
    if args.address:
        sys.argv += ["--server.address", args.address]
    return streamlit_cli.main(standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
