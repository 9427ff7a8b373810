"""Properties of how an okrs file's names are matched: the first spelling of a name is the one kept,
whatever the case, spaces and look-alike characters of later rows or later files.

The importer spells each (cycle, team, objective) once and remembers it for the objective's other
rows, and the name functions are memoised; these tests hold both to a plain model of the rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash.importing import Upload, import_files
from okrdash.names import name_key, normalise_name
from okrdash.store import open_store

TODAY = dt.date(2026, 11, 22)
PROPERTY = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Ways people write the same name: case, surrounding and doubled spaces, no-break and zero-width
# spaces, full-width letters.
def _variants(name: str) -> list[str]:
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    return [name, name.upper(), name.lower(), f"  {name} ", name.replace(" ", "  "), name.replace(" ", "\u00a0"),
            name[:1] + "\u200b" + name[1:], full_width]


TEAMS = ["Sales", "Engineering", "Customer Care"]
OBJECTIVES = ["Grow revenue", "Ship faster", "Delight customers"]
CYCLES = ["2026-Q4", "Q4 2026", "2026 Q4", "Kuartal IV 2026"]  # one quarter, spelled four ways


@st.composite
def okr_rows(draw) -> list[dict[str, str]]:
    """Rows naming a few teams and objectives in many spellings; each key result is its own."""
    count = draw(st.integers(1, 12))
    rows = []
    for index in range(count):
        team, objective = draw(st.sampled_from(TEAMS)), draw(st.sampled_from(OBJECTIVES))
        rows.append({
            "cycle": draw(st.sampled_from(CYCLES)),
            "team": draw(st.sampled_from(_variants(team))),
            "objective": draw(st.sampled_from(_variants(objective))),
            "key_result": draw(st.sampled_from(_variants(f"Key result {index}"))),
            "target": "10",
        })
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["cycle", "team", "objective", "key_result", "target"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _expected(rows: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    """The plain model: a team's first spelling in sorted order of its cells (every file of an
    upload is read for teams first), an objective's and a key result's first in line order."""
    teams: dict[str, str] = {}
    for text in sorted({r["team"].strip() for r in rows}):
        teams.setdefault(name_key(text), normalise_name(text))
    objectives: dict[tuple[str, str], str] = {}
    found = set()
    for row in rows:
        team = teams[name_key(row["team"].strip())]
        objective = objectives.setdefault((name_key(team), name_key(row["objective"])),
                                          normalise_name(row["objective"]))
        found.add(("2026-Q4", team, objective, normalise_name(row["key_result"])))
    return found


def _stored(store) -> set[tuple[str, str, str, str]]:
    index = store.key_result_index()
    return set(zip(index["cycle"], index["team"], index["objective"], index["key_result"]))


@PROPERTY
@given(okr_rows())
def test_each_name_keeps_its_first_spelling(rows):
    store = open_store(":memory:")
    import_files(store, [Upload("okrs.csv", _csv(rows))], today=TODAY)
    assert _stored(store) == _expected(rows)


@PROPERTY
@given(okr_rows(), st.data())
def test_a_later_file_spelling_names_differently_updates_the_same_rows(rows, data):
    store = open_store(":memory:")
    import_files(store, [Upload("okrs.csv", _csv(rows))], today=TODAY)
    stored = _stored(store)
    again = [{**row, **{column: data.draw(st.sampled_from(_variants(normalise_name(row[column]))))
                        for column in ("team", "objective", "key_result")},
              "cycle": data.draw(st.sampled_from(CYCLES))} for row in rows]
    result = import_files(store, [Upload("okrs.csv", _csv(again))], today=TODAY)
    assert _stored(store) == stored  # no look-alike added, no spelling changed
    assert result.inserted == 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_the_memoised_name_functions_answer_as_computed(text):
    for _ in range(2):  # the second call is answered from the cache
        assert normalise_name(text) == normalise_name.__wrapped__(text)
        assert name_key(text) == name_key.__wrapped__(text)
