"""The browser's forms through AppTest: check-in (team and objective pages) and KPI measurement.

Each form's save is an import: a valid one writes one batch and the page shows the new value and
status in the same run; an invalid one names the field and writes nothing; a viewer and an editor
of another team see no form, and the store refuses them whatever the page does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okrdash.access import Access, Role
from okrdash.i18n import translate
from okrdash.store import open_store
from okrdash.ui.forms import expander_key
from tests.pages.conftest import AS_OF, CYCLE
from tests.pages.test_upload import counts
from tests.helpers.html_tables import shown_tables

TEAM = "pages/team.py"
OBJECTIVE = "pages/objective.py"
KPIS = "pages/kpis.py"
UPTIME = "Raise API uptime from 99.5% to 99.9%"
VIEWER = Access(role=Role.VIEWER, who="tamu@contoh.co.id", mode="oidc")
SALES_EDITOR = Access(role=Role.EDITOR, who="rina@contoh.co.id", teams=frozenset({"Sales"}), mode="oidc")
ENGINEERING_EDITOR = Access(role=Role.EDITOR, who="rizky@contoh.co.id", teams=frozenset({"Engineering"}), mode="oidc")


def stored_checkins(db: Path, title: str) -> list[tuple]:
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return cur.execute(
                """SELECT c.date, c.value, c.confidence, c.note, b.file_name, b.imported_by
                   FROM checkins c JOIN key_results k ON k.id = c.key_result_id JOIN batches b ON b.id = c.batch_id
                   WHERE k.title = ? ORDER BY c.date, c.seq""", [title]).fetchall()
    finally:
        store.close()


def key_result_id(db: Path, title: str) -> int:
    return key_result_ids(db, title)[0]


def key_result_ids(db: Path, title: str) -> tuple[int, int]:
    """The key result's id and its objective's."""
    store = open_store(db)
    try:
        with store.cursor() as cur:
            return cur.execute("SELECT id, objective_id FROM key_results WHERE title = ?", [title]).fetchall()[0]
    finally:
        store.close()


def open_form(app, key: str):
    """Open form ``key``'s expander, as a click on its heading does (the browser sends the expander's
    new state), and run the page: a closed form's fields are not drawn."""
    app.session_state[expander_key(key)] = True
    return app.run()


def form_keys(app, title: str) -> list[str]:
    """The keys of the page's forms whose expander is titled ``title``, in page order (an expander's
    element id ends with its key: ``$$ID-<hash>-<form key>_expander``)."""
    return [e.proto.id.split("-", 2)[2].removesuffix("_expander") for e in app.expander if title in e.label]


def check_in_fields(app) -> list[str]:
    """The keys of the check-in forms' fields on the page."""
    return [field.key for field in [*app.selectbox, *app.text_input, *app.text_area, *app.date_input, *app.radio]
            if field.key and field.key.startswith("checkin_")]


def uptime_form(app, db: Path) -> str:
    """The key of the team page's check-in form that offers the uptime key result, opened as a person
    opens it (under its objective's card), with the uptime key result picked."""
    wanted, objective_id = key_result_ids(db, UPTIME)
    key = f"checkin_{objective_id}"
    open_form(app, key)
    box = app.selectbox(key=f"{key}_kr")
    assert UPTIME in box.options
    box.select(wanted).run()
    return key


def submit(app, form: str):
    """Click the form's save button (``form``: the form's key) and run the page."""
    app.button(key=f"{form}_save").click()
    return app.run()


def type_into(app, key: str, text: str):
    """Type ``text`` into the text field ``key`` and let the page read it (the field commits)."""
    app.text_input(key=key).input(text)
    return app.run()


def key_result_row(app, title: str) -> dict:
    for frame in shown_tables(app):
        table = frame
        if "Key result" in table.columns and title in set(table["Key result"]):
            return table[table["Key result"] == title].iloc[0].to_dict()
    raise AssertionError(f"{title} is not shown")


def test_check_in_from_the_team_page_shows_the_new_value_and_status_at_once(demo_db, make_app):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert not app.exception
    before = key_result_row(app, UPTIME)
    assert before["Status"] == "🔴 Off Track"
    history = stored_checkins(demo_db, UPTIME)
    key = uptime_form(app, demo_db)
    app.text_input(key=f"{key}_value").input("99.9")
    app.text_input(key=f"{key}_confidence").input("tinggi")
    app.text_area(key=f"{key}_note").input("Failover tested")
    submit(app, key)
    assert not app.exception and not app.error
    assert any("Check-in saved" in s.value for s in app.success)
    after = key_result_row(app, UPTIME)
    # Current carries its unit on screen (the uptime key result is in percent).
    assert (after["Current"], after["Status"], after["Confidence"]) == ("99.9%", "🔵 Complete", "8")
    assert stored_checkins(demo_db, UPTIME) == [
        *history, (dt.date.fromisoformat(AS_OF), 99.9, 8.0, "Failover tested", "check-in form", None)]


