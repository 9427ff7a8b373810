"""The OKR editor (a team's objectives and key results as two editable tables) and the KPI
definition editor. Both only draw and report: ``okrdash.editing`` plans the rows and the save goes
through the importer and ``Store.apply`` (one batch, undoable), refused when someone changed the
same team or KPI since the editor was opened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import editing
from okrdash.access import Access
from okrdash.models import Cycle, Direction, KRKind, ObjectiveType
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.ui import context, forms, widgets
from okrdash.ui.context import Context

_FLASH = "_okrdash_editor_flash_{key}"
_OPENED = "_okrdash_editor_opened_{key}"


def _labels(ctx: Context) -> dict[str, str]:
    """Editor column (and okrs column) -> label in the reader's language."""
    names = {"title": "editing.title", "type": "editing.type", "parent_title": "editing.parent",
             "owner": "editing.owner", "objective": "editing.objective", "kind": "editing.kind",
             "baseline": "editing.baseline", "target": "editing.target", "unit": "editing.unit",
             "weight": "editing.weight", "kpi": "editing.kpi", "start_date": "editing.kr_start"}
    return {column: ctx.t(key) for column, key in names.items()}


def _okrs_labels(ctx: Context) -> dict[str, str]:
    """okrs file column -> the editor's label, for the problems of a save."""
    label = _labels(ctx)
    return {"objective": label["objective"], "objective_type": label["type"],
            "parent_objective": label["parent_title"], "objective_owner": label["owner"],
            "key_result": ctx.t("common.key_result"), "owner": label["owner"], "kind": label["kind"],
            "baseline": label["baseline"], "target": label["target"], "unit": label["unit"],
            "weight": label["weight"], "kpi": label["kpi"], "kr_start": label["start_date"],
            "team": ctx.t("common.team"), "cycle": ctx.t("filter.cycle")}


def _forget(key: str) -> None:
    for suffix in ("objectives", "key_results", "confirm"):
        st.session_state.pop(f"{key}_{suffix}", None)
    st.session_state.pop(_OPENED.format(key=key), None)


