"""The OKR editor (a team's objectives and key results as two editable tables) and the KPI
definition editor. Both only draw and report: ``okrdash.editing`` plans the rows and the save goes
through the importer and ``Store.apply`` (one batch, undoable), refused when someone changed the
same team or KPI since the editor was opened.

Numbers are typed as text in the reader's convention, as in the forms (``forms.number_field``): the
grid's number columns are text columns (a number column parses in the browser, where "4,4" is 44),
and the numbers an edit changed are listed as the file reader reads them before Save.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from okrdash import editing, formatting, readmodels
from okrdash.access import Access, Role
from okrdash.models import Cycle, Direction, KRKind, ObjectiveType
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.importing.cells import read_number
from okrdash.importing.reading import NumberFormat
from okrdash.importing.rows import number_text
from okrdash.ui import context, forms, widgets
from okrdash.ui.context import Context

if TYPE_CHECKING:
    from okrdash.store import WriteCounts

_FLASH = "_okrdash_editor_flash_{key}"
_OPENED = "_okrdash_editor_opened_{key}"


def okr_editor_key(cycle: str, team: str) -> str:
    """The editor's widget key: no user text in it (keys surface in the page's element tree)."""
    return f"okr_editor_{cycle}_{hashlib.sha1(team.encode()).hexdigest()[:12]}"


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
    key = okr_editor_key(cycle.name, team)
    # A cycle finished on the day the page shows takes no new objectives or key results (neither the
    # form nor a new grid row); its rows can still be corrected.
    running = ctx.as_of <= cycle.end_date
    if running:
        add_key_result(ctx, access, team, cycle, kpi_names, key=f"{key}_add")
    flash = st.session_state.pop(_FLASH.format(key=key), None)
    opened_key = _OPENED.format(key=key)
    # A toggle, not an expander: the tables are read (and the version remembered) only when the
    # person opens the editor, and a page visit pays nothing for them.
    if not st.toggle(f"✏️ {ctx.t('editing.okr_title')}", key=f"{key}_open", on_change=_forget, args=(key,)):
        _show(flash)
        return
    numbers = forms.typing_convention(ctx)
    if opened_key in st.session_state and st.session_state[opened_key][3] is not numbers:
        _forget(key)  # the language changed: the tables' numbers are written in the other convention
    with st.container(border=True):
        if opened_key not in st.session_state:
            # What was stored when the editor opened: the save compares the team's version with it.
            objectives, key_results = ctx.store.team_okrs(cycle.name, team)
            key_results = editing.typed_numbers(key_results, editing.KEY_RESULT_NUMBERS, numbers)
            st.session_state[opened_key] = (ctx.store.okr_version(cycle.name, team), objectives, key_results, numbers)
        version, objectives, key_results, _ = st.session_state[opened_key]
        st.caption(ctx.t("editing.okr_help"))
        label = _labels(ctx)
        st.markdown(f"**{ctx.t('editing.objectives')}**")
        edited_objectives = st.data_editor(
            objectives, key=f"{key}_objectives", num_rows="dynamic" if running else "fixed", hide_index=True,
            width="stretch",
            disabled=["id"], column_order=["title", "type", "parent_title", "owner"],
            column_config={
                "id": None,
                # Not required=True: the grid would keep a row missing a required cell to itself, unsaved
                # and gone on the next run without a word; the plan names such a row instead.
                "title": st.column_config.TextColumn(label["title"], max_chars=500),
                "type": st.column_config.SelectboxColumn(label["type"], options=[t.value for t in ObjectiveType],
                                                         default=ObjectiveType.COMMITTED.value),
                "parent_title": st.column_config.TextColumn(label["parent_title"]),
                "owner": st.column_config.TextColumn(label["owner"], help=_owners_help(ctx)),
            },
        )
        titles = [t for t in edited_objectives["title"] if isinstance(t, str) and t.strip()]
        st.markdown(f"**{ctx.t('editing.key_results')}**")
        edited_key_results = st.data_editor(
            key_results, key=f"{key}_key_results", num_rows="dynamic" if running else "fixed", hide_index=True,
            width="stretch",
            disabled=["id"],
            column_order=["objective", "title", "owner", "kind", "baseline", "target", "unit", "weight", "kpi",
                          "start_date"],
            column_config={
                "id": None,
                "objective": st.column_config.SelectboxColumn(label["objective"], options=titles),
                "title": st.column_config.TextColumn(ctx.t("common.key_result"), max_chars=500),
                "owner": st.column_config.TextColumn(label["owner"], help=_owners_help(ctx)),
                "kind": st.column_config.SelectboxColumn(label["kind"], options=[k.value for k in KRKind]),
                # Text, not NumberColumn: the browser would read "4,4" as 44 before the server sees it.
                "baseline": st.column_config.TextColumn(label["baseline"], help=ctx.t("editing.number_help")),
                "target": st.column_config.TextColumn(label["target"], help=ctx.t("editing.number_help")),
                "unit": st.column_config.TextColumn(label["unit"]),
                "weight": st.column_config.TextColumn(label["weight"], help=ctx.t("editing.number_help"),
                                                      default=number_text(1.0, numbers)),
                "kpi": st.column_config.SelectboxColumn(label["kpi"], options=kpi_names),
                "start_date": st.column_config.DateColumn(label["start_date"], help=ctx.t("editing.kr_start_help"),
                                                          min_value=cycle.start_date, max_value=cycle.end_date),
            },
        )
        plan = editing.plan_okr_edit(cycle.name, team, objectives, edited_objectives, key_results,
                                     edited_key_results, dt.date.today(), cycle.start_date, cycle.end_date, numbers)
        unread = _show_number_readings(ctx, key_results, edited_key_results)
        if plan.problems:  # half-filled rows, named before Save (which waits for them)
            form = editing.okr_form(plan, _okrs_labels(ctx))
            st.warning("  \n".join(forms.problem_line(ctx, form.relabel(p)) for p in plan.problems), icon="✍️")
        confirmed = True
        if plan.removals:
            items = ", ".join(widgets.plain(r["key_result"] or r["objective"]) for r in plan.removals)
            st.warning(ctx.t("editing.removal_warning", items=items), icon="🗑️")
            confirmed = st.checkbox(ctx.t("editing.confirm_removal", count=len(plan.removals)), key=f"{key}_confirm")
        left, right = st.columns([1, 1])
        left.button(f"💾 {ctx.t('editing.save')}", key=f"{key}_save", type="primary",
                    disabled=plan.is_empty or not confirmed or unread or bool(plan.problems), on_click=_save_okrs,
                    args=(ctx, access, team, cycle, plan, version, key))
        right.button(f"🔄 {ctx.t('editing.reload')}", key=f"{key}_reload", on_click=_forget, args=(key,))
        if plan.is_empty and flash is None:
            st.caption(ctx.t("editing.nothing_changed"))
        _show(flash)
        plan_editor(ctx, access, team, cycle, key_results, key=f"{key}_plan")


def plan_editor(ctx: Context, access: Access, team: str, cycle: Cycle, key_results: pd.DataFrame, key: str) -> None:
    """One key result's planned path: its planned values by day, saved as a plan sheet's rows are
    (editing.save_plan: the points replace the stored ones, one batch, undoable)."""
    planned_kinds = [k.value for k in KRKind if k not in (KRKind.AT_LEAST, KRKind.AT_MOST)]
    choices = key_results[key_results["kind"].isin(planned_kinds)] if len(key_results) else key_results
    if not len(choices):
        return
    st.markdown(f"**{ctx.t('editing.plan_title')}**")
    st.caption(ctx.t("editing.plan_help"))
    picked = st.selectbox(ctx.t("common.key_result"), list(range(len(choices))), index=None, key=f"{key}_pick",
                          format_func=lambda i: f"{choices.iloc[i]['objective']} · {choices.iloc[i]['title']}",
                          placeholder=ctx.t("editing.plan_pick"))
    if picked is None:
        return
    row = choices.iloc[picked]
    numbers = forms.typing_convention(ctx)
    stored = ctx.store.team_plans(cycle.name, team)
    mine = stored[(stored["objective"] == row["objective"]) & (stored["key_result"] == row["title"])]
    # Typed columns even when empty: the grid refuses a date column of an empty frame's floats.
    points = pd.DataFrame({"date": pd.Series(pd.to_datetime(list(mine["date"])), dtype="datetime64[ns]"),
                           "planned": pd.Series([number_text(float(v), numbers) for v in mine["planned"]],
                                                dtype="string")})
    editor_key = f"{key}_points_{int(row['id'])}"
    edited = st.data_editor(
        points, key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            "date": st.column_config.DateColumn(ctx.t("common.date"), min_value=cycle.start_date,
                                                max_value=cycle.end_date,
                                                format="DD/MM/YYYY" if ctx.lang == "id" else "YYYY-MM-DD"),
            # Text, not NumberColumn: the browser would read "4,4" as 44 before the server sees it.
            "planned": st.column_config.TextColumn(ctx.t("editing.planned"), help=ctx.t("editing.number_help")),
        })
    readings = [read_number(text, numbers) for text in edited["planned"] if isinstance(text, str) and text.strip()]
    if readings:
        st.caption("  \n".join(f"{ctx.t('editing.planned')}: {forms.reading_text(ctx, r)}" for r in readings if r))
    st.button(f"💾 {ctx.t('editing.plan_save')}", key=f"{key}_save", on_click=_save_plan,
              disabled=any(r is not None and r.problem is not None for r in readings),
              args=(ctx, access, team, cycle, str(row["objective"]), str(row["title"]), edited,
                    ctx.store.okr_version(cycle.name, team), key))
    _show(st.session_state.pop(_FLASH.format(key=key), None))


def _save_plan(ctx: Context, access: Access, team: str, cycle: Cycle, objective: str, key_result: str,
               points: pd.DataFrame, version: frozenset[int], key: str) -> None:
    flash = _FLASH.format(key=key)
    labels = {"date": ctx.t("common.date"), "planned": ctx.t("editing.planned"), "value": ctx.t("editing.planned")}
    written = _saved(ctx, flash, lambda: editing.save_plan(ctx.store, cycle.name, team, objective, key_result, points, version, access,
                                    labels, numbers=forms.typing_convention(ctx)))
    if written is None:
        return
    context.data_changed()
    _forget(okr_editor_key(cycle.name, team))  # the version the OKR tables were opened at moved on
    st.session_state[flash] = ("success", ctx.t("editing.plan_saved", key_result=widgets.plain(key_result),
                                                batch=written[0].batch_id) + "  \n" + ctx.t("forms.undo_hint"))


_ADD_FIELDS = ("objective", "title", "kind", "baseline", "target", "unit", "owner", "start_date")


def add_key_result(ctx: Context, access: Access, team: str, cycle: Cycle, kpi_names: list[str], key: str) -> None:
    """A small form for one key result (under an objective of the team, or a new one), saved as the
    OKR editor saves a new row: the same checks, one batch, undoable."""
    if not st.toggle(f"➕ {ctx.t('editing.add_title')}", key=f"{key}_open"):
        return
    with st.container(border=True):
        _add_fields(ctx, access, team, cycle, kpi_names, key)


@st.fragment
def _add_fields(ctx: Context, access: Access, team: str, cycle: Cycle, kpi_names: list[str], key: str) -> None:
    label = _labels(ctx)
    objectives, _ = ctx.store.team_okrs(cycle.name, team)
    st.selectbox(label["objective"], list(objectives["title"]), index=None, key=f"{key}_objective",
                 accept_new_options=True, placeholder=ctx.t("editing.add_objective_placeholder"))
    chosen = st.session_state.get(f"{key}_objective")
    if chosen and chosen not in set(objectives["title"]):
        st.radio(label["type"], [t.value for t in ObjectiveType], key=f"{key}_type", horizontal=True,
                 format_func=lambda t: ctx.t(f"objective.type_{t}"))
    st.text_input(ctx.t("common.key_result"), key=f"{key}_title", max_chars=500)
    st.selectbox(label["kind"], [k.value for k in KRKind], key=f"{key}_kind",
                 format_func=lambda k: ctx.t(f"editing.kind_{k}"))
    if st.session_state.get(f"{key}_kind") != KRKind.MILESTONE.value:
        left, right = st.columns(2)
        with left:
            forms.number_field(ctx, label["baseline"], f"{key}_baseline", help=ctx.t("editing.number_help"))
        with right:
            forms.number_field(ctx, label["target"], f"{key}_target", help=ctx.t("editing.number_help"))
        st.text_input(label["unit"], key=f"{key}_unit", placeholder=ctx.t("editing.unit_placeholder"))
    st.text_input(label["owner"], key=f"{key}_owner", help=_owners_help(ctx))
    first = min(max(dt.date.today(), cycle.start_date), cycle.end_date)
    st.date_input(label["start_date"], value=first, min_value=cycle.start_date, max_value=cycle.end_date,
                  key=f"{key}_start_date", format="DD/MM/YYYY" if ctx.lang == "id" else "YYYY-MM-DD",
                  help=ctx.t("editing.kr_start_help"))
    st.button(f"💾 {ctx.t('editing.add_save')}", key=f"{key}_save", type="primary", on_click=_save_new_key_result,
              args=(ctx, access, team, cycle, key))
    _show(st.session_state.pop(_FLASH.format(key=key), None))


def _save_new_key_result(ctx: Context, access: Access, team: str, cycle: Cycle, key: str) -> None:
    state = st.session_state
    fields = {field: state.get(f"{key}_{field}") for field in _ADD_FIELDS}
    if fields["kind"] == KRKind.MILESTONE.value:
        fields.update(baseline=None, target=None, unit=None)
    fields["start_date"] = fields["start_date"].isoformat() if fields["start_date"] else None
    # The tables as stored now, and their version: a save over someone's change in between is a conflict.
    version = ctx.store.okr_version(cycle.name, team)
    objectives, key_results = ctx.store.team_okrs(cycle.name, team)
    numbers = forms.typing_convention(ctx)
    key_results = editing.typed_numbers(key_results, editing.KEY_RESULT_NUMBERS, numbers)
    plan = editing.plan_new_key_result(cycle.name, team, objectives, key_results, fields, dt.date.today(),
                                       cycle.start_date, cycle.end_date, numbers,
                                       objective_type=state.get(f"{key}_type", ObjectiveType.COMMITTED.value))
    flash = _FLASH.format(key=key)
    written = _saved(ctx, flash, lambda: editing.save_okr_edit(ctx.store, plan, cycle.name, team, version, access, _okrs_labels(ctx)))
    if written is None:
        return
    context.data_changed()
    _forget(okr_editor_key(cycle.name, team))  # the editor's tables, if open, show the new row
    for field in ("objective", "title", "baseline", "target", "unit", "owner", "type"):
        state.pop(f"{key}_{field}", None)
    state[flash] = ("success", ctx.t("editing.added", key_result=widgets.plain(fields["title"] or ""),
                                     batch=written[0].batch_id) + "  \n" + ctx.t("forms.undo_hint"))
    st.rerun()


def _show_number_readings(ctx: Context, before: pd.DataFrame, after: pd.DataFrame) -> bool:
    """Each number cell the edit typed (a changed cell, every cell of a new row), as the file reader
    reads it, under the table; True when one cannot be read (Save waits for it to be fixed)."""
    label = _labels(ctx)
    stored = {int(row["id"]): row for row in before.to_dict("records")}
    lines, unread = [], False
    for row in after.to_dict("records"):
        row_id = row.get("id")
        old = None if row_id is None or pd.isna(row_id) else stored.get(int(row_id))  # None: a new row
        for column in editing.KEY_RESULT_NUMBERS:
            text = row.get(column)
            if not isinstance(text, str) or (old is not None and text == old[column]):
                continue
            reading = read_number(text, forms.typing_convention(ctx))
            if reading is None:
                continue
            unread = unread or reading.problem is not None
            title = row.get("title") if isinstance(row.get("title"), str) else ""
            lines.append(f"{widgets.plain(title)} · {label[column]} «{widgets.plain(text)}»: "
                         f"{forms.reading_text(ctx, reading)}")
    if lines:
        st.caption("  \n".join(lines))
    return unread


def _owners_help(ctx: Context) -> str:
    owners = readmodels.owners(ctx.store, ctx.as_of)
    return ctx.t("common.owner") + ": " + ", ".join(widgets.plain(o) for o in owners[:40]) + (" …" if len(owners) > 40 else "")


def _save_okrs(ctx: Context, access: Access, team: str, cycle: Cycle, plan: editing.OkrPlan,
               version: frozenset[int], key: str) -> None:
    flash = _FLASH.format(key=key)
    written = _saved(ctx, flash, lambda: editing.save_okr_edit(ctx.store, plan, cycle.name, team, version, access, _okrs_labels(ctx)))
    if written is None:
        return
    context.data_changed()  # titles, owners and teams can change: every view may show them
    _forget(key)
    batch = written[0]
    st.session_state[flash] = ("success", ctx.t("editing.saved", batch=batch.batch_id, inserted=batch.inserted,
                                                updated=batch.updated) + "  \n" + ctx.t("forms.undo_hint"))


_KPI_NUMBER_FIELDS = ("target", "tolerance", "min", "max")


def kpi_editor(ctx: Context, access: Access, kpi: dict[str, Any], definition: Mapping[str, Any]) -> None:
    """A KPI's target, tolerance, direction and range, starting from its stored ``definition`` (the
    scored row's target may be a period's target); editors of its team only."""
    if not access.may_edit_team(kpi["team"]):
        return
    key = f"kpi_editor_{kpi['kpi_id']}"
    with forms.lazy_expander(f"✏️ {ctx.t('editing.kpi_title')}", key, flash=_FLASH) as opened:
        if not opened:
            # Its fields are gone with it: opened again, they show the stored definition of then.
            st.session_state.pop(_OPENED.format(key=key), None)
            return
        # The stored definition, not the scored row (whose target may be a period's target).
        kpi = {**kpi, **definition}
        st.caption(ctx.t("editing.kpi_help"))
        _kpi_fields(ctx, access, kpi, key)


@st.fragment
def _kpi_fields(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    state, opened_key = st.session_state, _OPENED.format(key=key)
    numbers = forms.typing_convention(ctx)
    if opened_key in state and state[opened_key][1] is not numbers:
        # The language changed: the fields hold numbers written in the other convention.
        for name in _KPI_NUMBER_FIELDS:
            state.pop(f"{key}_{name}", None)
        state.pop(opened_key)
    if opened_key not in state:
        state[opened_key] = (ctx.store.kpi_version(kpi["team"], kpi["name"]), numbers)
    directions = [d.value for d in Direction]
    st.selectbox(ctx.t("editing.direction"), directions, index=directions.index(kpi["direction"]),
                 key=f"{key}_direction", format_func=lambda d: ctx.t(f"editing.direction_{d}"))
    unit = f" ({widgets.plain(formatting.unit_word(kpi['unit'], ctx.lang))})" if kpi["unit"] else ""  # labels render Markdown
    forms.number_field(ctx, ctx.t("editing.target") + unit, f"{key}_target", value=kpi["target"])
    forms.number_field(ctx, ctx.t("editing.tolerance"), f"{key}_tolerance", value=_tolerance(kpi, numbers),
                       help=ctx.t("editing.tolerance_help"))
    forms.number_field(ctx, ctx.t("editing.min") + unit, f"{key}_min", value=kpi["min_value"])
    forms.number_field(ctx, ctx.t("editing.max") + unit, f"{key}_max", value=kpi["max_value"])
    st.button(f"💾 {ctx.t('editing.save')}", key=f"{key}_save", type="primary", on_click=_save_kpi,
              args=(ctx, access, kpi, key))
    _show(state.pop(_FLASH.format(key=key), None))


def _tolerance(kpi: dict[str, Any], numbers: NumberFormat) -> str | None:
    """The stored tolerance as the reader types it: a share in percent ("7,5%"), else a number in the KPI's unit."""
    value = kpi["tolerance"]
    if value is None or pd.isna(value):
        return None
    if kpi["tolerance_is_share"]:
        # 0.07 * 100 is 7.000000000000001 in floating point: twelve digits are what was typed.
        return number_text(float(f"{float(value) * 100:.12g}"), numbers) + "%"
    return number_text(float(value), numbers)


