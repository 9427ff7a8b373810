"""One view model per page: what the page draws, computed without Streamlit.

Each module has one function, ``view(store, state, scope, ...)``: it takes the page's typed state
(okrdash/viewstate.py, read from the link), the store and the scope the page is read in (language,
cycle, day), and returns one frozen object with everything the page draws: rows already filtered
and paginated (in readmodels.sql), counts, words and colours in the reader's language, formatted
numbers, links (okrdash/urls.py), warnings about values of the link it could not use, and what
to say when there is nothing to show. The page in pages/ only draws it; tests/views/ checks each
one on the fixture company of tests/fixtures/.
"""
