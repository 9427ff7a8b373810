"""The weekly check-in's fields and its one save (the view model is okrdash/views/checkin.py).

Each open key result the reader may write gets a new value (typed as text in the convention of the
reader's language and read live, as the check-in form does: ``forms.number_field``), a confidence
and a note. The fields are one fragment, so typing reruns only them; the save button's callback
writes every key result that is not left blank as one batch through ``checkins.record_weekly``
(the importer and ``Store.apply``: all or nothing, undoable) and reruns the whole page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import checkins
from okrdash.access import Access
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.ui import context, forms, widgets
from okrdash.ui.context import Context
from okrdash.views import checkin
from okrdash.views.checkin import CheckinItem, CheckinView

_FLASH = "_okrdash_weekly_flash"
_CHOSEN = "_okrdash_checkin_owner"
FIELDS = ("value", "confidence", "note")


def field_key(item: CheckinItem, name: str) -> str:
    return f"weekly_{item.key_result_id}_{name}"


def draw(ctx: Context, access: Access, view: CheckinView) -> None:
    """Every key result of the view, open ones with their fields, complete ones folded away."""
    flash = st.session_state.pop(_FLASH, None)
    if flash is not None:
        kind, text = flash
        (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "🛑")
    if view.items:
        _fields(ctx, access, view)
    if view.complete:
        with st.expander(f"🔵 {ctx.t('checkin.complete', count=len(view.complete))}"):
            for item in view.complete:
                _card(item)
    if view.follows_kpi:
        st.caption(view.follows_kpi)


def _card(item: CheckinItem) -> Any:
    box = st.container(border=True, key=f"weekly_card_{item.key_result_id}")
    box.markdown(item.heading)
    box.caption(f"{item.status}  \n{item.previous}")
    return box


@st.fragment
def _fields(ctx: Context, access: Access, view: CheckinView) -> None:
    for item in view.items:
        with _card(item):
            if not item.editable:
                continue
            if item.milestone:
                st.segmented_control(ctx.t("forms.milestone"), [1.0, 0.0], key=field_key(item, "value"),
                                     format_func=lambda v: ctx.t("forms.done") if v else ctx.t("forms.not_done"))
            else:
                forms.number_field(ctx, item.value_label, field_key(item, "value"),
                                   placeholder=ctx.t("forms.value_placeholder"))
            st.text_input(ctx.t("common.confidence"), key=field_key(item, "confidence"),
                          help=ctx.t("forms.confidence_help"), placeholder=ctx.t("forms.confidence_placeholder"))
            st.text_input(ctx.t("common.note"), key=field_key(item, "note"))
    if any(item.editable for item in view.items):
        st.button(f"💾 {ctx.t('checkin.save')}", key="weekly_save", type="primary", on_click=_save,
                  args=(ctx, access, view), width="stretch")


def _save(ctx: Context, access: Access, view: CheckinView) -> None:
    state = st.session_state
    editable = [item for item in view.items if item.editable]
    entries = [checkins.Entry(item.ref, *(state.get(field_key(item, name)) for name in FIELDS)) for item in editable]
    written = [item for item, entry in zip(editable, entries) if not entry.blank]
    assert view.day is not None and view.labels is not None
    try:
        result = checkins.record_weekly(ctx.store, entries, view.day, access, view.labels,
                                        numbers=forms.typing_convention(ctx))
    except ImportFailed as failed:
        state[_FLASH] = ("error", checkin.refusal(ctx.words, failed.problems, written))
        return
    except StoreError as refused:
        state[_FLASH] = ("error", widgets.plain(refused.message(ctx.lang)))
        return
    context.checkins_changed()
    state[_FLASH] = ("success", checkin.saved(ctx.words, len(written), result.written[0].batch_id))
    for item in editable:
        for name in FIELDS:
            state.pop(field_key(item, name), None)
    st.rerun()  # the whole page: it shows the new values and statuses


def remember_owner(owner: str | None) -> None:
    """The owner this session chose on My key results or the weekly check-in (local mode's "me")."""
    if owner:
        st.session_state[_CHOSEN] = owner


def sidebar(ctx: Context, access: Access, place: Any) -> None:
    """In ``place`` (the sidebar's): how many check-ins I owe this week, linking to my weekly check-in."""
    if ctx.outage is not None:
        return
    link = checkin.owed(ctx.store, ctx.scope, access, st.session_state.get(_CHOSEN))
    if link is not None:
        widgets.page_link(link, place)
