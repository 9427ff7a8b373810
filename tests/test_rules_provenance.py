"""Every rule setting says where its value comes from, and docs/rules.md and the explainer say the same
(issue 23, "rules with provenance"): a source document, Google's OKR playbook, or okrdash's calibration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from okrdash.i18n import format_number, translate
from okrdash.settings import RULE_SETTINGS, SOURCES, Settings, provenance

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
DEFAULTS = Settings()


def _table(heading: str) -> list[list[str]]:
    """The body rows of the first table under ``## heading`` in docs/rules.md, cell by cell."""
    section = RULES_MD.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


@pytest.mark.parametrize("name", RULE_SETTINGS)
def test_every_rule_setting_names_its_sources_and_what_they_say(name):
    found = provenance(name)
    assert found.sources and set(found.sources) <= set(SOURCES), found.sources
    assert len(found.says) > 40
    if "okrdash" in found.sources:  # a calibration says so and gives what it was set against
        assert "okrdash's" in found.says
    else:  # a value the sources give names them
        assert any(word in found.says for word in ("playbook", "ClickUp", "Dealls", "Start Friday", "article"))


def test_the_rule_settings_are_the_rules_and_the_coachs_thresholds():
    rules_sql = (ROOT / "okrdash" / "rules.sql").read_text(encoding="utf-8")
    coach = (ROOT / "okrdash" / "coach.py").read_text(encoding="utf-8")
    # Every macro default rules.sql takes from settings is a rule setting with its provenance ...
    assert set(re.findall(r"(?<!\{)\{([a-z_]+)\}(?!\})", rules_sql)) <= set(RULE_SETTINGS)
    # ... and every rule setting is used by the rules or the coach.
    for name in RULE_SETTINGS:
        assert f"{{{name}}}" in rules_sql or f"limits.{name}" in coach, name
    with pytest.raises(KeyError):
        provenance("db_path")


def test_docs_rules_md_gives_every_setting_with_its_sources_as_settings_py_does():
    documented = [(name.strip("`"), default, sources, says)
                  for name, default, sources, says in _table("Settings and their sources")]
    assert documented == [(name, f"{getattr(DEFAULTS, name):g}", ", ".join(provenance(name).sources),
                           provenance(name).says) for name in RULE_SETTINGS]
    assert [row[0].strip("`") for row in _table("Where the values come from")] == list(SOURCES)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_explainer_says_the_same(lang):
    """The explainer's practice texts quote the settings themselves, in the reader's language."""
    values = DEFAULTS.rule_values()
    scoring = translate("explainer.practice.scoring", lang, **values)
    rhythm = translate("explainer.practice.rhythm", lang, **values)
    for text in (scoring, rhythm):
        assert "{" not in text
    for name in ("aspirational_end_point", "grade_green_from", "grade_yellow_from", "raise_ambition_mean_grade"):
        assert format_number(getattr(DEFAULTS, name), lang) in scoring, name
    assert "ClickUp" in scoring and "Google" in scoring
    assert str(DEFAULTS.checkin_interval_days) in rhythm
    stale = translate("explainer.stale_check", lang, label="x", days=DEFAULTS.checkin_interval_days)
    assert "{" not in stale and "7" in stale


def test_a_company_that_sets_other_thresholds_reads_them_in_the_explainer():
    other = Settings(raise_ambition_mean_grade=0.85, grade_green_from=0.6).rule_values()
    assert "0.85 or more" in translate("explainer.practice.scoring", "en", **other)
    assert "mulai 0,6 hijau" in translate("explainer.practice.scoring", "id", **other)
