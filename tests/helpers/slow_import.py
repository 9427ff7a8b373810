"""Run by tests/test_reliability.py in a child process: import one CSV into a file database.

    python tests/helpers/slow_import.py DB CSV MODE

Announces each stage on stdout (one word a line, flushed) so the test knows when to SIGKILL:

- ``started``  just before ``import_files`` is called;
- ``applying`` when ``DuckDBStore.apply`` begins (validation is over, the write transaction starts);
- ``written``  (MODE ``pause`` only) after every row of the file is written inside the still open
  transaction; the process then sleeps there, so a kill lands before COMMIT for certain;
- ``done``     after ``import_files`` returned (the transaction is committed).

Only this child process is patched (to announce the stages); the product code runs unchanged.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from okrdash.importing import Upload, import_files
from okrdash.store import open_store, writes
from okrdash.store.file_store import DuckDBStore


def say(word: str) -> None:
    print(word, flush=True)


def main() -> int:
    db, csv_path, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    store = open_store(db)
    data = csv_path.read_bytes()

    original_apply = DuckDBStore.apply

    def announcing_apply(self, files, writer):
        say("applying")
        return original_apply(self, files, writer)

    DuckDBStore.apply = announcing_apply
    if mode == "pause":
        original_apply_file = writes.apply_file

        def pausing_apply_file(cur, change, writer):
            result = original_apply_file(cur, change, writer)
            say("written")
            time.sleep(300)  # the test kills us here, inside the open transaction
            return result

        writes.apply_file = pausing_apply_file

    say("started")
    import_files(store, [Upload(csv_path.name, data)], imported_by="killed-helper", today=dt.date(2026, 11, 22))
    say("done")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
