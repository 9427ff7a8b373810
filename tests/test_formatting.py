"""Numbers, percentages, amounts and dates as a reader of each language expects them (okrdash/formatting)."""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import pandas as pd
import pytest

from okrdash import formatting
from okrdash.formatting import amount, chart_locale, date, fixed, month_names, number, percent, signed


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(1234.5, "id", "1.234,5"), (1234.5, "en", "1,234.5"), (2_400_000_000, "id", "2.400.000.000"),
     (93.8, "id", "93,8"), (0.4692, "id", "0,47"), (1234.5678, "en", "1,234.6"), (-0.001, "id", "0"),
     (-3, "en", "-3"), (None, "id", "–"), (math.nan, "en", "–"), (math.inf, "id", "–")],
)
def test_number(value, lang, text):
    assert number(value, lang) == text


@pytest.mark.parametrize(
    ("share", "lang", "text"),
    [(0.4692, "id", "47%"), (0.4692, "en", "47%"), (1.0, "id", "100%"), (12.5, "id", "1.250%"),
     (-0.004, "en", "0%"), (-0.3, "id", "-30%"), (None, "en", "–")],
)
def test_percent_is_rounded_for_reading_and_never_minus_zero(share, lang, text):
    assert percent(share, lang) == text


@pytest.mark.parametrize(
    ("value", "unit", "lang", "text"),
    [(1_500_000, "Rp", "id", "Rp1.500.000"), (1_500_000, "IDR", "id", "Rp1.500.000"),
     (1_500_000, "Rp", "en", "Rp1,500,000"), (45, "%", "id", "45%"), (4.5, "/5", "id", "4,5/5"),
     (48, "minutes", "en", "48 minutes"), (48.25, "menit", "id", "48,25 menit"), (7, None, "id", "7"),
     (None, "Rp", "id", "–"), (120, "USD", "en", "US$120")],
)
def test_amount_is_one_formatter_for_every_unit(value, unit, lang, text):
    assert amount(value, unit, lang) == text


def test_amount_at_the_start_of_a_range_leaves_a_word_unit_to_the_end():
    assert amount(40, "minutes", "en", range_start=True) == "40"
    assert amount(40, "%", "en", range_start=True) == "40%"
    assert amount(40, "Rp", "id", range_start=True) == "Rp40"


def test_signed_change():
    assert signed(1.5, "id") == "+1,5"
    assert signed(-2, "en", "minutes") == "−2 minutes"
    assert signed(0.0001, "id") == "0"
    assert signed(None, "id") == "–"


def test_fixed_decimals_for_grades():
    assert fixed(0.7, "id") == "0,7"
    assert fixed(1.0, "en") == "1.0"
    assert fixed(-0.04, "id") == "0,0"


@pytest.mark.parametrize(
    ("day", "lang", "text"),
    [(dt.date(2026, 5, 31), "id", "31 Mei 2026"), (dt.date(2026, 5, 31), "en", "31 May 2026"),
     (dt.date(2026, 8, 17), "id", "17 Agu 2026"), (None, "id", "–")],
)
def test_date(day, lang, text):
    assert date(day, lang) == text


def test_month_names():
    assert month_names("id")[4] == "Mei" and month_names("id")[7] == "Agustus"
    assert month_names("id", "abbreviated")[9] == "Okt"
    assert month_names("en")[10] == "November"


def test_chart_locale_is_a_valid_vega_lite_locale_per_language():
    indonesian = chart_locale("id")
    assert indonesian["number"]["decimal"] == "," and indonesian["number"]["thousands"] == "."
    assert indonesian["time"]["shortMonths"][7] == "Agu"
    assert indonesian["time"]["days"][0] == "Minggu"  # d3 weeks start on Sunday
    assert chart_locale("en")["number"]["decimal"] == "."
    chart = alt.Chart(pd.DataFrame({"x": [1.5]})).mark_point().encode(x="x:Q")
    spec = chart.configure(locale=indonesian).to_dict()  # validates against the Vega-Lite schema
    assert spec["config"]["locale"]["time"]["months"][4] == "Mei"


def test_unknown_language_falls_back_to_english():
    assert number(1234.5, "fr") == "1,234.5"
    assert formatting.short_date_pattern("id") == "%d/%m/%Y"


def _babel_samples() -> list[float]:
    import random

    generator = random.Random(14)
    return ([0.0, 1.0, -1.0, 0.5, -0.5, 0.005, -0.005, 0.015, 99.995, 100.05, 999_999.995, 2_400_000_000.0,
             -0.001, 1e14 + 0.5, 3e15, -7.25e17]
            + [generator.uniform(-1e6, 1e6) for _ in range(400)] + [generator.uniform(-2, 2) for _ in range(400)]
            + [round(generator.uniform(-1000, 1000), 3) for _ in range(400)])


@pytest.mark.parametrize("lang", ["en", "id"])
def test_numbers_percents_and_dates_are_written_as_babel_writes_them(lang):
    """The formatters write the locale's symbols themselves (Babel per cell cost 0.3 s a large table);
    the text stays exactly Babel's patterns "#,##0.##", "#,##0.0", "#,##0%" and "d MMM y"."""
    from babel.dates import format_date
    from babel.numbers import format_decimal, format_percent

    for value in _babel_samples():
        places = 0 if value.is_integer() else 1 if abs(value) >= 100 else 2
        pattern = "#,##0" + ("." + "#" * places if places else "")
        assert number(value, lang) == format_decimal(round(value, places) + 0.0, format=pattern, locale=lang), value
        assert fixed(value, lang) == format_decimal(round(value, 1) + 0.0, format="#,##0.0", locale=lang), value
        whole = round(value * 100) + 0
        assert percent(value, lang) == format_percent(whole / 100, format="#,##0%", locale=lang), value
    for offset in range(0, 366, 7):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        assert date(day, lang) == format_date(day, "d MMM y", locale=lang)


def test_a_column_is_formatted_in_one_call_as_each_cell_would_be():
    values = pd.Series([1234.5, None, math.nan, -3, 0.4692])
    assert formatting.numbers(values, "id") == [number(v, "id") for v in values]
    assert formatting.percents(values, "en") == [percent(v, "en") for v in values]
    days = pd.Series(pd.to_datetime(["2026-05-31", None, "2026-08-01"]))
    assert formatting.dates(days, "id") == ["31 Mei 2026", None, "1 Agu 2026"]
    assert formatting.dates([dt.date(2026, 5, 31), None], "en") == ["31 May 2026", None]
