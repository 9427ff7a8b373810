"""Import a rendered company into an empty store, read back what was stored, compare it with what the
files say, and classify the outcome.

- **exact**: everything the files say is stored as the writer meant it, and nothing else;
- **asked**: the import stopped with questions only (:data:`ASKING_CODES`); a question about the
  number format or the date order is answered as the file's writer would, and the import is tried
  again (the outcome is then that of the answered import);
- **refused**: the import stopped with another problem;
- **wrong**: the import stored a different number, date, text or mapping, stored something the
  files do not say, left out something they do say, or stored where it had to ask.

"wrong" always fails. For a shape okrdash documents (or issue 21 requires) as readable, anything but
"exact" fails (its writer's files say everything, so once the number format and the date order are
answered there is nothing left to ask), unless the files are such that only a question is right
(:attr:`Expected.must_ask`). For other shapes a question or a refusal naming what is missing is as
right as a correct import; the two are counted apart.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from okrdash.importing import ReadingChoices, Upload, import_files
from okrdash.problems import ImportFailed, Problem
from okrdash.store import Store
from tests.oracle.spelling import Convention

# Problems that ask the person something the file cannot say, or name a meaning it lacks. A reader
# fix that adds a new question adds its code here.
# A column written two ways ("numbers_mixed": "1.130", a ratio of three decimals, beside "0.1") is
# answered by the number format too, as the Upload page and --numbers do.
ANSWERABLE_CODES = frozenset({"numbers_ambiguous", "numbers_mixed", "dates_ambiguous"})
ASKING_CODES = ANSWERABLE_CODES | frozenset({"period_needs_year", "period_week_number", "numbers_only_in_ignored",
                                             "header_missing", "achievement_from_where",
                                             "percent_scale_undecided"})


@dataclass(frozen=True)
class Share:
    """A value the file gives as progress: the stored value must be this share of the way from the
    stored baseline to the stored target."""

    share: float


@dataclass
class Expected:
    """What the rendered files say, keyed by names as the writer wrote them."""

    objectives: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (cycle, team, title)
    key_results: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)  # + kr title
    checkins: dict[tuple[str, str, dt.date], float | Share] = field(default_factory=dict)  # (team, kr, date)
    kpis: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (team, name)
    measurements: dict[tuple[str, str, dt.date], float] = field(default_factory=dict)
    # Why only a question is right (the files contradict themselves, or lack the date of a value).
    must_ask: list[str] = field(default_factory=list)


@dataclass
class Stored:
    objectives: dict[tuple[str, str, str], dict[str, Any]]
    key_results: dict[tuple[str, str, str, str], dict[str, Any]]
    checkins: dict[tuple[str, str, dt.date], float]
    kpis: dict[tuple[str, str], dict[str, Any]]
    measurements: dict[tuple[str, str, dt.date], float]


def stored(store: Store) -> Stored:
    """Everything an import wrote, by names."""
    with store.cursor() as cur:
        objectives = {(c, t, o): {"type": ty, "owner": ow} for c, t, o, ty, ow in cur.execute(
            "SELECT cycle, team, title, type, owner FROM objectives").fetchall()}
        key_results = {(c, t, o, k): {"kind": kind, "baseline": b, "target": tg, "unit": u, "owner": ow}
                       for c, t, o, k, kind, b, tg, u, ow in cur.execute(
            """SELECT o.cycle, o.team, o.title, k.title, k.kind, k.baseline, k.target, k.unit, k.owner
               FROM key_results k JOIN objectives o ON o.id = k.objective_id""").fetchall()}
        checkins = {(t, k, d): v for t, k, d, v in cur.execute(
            """SELECT o.team, k.title, c.date, c.value FROM checkins c JOIN key_results k ON k.id = c.key_result_id
               JOIN objectives o ON o.id = k.objective_id""").fetchall()}
        kpis = {(t, n): {"direction": d, "target": tg, "unit": u} for t, n, d, tg, u in cur.execute(
            "SELECT team, name, direction, target, unit FROM kpis").fetchall()}
        measurements = {(t, n, d): v for t, n, d, v in cur.execute(
            "SELECT k.team, k.name, m.date, m.value FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id").fetchall()}
    return Stored(objectives, key_results, checkins, kpis, measurements)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def differences(expected: Expected, found: Stored) -> list[str]:
    """Every way the store differs from what the files say, one line each."""
    out: list[str] = []

    def compare_keys(what: str, want: dict, got: dict) -> None:
        for key in want.keys() - got.keys():
            out.append(f"{what} {key}: missing (the file gives it)")
        for key in got.keys() - want.keys():
            out.append(f"{what} {key}: stored, but the file does not say it ({got[key]})")

    def compare_fields(what: str, want: dict, got: dict) -> None:
        for key in want.keys() & got.keys():
            for name, value in want[key].items():
                if not same(value, got[key][name]):
                    out.append(f"{what} {key}: {name} is {got[key][name]!r}, the file says {value!r}")

    compare_keys("objective", expected.objectives, found.objectives)
    compare_fields("objective", expected.objectives, found.objectives)
    compare_keys("key result", expected.key_results, found.key_results)
    compare_fields("key result", expected.key_results, found.key_results)
    compare_keys("check-in", expected.checkins, found.checkins)
    stored_krs = {(k[1], k[3]): fields for k, fields in found.key_results.items()}
    for key in expected.checkins.keys() & found.checkins.keys():
        want, got = expected.checkins[key], found.checkins[key]
        if isinstance(want, Share):
            kr = stored_krs.get(key[:2], {})
            baseline, target = kr.get("baseline"), kr.get("target")
            share = None if baseline is None or target is None or baseline == target else (
                (got - baseline) / (target - baseline))
            if share is None or not same(share, want.share):
                out.append(f"check-in {key}: value {got!r} is {share!r} of the way from baseline {baseline!r} "
                           f"to target {target!r}; the file says progress {want.share!r}")
        elif not same(float(want), got):
            out.append(f"check-in {key}: value is {got!r}, the file says {want!r}")
    compare_keys("KPI", expected.kpis, found.kpis)
    compare_fields("KPI", expected.kpis, found.kpis)
    compare_keys("measurement", expected.measurements, found.measurements)
    for key in expected.measurements.keys() & found.measurements.keys():
        if not same(expected.measurements[key], found.measurements[key]):
            out.append(f"measurement {key}: value is {found.measurements[key]!r}, "
                       f"the file says {expected.measurements[key]!r}")
    return sorted(out)


@dataclass
class Outcome:
    kind: str  # "exact", "asked", "refused", "wrong"
    problems: list[Problem] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    answers: ReadingChoices = field(default_factory=ReadingChoices)

    def describe(self) -> str:
        lines = [f"outcome: {self.kind}"]
        if self.answers != ReadingChoices():
            lines.append(f"after answering: numbers {self.answers.numbers}, dates {self.answers.dates}")
        lines += [f"  problem {p.code}: {p.describe('en')}" for p in self.problems[:12]]
        lines += [f"  {d}" for d in self.differences[:40]]
        if len(self.differences) > 40:
            lines.append(f"  ... {len(self.differences) - 40} more differences")
        return "\n".join(lines)


def import_and_compare(store: Store, files: list[tuple[str, bytes]], expected: Expected, conv: Convention,
                       today: dt.date) -> Outcome:
    """Import ``files`` into the empty ``store`` (answering a number-format or date-order question as
    the writer of ``conv`` would) and classify what happened."""
    answers = ReadingChoices()
    while True:  # each question is answered once: at most three tries
        try:
            import_files(store, [Upload(name, data) for name, data in files], today=today, choices=answers)
        except ImportFailed as failed:
            codes = {p.code for p in failed.problems}
            answered = ReadingChoices(numbers=conv.number_format if codes & {"numbers_ambiguous", "numbers_mixed"}
                                      else answers.numbers,
                                      dates=conv.date_order if "dates_ambiguous" in codes else answers.dates)
            if codes <= ANSWERABLE_CODES and answered != answers:
                answers = answered
                continue
            return Outcome("asked" if codes <= ASKING_CODES else "refused", failed.problems, answers=answers)
        if expected.must_ask:
            return Outcome("wrong", differences=[f"stored, but only a question is right: {why}"
                                                 for why in expected.must_ask], answers=answers)
        found = differences(expected, stored(store))
        return Outcome("wrong" if found else "exact", differences=found, answers=answers)