def okr_editor(ctx: Context, access: Access, team: str, cycle: Cycle, kpi_names: list[str]) -> None:
    """The team's OKRs of ``cycle`` as two editable tables; editors of the team only."""
    if not access.may_edit_team(team):
        return
    key = f"okr_editor_{cycle.name}_{team}"
    flash = st.session_state.pop(_FLASH.format(key=key), None)
    opened_key = _OPENED.format(key=key)
    # A toggle, not an expander: the tables are read (and the version remembered) only when the
    # person opens the editor, and a page visit pays nothing for them.
    if not st.toggle(f"✏️ {ctx.t('editing.okr_title')}", key=f"{key}_open", on_change=_forget, args=(key,)):
        _show(flash)
        return
    with st.container(border=True):
        if opened_key not in st.session_state:
            # What was stored when the editor opened: the save compares the team's version with it.
            objectives, key_results = ctx.store.team_okrs(cycle.name, team)
            st.session_state[opened_key] = (ctx.store.okr_version(cycle.name, team), objectives, key_results)
        version, objectives, key_results = st.session_state[opened_key]
        st.caption(ctx.t("editing.okr_help"))
        label = _labels(ctx)
        st.markdown(f"**{ctx.t('editing.objectives')}**")
        edited_objectives = st.data_editor(
            objectives, key=f"{key}_objectives", num_rows="dynamic", hide_index=True, width="stretch",
            disabled=["id"], column_order=["title", "type", "parent_title", "owner"],
            column_config={
                "id": None,
                "title": st.column_config.TextColumn(label["title"], required=True, max_chars=500),
                "type": st.column_config.SelectboxColumn(label["type"], options=[t.value for t in ObjectiveType],
                                                         default=ObjectiveType.COMMITTED.value),
                "parent_title": st.column_config.TextColumn(label["parent_title"]),
                "owner": st.column_config.TextColumn(label["owner"], help=_owners_help(ctx)),
            },
        )
        titles = [t for t in edited_objectives["title"] if isinstance(t, str) and t.strip()]
        st.markdown(f"**{ctx.t('editing.key_results')}**")
        edited_key_results = st.data_editor(
            key_results, key=f"{key}_key_results", num_rows="dynamic", hide_index=True, width="stretch",
            disabled=["id"],
            column_order=["objective", "title", "owner", "kind", "baseline", "target", "unit", "weight", "kpi",
                          "start_date"],
            column_config={
                "id": None,
                "objective": st.column_config.SelectboxColumn(label["objective"], options=titles, required=True),
                "title": st.column_config.TextColumn(ctx.t("common.key_result"), required=True, max_chars=500),
                "owner": st.column_config.TextColumn(label["owner"], help=_owners_help(ctx)),
                "kind": st.column_config.SelectboxColumn(label["kind"], options=[k.value for k in KRKind]),
                "baseline": st.column_config.NumberColumn(label["baseline"]),
                "target": st.column_config.NumberColumn(label["target"]),
                "unit": st.column_config.TextColumn(label["unit"]),
                "weight": st.column_config.NumberColumn(label["weight"], min_value=0, default=1.0),
                "kpi": st.column_config.SelectboxColumn(label["kpi"], options=kpi_names),
                "start_date": st.column_config.DateColumn(label["start_date"], help=ctx.t("editing.kr_start_help"),
                                                          min_value=cycle.start_date, max_value=cycle.end_date),
            },
        )
        plan = editing.plan_okr_edit(cycle.name, team, objectives, edited_objectives, key_results,
                                     edited_key_results, dt.date.today(), cycle.start_date, cycle.end_date)
        confirmed = True
        if plan.removals:
            items = ", ".join(widgets.plain(r["key_result"] or r["objective"]) for r in plan.removals)
            st.warning(ctx.t("editing.removal_warning", items=items), icon="🗑️")
            confirmed = st.checkbox(ctx.t("editing.confirm_removal", count=len(plan.removals)), key=f"{key}_confirm")
        left, right = st.columns([1, 1])
        left.button(f"💾 {ctx.t('editing.save')}", key=f"{key}_save", type="primary",
                    disabled=plan.is_empty or not confirmed, on_click=_save_okrs,
                    args=(ctx, access, team, cycle, plan, version, key))
        right.button(f"🔄 {ctx.t('editing.reload')}", key=f"{key}_reload", on_click=_forget, args=(key,))
        if plan.is_empty and flash is None:
            st.caption(ctx.t("editing.nothing_changed"))
        _show(flash)


def _owners_help(ctx: Context) -> str:
    owners = context.owners(ctx.store)
    return ctx.t("common.owner") + ": " + ", ".join(owners[:40]) + (" …" if len(owners) > 40 else "")


def _save_okrs(ctx: Context, access: Access, team: str, cycle: Cycle, plan: editing.OkrPlan,
               version: frozenset[int], key: str) -> None:
    flash = _FLASH.format(key=key)
    try:
        written = editing.save_okr_edit(ctx.store, plan, cycle.name, team, version, access, _okrs_labels(ctx))
    except editing.Conflict as conflict:
        st.session_state[flash] = ("error", "  \n".join(
            [ctx.t("editing.conflict"), *(widgets.plain(line) for line in conflict.describe(ctx.t))]))
        return
    except (ImportFailed, StoreError) as refused:
        st.session_state[flash] = ("error", forms.refusal(ctx, refused))
        return
    context.data_changed()  # titles, owners and teams can change: every view may show them
    _forget(key)
    batch = written[0]
    st.session_state[flash] = ("success", ctx.t("editing.saved", batch=batch.batch_id, inserted=batch.inserted,
                                                updated=batch.updated) + "  \n" + ctx.t("forms.undo_hint"))


