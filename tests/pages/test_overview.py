"""The overview page through AppTest."""

from tests.pages.conftest import AS_OF, CYCLE, page_captions


def test_overview_shows_demo_company_counts(demo_db, make_app):
    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert app.title[0].value.endswith("Company overview")
    labels = [m.label for m in app.metric]
    assert "🔴 Off Track" in labels
    off_track = next(m for m in app.metric if m.label == "🔴 Off Track")
    assert int(off_track.value) > 0
    assert any("Needs attention" in s.value for s in app.subheader)


def test_overview_reads_filters_from_the_link(demo_db, make_app):
    app = make_app(demo_db, as_of="2026-09-15", cycle="2026-Q3", lang="id")
    assert not app.exception
    assert app.title[0].value.endswith("Ringkasan perusahaan")
    assert "2026-Q3" in page_captions(app)[0]
    assert "15 Sep 2026" in page_captions(app)[0]


def test_unknown_cycle_in_link_warns_and_falls_back(demo_db, make_app):
    app = make_app(demo_db, as_of=AS_OF, cycle="1999-Q1")
    assert not app.exception
    assert any("1999\\-Q1" in w.value for w in app.warning)  # escaped: the warning renders Markdown
    assert CYCLE in page_captions(app)[0]


def test_overview_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)
