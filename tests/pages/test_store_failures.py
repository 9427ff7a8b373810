"""The app when the database fails: what happened and that nothing was written, not Streamlit's error page."""

from __future__ import annotations

import os

import duckdb

from okrdash.store import writes
from tests.pages.conftest import AS_OF
from tests.pages.test_upload import NEW_MEASUREMENTS, PAGE, choose, counts


def test_a_damaged_database_is_reported_on_every_page(tmp_path, make_app):
    db = tmp_path / "damaged.duckdb"
    db.write_bytes(os.urandom(200_000))
    for page in (None, PAGE):
        app = make_app(db, page=page)
        assert not app.exception
        assert any("cannot be read" in e.value and "Nothing was changed" in e.value for e in app.error)


def test_an_import_on_a_full_disk_says_nothing_was_written(demo_db, make_app, monkeypatch):
    before = counts(demo_db)

    def disk_full(cur, change, writer):
        cur.execute("INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated) "
                    "VALUES (now(), 'half', 'x', 'kpis', 0, 0)")  # a first write lands, then the disk is full
        raise duckdb.IOException('Could not write file "okrdash.duckdb.wal": No space left on device')

    app = make_app(demo_db, page=PAGE, as_of=AS_OF)
    choose(app, "sales.csv", NEW_MEASUREMENTS)
    monkeypatch.setattr(writes, "apply_file", disk_full)
    app.button(key="import_button").click().run()
    assert not app.exception
    assert any("No space left on device" in e.value and "Nothing was written" in e.value for e in app.error)
    assert counts(demo_db) == before
