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


def _aligned_table(app):
    """The grid of team objectives under the chosen company objective (the one with a link column)."""
    return next(frame.value for frame in app.dataframe if "Open" in frame.value.columns)


def test_the_alignment_is_a_summary_and_the_objectives_aligned_to_the_one_chosen(demo_db, make_app, monkeypatch):
    from okrdash import readmodels, store as store_module

    store = store_module.open_store(demo_db)
    try:
        objectives = store.objective_scores(readmodels.dt.date.fromisoformat(AS_OF), cycle=CYCLE)
    finally:
        store.close()
    company = objectives[objectives["team"] == "Company"].iloc[-1]
    aligned = objectives[objectives["parent_title"] == company["title"]]
    assert len(aligned) >= 2

    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE, aligned=str(company["objective_id"]))
    assert not app.exception
    summary = app.dataframe[0].value
    row = summary[summary["Objective"] == company["title"]].iloc[0]
    assert int(row["Team objectives aligned"]) == len(aligned)  # the grid shows numbers as formatted text
    assert sorted(_aligned_table(app)["Objective"]) == sorted(aligned["title"])
    assert len(app.dataframe) == 3  # the summary, the chosen objective's team objectives, needs attention

    monkeypatch.setattr(readmodels, "ALIGNED_ROWS", 1)
    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE, aligned=str(company["objective_id"]))
    assert len(_aligned_table(app)) == 1
    assert any(c.value.startswith(f"The first 1 of {len(aligned)}, Off Track first") for c in app.caption)


def test_a_link_to_a_company_objective_the_cycle_does_not_have_warns(demo_db, make_app):
    app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE, aligned="999999")
    assert not app.exception
    assert any("999999" in w.value and "does not have" in w.value for w in app.warning)
