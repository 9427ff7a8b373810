"""Small shared widgets: status badges, the share link, safe text, CSV downloads."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from okrdash.charts import STATUS_ICONS
from okrdash.export import to_csv_bytes
from okrdash.ui.context import Context
from okrdash.ui.text import plain as plain  # pages call widgets.plain

_BADGE_COLORS = {"On Track": "green", "At Risk": "orange", "Off Track": "red", "Complete": "blue",
                 "No Data": "gray", "No Target": "gray"}


def status_label(ctx: Context, status: str | None) -> str:
    """Icon plus translated label, so the status never rests on colour alone."""
    return f"{STATUS_ICONS.get(status or '', '')} {ctx.status(status)}".strip()


def status_badge(ctx: Context, status: str | None) -> None:
    st.badge(ctx.status(status), icon=STATUS_ICONS.get(status or ""), color=_BADGE_COLORS.get(status or "", "gray"))


def with_status_labels(ctx: Context, frame: pd.DataFrame, column: str = "status") -> pd.DataFrame:
    """A copy of ``frame`` with ``status_label`` (icon + translated status) next to ``column``."""
    out = frame.copy()
    labels = {status: status_label(ctx, status) for status in set(out[column])}  # a handful, for thousands of rows
    out["status_label"] = [labels[status] for status in out[column]] if len(out) else []
    return out


def share_link(ctx: Context, **params: Any) -> None:
    """The link to exactly this view, defaults included, in a box with a copy button."""
    query = {"lang": ctx.lang, "cycle": ctx.cycle.name if ctx.cycle else None, "as_of": ctx.as_of.isoformat()}
    query.update(params)
    base = st.context.url or ""
    link = f"{base}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"
    with st.expander(f"🔗 {ctx.t('share.title')}"):
        st.caption(ctx.t("share.help"))
        st.code(link, language=None)


def download_csv(ctx: Context, frame: pd.DataFrame, file_name: str, key: str) -> None:
    """Download exactly the rows and columns shown, safe to open in a spreadsheet.

    The CSV is built when the button is clicked, not on every rerun of the page.
    """
    st.download_button(
        f"⬇️ {ctx.t('common.download_csv')}", data=lambda: to_csv_bytes(frame), file_name=file_name,
        mime="text/csv", key=key, on_click="ignore",
    )


def key_results_table(ctx: Context, rows: pd.DataFrame, file_name: str, key: str) -> None:
    """Key results with progress against the expected marker, status, owner and confidence; downloadable."""
    table = pd.DataFrame({
        ctx.t("common.key_result"): rows["title"],
        ctx.t("common.owner"): rows["owner"],
        ctx.t("common.status"): [status_label(ctx, s) for s in rows["status"]],
        ctx.t("common.progress"): rows["progress"],
        ctx.t("common.expected"): rows["expected"],
        ctx.t("common.current"): rows["current"],
        ctx.t("common.target"): rows["target"],
        ctx.t("common.unit"): rows["unit"],
        ctx.t("common.confidence"): rows["confidence"],
        ctx.t("common.last_checkin"): rows["last_checkin"],
    })
    share = st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={ctx.t("common.progress"): share, ctx.t("common.expected"): share})
    download_csv(ctx, table, file_name, key=key)
