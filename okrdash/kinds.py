"""The file kinds okrdash reads, declared once: each column's meaning, its header spellings in
English and Bahasa Indonesia, its type and the words it holds, and which kind has which column.

The reader (importing/headers.py), the validation, the templates and downloads (okrfiles.py,
data/templates/), the documentation (docs/csv-format.md: its column tables are
:func:`markdown_table`, checked by tests/test_kinds.py) and the messages read these tables, so a
new header spelling is one line in :data:`COLUMNS` and a new kind is one :class:`Kind`.

No import from the rest of okrdash but the vocabulary and the FileKind enum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from okrdash.models import FileKind


class ColumnType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    WORDS = "words"  # one of a word set's values (vocabulary.WORDS)
    CONFIDENCE = "confidence"
    CYCLE = "cycle"


@dataclass(frozen=True)
class Column:
    """One meaning a column may have. ``en`` / ``id``: its header spellings (any case and spacing;
    the first Indonesian one is the header okrdash writes). ``words``: the vocabulary set of its cells."""

    name: str
    type: ColumnType
    en: tuple[str, ...]
    id: tuple[str, ...] = ()
    words: str | None = None
    # A share done (progress, achievement): "65%", 65 on a 0-100 scale, or 0.65 on a 0-1 scale.
    percent: bool = False

    def header(self, lang: str) -> str:
        """The header okrdash writes for this column in ``lang``: its first Indonesian spelling, or in
        English its name (``key_result``), as okrdash's own files have always been headed."""
        return self.id[0] if lang == "id" and self.id else self.name


