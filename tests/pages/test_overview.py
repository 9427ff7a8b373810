"""The overview page through AppTest, on the fixture company: it opens in both languages and its picker
writes the link (what it shows is tested on its view model, tests/views/test_overview.py)."""

from html import escape

import pytest

from okrdash.i18n import translate
from tests.fixtures.company import AS_OF, CYCLE
from tests.pages.conftest import page_captions
from tests.helpers.html_tables import read, shown_tables


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_overview_opens_in_both_languages(company_db, make_app, lang):
    app = make_app(company_db, as_of=AS_OF.isoformat(), cycle=CYCLE, lang=lang)
    assert not app.exception and not app.warning
    assert app.title[0].value.endswith(translate("overview.title", lang))
    assert int(next(m for m in app.metric if m.label.startswith("🔴")).value) == 2
    assert any(s.value == translate("overview.needs_attention", lang) for s in app.subheader)
    # The company objectives, the team objectives aligned to the first of them, what needs attention and
    # this week's check-ins: all HTML tables, no grid to load.
    assert len(shown_tables(app)) == 4 and not app.dataframe


def test_the_sidebar_reads_the_cycle_and_date_from_the_link(company_db, make_app):
    app = make_app(company_db, as_of="2026-09-15", cycle="2026-Q3", lang="id")
    assert not app.exception
    assert page_captions(app)[0] == "Siklus 2026-Q3, per 15 Sep 2026"


def test_unknown_cycle_in_link_warns_and_falls_back(company_db, make_app):
    app = make_app(company_db, as_of=AS_OF.isoformat(), cycle="1999-Q1")
    assert not app.exception
    assert any("1999\\-Q1" in w.value for w in app.warning)  # escaped: the warning renders Markdown
    assert CYCLE in page_captions(app)[0]


def test_overview_on_empty_database_explains_what_to_do(empty_db, make_app):
    app = make_app(empty_db)
    assert not app.exception
    assert any("Nothing here yet" in i.value for i in app.info)
    assert [link.proto.page for link in app.page_link] == ["upload"]


def test_picking_a_company_objective_writes_it_to_the_link(company_db, make_app):
    app = make_app(company_db, as_of=AS_OF.isoformat(), cycle=CYCLE)
    picker = app.selectbox(key="_aligned_picker")
    assert picker.options == ["Grow revenue", "Not aligned to a company objective"] and picker.value != "none"
    assert "aligned" not in app.query_params
    picker.set_value("none").run()
    assert not app.exception
    assert app.query_params["aligned"] == "none"
    assert list(shown_tables(app)[1]["Objective"]) == ["Keep our customers"]  # after the company objectives
    assert "aligned=none" in app.code[0].value  # the share box


def test_a_link_to_a_company_objective_the_cycle_does_not_have_warns_and_leaves_the_link(company_db, make_app):
    app = make_app(company_db, as_of=AS_OF.isoformat(), cycle=CYCLE, aligned="999999")
    assert not app.exception
    assert any("999999" in w.value and "does not have" in w.value for w in app.warning)
    assert "aligned" not in app.query_params


@pytest.mark.parametrize("page, query", [(None, {}), ("pages/team.py", {"team": "Engineering"}),
                                         ("pages/kpis.py", {}), ("pages/my_key_results.py", {"owner": "Dewi"})])
def test_each_list_is_drawn_once_its_rows_the_phones_cards(company_db, make_app, page, query):
    """Issue 27: a list was drawn twice, as a table for a wide screen and as hidden phone cards (the
    overview of a large company: ~14,000 elements). Now every card is a row of its table (CSS lays
    it out as a card on a phone), each cell named by its column for the card's lines."""
    app = make_app(company_db, page=page, as_of=AS_OF.isoformat(), cycle=CYCLE, **query)
    assert not app.exception
    drawn = [html.proto.body for html in app.get("html")]
    listed = [body for body in drawn if 'class="okr-card"' in body]
    assert listed
    for body in listed:
        [table] = read(body)  # the cards are the rows of the one table of their block
        assert body.count('class="okr-card"') == len(table) > 0
        assert all(f'data-label="{escape(column)}"' in body for column in table.columns)
        assert body.count("<td data-title") == len(table)  # each card headed by its title's cell
