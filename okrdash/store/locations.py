"""Where a database is (a file, memory, or a PostgreSQL URL) and the one write lock per place and process."""

from __future__ import annotations

import threading
from pathlib import Path

_WRITE_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_LOCK = threading.Lock()


def is_database_url(path: Path | str | None) -> bool:
    """A PostgreSQL URL (``postgresql://user@host/db``) rather than a database file."""
    return isinstance(path, str) and path.startswith(("postgresql://", "postgres://"))


def registry_key(path: Path | str) -> str:
    """One key per database: a URL as written, a file by its resolved path."""
    return str(path) if is_database_url(path) else str(Path(path).resolve())


def write_lock_of(path: Path | str) -> threading.RLock:
    """The process-wide write lock of a database file or URL (a fresh one for each in-memory database).

    Re-entrant: an import validates and writes under it, and the write takes it again. One per
    database and process (not per store), so that a second store of the same file, or a Streamlit
    cache that lost the first one, still waits for the running import.
    """
    if not isinstance(path, Path) and not is_database_url(path):
        return threading.RLock()
    with _LOCKS_LOCK:
        return _WRITE_LOCKS.setdefault(registry_key(path), threading.RLock())