_C, _T = Column, ColumnType
# Every meaning a column may have. Spellings are normalised before comparing (case, spaces, "_", "-",
# "." and "/" do not matter; a unit in brackets, "Target (Rp)", is left out; see importing/headers.py).
COLUMNS: dict[str, Column] = {c.name: c for c in (
    _C("cycle", _T.CYCLE, ("cycle", "period", "quarter", "current period", "reporting period", "time period"),
       ("Siklus", "kuartal", "triwulan", "periode laporan", "periode pelaporan")),
    _C("start_date", _T.DATE, ("start date", "start", "expected start date"), ("Tanggal mulai", "mulai")),
    _C("end_date", _T.DATE, ("end date", "end", "expected end date"), ("Tanggal selesai", "selesai")),
    _C("team", _T.TEXT, ("team", "department", "teams", "division"),
       ("Tim", "departemen", "divisi", "bagian", "unit kerja", "nama unit", "nama unit kerja")),
    _C("objective", _T.TEXT, ("objective", "objective title", "objectives"), ("Tujuan", "objektif")),
    _C("objective_owner", _T.TEXT, ("objective owner",), ("Pemilik tujuan",)),
    _C("objective_type", _T.WORDS, ("objective type",), ("Jenis tujuan", "tipe tujuan"), words="ObjectiveType"),
    _C("parent_objective", _T.TEXT, ("parent objective", "parent"), ("Tujuan induk", "induk")),
    _C("key_result", _T.TEXT, ("key result", "kr", "key results"), ("Hasil kunci",)),
    # The day a key result is measured from when it starts after its cycle (blank: the cycle's start).
    _C("kr_start", _T.DATE, ("kr start", "kr start date", "key result start"), ("Mulai KR", "tanggal mulai kr")),
    _C("owner", _T.TEXT, ("owner", "pic", "assignee", "owner email"), ("Pemilik", "penanggung jawab")),
    _C("kind", _T.WORDS, ("kind", "kr kind"), ("Jenis", "jenis kr", "tipe kr"), words="KRKind"),
    _C("baseline", _T.NUMBER, ("baseline", "start value", "starting value", "initial value"),
       ("Nilai awal", "awal")),
    _C("target", _T.NUMBER, ("target", "target value"), ("Target", "sasaran nilai", "nilai target")),
    _C("unit", _T.TEXT, ("unit of measure", "uom"), ("Satuan", "satuan ukur")),
    _C("weight", _T.NUMBER, ("weight",), ("Bobot",)),
    _C("kpi", _T.TEXT, ("kpi", "kpi name", "metric"),
       ("KPI", "nama kpi", "metrik", "nama indikator", "indikator kinerja", "indikator kinerja utama", "iku",
        "indikator kpi")),
    _C("current", _T.NUMBER, ("current", "current value"), ("Nilai saat ini", "saat ini")),
    _C("value", _T.NUMBER, ("value", "actual"), ("Nilai", "realisasi", "aktual", "capaian")),
    _C("date", _T.DATE, ("date", "month", "check in date", "checkin date"),
       ("Tanggal", "tgl", "bulan", "tanggal check in")),
    # When the values were last updated: the date of an okrs file's current value.
    _C("last_checkin", _T.DATE, ("last check in", "last checkin", "updated", "last updated", "last update",
                                 "updated at", "last modified", "last edited", "last edited time"),
       ("Update terakhir", "tanggal update", "tgl update", "terakhir diperbarui", "tanggal pembaruan",
        "diperbarui", "tgl update terakhir", "pembaruan terakhir")),
    _C("progress", _T.NUMBER, ("progress", "progress %", "progress pct", "percent complete", "% complete"),
       ("Progres", "kemajuan", "persentase kemajuan", "% kemajuan"), percent=True),
    # Actual over target ("Pencapaian 92%"), what Indonesian reports call achievement.
    _C("achievement", _T.NUMBER, ("achievement", "achievement %", "% achievement", "ach", "ach %"),
       ("Pencapaian", "persen capaian", "% capaian", "capaian %", "persentase capaian", "% pencapaian",
        "persentase pencapaian", "pencapaian %", "tingkat capaian"), percent=True),
    # Achieved / not achieved (a milestone), or the status a tool computed (On Track ...).
    _C("status", _T.TEXT, ("status", "state"), ("Status", "keadaan", "status capaian", "status pencapaian")),
    # A key result's planned value on a day of its cycle: its planned path (expected progress follows it).
    _C("planned", _T.NUMBER, ("planned", "plan", "planned value", "target this month", "monthly plan"),
       ("Rencana", "target bulan ini", "nilai rencana", "rencana capaian", "target rencana")),
    _C("confidence", _T.CONFIDENCE, ("confidence",), ("Keyakinan", "kepercayaan", "tingkat keyakinan")),
    _C("note", _T.TEXT, ("note", "notes", "comment", "comments", "remarks"), ("Catatan", "keterangan", "komentar")),
    _C("direction", _T.WORDS, ("direction", "polarity"), ("Arah", "polaritas", "arah kinerja"), words="Direction"),
    _C("min", _T.NUMBER, ("min", "minimum", "lower bound"), ("Minimum", "batas bawah")),
    _C("max", _T.NUMBER, ("max", "maximum", "upper bound"), ("Maksimum", "batas atas")),
    _C("tolerance", _T.NUMBER, ("tolerance",), ("Toleransi",)),
    _C("frequency", _T.WORDS, ("frequency",), ("Frekuensi",), words="Frequency"),
    _C("kpi_type", _T.WORDS, ("kpi type",), ("Jenis KPI", "tipe kpi"), words="KpiType"),
    _C("indicator", _T.WORDS, ("indicator",), ("Indikator",), words="Indicator"),
    _C("category", _T.TEXT, ("category", "perspective"), ("Kategori", "perspektif")),
    # Only a sheet with one column per month reads it (it gives those months their year), and a
    # quarter column beside it (the cycle "Q4 2026").
    _C("year", _T.NUMBER, ("year", "fiscal year"), ("Tahun", "tahun anggaran")),
    # A people file's columns (issue 25), with the spellings HR exports use.
    _C("name", _T.TEXT, ("name", "full name", "employee name"),
       ("Nama", "nama karyawan", "nama lengkap", "nama pegawai", "karyawan", "pegawai")),
    _C("email", _T.TEXT, ("email", "e-mail", "email address", "e-mail address", "mail", "work email",
                          "office email"),
       ("Email", "surel", "alamat email", "alamat e-mail", "alamat surel", "email kantor", "email karyawan")),
    _C("manager_email", _T.TEXT, ("manager email", "manager e-mail", "manager", "line manager email",
                                  "supervisor email", "reports to"),
       ("Email atasan", "atasan", "email atasan langsung", "e-mail atasan", "e-mail atasan langsung",
        "surel atasan", "atasan langsung")),
    _C("language", _T.WORDS, ("language", "lang", "preferred language", "mail language"),
       ("Bahasa", "bahasa email", "bahasa surel"), words="Language"),
    _C("whatsapp", _T.TEXT, ("whatsapp", "wa", "whatsapp number", "mobile", "mobile number", "phone",
                             "phone number"),
       ("No WA", "no whatsapp", "nomor wa", "nomor whatsapp", "no hp", "nomor hp", "no handphone",
        "nomor handphone", "hp", "no telepon", "nomor telepon", "telepon")),
)}

