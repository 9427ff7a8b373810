"""The words okrdash reads and writes, in English and Bahasa Indonesia, declared once.

Month names, the words of every enum column (directions, key result kinds, objective types, KPI
types, indicators, frequencies), confidence words, milestone words (done / not done) and statuses.
The importer's SQL (cells.sql's month, confidence and milestone macros), the enum parser
(:func:`parse_word`), the templates (:func:`written`) and the messages (:func:`word_list`) all
read these tables, so a new word is one line here. Every word a page shows for a value (the
locale keys of :data:`DISPLAYED`) is read back too: tests/test_vocabulary.py holds each one to it.

No import from the rest of okrdash except the locales' strings, so models.py can use it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# -- months -------------------------------------------------------------------------------------------

# Month -> its spellings: English, then Indonesian (long and short forms, old spellings such as
# "Pebruari" and "Nopember", and the abbreviations people type: "Agus", "Agt", "Sept").
MONTHS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: (("january", "jan"), ("januari", "jan")),
    2: (("february", "feb"), ("februari", "pebruari", "feb", "peb")),
    3: (("march", "mar"), ("maret", "mar")),
    4: (("april", "apr"), ("april", "apr")),
    5: (("may",), ("mei",)),
    6: (("june", "jun"), ("juni", "jun")),
    7: (("july", "jul"), ("juli", "jul")),
    8: (("august", "aug"), ("agustus", "agu", "agt", "ags", "agus", "agst")),
    9: (("september", "sep", "sept"), ("september", "sep", "sept")),
    10: (("october", "oct"), ("oktober", "okt")),
    11: (("november", "nov"), ("november", "nopember", "nov", "nop")),
    12: (("december", "dec"), ("desember", "des")),
}
_MONTH_NUMBER = {word: month for month, (english, indonesian) in MONTHS.items() for word in (*english, *indonesian)}
# Spellings only Indonesian uses: a file that writes them writes its dates day first.
INDONESIAN_ONLY_MONTHS = frozenset(word for _, indonesian in MONTHS.values() for word in indonesian) - frozenset(
    word for english, _ in MONTHS.values() for word in english)


def month_number(word: str) -> int | None:
    """``"Agus"`` -> 8, ``"Okt."`` -> 10; None when the word names no month."""
    return _MONTH_NUMBER.get(word.strip().lower().rstrip("."))


# -- words of the enum columns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One value of a word set: its English and Indonesian words (the Indonesian one is what okrdash
    writes in Indonesian; English files keep the value itself, ``at_least``) and every other spelling read."""

    en: str
    id: str
    also: tuple[str, ...] = ()


# Set name (the enum's class name in models.py) -> value -> its words. The value is what is stored.
WORDS: dict[str, dict[str, Word]] = {
    "KRKind": {
        "increase": Word("increase", "naik", ("tingkatkan", "naikkan", "meningkat", "up", "increase")),
        "decrease": Word("decrease", "turun", ("kurangi", "turunkan", "menurun", "down", "decrease")),
        "at_least": Word("at least", "minimal", ("min", "paling sedikit", "sekurang-kurangnya", "at_least",
                                                 "≥", ">=")),
        "at_most": Word("at most", "maksimal", ("max", "paling banyak", "sebanyak-banyaknya", "at_most", "≤", "<=")),
        "milestone": Word("milestone", "tonggak", ("done", "selesai/belum")),
    },
    "ObjectiveType": {
        "committed": Word("committed", "komitmen", ("berkomitmen", "commit", "wajib")),
        "aspirational": Word("aspirational", "aspirasional", ("aspiratif", "stretch", "ambisius", "ambitious")),
    },
    # A KPI's direction, and the polarity column of a balanced scorecard (Polaritas: Maximize / Minimize).
    "Direction": {
        "higher_is_better": Word("higher is better", "makin tinggi makin baik", (
            "higher", "up", "naik", "maximize", "maximise", "maksimalkan", "max", "positif", "positive", "(+)", "↑", "lebih tinggi lebih baik", "semakin tinggi semakin baik", "semakin besar semakin baik",
            "makin besar makin baik", "higher better", "bigger is better")),
        "lower_is_better": Word("lower is better", "makin rendah makin baik", (
            "lower", "down", "turun", "minimize", "minimise", "minimalkan", "min", "negatif", "negative", "(-)", "↓", "lebih rendah lebih baik", "semakin rendah semakin baik", "semakin kecil semakin baik",
            "makin kecil makin baik", "lower better", "smaller is better")),
        "range": Word("range", "rentang", ("between", "stabilize", "stabilise", "stabil", "dalam rentang",
                                           "best inside a range", "terbaik di dalam rentang")),
    },
    "Frequency": {
        "daily": Word("daily", "harian"),
        "weekly": Word("weekly", "mingguan"),
        "monthly": Word("monthly", "bulanan"),
        "quarterly": Word("quarterly", "kuartalan", ("triwulanan",)),
        "yearly": Word("yearly", "tahunan", ("annual",)),
    },
    "KpiType": {
        "strategic": Word("strategic", "strategis"),
        "operational": Word("operational", "operasional"),
        "functional": Word("functional", "fungsional"),
    },
    "Indicator": {
        "leading": Word("leading", "utama", ("lead",)),
        "lagging": Word("lagging", "tertinggal", ("lag",)),
    },
    # The language of a person's e-mails (a people file's language column).
    "Language": {
        "en": Word("English", "Inggris", ("bahasa inggris", "eng", "en-us", "en-gb")),
        "id": Word("Indonesian", "Indonesia", ("bahasa indonesia", "indonesian", "ind", "indo", "in")),
    },
}

