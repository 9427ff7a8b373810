"""On a desktop (1280 and 1920 px wide, sidebar open) the columns a manager reads are drawn whole.

Streamlit's data grid draws on a canvas, so this reads what it drew: the column dividers in a
screenshot of the grid give each column's rendered left and right edge; the grid's accessible table
gives each cell's text; the browser's own text measure (canvas ``measureText`` in the grid's font)
gives the width that text needs. A column that matters must lie inside the visible part of the grid
and be wide enough for every one of its cells (plus the grid's padding on each side); its
cells' text must be the whole amount (``Rp2.400.000.000``, no ellipsis).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.e2e.conftest import AS_OF, CYCLE

LOADED_MS = 90_000  # a loaded machine shared by several test runs draws a page slowly

# page path, the grid to read (n-th on the page), the columns (header texts) that matter.
TABLES = [
    # On the team page the first grid is the team's attention list; the key results' grid follows.
    ("/team?team=Company", 1, ("Current", "Target")),
    ("/team?team=Sales&lang=id", 1, ("Saat ini", "Target")),
    ("/objective?objective=1", 0, ("Current", "Target")),
    ("/kpis", 0, ("Latest value", "Target")),
    ("/kpis?lang=id", 0, ("Nilai terakhir", "Target")),
]


def _grid_geometry(page: Page, index: int) -> dict:
    """Headers and cell texts (from the accessible table), the font, and the visible width."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    return grid.evaluate("""grid => {
        const headers = [...grid.querySelectorAll('th[role="columnheader"]')].map(th => th.textContent);
        const rows = [...grid.querySelectorAll('tbody tr')].map(
            tr => [...tr.querySelectorAll('td')].map(td => td.textContent));
        const scroller = grid.querySelector('.dvn-scroller');
        const canvas = grid.querySelector('canvas[data-testid="data-grid-canvas"]');
        // The grid's own font and padding, as glide-data-grid publishes them on its element.
        const style = getComputedStyle(grid.querySelector('.stDataFrameGlideDataEditor'));
        const family = style.getPropertyValue('--gdg-font-family');
        const measure = (font) => {
            const context = document.createElement('canvas').getContext('2d');
            context.font = `${font} ${family}`;
            return (text) => context.measureText(text).width;
        };
        const cell = measure(style.getPropertyValue('--gdg-base-font-style'));
        const header = measure(style.getPropertyValue('--gdg-header-font-style'));
        const widths = rows.map(cells => cells.map(cell));
        const headerWidths = headers.map(header);
        const padding = parseFloat(style.getPropertyValue('--gdg-cell-horizontal-padding'));
        return {headers, rows, widths, headerWidths, padding, visible: scroller.clientWidth,
                canvasTop: canvas.getBoundingClientRect().top - grid.getBoundingClientRect().top};
    }""")


def _column_edges(page: Page, index: int) -> list[int]:
    """The x of every vertical divider the grid drew: a pixel column of one colour (not the
    background) across the header and the first two rows."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    image = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
    width, height = image.size
    header_y, first_y, second_y = 17, 35 + 17, min(height - 3, 35 * 2 + 17)
    background = image.getpixel((width // 2, 2))
    edges = []
    for x in range(width):
        colours = {image.getpixel((x, y)) for y in (header_y, first_y, second_y, 2, 30)}
        if len(colours) == 1 and colours != {background} and x - (edges[-1] if edges else -9) > 3:
            edges.append(x)
    return edges


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize(("path", "index", "wanted"), TABLES)
def test_the_columns_that_matter_are_drawn_whole(page: Page, app_url: str, width: int, path: str, index: int,
                                                  wanted: tuple[str, ...]) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{joiner}as_of={AS_OF}&cycle={CYCLE}", wait_until="domcontentloaded")
    # Only the tables must have drawn (not every chart): the run is over and the grid's canvas is there.
    page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState"
                           " === 'notRunning'", timeout=LOADED_MS, polling=100)
    page.wait_for_selector('[data-testid="stDataFrame"] canvas[data-testid="data-grid-canvas"]', timeout=LOADED_MS)
    page.wait_for_timeout(1000)
    geometry = _grid_geometry(page, index)
    edges = _column_edges(page, index)
    headers = geometry["headers"]
    assert len(edges) >= 2, edges
    # Segment n of the drawing is column n (the grid draws its columns left to right, no index).
    bounds = list(zip([0, *edges], edges))
    for name in wanted:
        column = headers.index(name)
        assert column < len(bounds), (name, "is not drawn inside the visible grid", headers, edges)
        left, right = bounds[column]
        assert right <= geometry["visible"], (name, right, geometry["visible"])
        room = right - left - 2 * geometry["padding"]
        assert geometry["headerWidths"][column] <= room + 1, (name, "header", room)
        for cells, needs in zip(geometry["rows"], geometry["widths"]):
            assert "…" not in cells[column] and "..." not in cells[column], cells[column]
            assert needs[column] <= room + 1, (name, cells[column], needs[column], room)
    # The amounts are whole: the demo's monthly recurring revenue in Rupiah, on the KPI page.
    if path.startswith("/kpis"):
        latest = headers.index(wanted[0])
        assert any(cells[latest].startswith("Rp") and cells[latest].count(".") >= 2 or
                   cells[latest].startswith("Rp") and cells[latest].count(",") >= 2 for cells in geometry["rows"])
