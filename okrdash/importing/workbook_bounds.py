"""What reading a workbook may cost, and what the scans of its parts found, before python-calamine reads it.

The upload limit bounds the compressed bytes only: a 1 MB .xlsx can unpack to gigabytes, and
calamine materialises each sheet as a dense rectangle from its first to its last cell. So each
container is scanned first (``workbook_zip`` and ``workbook_xlsx``, ``workbook_ods``,
``workbook_xls``), trusting none of its declarations (a zip's sizes, a sheet's ``dimension``, an
.xls DIMENSIONS record): sizes are measured by decompressing, cells are placed as calamine would
place them, and the text calamine would hold is counted. Past a limit the upload is refused with
:class:`WorkbookTooLarge` before calamine allocates anything.

The same scans find what calamine does not give: which cells are formatted as percentages, which
hold a formula without a stored result, which hold a formula error.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from okrdash.settings import Settings

# Excel's grid. calamine places a cell wherever its reference says, even past it.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# calamine allocates each cell's text on its own: besides its characters, ~32 bytes of allocation
# (measured: 4,000,000 cells of 28 letters took 250 MB more than as many numbers). Counted as text.
STRING_OVERHEAD = 32


@dataclass(frozen=True)
class WorkbookLimits:
    """The bounds of one workbook upload (see the ``max_workbook_*`` settings for their sources)."""

    cells: int  # cells of the sheets read, each sheet counted as the rectangle from A1 to its last cell
    text_bytes: int  # bytes of text in those cells, as calamine holds it (a shared string once per cell)
    unpacked_bytes: int  # real decompressed size of all parts of a zip workbook together
    sheets: int  # worksheets in the workbook

    @classmethod
    def of(cls, config: Settings) -> WorkbookLimits:
        return cls(cells=config.max_workbook_cells, text_bytes=config.max_workbook_text_mb << 20,
                   unpacked_bytes=config.max_workbook_unpacked_mb << 20, sheets=config.max_workbook_sheets)


class WorkbookTooLarge(Exception):
    """A workbook past one of its limits. ``what``: ``unpacked``, ``cells``, ``text``, ``sheets`` or
    ``parts``; ``found`` is what was counted when the limit was passed (at least ``limit + 1``)."""

    def __init__(self, what: str, found: int, limit: int):
        super().__init__(f"workbook {what}: {found} > {limit}")
        self.what, self.found, self.limit = what, found, limit


class UnreadableWorkbook(ValueError):
    """A zip or OLE file that is not a workbook okrdash can read safely. ``recognised``: it is a
    workbook (a damaged, protected or oddly built one), not some other zip or OLE file."""

    def __init__(self, reason: str, recognised: bool = False):
        super().__init__(reason)
        self.reason, self.recognised = reason, recognised


class CellRuns:
    """A set of cells kept as runs of rows per column: a column of 200,000 percent cells is one run."""

    def __init__(self) -> None:
        self._runs: dict[int, list[list[int]]] = {}  # column -> [[first row, last row], ...] (0-based)
        self._sorted = True

    def add(self, row: int, column: int, rows: int = 1, columns: int = 1) -> None:
        """Add ``rows`` x ``columns`` cells from (row, column) (a repeated .ods cell is one call)."""
        for col in range(column, column + columns):
            runs = self._runs.setdefault(col, [])
            if runs and runs[-1][0] <= row <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], row + rows - 1)
                continue
            if runs and row < runs[-1][0]:
                self._sorted = False
            runs.append([row, row + rows - 1])

    def __contains__(self, cell: tuple[int, int]) -> bool:
        row, column = cell
        runs = self._runs.get(column)
        if not runs:
            return False
        if not self._sorted:
            self._merge()
        index = bisect.bisect_right(runs, [row, float("inf")]) - 1
        return index >= 0 and runs[index][0] <= row <= runs[index][1]

    def _merge(self) -> None:
        """Sort each column's runs and join the overlapping ones (cells came out of row order)."""
        for column, runs in self._runs.items():
            merged: list[list[int]] = []
            for first, last in sorted(runs):
                if merged and first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            self._runs[column] = merged
        self._sorted = True

    def columns(self) -> set[int]:
        return set(self._runs)

    def __bool__(self) -> bool:
        return bool(self._runs)


@dataclass
class SheetFacts:
    """What the scan of one sheet found, with cells placed as calamine places them (0-based)."""

    rows: int = 0  # 1 + the last row holding a cell element
    columns: int = 0  # 1 + the last column holding a cell element
    cells: int = 0  # cell elements (an upper bound of the cells calamine keeps)
    text_bytes: int = 0  # an upper bound of the text calamine materialises for the sheet
    percent: CellRuns = field(default_factory=CellRuns)  # cells formatted as a percentage
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # formula errors: cell -> "#DIV/0!"
    uncached: list[tuple[int, int]] = field(default_factory=list)  # formulas without a stored result

    def place(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, column + 1)

    @property
    def area(self) -> int:
        """The rectangle from A1 to the last cell: what calamine and the sheet's text hold at most."""
        return self.rows * self.columns


@dataclass
class WorkbookFacts:
    """The scans' findings per sheet name (as calamine names the sheets)."""

    sheets: dict[str, SheetFacts] = field(default_factory=dict)


class Budget:
    """Running totals against the limits; raises :class:`WorkbookTooLarge` the moment one is passed."""

    def __init__(self, limits: WorkbookLimits):
        self.limits = limits
        self.cells = self.text_bytes = self.unpacked_bytes = 0
        self.resident_text = 0  # text calamine holds for the whole workbook (an .xlsx's shared strings)

    def add_unpacked(self, size: int) -> None:
        self.unpacked_bytes += size
        if self.unpacked_bytes > self.limits.unpacked_bytes:
            raise WorkbookTooLarge("unpacked", self.unpacked_bytes, self.limits.unpacked_bytes)

    def unpacked_left(self) -> int:
        return self.limits.unpacked_bytes - self.unpacked_bytes

    def hold_text(self, text_bytes: int) -> None:
        self.resident_text += text_bytes
        check_text(self.resident_text, self.limits)

    def text_left(self) -> int:
        """The text one sheet may hold beside what the workbook holds throughout."""
        return self.limits.text_bytes - self.resident_text

    def check_sheet(self, facts: SheetFacts) -> None:
        """One sheet alone within the limits (a sheet is read whole, whatever else is read)."""
        check_cells(max(facts.area, facts.cells), self.limits)
        check_text(self.resident_text + facts.text_bytes, self.limits)

    def add_sheet(self, area: int, text_bytes: int) -> None:
        """A sheet that will be read: its cells and text count towards the workbook's."""
        self.cells += area
        self.text_bytes += text_bytes
        check_cells(self.cells, self.limits)
        check_text(self.text_bytes, self.limits)


def check_cells(cells: int, limits: WorkbookLimits) -> None:
    if cells > limits.cells:
        raise WorkbookTooLarge("cells", cells, limits.cells)


def check_text(text_bytes: int, limits: WorkbookLimits) -> None:
    if text_bytes > limits.text_bytes:
        raise WorkbookTooLarge("text", text_bytes, limits.text_bytes)


def check_sheets(count: int, limits: WorkbookLimits) -> None:
    if count > limits.sheets:
        raise WorkbookTooLarge("sheets", count, limits.sheets)


def column_letters(index: int) -> str:
    """0 -> ``A``, 27 -> ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes) -> int:
    """``b"AB"`` -> 27 (letters of either case, as calamine reads them)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index - 1
