"""What the command line loads: each command only what it needs (issue 27).

``okrdash --help`` loads neither pandas, Streamlit nor Altair, and ``okrdash status`` (the store and
the rules, no frames) does not load them either. Each check runs in a fresh Python process and reads
its ``sys.modules``; no time is measured here (bench/cli.py measures the CPU seconds).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from okrdash import cli, demo
from okrdash.importing import DateOrder, NumberFormat
from okrdash.models import FileKind

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "streamlit", "altair")


def loaded_after(code: str) -> tuple[list[str], str]:
    """Run ``code`` in a fresh interpreter; the heavy modules it left loaded, and what it printed."""
    probe = f"{code}\nimport sys\nprint('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
    ran = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    marker = next(line for line in ran.stderr.splitlines() if line.startswith("LOADED "))
    return ast.literal_eval(marker.removeprefix("LOADED ")), ran.stdout


def test_importing_the_command_line_loads_no_heavy_module():
    assert loaded_after("import okrdash.cli")[0] == []


@pytest.mark.parametrize("argv", [["--help"], ["status", "--help"], ["import", "--help"], ["review", "--help"]])
def test_help_loads_no_heavy_module(argv):
    loaded, printed = loaded_after(f"from okrdash.cli import main\nassert main({argv!r}) == 0")
    assert loaded == []
    assert "usage: okrdash" in printed


def test_status_json_loads_no_heavy_module(demo_db_file):
    argv = ["--db", str(demo_db_file), "status", "--json", "--as-of", demo.DEMO_ANCHOR.isoformat()]
    loaded, printed = loaded_after(f"from okrdash.cli import main\nassert main({argv!r}) == 0")
    assert loaded == []
    report = json.loads(printed)
    assert report["cycle"] and report["objectives"] and report["kpis"]
    assert all(objective["key_results"] for objective in report["objectives"])


def test_the_command_lines_spellings_are_the_importers():
    """--numbers and --dates are spelled in cli.py so that parsing does not load the importer."""
    assert cli.NUMBER_FORMATS == tuple(f.value for f in NumberFormat)
    assert cli.DATE_ORDERS == tuple(o.value for o in DateOrder)
    assert cli.FILE_KINDS == tuple(k.value for k in FileKind)
