"""Every page stays light: at most 3 MB of JavaScript for a fresh deep link (issue 27).

A browser with nothing cached opens each page's link; every script it fetches until the first run
is over and no new script has been asked for in a second is counted (bench/browser.py's
``Scripts``, the same count the benchmark records). Streamlit loads an element's code when it
first draws one: a canvas data grid (~1.7 MB) or a Vega chart (~1 MB) on a page's first view
would break the budget; they load only when a reader switches them on. Bytes, not time: the
count is the same on a loaded machine.
"""

from __future__ import annotations

import pytest

from bench.browser import TARGET_JS_BYTES, Scripts
from tests.e2e.conftest import AS_OF, CYCLE, wait_idle

LOADED_S = 90

PAGES = [
    "/", "/team?team=Sales", "/objective?objective=1", "/kpis?kpi=1", "/review", "/explainer", "/upload",
    "/my?owner=Agus", "/checkin", "/team?team=Sales&lang=id",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_fresh_deep_link_fetches_at_most_3_mb_of_javascript(new_page, app_url: str, path: str) -> None:
    page = new_page()
    scripts = Scripts(page)
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{joiner}as_of={AS_OF}&cycle={CYCLE}", wait_until="domcontentloaded")
    wait_idle(page, after_action=False)
    scripts.settle(LOADED_S)
    files = scripts.files()
    assert len(files) > 20 and all(files.values()), files  # Streamlit's own bundle was counted
    heaviest = sorted(files.items(), key=lambda item: -item[1])[:8]
    assert sum(files.values()) <= TARGET_JS_BYTES, (sum(files.values()), heaviest)
