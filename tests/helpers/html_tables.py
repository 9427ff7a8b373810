"""What a page drew as HTML (okrdash/ui/widgets.py) read back: its tables as DataFrames of their text,
as a reader sees them (a link cell gives its address, a progress cell its percent, a sparkline cell
its image's text), and its charts and sparklines as the SVG of their images."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "table" and "okr-table" in (values.get("class") or ""):
            self.tables.append(([], []))
        elif not self.tables:
            return
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell, self._link = [], None
        elif tag == "a" and self._cell is not None:
            self._link = values.get("href")
        elif tag == "img" and self._cell is not None:
            self._cell.append(values.get("alt") or "")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(self._link if self._link is not None else "".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            head, rows = self.tables[-1]
            if not head:
                head.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None


def read(body: str) -> list[pd.DataFrame]:
    """Every okr-table in ``body``, in order."""
    parser = _Tables()
    parser.feed(body)
    return [pd.DataFrame(rows, columns=head) if rows else pd.DataFrame(columns=head) for head, rows in parser.tables]


def shown_tables(app) -> list[pd.DataFrame]:
    """The tables an AppTest run drew: the canvas grids' frames and the HTML tables, in page order."""
    return _of(app.main)


def _of(node) -> list[pd.DataFrame]:
    kind = getattr(node, "type", None)
    if kind == "arrow_data_frame":
        return [node.value]
    if kind == "html":
        return read(node.proto.body)
    return [frame for child in getattr(node, "children", {}).values() for frame in _of(child)]


_IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def drawn_images(app, kind: str | None = "okr-chart") -> list[str]:
    """The SVG of every image of ``kind`` (okr-chart, okr-sparkline; None: all) the run drew, in page order."""
    svgs = [base64.b64decode(data).decode() for element in app.get("html") for data in _IMAGE.findall(element.proto.body)]
    return [svg for svg in svgs if kind is None or f'class="{kind}"' in svg]


def image_texts(app) -> list[str]:
    """Every text the run's drawings show: their labels, titles and tooltips."""
    return [text for svg in drawn_images(app, None) for element in ET.fromstring(svg).iter()
            if element.tag.endswith(("}text", "}title")) and (text := (element.text or "").strip())]
