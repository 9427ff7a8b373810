"""What the reader decided about a file (sheet, header row, skipped rows, filled cells, unpivoted columns).

A reading note is shown above the preview on the Upload page and printed by ``okrdash import``,
so a person sees how their file was read before anything is written. Its text comes from the
``reading.*`` strings of the locales, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrdash.i18n import translate


@dataclass(frozen=True)
class ReadingNote:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return translate(f"reading.{self.code}", lang, **self.params)


def line_list(lines: list[int], limit: int = 8) -> str:
    """``[3, 4, 9]`` -> ``"3, 4, 9"``; a long list ends with ``…`` after ``limit`` lines."""
    shown = ", ".join(str(line) for line in lines[:limit])
    return shown + (", …" if len(lines) > limit else "")
