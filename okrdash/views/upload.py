"""The Upload page: the templates, what each checked file is and how it was read, the problems found,
the questions a file could not answer (how to read 1.500, 10/1/2026), what an import wrote, and the
import history. The check and the import themselves run through okrdash/importing (ui/uploads.py
keeps them across reruns)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from okrdash import carry_forward, checkins, coach, editing, okrfiles
from okrdash.access import Access, Role
from okrdash.importing import DateOrder, FileSummary, NumberFormat, Prepared, ReadingChoices
from okrdash.importing.number_format import ambiguous_readings
from okrdash.importing.reading import Evidence
from okrdash.importing.report import column_reading_text, ignored_text
from okrdash.markdown import plain
from okrdash.models import Batch, FileKind
from okrdash.problems import Problem, problem_total
from okrdash.settings import PROJECT_ROOT
from okrdash.store import Store
from okrdash.viewstate import UploadState
from okrdash.views.common import (Filter, Markdown, Message, Notice, Option, Scope, Table, Words, coach_findings,
                                  link_notice, unread)

FORMAT_DOC = PROJECT_ROOT / "docs" / "csv-format.md"
_DELIMITERS = {",": "upload.delimiter_comma", ";": "upload.delimiter_semicolon", "\t": "upload.delimiter_tab"}
# Problems that a choice of reading answers, per choice.
_NUMBER_QUESTIONS = {"numbers_ambiguous", "numbers_mixed"}
_DATE_QUESTIONS = {"dates_ambiguous", "dates_mixed"}


@dataclass(frozen=True)
class Template:
    label: Markdown
    file_name: str
    rows: Callable[[], pd.DataFrame]   # the template in the reader's language and the chosen cycle


# The sources of batches written from the browser or the command line (the batch's file name), each
# shown in the reader's words; a file keeps its own name.
SOURCES = {checkins.CHECKIN_FORM: "upload.source_checkin_form", checkins.WEEKLY_CHECKIN: "upload.source_weekly_checkin",
           checkins.MEASUREMENT_FORM: "upload.source_measurement_form", editing.OKR_EDITOR: "upload.source_okr_editor",
           editing.PLAN_EDITOR: "upload.source_plan_editor", editing.KPI_EDITOR: "upload.source_kpi_editor",
           editing.PEOPLE_EDITOR: "upload.source_people_editor",
           carry_forward.CARRY_FORWARD: "upload.source_carry_forward"}
KINDS = ("okrs", "checkins", "kpis", "people")


@dataclass(frozen=True)
class Undoable:
    """A batch this person may undo: its line in the picker (source, when, size) and, before the undo
    is confirmed, what it changes (rows per table, who wrote it, when)."""

    batch: int
    label: str
    changes: Markdown


def source(words: Words, file_name: str) -> str:
    """Where a batch came from in the reader's words: a form or editor named, a file by its name."""
    return words.t(SOURCES[file_name]) if file_name in SOURCES else file_name


def kind(words: Words, batch_kind: str) -> str:
    return words.t(f"upload.kind_{batch_kind}") if batch_kind in KINDS else batch_kind


def who(words: Words, name: str | None, os_user: str | None) -> str:
    """Who wrote (or undid) a batch: the name recorded, else the OS account, else "unknown"."""
    return name or (words.t("upload.os_account", account=os_user) if os_user else words.t("upload.who_unknown"))


def when(words: Words, moment: dt.datetime) -> str:
    return f"{words.date(moment.date())} {moment:%H:%M}"


def undoable(words: Words, store: Store, batch: Batch) -> Undoable:
    rows = batch.inserted + batch.updated
    changes = store.batch_changes(batch.id)
    lines = [words.t("upload.undo_table", table=words.t(f"upload.table_{table}"), removed=words.number(max(written - replaced, 0)),
                     restored=words.number(replaced)) for table, written, replaced in changes]
    return Undoable(
        batch.id,
        words.t("upload.undo_option", batch=batch.id, source=source(words, batch.file_name),
                when=when(words, batch.imported_at), rows=words.number(rows)),
        words.t("upload.undo_confirm", batch=batch.id, source=plain(source(words, batch.file_name)),
                who=plain(who(words, batch.imported_by, batch.imported_os_user)), when=when(words, batch.imported_at))
        + "\n\n" + "\n".join(f"- {line}" for line in lines))


