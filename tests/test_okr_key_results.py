"""An okrs file's key results are checked by KeyResult's rules without a model per row
(importing.okr_validation._key_result): whatever a row holds, the outcome is the model's."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from okrdash.importing.measures import Settled
from okrdash.importing.okr_validation import _key_result
from okrdash.models import MAX_TEXT, KeyResult, KRKind

_TEXTS = st.none() | st.sampled_from(["Sales", "Reduce churn", "Turunkan biaya", " padded ", "tab\t", "",
                                      "\u00a0Budi", "x" * MAX_TEXT, "y" * (MAX_TEXT + 1)]) | st.text(max_size=8)
_NUMBERS = st.none() | st.sampled_from([0.0, 1.0, 100.0, -5.0, 1e15, 1e16, float("nan"), float("inf")]) | st.floats(
    -1e3, 1e3, allow_nan=False) | st.integers(-3, 3)


def _model(row: dict, settled: Settled):
    weight = 1.0 if row["weight_value"] is None else row["weight_value"]
    return KeyResult(objective_title=row["objective"], title=row["key_result"], owner=row["owner"], kind=settled.kind,
                     baseline=settled.baseline, target=settled.target, unit=settled.unit, weight=weight,
                     kpi_name=row["kpi"], start_date=row["kr_start_value"])


@settings(max_examples=400, deadline=None)
@given(objective=_TEXTS, title=_TEXTS, owner=_TEXTS, unit=_TEXTS, kpi=_TEXTS,
       kind=st.none() | st.sampled_from(list(KRKind)), baseline=_NUMBERS, target=_NUMBERS, weight=_NUMBERS,
       start=st.none() | st.just(dt.date(2026, 10, 5)))
def test_a_row_gets_what_the_model_gives(objective, title, owner, unit, kpi, kind, baseline, target, weight, start):
    row = {"objective": objective, "key_result": title, "owner": owner, "kpi": kpi, "weight_value": weight,
           "kr_start_value": start}
    settled = Settled(kind, baseline, target, None, unit)
    try:
        model = _model(row, settled)
    except ValidationError as expected:
        try:
            _key_result(row, settled)
        except ValidationError as error:
            assert error.errors() == expected.errors()
        else:
            raise AssertionError(f"the model refuses what the row check lets through: {expected}")
        return
    found = _key_result(row, settled)
    assert tuple(found) == (model.title, model.owner, model.kind, model.baseline, model.target, model.unit,
                            model.weight, model.kpi_name, model.start_date)
    assert [type(v) for v in found] == [type(v) for v in (model.title, model.owner, model.kind, model.baseline,
                                                          model.target, model.unit, model.weight, model.kpi_name,
                                                          model.start_date)]
