"""Upload: check CSV files without writing anything, then import them all or nothing."""

import datetime as dt
import math

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from okrdash import backup, coach, importing, okrfiles
from okrdash.access import Role
from okrdash.export import to_csv_bytes
from okrdash.i18n import format_date
from okrdash.importing import DateOrder, NumberFormat, ReadingChoices, worker
from okrdash.importing.number_format import ambiguous_readings
from okrdash.importing.reading import Evidence
from okrdash.importing.report import column_reading_text, ignored_text
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem, problem_total
from okrdash.settings import PROJECT_ROOT
from okrdash.store import StoreError
from okrdash.ui import auth, context, panels, widgets

ctx = context.current()
t = ctx.t
FORMAT_DOC = PROJECT_ROOT / "docs" / "csv-format.md"
_CHECKED = "_upload_checked"    # (check key, Prepared | None, problems | None) of the last dry run
_RESULT = "_upload_result"      # (signature | None, written | None, problems | message | None) of the last import
_JOB = "_upload_job"            # ("check" | "import", signature, check key, worker.Job) in the background
_GENERATION = "_upload_generation"  # bumped after an import: a new picker, holding none of the imported files
_FORGOTTEN = ()  # the signature of a background import's result: its files were let go, the picker is empty
_DELIMITERS = {",": "upload.delimiter_comma", ";": "upload.delimiter_semicolon", "\t": "upload.delimiter_tab"}
# Problems that a choice of reading answers, per choice.
_NUMBER_QUESTIONS = {"numbers_ambiguous", "numbers_mixed"}
_DATE_QUESTIONS = {"dates_ambiguous", "dates_mixed"}

st.title(f"⬆️ {t('upload.title')}")
access = auth.current_access(ctx)
auth.editing_notice(ctx, access)
st.markdown(t("upload.intro"))
st.markdown(f"**{t('upload.formats_title')}**")
st.markdown(t("upload.formats"))
if FORMAT_DOC.exists():
    with st.expander(f"📄 {t('upload.reference_title')}"):
        st.markdown(FORMAT_DOC.read_text(encoding="utf-8"))

# Templates in the reader's language (headers, decimal mark, date order) and in the chosen cycle.
template_cycle = ctx.cycle or okrfiles.quarter_of(ctx.as_of)
st.markdown(f"**{t('upload.templates')}** · {t('upload.templates_help', cycle=widgets.plain(template_cycle.name))}")
for column, kind in zip(st.columns(len(FileKind)), FileKind):
    column.download_button(
        f"⬇️ {t(f'upload.template_{kind.value}')}", file_name=f"{kind.value}.csv", mime="text/csv",
        data=lambda kind=kind: to_csv_bytes(okrfiles.template(kind, ctx.lang, template_cycle), ctx.lang),
        key=f"template_{kind.value}", on_click="ignore",
    )

# The right to import is checked before any file is read: a viewer gets no file picker at all
# (what a forged client uploads anyway is bounded per session by okrdash serve, ui/server.py).
if access.can_edit:
    files = widgets.file_uploader(
        ctx, t("upload.choose"), ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"], accept_multiple_files=True,
        key="upload_files" if not st.session_state.get(_GENERATION) else f"upload_files_{st.session_state[_GENERATION]}",
        help=t("upload.choose_help"),
        max_mb=max(1, math.ceil(ctx.store.config.max_upload_bytes / 2**20)),
    )
else:
    files = []
    st.info(t("upload.picker_for_editors"), icon="🔒")
if not files:  # nothing chosen (or the files were removed): forget the last check and its previews
    st.session_state.pop(_CHECKED, None)


def _kind(kind: str) -> str:
    return t(f"upload.kind_{kind}")


