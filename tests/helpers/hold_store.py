"""Run by tests/test_reliability.py in a child process: hold a database file open.

    python tests/helpers/hold_store.py DB

Opens the store, prints ``ready <pid>`` and keeps the file until its stdin is closed (the test
closes it, or the test process dies and the pipe closes with it).
"""

from __future__ import annotations

import os
import sys

from okrdash.store import open_store


def main() -> int:
    store = open_store(sys.argv[1])
    print(f"ready {os.getpid()}", flush=True)
    sys.stdin.read()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
