"""Run the round-trip oracle by hand, longer than CI does:

    .venv/bin/python -m tests.oracle --examples 2000
    .venv/bin/python -m tests.oracle --examples 300 --scenario percent-cells --scenario xlsx

Every scenario (or the named ones) runs for the given number of examples; each one prints what its
imports did (exact, asked, refused, wrong), the classes of issue 21 present, the problem codes seen,
and, when it fails, the smallest failing company Hypothesis found with its files saved under
``--folder``. Exit status 1 when any scenario fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.oracle.run import OracleFailure, examples_per_scenario, run_scenario
from tests.oracle.scenarios import SCENARIOS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.oracle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=examples_per_scenario(), help="examples per scenario")
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), help="run only these (repeatable)")
    parser.add_argument("--no-shrink", action="store_true", help="report the first failing example as found")
    parser.add_argument("--folder", type=Path, help="where failing examples' files are saved (default: a temp folder)")
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="okrdash-oracle-"))
    results = []
    for name in args.scenario or list(SCENARIOS):
        scenario = SCENARIOS[name]
        started = time.monotonic()
        try:
            tally = run_scenario(scenario, args.examples, folder, shrink=not args.no_shrink)
            failure = None
        except OracleFailure as failed:
            tally, failure = failed.tally, str(failed)
        seconds = time.monotonic() - started
        verdict = "FAIL" if failure else "pass"
        print(f"\n=== {name} ({'readable' if scenario.readable else 'may refuse'}; classes "
              f"{', '.join(scenario.classes) or '-'}): {verdict} in {seconds:.0f} s", flush=True)
        print(f"    {scenario.about}")
        if tally:
            print(f"    {tally.summary()}")
        if failure:
            print("\n".join(f"    {line}" for line in failure.splitlines()))
        results.append((name, verdict))
    print(f"\n{sum(v == 'FAIL' for _, v in results)} of {len(results)} scenarios fail; files in {folder}")
    for name, verdict in results:
        print(f"  {verdict}  {name}")
    return 1 if any(v == "FAIL" for _, v in results) else 0


if __name__ == "__main__":
    sys.exit(main())
