"""Every threshold, limit and path okrdash uses, with its default, in one place.

Values can be overridden by environment variables named ``OKRDASH_<FIELD>`` (for example
``OKRDASH_DB=/srv/okrdash.duckdb`` or ``OKRDASH_MAX_UPLOAD_ROWS=500000``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator, model_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    """Product settings. The rule thresholds are the ones the documents give."""

    # A database file, or a PostgreSQL URL (postgresql://user@host/dbname), kept as text.
    db_path: Path | str = Field(default=PROJECT_ROOT / "data" / "okrdash.duckdb")
    # PostgreSQL: a read checks at most this often (seconds) whether another process wrote.
    pg_poll_seconds: float = Field(default=0.5, ge=0, le=3600)
    default_language: str = Field(default="en", pattern="^(en|id)$")
    # Roles for people signed in with OpenID Connect (see okrdash/access.py for the format).
    roles_file: Path = Field(default=PROJECT_ROOT / ".streamlit" / "roles.toml")
    # Load the demo company when the app starts on an empty database.
    demo_when_empty: bool = True

    # Key result status: On Track if p >= on_track_ratio * e or e - p <= on_track_gap ...
    on_track_ratio: float = Field(default=0.9, ge=0, le=1)
    on_track_gap: float = Field(default=0.10, ge=0, le=1)
    # ... At Risk if p >= at_risk_ratio * e or e - p <= at_risk_gap, Off Track otherwise.
    at_risk_ratio: float = Field(default=0.7, ge=0, le=1)
    at_risk_gap: float = Field(default=0.25, ge=0, le=1)
    # Google's expected score for a stretch (aspirational) objective at cycle end.
    aspirational_end_point: float = Field(default=0.7, gt=0, le=1)
    # A check-in confidence at or below this caps the status at At Risk.
    low_confidence: float = Field(default=3, ge=0, le=10)
    # Default KPI tolerance, as a share of |target|.
    kpi_tolerance_share: float = Field(default=0.10, ge=0, le=1)
    # A KPI's trend: the line through its last this-many measurements; a move under this share of
    # its level (of the band width for a range KPI) is flat.
    kpi_trend_points: int = Field(default=6, ge=2, le=60)
    kpi_trend_flat_share: float = Field(default=0.01, ge=0, le=1)
    # A key result without a check-in for this many days is stale (rules.sql: okr_is_stale).
    stale_after_days: int = Field(default=14, ge=1)
    # A forecast (the day the pace so far reaches the target) further than this many days after the
    # cycle start is shown as "not at this pace": 10 years, and dates every page can draw.
    forecast_horizon_days: int = Field(default=3653, ge=1, le=36500)

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
    # the uploaded bytes and the server's own memory. The 1.8 M-row yearly KPI file, checked in a
    # plain process: peak 727 MB with 256MB, 855 MB with 400MB, 647 MB with 160MB (~8% more CPU).
    import_memory_limit: str = Field(default="256MB", pattern=r"^\d+(\.\d+)?\s*(%|[KMGT]i?B)$")
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

    @model_validator(mode="after")
    def _thresholds_are_ordered(self) -> Settings:
        if self.at_risk_ratio > self.on_track_ratio or self.on_track_gap > self.at_risk_gap:
            raise ValueError("At Risk thresholds must be looser than On Track thresholds")
        return self


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
