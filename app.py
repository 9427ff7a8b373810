"""okrdash: the entry point. Navigation, the sidebar, the share box and the outage page shared by every page;
nothing else."""

import streamlit as st

from okrdash.ui import auth, context, url_state, weekly, widgets

st.set_page_config(page_title="okrdash", page_icon="🎯", layout="wide")

ctx = context.sidebar()
auth.take_link_token(ctx)
widgets.page_style(ctx)
t = ctx.t

pages = [
    st.Page("pages/overview.py", title=t("nav.overview"), icon="🏢", url_path="home", default=True),
    st.Page("pages/team.py", title=t("nav.team"), icon="👥", url_path="team"),
    st.Page("pages/objective.py", title=t("nav.objective"), icon="🎯", url_path="objective"),
    st.Page("pages/my_key_results.py", title=t("nav.my_key_results"), icon="🙋", url_path="my"),
    st.Page("pages/checkin.py", title=t("nav.checkin"), icon="✅", url_path="checkin"),
    st.Page("pages/kpis.py", title=t("nav.kpis"), icon="📈", url_path="kpis"),
    st.Page("pages/review.py", title=t("nav.review"), icon="🎓", url_path="review"),
    st.Page("pages/upload.py", title=t("nav.upload"), icon="⬆️", url_path="upload"),
    # Listed for admins only; anyone else opening its link is told it is for admins.
    st.Page("pages/people.py", title=t("nav.people"), icon="📇", url_path="people",
            visibility="visible" if auth.is_admin() else "hidden"),
    st.Page("pages/explainer.py", title=t("nav.explainer"), icon="💡", url_path="explainer"),
    # The default page is served at "/" (its url_path only reserves a name); /overview works too.
    st.Page("pages/overview.py", title=t("nav.overview"), url_path="overview", visibility="hidden"),
]
page = st.navigation(pages)


def draw_page() -> None:
    url_state.reserve_share_box()
    owed = st.sidebar.empty()
    try:
        page.run()
    finally:  # also after a page's st.stop: the count follows the owner this run chose
        # The page's answer, when it asked: its sidebar controls are drawn once.
        weekly.sidebar(ctx, ctx.access or auth.current_access(ctx), owed)


# The page, or the outage page while the database cannot be reached.
context.run_page(ctx, draw_page)
