"""Sign-in and the editor role for a session, from .streamlit/secrets.toml.

- ``[auth]`` configured (OpenID Connect): people sign in with st.login; the roles file maps their
  e-mail address or domain to viewer, editor (of named teams) or admin.
- else ``[okrdash] editor_passphrase`` (an scrypt hash from ``okrdash hash-passphrase``): the
  passphrase unlocks editing for the session.
- else local mode: editing needs the token of the link ``okrdash serve`` printed at start (kept
  in a cookie by ui/server.py, or given in this session's URL); a session without it is a viewer.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from okrdash.access import (LOCAL_ACCESS, LOCAL_TOKEN_PARAM, LOCAL_VIEWER, Access, PassphraseThrottle, Role,
                            load_roles, local_token)
from okrdash.settings import load_settings
from okrdash.ui.context import Context

_UNLOCKED = "_okrdash_editor_unlocked"
# This session opened a link with the local token (where no cookie keeps it: AppTest, streamlit run).
_LINK_TOKEN = "_okrdash_local_token_given"
# Process-wide, not in st.session_state: a reload or a new session must not guess at full speed.
PASSPHRASE_THROTTLE = PassphraseThrottle()


def _secret(section: str) -> Any:
    try:
        return st.secrets.get(section)
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return None


def _stored_passphrase() -> str | None:
    okrdash_secrets = _secret("okrdash") or {}
    stored = okrdash_secrets.get("editor_passphrase") if hasattr(okrdash_secrets, "get") else None
    return str(stored) if stored else None


def _local_mode() -> bool:
    return not _secret("auth") and not _stored_passphrase()


def take_link_token(ctx: Context) -> None:
    """A token in this run's URL is taken out of it at once (never left in the address bar, a share
    link or a screenshot). In local mode the server's token unlocks editing for this session, and
    any other is named as a link of an earlier start. app.py calls this on every run, and
    :func:`current_access` before it looks (a page run without app.py)."""
    presented = st.query_params.get_all(LOCAL_TOKEN_PARAM)
    if not presented:
        return
    st.query_params.pop(LOCAL_TOKEN_PARAM)
    if not _local_mode():
        return
    if any(local_token().matches(value) for value in presented):
        st.session_state[_LINK_TOKEN] = True
    else:
        st.warning(ctx.t("auth.wrong_token"), icon="🔑")


def _has_local_token() -> bool:
    token = local_token()
    return bool(st.session_state.get(_LINK_TOKEN)) or token.matches(st.context.cookies.get(token.cookie_name))


def current_access(ctx: Context) -> Access:
    """Who is here and what they may do; draws the sign-in or unlock control in the sidebar, and
    keeps the answer in ``ctx`` for app.py's sidebar, which asks after the page (drawn twice, the
    unlock form's key is refused)."""
    ctx.access = _access(ctx)
    return ctx.access


def _access(ctx: Context) -> Access:
    if _secret("auth"):
        return _oidc_access(ctx)
    stored = _stored_passphrase()
    if stored:
        return _passphrase_access(ctx, stored)
    take_link_token(ctx)
    if _has_local_token():
        st.sidebar.caption(f"🔓 {ctx.t('auth.local_mode')}")
        return LOCAL_ACCESS
    st.sidebar.caption(f"🔒 {ctx.t('auth.local_view_only_short')}")
    return LOCAL_VIEWER


def is_admin() -> bool:
    """Whether the person here is an admin, drawing nothing (the navigation lists admin pages by it)."""
    if _secret("auth"):
        return bool(st.user.is_logged_in) and load_roles(load_settings().roles_file).access_for(
            st.user.get("email")).role is Role.ADMIN
    if _stored_passphrase():
        return False  # the passphrase unlocks editing, never the admin's rights
    return _has_local_token() and LOCAL_ACCESS.role is Role.ADMIN


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
    if access.mode == "local" and access.can_edit:
        st.warning(ctx.t("auth.local_banner"), icon="🔓")
    elif access.mode == "local":
        st.info(ctx.t("auth.local_view_only"), icon="🔒")
    elif not access.can_edit:
        st.info(ctx.t("auth.view_only"), icon="🔒")
