"""How the pages draw the pieces of their view models (okrdash/views/common.py): alerts, page links,
status counts, tables with their downloads, badges, progress bars, charts, the file picker."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import charts, drawings, formatting
from okrdash.export import as_page_shows, to_csv_bytes, to_xlsx_bytes
from okrdash.markdown import plain as plain  # pages call widgets.plain
from okrdash.ui.context import Context
from okrdash.viewstate import SHARED
from okrdash.views.common import Badge, Bar, Card, Count, KeyResults, Message, PageLink, Table

WRAPPING_ROW_HEIGHT = 66  # px: Streamlit's grid wraps cell text only in rows taller than 4rem (64 px)
# Rows a table shows as HTML only; a longer one also offers the grid, to sort and search.
SMALL_TABLE_ROWS = 12


def message(shown: Message) -> None:
    """An alert of a view model: info, success or warning."""
    {"info": st.info, "success": st.success, "warning": st.warning, "error": st.error}[shown.kind](
        shown.text, icon=shown.icon)


def page_link(shown: PageLink, place: Any = None) -> None:
    """A link to another page of the app. The sidebar's language, cycle and date are bound to the
    address (ui/context.py), and Streamlit adds a bound value that is not its default to the new
    page's address itself: the link carries only the page's own filters, so neither lang twice nor
    today's date pinned on a live view."""
    query = {name: value for name, value in shown.link.query.items() if name not in SHARED}
    (place or st).page_link(shown.link.script, label=shown.label, icon=shown.icon, query_params=query)


def metrics(counts: tuple[Count, ...]) -> None:
    """How many have each status, side by side in one row that wraps (columns would stack on a phone)."""
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for count in counts:
            st.metric(count.label, count.count, width="content")


def table(ctx: Context, shown: Table, download: bool = True) -> None:
    """A view model's table drawn once: its first rows note, the rows as escaped HTML
    (:func:`html_table`) that CSS lays out as a table on a wide screen and, for a table with
    ``cards``, each row as a card on a phone; with a file name, its downloads. A table of more than
    SMALL_TABLE_ROWS rows also offers the canvas grid, to sort and search it: only a reader who
    switches it on makes the browser load the grid's code (~1.7 MB of JavaScript, more than the rest
    of the page). A list's switch is for a wide screen only; switched on, the grid replaces the
    table there and the phone keeps its cards.

    A list is one container (keyed list_<table key>): a table that grows past SMALL_TABLE_ROWS (its
    switch appears) or gains a first rows note must not move the elements after it, or an expander
    below (the Upload page's undo) would be a new one, closed, on the next run."""
    cards = shown.cards is not None
    with st.container(key=LIST + shown.key if cards else None):
        if shown.first_rows:
            st.caption(shown.first_rows)
        explore = False
        if len(shown.shown) > SMALL_TABLE_ROWS:
            with wide(f"{shown.key}_explore") if cards else nullcontext():
                explore = st.toggle(f"🔎 {ctx.t('common.explore_table')}", key=f"{shown.key}_explore")
                if explore:
                    grid(shown)
        if not explore:
            st.html(html_table(shown, ctx.lang))
        elif cards:
            with narrow(shown.key):
                st.html(html_table(shown, ctx.lang))
        if shown.file_name and download:
            table_downloads(ctx, shown)


def grid(shown: Table) -> None:
    """The canvas grid of a table (link, sparkline and progress columns drawn as such)."""
    config: dict[str, Any] = {}
    for column in shown.shown.columns:
        if column in shown.links:
            config[column] = st.column_config.LinkColumn(display_text="↗")
        elif column in shown.sparklines:
            config[column] = st.column_config.LineChartColumn(width="small")
        elif column in shown.bars:
            config[column] = st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent")
        elif column in shown.times:
            config[column] = st.column_config.DatetimeColumn(format=shown.times[column])
        elif column in shown.right or column in shown.widths or column in shown.helps:
            config[column] = st.column_config.TextColumn(
                alignment="right" if column in shown.right else None, width=shown.widths.get(column),
                help=shown.helps.get(column))
    st.dataframe(shown.shown, hide_index=True, width="stretch", column_config=config,
                 **({"row_height": WRAPPING_ROW_HEIGHT} if shown.wrapping else {}))


def badge(shown: Badge) -> None:
    st.badge(shown.label, icon=shown.icon or None, color=shown.color)


def badges(shown: tuple[Badge, ...]) -> None:
    """Badges on one line that wraps between them (st.badge's own directive): one st.badge never
    wraps, so a long label is cut short on a phone. Labels are plain text, made inert for Markdown."""
    if shown:
        st.markdown(badges_markdown(shown))


def badges_markdown(shown: tuple[Badge, ...]) -> str:
    """The Markdown of :func:`badges`, to write them inside a larger Markdown element."""
    return " ".join(f":{b.color}-badge[{f'{b.icon} ' if b.icon else ''}{plain(b.label)}]" for b in shown)


