"""Every page in Bahasa Indonesia: no English label, option or state left over (AppTest).

The walk reads every string an element shows (labels, options, placeholders, help, captions,
headings, metric labels, table columns, page links) and fails on an English text of our own
locales that Indonesian says otherwise, on the company's team shown by its English name, and on
Streamlit's own English texts that a page could show.
"""

from __future__ import annotations

import re

import pytest
from google.protobuf.json_format import MessageToDict

from okrdash.i18n import strings
from okrdash.markdown import plain
from tests.pages.conftest import AS_OF, CYCLE
from tests.helpers.html_tables import image_texts, shown_tables

PAGES = [
    (None, {}),
    ("pages/team.py", {}),
    ("pages/team.py", {"team": "Engineering", "status": "Off Track"}),
    ("pages/objective.py", {"objective": "1"}),
    ("pages/my_key_results.py", {"owner": "Rizky"}),
    ("pages/kpis.py", {}),
    ("pages/kpis.py", {"team": "Company"}),
    ("pages/review.py", {}),
    ("pages/upload.py", {}),
    ("pages/explainer.py", {}),
]
# Words a page must not show in Indonesian, wherever they appear: the company team's English name,
# the review's "all teams" and Streamlit's own uploader texts.
KNOWN_ENGLISH = ("Company", "All teams", "Drag and drop", "Browse files", "per file", "Choose an option")
# The upload page's file format reference (docs/csv-format.md) exists in English only.
REFERENCE = "# Files okrdash reads"
_FIELDS = ("label", "options", "placeholder", "help", "body", "title", "caption", "text", "defaultValue")


def english_only() -> set[str]:
    """Our English texts (without placeholders) that Indonesian translates differently."""
    en, id_ = strings("en"), strings("id")
    # The example company's names (examples.*) are data: a team called "Engineering" keeps its name.
    # Units and KPI categories are data words too: a team may be called "Marketing" (the leak test
    # below checks the units).
    return {text for key, text in en.items() if not key.startswith(("examples.", "unit.", "category."))
            and "{" not in text and id_.get(key) not in (None, text) and len(text) > 3}


def shown_texts(app, fields: tuple[str, ...] = _FIELDS) -> list[str]:
    """Every string the elements of the page (and the sidebar) show."""
    texts: list[str] = []

    def collect(value: object, field: str | None) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                collect(inner, name)
        elif isinstance(value, list):
            for inner in value:
                collect(inner, field)
        elif isinstance(value, str) and field in fields and not value.startswith(REFERENCE):
            texts.append(value)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            collect(MessageToDict(proto), None)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    texts += [str(column) for frame in shown_tables(app) for column in frame.columns]
    texts += image_texts(app)  # the charts' and sparklines' words and numbers
    return texts


@pytest.mark.parametrize(("page", "query"), PAGES)
def test_every_page_in_indonesian_has_no_english_left(demo_db, make_app, page, query):
    app = make_app(demo_db, page=page, as_of=AS_OF, cycle=CYCLE, lang="id", **query)
    assert not app.exception
    texts = shown_texts(app)
    assert texts
    english = english_only()
    left = sorted({text for text in texts if text.strip() in english})
    assert left == [], left
    for word in KNOWN_ENGLISH:
        found = [text for text in texts if re.search(rf"\b{re.escape(word)}\b", text)]
        assert found == [], (word, found)


# What the Indonesian pages used to show in English or raw (issue 24.3): the company team's English
# name, Python's empty values, a negative zero, the stored batch sources, Streamlit's own widget
# words, an English README heading, and the demo's unit words after a number.
LEAKED = (r"\bCompany\b", r"\bNone\b", r"\bnan\b", r"\bNaN\b", r"-0%", r"\bOKR editor\b", r"\bcheck-in form\b",
          r"\bcarry-forward\b", r"\bKPI editor\b", r"\bKPI measurement form\b", r"\(required\)", r"Press Enter",
          r"Deploying on an intranet", r"berkas CSV$",
          r"\d (minutes?|hours?|days?|points?|customers|sign-ups|weeks?)\b")
# The demo company's own words (titles, names, notes: English data a team typed) are left out first.
_DATA_SQL = """SELECT title FROM objectives UNION SELECT title FROM key_results UNION SELECT name FROM kpis
               UNION SELECT note FROM checkins WHERE note IS NOT NULL"""


def typed_data(db) -> list[str]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as connection:
        return sorted((row[0] for row in connection.execute(_DATA_SQL).fetchall()), key=len, reverse=True)


def leaks(texts: list[str], data: list[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        ours = text
        for typed in data:
            ours = ours.replace(typed, "").replace(plain(typed), "")
        found += [(pattern, text) for pattern in LEAKED if re.search(pattern, ours)]
    return found


PAGES_WITH_ALL = [*PAGES, ("pages/kpis.py", {"kpi": "31"}), ("pages/objective.py", {"objective": "36"})]


@pytest.mark.parametrize(("page", "query"), PAGES_WITH_ALL)
def test_every_page_in_indonesian_shows_no_english_word_or_raw_value_it_used_to_leak(demo_db, demo_db_file, make_app,
                                                                                     page, query):
    app = make_app(demo_db, page=page, as_of=AS_OF, cycle=CYCLE, lang="id", **query)
    assert not app.exception
    texts = [text for text in shown_texts(app, fields=(*_FIELDS, "value", "rawValue", "delta"))
             if not text.startswith(("<style>", REFERENCE))]
    texts += [str(cell) for frame in shown_tables(app) for column in frame.columns
              if not frame[column].map(lambda v: isinstance(v, list)).any() for cell in frame[column]]
    assert leaks(texts, typed_data(demo_db_file)) == []