@dataclass(frozen=True, eq=False)
class UploadView:
    shown: UploadState
    link: UploadState
    notices: list[Notice]
    choices: ReadingChoices             # the reader's answers so far (kept in the link)
    reference: str | None               # docs/csv-format.md, shown as it is
    templates_caption: Markdown
    templates: tuple[Template, ...]
    max_mb: int                         # the largest file the picker takes
    history: Table | None
    undoable: tuple[Undoable, ...]      # batches this person may undo, newest first
    backup: bool                        # an admin may take a backup here


def view(store: Store, state: UploadState, scope: Scope, access: Access) -> UploadView:
    words = scope.words
    notices = unread(words, state)
    numbers = state.numbers if state.numbers in set(NumberFormat) else None
    dates = state.dates if state.dates in set(DateOrder) else None
    for name, value, used in (("numbers", state.numbers, numbers), ("dates", state.dates, dates)):
        if value is not None and used is None:
            notices.append(link_notice(words, name, value))
    link = UploadState(numbers=numbers, dates=dates)
    template_cycle = scope.cycle or okrfiles.quarter_of(scope.as_of)
    batches = store.batches()
    return UploadView(
        shown=scope.shown(link), link=link, notices=notices,
        choices=ReadingChoices(numbers=NumberFormat(numbers) if numbers else None,
                               dates=DateOrder(dates) if dates else None),
        reference=FORMAT_DOC.read_text(encoding="utf-8") if FORMAT_DOC.exists() else None,
        templates_caption=f"**{words.t('upload.templates')}** · "
                          f"{words.t('upload.templates_help', cycle=plain(template_cycle.name))}",
        templates=tuple(Template(f"⬇️ {words.t(f'upload.template_{kind.value}')}", f"{kind.value}.csv",
                                 lambda kind=kind: okrfiles.template(kind, scope.lang, template_cycle))
                        for kind in FileKind if kind is not FileKind.PEOPLE or access.role is Role.ADMIN),
        max_mb=max(1, math.ceil(store.config.max_upload_bytes / 2**20)),
        history=_history(words, batches) if batches else None,
        undoable=tuple(undoable(words, store, b) for b in batches
                       if b.undone_at is None and (access.allowed_teams is None or b.imported_by == access.who))
        if access.can_edit else (),
        backup=access.role is Role.ADMIN,
    )


def _history(words: Words, batches: list[Batch]) -> Table:
    t = words.t
    frame = pd.DataFrame({
        t("upload.history_id"): [b.id for b in batches],
        t("upload.history_time"): [b.imported_at for b in batches],
        t("upload.history_file"): [source(words, b.file_name) for b in batches],
        t("upload.history_kind"): [kind(words, b.kind) for b in batches],
        t("upload.history_inserted"): [b.inserted for b in batches],
        t("upload.history_updated"): [b.updated for b in batches],
        t("upload.history_by"): [who(words, b.imported_by, b.imported_os_user) for b in batches],
        t("upload.history_os_user"): [b.imported_os_user or "" for b in batches],
        t("upload.history_undone"): pd.to_datetime(pd.Series([b.undone_at for b in batches], dtype=object)),
        t("upload.history_undone_by"): ["" if b.undone_at is None else who(words, b.undone_by, b.undone_os_user)
                                         for b in batches],
        t("upload.history_undone_os_user"): [b.undone_os_user or "" for b in batches],
        t("upload.history_sha"): [b.sha256[:12] for b in batches],
    })
    return Table(shown=frame, rows=lambda: frame, file_name="import-history.csv", key="download_history",
                 times={t("upload.history_time"): "DD/MM/YYYY HH:mm" if words.lang == "id" else "YYYY-MM-DD HH:mm"})


