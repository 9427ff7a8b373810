"""Who may change what: roles from configuration, and the editor passphrase check.

Viewing needs no login. Changing data (import, undo, demo reset, adding a key result from the
KPI bridge) needs the editor role; an editor may be limited to named teams; admins may do anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import tomllib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from okrdash.names import name_key


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """What the person in this session may do. ``teams`` None means every team."""

    role: Role
    who: str | None = None
    teams: frozenset[str] | None = None
    mode: str = "local"  # "oidc", "passphrase" or "local" (no access control configured)
    # The command line's writer: the operating system account it runs as, recorded with its batches
    # beside ``who`` (its --by, which the command line takes on trust). None in the app.
    os_user: str | None = None

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def allowed_teams(self) -> frozenset[str] | None:
        """Teams this person may write: None for all (admins, editors without a team list), none for viewers."""
        if self.role is Role.VIEWER:
            return frozenset()
        return None if self.role is Role.ADMIN else self.teams

    def home_team(self, teams: list[str]) -> str | None:
        """The team a page opens on for this person: the first of ``teams`` they are bound to
        (compared as names are, ``name_key``); None for someone bound to no team or to every team."""
        if not self.teams:
            return None
        mine = {name_key(t) for t in self.teams}
        return next((team for team in teams if name_key(team) in mine), None)

    def may_edit_team(self, team: str) -> bool:
        allowed = self.allowed_teams
        return self.can_edit and (allowed is None or name_key(team) in {name_key(t) for t in allowed})


LOCAL_ACCESS = Access(role=Role.ADMIN, who=None, teams=None, mode="local")


def admin_writer(who: str | None) -> Access:
    """The writer of okrdash's own data and of a terminal on the server without a roles file."""
    return Access(role=Role.ADMIN, who=who, teams=None, mode="local")


def writer_for(who: str | None, allowed_teams: frozenset[str] | None) -> Access:
    """The writer an older caller describes by name and team list (None: every team)."""
    if allowed_teams is None:
        return admin_writer(who)
    return Access(role=Role.EDITOR, who=who, teams=frozenset(allowed_teams), mode="local")


def sign_in_configured(secrets: Mapping[str, Any]) -> bool:
    """Whether secrets.toml sets up OpenID Connect or an editor passphrase (else: local mode)."""
    okrdash_secrets = secrets.get("okrdash")
    return bool(secrets.get("auth")) or (isinstance(okrdash_secrets, Mapping)
                                         and bool(okrdash_secrets.get("editor_passphrase")))


def read_secrets(paths: list[Path]) -> dict[str, Any]:
    """The merged secrets files Streamlit would read (later files win), without Streamlit."""
    merged: dict[str, Any] = {}
    for path in paths:
        if path.is_file():
            with open(path, "rb") as handle:
                merged.update(tomllib.load(handle))
    return merged


@dataclass(frozen=True)
class RoleRule:
    match: str  # an e-mail address, or "@domain" for everyone at that domain
    role: Role
    teams: frozenset[str] | None = None


@dataclass(frozen=True)
class RolesFile:
    rules: tuple[RoleRule, ...]
    default: Role = Role.VIEWER

    def access_for(self, email: str | None) -> Access:
        """The first rule for the exact address wins; then the first rule for its domain; else the default."""
        address = (email or "").strip().lower()
        domain = "@" + address.rsplit("@", 1)[-1] if "@" in address else None
        for wanted in (address, domain):
            for rule in self.rules:
                if wanted and rule.match == wanted:
                    return Access(role=rule.role, who=address or None, teams=rule.teams, mode="oidc")
        return Access(role=self.default, who=address or None, mode="oidc")


def load_roles(path: Path) -> RolesFile:
    """Read a roles file (TOML). Example::

        default = "viewer"
        [[rule]]
        match = "rina@contoh.co.id"
        role = "editor"
        teams = ["Sales", "Marketing"]
        [[rule]]
        match = "@contoh.co.id"
        role = "viewer"
    """
    if not path.is_file():
        return RolesFile(rules=())
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    rules = tuple(
        RoleRule(
            match=str(rule["match"]).strip().lower(),
            role=Role(rule.get("role", "viewer")),
            # No "teams" key: every team. An empty list: no team (fail closed).
            teams=frozenset(rule["teams"]) if "teams" in rule else None,
        )
        for rule in data.get("rule", [])
    )
    return RolesFile(rules=rules, default=Role(data.get("default", "viewer")))


