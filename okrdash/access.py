"""Who may change what: roles from configuration, and the editor passphrase check.

Viewing needs no login. Changing data (import, undo, demo reset, adding a key result from the
KPI bridge) needs the editor role; an editor may be limited to named teams; admins may do anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


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

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def allowed_teams(self) -> frozenset[str] | None:
        """Teams this person may write: None for all (admins, editors without a team list), none for viewers."""
        if self.role is Role.VIEWER:
            return frozenset()
        return None if self.role is Role.ADMIN else self.teams

    def may_edit_team(self, team: str) -> bool:
        return self.can_edit and (self.allowed_teams is None or team in self.allowed_teams)


LOCAL_ACCESS = Access(role=Role.ADMIN, who=None, teams=None, mode="local")


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


# Passphrases are stored as scrypt hashes ("scrypt$<salt>$<hash>", base64); okrdash hash-passphrase
# prints one for .streamlit/secrets.toml.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_passphrase(passphrase: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_passphrase(passphrase: str, stored: str) -> bool:
    """Constant-time comparison of the passphrase's hash with the stored one."""
    try:
        scheme, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(passphrase.encode(), salt=base64.b64decode(salt), **_SCRYPT)
        return hmac.compare_digest(digest, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


def failure_delay(failures: int) -> float:
    """Seconds to wait before checking again after ``failures`` wrong passphrases (1, 2, 4 ... 30)."""
    return 0.0 if failures <= 0 else min(30.0, 2.0 ** (min(failures, 16) - 1))
