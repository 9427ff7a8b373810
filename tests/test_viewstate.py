"""Links as typed view states (okrdash/viewstate.py): every view survives its own query string."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from okrdash import viewstate
from okrdash.viewstate import PAGE_FILTERS, View

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30) \
    .filter(lambda t: t.strip() == t and t != "")
_NAME = _TEXT.filter(lambda t: "," not in t)
_VALUES = {("objective", "objective"): st.integers(0, 10**9), ("kpis", "kpi"): st.integers(0, 10**9),
           ("team", "objective_page"): st.integers(1, 10**6),
           ("team", "status"): st.lists(_NAME, min_size=1, max_size=4, unique=True).map(tuple)}


@st.composite
def views(draw) -> View:
    page = draw(st.sampled_from(sorted(PAGE_FILTERS)))
    filters = []
    for name in PAGE_FILTERS[page]:
        if draw(st.booleans()):
            filters.append((name, draw(_VALUES.get((page, name), _TEXT))))
    return View(page=page, lang=draw(st.sampled_from([None, "en", "id"])), cycle=draw(st.none() | _TEXT),
                as_of=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))), filters=tuple(filters))


def _read(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


@given(views())
def test_a_view_survives_its_link(view):
    link = viewstate.url(view, "http://intranet/okrdash/team")
    assert viewstate.parse(view.page, _read(link)) == view


@given(st.sampled_from(sorted(PAGE_FILTERS)), st.dictionaries(st.sampled_from(
    ["lang", "cycle", "as_of", "team", "status", "owner", "objective", "kpi", "ex_team", "junk"]), st.text(max_size=12)))
def test_any_query_string_reads_to_a_view_that_then_survives(page, params):
    view = viewstate.parse(page, params)
    assert viewstate.parse(page, viewstate.query(view)) == view
    assert set(viewstate.query(view)) <= {"lang", "cycle", "as_of", *PAGE_FILTERS[page]}


def test_parse_reads_types_and_drops_what_it_cannot_use():
    view = viewstate.parse("team", {"lang": "fr", "as_of": "2026-13-01", "team": "Sales",
                                    "status": "Off Track, At Risk,,Off Track", "kpi": "3"})
    assert view == View("team", None, None, None, (("team", "Sales"), ("status", ("Off Track", "At Risk"))))
    assert viewstate.parse("objective", {"objective": "12a"}).filters == ()
    assert viewstate.parse("objective", {"objective": "12", "as_of": "2026-11-22"}) == \
        View("objective", as_of=dt.date(2026, 11, 22), filters=(("objective", 12),))


def test_a_live_view_drops_its_date_and_cycle_and_a_pinned_one_keeps_them():
    view = viewstate.from_page("team", "id", "2026-Q4", dt.date(2026, 11, 22), team="Sales", status=[], owner=None)
    assert viewstate.url(view) == "?lang=id&cycle=2026-Q4&as_of=2026-11-22&team=Sales"
    assert viewstate.url(view.live()) == "?lang=id&team=Sales"
    assert view.live().is_live and view.live().pinned(dt.date(2026, 11, 22)).as_of == dt.date(2026, 11, 22)
    assert viewstate.url(viewstate.from_page(None, "en", None, None, kpi=3)) == "?lang=en&kpi=3"


def test_read_reports_what_it_could_not_read_and_merges_repeated_names():
    view, unread = viewstate.read("team", {"as_of": "soon", "lang": "fr", "team": ["A", "Sales"],
                                           "status": ["Off Track", "At Risk"], "junk": "x"})
    assert view.filter("team") == "Sales" and view.filter("status") == ("Off Track", "At Risk")
    assert set(unread) == {("as_of", "soon"), ("lang", "fr")}  # names a page does not know are left alone
    assert viewstate.read("objective", {"objective": "12a"})[1] == [("objective", "12a")]


@given(views())
def test_a_link_between_pages_reads_back_as_the_same_view(view):
    link = viewstate.link(view.page, view, **dict(view.filters))
    assert link.startswith(view.page)
    assert viewstate.parse(view.page, _read(link)) == view