# Word set -> the locale key a page shows a value with: those words are read back too.
DISPLAYED: dict[str, tuple[str, ...]] = {
    "ObjectiveType": ("objective.type_{value}",),
    "Direction": ("editing.direction_{value}",),
    "Frequency": ("kpis.frequency_{value}",),
    "KpiType": ("kpis.type_{value}",),
    "Indicator": ("kpis.indicator_{value}",),
    "Language": ("people.language_{value}",),
}


def normalise_word(text: str) -> str:
    """Case, surrounding spaces, and underscores or dashes between words do not matter."""
    return re.sub(r"[\s_]+|(?<=\w)-(?=\w)", " ", text.strip().lower())


@functools.lru_cache(maxsize=None)
def _lookup(word_set: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, word in WORDS[word_set].items():
        for spelling in (value, word.en, word.id, *word.also):
            table[normalise_word(spelling)] = value
    for pattern in DISPLAYED.get(word_set, ()):
        for lang in ("en", "id"):
            for value in WORDS[word_set]:
                label = _strings(lang).get(pattern.format(value=value))
                if label:
                    table.setdefault(normalise_word(label), value)
    return table


def _strings(lang: str) -> dict[str, str]:
    from okrdash.i18n import strings  # the locales (and Babel behind them) load on first use only

    return strings(lang)


@functools.lru_cache(maxsize=4096)  # a large file repeats a handful of spellings thousands of times
def parse_word(word_set: str, text: str) -> str | None:
    """The value a word names in ``word_set`` (``"Polaritas: Minimize"`` style words included), or None."""
    return _lookup(word_set).get(normalise_word(text))


def written(word_set: str, value: str, lang: str) -> str:
    """The word okrdash writes for ``value`` in ``lang`` (templates, downloads back to Excel)."""
    word = WORDS[word_set].get(value)
    return word.id if word and lang == "id" else value


def word_list(word_set: str, lang: str) -> str:
    """The words of a set as a reader of ``lang`` types them, for a message: ``naik, turun, ...``."""
    return ", ".join(written(word_set, value, lang) for value in WORDS[word_set])


_SET_NAMES = {"KRKind": "kind (okrs)", "ObjectiveType": "objective_type (okrs)", "Direction": "direction (kpis)",
              "Frequency": "frequency (kpis)", "KpiType": "kpi_type (kpis)", "Indicator": "indicator (kpis)",
              "Language": "language (people)"}


def markdown_words() -> str:
    """The words of every word set, confidence and milestones, as docs/csv-format.md lists them."""
    lines = ["| column | value | English | Indonesian | also read |", "|---|---|---|---|---|"]
    for word_set, words in WORDS.items():
        for value, word in words.items():
            also = ", ".join(f"`{w}`" for w in word.also if w not in (value, word.en, word.id))
            lines.append(f"| {_SET_NAMES[word_set]} | `{value}` | `{word.en}` | `{word.id}` | {also or '–'} |")
    for label, table in (("confidence", CONFIDENCE), ("milestone value", MILESTONE)):
        for value, word in table.items():
            also = ", ".join(f"`{w}`" for w in word.also)
            lines.append(f"| {label} | {value:g} | `{word.en}` | `{word.id}` | {also or '–'} |")
    lines.append("")
    lines.append("Every word a page shows for these values (`Aspirasional`, `Makin rendah makin baik`, "
                 "`Operasional` ...) is read back too, and so are the statuses (`On Track`, `Sesuai Jalur` ...).")
    return "\n".join(lines)


# -- confidence and milestone words ---------------------------------------------------------------------

# A confidence word -> its place on the 0-10 scale (the form and the messages show the first two).
CONFIDENCE: dict[float, Word] = {
    2.0: Word("low", "rendah", ("red", "merah")),
    5.0: Word("medium", "sedang", ("yellow", "kuning", "amber")),
    8.0: Word("high", "tinggi", ("green", "hijau")),
}

# A milestone's value in words: done (1) or not (0). "Tercapai" / "Belum tercapai" is what a
# status column of achieved / not achieved holds; the check-in form shows "Selesai" / "Belum selesai".
MILESTONE: dict[float, Word] = {
    1.0: Word("done", "selesai", ("yes", "ya", "sudah", "sudah selesai", "true", "tercapai", "sudah tercapai",
                                  "achieved", "complete", "completed", "tuntas", "finished", "terlaksana", "✓", "✔")),
    0.0: Word("not done", "belum", ("no", "tidak", "belum selesai", "false", "belum tercapai", "tidak tercapai",
                                    "not achieved", "not complete", "incomplete", "in progress", "dalam proses",
                                    "on progress", "proses", "belum terlaksana", "tidak terlaksana", "not started",
                                    "belum dimulai", "to do", "todo", "✗", "✘")),
}


def _spellings(word: Word) -> tuple[str, ...]:
    return (word.en, word.id, *word.also)


def scale_words(table: dict[float, Word], lang: str) -> str:
    """``low / medium / high`` (or ``rendah / sedang / tinggi``): how a message names a scale's words."""
    return " / ".join(word.id if lang == "id" else word.en for word in table.values())


def confidence_value(text: str) -> float | None:
    word = normalise_word(text)
    return next((value for value, spelled in CONFIDENCE.items() if word in _spellings(spelled)), None)


def milestone_value(text: str) -> float | None:
    word = normalise_word(text)
    return next((value for value, spelled in MILESTONE.items() if word in _spellings(spelled)), None)


# -- statuses --------------------------------------------------------------------------------------------

STATUSES = ("On Track", "At Risk", "Off Track", "Complete", "No Data", "No Target")


@functools.lru_cache(maxsize=None)
def status_words() -> dict[str, str]:
    """Every spelling of a status okrdash shows (English and Indonesian, from the locales) -> the status."""
    table = {normalise_word(status): status for status in STATUSES}
    for lang in ("en", "id"):
        for status in STATUSES:
            label = _strings(lang).get(f"status.{status}")
            if label:
                table.setdefault(normalise_word(label), status)
    return table


def status_of(text: str) -> str | None:
    """The status a word names (``"Sesuai Jalur"`` -> On Track), or None."""
    return status_words().get(normalise_word(text))


# -- SQL -------------------------------------------------------------------------------------------------


def _sql_text(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


def sql_macros() -> str:
    """The cell macros built from these tables (cells.sql uses them): ``okr_month(word)``,
    ``okr_month_is_indonesian(word)``, ``okr_confidence_word(t)`` and ``okr_milestone_value(t)``."""
    def case(cases: dict[str, object], argument: str) -> str:
        return "CASE " + argument + " " + " ".join(
            f"WHEN {_sql_text(word)} THEN {value}" for word, value in cases.items()) + " END"

    words = "regexp_replace(regexp_replace(lower(trim(t)), '[\\s_]+', ' ', 'g'), '(\\w)-(\\w)', '\\1 \\2', 'g')"
    confidence = {word: int(value) for value, spelled in CONFIDENCE.items() for word in _spellings(spelled)}
    milestone = {word: int(value) for value, spelled in MILESTONE.items() for word in _spellings(spelled)}
    indonesian = ", ".join(_sql_text(w) for w in sorted(INDONESIAN_ONLY_MONTHS))
    return "\n".join([
        f"CREATE OR REPLACE MACRO okr_month(word) AS ({case(_MONTH_NUMBER, 'lower(word)')});",
        f"CREATE OR REPLACE MACRO okr_month_is_indonesian(word) AS lower(word) IN ({indonesian});",
        f"CREATE OR REPLACE MACRO okr_confidence_word(t) AS ({case(confidence, words)});",
        f"CREATE OR REPLACE MACRO okr_milestone_value(t) AS ({case(milestone, words)});",
    ])
