"""Every threshold, limit and path okrdash uses, with its default, in one place.

Values can be overridden by environment variables named ``OKRDASH_<FIELD>`` (for example
``OKRDASH_DB=/srv/okrdash.duckdb`` or ``OKRDASH_MAX_UPLOAD_ROWS=500000``).

The rules' thresholds (rules.sql takes them as its macros' defaults; the coach reads its limits)
each say where their value comes from (:func:`provenance`): one of the five Indonesian articles
okrdash is built on, Google's OKR playbook, or okrdash's own calibration with the anchors it
was set against. docs/rules.md gives the same, and tests/test_rules_provenance.py keeps the two
from drifting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Where a rule's value can come from. The first five are the Indonesian articles the product is
# built on; then Google's OKR playbook; then okrdash's own choice where the sources give no number.
SOURCES: dict[str, str] = {
    "okr-kpi-together": 'the article "Bagaimana OKR dan KPI Berkolaborasi?" (an under-target KPI becomes a key '
                        "result: reply time 48 to 30 minutes, NPS to 10)",
    "start-friday": "Start Friday's article on online staff management, KPIs and OKRs (how often each is reported)",
    "kpi-2022": 'the article "KPI: Apa itu, Bagaimana menentukan ... pada tahun 2022" (KPI types and examples)',
    "clickup": "ClickUp's guide to SaaS OKRs (setting, checking in on and scoring OKRs)",
    "dealls": "Dealls' article on the difference between KPI and OKR (structure, time span, how each is judged)",
    "playbook": "Google's OKR playbook: re:Work's guide to setting and grading OKRs, and John Doerr's "
                "Measure What Matters",
    "vendors": "other OKR tools' practice (issue 25): Viva Goals reminded owners on Mondays at 09:00, Tability asks "
               "on a chosen weekday and chases after a week, WorkBoard sends weekly notes, Profit.co a daily summary",
    "okrdash": "okrdash's own calibration (the sources give no number)",
}


@dataclass(frozen=True)
class Provenance:
    """Where a rule setting's value comes from: ``sources`` (keys of :data:`SOURCES`) and what they
    say about it, in our words (``says``; for a calibration, the anchors it was set against)."""

    sources: tuple[str, ...]
    says: str


def rule(default: Any, sources: tuple[str, ...], says: str, **limits: Any) -> Any:
    """A rule setting: a pydantic field whose value's provenance travels with it."""
    return Field(default=default, json_schema_extra={"sources": list(sources), "says": says}, **limits)


def schedule(default: Any, sources: tuple[str, ...], says: str, **limits: Any) -> Any:
    """A setting of the reminders' schedule (okrdash remind): like a rule, it names where its value
    comes from, but no macro of rules.sql takes it."""
    return Field(default=default, json_schema_extra={"sources": list(sources), "says": says, "schedule": True},
                 **limits)


# Weekday names people write in OKRDASH_REMINDER_WEEKDAY, English and Indonesian (1 = Monday, ISO).
WEEKDAYS = {name: number for number, names in enumerate(
    (("monday", "mon", "senin", "sen"), ("tuesday", "tue", "selasa", "sel"), ("wednesday", "wed", "rabu", "rab"),
     ("thursday", "thu", "kamis", "kam"), ("friday", "fri", "jumat", "jum'at", "jum"),
     ("saturday", "sat", "sabtu", "sab"), ("sunday", "sun", "minggu", "min")), start=1) for name in names}


