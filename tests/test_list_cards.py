"""A list's rows as a phone's cards (okrdash/ui/widgets.py, html_table): what heads each card and its colour."""

from __future__ import annotations

import pandas as pd

from okrdash.ui import widgets
from okrdash.views.common import RowsAsCards, Table


def test_a_card_is_headed_by_its_title_columns_cell_even_where_another_cell_reads_the_same():
    """Issue 27: the card's title was found by its text, so an objective named as its team ("Sales")
    was headed by the team's cell; now the view model names the title column."""
    frame = pd.DataFrame({"Status": ["🔴 Off Track", "🟢 On Track"], "Team": ["Sales", "Support"],
                          "Title": ["Sales", "Answer <b>fast</b>"]})
    shown = Table(shown=frame, rows=lambda: frame, file_name=None, key="attention",
                  cards=RowsAsCards("Title", ("#d32f2f",)))
    body = widgets.html_table(shown)
    assert body.count("<td data-title") == 2
    assert '<td data-title data-label="Title">Sales</td>' in body
    assert '<td data-title data-label="Title">Answer &lt;b&gt;fast&lt;/b&gt;</td>' in body  # text, escaped
    # The first row in its status colour; the second, which has none, a card all the same.
    assert body.count('<tr class="okr-card" style="--okr-status:#d32f2f">') == 1
    assert body.count('<tr class="okr-card">') == 1


def test_a_view_models_table_is_drawn_once_per_language_and_another_table_anew():
    """Issue 27: every session drawing a shared view model wrote its lists' HTML again (about as much
    Python as the rest of a list's view); a table is drawn once per language, and another table,
    even with the same rows, from its own rows."""
    frame = pd.DataFrame({"Title": ["Grow revenue"], "Progress": [0.5]})
    shown = Table(shown=frame, rows=lambda: frame, file_name=None, key="objectives", right=("Progress",))
    first = widgets.html_table(shown, "en")
    assert widgets.html_table(shown, "en") is first
    assert widgets.html_table(shown, "id") is not first and ">0,5<" in widgets.html_table(shown, "id")
    other = pd.DataFrame({"Title": ["Grow margin"], "Progress": [0.5]})
    assert "Grow margin" in widgets.html_table(Table(shown=other, rows=lambda: other, file_name=None, key="objectives"))
