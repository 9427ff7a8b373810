"""The Upload page shows how a file was read: undated values say which day they were dated (issue 21,
class 5). The page imports on the real import day, so the cycle is made around it."""

from __future__ import annotations

from tests.pages.test_upload import PAGE, choose
from tests.test_undated_report import import_days, undated_okrs


def test_the_upload_page_says_which_day_undated_values_were_dated(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, lang="id")
    days = import_days(lambda: choose(app, "okr.csv", undated_okrs("id")))
    assert not app.exception and not app.error
    assert any(f"diberi tanggal hari impor, {day}" in i.value.replace("\\", "") for i in app.info for day in days)