class Settings(BaseModel):
    """Product settings. A rule setting (made with :func:`rule`) names where its value comes from."""

    # A database file, or a PostgreSQL URL (postgresql://user@host/dbname), kept as text.
    db_path: Path | str = Field(default=PROJECT_ROOT / "data" / "okrdash.duckdb")
    # PostgreSQL: a read checks at most this often (seconds) whether another process wrote.
    pg_poll_seconds: float = Field(default=0.5, ge=0, le=3600)
    default_language: str = Field(default="en", pattern="^(en|id)$")
    # Roles for people signed in with OpenID Connect (see okrdash/access.py for the format).
    roles_file: Path = Field(default=PROJECT_ROOT / ".streamlit" / "roles.toml")
    # Load the demo company when the app starts on an empty database.
    demo_when_empty: bool = True
    # The company's name, as the team page's status card (a PNG for chat groups) names it.
    company_name: str = Field(default="okrdash", min_length=1, max_length=200)

    # -- the rules (rules.sql) -------------------------------------------------------------------
    # Key result status: On Track if p >= on_track_ratio * e or e - p <= on_track_gap ...
    on_track_ratio: float = rule(
        0.9, ("clickup", "okrdash"),
        "ClickUp's guide names the statuses (On Track, At Risk, Off Track, Complete) but gives no threshold. "
        "okrdash's calibration, anchored on other OKR tools, which use 0.9 / 0.7 or 0.95 / 0.75 of the expected "
        "progress: On Track from 90% of it.", ge=0, le=1)
    on_track_gap: float = rule(
        0.10, ("okrdash",),
        "okrdash's calibration: one grade step (0.1) behind the expected progress is still On Track, so the first "
        "weeks of a cycle, when little progress is expected, do not read as trouble.", ge=0, le=1)
    # ... At Risk if p >= at_risk_ratio * e or e - p <= at_risk_gap, Off Track otherwise.
    at_risk_ratio: float = rule(
        0.7, ("okrdash",),
        "okrdash's calibration, anchored on the 0.7 of other tools' 0.9 / 0.7 pair: below 70% of the expected "
        "progress (and more than at_risk_gap behind) a key result is Off Track.", ge=0, le=1)
    at_risk_gap: float = rule(
        0.25, ("okrdash",),
        "okrdash's calibration: up to a quarter of the cycle's progress behind (about three weeks of a 13-week "
        "quarter) is At Risk, not yet Off Track.", ge=0, le=1)
    # The expected score of an aspirational (stretch) objective at the end of its cycle.
    aspirational_end_point: float = rule(
        0.7, ("playbook", "clickup"),
        "The playbook expects aspirational OKRs to end around 0.7 (its sweet spot is 0.6 to 0.7); ClickUp's "
        "guide calls 0.7 good progress that is not quite complete.", gt=0, le=1)
    # A check-in confidence (0-10) at or below this caps the status at At Risk.
    low_confidence: float = rule(
        3, ("clickup", "okrdash"),
        "ClickUp's guide has owners rate their confidence at each check-in (red, yellow, green, or 1 to 5) as an "
        "early warning beyond the numbers; on okrdash's 0-10 scale, 3 or less is the red third.", ge=0, le=10)
    # The end-of-cycle grade bands of an aspirational objective (a committed one is met at 1.0 or missed).
    grade_green_from: float = rule(
        0.7, ("playbook", "clickup"),
        "The playbook colours a grade from 0.7 to 1.0 green (the aspirational sweet spot); ClickUp's guide "
        "calls 0.7 good progress. A committed objective is judged otherwise: met at 1.0, missed below.",
        gt=0, le=1)
    grade_yellow_from: float = rule(
        0.4, ("playbook", "clickup"),
        "The playbook colours 0.4 to 0.6 yellow (progress, but short of the goal) and 0.0 to 0.3 red (no real "
        "progress); ClickUp's guide calls 0.3 off track.", gt=0, le=1)
    # A team whose aspirational objectives average this or more in a cycle is asked to raise its ambition.
    raise_ambition_mean_grade: float = rule(
        0.9, ("playbook", "okrdash"),
        "The playbook asks for aspirational OKRs averaging about 0.6 to 0.7 and warns about those who "
        "consistently reach 1.0: their goals are not ambitious enough. okrdash's calibration flags the team "
        "(never one objective, never a person) once its aspirational objectives average 0.9 or more in a cycle, "
        "two grade steps above the sweet spot. Consistently reaching 1.0 means every aspirational objective at "
        "1.0, which is their average at 1.0 (no grade passes 1.0): this bar flags it in the first such cycle. "
        "One objective at 1.0 in a team that averages less is a success.", gt=0, le=1)
    # A key result without a check-in for more than this many days is stale.
    checkin_interval_days: int = rule(
        7, ("clickup", "start-friday"),
        "ClickUp's guide recommends checking in every week or every two weeks; Start Friday's article has OKRs "
        "followed weekly to quarterly. okrdash takes the weekly rhythm: a key result is stale once more days "
        "than this have passed since its last check-in (a key result that follows a KPI, by the KPI's own "
        "frequency).", ge=1, le=366)
    # A KPI is stale once its next measurement (last one + its frequency) is overdue by more than this
    # share of that period.
    kpi_stale_grace_share: float = rule(
        0.25, ("start-friday", "dealls", "okrdash"),
        "The articles give each KPI its own rhythm (daily, weekly, monthly, quarterly or yearly). okrdash's "
        "calibration: a KPI is stale once its next measurement is overdue by more than a quarter of its period, "
        "so a monthly figure may come in the first week after its month closes, a weekly one a day late, a "
        "daily one not late at all.", ge=0, le=1)
    # Default KPI tolerance, as a share of |target|.
    kpi_tolerance_share: float = rule(
        0.10, ("dealls", "okrdash"),
        "Dealls' article judges a KPI as met or not met, and the articles' targets carry no margin. okrdash's "
        "calibration: a KPI within 10% of its target is At Risk rather than Off Track, unless it states a "
        "tolerance of its own.", ge=0, le=1)
    # A KPI's trend: the line through its last this-many measurements; a move under this share of
    # its level (of the band width for a range KPI) is flat.
    kpi_trend_points: int = rule(
        6, ("okrdash",),
        "okrdash's calibration: six readings, half a year of a monthly KPI or six weeks of a weekly one.",
        ge=2, le=60)
    kpi_trend_flat_share: float = rule(
        0.01, ("okrdash",),
        "okrdash's calibration: a move under 1% of the level is noise, not a trend.", ge=0, le=1)
    # A forecast (the day the pace so far reaches the target) further than this many days after the
    # cycle start is shown as "not at this pace": 10 years, and dates every page can draw.
    forecast_horizon_days: int = rule(
        3653, ("okrdash",),
        "okrdash's display bound, not a judgement: a forecast more than ten years after the start reads "
        "\"not at this pace\".", ge=1, le=36500)

    # -- the coach's limits (coach.py) -----------------------------------------------------------
    min_key_results: int = rule(
        2, ("dealls", "clickup"),
        "Dealls' article gives an objective two to five measurable key results; ClickUp's guide three to five "
        "at most.", ge=1, le=20)
    max_key_results: int = rule(
        5, ("dealls", "clickup"),
        "Dealls' article gives an objective two to five measurable key results; ClickUp's guide three to five "
        "at most.", ge=1, le=20)
    max_objectives: int = rule(
        4, ("clickup",),
        "ClickUp's guide keeps a team to two to four objectives per cycle: fewer, sharper goals.", ge=1, le=20)
    max_objective_title: int = rule(
        70, ("clickup", "okrdash"),
        "ClickUp's guide wants an objective short and inspiring enough to read again every week; okrdash's "
        "calibration: one line of about 70 characters.", ge=10, le=500)

    # -- the reminders' schedule (reminders.py, okrdash remind) ------------------------------------
    reminder_weekday: int = schedule(
        1, ("clickup", "start-friday", "vendors"),
        "ClickUp's guide recommends checking in every week or every two weeks and Start Friday's article has OKRs "
        "followed weekly to quarterly: the reminder comes once a week. Viva Goals reminded owners on Mondays; "
        "the week's first working day leaves the rest of it to check in. 1 is Monday, 7 Sunday (or the day's "
        "name, senin to minggu).", ge=1, le=7)
    reminder_hour: int = schedule(
        9, ("vendors", "okrdash"),
        "Viva Goals sent its Monday reminder at 09:00. okrdash's calibration: the first hour of an Indonesian "
        "office day (08:00 to 17:00), after the Monday morning meeting has begun, in the company's time zone.",
        ge=0, le=23)
    digest_grace_days: int = schedule(
        2, ("vendors", "okrdash"),
        "Tability chases owners who have not checked in, and managers ask to hear of missed check-ins in one "
        "digest, not many notifications. okrdash's calibration: the managers' digest comes two days after the "
        "owners' reminder (Wednesday), leaving owners two working days; it must fall in the same week.",
        ge=0, le=6)
    reminder_timezone: str = schedule(
        "Asia/Jakarta", ("okrdash",),
        "okrdash's calibration: the companies it is made for are Indonesian, and most work in Western Indonesia "
        "Time (WIB, Asia/Jakarta); a company in Makassar sets Asia/Makassar (WITA), in Jayapura Asia/Jayapura "
        "(WIB+2). The week, its reminder hour and a check-in's day are read in this zone.")

    # -- mail (mail.py, okrdash remind) ------------------------------------------------------------
    # smtp://user:pass@host:587 (STARTTLS when the server offers it), smtps://user:pass@host:465 (TLS),
    # smtp://host:25 (no login). A secret: never printed, not in settings' repr.
    smtp_url: SecretStr | None = None
    mail_from: str | None = None
    # The address people open okrdash at (https://okr.intranet): the links in the mails start with it.
    base_url: str | None = None

    # Import limits: a larger file is refused before it is parsed.
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    max_upload_rows: int = Field(default=2_500_000, ge=1)
    # What one browser session may hold in uploaded files at once (okrdash serve refuses more).
    max_session_upload_bytes: int = Field(default=256 * 1024 * 1024, ge=1)
    # Workbooks (.xlsx, .xls, .ods): what one may expand to, checked before python-calamine reads it
    # (issue 22). calamine holds a sheet as ~72 bytes a cell plus its texts: a 1,000,000-row x
    # 6-column KPI sheet took it 505 MB, too much beside a server of ~400 MB. 3,000,000 cells (a
    # 500,000-row sheet of 6 columns) with the text limit below took at most 361 MB more while read
    # (measured on the worst mix the limits admit; 271 MB for 499,000 KPI rows). Larger sheets are
    # read as CSV, at ~20 bytes a cell.
    max_workbook_cells: int = Field(default=3_000_000, ge=1)
    # Text in those cells as calamine holds it: a shared string once for each cell that uses it, and
    # each cell's text with its ~32-byte allocation (the 499,000-row sheet: 30 MB of CSV, 72 MB).
    max_workbook_text_mb: int = Field(default=128, ge=1)
    # The real, decompressed size of all parts of an .xlsx or .ods together: the 499,000-row sheet
    # written by openpyxl is 160 MB (Excel's own XML is smaller); inflating 512 MB takes ~1 s.
    max_workbook_unpacked_mb: int = Field(default=512, ge=1)
    # Worksheets in one workbook: a sheet a month for ten years. Each sheet is read and checked as a
    # file of its own: 260 small sheets took 74 s (0.2 s of it reading the workbook) at a load of 15.
    max_workbook_sheets: int = Field(default=120, ge=1)
    # Validation stops listing problems after this many (the import fails either way).
    max_reported_problems: int = Field(default=200, ge=1)

    # DuckDB's share of the host for this process: threads (0: one per core) and memory (a size
    # such as "4GB", or a share of the host's memory such as "40%", so that two processes fit).
    duckdb_threads: int = Field(default=0, ge=0, le=256)
    duckdb_memory_limit: str = Field(default="40%", pattern=r"^\d+(\.\d+)?\s*(%|[KMGT]i?B)$")
    # What DuckDB may hold of one import's check (its scratch tables) before it spills to disk, beside
    # the uploaded bytes and the server's own memory; a sheet of thousands of columns gets what
    # scanning it takes (importing.cells.make_room_for_columns). The 1.8 M-row yearly KPI file,
    # checked in a plain process beside the large company's store (issue 27): the check's peak
    # 678 MB with 256MB, 569 MB with 128MB, 545 MB with 96MB (5-10% more CPU than 256MB); at 64MB
    # the file was refused as unreadable.
    import_memory_limit: str = Field(default="128MB", pattern=r"^\d+(\.\d+)?\s*(%|[KMGT]i?B)$")
    # okrdash serve: the address it listens on (loopback unless told otherwise), the host names
    # browsers may reach it by (Streamlit's server.allowedHosts, comma-separated: a DNS-rebinding
    # page under another name gets no websocket), and whether local mode (no sign-in configured,
    # everyone an admin) may listen on a network address at all.
    serve_address: str = "127.0.0.1"
    allowed_hosts: str = "localhost,127.0.0.1"
    allow_local_mode_on_network: bool = False
    # Local mode: the token that unlocks editing (okrdash/access.py, LocalToken); unset, every start
    # makes a new random one. URL-safe characters, long enough not to be guessed.
    local_token: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{32,}$")

    @field_validator("db_path", mode="before")
    @classmethod
    def _file_or_url(cls, value: object) -> Path | str:
        text = str(value)
        return text if text.startswith(("postgresql://", "postgres://")) else Path(text)

    @field_validator("reminder_weekday", mode="before")
    @classmethod
    def _weekday(cls, value: object) -> object:
        return WEEKDAYS.get(value.strip().casefold(), value) if isinstance(value, str) else value

    @field_validator("reminder_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"not a time zone: {value!r} (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)") from None
        return value

    @model_validator(mode="after")
    def _thresholds_are_ordered(self) -> Settings:
        if self.at_risk_ratio > self.on_track_ratio or self.on_track_gap > self.at_risk_gap:
            raise ValueError("At Risk thresholds must be looser than On Track thresholds")
        if self.grade_yellow_from >= self.grade_green_from:
            raise ValueError("The yellow grade band must start below the green one")
        if self.min_key_results > self.max_key_results:
            raise ValueError("The fewest key results an objective should have cannot exceed the most")
        if self.reminder_weekday + self.digest_grace_days > 7:
            raise ValueError("The managers' digest (reminder weekday + digest grace days) must fall in the "
                             "reminders' week (Monday to Sunday)")
        return self

    def rule_values(self) -> dict[str, Any]:
        """Every rule setting by name, as the texts that explain the rules quote them."""
        return {name: getattr(self, name) for name in RULE_SETTINGS}


def _has_provenance(name: str) -> bool:
    extra = Settings.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and "sources" in extra


def _is_schedule(name: str) -> bool:
    extra = Settings.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("schedule"))


# The settings that are rules' thresholds and limits, each with its provenance.
RULE_SETTINGS: tuple[str, ...] = tuple(name for name in Settings.model_fields
                                       if _has_provenance(name) and not _is_schedule(name))
# The reminders' schedule (weekday, hour, grace days, time zone), each with its provenance.
SCHEDULE_SETTINGS: tuple[str, ...] = tuple(name for name in Settings.model_fields if _is_schedule(name))


def provenance(name: str) -> Provenance:
    """Where rule or schedule setting ``name``'s value comes from."""
    extra = Settings.model_fields[name].json_schema_extra
    if not (isinstance(extra, dict) and _has_provenance(name)):
        raise KeyError(f"{name} is not a rule or schedule setting")
    return Provenance(sources=tuple(extra["sources"]), says=str(extra["says"]))


_ENV_FIELDS = {name: f"OKRDASH_{name.upper()}" for name in Settings.model_fields}
_ENV_FIELDS["db_path"] = "OKRDASH_DB"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from defaults overridden by ``OKRDASH_*`` environment variables."""
    env = os.environ if environ is None else environ
    overrides = {name: env[var] for name, var in _ENV_FIELDS.items() if env.get(var)}
    return Settings.model_validate(overrides)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
