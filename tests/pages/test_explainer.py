"""The OKR vs KPI page through AppTest, in both languages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.pages.conftest import AS_OF

PAGE = "pages/explainer.py"
LOCALES = Path(__file__).resolve().parents[2] / "okrdash" / "locales"


@pytest.mark.parametrize(("lang", "heading", "words"), [
    ("en", "Two tools that answer different questions", "dashboard"),
    ("id", "Dua alat yang menjawab pertanyaan berbeda", "dasbor"),
])
def test_explainer_in_both_languages(demo_db, make_app, lang, heading, words):
    app = make_app(demo_db, page=PAGE, as_of=AS_OF, lang=lang)
    assert not app.exception
    assert app.title[0].value.endswith("OKR vs KPI")
    assert app.subheader[0].value == heading
    assert any(words in m.value for m in app.markdown)
    assert len(app.info) == 1                       # the full explainer is announced
    assert len(app.page_link) >= 2


def test_explainer_on_empty_database(empty_db, make_app):
    app = make_app(empty_db, page=PAGE)
    assert not app.exception
    assert app.title[0].value.endswith("OKR vs KPI")


def test_locale_keys_match():
    keys = {}
    for lang in ("en", "id"):
        with open(LOCALES / lang / "explainer.toml", "rb") as handle:
            keys[lang] = set(tomllib.load(handle)["explainer"])
    assert keys["en"] == keys["id"]