def _show_problems(problems: list[Problem]) -> None:
    """What is wrong, where, per file; downloadable so it can be fixed in a spreadsheet."""
    st.error(t("upload.failed", count=problem_total(problems)), icon="🛑")
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file_name, []).append(problem)
    for index, (file_name, found) in enumerate(by_file.items()):
        st.markdown(f"**{t('upload.report_title', file=widgets.plain(file_name))}**")
        rows = [p.as_row(ctx.lang) for p in found]
        report = pd.DataFrame({
            t("upload.line"): pd.array([r["line"] for r in rows], dtype="Int64"),
            t("upload.column"): [r["column"] for r in rows],
            t("upload.value"): [r["value"] for r in rows],
            t("upload.message"): [r["message"] for r in rows],
        })
        st.dataframe(report, hide_index=True, width="stretch",
                     column_config={t("upload.message"): st.column_config.TextColumn(width="large")})
        stem = file_name.rsplit(".", 1)[0] or "upload"
        widgets.download_csv(ctx, report, f"{stem}-problems.csv", key=f"download_report_{index}")


def _show_summary(summary: importing.FileSummary) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('upload.file_heading', file=widgets.plain(summary.file_name), kind=_kind(summary.kind))}**")
        rows, encoding, delimiter, decimals, dates = st.columns(5)
        rows.metric(t("upload.rows"), summary.rows)
        encoding.metric(t("upload.encoding"), summary.encoding)  # a metric value is not Markdown
        delimiter_key = _DELIMITERS.get(summary.delimiter)
        delimiter.metric(t("upload.delimiter"),
                         t(delimiter_key) if delimiter_key else repr(summary.delimiter))
        number_format, date_format = summary.reading.number_format, summary.reading.date_format
        decimals.metric(t("upload.decimals"), "–" if number_format is None else
                        t("upload.decimal_comma") if number_format is NumberFormat.ID else t("upload.decimal_point"))
        dates.metric(t("reading.dates"), "–" if date_format is None else t(f"reading.format_{date_format.value}"))
        if summary.reading_notes:
            st.info("\n".join(f"- {widgets.plain(note.message(ctx.lang))}" for note in summary.reading_notes),
                    icon="🧾")
        _show_reading(summary)
        st.caption(t("reading.parsed_preview"))
        st.dataframe(_in_reader_language(summary.parsed_preview), hide_index=True, width="stretch")
        _show_coach(summary)


def _show_reading(summary: importing.FileSummary) -> None:
    """Which column was read how and why, which columns were used and ignored, and the warnings."""
    for readings in (summary.reading.numbers, summary.reading.dates):
        for reading in readings.values():
            if reading.evidence is not Evidence.NOT_NEEDED:
                header = summary.headers.get(reading.column, reading.column)
                st.caption(widgets.plain(column_reading_text(reading, header, ctx.lang)))
    st.caption(widgets.plain(t("reading.used", columns=", ".join(
        t("reading.used_column", header=header, column=column) for column, header in summary.headers.items()))))
    if summary.ignored_headers:
        st.warning(widgets.plain(t("reading.ignored", columns=", ".join(
            ignored_text(h, ctx.lang) for h in summary.ignored_headers))), icon="➖")
    else:
        st.caption(t("upload.no_ignored"))
    if summary.warnings:
        st.warning("  \n".join([t("reading.warnings"), *(widgets.plain(w.describe(ctx.lang)) for w in summary.warnings)]),
                   icon="🔍")


