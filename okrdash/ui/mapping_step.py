"""The Upload page's mapping step (views/mapping.py), drawn: the answers live in the session as one
Mapping, changed by each field's callback, so the check that follows a change already reads the
file with them (ui/uploads.step keys its dry run by them)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from okrdash.access import Access
from okrdash.importing.mapping import NO_MAPPING, Mapping, MappingError, check, kind_named, save, saved_for
from okrdash.importing.peek import file_columns
from okrdash.markdown import plain
from okrdash.problems import Problem
from okrdash.store import StoreError
from okrdash.ui.context import Context
from okrdash.views import mapping as mapping_view

_MAPPING = "_upload_mapping"
_RECALLED = "_upload_mapping_recalled"  # (files' signature, the saved mapping's name or None) looked up


def current(files: list[Any]) -> Mapping:
    """The answers given for these files (none once the files are gone)."""
    if not files:
        st.session_state.pop(_MAPPING, None)
        st.session_state.pop(_RECALLED, None)
    return st.session_state.get(_MAPPING, NO_MAPPING)


def recall(ctx: Context, files: list[Any], signature: tuple, problems: list[Problem] | None) -> None:
    """Files the reader asks about, given no answers yet: when their headers are those of a saved
    mapping, the check runs again with it (once per files; the page then says which one it was)."""
    if (not files or not problems or _answers() != NO_MAPPING
            or st.session_state.get(_RECALLED, (None,))[0] == signature):
        return
    found = file_columns(files[0].name, files[0].getvalue(), NO_MAPPING)
    saved = saved_for(ctx.store, [c.header for c in found[0].columns]) if found else None
    st.session_state[_RECALLED] = (signature, saved[0] if saved else None)
    if saved is not None:
        st.session_state[_MAPPING] = saved[1]
        st.rerun()


def recalled() -> str | None:
    """The name of the saved mapping the files are read with, if they are."""
    return st.session_state.get(_RECALLED, (None, None))[1]


def _answers() -> Mapping:
    return st.session_state.get(_MAPPING, NO_MAPPING)


def _set(ctx: Context, changed: Mapping) -> None:
    try:
        check(changed)
    except MappingError as error:
        st.session_state["_upload_mapping_error"] = error.message(ctx.lang)
        return
    st.session_state.pop("_upload_mapping_error", None)
    st.session_state[_MAPPING] = changed


def _kind(ctx: Context, key: str) -> None:
    value = st.session_state.get(key) or ""
    _set(ctx, replace(_answers(), kind=kind_named(value) if value else None))


def _column(ctx: Context, key: str, header: str) -> None:
    value = st.session_state.get(key) or ""
    answers = _answers()
    columns = tuple((h, m) for h, m in answers.columns if h != header)
    metrics = tuple(m for m in answers.metrics if m != header)
    if value == mapping_view.METRIC:
        metrics += (header,)
    elif value:
        columns += ((header, value),)
    _set(ctx, replace(answers, columns=columns, metrics=metrics))


def _field(ctx: Context, key: str, column: str) -> None:
    value = (st.session_state.get(key) or "").strip()
    answers = _answers()
    values = tuple((c, v) for c, v in answers.values if c != column) + (((column, value),) if value else ())
    _set(ctx, replace(answers, values=values))


def _sheets(ctx: Context, key: str, every: tuple[str, ...]) -> None:
    chosen = tuple(st.session_state.get(key) or ())
    _set(ctx, replace(_answers(), sheets=() if set(chosen) == set(every) else chosen))


def _header_row(ctx: Context, key: str) -> None:
    _set(ctx, replace(_answers(), header_row=int(st.session_state.get(key) or 1)))


def draw(ctx: Context, access: Access, files: list[Any], problems: list[Problem] | None) -> None:
    """The step, when a problem it answers was found or answers were given."""
    answers = current(files)
    if not files or not mapping_view.wanted(problems, answers):
        return
    found = [c for f in files for c in file_columns(f.name, f.getvalue(), answers)]
    view = mapping_view.step(ctx.words, found, answers)
    with st.container(border=True, key="mapping_step"):
        st.subheader(view.title)
        st.markdown(view.help)
        kinds = {k: ctx.t(f"upload.kind_{k}") if k else ctx.t("upload.mapping_kind_as_read") for k in view.kinds}
        st.selectbox(view.kind_label, view.kinds, index=view.kinds.index(view.kind), key="mapping_kind",
                     format_func=kinds.get, on_change=_kind, args=(ctx, "mapping_kind"))
        if len(view.sheets) > 1:
            st.multiselect(view.sheets_label, view.sheets, default=list(view.sheets_chosen), key="mapping_sheets",
                           on_change=_sheets, args=(ctx, "mapping_sheets", view.sheets))
        st.number_input(view.header_row_label, min_value=1, max_value=50, step=1, value=view.header_row,
                        key="mapping_header_row", on_change=_header_row, args=(ctx, "mapping_header_row"))
        for heading, choices in view.files:
            st.markdown(heading)
            for choice in choices:
                st.selectbox(choice.label, choice.options, index=choice.options.index(choice.chosen)
                             if choice.chosen in choice.options else 0, key=choice.key,
                             format_func=lambda option, labels=choice.option_labels: labels.get(option, option),
                             on_change=_column, args=(ctx, choice.key, choice.header))
        for column, label, value in view.fields:
            st.text_input(label, value=value, key=f"mapping_field_{column}", on_change=_field,
                          args=(ctx, f"mapping_field_{column}", column))
        error = st.session_state.get("_upload_mapping_error")
        if error:
            st.error(error, icon="🛑")
        name = recalled()
        if name and answers == st.session_state.get(_MAPPING):
            st.info(ctx.t("upload.mapping_recalled", name=plain(name)), icon="🗂️")
        if answers != NO_MAPPING and access.can_edit and found:
            st.text_input(ctx.t("upload.mapping_name"), key="mapping_name")
            if st.button(ctx.t("upload.mapping_save"), key="mapping_save"):
                headers = tuple(c.header for c in found[0].columns)
                try:
                    name = save(ctx.store, st.session_state.get("mapping_name") or files[0].name,
                                replace(answers, headers=headers), access)
                except (MappingError, StoreError) as error:
                    st.error(error.message(ctx.lang), icon="🛑")
                else:
                    st.success(ctx.t("upload.mapping_saved", name=plain(name)), icon="💾")
        if answers != NO_MAPPING:
            st.download_button(f"⬇️ {view.download_label}", data=view.toml.encode("utf-8"),
                               file_name="okrdash-mapping.toml", mime="application/toml",
                               key="mapping_download", on_click="ignore")

