"""The quarter review page through AppTest, in both languages, on the demo company and on an empty database."""

from okrdash import demo, review
from okrdash.i18n import translate
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

PAGE = "pages/review.py"


def _demo_review(db, cycle_name, team=None):
    store = open_store(db)
    try:
        cycle = next(c for c in store.cycles() if c.name == cycle_name)
        return review.review(store, cycle, demo.DEMO_ANCHOR, team=team)
    finally:
        store.close()


def test_review_of_the_running_cycle_in_english(demo_db, make_app):
    expected = _demo_review(demo_db, CYCLE)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert app.title[0].value.endswith("Quarter review")
    assert any("still running" in c.value and "22 Nov 2026" in c.value for c in app.caption)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Teams with OKRs": str(len(expected.teams)), "Objectives": str(len(expected.objectives)),
                       "Key results": str(len(expected.key_results))}
    tables = [frame.value for frame in app.dataframe]
    distribution = tables[0]
    assert list(distribution["Grade band"]) == ["Met (1.0)", "Missed (below 1.0)", "0.7–1.0 (green)",
                                                "0.4–0.6 (yellow)", "0.0–0.3 (red)", "Not graded (no data)"]
    assert [int(n) for n in distribution["Objectives"]] == list(expected.distribution["objective"].values())
    postmortem = next(t for t in tables if list(t.columns) == ["Team", "Objective", "Owner", "Grade", "Grade band"])
    assert sorted(postmortem["Objective"]) == sorted(expected.needs_postmortem["title"])
    by_team = next(t for t in tables if "Previous cycle" in t.columns)
    engineering = by_team[by_team["Team"] == "Engineering"].iloc[0]
    # Engineering: mean grade (0.5 + 0.6 + 0.0) / 3 now against 0.8 in 2026-Q3.
    assert (engineering["Mean grade"], engineering["Previous cycle"], engineering["Change"]) == ("0.37", "0.8", "−0.43")
    objectives = next(t for t in tables if "Type" in t.columns)
    assert len(objectives) == len(expected.objectives)
    assert set(objectives["Grade"]) <= {f"{g / 10:.1f}" for g in range(11)}
    assert len(app.get("download_button")) == 2 * len(app.dataframe)
    assert "team=" not in app.get("code")[0].value


def test_review_of_a_finished_cycle_for_one_team_in_indonesian(demo_db, make_app):
    expected = _demo_review(demo_db, "2026-Q3", team="Engineering")
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle="2026-Q3", lang="id", team="Engineering")
    assert not app.exception
    assert app.title[0].value.endswith("Tinjauan kuartal")
    assert app.selectbox(key="team").value == "Engineering"
    assert any("nilai akhir" in c.value and "30 Sep 2026" in c.value for c in app.caption)
    tables = [frame.value for frame in app.dataframe]
    assert list(tables[0]["Rentang nilai"])[:3] == ["Tercapai (1,0)", "Tidak tercapai (di bawah 1,0)", "0,7–1,0 (hijau)"]
    objectives = next(t for t in tables if "Jenis" in t.columns)
    assert set(objectives["Tim"]) == {"Engineering"}
    grades = dict(zip(expected.objectives["title"], expected.objectives["grade"]))
    for title, grade in zip(objectives["Tujuan"], objectives["Nilai akhir"]):
        assert grade == f"{grades[title]:.1f}".replace(".", ",")
    assert any("belum ada siklus sebelumnya" in c.value for c in app.caption)
    assert "team=Engineering" in app.get("code")[0].value


def test_unknown_team_in_the_link_is_reported_escaped(demo_db, make_app):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE, team="[click](http://evil.example)")
    assert not app.exception
    warning = next(w.value for w in app.warning if "evil" in w.value)
    assert "\\[click\\]\\(http" in warning
    assert app.selectbox(key="team").value is None


def test_review_on_an_empty_database_explains_what_to_do(empty_db, make_app):
    for lang in ("en", "id"):
        app = make_app(empty_db, page=PAGE, lang=lang)
        assert not app.exception
        assert any(translate("common.empty_title", lang) in i.value for i in app.info)
        assert not app.dataframe


def test_a_review_larger_than_a_table_sends_lists_the_first_rows_and_says_so(demo_db, make_app, monkeypatch):
    monkeypatch.setattr(review, "REVIEW_ROWS", 2)
    expected = _demo_review(demo_db, CYCLE)
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, cycle=CYCLE)
    assert not app.exception
    assert len(expected.key_results) > 2 and len(expected.objectives) > 2
    key_results = app.dataframe[-1].value
    assert len(key_results) == 2 and "Key result" in key_results.columns
    assert len(app.dataframe[-2].value) == 2
    assert [c.value for c in app.caption if c.value.startswith(f"The first 2 of {len(expected.key_results)} rows")]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Key results"] == str(len(expected.key_results))  # counted whole, listed in part