def key_results(ctx: Context, shown: KeyResults) -> None:
    """Key results as progress bars (status colours, the expected marker; a wide screen's, a phone's
    cards carry the same) and their table, whose rows are cards on a phone."""
    with wide(shown.table.key):
        bars(shown.bars)
    table(ctx, shown.table)


def bars(shown: tuple[Bar, ...]) -> None:
    """Status-coloured progress bars with the expected progress marked on each and the status in words.

    Drawn as static HTML, not as a chart: a bar and a tick carry no more than a chart would, and a
    Vega chart costs a browser that opens the page ~1 MB of JavaScript to fetch and compile and a
    canvas per bar set (the team page of a large company drew twenty)."""
    st.html(bars_html(shown))


def bars_html(shown: tuple[Bar, ...]) -> str:
    """The HTML of :func:`bars`: per bar its text (escaped) and a bar in the status colour with the
    expected progress as a dark tick (its value in the tick's title)."""
    return "".join(
        '<div class="okr-progress" style="margin:0 0 0.6rem 0">'
        f'<div style="white-space:pre-line;font-size:0.875rem;line-height:1.3">{html.escape(bar.text)}</div>'
        f'{drawings.progress_bar(bar.share, bar.color, bar.expected, bar.expected_text)}</div>' for bar in shown)


def table_downloads(ctx: Context, shown: Table) -> None:
    """A view model table's downloads: what the page says (numbers rounded as it rounds them, shares
    as percents), every row."""
    if shown.file_name:
        downloads(ctx, lambda: as_page_shows(shown.rows(), shown.shares), shown.file_name, shown.key, shown.shares)


def downloads(ctx: Context, rows: Callable[[], pd.DataFrame], file_name: str, key: str,
              shares: tuple[str, ...] = ()) -> None:
    """Download ``rows()`` (built when a button is clicked) as an Excel workbook and as a CSV in the
    reader's convention (Indonesian: ``;`` and decimal commas), both safe to open in a spreadsheet.

    The two buttons are in a popover (keyed ``<key>_files``): the browser draws a popover's contents
    only once it is opened, so a table's downloads cost a page's first draw one element instead of
    three (a review page has six tables; docs/scaling.md, issue 27)."""
    stem = file_name.removesuffix(".csv")
    with st.popover(f"⬇️ {ctx.t('common.download')}", key=f"{key}_files"):
        st.download_button(
            f"⬇️ {ctx.t('common.download_csv')}", data=lambda: to_csv_bytes(rows(), ctx.lang, shares),
            file_name=f"{stem}.csv", mime="text/csv", key=key, on_click="ignore", width="stretch",
        )
        st.download_button(
            f"⬇️ {ctx.t('common.download_xlsx')}", data=lambda: to_xlsx_bytes(rows(), stem, shares),
            file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx", on_click="ignore", width="stretch",
        )


def status_label(ctx: Context, status: str | None) -> str:
    """Icon plus translated label, so the status never rests on colour alone."""
    return ctx.words.status_label(status)


# Streamlit 1.67 draws its file uploader's texts in English and has no parameter to change them:
# "Upload" on the button, "200 MB per file • CSV, ..." under it and "Drag and drop files here" while
# a file is dragged over it. These test ids (tests/pages/test_uploader_texts.py checks that the
# installed Streamlit still has them) hide the size line, whose facts our caption gives in the
# reader's language, and, outside English, the button's word (its upload icon stays).
UPLOADER_INSTRUCTIONS = "stFileUploaderDropzoneInstructions"
UPLOADER_DROPZONE = "stFileUploaderDropzone"
_UPLOADER_CSS = (f'[data-testid="{UPLOADER_INSTRUCTIONS}"] {{ display: none; }}')
_UPLOADER_BUTTON_CSS = (f'[data-testid="{UPLOADER_DROPZONE}"] button [data-testid="stMarkdownContainer"] '
                        '{ display: none; }')


# Streamlit's own English words beside widgets, which no parameter translates: "(required)" after the
# label of a picker that always keeps a choice (the marker reads as a demand on a form), and, outside
# English, "Press Enter to apply / submit form" under a text field being typed in (a save button is
# always beside it). Test ids checked by tests/pages/test_uploader_texts.py.
REQUIRED_MARK = "stWidgetLabelRequired"
INPUT_INSTRUCTIONS = "InputInstructions"


