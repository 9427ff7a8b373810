"""What the primary key of ``kpi_measurements`` costs an import of 1.8 million measurements.

    .venv/bin/python -m bench.upsert

The store writes measurements with ``INSERT ... ON CONFLICT (kpi_id, date) DO UPDATE``, which needs
the table's primary key, an ART index DuckDB maintains on every insert. This writes the same
synthetic 1,825,000 rows (5,000 KPIs x 365 days, from an Arrow table as the importer hands them
over) into a fresh database file three ways, each in one transaction with its commit:
as the store does it, a plain INSERT into the same table, and a plain INSERT into the table
without the key. Median of ``--runs``. Writes bench/results/profiles/upsert.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "bench" / "results" / "profiles"

COLUMNS = "kpi_id INTEGER NOT NULL, date DATE NOT NULL, value DOUBLE NOT NULL, target DOUBLE, batch_id INTEGER"
VARIANTS = {
    "as the store does: primary key, INSERT ... ON CONFLICT DO UPDATE": (
        f"{COLUMNS}, PRIMARY KEY (kpi_id, date)",
        "INSERT INTO m SELECT kpi_id, date, value, target, 1 FROM staged ON CONFLICT (kpi_id, date) "
        "DO UPDATE SET value = excluded.value, target = excluded.target, batch_id = excluded.batch_id"),
    "primary key, plain INSERT": (f"{COLUMNS}, PRIMARY KEY (kpi_id, date)",
                                  "INSERT INTO m SELECT kpi_id, date, value, target, 1 FROM staged"),
    "no key, plain INSERT": (COLUMNS, "INSERT INTO m SELECT kpi_id, date, value, target, 1 FROM staged"),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    import duckdb

    staged = duckdb.connect().sql(
        """SELECT (i // 365)::INTEGER AS kpi_id, DATE '2025-11-23' + (i % 365)::INTEGER AS date,
                  random() * 1000 AS value, 1000.0 AS target FROM range(1825000) t(i)""").to_arrow_table()
    lines = ["# The primary key's cost: 1,825,000 measurements into a fresh database file", "",
             f"Rerun: `.venv/bin/python -m bench.upsert`. Median of {args.runs} runs, wall seconds.", "",
             "| write | INSERT s | with COMMIT s |", "|---|---:|---:|"]
    for label, (columns, insert) in VARIANTS.items():
        inserts, totals = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                con = duckdb.connect(str(Path(folder) / "m.duckdb"))
                con.execute(f"CREATE TABLE m ({columns})")
                con.register("staged", staged)
                started = time.perf_counter()
                con.begin()
                con.execute(insert)
                inserts.append(time.perf_counter() - started)
                con.commit()
                totals.append(time.perf_counter() - started)
                con.close()
        lines.append(f"| {label} | {statistics.median(inserts):.2f} | {statistics.median(totals):.2f} |")
        print(lines[-1], flush=True)
    (PROFILES / "upsert.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {PROFILES / 'upsert.md'}")


if __name__ == "__main__":
    main()
