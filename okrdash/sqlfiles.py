"""Named queries kept in ``.sql`` files: each statement follows a ``-- name: X`` line.

The store's (okrdash/store/*.sql), readmodels.sql, review.sql, postgres.sql and mirror.sql are read this way;
``$name`` parameters are bound by DuckDB from a dict holding only the names a query uses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

_NAME = "-- name:"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=None)
def named_queries(path: Path) -> dict[str, str]:
    """The statements of ``path`` by the name in the ``-- name:`` line above each (text before the
    first name, the file's own comment, is not a statement)."""
    named: dict[str, list[str]] = {}
    lines = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(_NAME):
            lines = named.setdefault(line.removeprefix(_NAME).strip(), [])
        elif lines is not None:
            lines.append(line)
    return {name: "\n".join(body).strip() + "\n" for name, body in named.items()}


def parameters(sql: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values of the ``$name`` parameters ``sql`` uses (DuckDB refuses names it does not use)."""
    return {name: values[name] for name in set(_PARAMETER.findall(sql))}
