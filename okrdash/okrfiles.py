"""Files people edit in Excel and upload back: the templates, and one team's OKRs, written in the
reader's language (headers, words, and with export.to_csv_bytes: separator, decimal mark, date order).

Headers and words come from okrdash/kinds.py and okrdash/vocabulary.py, which the importer reads too.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd

from okrdash.kinds import COLUMNS, ColumnType, columns_of_type, header
from okrdash.models import Cycle, FileKind
from okrdash.settings import PROJECT_ROOT
from okrdash.store import Store
from okrdash.vocabulary import written

TEMPLATES = PROJECT_ROOT / "data" / "templates"

# The header a reader of each language sees for each column of an okrdash file (okrdash/kinds.py).
HEADERS: dict[str, dict[str, str]] = {"id": {name: header(name, "id") for name in COLUMNS}}
# The columns whose cells are words, written in the reader's language (okrdash/vocabulary.py).
_WORD_COLUMNS = {name: column.words for name, column in COLUMNS.items() if column.words}
_NUMBER_COLUMNS = {*columns_of_type(ColumnType.NUMBER), "confidence"}
_DATE_COLUMNS = set(columns_of_type(ColumnType.DATE))
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A frame with canonical column names (cycle, key_result ...) as a reader of ``lang`` writes it:
    headers and the words of enum columns. Numbers and dates keep their types for the writer."""
    out = frame.copy()
    if lang != "en":  # English files keep the stored words (increase, higher_is_better) as they always have
        for column, word_set in _WORD_COLUMNS.items():
            if column in out.columns:
                out[column] = out[column].map(
                    lambda v, word_set=word_set: written(word_set, v, lang) if isinstance(v, str) else v)
    return out.rename(columns=HEADERS.get(lang, {}))


def team_okrs(store: Store, team: str, cycle: Cycle, as_of: dt.date) -> pd.DataFrame:
    """One team's objectives and key results of ``cycle`` as an okrs file (canonical columns): what
    uploading it back writes is what is stored. Check-ins are not in it (they live in their own file,
    with their notes), so re-uploading it cannot overwrite one."""
    krs = store.kr_scores(as_of, cycle=cycle.name, team=team)
    owners = store.objective_scores(as_of, cycle=cycle.name, team=team).set_index("objective_id")["owner"]
    return pd.DataFrame({
        "cycle": cycle.name,
        "start_date": [cycle.start_date] * len(krs),
        "end_date": [cycle.end_date] * len(krs),
        "team": krs["team"],
        "objective": krs["objective"],
        "objective_owner": krs["objective_id"].map(owners),
        "objective_type": krs["objective_type"],
        "parent_objective": krs["parent_title"],
        "key_result": krs["title"],
        "owner": krs["owner"],
        "kind": krs["kind"],
        "baseline": krs["stated_baseline"],
        "target": krs["target"],
        "unit": krs["unit"],
        "weight": krs["weight"],
        "kpi": krs["kpi_name"],
    })


def template(kind: FileKind, lang: str, cycle: Cycle) -> pd.DataFrame:
    """The shipped template of ``kind`` moved into ``cycle`` (its dates shifted by as many days as the
    cycle starts after the template's own), in the reader's language: headers, words and, for
    Indonesian, decimal commas. Cells stay text, exactly as a person would type them."""
    with open(TEMPLATES / f"{kind.value}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    frame = pd.DataFrame(rows, dtype=object)
    shift = cycle.start_date - _template_start(frame)
    date_pattern = "%d/%m/%Y" if lang == "id" else "%Y-%m-%d"
    for column in frame.columns:
        if column in _DATE_COLUMNS:
            frame[column] = [(dt.date.fromisoformat(v) + shift).strftime(date_pattern) if v else v
                             for v in frame[column]]
        elif column in _NUMBER_COLUMNS and lang == "id":
            frame[column] = [v.replace(".", ",") if _PLAIN_NUMBER.match(v or "") else v for v in frame[column]]
    if "cycle" in frame.columns:
        frame["cycle"] = cycle.name
    if kind is FileKind.OKRS:  # the template's own dates are those of its cycle
        frame["start_date"] = cycle.start_date.strftime(date_pattern)
        frame["end_date"] = cycle.end_date.strftime(date_pattern)
    return localise(frame, lang)


def quarter_of(day: dt.date) -> Cycle:
    """The calendar quarter containing ``day`` (the cycle of a template when there is none yet)."""
    return Cycle.parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def _template_start(frame: pd.DataFrame) -> dt.date:
    """The start of the cycle the shipped templates are written in (they all use the same one)."""
    if "start_date" in frame.columns:
        return dt.date.fromisoformat(frame["start_date"].iloc[0])
    with open(TEMPLATES / f"{FileKind.OKRS.value}.csv", encoding="utf-8", newline="") as handle:
        return dt.date.fromisoformat(next(csv.DictReader(handle))["start_date"])

