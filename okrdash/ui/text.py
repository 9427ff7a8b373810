"""The one escaping helper for user and URL text that reaches a Streamlit element rendering Markdown.

Streamlit renders Markdown in far more than st.markdown: labels, captions, alerts, metric values and
deltas, tooltips (help), page links, expander labels, and the options of segmented controls, pills
and radios. Every user or URL value shown in one of those goes through :func:`plain`. (Select box
and multiselect options are plain text in Streamlit 1.67, so they are shown as they are.)
"""

from __future__ import annotations

import re

# Every character that can open Markdown, HTML, LaTeX ($), a Streamlit directive (:red[...]), an
# emoji shortcode or an autolink (the ":" of "http://", the "." of "www.x.com" and "a@b.co").
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=@])")


def plain(text: object) -> str:
    """``text`` made inert for Markdown: every special character escaped, line breaks as spaces."""
    raw = "" if text is None else str(text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", raw.replace("\r", " ").replace("\n", " "))
