"""AppTest fixtures: the real app.py on a real database file (demo company or empty)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from okrdash import demo
from okrdash.access import LOCAL_TOKEN_PARAM, Access, local_token
from okrdash.i18n import translate
from okrdash.ui import auth
from tests.fixtures import company as fixture_company

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AS_OF = demo.DEMO_ANCHOR.isoformat()
CYCLE = "2026-Q4"


@pytest.fixture(scope="session", autouse=True)
def _one_component_registry() -> Iterator[None]:
    """Every AppTest of the session shares one component registry, as a server process has one:
    each new AppTest would otherwise scan the installed packages for components on its first run
    (0.1 CPU s, ~300 times a run; bench/views.py does the same)."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    registry = BidiComponentManager()
    registry.discover_and_register_components(start_file_watching=False)
    init = AppTest.__init__

    def init_sharing_the_registry(self: AppTest, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        # AppTest's own attribute in Streamlit 1.67: fail loudly if an upgrade renames it.
        assert self._bidi_component_manager is None
        self._bidi_component_manager = registry

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AppTest, "__init__", init_sharing_the_registry)
        yield


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the session's demo database (tests/conftest.py) for one test (so imports in a
    test do not leak)."""
    path = tmp_path / "okrdash.duckdb"
    shutil.copyfile(demo_db_file, path)
    return path


@pytest.fixture(scope="session")
def company_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_company.write_file(tmp_path_factory.mktemp("company") / "company.duckdb")


@pytest.fixture
def company_db(company_db_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the fixture company's database (tests/fixtures/company.py) for one test."""
    path = tmp_path / "company.duckdb"
    path.write_bytes(company_db_template.read_bytes())
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return tmp_path / "empty.duckdb"


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``make_app(db, page=None, editing_link=True, **query)``: an AppTest of app.py, run once, on ``db``.

    With ``editing_link`` the session opens the link ``okrdash serve`` prints (with this process's
    local token), so local mode lets it change data, as the person who started the server does;
    without, it is any other visitor, a viewer."""

    def make(db: Path | str, page: str | None = None, editing_link: bool = True, **query: str) -> AppTest:
        monkeypatch.setenv("OKRDASH_DB", str(db))
        monkeypatch.setenv("OKRDASH_DEMO_WHEN_EMPTY", "false")
        st.cache_data.clear()
        st.cache_resource.clear()
        app = AppTest.from_file(APP, default_timeout=60)
        app.query_params.update(query)
        if editing_link:
            app.query_params[LOCAL_TOKEN_PARAM] = local_token().value
        if page:
            app.switch_page(page)
        return app.run()

    return make


@pytest.fixture
def through_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run goes through app.py and its st.navigation, as under ``okrdash serve``.

    AppTest switches Streamlit's legacy pages/ detection on again before each run, and then runs a
    page script alone, without app.py (its sidebar, token and outage handling); ``okrdash serve``
    turns that detection off (ui/server.py, prepare), and so does this fixture.
    """
    from streamlit.runtime.pages_manager import PagesManager

    streamlit_init = PagesManager.__init__

    def without_legacy_pages(self, *args, **kwargs) -> None:
        streamlit_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", without_legacy_pages)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)


def open_page(make_app: Callable[..., AppTest], db: Path | str, page: str | None, **query: str) -> AppTest:
    """With :func:`through_app_py`: the app opened on its start page, then ``page`` chosen in its
    navigation (a page's url path is known once app.py has run: "my" for my_key_results.py)."""
    app = make_app(db, **query)
    return app.switch_page(page).run() if page else app


@pytest.fixture
def as_person(monkeypatch: pytest.MonkeyPatch) -> Callable[[Access], None]:
    """``as_person(access)``: every page sees this person (role and teams) instead of local mode,
    as the sign-in would give them."""

    def become(access: Access) -> None:
        monkeypatch.setattr(auth, "current_access", lambda ctx: access)

    return become


def tables(app: AppTest) -> int:
    """The tables a page draws: canvas grids (a reader switched one on, or an editor) and HTML tables."""
    return len(app.dataframe) + sum(html.proto.body.count('class="okr-table"') for html in app.get("html"))


def page_captions(app: AppTest) -> list[str]:
    """The page's captions, without those of the share box app.py puts above every page."""
    share = {translate(key, lang).split("{")[0] for key in ("share.live", "share.pinned") for lang in ("en", "id")}
    return [c.value for c in app.caption if not c.value.startswith(tuple(share))]
