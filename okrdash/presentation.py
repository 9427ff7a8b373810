"""Display decisions that pages share, tested without Streamlit: why an objective has its status, and
the rows a status-coloured progress chart draws."""

from __future__ import annotations

import textwrap
from collections import Counter

import pandas as pd

from okrdash.charts import STATUS_ICONS
from okrdash.formatting import percent
from okrdash.i18n import translate

# Characters of a key result's title per line of its progress card: fits a phone 390 px wide.
TITLE_WIDTH = 44
# The statuses an objective takes from its worst key result (objective_scores in rules.sql).
_WORST_FIRST = ("Off Track", "At Risk")


def objective_status_reason(status: str, key_result_statuses: list[str], lang: str = "en") -> str:
    """Why an objective has ``status``: "At Risk because 1 of 2 key results is At Risk".

    The rule itself lives in rules.sql (an objective takes its worst key result's status); this
    only names the key results that gave it.
    """
    counts = Counter(key_result_statuses)
    total = len(key_result_statuses)
    label = translate(f"status.{status}", lang)
    if status in _WORST_FIRST:
        count = counts[status]
        key = "presentation.reason_one" if count == 1 else "presentation.reason_many"
        return translate(key, lang, status=label, count=count, total=total)
    if status == "Complete":
        return translate("presentation.reason_complete", lang, status=label, total=total)
    if status == "On Track":
        return translate("presentation.reason_on_track", lang, status=label, total=total,
                         at_risk=translate("status.At Risk", lang), off_track=translate("status.Off Track", lang))
    return translate("presentation.reason_no_data", lang, status=label)


def status_line(status: str | None, progress: float | None, expected: float | None, lang: str = "en") -> str:
    """Icon, word, progress and expected progress: "🟠 At Risk · 59% · expected by now 47%"."""
    word = translate(f"status.{status}", lang) if status else "–"
    icon = STATUS_ICONS.get(status or "", "")
    return translate("presentation.status_line", lang, icon=icon, status=word, progress=percent(progress, lang),
                     expected=percent(expected, lang)).strip()


def progress_rows(titles: list[str], progress: list[float | None], expected: list[float | None],
                  statuses: list[str], lang: str = "en") -> pd.DataFrame:
    """What views.common.bars draws: one row per bar, progress clamped to 0..1 for the bar, and the
    text above it: the title, if any, wrapped to fit a phone, then the status line."""
    texts = ["\n".join([*textwrap.wrap(title, TITLE_WIDTH), status_line(s, p, e, lang)]) if title
             else status_line(s, p, e, lang) for title, s, p, e in zip(titles, statuses, progress, expected)]
    return pd.DataFrame({
        "row": range(len(statuses)),
        "text": texts,
        "lines": [text.count("\n") + 1 for text in texts],
        "bar": [min(max(p, 0.0), 1.0) if p is not None and not pd.isna(p) else 0.0 for p in progress],
        "expected": [e if e is not None and not pd.isna(e) else None for e in expected],
        "status": statuses,
    })
