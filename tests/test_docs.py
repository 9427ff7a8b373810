"""The README documents every setting of okrdash/settings.py in its configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from okrdash.settings import _ENV_FIELDS

README = Path(__file__).resolve().parents[1] / "README.md"


def _configuration_table_variables() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`(OKRDASH_[A-Z_]+)`", cell)}


def test_every_setting_is_in_the_readme_configuration_table():
    documented = _configuration_table_variables()
    assert sorted(set(_ENV_FIELDS.values()) - documented) == []
    assert sorted(documented - set(_ENV_FIELDS.values())) == []  # and nothing that is not a setting
