"""The okrdash database: what callers import, and where each part lives.

- ``interface.py``  :class:`Store`, what every backend offers (the type callers write against)
- ``opening.py``    :func:`open_store`, the process's shared store, :func:`restore`
- ``file_store.py`` the DuckDB file backend (``okrdash/postgres_store.py`` is the PostgreSQL one)
- ``schema.py``     connection, migrations and the rules' macros (schema.sql, ../rules.sql)
- ``reads.py``      the read queries (reads.sql)
- ``scores.py``     the kept scores and the queries over them (scores.sql)
- ``writes.py``     apply, undo, reset (writes.sql)
- ``backups.py``    backup folders and their manifest (backups.sql)
- ``errors.py``     :class:`StoreError`; ``locations.py`` file or URL, and the write lock of each
"""

from okrdash.store.errors import StoreError
from okrdash.store.interface import Store
from okrdash.store.locations import is_database_url
from okrdash.store.opening import close_shared_store, open_store, restore, shared_store
from okrdash.store.schema import DATA_TABLES, SCHEMA_VERSION, VERSIONED_TABLES
from okrdash.store.scores import Scores
from okrdash.store.writes import FileChanges, WriteCounts

__all__ = ["DATA_TABLES", "SCHEMA_VERSION", "VERSIONED_TABLES", "FileChanges", "Scores", "Store", "StoreError",
           "WriteCounts", "close_shared_store", "is_database_url", "open_store", "restore", "shared_store"]
