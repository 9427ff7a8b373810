"""The browser's ways in: the check-in form and the KPI measurement form.

Each form becomes rows of a file kind (``okrdash.checkins``) and goes through the importer and
``Store.apply`` like an upload; this module only draws fields and reports. A number is typed as
text in the convention of the reader's language ("6,5" in Indonesian, "6.5" in English: a number
input would turn "6,5" into 65 in the browser) and read by the file reader; what it reads is shown
under the field before anything is saved (:func:`number_field`). The fields are a fragment, not an
``st.form``: a form holds its values until submit, so it could not show the reading; a fragment
reruns only itself when a field commits. Saving runs in the save button's callback, which reruns
the whole page (``st.rerun`` from a callback), so the page shows the new value, status and burn-up
point in the same run. Only the caches that show the changed data are cleared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import checkins, formatting
from okrdash.access import Access
from okrdash.i18n import format_number, translate
from okrdash.importing.cells import CellReading, read_number
from okrdash.importing.reading import NumberFormat
from okrdash.importing.rows import number_text, typed_problem
from okrdash.problems import ImportFailed, Problem
from okrdash.store import StoreError
from okrdash.ui import context, widgets
from okrdash.ui.context import Context

_FLASH = "_okrdash_form_flash_{key}"


def typing_convention(ctx: Context) -> NumberFormat:
    """How the reader writes numbers: the convention of the language they read the page in."""
    return NumberFormat.ID if ctx.lang == "id" else NumberFormat.EN


def number_field(ctx: Context, label: str, key: str, *, value: float | str | None = None, **text_args: Any) -> None:
    """A number typed as text and, under it, what the file reader reads in it: "Read as 6,5", or why
    it cannot be read. ``value`` is what the field starts with: a stored number (written in the
    reader's convention) or a text. The field commits after a pause in typing (``live``), so the
    reading follows as the person types."""
    initial = value if value is None or isinstance(value, str) else (
        None if pd.isna(value) else number_text(float(value), typing_convention(ctx)))
    st.text_input(label, value=initial, key=key, live=True, **text_args)
    reading_caption(ctx, st.session_state.get(key))


def reading_caption(ctx: Context, text: object) -> None:
    """What the file reader makes of ``text`` in the reader's convention, as a caption (nothing for a blank)."""
    reading = None if text is None else read_number(str(text), typing_convention(ctx))
    if reading is not None:
        st.caption(reading_text(ctx, reading))


def reading_text(ctx: Context, reading: CellReading) -> str:
    """ "Read as 6,5" (a share typed with % keeps it: "Read as 10%"), or "⚠️ Not read: why", escaped."""
    numbers = typing_convention(ctx)
    if reading.problem is None:
        percent = "%" if reading.text.strip().endswith("%") else ""
        return ctx.t("forms.read_as", value=widgets.plain(number_text(reading.value, numbers) + percent))
    code, params = typed_problem(reading.problem, {}, numbers)
    return "⚠️ " + ctx.t("forms.not_read", message=widgets.plain(translate(f"problem.{code}", ctx.lang, **params)))


def checkin_form(ctx: Context, access: Access, key_results: list[dict[str, Any]], key: str) -> None:
    """A check-in for one of ``key_results`` this person may write. A key result linked to a KPI
    follows its KPI's measurements: it is not offered, and the form says so. Drawn for editors only."""
    editable = [kr for kr in key_results if access.may_edit_team(kr["team"])]
    writable = [kr for kr in editable if kr["kpi_id"] is None]
    linked = [kr for kr in editable if kr["kpi_id"] is not None]
    if not editable:
        return
    with lazy_expander(f"✍️ {ctx.t('forms.checkin_title')}", key) as opened:
        if opened and writable:
            _checkin_fields(ctx, access, writable, key)
        if opened and linked:
            followed = ", ".join(f"{widgets.plain(kr['title'])} → {widgets.plain(kr['kpi_name'] or '')}"
                                 for kr in linked)
            st.caption(ctx.t("forms.follows_kpi", count=len(linked), items=followed))


@contextmanager
def lazy_expander(label: str, key: str, flash: str = _FLASH) -> Iterator[bool]:
    """An expander whose body is drawn only while it is open: yields whether it is. A closed form
    costs the browser one element instead of a dozen (each a delta, a React subtree and widget code
    to fetch; docs/scaling.md, issue 27). Opening or closing it reruns the page. Keyed, so an open
    form stays open when what is drawn above it changes. A form with a message still to show (the
    session key ``flash`` names) opens: the page between the save and it may not have drawn the
    form (an outage page), and Streamlit forgets the state of an expander a run did not draw."""
    if st.session_state.get(flash.format(key=key)) is not None:
        st.session_state[expander_key(key)] = True
    with st.expander(label, key=expander_key(key), on_change="rerun") as expander:
        yield bool(expander.open)


def expander_key(key: str) -> str:
    """The session state key of form ``key``'s expander: True while it is open."""
    return f"{key}_expander"


def first_due(key_results: list[dict[str, Any]], as_of: dt.date) -> int:
    """Where the check-in list opens: the first key result not complete and not checked in this week
    (the week of ``as_of``, from Monday), else the first not complete, else the first."""
    week_start = as_of - dt.timedelta(days=as_of.weekday())
    open_ = [i for i, kr in enumerate(key_results) if kr.get("status") != "Complete"]
    due = [i for i in open_ if kr_last_checkin(key_results[i]) is None or kr_last_checkin(key_results[i]) < week_start]
    return (due or open_ or [0])[0]


def kr_last_checkin(kr: dict[str, Any]) -> dt.date | None:
    day = kr.get("last_checkin")
    if day is None or pd.isna(day):
        return None
    return day.date() if isinstance(day, dt.datetime) else day


def _previous_checkin(ctx: Context, kr: dict[str, Any]) -> str:
    """The last value, its date and note, for beside the new one; or that there is none yet."""
    last = kr["last_checkin_row"]  # the view model's (readmodels.with_last_checkins)
    if last is None:
        return ctx.t("forms.no_previous")
    value = widgets.plain(formatting.amount(float(last["value"]), kr.get("unit"), ctx.lang))
    text = ctx.t("forms.previous", value=value, date=formatting.date(last["date"], ctx.lang))
    note = last["note"]
    if isinstance(note, str) and note.strip():
        text += f" · «{widgets.plain(note)}»"
    return text


@st.fragment
def _checkin_fields(ctx: Context, access: Access, writable: list[dict[str, Any]], key: str) -> None:
    by_id = {int(kr["key_result_id"]): kr for kr in writable}
    if len(by_id) > 1:
        chosen = st.selectbox(ctx.t("common.key_result"), list(by_id), key=f"{key}_kr",
                              index=first_due(writable, ctx.as_of), format_func=lambda i: by_id[i]["title"])
    else:
        chosen = next(iter(by_id))
    kr = by_id[int(chosen)]
    st.caption(_previous_checkin(ctx, kr))
    first_day, last_day = kr["cycle_start"], kr["end_date"]
    if kr["kind"] == "milestone":
        st.radio(ctx.t("forms.milestone"), [1.0, 0.0], key=f"{key}_value", horizontal=True,
                 format_func=lambda v: ctx.t("forms.done") if v else ctx.t("forms.not_done"))
    else:
        unit = f" ({widgets.plain(formatting.unit_word(kr['unit'], ctx.lang))})" if kr["unit"] else ""  # labels render Markdown
        number_field(ctx, ctx.t("forms.value") + unit, f"{key}_value", placeholder=ctx.t("forms.value_placeholder"))
    # Today, unless the page shows an earlier day: a check-in after it would not show. No bounds on
    # the widget: Streamlit would replace a day outside them with this default; the save refuses it.
    st.date_input(ctx.t("common.date"), value=min(max(min(dt.date.today(), ctx.as_of), first_day), last_day),
                  key=f"{key}_date", format="DD/MM/YYYY" if ctx.lang == "id" else "YYYY-MM-DD")
    st.text_input(ctx.t("common.confidence"), key=f"{key}_confidence", help=ctx.t("forms.confidence_help"),
                  placeholder=ctx.t("forms.confidence_placeholder"))
    st.text_area(ctx.t("common.note"), key=f"{key}_note", height=68)
    st.button(f"💾 {ctx.t('forms.save_checkin')}", key=f"{key}_save", type="primary", on_click=_save_checkin,
              args=(ctx, access, kr, key))
    _show_flash(ctx, key, by_id)


def _save_checkin(ctx: Context, access: Access, kr: dict[str, Any], key: str) -> None:
    state = st.session_state
    ref = checkins.KeyResultRef(kr["cycle"], kr["team"], kr["objective"], kr["title"])
    labels = _labels(ctx, value="forms.value", date="common.date", confidence="common.confidence",
                     note="common.note", key_result="common.key_result", team="common.team")
    try:
        result = checkins.record_checkin(ctx.store, ref, state.get(f"{key}_value"), state.get(f"{key}_date"),
                                         state.get(f"{key}_confidence"), state.get(f"{key}_note"), access, labels,
                                         numbers=typing_convention(ctx), within=(kr["cycle_start"], kr["end_date"]))
    except (ImportFailed, StoreError) as refused:
        state[_FLASH.format(key=key)] = ("error", refusal(ctx, refused))
        return  # the fragment draws the refusal; nothing else changed
    context.checkins_changed()
    # The message is written when the form is drawn again, from the page's fresh scores.
    state[_FLASH.format(key=key)] = ("saved", (int(kr["key_result_id"]), result.written[0].batch_id))
    for field in ("value", "confidence", "note"):
        state.pop(f"{key}_{field}", None)
    st.rerun()  # the whole page, not only the fragment: it shows the new value and status


def measurement_form(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    """A new measurement (value, date, optional period target) of one KPI; editors of its team only."""
    if not access.may_edit_team(kpi["team"]):
        return
    with lazy_expander(f"✍️ {ctx.t('forms.measurement_title')}", key) as opened:
        if opened:
            _measurement_fields(ctx, access, kpi, key)


@st.fragment
def _measurement_fields(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    unit = f" ({widgets.plain(formatting.unit_word(kpi['unit'], ctx.lang))})" if kpi["unit"] else ""  # labels render Markdown
    number_field(ctx, ctx.t("forms.value") + unit, f"{key}_value", placeholder=ctx.t("forms.value_placeholder"))
    st.date_input(ctx.t("common.date"), value=min(dt.date.today(), ctx.as_of), key=f"{key}_date",
                  format="DD/MM/YYYY" if ctx.lang == "id" else "YYYY-MM-DD")
    number_field(ctx, ctx.t("forms.period_target") + unit, f"{key}_target", help=ctx.t("forms.period_target_help"))
    st.button(f"💾 {ctx.t('forms.save_measurement')}", key=f"{key}_save", type="primary",
              on_click=_save_measurement, args=(ctx, access, kpi, key))
    _show_flash(ctx, key)


def _save_measurement(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    state = st.session_state
    labels = _labels(ctx, value="forms.value", date="common.date", target="forms.period_target",
                     kpi="common.kpi", team="common.team")
    try:
        result = checkins.record_measurement(ctx.store, kpi["team"], kpi["name"], state.get(f"{key}_value"),
                                             state.get(f"{key}_date"), state.get(f"{key}_target"), access, labels,
                                             numbers=typing_convention(ctx))
    except (ImportFailed, StoreError) as refused:
        state[_FLASH.format(key=key)] = ("error", refusal(ctx, refused))
        return
    context.measurements_changed()
    state[_FLASH.format(key=key)] = ("success", ctx.t("forms.measurement_saved", kpi=widgets.plain(kpi["name"]),
                                                      batch=result.written[0].batch_id))
    for field in ("value", "target"):
        state.pop(f"{key}_{field}", None)
    st.rerun()


def _labels(ctx: Context, **keys: str) -> dict[str, str]:
    """Canonical column -> the field's label in the reader's language (problems name the field)."""
    return {column: ctx.t(key) for column, key in keys.items()}


def refusal(ctx: Context, refused: ImportFailed | StoreError) -> str:
    if isinstance(refused, StoreError):
        return widgets.plain(refused.message(ctx.lang))
    return "  \n".join([ctx.t("forms.nothing_saved"), *(problem_line(ctx, p) for p in refused.problems)])


def problem_line(ctx: Context, problem: Problem) -> str:
    """'**Confidence** "sangat": message' — the field, the value typed and why, escaped for Markdown."""
    where = f"**{widgets.plain(problem.column)}**" if problem.column else ""
    if problem.line is not None:
        where = f"{ctx.t('forms.row', row=problem.line)} {where}".strip()
    value = f" «{widgets.plain(problem.value)}»" if problem.value not in (None, "") else ""
    return f"{where}{value}: {widgets.plain(problem.message(ctx.lang))}" if where or value else \
        widgets.plain(problem.message(ctx.lang))


def _show_flash(ctx: Context, key: str, key_results: dict[int, dict[str, Any]] | None = None) -> None:
    flash = st.session_state.pop(_FLASH.format(key=key), None)
    if flash is None:
        return
    kind, text = flash
    if kind == "saved" and key_results is not None:
        kr_id, batch = text
        now = key_results.get(kr_id)
        if now is None:
            return
        kind, text = "success", ctx.t(
            "forms.checkin_saved", key_result=widgets.plain(now["title"]), batch=batch,
            value=format_number(None if pd.isna(now["current"]) else float(now["current"]), ctx.lang),
            unit=widgets.plain(formatting.unit_word(now["unit"], ctx.lang)), status=widgets.status_label(ctx, now["status"]))
    if kind == "success":
        st.success(text + "  \n" + ctx.t("forms.undo_hint"), icon="✅")
    else:
        st.error(text, icon="🛑")