def _save_kpi(ctx: Context, access: Access, kpi: dict[str, Any], key: str) -> None:
    state, flash = st.session_state, _FLASH.format(key=key)
    version, numbers = state[_OPENED.format(key=key)]
    fields = {"direction": state.get(f"{key}_direction"),
              **{name: state.get(f"{key}_{name}") for name in _KPI_NUMBER_FIELDS}}
    labels = {"direction": ctx.t("editing.direction"), "target": ctx.t("editing.target"),
              "tolerance": ctx.t("editing.tolerance"), "min": ctx.t("editing.min"), "max": ctx.t("editing.max"),
              "min_value": ctx.t("editing.min"), "max_value": ctx.t("editing.max")}
    written = _saved(ctx, flash, lambda: editing.save_kpi_definition(ctx.store, kpi["team"], kpi["name"], fields, version, access, labels,
                                              numbers=numbers))
    if written is None:
        return
    context.measurements_changed()
    state.pop(_OPENED.format(key=key), None)
    state[flash] = ("success", ctx.t("editing.kpi_saved", batch=written[0].batch_id) + "  \n" + ctx.t("forms.undo_hint"))
    st.rerun()  # the whole page: its metrics and chart show the new definition


def _saved(ctx: Context, flash: str, save: Callable[[], list[WriteCounts]]) -> list[WriteCounts] | None:
    """What ``save`` wrote; or None, with why not in the ``flash`` session key: someone changed the
    same team or KPI since it was opened (naming their batches), the importer refused, or the store did."""
    try:
        return save()
    except editing.Conflict as conflict:
        st.session_state[flash] = ("error", "  \n".join(
            [ctx.t("editing.conflict"), *(widgets.plain(line) for line in conflict.describe(ctx.t))]))
    except (ImportFailed, StoreError) as refused:
        st.session_state[flash] = ("error", forms.refusal(ctx, refused))
    return None