def kpi_editor(ctx: Context, access: Access, kpi: dict[str, Any]) -> None:
    """A KPI's target, tolerance, direction and range; editors of its team only."""
    if not access.may_edit_team(kpi["team"]):
        return
    key = f"kpi_editor_{kpi['kpi_id']}"
    # The stored definition, not the scored row (whose target may be a period's target).
    kpi = {**kpi, **next(d for d in ctx.store.kpi_definitions() if (d["team"], d["name"]) == (kpi["team"], kpi["name"]))}
    flash = st.session_state.pop(_FLASH.format(key=key), None)
    opened_key = _OPENED.format(key=key)
    with st.expander(f"✏️ {ctx.t('editing.kpi_title')}", expanded=flash is not None):
        if opened_key not in st.session_state:
            st.session_state[opened_key] = ctx.store.kpi_version(kpi["team"], kpi["name"])
        st.caption(ctx.t("editing.kpi_help"))
        with st.form(f"{key}_form", border=False):
            directions = [d.value for d in Direction]
            st.selectbox(ctx.t("editing.direction"), directions, index=directions.index(kpi["direction"]),
                         key=f"{key}_direction", format_func=lambda d: ctx.t(f"editing.direction_{d}"))
            unit = f" ({widgets.plain(kpi['unit'])})" if kpi["unit"] else ""  # labels render Markdown
            st.number_input(ctx.t("editing.target") + unit, value=_number(kpi["target"]), key=f"{key}_target",
                            format="%g", step=1.0)
            st.text_input(ctx.t("editing.tolerance"), value=_tolerance(kpi), key=f"{key}_tolerance",
                          help=ctx.t("editing.tolerance_help"))
            st.number_input(ctx.t("editing.min") + unit, value=_number(kpi["min_value"]), key=f"{key}_min",
                            format="%g", step=1.0)
            st.number_input(ctx.t("editing.max") + unit, value=_number(kpi["max_value"]), key=f"{key}_max",
                            format="%g", step=1.0)
            st.form_submit_button(f"💾 {ctx.t('editing.save')}", type="primary", on_click=_save_kpi,
                                  args=(ctx, access, kpi, key))
        _show(flash)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _tolerance(kpi: dict[str, Any]) -> str:
    value = kpi["tolerance"]
    if value is None or pd.isna(value):
        return ""
    return f"{float(value) * 100:g}%" if kpi["tolerance_is_share"] else f"{float(value):g}"


def _save_kpi(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    state, flash = st.session_state, _FLASH.format(key=key)
    fields = {"direction": state.get(f"{key}_direction"), "target": state.get(f"{key}_target"),
              "tolerance": state.get(f"{key}_tolerance"), "min": state.get(f"{key}_min"),
              "max": state.get(f"{key}_max")}
    labels = {"direction": ctx.t("editing.direction"), "target": ctx.t("editing.target"),
              "tolerance": ctx.t("editing.tolerance"), "min": ctx.t("editing.min"), "max": ctx.t("editing.max"),
              "min_value": ctx.t("editing.min"), "max_value": ctx.t("editing.max")}
    try:
        written = editing.save_kpi_definition(ctx.store, kpi["team"], kpi["name"], fields,
                                              state[_OPENED.format(key=key)], access, labels)
    except editing.Conflict as conflict:
        state[flash] = ("error", "  \n".join(
            [ctx.t("editing.conflict"), *(widgets.plain(line) for line in conflict.describe(ctx.t))]))
        return
    except (ImportFailed, StoreError) as refused:
        state[flash] = ("error", forms.refusal(ctx, refused))
        return
    context.measurements_changed()
    state.pop(_OPENED.format(key=key), None)
    state[flash] = ("success", ctx.t("editing.kpi_saved", batch=written[0].batch_id) + "  \n" + ctx.t("forms.undo_hint"))


def _show(flash: tuple[str, str] | None) -> None:
    if flash is None:
        return
    kind, text = flash
    (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "🛑")
