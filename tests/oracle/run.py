"""Run one scenario for a number of examples against one store, emptied before each example.

A failing example (a wrong import, or a refusal of a readable shape) raises :class:`OracleFailure`
with the company, the files (saved under ``folder``) and the differing values; Hypothesis shrinks
it first, so the failure shown is the smallest company it found.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from okrdash.access import admin_writer
from okrdash.store import Store, open_store
from tests.oracle.check import Outcome, import_and_compare
from tests.oracle.scenarios import Rendered, Scenario


class OracleFailure(AssertionError):
    """An import stored what its files do not say, or refused a shape okrdash reads."""

    tally: Tally | None = None  # what the run saw up to the failure (set by run_scenario)


@dataclass
class Tally:
    """What a run saw: outcomes, the classes of issue 21 present, the problem codes of questions and refusals."""

    outcomes: Counter[str] = field(default_factory=Counter)
    situations: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)  # questions answered before the outcome
    examples: int = 0

    def add(self, rendered: Rendered, outcome: Outcome) -> None:
        self.examples += 1
        self.outcomes[outcome.kind] += 1
        self.situations.update(rendered.situations)
        self.codes.update({p.code for p in outcome.problems})
        self.answered.update(question for question, answer in (("number format", outcome.answers.numbers),
                                                                 ("date order", outcome.answers.dates)) if answer)

    def summary(self) -> str:
        outcomes = ", ".join(f"{kind} {self.outcomes[kind]}" for kind in ("exact", "asked", "refused", "wrong"))
        situations = ", ".join(f"{c}: {n}" for c, n in sorted(self.situations.items())) or "-"
        codes = ", ".join(f"{c} {n}" for c, n in self.codes.most_common()) or "-"
        answered = ", ".join(f"{q} {n}" for q, n in self.answered.items()) or "-"
        return (f"{self.examples} imports: {outcomes}; questions answered: {answered}; classes present: "
                f"{situations}; problem codes: {codes}")


def failing(scenario: Scenario, rendered: Rendered, outcome: Outcome) -> bool:
    """A wrong import always fails. A readable shape must be read, its number-format and date-order
    questions answered, unless its files are such that only a question is right."""
    if outcome.kind == "wrong":
        return True
    return scenario.readable and not rendered.expected.must_ask and outcome.kind != "exact"


def check(scenario: Scenario, rendered: Rendered, store: Store, folder: Path, tally: Tally) -> None:
    """Import one rendered example into the emptied ``store``; raise OracleFailure when it fails."""
    store.reset(admin_writer("oracle"))
    outcome = import_and_compare(store, rendered.files, rendered.expected, rendered.convention,
                                 rendered.company.today)
    tally.add(rendered, outcome)
    if failing(scenario, rendered, outcome):
        digest = hashlib.sha256(b"".join(data for _, data in rendered.files)).hexdigest()[:10]
        saved = folder / scenario.name / digest
        rendered.save(saved)
        why = "a silently wrong import" if outcome.kind == "wrong" else f"a readable shape {outcome.kind}"
        raise OracleFailure(f"{scenario.name}: {why}\n{outcome.describe()}\n{rendered.describe(saved)}")


# Examples per scenario: "oracle" is the CI profile (10 each, 320 imports: about 100 CPU s, the
# suite's largest single cost at 15; every example still renders each class its scenario names),
# "oracle-long" a run by hand. OKRDASH_ORACLE_PROFILE picks one and OKRDASH_ORACLE_EXAMPLES
# overrides its count.
settings.register_profile("oracle", max_examples=10, deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                 HealthCheck.data_too_large])
settings.register_profile("oracle-long", settings.get_profile("oracle"), max_examples=500)


def examples_per_scenario() -> int:
    profile = settings.get_profile(os.environ.get("OKRDASH_ORACLE_PROFILE", "oracle"))
    return int(os.environ.get("OKRDASH_ORACLE_EXAMPLES", profile.max_examples))


def run_scenario(scenario: Scenario, examples: int, folder: Path, *, shrink: bool = True) -> Tally:
    """``examples`` examples of ``scenario``; raises OracleFailure with the (shrunk) failing example.

    With the "oracle" profile (``make test``, CI) hypothesis replays a fixed seed, so a red run
    should mean a regression, not a new draw (some draws still follow the process's string hash
    order). "oracle-long" draws new examples each run: that is the run that explores.
    """
    tally = Tally()
    store = open_store(":memory:")
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(settings.get_profile("oracle"), max_examples=examples, phases=phases,
              derandomize=os.environ.get("OKRDASH_ORACLE_PROFILE", "oracle") == "oracle")
    @given(scenario.renderings())
    def examples_of(rendered: Rendered) -> None:
        check(scenario, rendered, store, folder, tally)

    try:
        examples_of()
    except OracleFailure as failed:
        failed.tally = tally
        raise
    finally:
        store.close()
    return tally