# -- a check's result -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Report:
    """The problems of one file: line, the file's own header, value and message, downloadable."""

    heading: Markdown
    table: Table


@dataclass(frozen=True, eq=False)
class Summary:
    """What one valid file is and how it was read."""

    heading: Markdown
    metrics: tuple[tuple[str, str], ...]   # rows, encoding, delimiter, decimals, dates
    notes: Markdown | None                 # how the file was read (header row, sheet, filled rows ...)
    readings: tuple[Markdown, ...]         # which column was read how, and why
    used: Markdown
    ignored: Markdown | None               # columns okrdash does not use, named
    warnings: Markdown | None
    preview: pd.DataFrame                  # the first rows as they will be stored, in the reader's language
    coach: Table | None                    # the OKR quality coach's suggestions
    coach_title: str


def questions(words: Words, problems: list[Problem] | None, link: UploadState) -> tuple[Filter, ...]:
    """A radio per question the files could not answer (or already answered, so it can be changed)."""
    problems = problems or []
    number_question = next((p for p in problems if p.code in _NUMBER_QUESTIONS), None)
    date_question = next((p for p in problems if p.code in _DATE_QUESTIONS), None)
    asked = []
    if number_question or link.numbers:
        value = number_question.value if number_question and number_question.code == "numbers_ambiguous" else "1.500"
        read_as = ambiguous_readings(value, words.lang)
        comma = "," in value and "." not in value
        labels = {f.value: words.t(f"reading.choose_numbers_{f.value}{'_comma' if comma else ''}", value=value,
                                   number=read_as[f]) for f in NumberFormat}
        asked.append(_question(words, "numbers", words.t("reading.choose_numbers", value=value, column=number_question.column
                                                         if number_question else "–"), labels, link))
    if date_question or link.dates:
        value = date_question.value if date_question else "10/1/2026"
        params = date_question.params if date_question and date_question.code == "dates_ambiguous" else {
            "day_first": "–", "month_first": "–"}
        labels = {o.value: words.t(f"reading.choose_dates_{o.value}", **params) for o in DateOrder}
        asked.append(_question(words, "dates", words.t("reading.choose_dates", value=value, column=date_question.column
                                                       if date_question else "–"), labels, link))
    return tuple(asked)


def _question(words: Words, name: str, question: str, labels: dict[str, str], link: UploadState) -> Filter:
    """One question as a radio of the choices' codes (id, dmy ...): the link keeps the code, not its words."""
    return Filter(name, plain(question), tuple(Option(code, label) for code, label in labels.items()),
                  getattr(link, name), link, style="radio", help=words.t("reading.choose_help"))


