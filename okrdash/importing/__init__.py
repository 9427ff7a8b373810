"""How data gets in: one concept per module.

- ``decoding``: bytes -> text (encoding, delimiter)
- ``headers``: the header vocabulary and file kinds
- ``cells.sql`` / ``cells``: the cell parsers (numbers, dates, confidence), one per cell type
- ``reading``, ``number_format``, ``date_order``, ``decide``: how each number and date column is
  read, decided from evidence or asked (``ReadingChoices``), never guessed
- ``table``: text -> a scratch table of canonical columns with the file's line numbers
- ``rows``: rows typed in the browser (``FormRows``) -> the same scratch table, no CSV in between
- ``validation``: per file kind, every problem with line, column and value
- ``pipeline``: uploads -> validation -> one store write (``import_files``; ``prepare`` validates once
  and ``commit`` writes that, validating again only if the store changed since)
- ``worker``: one background thread per process for large uploads, so a page's run stays short
"""

from okrdash.importing.pipeline import FileSummary, ImportResult, Prepared, Upload, commit, import_files, prepare, validate
from okrdash.importing.reading import DateOrder, NumberFormat, ReadingChoices
from okrdash.importing.rows import FormRows

__all__ = ["DateOrder", "FileSummary", "FormRows", "ImportResult", "NumberFormat", "Prepared", "ReadingChoices",
           "Upload", "commit", "import_files", "prepare", "validate"]
