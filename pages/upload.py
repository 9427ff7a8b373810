"""Upload: check files without writing anything, then import them all or nothing
(okrdash/views/upload.py; the files across reruns: okrdash/ui/uploads.py)."""

import datetime as dt

import streamlit as st

from okrdash import backup
from okrdash.export import to_csv_bytes
from okrdash.store import StoreError
from okrdash.viewstate import UploadState
from okrdash.views import upload
from okrdash.ui import auth, context, mapping_step, uploads, url_state, widgets

ctx = context.current()
t = ctx.t
access = auth.current_access(ctx)
view = upload.view(ctx.store, url_state.read(UploadState), ctx.scope, access)

st.title(f"⬆️ {t('upload.title')}")
url_state.settle(view.notices, view.link)
auth.editing_notice(ctx, access)
st.markdown(t("upload.intro"))
st.markdown(f"**{t('upload.formats_title')}**")
st.markdown(t("upload.formats"))
if view.reference:
    # Drawn only once opened: its code blocks load st.code's highlighter (1.5 MB of JavaScript).
    with st.expander(f"📄 {t('upload.reference_title')}", key="format_reference", on_change="rerun") as reference:
        if reference.open:
            st.markdown(view.reference)

# Templates in the reader's language (headers, decimal mark, date order) and in the chosen cycle.
st.markdown(view.templates_caption)
for column, template in zip(st.columns(len(view.templates)), view.templates):
    column.download_button(template.label, file_name=template.file_name, mime="text/csv",
                           data=lambda rows=template.rows: to_csv_bytes(rows(), ctx.lang),
                           key=f"template_{template.file_name.removesuffix('.csv')}", on_click="ignore")

files = uploads.picker(ctx, access, view.max_mb)
step = uploads.step(ctx, access, files, view.choices, mapping_step.current(files))
if step.waiting:
    uploads.wait_for(ctx, step.waiting)
elif step.outcome:
    _, written, problems = step.outcome
    outcome = upload.outcome(ctx.words, written, problems, uploads.forgotten(step.outcome))
    if outcome.imported:
        widgets.message(outcome.imported)
        widgets.message(outcome.already)
    elif outcome.refused:
        st.error(outcome.refused, icon="🛑")
    else:
        widgets.message(outcome.late)
        failed, reports = upload.reports(ctx.words, problems)
        widgets.message(failed)
        for report in reports:
            st.markdown(report.heading)
            widgets.table(ctx, report.table)
    if outcome.choose_again:
        widgets.message(outcome.choose_again)
elif step.checked:
    _, prepared, problems = step.checked
    for question in upload.questions(ctx.words, problems, view.link):
        url_state.picker(ctx, question)
    mapping_step.recall(ctx, files, step.signature, problems)
    mapping_step.draw(ctx, access, files, problems)
    if problems:
        failed, reports = upload.reports(ctx.words, problems)
        widgets.message(failed)
        for report in reports:
            st.markdown(report.heading)
            widgets.table(ctx, report.table)
    else:
        for summary in upload.summaries(ctx.words, ctx.store, prepared):
            with st.container(border=True):
                st.markdown(summary.heading)
                for place, (label, value) in zip(st.columns(len(summary.metrics)), summary.metrics):
                    place.metric(label, value)  # a metric's value is not Markdown
                if summary.notes:
                    st.info(summary.notes, icon="🧾")
                for reading in summary.readings:
                    st.caption(reading)
                st.caption(summary.used)
                if summary.ignored:
                    st.warning(summary.ignored, icon="➖")
                else:
                    st.caption(t("upload.no_ignored"))
                if summary.warnings:
                    st.warning(summary.warnings, icon="🔍")
                st.caption(t("reading.parsed_preview"))
                st.dataframe(summary.preview, hide_index=True, width="stretch")
                if summary.coach:  # suggestions only, never a reason to refuse the file
                    with st.expander(summary.coach_title):
                        st.caption(t("upload.coach_help"))
                        widgets.table(ctx, summary.coach)
        st.success(t("upload.valid", count=len(prepared.summaries)), icon="🔎")
        st.button(f"💾 {t('upload.import_button')}", key="import_button", type="primary",
                  on_click=uploads.import_checked, args=(ctx, access, step.signature), disabled=not access.can_edit)

st.subheader(t("upload.history"))
if not view.history:
    st.caption(t("upload.history_empty"))
else:
    widgets.table(ctx, view.history)
    if view.undoable:
        with st.expander(f"↩️ {t('upload.undo_title')}", key="undo_expander"):
            st.caption(t("upload.undo_help"))
            offered = {undoable.batch: undoable for undoable in view.undoable}
            chosen = st.selectbox(t("upload.undo_batch"), list(offered), key="undo_batch",
                                  format_func=lambda batch: offered[batch].label)
            # Asked first: what the undo changes, who wrote the batch and when, then Yes or Cancel.
            if st.button(t("upload.undo_button"), key="undo_button"):
                st.session_state["_undo_asked"] = chosen
            if st.session_state.get("_undo_asked") == chosen and chosen in offered:
                st.warning(offered[chosen].changes, icon="↩️")
                yes, cancel = st.columns(2)
                if cancel.button(t("upload.undo_cancel"), key="undo_cancel"):
                    del st.session_state["_undo_asked"]
                    st.rerun()
                if yes.button(t("upload.undo_yes"), key="undo_yes", type="primary"):
                    del st.session_state["_undo_asked"]
                    try:
                        changed = ctx.store.undo(int(chosen), access)
                    except StoreError as error:
                        st.error(error.message(ctx.lang))
                    else:
                        context.data_changed()
                        st.success(t("upload.undone", batch=chosen, rows=changed))

if view.backup:
    st.subheader(t("upload.backup_title"))
    st.caption(t("upload.backup_help"))
    if st.button(t("upload.backup_prepare"), key="backup_prepare"):
        st.session_state["_backup_zip"] = backup.archive(ctx.store)
    if st.session_state.get("_backup_zip"):
        st.download_button(f"⬇️ {t('upload.backup_download')}", data=st.session_state["_backup_zip"],
                           file_name=f"okrdash-backup-{dt.date.today().isoformat()}.zip", mime="application/zip",
                           key="backup_download", on_click="ignore")

url_state.share(ctx, view.shown)
