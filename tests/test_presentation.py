"""Display decisions of okrdash/presentation.py, without Streamlit."""

from __future__ import annotations

import pytest

from okrdash.presentation import objective_status_reason, progress_rows, status_line


@pytest.mark.parametrize(
    ("status", "key_results", "lang", "text"),
    [("At Risk", ["On Track", "At Risk"], "en", "At Risk because 1 of 2 key results is At Risk."),
     ("Off Track", ["Off Track", "At Risk", "Off Track"], "en", "Off Track because 2 of 3 key results are Off Track."),
     ("At Risk", ["On Track", "At Risk"], "id", "Berisiko karena 1 dari 2 hasil kunci Berisiko."),
     ("Complete", ["Complete", "Complete"], "en", "Complete: all 2 key results are complete."),
     ("On Track", ["On Track", "Complete", "No Data"], "id",
      "Sesuai Jalur: tidak satu pun dari 3 hasil kuncinya Berisiko atau Keluar Jalur."),
     ("No Data", ["No Data"], "en", "No Data: none of its key results has a check-in yet.")],
)
def test_objective_status_is_explained_by_its_key_results(status, key_results, lang, text):
    assert objective_status_reason(status, key_results, lang) == text


def test_status_line_has_icon_word_and_rounded_percentages():
    assert status_line("At Risk", 0.5917, 0.4692, "en") == "🟠 At Risk · 59% · expected by now 47%"
    assert status_line("No Data", None, 0.3, "id") == "⚪ Tanpa Data · – · seharusnya saat ini 30%"


def test_progress_rows_clamp_the_bar_and_keep_the_text():
    rows = progress_rows(["Grow", ""], [1.4, -0.2], [0.5, None], ["Complete", "Off Track"], "en")
    assert list(rows["bar"]) == [1.0, 0.0]
    assert rows["expected"].tolist()[0] == 0.5 and rows["expected"].isna().tolist() == [False, True]
    assert list(rows["text"]) == ["Grow\n🔵 Complete · 140% · expected by now 50%",
                                  "🔴 Off Track · -20% · expected by now –"]
    assert list(rows["lines"]) == [2, 1]


def test_a_long_title_wraps_to_fit_a_phone():
    title = "Reduce the share of features blocked by unfinished designs to 2% or less this quarter"
    rows = progress_rows([title], [0.5], [0.5], ["On Track"], "en")
    *title_lines, status = rows["text"][0].split("\n")
    assert " ".join(title_lines) == title and all(len(line) <= 44 for line in title_lines)
    assert status.startswith("🟢 On Track") and rows["lines"][0] == len(title_lines) + 1
