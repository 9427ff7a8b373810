"""How data gets in: one concept per module.

- ``decoding``: bytes -> text (encoding, delimiter)
- ``headers``: the header vocabulary and file kinds
- ``cells.sql`` / ``cells``: the cell parsers (numbers, dates, confidence), one per cell type
- ``table``: text -> a scratch table of canonical columns with the file's line numbers
- ``rows``: rows typed in the browser (``FormRows``) -> the same scratch table, no CSV in between
- ``validation``: per file kind, every problem with line, column and value
- ``pipeline``: uploads -> validation -> one store write (``import_files``)
"""

from okrdash.importing.pipeline import FileSummary, ImportResult, Upload, import_files, validate
from okrdash.importing.rows import FormRows

__all__ = ["FileSummary", "FormRows", "ImportResult", "Upload", "import_files", "validate"]