def _in_reader_language(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Parsed numbers and dates written as the reader writes them (1.500,5 and 31 Mei 2026 in Indonesian)."""
    if frame is None:
        return pd.DataFrame()
    shown = frame.copy()
    for column in shown.columns:
        if column == "line":
            continue
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = [None if pd.isna(v) else format_date(v.date(), ctx.lang) for v in shown[column]]
        elif pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [None if pd.isna(v) else _number_text(float(v)) for v in shown[column]]
    return shown


def _number_text(value: float) -> str:
    """Every stored digit (up to 6 decimals), grouped and separated as the reader writes numbers."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if ctx.lang == "id" else text


def _reading_choices() -> ReadingChoices:
    """The reader's answers so far, from the page's link (the radios below are bound to it)."""
    # A radio just changed is in the session before the link catches up with it.
    numbers = st.session_state.get("numbers") or st.query_params.get("numbers")
    dates = st.session_state.get("dates") or st.query_params.get("dates")
    return ReadingChoices(numbers=NumberFormat(numbers) if numbers in set(NumberFormat) else None,
                          dates=DateOrder(dates) if dates in set(DateOrder) else None)


def _ask_reading(problems: list[Problem] | None, choices: ReadingChoices) -> None:
    """A radio per question the files could not answer (or already answered, so it can be changed)."""
    problems = problems or []
    number_question = next((p for p in problems if p.code in _NUMBER_QUESTIONS), None)
    date_question = next((p for p in problems if p.code in _DATE_QUESTIONS), None)
    if number_question or choices.numbers:
        value = number_question.value if number_question and number_question.code == "numbers_ambiguous" else "1.500"
        read_as = ambiguous_readings(value, ctx.lang)
        comma = "," in value and "." not in value
        labels = {f: t(f"reading.choose_numbers_{f.value}{'_comma' if comma else ''}", value=value, number=read_as[f])
                  for f in NumberFormat}
        _ask("numbers", t("reading.choose_numbers", value=value,
                          column=number_question.column if number_question else "–"), labels, choices.numbers)
    if date_question or choices.dates:
        value = date_question.value if date_question else "10/1/2026"
        params = date_question.params if date_question and date_question.code == "dates_ambiguous" else {
            "day_first": "–", "month_first": "–"}
        labels = {o: t(f"reading.choose_dates_{o.value}", **params) for o in DateOrder}
        _ask("dates", t("reading.choose_dates", value=value,
                        column=date_question.column if date_question else "–"), labels, choices.dates)


def _ask(name: str, question: str, labels: dict[NumberFormat, str] | dict[DateOrder, str],
         chosen: str | None) -> None:
    """One question as a radio of the choices' codes (``labels``: choice -> its words), kept in the link."""
    options = [choice.value for choice in labels]
    answer = st.radio(widgets.plain(question), options, index=options.index(chosen) if chosen else None, key=name,
                      format_func=lambda code: widgets.plain(labels[code]),  # StrEnum keys: a code finds its member
                      help=t("reading.choose_help"))
    _keep_in_link(name, answer)


def _keep_in_link(name: str, value: str | None) -> None:
    """The choice's own code (id, dmy ...) in the link, not its translated label (which a bound radio would put)."""
    if value and st.query_params.get(name) != value:
        st.query_params[name] = value


def _show_coach(summary: importing.FileSummary) -> None:
    """The OKR quality coach on an okrs file: suggestions only, never a reason to refuse it."""
    findings = coach.check_rows(summary.okr_rows, ctx.store) if summary.okr_rows is not None else []
    if not findings:
        return
    with st.expander(f"🧭 {t('upload.coach_title', count=len(findings))}"):
        st.caption(t("upload.coach_help"))
        panels.findings_table(ctx, findings, key=f"coach_download_{summary.file_name}")


def _files_text(job_files: list[str]) -> str:
    return ", ".join(widgets.plain(name) for name in job_files)


def _forget_uploaded(signature: tuple) -> None:
    """Free the uploaded bytes Streamlit keeps for this session (until it ends, otherwise) and give
    the picker a new key, so it no longer names them: a 127 MB KPI file is not held after its import."""
    run = get_script_run_ctx()
    if run is not None:
        for file_id, _, _ in signature:
            run.uploaded_file_mgr.remove_file(run.session_id, file_id)
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


def _imported(outcome: importing.ImportResult | ImportFailed | Exception, signature: tuple) -> None:
    """What an import ended with, kept for the page to show; after a success nothing of the files is held."""
    st.session_state.pop(_JOB, None)
    if isinstance(outcome, ImportFailed):  # validated again (someone wrote meanwhile) and no longer passes
        st.session_state.pop(_CHECKED, None)
        st.session_state[_RESULT] = (signature, None, outcome.problems)
    elif isinstance(outcome, (StoreError, OSError)):  # refused, or a full disk: nothing was written
        st.session_state.pop(_CHECKED, None)
        message = outcome.message(ctx.lang) if isinstance(outcome, StoreError) else t(
            "upload.write_failed", detail=widgets.plain(outcome.strerror or outcome))
        st.session_state[_RESULT] = (signature, None, message)
    elif isinstance(outcome, Exception):
        raise outcome
    else:
        context.data_changed()
        st.session_state.pop(_CHECKED, None)  # the validated rows and previews are written: let them go
        st.session_state[_RESULT] = (None, outcome.written, None)
        _forget_uploaded(signature)


def _import(signature: tuple) -> None:
    """The Import button: write what was validated (validated again only if the store changed since)."""
    checked = st.session_state.get(_CHECKED)
    if checked is None or checked[1] is None:
        return
    prepared: importing.Prepared = checked[1]
    if sum(len(u.data) for u in prepared.uploads if isinstance(u, importing.Upload)) > worker.BACKGROUND_BYTES:
        store, writer, today = ctx.store, access, dt.date.today()
        job = worker.WORKER.submit(
            "import", lambda progress: importing.commit(store, prepared, writer, today=today, progress=progress),
            files=[u.name for u in prepared.uploads])
        st.session_state[_JOB] = ("import", signature, None, job)
        # From here only ``prepared`` holds the uploaded bytes, and commit lets them go before the
        # store's upsert, the import's peak: Streamlit's copy is freed now rather than after the
        # write (127 MB of a yearly KPI file). Should the import fail, the files are chosen again.
        _forget_uploaded(signature)
        return
    try:
        outcome = importing.commit(ctx.store, prepared, access, today=dt.date.today())
    except (ImportFailed, StoreError, OSError) as error:
        outcome = error
    _imported(outcome, signature)


def _check(uploads: list[importing.Upload], choices: ReadingChoices):
    """Validate once: a Prepared (what Import writes) or the problems found."""
    try:
        return importing.prepare(ctx.store, uploads, today=dt.date.today(), allowed_teams=access.allowed_teams,
                                 choices=choices), None
    except ImportFailed as failed:
        return None, failed.problems


@st.fragment(run_every=1.0)
def _wait_for(job: worker.Job) -> None:
    """The running job's stage, redrawn every second; the whole page reruns once it is done."""
    if job.done():
        st.rerun(scope="app")
    st.info(t(f"upload.stage_{job.stage}", files=_files_text(job.files)), icon="⏳")
    st.caption(t("upload.working_help"))


def _show_outcome(outcome: tuple) -> None:
    _, written, late_problems = outcome
    if written is not None:
        lines = [t("upload.imported_file", file=widgets.plain(w.file_name), kind=_kind(w.kind),
                   inserted=w.inserted, updated=w.updated) for w in written]
        st.success("  \n".join([f"**{t('upload.imported')}**", *lines]), icon="✅")
        st.info(t("upload.already_imported"), icon="ℹ️")
    elif isinstance(late_problems, str):  # the store refused the write
        st.error(late_problems, icon="🛑")
    else:
        st.warning(t("upload.import_failed_late"), icon="⚠️")
        _show_problems(late_problems)
    if written is None and outcome[0] == _FORGOTTEN:
        st.info(t("upload.choose_again"), icon="ℹ️")


# Each upload is known by Streamlit's id of it: nothing is hashed on a rerun (the importer hashes
# each file once, for its batch).
signature = tuple((f.file_id, f.name, f.size) for f in files)
running = st.session_state.get(_JOB)
if running is not None and running[3].done():  # a background check or import ended: pick up its result
    what, job_signature, check_key, job = running
    try:
        job_outcome = job.result()
    except (ImportFailed, StoreError, OSError) as error:
        job_outcome = error
    if what == "import":
        _imported(job_outcome, _FORGOTTEN)  # its files were let go at the click
        st.rerun()  # drawn again with the new, empty picker
    st.session_state.pop(_JOB, None)
    st.session_state[_CHECKED] = (check_key, None, job_outcome.problems) if isinstance(
        job_outcome, ImportFailed) else (check_key, job_outcome, None)
    running = None
if running is not None and running[0] == "check" and running[1] != signature:
    st.session_state.pop(_JOB, None)  # the files changed while they were checked: that check is not wanted
    running = None
outcome = st.session_state.get(_RESULT)
if not files and outcome is not None and outcome[1] is None and outcome[0] != _FORGOTTEN:
    st.session_state.pop(_RESULT, None)  # a failed import's report goes with its files
    outcome = None
if running is not None:
    _wait_for(running[3])
elif outcome is not None and (outcome[0] == signature or (outcome[1] is not None and not files)):
    _show_outcome(outcome)
elif files:
    st.session_state.pop(_RESULT, None)
    # A dry run writes nothing; it is redone when the files or the reading choices change. Import
    # writes what it found, unless the store changed since (then it validates again first).
    choices = _reading_choices()
    check_key = (signature, choices, access.allowed_teams)
    checked = st.session_state.get(_CHECKED)
    if checked is None or checked[0] != check_key:
        st.session_state.pop(_CHECKED, None)  # the earlier files' rows are not needed any more
        uploads = [importing.Upload(f.name, f.getvalue()) for f in files]
        if sum(f.size for f in files) > worker.BACKGROUND_BYTES:
            store, allowed_teams, today = ctx.store, access.allowed_teams, dt.date.today()
            job = worker.WORKER.submit("check", lambda progress: importing.prepare(
                store, uploads, today=today, allowed_teams=allowed_teams, choices=choices, progress=progress),
                files=[f.name for f in files])
            st.session_state[_JOB] = ("check", signature, check_key, job)
            _wait_for(job)
            checked = None
        else:
            with st.spinner(t("upload.checking")):
                checked = (check_key, *_check(uploads, choices))
            st.session_state[_CHECKED] = checked
    if checked is not None:
        _, prepared, problems = checked
        _ask_reading(problems, choices)
        if problems:
            _show_problems(problems)
        else:
            for summary in prepared.summaries:
                _show_summary(summary)
            st.success(t("upload.valid", count=len(prepared.summaries)), icon="🔎")
            st.button(f"💾 {t('upload.import_button')}", key="import_button", type="primary",
                      on_click=_import, args=(signature,), disabled=not access.can_edit)

st.subheader(t("upload.history"))
batches = ctx.store.batches()
if not batches:
    st.caption(t("upload.history_empty"))
else:
    history = pd.DataFrame({
        t("upload.history_id"): [b.id for b in batches],
        t("upload.history_time"): [b.imported_at for b in batches],
        t("upload.history_file"): [b.file_name for b in batches],
        t("upload.history_kind"): [b.kind for b in batches],
        t("upload.history_inserted"): [b.inserted for b in batches],
        t("upload.history_updated"): [b.updated for b in batches],
        t("upload.history_by"): [b.imported_by for b in batches],
        t("upload.history_os_user"): [b.imported_os_user for b in batches],
        t("upload.history_undone"): [b.undone_at for b in batches],
        t("upload.history_undone_by"): [b.undone_by for b in batches],
        t("upload.history_undone_os_user"): [b.undone_os_user for b in batches],
        t("upload.history_sha"): [b.sha256[:12] for b in batches],
    })
    st.dataframe(
        history, hide_index=True, width="stretch",
        column_config={t("upload.history_time"): st.column_config.DatetimeColumn(
            format="DD/MM/YYYY HH:mm" if ctx.lang == "id" else "YYYY-MM-DD HH:mm")},
    )
    widgets.download_csv(ctx, history, "import-history.csv", key="download_history")

    undoable = [b for b in batches if b.undone_at is None
                and (access.allowed_teams is None or b.imported_by == access.who)]
    if access.can_edit and undoable:
        with st.expander(f"↩️ {t('upload.undo_title')}"):
            st.caption(t("upload.undo_help"))
            chosen = st.selectbox(t("upload.undo_batch"), [b.id for b in undoable], key="undo_batch",
                                  format_func=lambda i: next(f"{b.id} · {b.file_name} · {b.imported_at:%Y-%m-%d %H:%M}"
                                                             for b in undoable if b.id == i))
            if st.button(t("upload.undo_button"), key="undo_button"):
                try:
                    changed = ctx.store.undo(int(chosen), access)
                except StoreError as error:
                    st.error(error.message(ctx.lang))
                else:
                    context.data_changed()
                    st.success(t("upload.undone", batch=chosen, rows=changed))

if access.role is Role.ADMIN:
    st.subheader(t("upload.backup_title"))
    st.caption(t("upload.backup_help"))
    if st.button(t("upload.backup_prepare"), key="backup_prepare"):
        st.session_state["_backup_zip"] = backup.archive(ctx.store)
    if st.session_state.get("_backup_zip"):
        st.download_button(f"⬇️ {t('upload.backup_download')}", data=st.session_state["_backup_zip"],
                           file_name=f"okrdash-backup-{dt.date.today().isoformat()}.zip", mime="application/zip",
                           key="backup_download", on_click="ignore")

widgets.share_link(ctx)
