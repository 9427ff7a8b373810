"""The ``okrdash`` command: import, status, review, carry-forward, remind, demo, serve.

Each command loads what it needs when it runs: ``okrdash --help`` loads neither the settings, the
store nor pandas, ``status`` loads the store but not pandas, and only ``serve`` loads Streamlit
(tests/test_cli_startup.py holds this).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from okrdash.i18n import LANGUAGES, translate

if TYPE_CHECKING:
    from okrdash import review
    from okrdash.access import Access
    from okrdash.importing.mapping import Mapping
    from okrdash.problems import Problem
    from okrdash.models import Cycle
    from okrdash.settings import Settings
    from okrdash.store import Store

# The values of okrdash.importing's NumberFormat and DateOrder, spelled here so that parsing the
# command line does not load the importer (and pandas with it); tests/test_cli_startup.py holds
# them equal to the enums.
NUMBER_FORMATS = ("id", "en")
DATE_ORDERS = ("dmy", "mdy", "ymd")
# The file kinds (models.FileKind) for --kind, spelled here for the same reason.
FILE_KINDS = ("okrs", "checkins", "kpis", "people")

# Exit codes: 0 success, 1 invalid input (nothing written), 2 usage error, 3 the store refused
# (database in use by another process, batch cannot be undone, backup folder not empty ...).
EXIT_STORE = 3

APP = Path(__file__).resolve().parent.parent / "app.py"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _line_number(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a line number (1, 2, 3 ...): {text!r}")
    return int(text)


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a moment (YYYY-MM-DDTHH:MM): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrdash", description="OKR and KPI dashboard for the intranet.")
    parser.add_argument("--db", help="database file or postgresql://user@host/dbname URL "
                                     "(default: $OKRDASH_DB or data/okrdash.duckdb)")
    parser.add_argument("--create", action="store_true",
                        help="create the database file if it does not exist (else a missing file is an error)")
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import", help="validate and import CSV files and workbooks (all or nothing)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    imp.add_argument("--by", help="who is importing (recorded with the batch)")
    imp.add_argument("--numbers", choices=NUMBER_FORMATS,
                     help="how to read 1.500 where the files do not say: id = one thousand five hundred "
                          "(1.500,5), en = one and a half (1,500.5)")
    imp.add_argument("--dates", choices=DATE_ORDERS,
                     help="how to read 10/1/2026 where the files do not say: dmy = 10 January, mdy = 1 October, "
                          "ymd = year first (26/10/01)")
    # The answers to what a file leaves out (importing.mapping; docs/csv-format.md, "Answering for a file").
    imp.add_argument("--kind", choices=FILE_KINDS, help="the files' kind when their headers do not tell")
    imp.add_argument("--column", action="append", default=[], metavar="HEADER=MEANING",
                     help="the file's column HEADER (as written; case and spacing free) is MEANING: a column name of "
                          "docs/csv-format.md for the kind, or ignore (repeatable)")
    imp.add_argument("--set", action="append", default=[], metavar="MEANING=VALUE", dest="values",
                     help="VALUE for every row that has no MEANING of its own, read like a cell (repeatable): "
                          "--set team=Penjualan --set date=30/09/2026")
    imp.add_argument("--metric", action="append", default=[], metavar="HEADER",
                     help="the column HEADER is one KPI named by its header, each cell a value dated by the row's "
                          "date (repeatable)")
    imp.add_argument("--sheet", action="append", default=[], metavar="NAME",
                     help="read only this sheet of a workbook (repeatable)")
    imp.add_argument("--header-row", type=_line_number, metavar="N", help="the file's line that holds the headers")
    imp.add_argument("--mapping", type=Path, metavar="FILE.toml", help="answers saved in a mapping file (the flags "
                                                                       "above are added to them)")
    imp.add_argument("--save-mapping", type=Path, metavar="FILE.toml", help="save the answers as a mapping file")

    status = commands.add_parser("status", help="progress and status per objective, key result and KPI")
    status.add_argument("--team")
    status.add_argument("--cycle", help="e.g. 2026-Q2 (default: the cycle containing --as-of)")
    status.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today)")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    review_cmd = commands.add_parser(
        "review", help="the quarter review of a cycle: each objective's grade read by its type, the objectives "
                       "that need a postmortem, the teams that should raise their ambition (never per person)")
    review_cmd.add_argument("--cycle", required=True, help="the cycle to review, e.g. 2026-Q3")
    review_cmd.add_argument("--team", help="one team's review (default: every team)")
    review_cmd.add_argument("--as-of", type=_date, help="YYYY-MM-DD (default: today); a cycle still running is "
                                                        "graded so far, a finished one on its last day")
    review_cmd.add_argument("--json", action="store_true", help="machine-readable output")
    review_cmd.add_argument("--lang", choices=LANGUAGES,
                            help="language of the text (default: $OKRDASH_DEFAULT_LANGUAGE, else en)")

    carry = commands.add_parser(
        "carry-forward", help="carry unfinished aspirational objectives of a cycle into the next one (their key "
                              "results not complete start from their last value); without --objective or --all, "
                              "list what may be carried")
    carry.add_argument("--cycle", required=True, help="the cycle to carry from, e.g. 2026-Q3")
    carry.add_argument("--to", help="the cycle to carry into (default: the next stored cycle, else the next quarter)")
    carry.add_argument("--to-start", type=_date, help="YYYY-MM-DD: first day of --to when it is not a quarter")
    carry.add_argument("--to-end", type=_date, help="YYYY-MM-DD: last day of --to when it is not a quarter")
    carry.add_argument("--team", help="only this team's objectives")
    carry.add_argument("--objective", action="append", default=[], help="an objective's title (repeatable)")
    carry.add_argument("--all", action="store_true", help="every objective that may be carried")
    carry.add_argument("--by", help="who is carrying (recorded with the batch)")

    remind = commands.add_parser(
        "remind", help="e-mail what the weekly rhythm owes now: each owner's reminder to check in, then each "
                       "manager's digest (each once per person and week; run it hourly from a timer)")
    remind.add_argument("--at", type=_moment, help="act as if it were this moment, YYYY-MM-DDTHH:MM in the "
                                                   "reminders' time zone (default: now)")
    remind.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")

    demo_cmd = commands.add_parser("demo", help="load the demo company")
    demo_cmd.add_argument("--reset", action="store_true", help="delete all data first (an admin only)")
    demo_cmd.add_argument("--by", help="who is resetting (checked against the roles file when there is one)")

    undo = commands.add_parser("undo", help="return the data to its state before an import batch")
    undo.add_argument("batch_id", type=int)
    undo.add_argument("--by", help="who is undoing (recorded with the batch)")

    backup = commands.add_parser("backup", help="write the whole database as Parquet files into a new folder")
    backup.add_argument("folder", type=Path)

    restore_cmd = commands.add_parser("restore", help="load a backup folder into a new or empty database")
    restore_cmd.add_argument("folder", type=Path)

    commands.add_parser("hash-passphrase", help="read an editor passphrase and print its hash for secrets.toml")

    commands.add_parser("upgrade", help="bring the database to this okrdash's schema (the app and every command "
                                        "that writes do it on their own; status and backup only read)")

    serve = commands.add_parser("serve", help="start the web app (loads the demo into an empty database)")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", help="address to listen on (default: $OKRDASH_SERVE_ADDRESS or 127.0.0.1)")
    serve.add_argument("--allow-local-mode-on-network", action="store_true",
                       help="listen on a network address although no sign-in is configured (everyone is admin)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command == "hash-passphrase":
        return _hash_passphrase()
    from okrdash.settings import load_settings
    from okrdash.store import StoreError, is_database_url, open_store, restore

    db_path = (args.db if is_database_url(args.db) else Path(args.db)) if args.db else load_settings().db_path
    # A PostgreSQL URL names a server's database: the store creates okrdash's tables there when missing.
    if args.command != "restore" and not args.create and not is_database_url(db_path) and not db_path.exists():
        # A typo in --db would otherwise become a new empty database (and serve would fill it with the demo).
        print(f"okrdash: no database at {db_path}; check the path, or pass --create to start a new one",
              file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(args, db_path)
    try:
        if args.command == "restore":
            restore(args.folder, db_path)
            print(f"Restored {args.folder} into {_shown(db_path)}.")
            return 0
        # A command that only reads opens the database read-only: a file's bytes stay as they are, so a
        # backup tool or a checksum sees no change. A file that does not exist yet (--create) is made.
        read_only = _reads_only(args) and (is_database_url(db_path) or db_path.exists())
        store = open_store(db_path, read_only=read_only)
    except StoreError as error:
        print(f"okrdash: {error.message()}", file=sys.stderr)
        return EXIT_STORE
    try:
        commands = {"import": _import, "status": _status, "review": _review, "remind": _remind, "demo": _demo,
                    "undo": _undo, "backup": _backup, "upgrade": _upgrade, "carry-forward": _carry_forward}
        return commands[args.command](store, args)
    except StoreError as error:
        print(f"okrdash: {error.message()}", file=sys.stderr)
        return EXIT_STORE
    except BrokenPipeError:
        # The reader went away (`okrdash status --json | head`): stop quietly, and keep Python from
        # failing again on flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("okrdash: the output was closed before it was complete (broken pipe).", file=sys.stderr)
        return EXIT_STORE
    except OSError as error:  # a full disk or temp folder, a file that cannot be written ...
        where = f" ({error.filename})" if error.filename else ""
        print(f"okrdash: {error.strerror or error}{where}. Nothing was written.", file=sys.stderr)
        return EXIT_STORE
    finally:
        store.close()


def _reads_only(args: argparse.Namespace) -> bool:
    return args.command in ("status", "review", "backup") or (args.command in ("import", "remind") and args.dry_run)


def _upgrade(store: Store, args: argparse.Namespace) -> int:
    print(f"{_shown(store.path)}: schema version {store.schema_version()}, as this okrdash needs.")
    return 0


def _pair(text: str, form: str, example: str, *, last: bool) -> tuple[str, str]:
    """``"HEADER=MEANING"`` (split at the last "=": a header may hold one) or ``"MEANING=VALUE"`` (at
    the first: a value may hold one, ``target=<= 24``)."""
    from okrdash.importing.mapping import MappingError

    left, sep, right = text.rpartition("=") if last else text.partition("=")
    if not sep:
        raise MappingError("flag_pair", {"value": text, "form": form, "example": example})
    return left.strip(), right.strip()


def _answers(args: argparse.Namespace) -> Mapping:
    """The answers the flags give, over those of ``--mapping``; MappingError when one cannot be used."""
    from okrdash.importing.headers import normalise_header
    from okrdash.importing.mapping import IGNORE, Mapping, check, kind_named

    base = Mapping.from_toml(args.mapping.read_text(encoding="utf-8")) if args.mapping else Mapping()
    columns = []
    for text in args.column:
        header_text, meaning = _pair(text, "HEADER=MEANING", '--column "NAMA UNIT=team"', last=True)
        columns.append((header_text, IGNORE if meaning.lower() == IGNORE else normalise_header(meaning)))
    values = [(normalise_header(meaning), value) for meaning, value in
              (_pair(text, "MEANING=VALUE", "--set team=Penjualan", last=False) for text in args.values)]
    flags = Mapping(kind=kind_named(args.kind) if args.kind else None, columns=tuple(columns), values=tuple(values),
                    metrics=tuple(m.strip() for m in args.metric), sheets=tuple(s.strip() for s in args.sheet),
                    header_row=args.header_row)
    answers = flags.over(base)
    check(answers)
    return answers


def _import(store: Store, args: argparse.Namespace) -> int:
    from okrdash.importing import DateOrder, NumberFormat, ReadingChoices, Upload, import_files
    from dataclasses import replace

    from okrdash.importing.mapping import MappingError
    from okrdash.importing.peek import file_columns
    from okrdash.importing.report import reading_report
    from okrdash.problems import ImportFailed

    uploads = []
    for path in args.files:
        if not path.is_file():
            print(f"okrdash: no such file: {path}", file=sys.stderr)
            return 2
        uploads.append(Upload(path.name, path.read_bytes()))
    if args.mapping and not args.mapping.is_file():
        print(f"okrdash: no such mapping file: {args.mapping}", file=sys.stderr)
        return 2
    try:
        mapping = _answers(args)
    except MappingError as error:
        print(f"okrdash: {error.message()}", file=sys.stderr)
        return 2
    if args.save_mapping:  # with the first file's headers: the Upload page uses it for a file that has them
        found = file_columns(uploads[0].name, uploads[0].data, mapping)
        headers = tuple(c.header for c in found[0].columns) if found else ()
        args.save_mapping.write_text(replace(mapping, headers=headers).to_toml(), encoding="utf-8")
        print(f"Mapping saved to {args.save_mapping}.")
    try:
        choices = ReadingChoices(numbers=NumberFormat(args.numbers) if args.numbers else None,
                                 dates=DateOrder(args.dates) if args.dates else None)
        result = import_files(store, uploads, dry_run=args.dry_run, writer=_writer(store, args.by), choices=choices,
                              mapping=mapping)
    except ImportFailed as failed:
        for problem in failed.problems:
            print(problem.describe(), file=sys.stderr)
        print(f"{failed.total} problem(s); nothing was imported.", file=sys.stderr)
        flags = answering_flags(failed.problems)
        if flags:
            print("To answer for the file, run the import again with:", file=sys.stderr)
            for flag in flags:
                print(f"  {flag}", file=sys.stderr)
        return 1
    for summary in result.files:
        print(f"{summary.file_name}: {summary.kind.value}, {summary.rows} rows, valid")
        for note in summary.reading_notes:
            print(f"  - {note.message()}")
        for line in reading_report(summary):
            print(f"  {line}")
    if args.dry_run:
        print("Dry run: nothing was written.")
    else:
        for written in result.written:
            print(f"{written.file_name}: batch {written.batch_id}, {written.inserted} inserted, {written.updated} updated")
    return 0


# Columns a row is about or measured by: a file gives them in a column of its own (--column), never one
# value for every row. The others a whole file may share (--set team=..., --set cycle=...).
_PER_ROW = ("objective", "key_result", "kpi", "value", "current")


def answering_flags(problems: list[Problem]) -> list[str]:
    """The flags that would answer what the problems ask: the kind, a column for what a row is
    about (naming the file's unplaced headers), a value for what the whole file leaves out."""
    flags: list[str] = []
    for problem in problems:
        unplaced = problem.params.get("unplaced") or []
        header_text = unplaced[0] if len(unplaced) == 1 else "HEADER"
        if problem.code == "file_kind_none":
            flags.append(f"--kind {'|'.join(FILE_KINDS)}")
            numeric = problem.params.get("numeric") or []
            if numeric:
                flags.append(" ".join(f'--metric "{h}"' for h in numeric) + "  (each column one KPI)")
        missing = list(problem.params.get("missing_columns", ()))
        if problem.code == "file_kind_unknown":
            flags.append(f"--kind {problem.params['kind']}")
        elif problem.code == "header_missing" and problem.column:
            missing = [problem.column]
        elif problem.code == "value_without_date":
            missing = ["date"]
        for column in missing:
            if column in _PER_ROW:
                among = f" (one of: {', '.join(unplaced)})" if len(unplaced) > 1 else ""
                flags.append(f'--column "{header_text}={column}"{among}')
            else:
                flags.append(f"--set {column}=..." + (f' (or --column "{header_text}={column}")' if unplaced else ""))
    return list(dict.fromkeys(flags))


def _status(store: Store, args: argparse.Namespace) -> int:
    from okrdash.status_report import status_report

    as_of = args.as_of or dt.date.today()
    report = status_report(store, as_of=as_of, cycle=args.cycle, team=args.team)
    if args.json:
        # Indented for a person at a terminal; one line for a program reading a pipe or a file, as the
        # indenting encoder is pure Python and took a quarter of a large company's run.
        indent = 2 if sys.stdout.isatty() else None
        print(json.dumps(report, indent=indent, ensure_ascii=False, default=str))
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


def _review(store: Store, args: argparse.Namespace) -> int:
    """The quarter review of ``--cycle`` (of ``--team``): a table per objective and per team in the
    reader's language, or the review's document as JSON. Exit 2 for a cycle or team that is not there."""
    from okrdash import review
    from okrdash.names import name_key

    lang = args.lang or store.config.default_language
    cycles = store.cycles()
    cycle = _named_cycle(cycles, args.cycle)
    if cycle is None:
        key = "cli.review.unknown_cycle" if cycles else "cli.review.no_cycles"
        print(f"okrdash: {translate(key, lang, cycle=args.cycle, cycles=', '.join(c.name for c in cycles))}",
              file=sys.stderr)
        return 2
    team = None
    if args.team:
        teams = review.cycle_teams(store, cycle)
        team = next((name for name in teams if name_key(name) == name_key(args.team)), None)
        if team is None:
            message = translate("cli.review.unknown_team", lang, team=args.team, cycle=cycle.name,
                                teams=", ".join(teams))
            print(f"okrdash: {message}", file=sys.stderr)
            return 2
    result = review.review(store, cycle, args.as_of or dt.date.today(), team)
    if args.json:
        print(json.dumps(result.document(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(_review_text(result, lang, store.config)))
    return 0


def _carry_forward(store: Store, args: argparse.Namespace) -> int:
    """List what ``--cycle`` may carry, or carry the chosen objectives as one batch. Exit 2 for a
    cycle, team, objective or target cycle that cannot be used, 1 when the import refuses."""
    from okrdash import carry_forward
    from okrdash.models import Cycle
    from okrdash.names import name_key
    from okrdash.problems import ImportFailed

    cycles = store.cycles()
    cycle = _named_cycle(cycles, args.cycle)
    if cycle is None:
        print(f"okrdash: no cycle {args.cycle!r}; the cycles: {', '.join(c.name for c in cycles) or 'none'}",
              file=sys.stderr)
        return 2
    if args.to:
        to = _named_cycle(cycles, args.to)
        try:
            to = to or Cycle.parse(args.to, args.to_start, args.to_end)
        except ValueError:
            print(f"okrdash: {args.to!r} is not a quarter: give --to-start and --to-end", file=sys.stderr)
            return 2
    else:
        to = carry_forward.following_cycle(cycles, cycle)
        if to is None:
            print(f"okrdash: {cycle.name} is not a quarter: name the next cycle with --to (and its dates)",
                  file=sys.stderr)
            return 2
    offered = carry_forward.candidates(store, cycle, args.team)
    if not args.objective and not args.all:
        if not offered:
            print(f"Nothing to carry from {cycle.name}: every aspirational objective is reached or complete.")
            return 0
        print(f"May be carried from {cycle.name} into {to.name} (--objective TITLE, repeatable, or --all):")
        for candidate in offered:
            grade = "-" if candidate.grade is None else f"{candidate.grade:.1f}"
            print(f"  {_plain(candidate.team)} · {_plain(candidate.title)} (grade {grade}): "
                  f"{', '.join(_plain(t) for t in candidate.key_results)}")
        return 0
    by_title: dict[str | None, list[carry_forward.Candidate]] = {}
    for candidate in offered:
        by_title.setdefault(name_key(candidate.title), []).append(candidate)
    chosen = list(offered) if args.all else []
    for title in args.objective:
        found = by_title.get(name_key(title), [])
        if len(found) != 1:
            reason = "is not one that may be carried" if not found else "names objectives of several teams: add --team"
            print(f"okrdash: {title!r} {reason}; run without --objective to list them", file=sys.stderr)
            return 2
        chosen.append(found[0])
    try:
        result = carry_forward.carry_forward(store, cycle, to, sorted({c.objective_id for c in chosen}),
                                             _writer(store, args.by))
    except ImportFailed as failed:
        for problem in failed.problems:
            print(problem.describe(), file=sys.stderr)
        print("Nothing was carried.", file=sys.stderr)
        return 1
    (written,) = result.written
    print(f"Carried {len(chosen)} objective(s) from {cycle.name} into {to.name}: batch {written.batch_id}, "
          f"{written.inserted} inserted (undo with: okrdash undo {written.batch_id}).")
    return 0


def _named_cycle(cycles: list[Cycle], text: str) -> Cycle | None:
    """The stored cycle named ``text``, or spelled as a quarter another way ("Q3 2026" is 2026-Q3)."""
    from okrdash.models import Cycle

    names = {text.strip()}
    try:
        names.add(Cycle.parse(text).name)
    except ValueError:  # not a quarter's spelling: only the name as written
        pass
    return next((cycle for cycle in cycles if cycle.name in names), None)


def _review_text(result: review.Review, lang: str, config: Settings) -> list[str]:
    """The review as a reader's text: a title, the objectives' table, the teams' table, what each flag
    means. No person is named: grades are the objectives' and the teams'."""
    from okrdash import readmodels, review
    from okrdash.formatting import date as format_date
    from okrdash.formatting import fixed
    from okrdash.formatting import number as format_number

    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    title = "cli.review.title_final" if result.is_final else "cli.review.title_running"
    lines = [t(title, cycle=_plain(result.cycle.name), graded_on=format_date(result.graded_on, lang))]
    if result.team is not None:
        lines.append(t("cli.review.team", team=_team(result.team, lang)))
    if result.is_empty:
        return [*lines, "", t("review.nothing", cycle=_plain(result.cycle.name))]
    document = result.document()
    objectives = [[_team(o["team"], lang), _plain(o["title"]), t(f"objective.type_{o['type']}"),
                   fixed(o["grade"], lang), t(f"review.band_{o['band'] or 'none'}", **config.rule_values()), _flags(o["flags"], lang)]
                  for o in document["objectives"]]
    teams = [[_team(row["team"], lang), format_number(row["objective_count"], lang), _mean(row["mean_grade"], lang),
              _mean(row["aspirational_mean_grade"], lang), _flags(flags, lang)]
             for row, flags in zip(readmodels.records(result.teams), (d["flags"] for d in document["teams"]),
                                   strict=True)]
    lines += ["", t("cli.review.objectives"),
              *_table([t("common.team"), t("common.objective"), t("review.type"), t("common.grade"), t("review.band"),
                       t("review.flags")], objectives),
              "", t("cli.review.teams"),
              *_table([t("common.team"), t("review.objectives"), t("review.mean_grade"),
                       t("review.aspirational_mean_grade"), t("review.flags")], teams)]
    flagged = {flag for row in [*document["objectives"], *document["teams"]] for flag in row["flags"]}
    legend = [t(f"cli.review.legend_{flag}", **config.rule_values())
              for flag in (*review.OBJECTIVE_FLAGS, *review.TEAM_FLAGS) if flag in flagged]
    return [*lines, *([""] + legend if legend else [])]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell, two spaces apart."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in (header, *rows)]


def _plain(text: str) -> str:
    """A stored name as one line of plain text: a control character (a line break, a terminal escape)
    prints as a space."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _team(team: str, lang: str) -> str:
    """A team as the reader names it: the company's own team in the reader's language."""
    from okrdash.readmodels import COMPANY_TEAMS

    return translate("common.company", lang) if team.strip() in COMPANY_TEAMS else _plain(team)


def _mean(value: float | None, lang: str) -> str:
    from okrdash.formatting import number as format_number

    return format_number(None if value is None else round(value, 2), lang)


def _flags(flags: list[str], lang: str) -> str:
    return ", ".join(translate(f"review.flag_{flag}", lang) for flag in flags) or translate("cli.review.none", lang)


def _remind(store: Store, args: argparse.Namespace) -> int:
    """Send the reminders and digests due at ``--at`` (now) that were not sent before: each recorded
    in the transaction that sends it, so a crash or a refusal leaves the rest for the next run."""
    from okrdash import reminders
    from okrdash.mail import Mailer, MailError, SmtpServer, digest_message, owner_message

    config = store.config
    found = reminders.due(store, args.at or dt.datetime.now(dt.UTC), config)
    for owner in found.unknown_owners:
        print(f"Not mailed: no person is named {owner!r} (owner of key results); add them to the people.")
    for owner, people in found.ambiguous_owners.items():
        print(f"Not mailed: {owner!r} names {len(people)} people ({', '.join(p.email for p in people)}); "
              "give each a name of their own.")
    week = found.schedule.week
    sent = store.reminders_sent(week)
    owed: list[tuple[reminders.ReminderKind, str, reminders.OwnerReminder | reminders.ManagerDigest]] = [
        *((reminders.ReminderKind.OWNER, r.person.email, r) for r in found.reminders),
        *((reminders.ReminderKind.DIGEST, d.email, d) for d in found.digests)]
    pending = [(kind, email, item) for kind, email, item in owed if (kind.value, email) not in sent]
    when = found.at.strftime("%Y-%m-%d %H:%M %Z")
    if args.dry_run:
        for kind, email, _ in pending:
            print(f"Would send the {kind.value} reminder of the week of {week.isoformat()} to {email}.")
        print(f"Dry run at {when}: {len(pending)} message(s) due, {len(owed) - len(pending)} sent before; "
              "nothing was sent or recorded.")
        return 0
    if not pending:
        print(f"Nothing due at {when} ({len(owed)} message(s) of the week of {week.isoformat()} sent before).")
        return 0
    missing = [name for name, value in (("OKRDASH_SMTP_URL", config.smtp_url), ("OKRDASH_MAIL_FROM", config.mail_from),
                                        ("OKRDASH_BASE_URL", config.base_url)) if not value]
    if missing:
        print(f"okrdash: set {', '.join(missing)} to send mail (README, Reminders); nothing was sent.", file=sys.stderr)
        return 2
    assert config.smtp_url and config.mail_from and config.base_url
    done = 0
    try:
        server = SmtpServer.from_url(config.smtp_url)
        with Mailer.connect(server) as mailer:
            for kind, email, item in pending:
                if isinstance(item, reminders.OwnerReminder):
                    message = owner_message(item, found, config.mail_from, config.base_url)
                else:
                    message = digest_message(item, found, config.mail_from, config.base_url, config.digest_grace_days)
                with store.sending_reminder(kind.value, email, week) as ours:
                    if not ours:  # another process sent it meanwhile
                        continue
                    mailer.send(message)
                done += 1
                print(f"Sent the {kind.value} reminder of the week of {week.isoformat()} to {email}.")
    except MailError as error:
        print(f"okrdash: {error}. {done} message(s) sent and recorded; the {len(pending) - done} not sent are "
              "not recorded, so the next run sends them.", file=sys.stderr)
        return EXIT_STORE
    return 0


def _hash_passphrase() -> int:
    import getpass

    from okrdash.access import hash_passphrase

    passphrase = getpass.getpass("Editor passphrase: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(passphrase) < 8:
        print("okrdash: use at least 8 characters", file=sys.stderr)
        return 2
    print("[okrdash]")
    print(f'editor_passphrase = "{hash_passphrase(passphrase)}"')
    return 0


def _writer(store: Store, who: str | None) -> Access:
    """Who the terminal writes as. With a roles file, ``--by`` names the person and their rights
    apply (the store refuses what they may not do); without one, the server's own user is admin.
    ``--by`` is taken on trust (a shell on the host is trusted like the server's user), so the
    batch also records the operating system account the command runs as."""
    import dataclasses

    from okrdash.access import admin_writer, load_roles

    path = store.config.roles_file
    access = load_roles(path).access_for(who) if path.is_file() else admin_writer(who)
    return dataclasses.replace(access, os_user=os_account())


def os_account() -> str:
    """The operating system account this process runs as, by its user id (not $USER or $LOGNAME,
    which anyone may set; getpass.getuser() reads those first)."""
    try:
        import pwd
    except ImportError:  # not POSIX: no user ids, only the login name
        import getpass

        return getpass.getuser()
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a user id without a passwd entry (a container)
        return str(os.getuid())


def _undo(store: Store, args: argparse.Namespace) -> int:
    changed = store.undo(args.batch_id, _writer(store, args.by))
    print(f"Batch {args.batch_id} undone: {changed} rows removed or restored to their earlier version.")
    return 0


def _backup(store: Store, args: argparse.Namespace) -> int:
    folder = store.backup(args.folder)
    print(f"Backup written to {folder} (Parquet files and schema.sql; restore with: okrdash restore {folder}).")
    return 0


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100) + 0}%"  # + 0 turns -0 into 0


def _num(value: float | None) -> str:
    # + 0 turns -0.0 into 0.0: "-0" is never printed.
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value + 0:g}"


def _demo(store: Store, args: argparse.Namespace) -> int:
    import dataclasses

    from okrdash import demo
    from okrdash.access import admin_writer

    if args.reset:
        store.reset(_writer(store, args.by))
    result = demo.load_demo(store, writer=dataclasses.replace(admin_writer("demo"), os_user=os_account()))
    print(f"Demo company loaded: {result.inserted} rows inserted, {result.updated} updated.")
    return 0


def _serve(args: argparse.Namespace, db_path: Path | str) -> int:
    from okrdash import demo
    from okrdash.access import local_token, read_secrets, sign_in_configured
    from okrdash.settings import load_settings
    from okrdash.store import StoreError, close_shared_store, is_database_url, shared_store

    config = load_settings()
    address = args.address or config.serve_address
    allow_open = args.allow_local_mode_on_network or config.allow_local_mode_on_network
    secrets = read_secrets([Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"])
    if not _is_loopback(address) and not sign_in_configured(secrets) and not allow_open:
        print(f"okrdash: no sign-in is configured (local mode: everyone may change data), so okrdash will not "
              f"listen on {address}. Configure [auth] or an editor passphrase in .streamlit/secrets.toml, or "
              "pass --allow-local-mode-on-network.", file=sys.stderr)
        return 2
    os.environ["OKRDASH_DB"] = db_path if is_database_url(db_path) else str(db_path.resolve())
    config = load_settings()
    try:
        # Opened before Streamlit starts and held until it stops: a file another process writes is
        # refused here (a second server would report healthy and fail every visitor), and no other
        # process can take the file between this check and the first visit. The app's
        # context.get_store finds this store in the process's registry.
        store, _ = shared_store(config.db_path, config)
    except StoreError as error:
        key = "store.store_locked_serve" if error.code == "store_locked" else f"store.{error.code}"
        print(f"okrdash: {translate(key, config.default_language, **error.params)}", file=sys.stderr)
        return EXIT_STORE
    try:
        if config.demo_when_empty:
            with store.write_lock:
                if store.is_empty():
                    demo.load_demo(store)
        from okrdash import warming
        from okrdash.ui import server  # Streamlit is loaded only when serving

        # The company scored, and what the pages read first kept, before the first visitor asks
        # (and again after every write): a thread beside the server.
        warming.start(store)

        local_mode = not sign_in_configured(secrets)
        if local_mode:
            print("okrdash: local mode (no sign-in configured): changing data needs the link printed below, "
                  "with its token. The token changes at every start unless OKRDASH_LOCAL_TOKEN sets one.",
                  file=sys.stderr)
        # Local mode: writes need the token of the printed link (a proxy in front gains nothing), and a
        # visitor that a proxy announces itself for is refused outright.
        server.prepare(config.max_session_upload_bytes, refuse_proxied=local_mode and not allow_open,
                       local_token=local_token() if local_mode else None)
        options = ["--server.port", str(args.port), "--server.address", address]
        for host in (h.strip() for h in config.allowed_hosts.split(",")):
            if host:
                options += ["--server.allowedHosts", host]
        return server.run(APP, options)
    finally:
        if "okrdash.warming" in sys.modules:
            sys.modules["okrdash.warming"].stop()
        close_shared_store(config.db_path)


def _shown(db_path: Path | str) -> str:
    """The database as printed: a URL without its password."""
    from okrdash.store import is_database_url

    if is_database_url(db_path):
        from okrdash.postgres_store import safe_url

        return safe_url(str(db_path))
    return str(db_path)


def _is_loopback(address: str) -> bool:
    import ipaddress

    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to a network address

if __name__ == "__main__":
    sys.exit(main())
