"""Sign-in and the editor role for a session, from .streamlit/secrets.toml.

- ``[auth]`` configured (OpenID Connect): people sign in with st.login; the roles file maps their
  e-mail address or domain to viewer, editor (of named teams) or admin.
- else ``[okrdash] editor_passphrase`` (an scrypt hash from ``okrdash hash-passphrase``): the
  passphrase unlocks editing for the session.
- else local mode: editing is open to everyone, and a banner says so.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from okrdash.access import LOCAL_ACCESS, Access, PassphraseThrottle, Role, load_roles
from okrdash.settings import load_settings
from okrdash.ui.context import Context

_UNLOCKED = "_okrdash_editor_unlocked"
# Process-wide, not in st.session_state: a reload or a new session must not guess at full speed.
PASSPHRASE_THROTTLE = PassphraseThrottle()


def _secret(section: str) -> Any:
    try:
        return st.secrets.get(section)
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return None


def current_access(ctx: Context) -> Access:
    """Who is here and what they may do; draws the sign-in or unlock control in the sidebar."""
    if _secret("auth"):
        return _oidc_access(ctx)
    okrdash_secrets = _secret("okrdash") or {}
    stored = okrdash_secrets.get("editor_passphrase") if hasattr(okrdash_secrets, "get") else None
    if stored:
        return _passphrase_access(ctx, str(stored))
    st.sidebar.caption(f"🔓 {ctx.t('auth.local_mode')}")
    return LOCAL_ACCESS


def _oidc_access(ctx: Context) -> Access:
    if not st.user.is_logged_in:
        if st.sidebar.button(ctx.t("auth.sign_in"), icon="🔑"):
            st.login()
        return Access(role=Role.VIEWER, mode="oidc")
    access = load_roles(load_settings().roles_file).access_for(st.user.get("email"))
    st.sidebar.caption(ctx.t("auth.signed_in_as", who=access.who or "?", role=ctx.t(f"auth.role_{access.role.value}")))
    if st.sidebar.button(ctx.t("auth.sign_out")):
        st.logout()
    return access


def _passphrase_access(ctx: Context, stored: str) -> Access:
    if st.session_state.get(_UNLOCKED):
        st.sidebar.caption(f"🔓 {ctx.t('auth.unlocked')}")
        return Access(role=Role.EDITOR, who=ctx.t("auth.passphrase_holder"), mode="passphrase")
    with st.sidebar.expander(f"🔒 {ctx.t('auth.unlock_title')}"):
        with st.form("unlock_editing", clear_on_submit=True, border=False):
            passphrase = st.text_input(ctx.t("auth.passphrase"), type="password")
            submitted = st.form_submit_button(ctx.t("auth.unlock"))
        if submitted:
            address = st.context.ip_address  # None on this machine (and not text under AppTest)
            outcome = PASSPHRASE_THROTTLE.check(passphrase, stored,
                                                client=address if isinstance(address, str) else "localhost")
            if outcome.accepted:
                st.session_state[_UNLOCKED] = True
                st.rerun()
            seconds = max(1, math.ceil(outcome.wait))
            if outcome.checked:
                st.error(ctx.t("auth.wrong_passphrase", seconds=seconds))
            else:
                st.warning(ctx.t("auth.wait_before_trying", seconds=seconds))
    return Access(role=Role.VIEWER, mode="passphrase")


def editing_notice(ctx: Context, access: Access) -> None:
    """The banner of local mode, or why this person cannot change data here."""
    if access.mode == "local":
        st.warning(ctx.t("auth.local_banner"), icon="🔓")
    elif not access.can_edit:
        st.info(ctx.t("auth.view_only"), icon="🔒")
