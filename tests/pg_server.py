"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder.

It listens on a Unix socket in that folder only (no TCP port to collide with another run), with
fsync off (a test database need not survive a crash). initdb refuses to run as root, so as root
the server runs as the unprivileged ``postgres`` user Debian's package creates (else ``nobody``),
owning the folder. The binaries are the newest of /usr/lib/postgresql/<version>/bin, else those
on PATH.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian's newest version, else PATH's; None if neither."""
    versions = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.parent.parent.name.isdigit()]
    if versions:
        return max(versions, key=lambda folder: int(folder.parent.name))
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _server_user() -> str | None:
    """The user to run the server as when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a postgres nor a nobody user exists to run PostgreSQL as")


class PgServer:
    """One PostgreSQL cluster; :meth:`new_database` gives each test an empty database."""

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="okrdash-pg-"))
        self.data = self.folder / "data"
        self._names = itertools.count(1)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        self._options = (f"-c listen_addresses='' -c unix_socket_directories={self.folder} -c fsync=off "
                         "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
        self.start_serving()
        self.admin = psycopg.connect(self.url("postgres"), autocommit=True)
        self.admin.execute("CREATE DATABASE okrdash")
        self.tests = psycopg.connect(self.url("okrdash"), autocommit=True)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.binaries / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)

    def start_serving(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-o", self._options,
                  "start")

    def stop_serving(self) -> None:
        """Stop the server and keep its data (:meth:`start_serving` brings it back): an outage. The
        connections of :meth:`new_database` end with it; use it before, or after the start."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def url(self, database: str, schema: str | None = None) -> str:
        options = f"&options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql://postgres@/{database}?host={self.folder}{options}"

    def new_database(self) -> str:
        """The URL of a new, empty database: a schema of its own in the ``okrdash`` database
        (CREATE DATABASE copies a template, ten times slower on a busy machine than CREATE SCHEMA)."""
        name = f"okrdash_test_{next(self._names)}"
        try:
            self.tests.execute(f"CREATE SCHEMA {name}")
        except psycopg.OperationalError:  # the server was stopped and started again since (stop_serving)
            self.tests = psycopg.connect(self.url("okrdash"), autocommit=True)
            self.tests.execute(f"CREATE SCHEMA {name}")
        return self.url("okrdash", name)

    def stop(self) -> None:
        self.tests.close()
        self.admin.close()
        try:
            # Not checked: a test may have left the server stopped (stop_serving).
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop", check=False)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
