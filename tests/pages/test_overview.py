"""The overview page through AppTest."""

from tests.pages.conftest import AS_OF, CYCLE


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
    assert "2026-Q3" in app.caption[0].value
    assert "15 Sep 2026" in app.caption[0].value


def test_unknown_cycle_in_link_warns_and_falls_back(demo_db, make_app):
    app = make_app(demo_db, as_of=AS_OF, cycle="1999-Q1")
    assert not app.exception
    assert any("1999-Q1" in w.value for w in app.warning)
    assert CYCLE in app.caption[0].value


def test_overview_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)


def test_a_company_with_more_teams_than_the_chart_draws_says_which_it_shows(demo_db, make_app, monkeypatch):
    from okrdash import readmodels

    monkeypatch.setattr(readmodels, "CHART_TEAMS", 2)
    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE, lang="id")
    assert not app.exception
    shown = [c.value for c in app.caption if c.value.startswith("2 tim dengan hasil kunci")]
    assert len(shown) == 1 and "Keluar Jalur atau Berisiko" in shown[0]


def test_a_company_the_chart_draws_whole_has_no_such_note(demo_db, make_app):
    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert not [c.value for c in app.caption if "teams with the most key results" in c.value]
