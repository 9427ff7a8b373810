"""Upload: check CSV files without writing anything, then import them all or nothing."""

import datetime as dt
import hashlib
import math

import pandas as pd
import streamlit as st

from okrdash import backup, coach, importing, okrfiles
from okrdash.access import Role
from okrdash.export import to_csv_bytes
from okrdash.models import FileKind
from okrdash.problems import ImportFailed, Problem, problem_total
from okrdash.settings import PROJECT_ROOT
from okrdash.store import StoreError
from okrdash.ui import auth, context, panels, widgets

ctx = context.current()
t = ctx.t
FORMAT_DOC = PROJECT_ROOT / "docs" / "csv-format.md"
_CHECKED = "_upload_checked"    # (signature, summaries, problems) of the last dry run
_RESULT = "_upload_result"      # (signature, ImportResult | None, problems | None) of the last import
_DELIMITERS = {",": "upload.delimiter_comma", ";": "upload.delimiter_semicolon", "\t": "upload.delimiter_tab"}

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
    files = st.file_uploader(
        t("upload.choose"), type=["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"], accept_multiple_files=True,
        key="upload_files", help=t("upload.choose_help"),
        max_upload_size=max(1, math.ceil(ctx.store.config.max_upload_bytes / 2**20)),
    )
else:
    files = []
    st.info(t("upload.picker_for_editors"), icon="🔒")
if not files:  # nothing chosen (or the files were removed): forget the last check and its previews
    st.session_state.pop(_CHECKED, None)
    st.session_state.pop(_RESULT, None)


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
        rows, encoding, delimiter, decimals = st.columns(4)
        rows.metric(t("upload.rows"), summary.rows)
        encoding.metric(t("upload.encoding"), summary.encoding)  # a metric value is not Markdown
        delimiter_key = _DELIMITERS.get(summary.delimiter)
        delimiter.metric(t("upload.delimiter"),
                         t(delimiter_key) if delimiter_key else repr(summary.delimiter))
        decimals.metric(t("upload.decimals"),
                        t("upload.decimal_comma") if summary.decimal_comma else t("upload.decimal_point"))
        if summary.reading_notes:
            st.info("\n".join(f"- {widgets.plain(note.message(ctx.lang))}" for note in summary.reading_notes),
                    icon="🧾")
        if summary.ignored_headers:
            st.warning(t("upload.ignored", columns=", ".join(widgets.plain(h) for h in summary.ignored_headers)),
                       icon="➖")
        else:
            st.caption(t("upload.no_ignored"))
        st.caption(t("upload.preview"))
        st.dataframe(summary.preview, hide_index=True, width="stretch")
        _show_coach(summary)


def _show_coach(summary: importing.FileSummary) -> None:
    """The OKR quality coach on an okrs file: suggestions only, never a reason to refuse it."""
    findings = coach.check_rows(summary.okr_rows, ctx.store) if summary.okr_rows is not None else []
    if not findings:
        return
    with st.expander(f"🧭 {t('upload.coach_title', count=len(findings))}"):
        st.caption(t("upload.coach_help"))
        panels.findings_table(ctx, findings, key=f"coach_download_{summary.file_name}")


def _import(uploads: list[importing.Upload], signature: tuple) -> None:
    """The Import button: write everything (the importer validates again inside), then refresh every page."""
    try:
        result = importing.import_files(ctx.store, uploads, imported_by=access.who, today=dt.date.today(),
                                       allowed_teams=access.allowed_teams)
    except ImportFailed as failed:
        st.session_state[_RESULT] = (signature, None, failed.problems)
        return
    except (StoreError, OSError) as error:  # a full disk: say what happened, and that nothing was written
        message = error.message(ctx.lang) if isinstance(error, StoreError) else t(
            "upload.write_failed", detail=widgets.plain(error.strerror or error))
        st.session_state[_RESULT] = (signature, None, message)
        return
    context.data_changed()
    st.session_state.pop(_CHECKED, None)  # the dry run's previews and rows are no longer needed
    st.session_state[_RESULT] = (signature, result, None)


if files:
    uploads = [importing.Upload(f.name, f.getvalue()) for f in files]
    signature = tuple((u.name, hashlib.sha256(u.data).hexdigest()) for u in uploads)
    outcome = st.session_state.get(_RESULT)
    if outcome is not None and outcome[0] == signature:
        _, result, late_problems = outcome
        if result is not None:
            lines = [t("upload.imported_file", file=widgets.plain(w.file_name), kind=_kind(w.kind),
                       inserted=w.inserted, updated=w.updated) for w in result.written]
            st.success("  \n".join([f"**{t('upload.imported')}**", *lines]), icon="✅")
            st.info(t("upload.already_imported"), icon="ℹ️")
        elif isinstance(late_problems, str):  # the store refused the write
            st.error(late_problems, icon="🛑")
        else:
            st.warning(t("upload.import_failed_late"), icon="⚠️")
            _show_problems(late_problems)
    else:
        # A dry run writes nothing; it is redone when the files or the stored data change.
        latest = ctx.store.batches()[:1]
        check_key = (signature, latest[0].id if latest else None)
        checked = st.session_state.get(_CHECKED)
        if checked is None or checked[0] != check_key:
            with st.spinner(t("upload.checking")):
                try:
                    summaries, _ = importing.validate(ctx.store, uploads, today=dt.date.today(),
                                                     allowed_teams=access.allowed_teams)
                    checked = (check_key, summaries, None)
                except ImportFailed as failed:
                    checked = (check_key, None, failed.problems)
            st.session_state[_CHECKED] = checked
        _, summaries, problems = checked
        if problems:
            _show_problems(problems)
        else:
            for summary in summaries:
                _show_summary(summary)
            st.success(t("upload.valid", count=len(summaries)), icon="🔎")
            st.button(f"💾 {t('upload.import_button')}", key="import_button", type="primary",
                      on_click=_import, args=(uploads, signature), disabled=not access.can_edit)

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
        t("upload.history_undone"): [b.undone_at for b in batches],
        t("upload.history_undone_by"): [b.undone_by for b in batches],
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
