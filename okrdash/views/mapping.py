"""The Upload page's mapping step (issue 29): when a file is none of the kinds, lacks a required
column or holds a column okrdash cannot place, each of its columns with a few cells and the
meaning okrdash guesses (or the person's answer), the fields for what the file leaves out, and
the answers as a mapping file to download. ui/mapping_step.py draws it; the answers go into the
same check and import as every upload (importing.mapping, applied inside the reader)."""

from __future__ import annotations

from dataclasses import dataclass

from okrdash.importing.mapping import IGNORE, Mapping, accepted_columns
from okrdash.importing.peek import FileColumns
from okrdash.markdown import plain
from okrdash.models import FileKind
from okrdash.problems import Problem
from okrdash.views.common import Markdown, Words

METRIC = "metric"
# What the whole file may leave out, asked as fields (a value for every row without one).
FIELDS = ("team", "cycle", "date", "direction", "unit")
# Problems a mapping answers: the step opens on them.
QUESTIONS = {"file_kind_unknown", "file_kind_none", "header_missing", "value_without_date", "meaning_not_used",
             "target_undated_conflict", "mapping_header_not_found", "mapping_column_not_in_kind",
             "mapping_value_not_in_kind", "mapping_sheet_not_found", "mapping_header_row_beyond",
             "mapping_column_twice"}


@dataclass(frozen=True)
class ColumnChoice:
    key: str  # the widget's key
    header: str
    label: Markdown  # the header and its cells (a select box's label renders Markdown: escaped)
    options: tuple[str, ...]  # "" (as okrdash reads it), ignore, metric, the kind's columns
    chosen: str
    option_labels: dict[str, str]  # the words of "", ignore and metric; a column is its name


@dataclass(frozen=True)
class MappingStep:
    title: str
    help: Markdown
    kind_label: str
    kinds: tuple[str, ...]  # "" (as the headers tell) and each kind
    kind: str
    files: tuple[tuple[Markdown, tuple[ColumnChoice, ...]], ...]
    fields: tuple[tuple[str, str, str], ...]  # (column, label, value)
    sheets_label: str
    sheets: tuple[str, ...]  # the workbooks' sheets (none for text files)
    sheets_chosen: tuple[str, ...]
    header_row_label: str
    header_row: int  # the line the headers are on: the answer, else where the reader found them
    download_label: str
    toml: str


def wanted(problems: list[Problem] | None, mapping: Mapping) -> bool:
    """Whether the step is shown: a problem it answers, or answers already given."""
    return mapping != Mapping() or any(p.code in QUESTIONS for p in problems or [])


def step(words: Words, found: list[FileColumns], mapping: Mapping) -> MappingStep:
    kind = mapping.file_kind
    columns = accepted_columns(kind)
    files = []
    for number, file in enumerate(f for f in found if f.read):
        choices = []
        for index, column in enumerate(file.columns):
            given = (METRIC if mapping.is_metric(column.header) else mapping.column_for(column.header)) or ""
            choices.append(ColumnChoice(
                key=f"mapping_col_{number}_{index}", header=column.header,
                label=words.t("upload.mapping_column", header=plain(column.header),
                              cells=plain(", ".join(column.samples)) or "–"),
                options=("", IGNORE, *((METRIC,) if kind in (None, FileKind.KPIS) else ()), *columns),
                chosen=given,
                option_labels={"": words.t("upload.mapping_as_read", column=column.guess) if column.guess
                               else words.t("upload.mapping_unknown"),
                               IGNORE: words.t("upload.mapping_ignore"), METRIC: words.t("upload.mapping_metric")}))
        files.append((words.t("upload.mapping_file", file=plain(file.label), line=file.header_line), tuple(choices)))
    return MappingStep(
        title=words.t("upload.mapping_title"), help=words.t("upload.mapping_help"),
        kind_label=words.t("upload.mapping_kind"), kinds=("", *(k.value for k in FileKind)),
        kind=mapping.kind.value if mapping.kind else "",
        files=tuple(files),
        fields=tuple((c, words.t(f"upload.mapping_field_{c}"), next((v for n, v in mapping.values if n == c), ""))
                     for c in FIELDS),
        download_label=words.t("upload.mapping_download"), toml=mapping.to_toml(),
        sheets_label=words.t("upload.mapping_sheets"),
        sheets=tuple(dict.fromkeys(f.sheet for f in found if f.sheet)),
        sheets_chosen=tuple(dict.fromkeys(f.sheet for f in found if f.sheet and f.read)),
        header_row_label=words.t("upload.mapping_header_row"),
        header_row=mapping.header_row or next((f.header_line for f in found if f.read), 1))