# Below this width (Streamlit's own breakpoint, where columns stack) a list is drawn as cards.
PHONE_MAX_PX = 640
# Container keys: Streamlit gives a keyed container the class st-key-<key>.
WIDE, NARROW, LIST = "wide_", "narrow_", "list_"
_LAYOUT_CSS = (
    f"@media (max-width: {PHONE_MAX_PX}px) {{ [class*=\"st-key-{WIDE}\"] {{ display: none; }} }}"
    f"@media (min-width: {PHONE_MAX_PX + 1}px) {{ [class*=\"st-key-{NARROW}\"] {{ display: none; }} }}"
    # A metric's value wraps instead of being cut ("Rp2.400.0…"), and nothing is wider than the screen.
    '[data-testid="stMetricValue"] > div { white-space: normal; overflow-wrap: anywhere; }'
    ".okr-table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }"
    ".okr-table th, .okr-table td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e8e8e8; "
    "vertical-align: top; overflow-wrap: break-word; }"
    ".okr-table .num { text-align: right; white-space: nowrap; }"
    # A list's rows as cards on a phone (html_table with cards): the title's cell first, each other
    # cell a line after its column's name (data-label), the status colour down the left edge. The
    # header row stays for screen readers, visually hidden.
    f"@media (max-width: {PHONE_MAX_PX}px) {{"
    ".okr-cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }"
    ".okr-cards table, .okr-cards tbody, .okr-cards td { display: block; width: auto; }"
    ".okr-cards tr.okr-card { display: flex; flex-direction: column; "
    "border: 1px solid #e0e0e0; border-left: 6px solid var(--okr-status, #bdbdbd); "
    "border-radius: 6px; padding: 8px 10px; margin: 0 0 8px 0; overflow-wrap: anywhere; }"
    ".okr-cards td, .okr-cards .num { border: 0; padding: 1px 0; text-align: left; white-space: normal; "
    "min-width: 0 !important; }"
    ".okr-cards td[data-title] { order: -1; font-weight: 600; line-height: 1.3; }"
    '.okr-cards td:not([data-title])::before { content: attr(data-label) ": "; color: #555; }'
    ".okr-cards td:empty { display: none; } }")


def page_style(ctx: Context) -> None:
    """Static CSS every page gets (no user text): Streamlit's English widget words hidden, and the
    layout rules that show a list as a table on a wide screen and as cards on a phone."""
    hidden = [REQUIRED_MARK] + ([] if ctx.lang == "en" else [INPUT_INSTRUCTIONS])
    st.html("<style>" + ", ".join(f'[data-testid="{test_id}"]' for test_id in hidden) + " { display: none; }"
            + _LAYOUT_CSS + "</style>")


def wide(key: str) -> Any:
    """A container shown on a wide screen only (progress bars, a grid's switch, the people editor)."""
    return st.container(key=WIDE + key)


def narrow(key: str) -> Any:
    """A container shown on a phone only (cards beside a wide screen's grid)."""
    return st.container(key=NARROW + key)


def cards(shown: tuple[Card, ...]) -> None:
    st.html(cards_html(shown))


def cards_html(shown: tuple[Card, ...]) -> str:
    """Cards as static HTML, every text escaped: the title, the line under it, the details."""
    return "".join(
        f'<div class="okr-card" style="border:1px solid #e0e0e0;border-left:6px solid {html.escape(card.color, quote=True)};'
        'border-radius:6px;padding:8px 10px;margin:0 0 8px 0;overflow-wrap:anywhere">'
        f'<div style="font-weight:600;line-height:1.3">{html.escape(card.title)}</div>'
        f'<div style="font-size:0.875rem">{html.escape(card.status)}</div>'
        f'<div style="font-size:0.8rem;color:#555">{html.escape(card.details)}</div></div>' for card in shown)


