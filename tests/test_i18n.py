"""English and Bahasa Indonesia: the two locales have the same keys, and numbers and dates read right."""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from pathlib import Path

import pytest

from okrdash import i18n
from okrdash.i18n import format_date, format_number, format_percent, translate
from okrdash.importing.checks import KNOWN_CODES as _KNOWN_CODES
from okrdash.models import Status


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def locale_files(locales_dir: Path, lang: str) -> dict[str, dict[str, str]]:
    """{file name: {key: text}} for one language; both layouts: ``<lang>.toml`` and ``<lang>/*.toml``."""
    files = sorted((locales_dir / lang).glob("*.toml")) if (locales_dir / lang).is_dir() else [locales_dir / f"{lang}.toml"]
    result = {}
    for path in files:
        with open(path, "rb") as handle:
            result[path.name] = _flatten(tomllib.load(handle))
    return result


def key_differences(locales_dir: Path) -> list[str]:
    """Every key one language has and the other lacks, as readable lines (empty when they match)."""
    en, id_ = locale_files(locales_dir, "en"), locale_files(locales_dir, "id")
    problems = [f"{name}: only in {lang}" for name, lang in
                [(n, "en") for n in en.keys() - id_.keys()] + [(n, "id") for n in id_.keys() - en.keys()]]
    for name in sorted(en.keys() & id_.keys()):
        problems += [f"{name}: {key} missing in id" for key in sorted(en[name].keys() - id_[name].keys())]
        problems += [f"{name}: {key} missing in en" for key in sorted(id_[name].keys() - en[name].keys())]
    return problems


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_locale_files_exist():
    assert locale_files(i18n.LOCALES_DIR, "en"), "no English strings found"
    assert locale_files(i18n.LOCALES_DIR, "id"), "no Indonesian strings found"


def test_every_key_exists_in_both_languages():
    assert key_differences(i18n.LOCALES_DIR) == []
    assert i18n.strings("en").keys() == i18n.strings("id").keys()


def test_the_key_check_catches_a_missing_key(tmp_path):
    # The check above must be able to fail: copy the locales, drop one key from id, and look.
    for lang in ("en", "id"):
        for name, strings in locale_files(i18n.LOCALES_DIR, lang).items():
            if lang == "id" and "problem.file_empty" in strings:
                del strings["problem.file_empty"]
            folder = tmp_path / lang
            folder.mkdir(exist_ok=True)
            lines = [f"{json_quote(k)} = {json_quote(v)}" for k, v in strings.items()]
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    differences = key_differences(tmp_path)
    assert any("problem.file_empty missing in id" in d for d in differences), differences


def json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def test_placeholders_match_between_languages():
    en, id_ = i18n.strings("en"), i18n.strings("id")
    mismatched = {k: (placeholders(en[k]), placeholders(id_[k])) for k in en.keys() & id_.keys()
                  if placeholders(en[k]) != placeholders(id_[k])}
    assert mismatched == {}


def test_no_empty_strings():
    for lang in ("en", "id"):
        assert [k for k, v in i18n.strings(lang).items() if not v.strip()] == [], lang


PROBLEM_CODES = sorted(_KNOWN_CODES | {
    "file_empty", "file_binary", "file_no_header", "file_no_rows", "file_unreadable", "file_too_large",
    "file_too_many_rows", "file_kind_unknown", "file_kind_none", "header_missing", "header_duplicate", "row_too_few_fields",
    "row_too_many_fields", "row_unreadable", "not_a_number", "not_a_date", "not_a_confidence", "not_a_milestone",
    "file_encoding_mixed", "file_encoding_unknown", "file_encoding_invalid", "period_needs_year", "period_week_number",
    "cycle_conflict", "dates_need_both", "duplicate_key", "conflicting_value", "unknown_key_result",
    "ambiguous_key_result", "unknown_kpi", "linked_kr_checkin", "value_without_date", "invalid", "more_problems",
    "row_unclosed_quote", "row_too_long", "row_not_text", "cycle_dates_admin_only", "formula_without_value",
    "workbook_unreadable", "workbook_too_large_cells", "workbook_too_large_text", "workbook_too_large_unpacked",
    "workbook_too_large_sheets", "workbook_too_large_parts",
})


@pytest.mark.parametrize("code", PROBLEM_CODES)
def test_every_problem_code_has_a_message_in_both_languages(code):
    for lang in ("en", "id"):
        assert f"problem.{code}" in i18n.strings(lang), (code, lang)
    assert i18n.strings("en")[f"problem.{code}"] != i18n.strings("id")[f"problem.{code}"]


@pytest.mark.parametrize("status", list(Status))
def test_every_status_has_a_label_in_both_languages(status):
    for lang in ("en", "id"):
        assert f"status.{status.value}" in i18n.strings(lang), (status, lang)
    assert translate(f"status.{status.value}", "en") == status.value


def test_translate_fills_parameters_and_falls_back():
    assert translate("problem.at_line", "en", line=7) == "line 7"
    assert translate("problem.at_line", "id", line=7) == "baris 7"
    assert translate("problem.at_line", "fr", line=7) == "line 7"  # unknown language -> English
    assert translate("no.such.key", "id") == "no.such.key"


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(1234.5, "id", "1.234,5"), (1234.5, "en", "1,234.5"), (1234567, "id", "1.234.567"), (1234567, "en", "1,234,567"),
     (0.44, "id", "0,44"), (0.44, "en", "0.44"), (150000000, "id", "150.000.000"), (None, "en", "–")],
)
def test_format_number(value, lang, text):
    assert format_number(value, lang) == text


def test_format_number_with_decimals():
    assert format_number(2.5, "id", decimals=2) == "2,5"
    assert format_number(1234.567, "en", decimals=1) == "1,234.6"


@pytest.mark.parametrize(
    ("day", "lang", "text"),
    [(dt.date(2026, 5, 31), "id", "31 Mei 2026"), (dt.date(2026, 5, 31), "en", "31 May 2026"),
     (dt.date(2026, 8, 17), "id", "17 Agu 2026"), (dt.date(2026, 10, 1), "id", "1 Okt 2026"),
     (dt.date(2026, 12, 25), "id", "25 Des 2026"), (None, "id", "–")],
)
def test_format_date(day, lang, text):
    assert format_date(day, lang) == text


def test_format_percent():
    assert format_percent(0.4444, "en") == "44%"
    assert format_percent(1.0, "id") == "100%"
    assert format_percent(None, "id") == "–"
