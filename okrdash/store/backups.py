"""Backup and restore of the whole database as a folder (statements in backups.sql).

A backup is DuckDB's EXPORT DATABASE (schema.sql, load.sql and a Parquet file per table) with a
manifest of every file's sha256: restore runs the folder's SQL, so it runs only what okrdash wrote.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from okrdash import sqlfiles
from okrdash.store.errors import StoreError, first_line
from okrdash.store.schema import connect, quoted

BACKUPS_SQL = Path(__file__).with_name("backups.sql")
SQL = sqlfiles.named_queries(BACKUPS_SQL)
MANIFEST = "okrdash-manifest.json"


def export(cur: duckdb.DuckDBPyConnection, folder: Path, schema_version: int) -> Path:
    """Write the database ``cur`` is connected to into an empty ``folder``, with its manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise StoreError("backup_folder_not_empty", folder=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    database = cur.execute(SQL["data_catalog"]).fetchall()[0][0]
    cur.execute(SQL["export"].format(database='"' + database.replace('"', '""') + '"', folder=quoted(folder)))
    # Restore runs the folder's SQL: the manifest lets it run only what okrdash wrote here.
    files = {path.name: _sha256(path) for path in sorted(folder.iterdir()) if path.is_file()}
    (folder / MANIFEST).write_text(json.dumps({"okrdash_backup": 1, "schema_version": schema_version,
                                               "files": files}, indent=2), encoding="utf-8")
    return folder


def check_backup(folder: Path) -> None:
    """Refuse a folder that is not an okrdash backup, or not byte for byte the one okrdash wrote.

    IMPORT DATABASE runs the folder's schema.sql and load.sql as they are: an appended
    ``COPY ... TO`` would write wherever the server may write.
    """
    if not (folder / "schema.sql").is_file():
        raise StoreError("restore_not_a_backup", folder=str(folder))
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        listed = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError("restore_no_manifest", folder=str(folder)) from None
    present = {path.name for path in folder.iterdir() if path.name != MANIFEST}
    for name in sorted(present | set(listed)):
        if name not in listed or name not in present or not (folder / name).is_file() \
                or _sha256(folder / name) != listed[name]:
            raise StoreError("restore_changed", folder=str(folder), file=name)


def import_into(folder: Path, path: Path) -> None:
    """Load a checked backup folder into a new database file at ``path`` (none is left on failure)."""
    con = connect(str(path))
    try:
        con.execute(SQL["import"].format(folder=quoted(folder)))
    except duckdb.Error as error:
        con.close()
        path.unlink(missing_ok=True)  # a half-restored database is worse than none
        Path(f"{path}.wal").unlink(missing_ok=True)
        raise StoreError("restore_failed", folder=str(folder), detail=first_line(error)) from None
    con.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