def test_invalid_check_in_names_the_field_and_writes_nothing(demo_db, make_app):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id")
    key = uptime_form(app, demo_db)
    before = counts(demo_db)
    app.text_input(key=f"{key}_value").input("99,8")
    app.text_input(key=f"{key}_confidence").input("sangat yakin")
    submit(app, key)
    assert not app.exception
    (error,) = app.error
    assert "Tidak ada yang disimpan" in error.value and "**Keyakinan**" in error.value and "sangat yakin" in error.value
    assert counts(demo_db) == before

    app.text_input(key=f"{key}_value").input("")
    app.text_input(key=f"{key}_confidence").input("")
    submit(app, key)
    assert "**Nilai baru**" in app.error[0].value
    assert counts(demo_db) == before


def test_viewer_and_editor_of_another_team_see_no_form(demo_db, make_app, as_person):
    for person in (VIEWER, SALES_EDITOR):
        as_person(person)
        for page, query in ((TEAM, {"team": "Engineering"}), (OBJECTIVE, {"objective": "25"})):
            app = make_app(demo_db, page=page, as_of=AS_OF, cycle=CYCLE, **query)
            assert not app.exception
            assert not [e for e in app.expander if "Check in" in e.label], (person.who, page)
            assert not [b for b in app.button if b.key and b.key.endswith("_save")]
    as_person(ENGINEERING_EDITOR)
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert [e for e in app.expander if "Check in" in e.label]
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Sales")
    assert not [e for e in app.expander if "Check in" in e.label]


def test_check_in_from_the_objective_page_then_undo_it_from_the_import_history(demo_db, make_app, as_person):
    as_person(ENGINEERING_EDITOR)
    kr_id = key_result_id(demo_db, UPTIME)
    objective_id = 25
    team_before = key_result_row(make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering"), UPTIME)
    app = make_app(demo_db, page=OBJECTIVE, as_of=AS_OF, cycle=CYCLE, objective=str(objective_id))
    assert not app.exception
    before = counts(demo_db)
    key = f"checkin_kr_{kr_id}"
    open_form(app, key)
    app.text_input(key=f"{key}_value").input("99.6")
    submit(app, key)
    assert not app.exception and not app.error
    assert any("Current 99\\.6% · target 99\\.9%" in m.value for m in app.markdown)  # Markdown-escaped
    assert stored_checkins(demo_db, UPTIME)[-1][1:] == (99.6, None, None, "check-in form", "rizky@contoh.co.id")
    assert counts(demo_db)["checkins"] == before["checkins"] + 1

    app = make_app(demo_db, page="pages/upload.py", as_of=AS_OF)
    latest = app.selectbox(key="undo_batch").value
    assert "check-in form · " in app.selectbox(key="undo_batch").format_func(latest)
    app.button(key="undo_button").click().run()
    # Asked first, with what changes and who wrote it; nothing is undone before Yes.
    asked = app.warning[-1].value
    assert "rizky\\@contoh\\.co\\.id" in asked and "Check-ins: 1 row(s) removed, 0 back" in asked, asked
    assert counts(demo_db)["checkins"] == before["checkins"] + 1 and not app.success
    app.button(key="undo_yes").click().run()
    assert not app.exception and app.success
    assert counts(demo_db)["checkins"] == before["checkins"]
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert key_result_row(app, UPTIME) == team_before


def test_kpi_measurement_form_saves_a_value_and_refuses_a_bad_one(demo_db, make_app):
    store = open_store(demo_db)
    try:
        kpi_id = int(store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering")["kpi_id"].iloc[0])
        name = store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering")["name"].iloc[0]
    finally:
        store.close()
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    assert not app.exception
    key = f"measure_{kpi_id}"
    before = counts(demo_db)
    open_form(app, key)
    submit(app, key)  # no value
    assert "**New value**" in app.error[0].value
    assert counts(demo_db) == before
    app.text_input(key=f"{key}_value").input("12.5")
    app.text_input(key=f"{key}_target").input("10")
    submit(app, key)
    assert not app.exception and not app.error
    assert any(f"Measurement saved for {name}" in s.value for s in app.success)
    store = open_store(demo_db)
    try:
        history = store.kpi_history(kpi_id)
    finally:
        store.close()
    last = history.iloc[-1]
    assert (last["date"].date(), last["value"], last["target"]) == (dt.date.fromisoformat(AS_OF), 12.5, 10.0)
    assert counts(demo_db)["batches"] == before["batches"] + 1


# -- numbers as the reader writes them (issue 21) and forged input (issue 22, finding 9) ------------------------

def page_captions_text(app) -> str:
    return "\n".join(c.value for c in app.caption).replace("\\", "")  # captions are escaped Markdown


@pytest.mark.parametrize(("lang", "typed", "shown"), [("id", "99,7", "Dibaca sebagai 99,7"),
                                                      ("en", "99.7", "Read as 99.7")])
def test_a_check_in_value_is_read_in_the_readers_language_and_shown_before_it_is_saved(demo_db, make_app, lang,
                                                                                       typed, shown):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang=lang)
    key = uptime_form(app, demo_db)
    before = counts(demo_db)
    type_into(app, f"{key}_value", typed)
    assert not app.exception and shown in page_captions_text(app)
    assert counts(demo_db) == before  # shown, not saved
    submit(app, key)
    assert not app.exception and not app.error
    assert stored_checkins(demo_db, UPTIME)[-1][:2] == (dt.date.fromisoformat(AS_OF), 99.7)


@pytest.mark.parametrize(("lang", "typed", "message"), [
    ("id", "99.7", "Harus berupa angka yang ditulis seperti 6,5 · 1.500 · 45% · Rp1.500.000"),
    ("en", "99,7", "Must be a number written like 6.5 · 1,500 · 45% · Rp1,500,000"),
])
def test_a_number_the_readers_language_does_not_write_is_refused_naming_the_field(demo_db, make_app, lang, typed,
                                                                                   message):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang=lang)
    key = uptime_form(app, demo_db)
    before = counts(demo_db)
    type_into(app, f"{key}_value", typed)
    assert message in page_captions_text(app)  # said under the field before any save
    submit(app, key)
    (error,) = app.error
    label = "Nilai baru" if lang == "id" else "New value"
    shown = error.value.replace("\\", "")  # escaped Markdown
    assert f"**{label}** «{typed}»" in shown and message in shown
    assert counts(demo_db) == before