# Header words with two meanings; the file's other headers, then the cells, decide which
# (importing/headers.py: resolve_ambiguous), and the reading says which was taken.
AMBIGUOUS: dict[str, tuple[str, str]] = {
    "periode": ("cycle", "date"),
    "unit": ("unit", "team"),
    "indikator": ("indicator", "kpi"),
}

# Meanings that change what a file's numbers say: a file whose kind cannot use one of them is
# refused naming the column (``meaning_not_used``), never reported valid with it dropped. (A status
# column is read by its cells: see importing/layout.py.)
NEVER_DROPPED = ("cycle", "date", "last_checkin", "direction", "progress", "achievement", "planned")


@dataclass(frozen=True)
class KindColumn:
    """A column of a kind: required or not, and what it means there (docs/csv-format.md)."""

    name: str
    required: str = ""  # "yes", or when it is needed ("with value"); blank: optional
    doc: str = ""


@dataclass(frozen=True)
class Tell:
    """A kind is told by these columns together, unless the file also has one of ``unless``."""

    columns: frozenset[str]
    unless: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Kind:
    kind: FileKind
    columns: tuple[KindColumn, ...]
    told_by: tuple[Tell, ...]
    # Columns of other meanings this kind reads as one of its own when that one is missing:
    # a KPI sheet's "Update terakhir" or period column dates its values.
    read_as: dict[str, str] = field(default_factory=dict)
    # The column the kind's rows are about (a "total" row names none).
    about: tuple[str, ...] = ()
    # Columns that stand in for a required one: a plan sheet's planned values need no value column.
    stands_in: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required == "yes")

    def missing(self, columns: set[str]) -> list[str]:
        """The required columns ``columns`` lack (one a column that stands in for it gives is not)."""
        given = columns | {self.stands_in[c] for c in columns if c in self.stands_in}
        return [c for c in self.required if c not in given]


def _tell(*columns: str, unless: tuple[str, ...] = ()) -> Tell:
    return Tell(frozenset(columns), frozenset(unless))


