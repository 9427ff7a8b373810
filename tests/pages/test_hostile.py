"""Titles, names and notes with HTML, Markdown links/images or script stay plain text on every page."""

import datetime as dt

import pytest

from okrdash.importing import Upload, import_files
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

LINK = "[click me](http://evil.example)"
IMAGE = "![pixel](http://evil.example/p.png)"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEAM = f"Evil {LINK}"


@pytest.fixture
def hostile_db(demo_db):
    okrs = (
        "cycle,team,objective,parent_objective,key_result,owner,baseline,target,current,date\n"
        f'{CYCLE},"{HOSTILE_TEAM}","{SCRIPT} {IMAGE}",Grow expansion revenue,"**bold** {LINK}","{SCRIPT}",0,10,4,{AS_OF}\n'
        f'{CYCLE},"{HOSTILE_TEAM}","{SCRIPT} {IMAGE}",Grow expansion revenue,"Second {IMAGE}",x,0,10,9,{AS_OF}\n'
    )
    kpis = f'team,kpi,date,value,target\n"{HOSTILE_TEAM}","{SCRIPT} KPI {LINK}",{AS_OF},1,10\n'
    store = open_store(demo_db)
    try:
        import_files(store, [Upload("okrs.csv", okrs.encode()), Upload("kpis.csv", kpis.encode())])
        objective_id = int(store.objective_scores(dt.date.fromisoformat(AS_OF), team=HOSTILE_TEAM).iloc[0]["objective_id"])
    finally:
        store.close()
    return demo_db, objective_id


def _rendered_markdown(app) -> list[str]:
    texts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    texts += [s.value for s in app.subheader] + [t.value for t in app.title]
    return texts


def _assert_inert(app) -> None:
    assert not app.exception
    for text in _rendered_markdown(app):
        assert "](http://evil.example" not in text, text  # a live Markdown link or image
        assert "<script>" not in text, text               # raw HTML


@pytest.mark.parametrize("page, query", [
    (None, {}),
    ("pages/team.py", {"team": HOSTILE_TEAM}),
    ("pages/kpis.py", {"team": HOSTILE_TEAM}),
    ("pages/my_key_results.py", {"owner": SCRIPT}),
])
def test_hostile_text_is_shown_as_text(hostile_db, make_app, page, query):
    db, _ = hostile_db
    _assert_inert(make_app(db, page=page, as_of=AS_OF, cycle=CYCLE, **query))


def test_hostile_text_on_the_objective_page(hostile_db, make_app):
    db, objective_id = hostile_db
    _assert_inert(make_app(db, page="pages/objective.py", objective=str(objective_id), as_of=AS_OF, cycle=CYCLE))
