"""The large company's figures that several benchmarks keep in one file: each sets its own key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCALE_LARGE = Path(__file__).resolve().parent / "results" / "scale-large.json"


def record_in_scale(key: str, value: Any) -> Path:
    """Set ``key`` of ``bench/results/scale-large.json`` to ``value``, keeping the rest of the file."""
    document = json.loads(SCALE_LARGE.read_text()) if SCALE_LARGE.exists() else {}
    document[key] = value
    SCALE_LARGE.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return SCALE_LARGE