# Passphrases are stored as scrypt hashes that carry their cost parameters
# ("scrypt$<n>$<r>$<p>$<salt>$<hash>", base64), so raising the cost later keeps old hashes valid;
# the first format ("scrypt$<salt>$<hash>", n=2**14, r=8, p=1) is still accepted.
# okrdash hash-passphrase prints one for .streamlit/secrets.toml.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_FIRST_FORMAT_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_DIGEST_BYTES = 32
# A stored hash may not ask for more than this (a hash from elsewhere must not exhaust memory).
_MAX_SCRYPT_MEMORY = 256 * 2**20


def hash_passphrase(passphrase: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode(), salt=salt, dklen=_DIGEST_BYTES, **_SCRYPT)
    costs = "$".join(str(_SCRYPT[k]) for k in ("n", "r", "p"))
    return f"scrypt${costs}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    """Constant-time comparison of the passphrase's hash with the stored one (either format)."""
    try:
        parts = stored.split("$")
        if parts[0] != "scrypt" or len(parts) not in (3, 6):
            return False
        if len(parts) == 3:
            costs, salt, expected = _FIRST_FORMAT_SCRYPT, parts[1], parts[2]
        else:
            costs = {"n": int(parts[1]), "r": int(parts[2]), "p": int(parts[3])}
            salt, expected = parts[4], parts[5]
        wanted = base64.b64decode(expected, validate=True)
        if len(wanted) != _DIGEST_BYTES or 128 * costs["n"] * costs["r"] * costs["p"] > _MAX_SCRYPT_MEMORY:
            return False
        digest = hashlib.scrypt(passphrase.encode(), salt=base64.b64decode(salt, validate=True),
                                dklen=_DIGEST_BYTES, maxmem=2 * _MAX_SCRYPT_MEMORY, **costs)
        return hmac.compare_digest(digest, wanted)
    except (ValueError, TypeError):
        return False


def failure_delay(failures: int) -> float:
    """Seconds to wait before checking again after ``failures`` wrong passphrases (1, 2, 4 ... 30)."""
    return 0.0 if failures <= 0 else min(30.0, 2.0 ** (min(failures, 16) - 1))


class PassphraseThrottle:
    """Wrong passphrases slow down every later try, whichever session makes it.

    One per process (the app keeps it at module level, never in a session): a reload or a new
    browser does not start again at full speed. Each try waits :func:`failure_delay` of the wrong
    tries from the same client address, or of every client's recent wrong tries divided by
    ``global_step``, whichever is longer; and tries are checked one at a time, so parallel
    sessions cannot guess faster than one.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 window_seconds: float = 600.0, global_step: int = 10):
        self._clock, self._sleep = clock, sleep
        self._window, self._global_step = window_seconds, global_step
        self._lock = threading.Lock()
        self._by_client: dict[str, tuple[int, float]] = {}  # client -> (wrong tries, time of the last)
        self._recent: deque[float] = deque()  # times of every client's wrong tries within the window

    def delay(self, client: str) -> float:
        """Seconds the next try of ``client`` waits."""
        now = self._clock()
        while self._recent and self._recent[0] < now - self._window:
            self._recent.popleft()
        failures, last = self._by_client.get(client, (0, now))
        own = failure_delay(failures) if now - last < self._window else 0.0
        return max(own, failure_delay(len(self._recent) // self._global_step))

    def check(self, passphrase: str, stored: str, client: str) -> bool:
        with self._lock:
            self._sleep(self.delay(client))
            if check_passphrase(passphrase, stored):
                self._by_client.pop(client, None)
                return True
            now = self._clock()
            failures, last = self._by_client.get(client, (0, now))
            self._by_client[client] = ((failures if now - last < self._window else 0) + 1, now)
            self._recent.append(now)
            if len(self._by_client) > 10_000:  # forget clients quiet for a whole window
                self._by_client = {c: v for c, v in self._by_client.items() if now - v[1] < self._window}
            return False
