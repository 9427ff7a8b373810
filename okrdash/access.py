"""Who may change what: roles from configuration, and the editor passphrase check.

Viewing needs no login. Changing data (import, undo, demo reset, adding a key result from the
KPI bridge) needs the editor role; an editor may be limited to named teams; admins may do anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time
import tomllib
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from okrdash.names import name_key
from okrdash.settings import load_settings


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
# Local mode without this process's token (see LocalToken): the store refuses every write of it.
LOCAL_VIEWER = Access(role=Role.VIEWER, who=None, teams=None, mode="local")


@dataclass(frozen=True)
class LocalToken:
    """The secret that unlocks editing in local mode (no sign-in configured).

    ``okrdash serve`` prints it in the link it starts with (``?token=...``); a browser that opens
    that link keeps it in an HttpOnly cookie (ui/server.py), and a session without it is a
    viewer. A proxy in front of the server, or anyone else who reaches the port, gets no further
    than viewing: headers can be forged or left out, this cannot be guessed.
    """

    value: str

    @property
    def cookie_name(self) -> str:
        """Named after the token, so servers with other tokens (another port, an earlier start)
        on the same host name keep their own cookies and never overwrite this one."""
        return "okrdash_editor_" + hashlib.sha256(self.value.encode()).hexdigest()[:12]

    def matches(self, presented: object) -> bool:
        """Whether ``presented`` is the token (compared in constant time)."""
        return isinstance(presented, str) and hmac.compare_digest(presented.encode(), self.value.encode())


LOCAL_TOKEN_PARAM = "token"
_local_token: LocalToken | None = None
_local_token_lock = threading.Lock()


def local_token() -> LocalToken:
    """This process's token: ``OKRDASH_LOCAL_TOKEN`` when set (to keep one across restarts or
    share it between processes), else a random one made at the first call and kept until exit."""
    global _local_token
    with _local_token_lock:
        if _local_token is None:
            _local_token = LocalToken(load_settings().local_token or secrets.token_urlsafe(32))
        return _local_token


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


def throttle_key(client: str) -> str:
    """The address a try is counted under: an IPv6 address by its /64 network (one machine may
    hold a whole /64, and would otherwise get a fresh allowance per address), anything else as is."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class PassphraseTry:
    """What came of one try: ``accepted``; ``checked`` False when it was refused unchecked (too
    soon after a wrong one from the same address, or while another try of it is being checked);
    ``wait``, the seconds before that address may try again."""

    accepted: bool
    checked: bool
    wait: float


@dataclass
class _Tries:
    failures: int = 0  # wrong tries in a row
    last: float = 0.0  # time of the last wrong one
    checking: bool = False  # a try of this address is being checked now


class PassphraseThrottle:
    """Wrong passphrases slow down the address that sends them, and nobody else.

    One per process (the app keeps it at module level, never in a session): a reload or a new
    browser does not start again at full speed. After a wrong try an address waits
    :func:`failure_delay` of its wrong tries in a row before its next try is checked, or longer
    while many addresses guess (every address's wrong tries within ``window_seconds``, divided by
    ``global_step``); a try that comes sooner, or while another try of the same address is being
    checked, is refused unchecked with the wait it has left. Nothing waits here: the lock guards
    the table only, never a passphrase check or a sleep, so one address's guesses never hold up
    another's try, and an address that has made no wrong try is never slowed. At most
    ``max_addresses`` addresses are remembered (quiet ones forgotten first).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, window_seconds: float = 600.0,
                 global_step: int = 10, max_addresses: int = 10_000):
        self._clock = clock
        self._window, self._global_step, self._max_addresses = window_seconds, global_step, max_addresses
        self._lock = threading.Lock()
        self._by_client: OrderedDict[str, _Tries] = OrderedDict()  # least recently tried first
        # Times of every address's wrong tries within the window; past this many the delay is at its cap.
        self._recent: deque[float] = deque(maxlen=global_step * 16)

    def __len__(self) -> int:
        """How many addresses are remembered."""
        return len(self._by_client)

    def _wait(self, tries: _Tries, now: float) -> float:
        """Seconds before ``tries``' address may try again (its own wrong tries, and everyone's)."""
        if tries.failures == 0 or now - tries.last >= self._window:
            return 0.0
        while self._recent and self._recent[0] < now - self._window:
            self._recent.popleft()
        delay = max(failure_delay(tries.failures), failure_delay(len(self._recent) // self._global_step))
        return max(0.0, tries.last + delay - now)

    def wait(self, client: str) -> float:
        """Seconds before ``client``'s next try is checked (0: now)."""
        with self._lock:
            tries = self._by_client.get(throttle_key(client))
            return self._wait(tries, self._clock()) if tries else 0.0

    def _entry(self, key: str, now: float) -> _Tries:
        tries = self._by_client.get(key)
        if tries is not None:
            self._by_client.move_to_end(key)
            return tries
        if len(self._by_client) >= self._max_addresses:
            quiet = [k for k, t in self._by_client.items() if not t.checking and now - t.last >= self._window]
            for k in quiet:
                del self._by_client[k]
            while len(self._by_client) >= self._max_addresses:  # still full: forget the least recently tried
                oldest = next((k for k, t in self._by_client.items() if not t.checking), None)
                if oldest is None:
                    break
                del self._by_client[oldest]
        tries = self._by_client[key] = _Tries()
        return tries

    def check(self, passphrase: str, stored: str, client: str) -> PassphraseTry:
        key = throttle_key(client)
        with self._lock:
            now = self._clock()
            tries = self._entry(key, now)
            wait = self._wait(tries, now)
            if tries.checking:
                return PassphraseTry(accepted=False, checked=False, wait=max(wait, failure_delay(tries.failures + 1)))
            if wait > 0:
                return PassphraseTry(accepted=False, checked=False, wait=wait)
            tries.checking = True
        right = False
        try:
            right = check_passphrase(passphrase, stored)  # scrypt: the slow part, outside the lock
        finally:
            with self._lock:
                tries.checking = False
                if right:
                    self._by_client.pop(key, None)
                else:
                    now = self._clock()
                    tries.failures = (tries.failures if now - tries.last < self._window else 0) + 1
                    tries.last = now
                    self._recent.append(now)
                    wait = self._wait(tries, now)
        return PassphraseTry(accepted=True, checked=True, wait=0.0) if right else \
            PassphraseTry(accepted=False, checked=True, wait=wait)