_K = KindColumn
# In the order a file is told: the first kind one of whose ``told_by`` sets the headers hold.
KINDS: dict[FileKind, Kind] = {k.kind: k for k in (
    Kind(FileKind.OKRS, (
        _K("cycle", "yes", "`2026-Q2`, `Q2 2026`, `Q2-2026`, `2026Q2`, or any name when `start_date` and "
                           "`end_date` are given"),
        _K("start_date", "", "explicit cycle bounds (both or neither)"),
        _K("end_date", "", "explicit cycle bounds (both or neither)"),
        _K("team", "yes", "team name; `Company` (or `Perusahaan`) for company objectives"),
        _K("objective", "yes", "the objective: short, inspiring, free of numbers"),
        _K("objective_owner", "", "defaults to the key result's owner"),
        _K("objective_type", "", "`committed` or `aspirational` (default); `komitmen` / `aspirasional`"),
        _K("parent_objective", "", "title of the higher objective (same cycle) this one supports"),
        _K("key_result", "yes", "the key result"),
        _K("owner", "", "who updates it"),
        _K("kind", "", "`increase`, `decrease`, `at_least`, `at_most`, `milestone` (or their words, below); "
                       "inferred from baseline vs target when blank"),
        _K("direction", "", "a polarity (`Polaritas`: Maximize / Minimize, `Semakin kecil semakin baik`): "
                            "increase or decrease, which must fit baseline and target"),
        _K("baseline", "", "starting value"),
        _K("target", "", "value to reach (or the bound for at_least / at_most); milestone: 1. `<= 24` or "
                         "`≥ 80%` give the bound and the kind at once"),
        _K("unit", "", "`%`, `days`, `Rp`, ..."),
        _K("weight", "", "weight in the objective's progress, default 1, must be > 0"),
        _K("kpi", "", "name of a KPI of the same team whose measurements become this key result's values"),
        _K("current", "", "current value: recorded as a check-in on `date`"),
        _K("date", "", "date of `current` (default: `last_checkin`; without either, the import day, said in "
                       "the reading, and refused when that day is outside the cycle)"),
        _K("last_checkin", "", "when `current` was last updated"),
        _K("progress", "", "share done (`65%`, 65 on a 0-100 scale or 0.65 on a 0-1 scale, decided per cell "
                           "then per column). With `baseline` and `target` it must agree with `current` "
                           "(or gives it); alone, the key result is measured from 0 to 100%"),
        _K("achievement", "", "actual over target (`Pencapaian 92%`): with `current` the two must agree; "
                              "without it, an increase key result's current value is achievement × target (beside a "
                              "baseline other than 0, where counting from the baseline gives another value, "
                              "the current value is asked for)"),
        _K("status", "", "a milestone's achieved / not achieved (`Tercapai`, `Belum tercapai`, `Selesai`): "
                         "its current value; a status a tool computed (`On Track`) is not imported"),
        _K("confidence", "", "confidence of `current` (see check-ins)"),
        _K("kr_start", "", "the day a key result added after its cycle began is measured from (expected "
                           "progress and the forecast count from it); within the cycle; blank keeps the stored "
                           "start (default: the cycle's start). Not the cycle's `start_date`. A file that moves "
                           "a start onto or past stored planned values (or makes a planned key result `at_least` / "
                           "`at_most`, leaves out its target, or turns it into a milestone or back) says which "
                           "of them would no longer be read as written, before it writes"),
    ), (_tell("key_result", "baseline"), _tell("key_result", "target"), _tell("key_result", "kind"),
        _tell("key_result", "weight"), _tell("key_result", "objective", "cycle", unless=("value",))),
        read_as={"value": "current"}, about=("team", "objective", "key_result")),
    Kind(FileKind.CHECKINS, (
        _K("team", "yes", "team of the key result"),
        _K("key_result", "yes", "title of an existing key result (or one in the same upload)"),
        _K("objective", "when needed", "only when the team has two key results with this title"),
        _K("cycle", "when needed", "only when the team has the key result in several cycles"),
        _K("date", "yes", "the day of the value; `last_checkin` spellings (`Update terakhir`) when there is "
                          "no date column"),
        _K("value", "yes", "milestones: `1`/`0`, `done`, `selesai`, `ya`, `tercapai` (a `status` column of "
                           "those words is the value when there is no value column). Not needed with `planned`: "
                           "a row may hold a planned value only, a sheet only planned values (a plan sheet)"),
        _K("planned", "", "the value planned for the key result on `date` (its planned path; a milestone's: "
                          "`1`/`0` or the words of `value`): expected progress follows the plan from the start "
                          "(the baseline) through the planned values to the end (the target) instead of a straight "
                          "line. Within the key result's cycle, from its own start; on the start day only the baseline, on "
                          "the cycle's last day only the target; not for `at_least` / `at_most` or a key result "
                          "without a target (docs/rules.md, Planned path)"),
        _K("confidence", "", "0-10, `low`/`medium`/`high`, `red`/`yellow`/`green`, `rendah`/`sedang`/`tinggi`, "
                             "`merah`/`kuning`/`hijau`; 1-5 when the header says so (`Confidence (1-5)`, "
                             "`Keyakinan 1-5`), kept on 0-10 (1 is 0, 3 is 5, 5 is 10); a column of numbers "
                             "from 1 to 5 under a header naming no scale is asked"),
        _K("note", "", "free text"),
    ), (_tell("key_result"),),
        read_as={"last_checkin": "date", "status": "value"}, about=("team", "objective", "key_result"),
        stands_in={"planned": "value"}),
    Kind(FileKind.KPIS, (
        _K("team", "yes", ""),
        _K("kpi", "yes", "KPI name"),
        _K("date", "with value", "measurement date (or one column per month, see above); a period "
                                 "(`Juli 2026`, `Q1 2024`) is its last day"),
        _K("value", "with date", "measured value"),
        _K("target", "", "target for that period; the latest one is the KPI's target"),
        _K("unit", "", ""),
        _K("direction", "", "`higher_is_better` (default), `lower_is_better`, `range`, or their words (below): "
                            "a polarity column (`Polaritas`: Maximize / Minimize) is the direction"),
        _K("min", "for range", "the band that is on target"),
        _K("max", "for range", "the band that is on target"),
        _K("tolerance", "", "how far past the target still counts as At Risk: absolute (`3`) or percent of the "
                            "target (`10%`, default)"),
        _K("frequency", "", "`daily`, `weekly`, `monthly` (default), `quarterly`, `yearly`"),
        _K("kpi_type", "", "`strategic`, `operational` (default), `functional`"),
        _K("indicator", "", "`leading` or `lagging` (default)"),
        _K("category", "", "`marketing`, `sales`, `service`, `website`, `hr`, `finance`, `product`, "
                           "`engineering`, or your own; a scorecard's perspective"),
        _K("owner", "", ""),
        _K("achievement", "", "actual over target (`Pencapaian 92%`): must agree with `value` and `target`"),
    ), (_tell("kpi"),),
        # "Target bulan ini" (a key result's planned value elsewhere) is a KPI row's target.
        read_as={"last_checkin": "date", "cycle": "date", "planned": "target"}, about=("team", "kpi")),
    # Last: a file with a key result or KPI column is one of those whatever e-mail column it also has.
    Kind(FileKind.PEOPLE, (
        _K("name", "yes", "the person's name as written in owner cells (matched ignoring case and spacing)"),
        _K("email", "yes", "one e-mail address per person (one row per address; a later file updates it)"),
        _K("manager_email", "", "the e-mail address of their manager, who gets the weekly digest; blank: none"),
        _K("language", "", "the language of their e-mails: `id` (default) or `en` (or their words, below)"),
        _K("team", "", "their team, as the OKR files name it"),
        _K("whatsapp", "", "a phone number, like `+62 812 3456 7890`"),
    ), (_tell("email"), _tell("manager_email"), _tell("name", "language"), _tell("name", "whatsapp")),
        about=("email",)),
)}