def test_nan_and_a_day_outside_the_cycle_in_a_check_in_are_refused_with_their_own_message(demo_db, make_app):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang="id")
    key = uptime_form(app, demo_db)
    before, history = counts(demo_db), stored_checkins(demo_db, UPTIME)
    type_into(app, f"{key}_value", "NaN")
    submit(app, key)
    (error,) = app.error
    assert "Harus berupa angka terhingga" in error.value and "wajib diisi" not in error.value
    # A day the date picker would not offer (Q4 ends on 31 December): refused, not replaced by today.
    type_into(app, f"{key}_value", "99,7")
    app.date_input(key=f"{key}_date").set_value(dt.date(2027, 2, 1))
    submit(app, key)
    (error,) = app.error
    assert "**Tanggal** «2027\\-02\\-01»" in error.value and "harus di dalam siklusnya" in error.value
    assert counts(demo_db) == before and stored_checkins(demo_db, UPTIME) == history


def engineering_kpi(db: Path) -> tuple[int, str]:
    store = open_store(db)
    try:
        kpi = store.kpi_scores(dt.date.fromisoformat(AS_OF), team="Engineering").iloc[0]
        return int(kpi["kpi_id"]), kpi["name"]
    finally:
        store.close()


def last_measurement(db: Path, kpi_id: int) -> tuple:
    store = open_store(db)
    try:
        last = store.kpi_history(kpi_id).iloc[-1]
        return last["date"].date(), last["value"], last["target"]
    finally:
        store.close()


@pytest.mark.parametrize(("lang", "value", "target", "shown"), [
    ("id", "1.234,5", "Rp1.500", "Dibaca sebagai 1.234,5"),
    ("en", "1,234.5", "Rp1,500", "Read as 1,234.5"),
])
def test_the_measurement_form_reads_the_readers_numbers(demo_db, make_app, lang, value, target, shown):
    kpi_id, _ = engineering_kpi(demo_db)
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id), lang=lang)
    key = f"measure_{kpi_id}"
    open_form(app, key)
    type_into(app, f"{key}_value", value)
    type_into(app, f"{key}_target", target)
    assert shown in page_captions_text(app)
    submit(app, key)
    assert not app.exception and not app.error
    assert last_measurement(demo_db, kpi_id) == (dt.date.fromisoformat(AS_OF), 1234.5, 1500.0)


def test_infinity_in_a_measurement_is_refused_naming_the_value(demo_db, make_app):
    kpi_id, _ = engineering_kpi(demo_db)
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    key = f"measure_{kpi_id}"
    before = counts(demo_db)
    open_form(app, key)
    type_into(app, f"{key}_value", "inf")
    submit(app, key)
    (error,) = app.error
    assert "**New value** «inf»: Must be a finite number" in error.value.replace("\\.", ".")
    assert counts(demo_db) == before


