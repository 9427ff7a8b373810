"""How data gets in: one concept per module.

- ``decoding``: bytes -> text (encoding, delimiter)
- ``headers``: the header vocabulary and file kinds
- ``cells.sql`` / ``cells``: the cell parsers (numbers, dates, confidence), one per cell type
- ``table``: text -> a scratch table of canonical columns with the file's line numbers
- ``validation``: per file kind, every problem with line, column and value
- ``pipeline``: uploads -> validation -> one store write (``import_files``)
"""

from okrdash.importing.pipeline import FileSummary, ImportResult, Upload, import_files, validate

__all__ = ["FileSummary", "ImportResult", "Upload", "import_files", "validate"]
