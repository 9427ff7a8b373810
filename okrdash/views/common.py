"""What every view model is made of: the scope it is read in, words in the reader's language, and the
pieces a page draws (filters, tables, progress bars, messages, warnings about the link).

A field typed :data:`Markdown` is ready for an element that renders Markdown (every user or URL
value in it escaped with okrdash.markdown.plain); a field typed ``str`` is plain text (a table
cell, a select box option), shown as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from okrdash import charts, formatting, presentation, readmodels
from okrdash.readmodels import COMPANY_TEAMS
from okrdash.store import Store
from okrdash.i18n import strings, translate
from okrdash.markdown import plain
from okrdash.models import Cycle
from okrdash.urls import Link, Urls
from okrdash.viewstate import SHARED, PageState

Markdown = str

# A status badge's colour (Streamlit's badge palette); the status is always in words beside it.
BADGE_COLORS = {"On Track": "green", "At Risk": "orange", "Off Track": "red", "Complete": "blue",
                "No Data": "gray", "No Target": "gray"}
# A grade's band as a badge colour (the bands are the rules' okr_band: met / missed when committed,
# green / yellow / red when aspirational); the band is always in words beside it.
BAND_COLORS = {"met": "blue", "missed": "red", "green": "green", "yellow": "yellow", "red": "red"}
STALE_ICON = "🕒"


@dataclass(frozen=True)
class Words:
    """Texts, statuses, names, numbers and dates in the reader's language."""

    lang: str

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def status(self, status: str | None) -> str:
        return translate(f"status.{status}", self.lang) if status else "–"

    def status_label(self, status: str | None) -> str:
        """Icon plus word ("🟢 On Track"), so a status never rests on colour alone."""
        return f"{charts.STATUS_ICONS.get(status or '', '')} {self.status(status)}".strip()

    def team(self, team: str | None) -> str:
        """A team's name as shown: the company's own team in the reader's language ("Perusahaan"),
        every other team as it is named. Links keep the stored name, so they work in both languages."""
        if team is None:
            return "–"
        return self.t("common.company") if team.strip() in COMPANY_TEAMS else team

    def teams(self, teams: pd.Series) -> pd.Series:
        """:meth:`team` of each row (empty where a row has none), translated once per distinct team."""
        names = {team: self.team(team) for team in set(teams.dropna())}
        # Built as text: a column with no team at all is float NaN, which fillna("") would have to cast.
        return pd.Series([names.get(team, "") for team in teams], index=teams.index, dtype=object)

    def date(self, day: dt.date | None) -> str:
        return formatting.date(day, self.lang)

    def number(self, value: object) -> str:
        return formatting.number(value, self.lang)  # type: ignore[arg-type]

    def percent(self, share: object) -> str:
        return formatting.percent(share, self.lang)  # type: ignore[arg-type]

    def unit(self, unit: object) -> str:
        """A unit okrdash knows in the reader's language ("menit"); any other as typed."""
        return formatting.unit_word(unit if isinstance(unit, str) else None, self.lang)

    def units(self, units: pd.Series) -> pd.Series:
        """:meth:`unit` of each row, translated once per distinct unit."""
        return units.map({unit: self.unit(unit) for unit in set(units)})

    def category(self, category: object) -> str:
        """A KPI category the file format names ("finance") in the reader's words; any other as typed."""
        if not isinstance(category, str) or not category.strip():
            return ""
        return strings(self.lang).get(f"category.{category.strip().casefold()}", category)

    def amount(self, value: object, unit: object) -> str:
        """45%, Rp1.500.000, 48 minutes: a number with its unit where a reader expects it."""
        usable = None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]
        return formatting.amount(usable, unit if isinstance(unit, str) else None, self.lang)


