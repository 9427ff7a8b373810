"""The one escaping helper for user and URL text that reaches a Streamlit element rendering Markdown.

Streamlit renders Markdown in far more than st.markdown: labels, captions, alerts, metric values and
deltas, tooltips (help), page links, expander and tab labels, toasts, and the options of segmented
controls, pills and radios. Every user or URL value shown in one of those goes through :func:`plain`.
(Select box and multiselect options are plain text in Streamlit 1.67, so they are shown as they are.)

Escaping is not enough on its own: Streamlit 1.67 turns some spellings into pictures *after* the
Markdown is parsed, in the text that escapes leave behind (its StreamlitMarkdown component):
``:material/name:`` becomes an icon (the source's ``:material/`` is rewritten before parsing, then
``:material_name:`` is matched in the text), ``:streamlit:`` the Streamlit logo, ``:smile:`` an emoji
(remark-emoji, loaded when the source holds a shortcode), and `` -> `` an arrow. Those are broken
where an escape cannot reach: ``/`` is escaped too (so ``:material/`` never reaches the rewrite), and
an invisible WORD JOINER goes after the colon that opens a shortcode and inside an arrow, so the text
reads and copies as typed but matches none of them.
"""

from __future__ import annotations

import re

# Every character that can open Markdown, HTML, LaTeX ($), a Streamlit directive (:red[...]), an
# emoji shortcode, an icon (":material/"), or an autolink (the ":" of "http://", the "." of
# "www.x.com" and "a@b.co").
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=@/])")
WORD_JOINER = "\u2060"
# A colon that opens a shortcode (":smile:", ":streamlit:", ":+1:"), matched in the unescaped text.
_SHORTCODE_OPENING = re.compile(r":(?=[\w+-]+:)")
# Streamlit's typography: "->", "<-", "<->", "--", ">=", "<=", "~=" between spaces become symbols.
_TYPOGRAPHY = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")


def plain(text: object) -> str:
    """``text`` made inert for Markdown: every special character escaped, shortcodes and arrows
    broken by an invisible word joiner, line breaks as spaces."""
    raw = "" if text is None else str(text)
    raw = raw.replace("\r", " ").replace("\n", " ")
    raw = _SHORTCODE_OPENING.sub(":" + WORD_JOINER, raw)
    raw = _TYPOGRAPHY.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], raw)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", raw)