def reports(words: Words, problems: list[Problem]) -> tuple[Message, tuple[Report, ...]]:
    """What is wrong, where, per file; downloadable so it can be fixed in a spreadsheet."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file_name, []).append(problem)
    out = []
    for index, (file_name, found) in enumerate(by_file.items()):
        rows = [p.as_row(words.lang) for p in found]
        message = words.t("upload.message")
        frame = pd.DataFrame({
            words.t("upload.line"): pd.array([r["line"] for r in rows], dtype="Int64"),
            words.t("upload.column"): [r["column"] for r in rows],
            words.t("upload.value"): [r["value"] for r in rows],
            message: [r["message"] for r in rows],
        })
        stem = file_name.rsplit(".", 1)[0] or "upload"
        out.append(Report(f"**{words.t('upload.report_title', file=plain(file_name))}**",
                          Table(shown=frame, rows=lambda frame=frame: frame, file_name=f"{stem}-problems.csv",
                                key=f"download_report_{index}", widths={message: "large"})))
    return Message(words.t("upload.failed", count=problem_total(problems)), "🛑", "error"), tuple(out)


def summaries(words: Words, store: Store, prepared: Prepared) -> tuple[Summary, ...]:
    return tuple(_summary(words, store, summary) for summary in prepared.summaries)


def _summary(words: Words, store: Store, summary: FileSummary) -> Summary:
    t = words.t
    number_format, date_format = summary.reading.number_format, summary.reading.date_format
    delimiter = _DELIMITERS.get(summary.delimiter)
    found = coach.check_rows(summary.okr_rows, store) if summary.okr_rows is not None else []
    return Summary(
        heading=f"**{t('upload.file_heading', file=plain(summary.file_name), kind=t(f'upload.kind_{summary.kind}'))}**",
        metrics=((t("upload.rows"), str(summary.rows)), (t("upload.encoding"), summary.encoding),
                 (t("upload.delimiter"), t(delimiter) if delimiter else repr(summary.delimiter)),
                 (t("upload.decimals"), "–" if number_format is None else t("upload.decimal_comma")
                  if number_format is NumberFormat.ID else t("upload.decimal_point")),
                 (t("reading.dates"), "–" if date_format is None else t(f"reading.format_{date_format.value}"))),
        notes="\n".join(f"- {plain(note.message(words.lang))}" for note in summary.reading_notes) or None,
        readings=tuple(plain(column_reading_text(reading, summary.headers.get(reading.column, reading.column),
                                                 words.lang))
                       for readings in (summary.reading.numbers, summary.reading.dates)
                       for reading in readings.values() if reading.evidence is not Evidence.NOT_NEEDED),
        used=plain(t("reading.used", columns=", ".join(t("reading.used_column", header=header, column=column)
                                                       for column, header in summary.headers.items()))),
        ignored=plain(t("reading.ignored", columns=", ".join(ignored_text(h, words.lang)
                                                             for h in summary.ignored_headers)))
        if summary.ignored_headers else None,
        warnings="  \n".join([t("reading.warnings"), *(plain(w.describe(words.lang)) for w in summary.warnings)])
        if summary.warnings else None,
        preview=_in_reader_language(words, summary.parsed_preview),
        coach=coach_findings(words, found, f"coach_download_{summary.file_name}") if found else None,
        coach_title=f"🧭 {t('upload.coach_title', count=len(found))}",
    )


def _in_reader_language(words: Words, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Parsed numbers and dates written as the reader writes them (1.500,5 and 31 Mei 2026 in Indonesian)."""
    if frame is None:
        return pd.DataFrame()
    shown = frame.copy()
    for column in shown.columns:
        if column == "line":
            continue
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = [None if pd.isna(v) else words.date(v.date()) for v in shown[column]]
        elif pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [None if pd.isna(v) else _number_text(words, float(v)) for v in shown[column]]
    return shown


def _number_text(words: Words, value: float) -> str:
    """Every stored digit (up to 6 decimals), grouped and separated as the reader writes numbers."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if words.lang == "id" else text


# -- what an import ended with ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Outcome:
    imported: Message | None = None         # what was written, per file
    already: Message | None = None          # the files are in: pick new ones for another import
    refused: Markdown | None = None         # the store refused the write
    late: Message | None = None             # validated again (someone wrote meanwhile) and no longer passes
    choose_again: Message | None = None     # a background import let its files go: choose them again


def outcome(words: Words, written: list | None, problems: list[Problem] | str | None, forgotten: bool) -> Outcome:
    t = words.t
    if written is not None:
        lines = [t("upload.imported_file", file=plain(w.file_name), kind=t(f"upload.kind_{w.kind}"),
                   inserted=w.inserted, updated=w.updated) for w in written]
        return Outcome(imported=Message("  \n".join([f"**{t('upload.imported')}**", *lines]), "✅", "success"),
                       already=Message(t("upload.already_imported"), "ℹ️"))
    again = Message(t("upload.choose_again"), "ℹ️") if forgotten else None
    if isinstance(problems, str):
        return Outcome(refused=problems, choose_again=again)
    return Outcome(late=Message(t("upload.import_failed_late"), "⚠️", "warning"), choose_again=again)