@dataclass(frozen=True)
class Scope:
    """The language, cycle and day a page is read in (the sidebar's choice, resolved)."""

    lang: str
    cycle: Cycle | None
    as_of: dt.date

    @property
    def words(self) -> Words:
        return Words(self.lang)

    @property
    def urls(self) -> Urls:
        """Links from this view: they carry its language, cycle and date."""
        return Urls(self.lang, self.cycle.name if self.cycle else None, self.as_of)

    def shown(self, state: PageState) -> PageState:
        """``state`` with the language, cycle and date this page is read in (what its share box links to)."""
        return state.sharing(self.lang, self.cycle.name if self.cycle else None, self.as_of)


# -- what a page draws ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A value of the link the page could not use (filter ``name``), said in the reader's language;
    the page shows it as a warning. (The view's ``link`` is what the address holds instead.)"""

    name: str
    text: Markdown


@dataclass(frozen=True)
class Message:
    """An alert: ``kind`` is info, success, warning or error."""

    text: Markdown
    icon: str
    kind: str = "info"


@dataclass(frozen=True)
class PageLink:
    label: Markdown
    link: Link
    icon: str


@dataclass(frozen=True)
class Count:
    """One status and how many have it (a metric)."""

    label: Markdown
    count: int


@dataclass(frozen=True)
class Bar:
    """A status-coloured progress bar: the text above it (title and status in words), the share
    drawn (0..1) and the expected progress as a tick, with its value in words."""

    text: str
    share: float
    color: str
    expected: float | None
    expected_text: str


@dataclass(frozen=True)
class Card:
    """A card of a list drawn only as cards (the People page's people on a phone): the title, a line
    under it, a line of details, the colour down its left edge. Plain text: the drawing escapes it."""

    title: str
    status: str
    color: str
    details: str


@dataclass(frozen=True)
class RowsAsCards:
    """How a table's rows become a phone's cards: the column whose cell heads each card, and each
    row's status colour down the card's edge, in the rows' order (none: the rows have no status)."""

    title: str
    colors: tuple[str, ...] = ()


def status_colors(statuses: Sequence[str | None]) -> tuple[str, ...]:
    """Each status's colour (okrdash.charts), a row without one in No Data's."""
    return tuple(charts.STATUS_COLORS.get(status or "", charts.STATUS_COLORS["No Data"]) for status in statuses)


@dataclass(frozen=True)
class Badge:
    """A status as a badge: its word, icon and colour."""

    label: str
    icon: str
    color: str


@dataclass(frozen=True, eq=False)
class KeyResults:
    """Key results as progress bars (against the expected marker, in the status colour) and a table."""

    bars: tuple[Bar, ...]
    table: Table                     # its rows are a phone's cards


@dataclass(frozen=True)
class Option:
    value: object   # what the link carries: the stored name, a code, an id (the same in both languages)
    label: str      # what the reader sees


@dataclass(frozen=True)
class Filter:
    """A picker bound to one filter of the page's link: its options in the reader's language, the
    value(s) on show, and the state each choice leads to (:meth:`chosen`; other filters named in
    ``resets`` start again, as the page number does when the list changes)."""

    name: str                      # the filter's name in the link
    label: Markdown
    options: tuple[Option, ...]
    selected: object               # a value, a tuple of values (``multi``), or None
    state: PageState               # the view on show
    style: str = "select"          # select, segmented, pills or radio
    multi: bool = False
    required: bool = False
    placeholder: str | None = None
    help: str | None = None
    resets: tuple[str, ...] = ()
    key: str | None = None         # the widget's key, when not the filter's name

    @property
    def widget_key(self) -> str:
        return self.key or self.name

    @property
    def values(self) -> list[object]:
        return [option.value for option in self.options]

    @functools.cached_property
    def _labels(self) -> dict[object, str]:
        # Built once per filter: a picker asks a label per option, and a team picker has thousands
        # (a search per label was 0.1 CPU s of the team page's view on a large company).
        labels: dict[object, str] = {}
        for option in self.options:
            labels.setdefault(option.value, option.label)
        return labels

    def label_of(self, value: object) -> str:
        return self._labels.get(value, str(value))

    def chosen(self, value: object) -> PageState:
        """The state of the view with ``value`` picked (a list of values for a ``multi`` filter)."""
        if self.multi:  # in the order picked: the link reads as the reader chose
            value = tuple(dict.fromkeys(v for v in value or () if v in self.values))  # type: ignore[union-attr]
        return self.state.with_(**{self.name: value if value not in ("", []) else _empty(self.state, self.name)},
                                **{name: _empty(self.state, name) for name in self.resets})

    def toggled(self, value: object) -> PageState:
        """The state with ``value`` added to or taken out of a ``multi`` filter (its toggle link)."""
        selected = tuple(self.selected or ())  # type: ignore[arg-type]
        return self.chosen([v for v in selected if v != value] if value in selected else [*selected, value])


def _empty(state: PageState, name: str) -> object:
    return next(f.default for f in dataclasses.fields(state) if f.name == name)


@dataclass(frozen=True, eq=False)
class Table:
    """A table as the reader reads it (``shown``: text in their language, at most the first rows a
    browser gets) and its download (``rows``: every row, real numbers and dates, statuses in words,
    built when a download button is clicked; none without a ``file_name``)."""

    shown: pd.DataFrame
    rows: Callable[[], pd.DataFrame]
    file_name: str | None
    key: str
    first_rows: Markdown | None = None       # says that ``shown`` holds only the first rows
    right: tuple[str, ...] = ()              # numbers: aligned right
    links: tuple[str, ...] = ()              # link columns (relative links, drawn as ↗)
    sparklines: tuple[str, ...] = ()         # lists of values, drawn as a line
    bars: tuple[str, ...] = ()               # shares 0..1, drawn as progress bars
    widths: Mapping[str, Any] = field(default_factory=dict)   # a column's width: small, medium, large or px
    helps: Mapping[str, str] = field(default_factory=dict)
    times: Mapping[str, str] = field(default_factory=dict)    # date-time columns and their display format
    wrapping: bool = False                   # rows tall enough for a long title to wrap
    shares: tuple[str, ...] = ()             # columns of shares (0..1): percents on screen and in downloads
    cards: RowsAsCards | None = None         # the rows as a phone's cards (widgets.table)


# -- building them ----------------------------------------------------------------------------------


def readable(frame: pd.DataFrame, lang: str, shares: Sequence[str] = (),
             keep: Sequence[str] = ()) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """``frame`` as the reader reads it: every number and date written in their language (a grid's
    own "localized" format follows the browser, not the chosen language), the ``shares`` (0..1) in
    whole percent, the ``keep`` columns as they are; and the columns that hold numbers (aligned right)."""
    columns: dict[str, Any] = {}
    right = []
    for column in frame.columns:
        values = frame[column]
        if column in keep:
            columns[column] = values
        elif column in shares:
            columns[column] = formatting.percents(pd.to_numeric(values, errors="coerce"), lang)
            right.append(column)
        elif pd.api.types.is_bool_dtype(values):
            columns[column] = values
        elif pd.api.types.is_numeric_dtype(values):
            columns[column] = formatting.numbers(values, lang)
            right.append(column)
        elif pd.api.types.is_datetime64_any_dtype(values) or (values.dtype == object and _holds_dates(values)):
            columns[column] = formatting.dates(values, lang)
        else:  # text: an empty cell reads as empty, never as None or nan
            columns[column] = values.astype(object).where(values.notna(), "")
    return pd.DataFrame(columns, index=frame.index), tuple(right)


def _holds_dates(values: pd.Series) -> bool:
    present = values.dropna()
    return bool(len(present)) and isinstance(present.iloc[0], dt.date)


def table(words: Words, frame: pd.DataFrame | Callable[[], pd.DataFrame], file_name: str | None, key: str, *,
          shown: pd.DataFrame | None = None, shares: Sequence[str] = (), right: Sequence[str] = (),
          limit: int | None = None, total: int | None = None, first_rows: str = "review.first_rows",
          cards: RowsAsCards | None = None, **hints: Any) -> Table:
    """A :class:`Table` of ``frame`` (or of what a function builds, on a download's click).

    ``shown`` is what the browser gets when it differs from ``frame`` (amounts written with their
    unit); ``limit`` keeps its first rows and says so with message ``first_rows``, out of ``total``
    rows (default: the rows of ``shown``); ``cards``' colours are cut to the rows shown."""
    on_screen = shown if shown is not None else frame() if callable(frame) else frame
    count = len(on_screen) if total is None else total
    note = None
    if limit is not None and count > limit:
        note = words.t(first_rows, shown=words.number(limit), total=words.number(count))
        on_screen = on_screen.head(limit)
    text, numbers = readable(on_screen, words.lang, shares, keep=(*hints.get("bars", ()), *hints.get("sparklines", ())))
    return Table(shown=text.reset_index(drop=True), rows=lambda: in_words(words, frame() if callable(frame) else frame),
                 file_name=file_name, key=key, first_rows=note, right=tuple(dict.fromkeys([*numbers, *right])),
                 shares=tuple(shares), cards=None if cards is None else dataclasses.replace(
                     cards, colors=cards.colors[:len(on_screen)]), **hints)


def in_words(words: Words, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every status label ("🟢 On Track") written as its word ("On Track"): downloads
    go to spreadsheets, where an icon is noise."""
    labels = {words.status_label(status): words.status(status) for status in charts.STATUS_ICONS}
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if (values.dtype == object or pd.api.types.is_string_dtype(values)) and values.isin(labels).any():
            out[column] = values.map(lambda v: labels.get(v, v) if isinstance(v, str) else v)
    return out


def status_labels(words: Words, statuses: pd.Series) -> pd.Series:
    """Icon and word of each status, translated once per distinct status (thousands of rows)."""
    return statuses.map({status: words.status_label(status) for status in set(statuses)})


def stale_marks(words: Words, stale: pd.Series, kpi: bool = False) -> pd.Series:
    """The rules' stale flag of each row in words (no recent check-in, or for a KPI no recent
    measurement), empty where the row is fresh: what a download's flags column holds."""
    word = words.t("common.stale_kpi" if kpi else "common.stale")
    return pd.Series(["" if pd.isna(flag) or not flag else word for flag in stale], index=stale.index, dtype=object)


def with_stale(labels: pd.Series, marks: pd.Series) -> pd.Series:
    """Status labels with the stale marker beside them ("🟠 At Risk · 🕒 no recent check-in")."""
    return pd.Series([f"{label} · {STALE_ICON} {mark}" if mark else label for label, mark in zip(labels, marks)],
                     index=labels.index, dtype=object)


def badge(words: Words, status: str | None) -> Badge:
    return Badge(words.status(status), charts.STATUS_ICONS.get(status or "", ""), BADGE_COLORS.get(status or "", "gray"))


KEY_RESULT_TITLE_WIDTH = 280   # px: about 40 characters a line


def key_results(words: Words, rows: pd.DataFrame, names: Callable[[int], tuple[str, str]]) -> dict[int, KeyResults]:
    """The key results of each objective in ``rows`` (by ``objective_id``) with progress against the
    expected marker, status, owner and confidence; ``names(objective_id)`` is its table's file name
    and download key.

    On screen, current and target carry their unit (Rp2.400.000.000, 45%) and the expected
    progress is the bars' marker, so the table fits a 1280 px desktop without cutting a column
    off; title, status, progress, current and target come first, and a long title wraps. The
    download keeps every column with real numbers. Every row is shaped in one pass, then split by
    objective: a team page's objectives cost one frame, not one each."""
    title, current, target = words.t("common.key_result"), words.t("common.current"), words.t("common.target")
    status, flags, progress = words.t("common.status"), words.t("common.flags"), words.t("common.progress")
    frame = pd.DataFrame({
        title: rows["title"],
        words.t("common.owner"): rows["owner"],
        status: status_labels(words, rows["status"]),
        flags: stale_marks(words, rows["stale"]),
        progress: rows["progress"],
        words.t("common.expected"): rows["expected"],
        current: rows["current"],
        target: rows["target"],
        words.t("common.unit"): words.units(rows["unit"]),
        words.t("common.confidence"): rows["confidence"],
        words.t("common.last_checkin"): rows["last_checkin"],
    }).reset_index(drop=True)
    order = [title, status, progress, current, target, words.t("common.owner"),
             words.t("common.confidence"), words.t("common.last_checkin")]
    shown = frame[order].assign(**{column: [words.amount(value, unit) for value, unit in zip(frame[column], rows["unit"])]
                                   for column in (current, target)}, **{status: with_stale(frame[status], frame[flags])})
    text, numbers = readable(shown, words.lang, (progress,))
    drawn = bars(words, list(rows["title"]), list(rows["progress"]), list(rows["expected"]), list(rows["status"]),
                 list(frame[flags]))
    colors = status_colors(list(rows["status"]))
    shaped = {}
    for objective_id, positions in frame.groupby(rows["objective_id"].to_numpy(), sort=False).indices.items():
        file_name, key = names(int(objective_id))
        own = frame.iloc[positions].reset_index(drop=True)
        shaped[int(objective_id)] = KeyResults(
            bars=tuple(drawn[i] for i in positions),
            table=Table(shown=text.iloc[positions].reset_index(drop=True), rows=lambda own=own: in_words(words, own),
                        file_name=file_name, key=key, right=tuple(dict.fromkeys([*numbers, current, target])),
                        shares=(progress,), widths={title: KEY_RESULT_TITLE_WIDTH}, wrapping=True,
                        cards=RowsAsCards(title, tuple(colors[i] for i in positions))))
    return shaped


# -- what needs attention (the overview's, a team's) ---------------------------------------------


def attention_table(words: Words, scope: Scope, attention: pd.DataFrame, file_name: str) -> Table:
    """What needs attention (store.needs_attention) as a table, a link to each row's page; on a
    phone each row is a card headed by its title."""
    urls = scope.urls
    open_column = words.t("overview.open")
    why = [", ".join(filter(None, [words.t("overview.stale") if stale else "",
                                   words.t("overview.low_confidence") if low else ""]))
           for stale, low in zip(attention["stale"], attention["confidence_disagrees"])]
    frame = pd.DataFrame({
        words.t("common.status"): status_labels(words, attention["status"]),
        words.t("common.team"): words.teams(attention["team"]),
        words.t("common.title"): attention["title"],
        words.t("overview.kind"): attention["subject"].map(lambda subject: words.t(f"overview.kind_{subject}")),
        words.t("overview.gap"): attention["gap"],
        words.t("common.last_checkin"): pd.to_datetime(attention["last_checkin"]).dt.date,
        words.t("overview.why"): why,
        open_column: [urls.objective(objective=int(o)).href if subject == "key_result" else urls.kpis(kpi=int(k)).href
                      for subject, o, k in zip(attention["subject"], attention["objective_id"], attention["kpi_id"])],
    })
    return table(words, frame, file_name, "download_attention", shares=(words.t("overview.gap"),),
                 links=(open_column,), helps={words.t("overview.gap"): words.t("overview.gap_help")},
                 cards=RowsAsCards(words.t("common.title"), status_colors(list(attention["status"]))))


def counts(words: Words, counted: Mapping[str, int], statuses: Sequence[str]) -> tuple[Count, ...]:
    return tuple(Count(plain(words.status_label(status)), int(counted.get(status, 0))) for status in statuses)


def bars(words: Words, titles: Sequence[str] | None, progress: Sequence[float | None],
         expected: Sequence[float | None], statuses: Sequence[str], stale: Sequence[str] = ()) -> tuple[Bar, ...]:
    """One :class:`Bar` per row: the title wrapped to fit a phone, the status line (with the stale
    marker of ``stale``, a row's words from :func:`stale_marks`), the colour."""
    rows = presentation.progress_rows(list(titles or [""] * len(statuses)), list(progress), list(expected),
                                      list(statuses), words.lang)
    marks = list(stale) or [""] * len(statuses)
    return tuple(Bar(text=f"{text} · {STALE_ICON} {mark}" if mark else text, share=float(share),
                     color=charts.STATUS_COLORS.get(status, charts.STATUS_COLORS["No Data"]),
                     expected=None if expected_at is None or pd.isna(expected_at) else float(expected_at),
                     expected_text=f"{words.t('common.expected')}: {words.percent(expected_at)}")
                 for text, share, expected_at, status, mark in zip(rows["text"], rows["bar"], rows["expected"],
                                                                   rows["status"], marks))


def unread(words: Words, state: PageState, messages: Mapping[str, str] | None = None) -> list[Notice]:
    """A notice per filter of the link that did not read as its type (the sidebar reports the shared
    settings); ``messages`` gives a filter its own wording."""
    return [link_notice(words, name, raw, message=(messages or {}).get(name, "nav.ignored_param"))
            for name, raw in state.unread if name not in SHARED]


def link_notice(words: Words, name: str, value: object, used: object = None, message: str = "nav.ignored_param",
                **params: object) -> Notice:
    """The one way a view says that a link asked for something it cannot show: the values from the
    link (and what is shown instead) escaped, in the reader's language."""
    return Notice(name, words.t(message, name=name, value=plain(value), used=plain(used if used is not None else "–"),
                                **{key: plain(v) for key, v in params.items()}))


def choose(words: Words, notices: list[Notice], name: str, value: object, options: Sequence[object],
           used: object = None, message: str = "nav.ignored_param", **params: object) -> Any:
    """``value`` if it is one of ``options`` (or None); else None, with a notice (``used``: what is
    shown instead; ``message``: the page's own wording)."""
    if value is None or value in options:
        return value
    notices.append(link_notice(words, name, value, used, message, **params))
    return None


def coach_findings(words: Words, found: list[Any], key: str) -> Table:
    """The OKR quality coach's findings (okrdash.coach.Finding) in the reader's language, with the
    file's line when they come from an upload."""
    t = words.t
    frame = pd.DataFrame({
        t("coach_panel.severity"): [t(f"coach_panel.severity_{f.severity}") for f in found],
        t("upload.line"): pd.array([f.line for f in found], dtype="Int64"),
        t("common.objective"): [f.objective for f in found],
        t("common.key_result"): [f.key_result for f in found],
        t("coach_panel.reason"): [f.reason(words.lang) for f in found],
        t("coach_panel.fix"): [f.fix(words.lang) for f in found],
    })
    if frame[t("upload.line")].isna().all():
        frame = frame.drop(columns=[t("upload.line")])
    return Table(shown=frame, rows=lambda: frame, file_name="okr-coach.csv", key=key)


def nothing_yet(words: Words, urls: Urls, body: str = "common.empty_body") -> tuple[Message, PageLink]:
    """What a page says on an empty database, and the way to the Upload page."""
    return (Message(f"**{words.t('common.empty_title')}**  \n{words.t(body)}", "📭"),
            PageLink(words.t("common.go_upload"), urls.upload(), "⬆️"))


@dataclass(frozen=True)
class OwnerChoice:
    """Whose key results a person's page shows: the owner its link names (``requested``), else the
    signed-in person's own name; and the owner picker bound to the page's state."""

    requested: str | None
    owner: str | None
    picker: Filter


def choose_owner(store: Store, words: Words, notices: list[Notice], scope: Scope, wanted: str | None, who: str | None,
                 state_of: Callable[[str | None], PageState], message: str) -> OwnerChoice:
    """The owner of My key results and the weekly check-in: a shared link opens on the person it
    names (``wanted``, reported with ``message`` when nobody owns anything by that name), a
    signed-in person (``who``) on themself."""
    owners = readmodels.owners(store, scope.as_of)
    requested = choose(words, notices, "owner", wanted, owners, message=message)
    owner = requested or readmodels.owner_of(who, owners)
    picker = Filter("owner", words.t("my.owner"), tuple(Option(name, name) for name in owners), owner,
                    state_of(owner), placeholder=words.t("my.pick_owner"))
    return OwnerChoice(requested, owner, picker)
