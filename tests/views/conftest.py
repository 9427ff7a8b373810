"""The view models on the fixture company (tests/fixtures/company.py): one store for the session,
which these tests only read; a test that writes opens its own with ``fresh_company``."""

from __future__ import annotations

import pytest

from okrdash.store import Store
from okrdash.views.common import Scope
from tests.fixtures import company as fixture


@pytest.fixture(scope="session")
def company() -> Store:
    store = fixture.new_store()
    yield store
    store.close()


@pytest.fixture
def fresh_company() -> Store:
    store = fixture.new_store()
    yield store
    store.close()


def scope_of(store: Store, lang: str = "en", cycle: str | None = fixture.CYCLE, as_of=fixture.AS_OF) -> Scope:
    """The scope a page is read in: ``lang``, the named cycle (None: no cycle) and ``as_of``."""
    return Scope(lang, fixture.cycle(store, cycle) if cycle else None, as_of)


@pytest.fixture(scope="session")
def graded_company() -> Store:
    """The fixture company with the Ops team's graded 2026-Q3 objectives (fixture.GRADED)."""
    store = fixture.new_store()
    fixture.load_graded(store)
    yield store
    store.close()