@pytest.mark.parametrize(("lang", "previous"), [("en", "Last check-in: "), ("id", "Check-in terakhir: ")])
def test_the_check_in_shows_the_previous_value_and_note_beside_the_new_one(demo_db, make_app, lang, previous):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering", lang=lang)
    uptime_form(app, demo_db)
    ((day, value, _, note, _, _), *_) = reversed(stored_checkins(demo_db, UPTIME))
    written = f"{value:g}".replace(".", "," if lang == "id" else ".") + "%"
    (shown,) = [c.value.replace("\\", "") for c in app.caption  # escaped Markdown
                if c.value.startswith(previous) and written in c.value.replace("\\", "")]
    assert str(day.year) in shown and (not note or f"«{note}»" in shown)


@pytest.mark.parametrize(("lang", "words"), [("en", "follows the KPI's measurements"),
                                             ("id", "mengikuti pengukuran KPI-nya")])
def test_key_results_that_follow_a_kpi_are_named_in_the_check_in(demo_db, make_app, lang, words):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Customer Support", lang=lang)
    assert not app.exception
    for key in form_keys(app, translate("forms.checkin_title", lang)):
        open_form(app, key)
    hints = " ".join(c.value for c in app.caption if words in c.value)  # one form per objective
    assert "Raise NPS from 4 to 10 → Net Promoter Score" in hints
    offered = {o for box in app.selectbox if box.key and box.key.startswith("checkin_") for o in box.options}
    assert "Raise NPS from 4 to 10" not in offered


def test_the_check_in_list_opens_on_the_first_key_result_due():
    from okrdash.ui.forms import first_due

    monday = dt.date(2026, 11, 23)
    rows = [{"status": "Complete", "last_checkin": dt.date(2026, 11, 2)},
            {"status": "On Track", "last_checkin": dt.date(2026, 11, 24)},  # checked in this week
            {"status": "At Risk", "last_checkin": dt.date(2026, 11, 20)},
            {"status": "No Data", "last_checkin": None}]
    assert first_due(rows, monday + dt.timedelta(days=2)) == 2
    assert first_due(rows[:2], monday + dt.timedelta(days=2)) == 1  # none due: the first not complete
    assert first_due(rows[:1], monday) == 0


# -- forms drawn only when opened (issue 27: a closed form was a dozen elements the browser drew) ------------

def test_a_closed_check_in_form_sends_no_fields_and_opening_it_draws_them(demo_db, make_app):
    app = make_app(demo_db, page=TEAM, as_of=AS_OF, cycle=CYCLE, team="Engineering")
    assert [e for e in app.expander if "Check in" in e.label] and check_in_fields(app) == []
    closed = form_keys(app, "Check in")
    assert not [b for b in app.button if b.key and b.key.endswith("_save")]
    key = uptime_form(app, demo_db)
    assert sorted(check_in_fields(app)) == sorted(f"{key}_{name}" for name in
                                                  ("kr", "value", "date", "confidence", "note"))
    assert [b.key for b in app.button if b.key and b.key.endswith("_save")] == [f"{key}_save"]
    # A refused save leaves the form open with what was typed and why.
    app.text_input(key=f"{key}_value").input("99.8")
    app.text_input(key=f"{key}_confidence").input("very sure")
    submit(app, key)
    assert "**Confidence**" in app.error[0].value
    assert (app.text_input(key=f"{key}_value").value, app.text_input(key=f"{key}_confidence").value) == \
        ("99.8", "very sure")
    # Closed again, as a click on its heading does: its fields go with it.
    app.session_state[expander_key(key)] = False
    app.run()
    assert check_in_fields(app) == [] and form_keys(app, "Check in") == closed


def test_the_objective_and_kpi_pages_draw_their_forms_only_when_opened(demo_db, make_app):
    kr_id = key_result_id(demo_db, UPTIME)
    app = make_app(demo_db, page=OBJECTIVE, as_of=AS_OF, cycle=CYCLE, objective="25")
    assert check_in_fields(app) == [] and f"checkin_kr_{kr_id}" in form_keys(app, "Check in")
    open_form(app, f"checkin_kr_{kr_id}")
    assert f"checkin_kr_{kr_id}_value" in check_in_fields(app)

    kpi_id, _ = engineering_kpi(demo_db)
    app = make_app(demo_db, page=KPIS, as_of=AS_OF, kpi=str(kpi_id))
    measure, edit = f"measure_{kpi_id}", f"kpi_editor_{kpi_id}"
    assert not [field for field in app.text_input if field.key.startswith((measure, edit))]
    assert (form_keys(app, "Record a measurement"), form_keys(app, "definition")) == ([measure], [edit])
    open_form(app, measure)
    assert {field.key for field in app.text_input} >= {f"{measure}_value", f"{measure}_target"}
    assert not [field for field in app.text_input if field.key.startswith(edit)]
    open_form(app, edit)
    assert {field.key for field in app.text_input} >= {f"{edit}_target", f"{edit}_tolerance"}
