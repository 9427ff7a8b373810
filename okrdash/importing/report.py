"""How a file was read, as lines of text in the reader's language: the CLI prints them, and they
say the same as the Upload page's reading panel.
"""

from __future__ import annotations

from okrdash.i18n import translate
from okrdash.importing.ignored import suggest_column
from okrdash.importing.pipeline import FileSummary
from okrdash.importing.reading import ColumnReading, Evidence

DELIMITER_NAMES = {",": "comma ( , )", ";": "semicolon ( ; )", "\t": "tab"}


def column_reading_text(reading: ColumnReading, header: str, lang: str) -> str:
    """``Nilai: 1.500,5 (a dot between thousands, a decimal comma); its own cells decide (line 3: 4,5)``."""
    evidence = translate(f"reading.evidence_{reading.evidence.value}", lang, line=reading.example_line,
                         value=reading.example)
    return translate("reading.column_reading", lang, header=header,
                     format=translate(f"reading.format_{reading.format.value}", lang), evidence=evidence)


def ignored_text(header: str, lang: str) -> str:
    suggestion = suggest_column(header)
    return translate("reading.ignored_suggest", lang, header=header, suggestion=suggestion) if suggestion else header


def reading_report(summary: FileSummary, lang: str = "en") -> list[str]:
    """Encoding, delimiter, how numbers and dates were read, columns used and ignored, warnings."""
    lines = [translate("reading.encoding", lang, encoding=summary.encoding) + " · "
             + translate("reading.delimiter", lang, delimiter=DELIMITER_NAMES.get(summary.delimiter,
                                                                                  repr(summary.delimiter)))]
    for kind, readings in (("numbers", summary.reading.numbers), ("dates", summary.reading.dates)):
        decided = [r for r in readings.values() if r.evidence is not Evidence.NOT_NEEDED]
        if not readings:
            continue
        if not decided:
            lines.append(translate(f"reading.{kind}_plain", lang))
        for reading in decided:
            lines.append(f"{translate(f'reading.{kind}', lang)}: "
                         + column_reading_text(reading, summary.headers.get(reading.column, reading.column), lang))
    lines.append(translate("reading.used", lang, columns=", ".join(
        translate("reading.used_column", lang, header=header, column=column)
        for column, header in summary.headers.items())))
    lines.append(translate("reading.ignored", lang, columns=", ".join(ignored_text(h, lang) for h in summary.ignored_headers))
                 if summary.ignored_headers else translate("reading.ignored_none", lang))
    if summary.warnings:
        lines.append(translate("reading.warnings", lang))
        lines += [f"  {warning.describe(lang)}" for warning in summary.warnings]
    return lines
