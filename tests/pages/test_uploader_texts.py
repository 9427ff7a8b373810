"""Streamlit's own file uploader texts: what 1.67 lets us change, and a tripwire for an upgrade.

Streamlit 1.67 has no parameter for the uploader's "Upload" button, its "200MB per file • CSV ..."
line or the "Drag and drop files here" shown while dragging; okrdash hides the size line (and,
outside English, the button's word) by test id and says the same in the reader's language. These
tests fail when an upgrade adds a parameter for those texts (use it instead) or moves what we hide.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import streamlit as st

from okrdash.ui import widgets
from tests.pages.conftest import AS_OF, CYCLE

# st.file_uploader's parameters in 1.67: none of them sets the texts above.
KNOWN_PARAMETERS = {"label", "type", "accept_multiple_files", "key", "help", "on_change", "args", "kwargs",
                    "max_upload_size", "disabled", "label_visibility", "width"}


def _bundle() -> str:
    static = Path(st.__file__).parent / "static"
    return "\n".join(path.read_text(encoding="utf-8", errors="ignore") for path in static.rglob("FileUploader*.js"))


def test_file_uploader_still_has_no_parameter_for_its_texts():
    assert set(inspect.signature(st.file_uploader).parameters) == KNOWN_PARAMETERS


def test_what_we_hide_is_where_streamlit_draws_its_english_texts():
    bundle = _bundle()
    assert bundle, "Streamlit's FileUploader bundle moved"
    for test_id in (widgets.UPLOADER_INSTRUCTIONS, widgets.UPLOADER_DROPZONE):
        assert f"`{test_id}`" in bundle or f'"{test_id}"' in bundle, test_id
    for english in ("per file", "label:l?`Upload directories`:`Upload`", "Drag and drop files here"):
        assert english in bundle, english


def test_upload_page_states_size_and_types_in_the_readers_language(demo_db, make_app):
    for lang, words in (("id", "paling besar 200 MB per berkas"), ("en", "up to 200 MB per file")):
        app = make_app(demo_db, page="pages/upload.py", as_of=AS_OF, cycle=CYCLE, lang=lang)
        assert not app.exception
        hint = [c.value for c in app.caption if words in c.value]
        assert hint and "CSV" in hint[0] and "ODS" in hint[0], [c.value for c in app.caption]
        styles = " ".join(h.proto.body for h in app.get("html"))
        assert widgets.UPLOADER_INSTRUCTIONS in styles
        assert (f"\"{widgets.UPLOADER_DROPZONE}\"]" in styles) == (lang != "en")


def test_streamlit_draws_its_english_widget_words_where_page_style_hides_them():
    static = Path(st.__file__).parent / "static"
    bundle = "\n".join(path.read_text(encoding="utf-8", errors="ignore") for path in static.rglob("*.js")
                       if path.name.startswith(("WidgetLabel", "InputInstructions")))
    for test_id, english in ((widgets.REQUIRED_MARK, "(required)"), (widgets.INPUT_INSTRUCTIONS, "Press Enter to")):
        assert f"`{test_id}`" in bundle and english in bundle, test_id


def test_every_page_hides_the_required_mark_and_outside_english_the_enter_hint(demo_db, make_app):
    for lang in ("id", "en"):
        app = make_app(demo_db, as_of=AS_OF, cycle=CYCLE, lang=lang)  # app.py, which every page runs in
        styles = " ".join(h.proto.body for h in app.get("html"))
        assert f'"{widgets.REQUIRED_MARK}"]' in styles
        assert (f'"{widgets.INPUT_INSTRUCTIONS}"]' in styles) == (lang != "en")
