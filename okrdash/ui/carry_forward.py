"""The review's carry-forward: an editor chooses which unfinished aspirational objectives of a finished
cycle go on into the next one (okrdash/carry_forward.py writes them: one batch, undoable)."""

from __future__ import annotations

import streamlit as st

from okrdash import carry_forward
from okrdash.access import Access
from okrdash.problems import ImportFailed
from okrdash.store import StoreError
from okrdash.ui import context, forms, widgets
from okrdash.ui.context import Context
from okrdash.views.review import CarryOffer

_FLASH = "_okrdash_carry_flash"


def carry_panel(ctx: Context, access: Access, offer: CarryOffer | None) -> None:
    """The offer, to an editor of at least one of its teams; nothing for anyone else."""
    if offer is None:
        return
    options = [o for o in offer.options if access.may_edit_team(offer.teams[int(o.value)])]
    flash = st.session_state.pop(_FLASH, None)
    if not options and flash is None:
        return
    with st.container(border=True):
        st.subheader(f"➡️ {offer.title}")
        st.caption(offer.help)
        if options:
            labels = {int(o.value): o.label for o in options}
            # A multiselect shows its options as text (not Markdown): the titles as typed, unescaped.
            st.multiselect(ctx.t("review.carry_choose"), list(labels), key="carry_chosen",
                           format_func=lambda i: labels[i])
            st.button(f"➡️ {ctx.t('review.carry_button', to=widgets.plain(offer.to.name))}", key="carry_button",
                      type="primary", disabled=not st.session_state.get("carry_chosen"), on_click=_carry,
                      args=(ctx, access, offer))
        if flash is not None:
            kind, text = flash
            (st.success if kind == "success" else st.error)(text, icon="✅" if kind == "success" else "🛑")


def _carry(ctx: Context, access: Access, offer: CarryOffer) -> None:
    chosen = [int(i) for i in st.session_state.get("carry_chosen", [])]
    try:
        result = carry_forward.carry_forward(ctx.store, offer.cycle, offer.to, chosen, access,
                                             {"objective": ctx.t("common.objective")})
    except (ImportFailed, StoreError) as refused:
        st.session_state[_FLASH] = ("error", forms.refusal(ctx, refused))
        return
    context.data_changed()
    st.session_state.pop("carry_chosen", None)
    (written,) = result.written
    st.session_state[_FLASH] = ("success", ctx.t("review.carried", count=len(chosen), to=widgets.plain(offer.to.name),
                                                 batch=written.batch_id) + "  \n" + ctx.t("forms.undo_hint"))