def kind_of(file_kind: FileKind | str) -> Kind:
    return KINDS[FileKind(file_kind)]


def columns_of_type(column_type: ColumnType) -> tuple[str, ...]:
    """Every column of one type, in declaration order (the number columns, the date columns ...)."""
    return tuple(name for name, column in COLUMNS.items() if column.type is column_type)


def header(column: str, lang: str) -> str:
    """The header okrdash writes for ``column`` in ``lang`` (templates and downloads)."""
    return COLUMNS[column].header(lang)


def required_columns_text(lang: str) -> str:
    """``okrs: cycle, team, objective, key_result; checkins: ...`` in the reader's words, for a message."""
    from okrdash.i18n import translate  # the locales load on first use only

    return "; ".join(f"{translate(f'upload.kind_{kind.kind.value}', lang)}: "
                     f"{', '.join(header(c, lang) for c in kind.required)}" for kind in KINDS.values())


def markdown_table(file_kind: FileKind) -> str:
    """The kind's column table of docs/csv-format.md, from the declarations."""
    ambiguous = {name: word for word, names in AMBIGUOUS.items() for name in names}
    lines = ["| column | other headers read | Indonesian | required | meaning |", "|---|---|---|---|---|"]
    for column in KINDS[FileKind(file_kind)].columns:
        declared = COLUMNS[column.name]
        english = ", ".join(f"`{h}`" for h in declared.en if h != column.name.replace("_", " ")) or "–"
        indonesian = [f"`{h}`" for h in declared.id if h.lower() != ambiguous.get(column.name)]
        if column.name in ambiguous:
            indonesian.append(f"`{ambiguous[column.name]}` (see above)")
        lines.append(f"| `{column.name}` | {english} | {', '.join(indonesian) or '–'} | {column.required or 'no'} "
                     f"| {column.doc or '–'} |")
    return "\n".join(lines)


# The generated parts of docs/csv-format.md: ``<!-- generated: NAME -->`` ... ``<!-- end generated -->``.
# (The tables hold no "<!--", so a block ends at the first end marker.)
_GENERATED = re.compile(r"(<!-- generated: (?P<name>[a-z_]+) -->)\n(?:(?:(?!<!--).)*\n)?(<!-- end generated -->)", re.S)


def generated_docs(text: str) -> str:
    """``text`` (docs/csv-format.md) with every generated block written from the declarations:
    ``okrs``, ``checkins``, ``kpis``, ``people`` (column tables) and ``words`` (the words of each word set)."""
    from okrdash.vocabulary import markdown_words

    def block(match: re.Match[str]) -> str:
        name = match["name"]
        body = markdown_words() if name == "words" else markdown_table(FileKind(name))
        return f"{match.group(1)}\n{body}\n{match.group(3)}"

    return _GENERATED.sub(block, text)


if __name__ == "__main__":  # python -m okrdash.kinds: rewrite docs/csv-format.md's generated tables
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs" / "csv-format.md"
    docs.write_text(generated_docs(docs.read_text(encoding="utf-8")), encoding="utf-8")
