"""Named queries in .sql files: one reader for the store's, readmodels.sql, review.sql and postgres.sql."""

from __future__ import annotations

from okrdash import postgres_store, readmodels, review, sqlfiles
from okrdash.store import backups, reads, schema, scores, writes


def test_named_queries_split_at_each_name_and_skip_the_files_own_comment(tmp_path):
    path = tmp_path / "q.sql"
    path.write_text("-- what this file is\n\n-- name: first\nSELECT $a,\n  $b;\n\n-- name: second\nSELECT 1;\n")
    assert sqlfiles.named_queries(path) == {"first": "SELECT $a,\n  $b;\n", "second": "SELECT 1;\n"}


def test_parameters_are_only_those_the_query_names():
    assert sqlfiles.parameters("SELECT $team, $cycle::DATE, $team", {"team": "T", "cycle": "Q", "as_of": 1}) == {
        "team": "T", "cycle": "Q"}


def test_a_parameter_name_may_hold_digits():
    assert sqlfiles.parameters("VALUES ($sha256, $k2)", {"sha256": "x", "k2": 2, "sha": 0}) == {"sha256": "x", "k2": 2}


def test_every_sql_file_read_this_way_has_named_statements():
    for path in (readmodels.READMODELS_SQL, review.REVIEW_SQL, postgres_store.POSTGRES_SQL, postgres_store.MIRROR_SQL,
                 schema.SCHEMA_SQL,
                 reads.READS_SQL, scores.SCORES_SQL, writes.WRITES_SQL, backups.BACKUPS_SQL):
        queries = sqlfiles.named_queries(path)
        assert queries and all(sql.strip() and "-- name:" not in sql for sql in queries.values()), path
