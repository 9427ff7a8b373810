"""Every class of bad input through the Upload page: a report naming line and column in the
reader's language, no Import button, and an unchanged database. Also: editing behind a passphrase."""

from __future__ import annotations

import pytest

from okrdash.access import hash_passphrase
from tests.pages.test_upload import choose, counts
from tests.helpers.html_tables import shown_tables

PAGE = "pages/upload.py"
OKR_HEADER = "cycle,team,objective,key_result,baseline,target,weight\n"
KPI_HEADER = "team,kpi,date,value,target,direction\n"

# name -> (file bytes, expected (line, column) in the report; None where the problem is the file)
BAD_FILES = {
    "empty": (b"", None),
    "header only": (OKR_HEADER.encode(), None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None),
    "too many fields": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,1,2,1,extra\n").encode(), (2, None)),
    "too few fields": ((OKR_HEADER + "2026-Q4,Sales,Grow\n").encode(), (2, None)),
    "text for a number": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,one,2,1\n").encode(), (2, "baseline")),
    "NaN": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,NaN,2,1\n").encode(), (2, "baseline")),
    "Infinity": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,1,Infinity,1\n").encode(), (2, "target")),
    "1e308": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,1,1e308,1\n").encode(), (2, "target")),
    "negative weight": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,1,2,-1\n").encode(), (2, "weight")),
    "target equals baseline": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,2,2,1\n").encode(), (2, "target")),
    "date that does not exist": ((KPI_HEADER + "Sales,Leads,31/02/2026,3,5,\n").encode(), (2, "date")),
    "cycle that cannot be parsed": ((OKR_HEADER + "sometime,Sales,Grow,Win,1,2,1\n").encode(), (2, "cycle")),
    "duplicate keys": ((OKR_HEADER + "2026-Q4,Sales,Grow,Win,1,2,1\n2026-Q4,Sales,Grow,Win,1,3,1\n").encode(),
                       (3, "cycle + team + objective + key_result")),
    "conflicting directions": ((KPI_HEADER + "Sales,Leads,2026-11-01,3,5,higher\n"
                                "Sales,Leads,2026-11-02,4,5,lower\n").encode(), (3, "direction")),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_input_is_reported_and_changes_nothing(demo_db, make_app, name):
    data, where = BAD_FILES[name]
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE, lang="id")
    choose(app, "bad.csv", data)
    assert not app.exception
    assert app.error, "the page says nothing was written"
    assert "import_button" not in {b.key for b in app.button}
    report = shown_tables(app)[0]
    assert list(report.columns)[:2] == ["Baris", "Kolom"]       # line and column, in Indonesian
    if where is not None:
        line, column = where
        rows = [(r["Baris"], r["Kolom"]) for _, r in report.iterrows()]
        assert any(row_line == str(line) and (column is None or row_column == column) for row_line, row_column in rows), rows
    assert counts(demo_db) == before


def test_windows_1252_file_is_decoded_and_imported(demo_db, make_app):
    data = (KPI_HEADER + "Café Ops,Crème brûlée sold,2026-11-01,3,5,\n").encode("cp1252")
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE)
    choose(app, "latin.csv", data)
    assert not app.exception and not app.error
    assert {m.label: m.value for m in app.metric}["Encoding"] == "windows-1252"
    app.button(key="import_button").click().run()
    assert not app.exception and app.success
    assert counts(demo_db)["kpis"] == before["kpis"] + 1


def test_file_over_the_row_limit_is_refused(demo_db, make_app, monkeypatch):
    monkeypatch.setenv("OKRDASH_MAX_UPLOAD_ROWS", "2")
    before = counts(demo_db)
    app = make_app(demo_db, page=PAGE)
    choose(app, "big.csv", (KPI_HEADER + "".join(f"Sales,Leads,2026-11-0{d},3,5,\n" for d in range(1, 5))).encode())
    assert app.error and "import_button" not in {b.key for b in app.button}
    assert any("limit" in str(v) for v in shown_tables(app)[0].iloc[:, -1])
    assert counts(demo_db) == before


def test_passphrase_unlocks_editing_for_the_session(demo_db, make_app, monkeypatch):
    from okrdash.access import PassphraseThrottle
    from okrdash.ui import auth

    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    monkeypatch.setattr(auth, "PASSPHRASE_THROTTLE", PassphraseThrottle(clock=clock))

    def with_secret(app):
        app.secrets["okrdash"] = {"editor_passphrase": hash_passphrase("correct horse")}
        return app

    app = make_app(demo_db, page=PAGE)
    app = with_secret(app).run()
    assert any("needs the editor role" in i.value for i in app.info)
    app.text_input[0].input("wrong guess")
    app.get("form_submit_button")[0].click().run()
    assert any("not right" in e.value and "try again in 1 s" in e.value for e in app.error)
    app.text_input[0].input("correct horse")  # at once: this address waits its second first
    app.get("form_submit_button")[0].click().run()
    assert any("Too soon" in w.value and "1 s" in w.value for w in app.warning)
    assert any("needs the editor role" in i.value for i in app.info)
    clock.now += 1
    app.text_input[0].input("correct horse")
    app.get("form_submit_button")[0].click().run()
    assert not app.exception
    assert not any("needs the editor role" in i.value for i in app.info)


def test_a_viewer_gets_no_file_picker(demo_db, make_app, monkeypatch):
    """The right to import is checked before any file is read: a viewer cannot choose one."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP

    monkeypatch.setenv("OKRDASH_DB", str(demo_db))
    monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "false")
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["okrdash"] = {"editor_passphrase": hash_passphrase("correct horse")}
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    assert app.get("file_uploader") == []
    assert any("no file picker here" in i.value for i in app.info)
