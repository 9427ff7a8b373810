"""A backup of the whole database as one zip file (schema.sql, load.sql and a Parquet file per table)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from okrdash.store import Store


def archive(store: Store) -> bytes:
    """The zip of ``store.backup``; unzip it and run ``okrdash restore FOLDER`` to restore."""
    with tempfile.TemporaryDirectory() as folder:
        exported = store.backup(Path(folder) / "okrdash-backup")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(exported.iterdir()):
                zipped.write(path, arcname=f"okrdash-backup/{path.name}")
        return buffer.getvalue()
