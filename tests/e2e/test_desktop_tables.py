"""On a desktop (1280 and 1920 px wide, sidebar open) the columns a manager reads are drawn whole.

The pages' tables are HTML (okrdash/ui/widgets.py, html_table), so this reads the browser's own
layout of each: every cell of a column that matters (its heading included) must lie inside the
visible main area, show its whole text (nothing cut or hidden: the cell's content is no wider
than the cell) and hold the whole amount (``Rp2.400.000.000``, no ellipsis).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import AS_OF, CYCLE

LOADED_MS = 90_000  # a loaded machine shared by several test runs draws a page slowly
TABLE = '[data-testid="stMain"] table.okr-table'

# page path, the table to read (n-th shown on the page), the columns (header texts) that matter.
TABLES = [
    # On the team page the first table is the team's attention list; the key results' table follows.
    ("/team?team=Company", 1, ("Current", "Target")),
    ("/team?team=Sales&lang=id", 1, ("Saat ini", "Target")),
    ("/objective?objective=1", 0, ("Current", "Target")),
    ("/kpis", 0, ("Latest value", "Target")),
    ("/kpis?lang=id", 0, ("Nilai terakhir", "Target")),
]


def _table_layout(page: Page, index: int) -> dict:
    """Headers and, per row, each cell's text, right edge and whether its content overflows it;
    the right edge of the visible main area."""
    return page.evaluate("""([selector, index]) => {
        const shown = [...document.querySelectorAll(selector)].filter(table => table.offsetParent !== null);
        const table = shown[index];
        const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
        const describe = cell => ({text: cell.textContent, right: cell.getBoundingClientRect().right,
                                   cut: cell.scrollWidth > cell.clientWidth + 1});
        return {headers: [...table.querySelectorAll('thead th')].map(describe),
                rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(describe)),
                visible: Math.min(main.right, document.documentElement.clientWidth)};
    }""", [TABLE, index])


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize(("path", "index", "wanted"), TABLES)
def test_the_columns_that_matter_are_drawn_whole(page: Page, app_url: str, width: int, path: str, index: int,
                                                  wanted: tuple[str, ...]) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{joiner}as_of={AS_OF}&cycle={CYCLE}", wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState"
                           " === 'notRunning'", timeout=LOADED_MS, polling=100)
    page.wait_for_function("([selector, count]) => [...document.querySelectorAll(selector)]"
                           ".filter(table => table.offsetParent !== null).length >= count",
                           arg=[TABLE, index + 1], timeout=LOADED_MS, polling=100)
    layout = _table_layout(page, index)
    headers = [cell["text"] for cell in layout["headers"]]
    assert layout["rows"], headers
    for name in wanted:
        column = headers.index(name)
        for cell in [layout["headers"][column], *(row[column] for row in layout["rows"])]:
            assert cell["right"] <= layout["visible"] + 1, (name, cell, layout["visible"])
            assert not cell["cut"], (name, cell)
            assert "…" not in cell["text"] and "..." not in cell["text"], cell
    # The amounts are whole: the demo's monthly recurring revenue in Rupiah, on the KPI page.
    if path.startswith("/kpis"):
        latest = [row[headers.index(wanted[0])]["text"] for row in layout["rows"]]
        assert any(text.startswith("Rp") and (text.count(".") >= 2 or text.count(",") >= 2) for text in latest)