@drawings.drawn_once  # a view model's table, drawn once for every session that shows it
def html_table(shown: Table, lang: str = "en") -> str:
    """A table as static HTML, every cell escaped, instead of the canvas grid: nothing to load, and
    the text wraps on a phone. Link columns are links (↗), sparkline columns small line images,
    progress columns bars with their percent, date-time columns the date and time in the reader's
    language; a column's help is its heading's tooltip. A table with ``cards`` has each row also a
    phone's card (page_style's CSS): its cells carry their column's name, the title column's cell
    heads the card, the row carries its status colour."""
    frame = shown.shown
    head = "".join(f'<th title="{html.escape(shown.helps[column])}">{html.escape(str(column))}</th>'
                   if column in shown.helps else f"<th>{html.escape(str(column))}</th>" for column in frame.columns)
    as_cards = shown.cards
    cells = [_cell(shown, column, lang, f' data-label="{html.escape(str(column))}"' if as_cards is not None else "")
             for column in frame.columns]
    drawn = [[cell(value) for cell, value in zip(cells, row)] for row in frame.itertuples(index=False)]
    if as_cards is not None:
        titled = list(frame.columns).index(as_cards.title) if as_cards.title in frame.columns else None
        # A row without a colour (a list without statuses) is still a card, in the neutral colour.
        colours = [*as_cards.colors, *[None] * (len(drawn) - len(as_cards.colors))]
        rows = "".join(_card_row(colour, titled, row) for colour, row in zip(colours, drawn))
    else:
        rows = "".join("<tr>" + "".join(row) + "</tr>" for row in drawn)
    # In a frame of its own: a wide table scrolls inside it, never the page on a phone.
    frame_class = ' class="okr-cards"' if as_cards is not None else ""
    return (f'<div{frame_class} style="overflow-x:auto"><table class="okr-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


def _card_row(colour: str | None, titled: int | None, row: list[str]) -> str:
    """A row (its cells drawn) as a phone's card: its status colour (a colour of okrdash.charts,
    escaped all the same) and the title's cell (position ``titled``) marked, to head the card."""
    cells = "".join(f"<td data-title{drawn[3:]}" if i == titled else drawn for i, drawn in enumerate(row))
    style = "" if colour is None else f' style="--okr-status:{html.escape(colour, quote=True)}"'
    return f'<tr class="okr-card"{style}>{cells}</tr>'


def _cell(shown: Table, column: str, lang: str, label: str = "") -> Callable[[Any], str]:
    """How one column's cells are written; ``label`` is the cells' data-label attribute (or none)."""
    if column in shown.links:
        return lambda href: (f'<td{label}><a href="{html.escape(str(href), quote=True)}" target="_self">↗</a></td>'
                             if isinstance(href, str) and href else f"<td{label}></td>")
    if column in shown.sparklines:
        return lambda values: f"<td{label}>{drawings.image(drawings.sparkline(values, lang), str(column))}</td>"
    if column in shown.bars:
        return lambda share: (f'<td{label} style="min-width:90px">{html.escape(formatting.percent(share, lang))}'
                              f'{drawings.progress_bar(share, drawings.LINE)}</td>')
    width = shown.widths.get(column)
    style = f' style="min-width:{width}px"' if isinstance(width, int) else ""
    opening = f'<td class="num"{label}>' if column in shown.right else f"<td{style}{label}>"
    return lambda value: f"{opening}{html.escape(_written(value, lang))}</td>"


def _written(value: Any, lang: str) -> str:
    """A cell as text: a view model's tables hold text already (views.common.readable); a raw one
    (the import history) holds numbers and times, written here in the reader's language."""
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return f"{formatting.date(value.date(), lang)} {formatting.clock_time(value, lang)}"
    if isinstance(value, float):
        return formatting.number(value, lang)
    return str(value)  # a whole number here is a line, a batch or a count of rows, written as the grid did


def small_table(ctx: Context, shown: Table) -> None:
    """A view model's small fixed table (a dozen rows) as escaped HTML, with its downloads."""
    if shown.first_rows:
        st.caption(shown.first_rows)
    st.html(html_table(shown, ctx.lang))
    if shown.file_name:
        table_downloads(ctx, shown)


def text_table(frame: pd.DataFrame) -> None:
    """A frame of text (no downloads), such as the explainer's comparison, as escaped HTML."""
    st.html(html_table(Table(shown=frame, rows=lambda: frame, file_name=None, key="")))


def file_uploader(ctx: Context, label: str, types: list[str], max_mb: int, **uploader_args: Any) -> Any:
    """``st.file_uploader`` with what it says about size and types in the reader's language."""
    css = _UPLOADER_CSS + ("" if ctx.lang == "en" else _UPLOADER_BUTTON_CSS)
    st.html(f"<style>{css}</style>")  # our own static CSS, no user text
    files = st.file_uploader(label, type=types, max_upload_size=max_mb, **uploader_args)
    st.caption(ctx.t("upload.uploader_hint", size=formatting.number(max_mb, ctx.lang),
                     types=", ".join(kind.upper() for kind in types)))
    return files


def chart(ctx: Context, spec: charts.Spec, key: str) -> None:
    """A spec from okrdash.charts drawn as a static image (okrdash.drawings: its rows, axes and
    labels in the reader's language), with a switch to the interactive Vega chart (tooltips, zoom):
    only a reader who switches it on makes the browser load Vega (~1 MB of JavaScript)."""
    if st.toggle(f"🔍 {ctx.t('common.interactive_chart')}", key=f"{key}_interactive"):
        configured = {**spec, "config": {**spec.get("config", {}), "locale": formatting.chart_locale(ctx.lang)}}
        st.vega_lite_chart(spec=configured, width="stretch")
    else:
        st.html(drawings.image(drawings.chart(spec, ctx.lang), str(spec.get("title") or "")))


def sparkline(values: list[float] | None, label: str, lang: str) -> None:
    """The recent values under a metric, as a small line image (st.metric's own chart is a Vega chart)."""
    drawn = drawings.image(drawings.sparkline(values, lang), label)
    if drawn:
        st.html(drawn)
