"""What the store reports when an operation cannot go ahead, in the reader's language."""

from __future__ import annotations

import duckdb

from okrdash.i18n import translate


class StoreError(Exception):
    """A store operation that cannot go ahead, with a message code for the reader's language."""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return translate(f"store.{self.code}", lang, **self.params)


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back without hiding the error that made us roll back (after a failed write DuckDB may
    only answer "Current transaction is aborted")."""
    try:
        cur.rollback()
    except duckdb.Error:
        pass
