"""The demo company's planned statuses come from the rules (okrdash/rules.py), whatever the thresholds."""

from __future__ import annotations

import pytest

from okrdash import demo
from okrdash.models import Cycle
from okrdash.settings import Settings
from okrdash.store import open_store

STATUS_OF_PLAN = {"done": "Complete", "on": "On Track", "risk": "At Risk", "off": "Off Track"}


@pytest.mark.parametrize("config", [
    Settings(),
    Settings(on_track_ratio=0.8, on_track_gap=0.2, at_risk_ratio=0.5, at_risk_gap=0.3),
], ids=["default thresholds", "a more lenient company"])
def test_every_demo_key_result_lands_in_its_planned_status(config):
    """The demo plans each key result's values to land in a status (the story of its pages); it asks
    the rules where each status begins, so a company with other thresholds gets the same story. (Key
    results counted in a few whole steps, three case studies, can round into the next band: only
    those with twenty steps or more are held to it.)"""
    planned = {(objective.team, kr.title): STATUS_OF_PLAN[kr.plan] for objective in demo._CURRENT
               for kr in objective.krs if not kr.kpi and kr.kind == "" and kr.plan in STATUS_OF_PLAN
               and abs(kr.target - kr.baseline) * 10 ** kr.decimals >= 20}
    store = open_store(":memory:", config)
    try:
        demo.load_demo(store, demo.DEMO_ANCHOR)
        scored = store.kr_scores(demo.DEMO_ANCHOR, cycle=Cycle.containing(demo.DEMO_ANCHOR).name)
        found = {(team, title): status for team, title, status
                 in zip(scored["team"], scored["title"], scored["status_by_numbers"], strict=True)
                 if (team, title) in planned}
    finally:
        store.close()
    assert len(planned) > 30 and found == planned


def test_the_shipped_demo_files_are_the_demo_as_built():
    """data/demo is build_demo_files(DEMO_ANCHOR): asking the rules changed nothing in them."""
    built = demo.build_demo_files(demo.DEMO_ANCHOR)
    for name, text in built.items():
        assert (demo.Path(__file__).resolve().parents[1] / "data" / "demo" / name).read_text(encoding="utf-8") == text
