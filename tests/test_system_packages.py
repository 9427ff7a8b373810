"""``make system-packages``: one quiet apt-get run for the Debian packages the tests need, only when
one is missing. dpkg-query, apt-get and id are stand-ins on PATH that record how they were called."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEEDED = ["chromium", "fonts-noto-color-emoji", "nginx", "postgresql"]


def _make(tmp_path: Path, installed: list[str]) -> tuple[subprocess.CompletedProcess, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    stubs = {
        "dpkg-query": "#!/bin/sh\nfor a; do last=$a; done\nfor p in {installed}; do [ \"$p\" = \"$last\" ] && "
                      "echo 'install ok installed' && exit 0; done\nexit 1\n".format(installed=" ".join(installed)),
        "apt-get": f"#!/bin/sh\necho \"$*\" >> {calls}\n",
        "id": "#!/bin/sh\necho 0\n",  # as root: no sudo
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    make = shutil.which("make")
    result = subprocess.run([make, "-s", "-C", str(ROOT), "system-packages"], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"})
    return result, calls.read_text().splitlines() if calls.exists() else []


@pytest.fixture(autouse=True)
def _needs_make():
    if shutil.which("make") is None:
        pytest.skip("make is missing")


def test_nothing_runs_when_every_package_is_installed(tmp_path):
    result, calls = _make(tmp_path, NEEDED)
    assert result.returncode == 0, result.stderr
    assert calls == [] and result.stdout == ""


def test_one_install_of_exactly_the_missing_packages(tmp_path):
    result, calls = _make(tmp_path, ["fonts-noto-color-emoji", "postgresql"])
    assert result.returncode == 0, result.stderr
    update, install = calls
    assert update == "update -qq"
    assert install.split()[:3] == ["install", "-y", "-qq"]
    assert install.split()[-2:] == ["chromium", "nginx"]
    assert "Installing Debian packages for the tests: chromium nginx" in result.stdout


def test_make_test_installs_them_first():
    makefile = (ROOT / "Makefile").read_text()
    assert "test: $(STAMP) system-packages" in makefile
    assert f"SYSTEM_PACKAGES := {' '.join(NEEDED)}" in makefile