def _show(flash: tuple[str, str] | None) -> None:
    if flash is None:
        return
    kind, text = flash
    (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "🛑")


def people_editor(ctx: Context, access: Access, people: pd.DataFrame, labels: dict[str, str],
                  languages: dict[str, str]) -> None:
    """The people okrdash reminds as one editable table (admins): add, change and remove rows; one
    save is one batch through the importer's people checks and ``Store.apply``, undoable."""
    if access.role is not Role.ADMIN:
        return
    key = "people_editor"
    opened_key = _OPENED.format(key=key)
    flash = st.session_state.pop(_FLASH.format(key=key), None)
    if opened_key not in st.session_state:
        # What was stored when the table opened: the save compares the people's version with it.
        st.session_state[opened_key] = (ctx.store.people_version(), people)
    version, opened = st.session_state[opened_key]
    st.caption(ctx.t("people.edit_help"))
    edited = st.data_editor(
        opened, key=f"{key}_table", num_rows="dynamic", hide_index=True, width="stretch",
        column_order=["name", "email", "manager_email", "language", "team", "whatsapp"],
        column_config={
            "opened_email": None,
            # Not required=True: the grid would keep a half-filled row to itself, unsaved and gone;
            # the importer's checks name it instead.
            "name": st.column_config.TextColumn(labels["name"], max_chars=500),
            "email": st.column_config.TextColumn(labels["email"], max_chars=254),
            "manager_email": st.column_config.TextColumn(labels["manager_email"], max_chars=254),
            "language": st.column_config.SelectboxColumn(labels["language"], options=list(languages),
                                                         default="id", format_func=languages.get),
            "team": st.column_config.TextColumn(labels["team"], max_chars=500),
            "whatsapp": st.column_config.TextColumn(labels["whatsapp"], max_chars=30),
        })
    plan = editing.plan_people_edit(opened, edited)
    confirmed = True
    if plan.removed:
        st.warning(ctx.t("people.removal_warning", items=", ".join(widgets.plain(e) for e in plan.removed)), icon="🗑️")
        confirmed = st.checkbox(ctx.t("people.confirm_removal", count=len(plan.removed)), key=f"{key}_confirm")
    left, right = st.columns([1, 1])
    left.button(f"💾 {ctx.t('people.save')}", key=f"{key}_save", type="primary",
                disabled=plan.is_empty or not confirmed, on_click=_save_people,
                args=(ctx, access, plan, version, labels, key))
    right.button(f"🔄 {ctx.t('people.reload')}", key=f"{key}_reload", on_click=_forget_people, args=(key,))
    if plan.is_empty and flash is None:
        st.caption(ctx.t("people.nothing_changed"))
    _show(flash)


def _forget_people(key: str) -> None:
    for suffix in ("table", "confirm"):
        st.session_state.pop(f"{key}_{suffix}", None)
    st.session_state.pop(_OPENED.format(key=key), None)


def _save_people(ctx: Context, access: Access, plan: editing.PeoplePlan, version: frozenset[int],
                 labels: dict[str, str], key: str) -> None:
    flash = _FLASH.format(key=key)
    written = _saved(ctx, flash, lambda: editing.save_people_edit(ctx.store, plan, version, access, labels))
    if written is None:
        return
    context.data_changed()
    _forget_people(key)
    batch = written[0]
    st.session_state[flash] = ("success", ctx.t("people.saved", batch=batch.batch_id,
                                                inserted=batch.inserted, updated=batch.updated - len(plan.removed),
                                                removed=len(plan.removed)) + "  \n" + ctx.t("forms.undo_hint"))
