"""Static drawings as inline SVG: sparklines, progress bars and the pages' charts. No Streamlit here.

A page that opens with a Vega chart or a canvas data grid makes the browser fetch and compile about
1 MB of JavaScript for each (Streamlit loads an element's code when it first draws one): more than
the whole rest of a page. A sparkline, a progress bar, a dozen bars or a burn-up line carry the
same facts as a few SVG shapes, drawn at once with nothing to load. Every text in a drawing (a
title, a label, a tooltip) is escaped; numbers and dates are written in the reader's language.

:func:`chart` draws the specs of okrdash/charts.py from the rows they carry (their named
``datasets``), so a view model builds one spec and the page chooses how to draw it: this static
drawing first, the interactive Vega chart when the reader asks for it.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from okrdash import formatting

TRACK = "#e8e8e8"
TICK = "#212121"
LINE = "#1565c0"
AXIS = "#757575"
FONT = 'font-family="sans-serif" font-size="11"'


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _share(value: object) -> float:
    """A share clamped to 0..1 for drawing (the words beside it say the real value, 130% or -5%)."""
    usable = formatting.finite_number(value)
    return 0.0 if usable is None else min(max(usable, 0.0), 1.0)


def progress_bar(share: object, color: str, expected: object = None, expected_text: str = "") -> str:
    """A bar filled to ``share`` (0..1, clamped: 130% fills it, a negative or missing share leaves it
    empty) in ``color``, with the expected progress as a dark tick whose tooltip is ``expected_text``.
    HTML, not SVG: it sits in a line of text, a table cell or a phone card and takes their width."""
    value = round(_share(share) * 100, 1)
    tick = ""
    at = formatting.finite_number(expected)
    if at is not None:
        left = round(min(max(at, 0.0), 1.0) * 100, 1)
        tick = (f'<div title="{_text(expected_text)}" '
                f'style="position:absolute;left:calc({left}% - 1.5px);top:-4px;width:3px;height:20px;'
                f'background:{TICK}"></div>')
    return (f'<div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{value}" '
            f'style="position:relative;height:12px;margin:6px 0 4px 0;background:{TRACK};border-radius:2px">'
            f'<div style="width:{value}%;height:100%;background:{_text(color)};border-radius:2px"></div>{tick}</div>')


def image(svg: str, alt: str) -> str:
    """``svg`` as an image in HTML: Streamlit's st.html keeps only HTML (DOMPurify's html profile
    drops inline ``<svg>``), and an image of a data URI is never run as a script. ``alt`` (escaped)
    is its text for a screen reader and its tooltip."""
    if not svg:
        return ""
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img src="data:image/svg+xml;base64,{data}" alt="{_text(alt)}" title="{_text(alt)}" '
            'style="max-width:100%;height:auto">')


def sparkline(values: Sequence[object] | None, lang: str = "en", width: int = 120, height: int = 28,
              color: str = LINE) -> str:
    """The recent values as a line, the last one as a dot; empty when fewer than one value is usable.
    Its tooltip lists the first and last values in the reader's language."""
    points = [value for value in (formatting.finite_number(v) for v in values or ()) if value is not None]
    if not points:
        return ""
    low, high = min(points), max(points)
    span = high - low or 1.0
    step = width / max(len(points) - 1, 1)
    pad = 3
    xy = [(round(i * step if len(points) > 1 else width / 2, 1),
           round(pad + (height - 2 * pad) * (1 - (value - low) / span) if high > low else height / 2, 1))
          for i, value in enumerate(points)]
    title = " → ".join(formatting.number(v, lang) for v in ((points[0], points[-1]) if len(points) > 1 else points))
    line = " ".join(f"{x},{y}" for x, y in xy)
    last_x, last_y = xy[-1]
    return (f'<svg class="okr-sparkline" role="img" aria-label="{_text(title)}" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{_text(title)}</title>'
            f'<polyline points="{line}" fill="none" stroke="{_text(color)}" stroke-width="1.5"/>'
            f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="{_text(color)}"/></svg>')


# -- charts ---------------------------------------------------------------------------------------

WIDTH = 640          # px of a line chart; it scales down to its column
BAR_WIDTH = 460      # px of a bar chart: narrower, so its labels stay readable in half a page
ROW = 22             # px a bar takes
LEFT = 170           # px of labels left of the bars
LINE_HEIGHT = 220


def bar_chart(rows: Sequence[tuple[str, Sequence[tuple[float, str, str]]]], title: str, value_title: str,
              lang: str = "en", legend: Sequence[tuple[str, str]] = ()) -> str:
    """Horizontal bars, one per row: ``(label, [(value, colour, tooltip), ...])``, the parts of a row
    stacked. The count of each row is written after its bar; ``legend`` is (label, colour) pairs."""
    totals = [sum(max(formatting.finite_number(value) or 0.0, 0.0) for value, _, _ in parts) for _, parts in rows]
    most = max(totals, default=0.0) or 1.0
    span = BAR_WIDTH - LEFT - 50
    top = 24
    out = [f'<text x="0" y="14" font-weight="600">{_text(title)}</text>']
    for index, ((label, parts), total) in enumerate(zip(rows, totals)):
        y = top + index * ROW
        out.append(f'<text x="{LEFT - 6}" y="{y + 14}" text-anchor="end">{_text(_clip(label, 28))}'
                   f'<title>{_text(label)}</title></text>')
        x = float(LEFT)
        for value, color, tip in parts:
            size = max(formatting.finite_number(value) or 0.0, 0.0) / most * span
            if size > 0:
                out.append(f'<rect x="{round(x, 1)}" y="{y + 3}" width="{round(size, 1)}" height="{ROW - 6}" '
                           f'fill="{_text(color)}"><title>{_text(tip)}</title></rect>')
            x += size
        out.append(f'<text x="{round(x + 4, 1)}" y="{y + 14}">{_text(formatting.number(total, lang))}</text>')
    y = top + len(rows) * ROW + 14
    out.append(f'<text x="{LEFT}" y="{y}" fill="{AXIS}">{_text(value_title)}</text>')
    x = 0
    for label, color in legend:
        y_legend = y + 18
        out.append(f'<rect x="{x}" y="{y_legend - 9}" width="10" height="10" fill="{_text(color)}"/>'
                   f'<text x="{x + 14}" y="{y_legend}">{_text(label)}</text>')
        x += 24 + 7 * len(label)
    height = y + (22 if legend else 6)
    return _svg(out, height, title, BAR_WIDTH)


def line_chart(series: Sequence[tuple[str, str, bool, Sequence[tuple[dt.date, float]]]], title: str,
               value_title: str, date_title: str, lang: str = "en", target: tuple[float, str] | None = None,
               band: tuple[float, float] | None = None) -> str:
    """Lines over time: ``series`` of (name, colour, dashed, [(date, value), ...]), each point with
    its date and value as a tooltip; ``target`` (value, label) a dashed rule; ``band`` (low, high) a
    shaded range. The axes name the first and last date and the lowest and highest value."""
    points = [(day, value) for _, _, _, rows in series for day, value in rows if formatting.finite_number(value) is not None]
    values = [float(v) for _, v in points] + ([target[0]] if target else []) + (list(band) if band else [])
    values = [v for v in (formatting.finite_number(v) for v in values) if v is not None]
    out = [f'<text x="0" y="14" font-weight="600">{_text(title)}</text>']
    if not points:
        return _svg(out, 24, title)
    days = [day for day, _ in points]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    left, right, top, bottom = 70, WIDTH - 10, 28, LINE_HEIGHT - 36

    def x_of(day: dt.date) -> float:
        whole = (last - first).days or 1
        return round(left + (right - left) * ((day - first).days / whole if last > first else 0.5), 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    if band:
        y_high, y_low = y_of(band[1]), y_of(band[0])
        out.append(f'<rect x="{left}" y="{y_high}" width="{right - left}" height="{round(y_low - y_high, 1)}" '
                   'fill="#f59e0b" fill-opacity="0.15"/>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{AXIS}"/>'
               f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{AXIS}"/>')
    for value in (low, high):
        out.append(f'<text x="{left - 4}" y="{y_of(value) + 4}" text-anchor="end" fill="{AXIS}">'
                   f'{_text(formatting.number(value, lang))}</text>')
    for day, anchor in ((first, "start"), (last, "end")):
        out.append(f'<text x="{x_of(day)}" y="{bottom + 14}" text-anchor="{anchor}" fill="{AXIS}">'
                   f'{_text(formatting.date(day, lang))}</text>')
    out.append(f'<text x="{(left + right) // 2}" y="{bottom + 28}" text-anchor="middle" fill="{AXIS}">'
               f'{_text(date_title)}</text>'
               f'<text x="12" y="{(top + bottom) // 2}" fill="{AXIS}" text-anchor="middle" '
               f'transform="rotate(-90 12 {(top + bottom) // 2})">{_text(value_title)}</text>')
    if target:
        y = y_of(target[0])
        out.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{LINE}" stroke-dasharray="2 2">'
                   f'<title>{_text(target[1])}: {_text(formatting.number(target[0], lang))}</title></line>')
    legend_x = left
    for name, color, dashed, rows in series:
        usable = sorted((day, float(v)) for day, v in rows if formatting.finite_number(v) is not None)
        if not usable:
            continue
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        line = " ".join(f"{x_of(day)},{y_of(value)}" for day, value in usable)
        out.append(f'<polyline points="{line}" fill="none" stroke="{_text(color)}" stroke-width="2"{dash}/>')
        out.extend(f'<circle cx="{x_of(day)}" cy="{y_of(value)}" r="3" fill="{_text(color)}"><title>'
                   f'{_text(name)}: {_text(formatting.date(day, lang))}, {_text(formatting.number(value, lang))}'
                   '</title></circle>' for day, value in usable)
        out.append(f'<line x1="{legend_x}" y1="{LINE_HEIGHT - 4}" x2="{legend_x + 18}" y2="{LINE_HEIGHT - 4}" '
                   f'stroke="{_text(color)}" stroke-width="2"{dash}/>'
                   f'<text x="{legend_x + 22}" y="{LINE_HEIGHT}">{_text(name)}</text>')
        legend_x += 40 + 7 * len(name)
    return _svg(out, LINE_HEIGHT + 4, title)


def _clip(label: str, characters: int) -> str:
    return label if len(label) <= characters else label[:characters - 1] + "…"


def _svg(parts: list[str], height: int, title: str, width: int = WIDTH) -> str:
    return (f'<svg class="okr-chart" role="img" aria-label="{_text(title)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" {FONT} xmlns="http://www.w3.org/2000/svg">'
            + "".join(parts) + "</svg>")


# -- the specs of okrdash/charts.py -----------------------------------------------------------------


DRAWINGS_KEPT = 64


def drawn_once(draw: Callable[..., str]) -> Callable[..., str]:
    """``draw(subject, *args)``, kept for the :data:`DRAWINGS_KEPT` subjects drawn last, by the
    subject object itself and the other arguments (the reader's language).

    A chart's spec or a table belongs to a view model that every session draws
    (okrdash.ui.caching.shared_view) and nobody changes, so it is drawn once, not in every view
    (a burn-up or a KPI's history was 5-15 ms of Python, a list's HTML about as much). A subject
    must not change once drawn. An entry holds its subject, so no other object can take its id
    while it is kept; a subject built anew for every view (a view no session shares) is a miss.
    """
    kept: OrderedDict[tuple[Any, ...], tuple[object, str]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(draw)
    def drawn(subject: object, *args: Any) -> str:
        key = (id(subject), *args)
        with lock:
            found = kept.get(key)
            if found is not None:
                kept.move_to_end(key)
                return found[1]
        made = draw(subject, *args)
        with lock:
            kept[key] = (subject, made)
            while len(kept) > DRAWINGS_KEPT:
                kept.popitem(last=False)
        return made

    return drawn


@drawn_once
def chart(spec: dict[str, Any], lang: str = "en") -> str:
    """A spec of okrdash/charts.py drawn from its own rows: the burn-up (dataset ``series``), a KPI's
    history (``history``), key results per team by status and the grade distribution (``counts``).
    The spec must not change once drawn (:func:`drawn_once`)."""
    data: dict[str, pd.DataFrame] = spec.get("datasets", {})
    title = str(spec.get("title") or "")
    encoding = _encoding(spec)
    if "series" in data or "history" in data:
        target = data.get("target")
        target_at = (float(target["value"].iloc[0]), str(target["label"].iloc[0])) if target is not None else None
        band = data.get("band")
        if "series" in data:
            frame, colours = data["series"], _scale(encoding.get("color", {}))
            dashed = dict(zip(_domain(encoding.get("color", {})), (False, True)))
            lines = [(str(name), colours.get(name, LINE), dashed.get(name, False), _points(rows))
                     for name, rows in frame.groupby("series", sort=False)]
        else:
            lines = [(str(encoding.get("y", {}).get("title", "")), LINE, False, _points(data["history"]))]
        return line_chart(lines, title, str(encoding.get("y", {}).get("title", "")),
                          str(encoding.get("x", {}).get("title", "")), lang, target=target_at,
                          band=(float(band["low"].iloc[0]), float(band["high"].iloc[0])) if band is not None else None)
    counts = data.get("counts", pd.DataFrame())
    colours = _scale(encoding.get("color", {}))
    x_title = str(encoding.get("x", {}).get("title", ""))
    if "team" in counts.columns:  # key results per team, stacked by status
        ordered = counts.sort_values(["team", "status_rank"]) if "status_rank" in counts.columns else counts
        rows = [(str(team), [(float(n), colours.get(label, AXIS), f"{team} · {label}: {formatting.number(n, lang)}")
                             for label, n in zip(part["status_label"], part["count"])])
                for team, part in ordered.groupby("team", sort=True)]
        return bar_chart(rows, title, x_title, lang, legend=list(colours.items()))
    rows = [(str(label), [(float(n), colours.get(label, AXIS), f"{label}: {formatting.number(n, lang)}")])
            for label, n in zip(counts.get("label", []), counts.get("count", []))]
    return bar_chart(rows, title, x_title, lang)


def _encoding(spec: dict[str, Any]) -> dict[str, Any]:
    """The channels of a spec: its own, or its first layer's (the line of a layered chart)."""
    if "encoding" in spec:
        return spec["encoding"]
    for layer in spec.get("layer", []):
        if "x" in layer.get("encoding", {}):
            return layer["encoding"]
    return {}


def _domain(channel: dict[str, Any]) -> list[str]:
    return list(channel.get("scale", {}).get("domain", []))


def _scale(channel: dict[str, Any]) -> dict[str, str]:
    scale = channel.get("scale", {})
    return dict(zip(scale.get("domain", []), scale.get("range", [])))


def _points(frame: pd.DataFrame) -> list[tuple[dt.date, float]]:
    return [(pd.Timestamp(day).date(), value) for day, value in zip(frame["date"], frame["value"])
            if not pd.isna(day)]
