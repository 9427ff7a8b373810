"""Links as typed page states (okrdash/viewstate.py) and the one link builder (okrdash/urls.py):
every state survives its own query string, and every link between pages reads back as its state."""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrdash import viewstate
from okrdash.urls import Urls
from okrdash.viewstate import STATES, KpisState, ObjectiveState, PageState, TeamState

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30) \
    .filter(lambda t: t.strip() == t and t != "")
_NAME = _TEXT.filter(lambda t: "," not in t)
_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def _filter_values(spec: dataclasses.Field) -> st.SearchStrategy:
    read = spec.metadata["read"]
    if read is viewstate._whole_number:
        return st.integers(0, 10**9)
    if read is viewstate._names:
        return st.lists(_NAME, min_size=1, max_size=4, unique=True).map(tuple)
    return _TEXT


@st.composite
def states(draw) -> PageState:
    cls = draw(st.sampled_from(sorted(STATES.values(), key=lambda c: c.PAGE)))
    filters = {spec.name: draw(_filter_values(spec)) for spec in dataclasses.fields(cls)
               if "read" in spec.metadata and draw(st.booleans())}
    return cls(lang=draw(st.sampled_from([None, "en", "id"])), cycle=draw(st.none() | _TEXT),
               as_of=draw(st.none() | _DATES), **filters)


def _read(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


@given(states())
def test_a_state_survives_its_link(state):
    link = viewstate.url(state, f"http://intranet/okrdash/{state.PAGE}")
    assert viewstate.read(type(state), _read(link)) == state


@given(st.sampled_from(sorted(STATES)), st.dictionaries(st.sampled_from(
    ["lang", "cycle", "as_of", "team", "status", "owner", "objective", "kpi", "ex_team", "numbers", "junk"]),
    st.text(max_size=12)))
def test_any_query_string_reads_to_a_state_that_then_survives(page, params):
    cls = STATES[page]
    state = viewstate.read(cls, params)
    assert viewstate.read(cls, viewstate.query(state)) == state
    assert set(viewstate.query(state)) <= {"lang", "cycle", "as_of", *cls.filter_names()}


def test_read_takes_types_and_records_what_it_cannot_use():
    state = viewstate.read(TeamState, {"lang": "fr", "as_of": "2026-13-01", "team": "Sales",
                                       "status": "Off Track, At Risk,,Off Track", "kpi": "3",
                                       "objective_page": "two"})
    assert state == TeamState(team="Sales", status=("Off Track", "At Risk"))
    assert state.unread == (("as_of", "2026-13-01"), ("lang", "fr"), ("objective_page", "two"))
    assert viewstate.read(ObjectiveState, {"objective": "12a"}).objective is None
    assert viewstate.read(ObjectiveState, {"objective": "12", "as_of": "2026-11-22"}) == \
        ObjectiveState(as_of=dt.date(2026, 11, 22), objective=12)


def test_a_name_given_twice_counts_once_per_value_for_lists_and_last_otherwise():
    state = viewstate.read(TeamState, {"team": ["A", "Sales"], "status": ["Off Track", "At Risk"], "junk": "x"})
    assert state.team == "Sales" and state.status == ("Off Track", "At Risk")
    assert state.unread == ()  # names a page does not know are left alone


def test_a_live_state_drops_its_date_and_cycle_and_a_pinned_one_keeps_them():
    state = TeamState(lang="id", cycle="2026-Q4", as_of=dt.date(2026, 11, 22), team="Sales")
    assert viewstate.url(state) == "?lang=id&cycle=2026-Q4&as_of=2026-11-22&team=Sales"
    assert viewstate.url(state.live()) == "?lang=id&team=Sales"
    assert state.live().is_live and state.live().pinned(dt.date(2026, 11, 22)).as_of == dt.date(2026, 11, 22)
    assert state.filters == (("team", "Sales"),) and TeamState.filter_names() == (
        "team", "status", "owner", "objective_page")


URLS = Urls("id", "2026 Q4 & more", dt.date(2026, 11, 22))


@pytest.mark.parametrize(("link", "state"), [
    (URLS.home(aligned="none"), viewstate.HomeState(aligned="none")),
    (URLS.team(team="Sales", status=("Off Track", "At Risk"), owner="Rizky", objective_page=2),
     TeamState(team="Sales", status=("Off Track", "At Risk"), owner="Rizky", objective_page=2)),
    (URLS.objective(objective=12, team="Company"), ObjectiveState(objective=12, team="Company")),
    (URLS.my_key_results(owner="Rizky"), viewstate.MyKeyResultsState(owner="Rizky")),
    (URLS.checkin(owner="Rizky"), viewstate.CheckinState(owner="Rizky")),
    (URLS.kpis(team="Sales", category="sales", type="strategic", indicator="leading", status="At Risk", kpi=7),
     KpisState(team="Sales", category="sales", type="strategic", indicator="leading", status="At Risk", kpi=7)),
    (URLS.review(team="Sales"), viewstate.ReviewState(team="Sales")),
    (URLS.upload(), viewstate.UploadState()),
    (URLS.explainer(ex_team="sales", ex_indicator="leading"),
     viewstate.ExplainerState(ex_team="sales", ex_indicator="leading")),
])
def test_every_link_between_pages_reads_back_as_its_state_with_the_view_it_came_from(link, state):
    expected = state.sharing("id", "2026 Q4 & more", dt.date(2026, 11, 22))
    assert link.state == expected and link.page == state.PAGE and link.script == state.SCRIPT
    assert link.href.startswith(f"{state.PAGE}?lang=id&cycle=2026+Q4+%26+more&as_of=2026-11-22")
    assert viewstate.read(type(state), _read(link.href)) == expected
    assert viewstate.read(type(state), link.query) == expected


@given(states(), st.sampled_from([None, "en", "id"]), st.none() | _TEXT, st.none() | _DATES)
def test_a_link_to_any_state_carries_the_view_it_is_made_from(state, lang, cycle, as_of):
    link = Urls(lang, cycle, as_of).to(state)
    assert viewstate.read(type(state), _read(link.href)) == state.sharing(lang, cycle, as_of)


def test_an_absolute_link_is_the_relative_one_under_the_base_address():
    link = Urls("id").checkin(owner="Ani <b> & Co")
    assert link.at("https://okr.contoh.co.id/okrdash/") == link.at("https://okr.contoh.co.id/okrdash") == \
        "https://okr.contoh.co.id/okrdash/checkin?lang=id&owner=Ani+%3Cb%3E+%26+Co"


def test_a_link_column_is_the_link_of_each_id():
    ids = pd.Series([3, 17, 4096])
    assert list(URLS.objectives(ids)) == [URLS.objective(objective=i).href for i in ids]
    assert list(URLS.kpi_details(ids)) == [URLS.kpis(kpi=i).href for i in ids]
    assert list(Urls().objectives(ids)) == ["objective?objective=3", "objective?objective=17",
                                            "objective?objective=4096"]
