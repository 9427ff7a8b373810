"""Starting the Streamlit server for ``okrdash serve`` (the CLI stays free of Streamlit)."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli


def run(app: Path, options: list[str]) -> int:
    """``streamlit run app`` with ``options`` (``--server.port`` ...), in this process."""
    # Streamlit treats a folder named pages/ next to the entry point as a legacy multipage app
    # until st.navigation has run once, so the first visitor of a shared deep link would get a
    # page without app.py's navigation and sidebar. Our pages/ are st.navigation pages.
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(app), *options]
    return streamlit_cli.main(standalone_mode=False) or 0
