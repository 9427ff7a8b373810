"""Opening a store: the backend a path or URL names, the one store per database in a process,
and restoring a backup into a new database of either backend."""

from __future__ import annotations

import threading
from pathlib import Path

from okrdash.settings import Settings, settings as default_settings
from okrdash.store import backups
from okrdash.store.errors import StoreError
from okrdash.store.file_store import DuckDBStore
from okrdash.store.interface import Store
from okrdash.store.locations import is_database_url, registry_key

_SHARED_STORES: dict[str, Store] = {}
_REGISTRY_LOCK = threading.Lock()
_OPENING_LOCK = threading.Lock()


def open_store(path: Path | str | None = None, config: Settings | None = None, *, read_only: bool = False) -> Store:
    """The store at ``path``, else ``OKRDASH_DB``, else ``data/okrdash.duckdb``; a PostgreSQL URL
    opens a :class:`~okrdash.postgres_store.PostgresStore`.

    ``read_only``: the store refuses every write, and a database file's bytes stay as they are
    (a file an older okrdash wrote is refused with ``store_needs_upgrade``: its migrations need a
    write open).
    """
    config = config or default_settings()
    path = path or config.db_path
    if is_database_url(path):
        from okrdash.postgres_store import PostgresStore  # psycopg is loaded only for PostgreSQL

        return PostgresStore(str(path), config, read_only=read_only)
    return DuckDBStore(path, config, read_only=read_only)


def shared_store(path: Path | str, config: Settings | None = None) -> tuple[Store, bool]:
    """The one store of ``path`` in this process, and whether this call opened it.

    A module-level registry, not a Streamlit cache: any browser can ask Streamlit to clear its
    caches, and a cleared store would come back as a second connection with its own state.
    """
    key = registry_key(path)
    # Held while the store opens, so the sessions of a server's first visits wait for one store
    # instead of opening one each (see DuckDBStore.__init__); a store already open is returned at once.
    with _OPENING_LOCK:
        with _REGISTRY_LOCK:
            if key in _SHARED_STORES:
                return _SHARED_STORES[key], False
        store = open_store(path, config)
        with _REGISTRY_LOCK:
            _SHARED_STORES[key] = store
    return store, True


def close_shared_store(path: Path | str) -> None:
    """Close and forget this process's shared store of ``path`` (so another process may open the file)."""
    with _REGISTRY_LOCK:
        store = _SHARED_STORES.pop(registry_key(path), None)
    if store is not None:
        store.close()


def restore(folder: Path | str, path: Path | str) -> None:
    """Load a backup folder into a new or empty database file at ``path`` (or PostgreSQL URL)."""
    folder = Path(folder)
    backups.check_backup(folder)
    if is_database_url(path):
        from okrdash.postgres_store import restore_into

        restore_into(folder, str(path))
        return
    path = Path(path)
    if path.exists():
        existing = DuckDBStore(path)
        empty = existing.is_empty() and not existing.batches()
        existing.close()
        if not empty:
            raise StoreError("restore_target_not_empty", path=str(path))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    backups.import_into(folder, path)
