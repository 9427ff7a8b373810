"""Every word okrdash shows, in either language, is read back (okrdash/vocabulary.py): the enum words
of the pages, the statuses, month names as okrdash writes dates, confidence and milestone words."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import formatting, vocabulary
from okrdash.i18n import strings
from okrdash.importing.cells import scratch_connection
from okrdash.models import (Direction, Frequency, Indicator, KpiType, KRKind, Language, ObjectiveType, Status,
                            parse_enum)

ENUMS = {e.__name__: e for e in (KRKind, ObjectiveType, Direction, Frequency, KpiType, Indicator, Language)}


def test_each_word_set_is_its_enum():
    assert set(vocabulary.WORDS) == set(ENUMS)
    for name, words in vocabulary.WORDS.items():
        assert list(words) == [e.value for e in ENUMS[name]]
    assert vocabulary.STATUSES == tuple(s.value for s in Status)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_word_a_page_shows_is_read_back(lang):
    """Issue 21: the pages say "Aspirasional", the importer refused it."""
    for word_set, patterns in vocabulary.DISPLAYED.items():
        for pattern in patterns:
            for value in vocabulary.WORDS[word_set]:
                label = strings(lang)[pattern.format(value=value)]
                assert parse_enum(ENUMS[word_set], label).value == value, (label, value)
    for status in Status:
        assert vocabulary.status_of(strings(lang)[f"status.{status.value}"]) == status.value


def test_every_written_word_and_spelling_reads_back_and_names_one_value():
    for word_set, words in vocabulary.WORDS.items():
        seen: dict[str, str] = {}
        for value, word in words.items():
            for spelling in (value, word.en, word.id, *word.also):
                assert seen.setdefault(vocabulary.normalise_word(spelling), value) == value, spelling
                assert parse_enum(ENUMS[word_set], spelling.upper()).value == value, spelling
            for lang in ("en", "id"):
                assert parse_enum(ENUMS[word_set], vocabulary.written(word_set, value, lang)).value == value


@pytest.mark.parametrize(("text", "value"), [
    ("Aspirasional", ObjectiveType.ASPIRATIONAL), ("aspiratif", ObjectiveType.ASPIRATIONAL),
    ("Maximize", Direction.HIGHER_IS_BETTER), ("Minimize", Direction.LOWER_IS_BETTER),
    ("Semakin kecil semakin baik", Direction.LOWER_IS_BETTER), ("Makin tinggi makin baik", Direction.HIGHER_IS_BETTER),
    ("at-least", KRKind.AT_LEAST), ("Paling banyak", KRKind.AT_MOST), ("Operasional", KpiType.OPERATIONAL),
])
def test_words_people_write(text, value):
    assert parse_enum(type(value), text) is value


def test_the_month_names_okrdash_writes_are_read_back_as_dates():
    """Issue 21: "Agus" was a month header while "12 Agus 2026" was refused as a date."""
    con = scratch_connection()
    try:
        for month in range(1, 13):
            day = dt.date(2026, month, 12)
            for lang in ("en", "id"):
                written = formatting.date(day, lang)
                assert con.execute("SELECT okr_date(?, 'dmy')", [written]).fetchall()[0][0] == day, written
        for text in ("12 Agus 2026", "12 Agt 2026", "12 Sept 2026", "12 Nopember 2026", "12 Pebruari 2026"):
            assert con.execute("SELECT okr_date(?, 'dmy')", [text]).fetchall()[0][0] is not None, text
    finally:
        con.close()


@pytest.mark.parametrize(("text", "value"), [
    ("Tercapai", 1), ("Belum tercapai", 0), ("Selesai", 1), ("Belum selesai", 0), ("sudah-selesai", 1),
    ("Not achieved", 0), ("TIDAK TERCAPAI", 0),
])
def test_milestone_words_in_python_and_sql(text, value):
    assert vocabulary.milestone_value(text) == value
    con = scratch_connection()
    try:
        assert con.execute("SELECT okr_milestone_value(?)", [text]).fetchall()[0][0] == value
    finally:
        con.close()


def test_the_check_in_form_words_are_milestone_words():
    for lang in ("en", "id"):
        assert vocabulary.milestone_value(strings(lang)["forms.done"]) == 1
        assert vocabulary.milestone_value(strings(lang)["forms.not_done"]) == 0


def test_messages_list_the_words_of_each_language(store, reject):
    [problem] = reject(("c.csv", "cycle,team,objective,key_result,baseline,target,current,date,confidence\n"
                                 "2026-Q4,Sales,Grow,Deals,0,10,4,2026-11-10,sangat yakin\n"))
    assert "low / medium / high" in problem.message("en") and "rendah / sedang / tinggi" in problem.message("id")
