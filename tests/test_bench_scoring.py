"""bench/scoring.py's restatement of the rules in pandas gives okrdash's status on every row.

The benchmark sets okrdash's scoring beside the same rules in pandas and polars and refuses to time
them unless every status agrees; this keeps the pandas one honest on the demo company between
benchmark runs (polars is the bench's own extra, checked by the benchmark itself).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bench import scoring
from okrdash import demo
from okrdash.store import open_store


@pytest.mark.parametrize("as_of", [demo.DEMO_ANCHOR, demo.DEMO_ANCHOR - dt.timedelta(days=45)])
def test_the_pandas_restatement_agrees_with_okrdash_on_every_row(demo_db_file, as_of):
    store = open_store(demo_db_file, read_only=True)
    try:
        with store.cursor() as cur:
            frames = {name: cur.execute(sql).df() for name, sql in scoring.TABLES.items()}
            scoring.okrdash_in_engine(cur, as_of)
            reference = scoring.okrdash_statuses(cur)
    finally:
        store.close()
    found = scoring.disagreements(reference, scoring.pandas_statuses(frames, as_of))
    assert {name: (table["rows"], table["differ"]) for name, table in found.items()} == {
        name: (len(series), 0) for name, series in reference.items()}
    assert all(len(series) for series in reference.values())
    assert len(set(reference["key_results"])) >= 4  # the demo's key results are in several statuses
