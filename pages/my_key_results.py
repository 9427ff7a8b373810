"""My key results: one person's key results across teams, the ones without a check-in this week first."""

import streamlit as st

from okrdash import readmodels
from okrdash.ui import auth, context, forms, widgets

ctx = context.current()
t = ctx.t

st.title(f"🙋 {t('my.title')}")
access = auth.current_access(ctx)
if ctx.cycle is None:
    st.info(t("common.no_cycle"), icon="📭")
    st.stop()

owners = context.owners(ctx.store)
page = context.page_view(ctx, "my")
requested = context.choose(ctx, page, "owner", owners, message="team.unknown_filter")
signed_in = readmodels.owner_of(access.who, owners)
# In the URL (?owner=...): a shared link opens on that person, a signed-in person on themself.
owner = widgets.url_choice(ctx, t("my.owner"), owners, key="owner", value=requested or signed_in,
                           placeholder=t("my.pick_owner"))
if not owner:
    st.info(t("my.choose"), icon="👆")
    widgets.share_link(ctx, "my")
    st.stop()

mine = readmodels.owned_key_results(ctx.store, ctx.cycle, ctx.as_of, owner)
due = int((~mine["checked_in_this_week"]).sum())
st.caption(t("my.caption", owner=widgets.plain(owner), count=len(mine), due=due,
             week=ctx.date(readmodels.week_start(ctx.as_of))))
if mine.empty:
    st.info(t("my.none", owner=widgets.plain(owner), cycle=ctx.cycle.name), icon="📭")
else:
    table = mine.assign(team_objective=mine["team"] + " · " + mine["objective"])
    st.dataframe(
        {
            t("common.key_result"): table["title"],
            t("common.objective"): table["team_objective"],
            t("common.status"): [widgets.status_label(ctx, s) for s in table["status"]],
            t("common.progress"): table["progress"],
            t("common.current"): table["current"],
            t("common.target"): table["target"],
            t("common.last_checkin"): table["last_checkin"],
            t("my.this_week"): table["checked_in_this_week"],
        },
        hide_index=True, width="stretch",
        column_config={t("common.progress"): st.column_config.ProgressColumn(min_value=0, max_value=1,
                                                                              format="percent")},
    )
    forms.checkin_form(ctx, access, readmodels.records(mine), key="checkin_mine")

widgets.share_link(ctx, "my", owner=owner)
