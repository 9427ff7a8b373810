"""What an okrs row's columns say about its key result's numbers, settled once per row.

A row may give its key result's kind in several places (a kind column, a polarity column, a target
written ``<= 24``), its value in several forms (a current value, a progress share, an achievement
share, a status word) and its scale in none. Each is used, never dropped: where they agree the row
is read; where one gives what another lacks, the missing number is worked out and the reading says
so; where they disagree, or a number cannot be worked out, the row is a problem that says why.

- progress ``p`` is (current − baseline) / (target − baseline); achievement ``a`` is current / target
  (target / current, or 2 − current / target, for a key result that lowers something);
- a share is compared within the rounding of the cell that wrote it (``60%``: ±0.5 points);
- a progress or achievement alone, with no baseline and target, is the share done of a key result
  measured from 0 to 100% (or 0 to 1 when the cell is a share): the documented progress-only sheet.

Pure: rows in, settled numbers, notes and problems out; importing/validation.py calls it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from okrdash.models import KRKind, parse_enum
from okrdash.problems import localised
from okrdash.vocabulary import parse_word

# A kind, and the direction each kind moves in.
_KIND_OF_DIRECTION = {"higher_is_better": KRKind.INCREASE, "lower_is_better": KRKind.DECREASE}
_HIGHER = {KRKind.INCREASE, KRKind.AT_LEAST}
_LOWER = {KRKind.DECREASE, KRKind.AT_MOST}
_DIGITS_AFTER_SEPARATOR = re.compile(r"[.,]([0-9]+)\s*%?\s*$")


@dataclass
class Problem:
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settled:
    """A row's key result numbers once every column had its say; ``derived``: what was worked out."""

    kind: KRKind | None
    baseline: float | None
    target: float | None
    current: float | None
    unit: str | None
    derived: str | None = None  # "progress", "achievement", "status": the column a current value came from
    problem: Problem | None = None


def share(value: float | None, text: str | None, points: bool) -> tuple[float | None, float]:
    """A progress or achievement cell as a share (0.65) and the share its rounding spans: ``points``
    when the cell is on a 0-100 scale (its own "%", or its column's)."""
    if value is None or text is None:
        return None, 0.0
    scale = 100.0 if points else 1.0
    found = _DIGITS_AFTER_SEPARATOR.search(text)
    decimals = len(found[1]) if found else 0
    if not points and not decimals:
        # A whole number on the 0-1 scale (0, 1, 2 for 200%) is written exactly: no sheet rounds 0.3 to
        # "0" in a share column (it would show "0%"), and a span of a half would let a 0 beside a
        # baseline pass for both readings of an achievement (tests/oracle, achievement-column).
        return value, 1e-9
    return value / scale, 0.5 * 10.0 ** -decimals / scale + 1e-9


def settle(row: dict[str, Any]) -> Settled:
    """The kind, baseline, target and current value a row says, or the problem that keeps it from saying one.

    ``row`` holds the parsed cells: ``kind``, ``direction``, ``target_bound`` ("at_most", "at_least" or
    None), ``baseline_value``, ``target_value``, ``current_value`` (a number or, for a
    milestone, ``current_milestone``), ``status_milestone``, and the shares ``progress_share`` /
    ``achievement_share`` with their ``*_points`` scale and cell text.
    """
    if row["baseline_value"] is None and row.get("target_unit") == "%" and row["target_value"] in (1.0, 100.0):
        row["baseline_value"] = 0.0  # "Target 100%" with no baseline is measured from 0 (documented)
    if not (row.get("direction") or row.get("target_bound") or row.get("status_milestone") is not None
            or row.get("progress_share") is not None or row.get("achievement_share") is not None):
        kind = parse_enum(KRKind, row["kind"]) if row.get("kind") else None  # (most rows: nothing more to settle)
        return Settled(kind, row["baseline_value"], row["target_value"], _current(row, kind), _unit(row))
    kind, problem = _kind(row)
    settled = Settled(kind, row["baseline_value"], row["target_value"], _current(row, kind), _unit(row), problem=problem)
    if problem is None:
        for step in (_status, _progress, _achievement):
            step(row, settled)
            if settled.problem is not None:
                break
    return settled


def _unit(row: dict[str, Any]) -> str | None:
    return row.get("unit") or row.get("target_unit") or row.get("baseline_unit")


def _current(row: dict[str, Any], kind: KRKind | None) -> float | None:
    if kind is KRKind.MILESTONE and row.get("current_milestone") is not None:
        return row["current_milestone"]
    return row.get("current_value")


def _kind(row: dict[str, Any]) -> tuple[KRKind | None, Problem | None]:
    """The kind from the kind column, the polarity column and a bound written in the target, which must agree."""
    stated = parse_enum(KRKind, row["kind"]) if row.get("kind") else None
    direction = parse_word("Direction", row["direction"]) if row.get("direction") else None
    bound = row.get("target_bound")
    if direction == "range":
        return stated, Problem("direction", "direction_range_key_result")
    from_bound = KRKind(bound) if bound else None
    from_direction = _KIND_OF_DIRECTION.get(direction) if direction else None
    for other, column in ((from_bound, "target"), (from_direction, "direction")):
        if stated is not None and other is not None and _moves(stated) != _moves(other):
            return stated, Problem(column, "kind_contradicts_direction", {"kind": stated.value})
    if from_bound is not None and from_direction is not None and _moves(from_bound) != _moves(from_direction):
        return stated, Problem("direction", "kind_contradicts_direction", {"kind": from_bound.value})
    return stated or from_bound or from_direction, None


def _moves(kind: KRKind) -> str:
    return "up" if kind in _HIGHER else "down" if kind in _LOWER else "done"


def _status(row: dict[str, Any], settled: Settled) -> None:
    """Achieved / not achieved: a milestone's value; a number key result needs its current value written."""
    done = row.get("status_milestone")
    if done is None:
        return
    numbers = settled.baseline is not None or settled.target is not None or row.get("progress_share") is not None
    if settled.kind is None and not numbers and settled.current is None:
        settled.kind = KRKind.MILESTONE
    if settled.kind is KRKind.MILESTONE:
        if settled.current is None:
            settled.current, settled.derived = done, "status"
        elif settled.current != done:
            settled.problem = Problem("status", "status_disagrees", {
                "current": settled.current, "status_word": localised("meaning.done" if done else "meaning.not_done")})
    elif done and settled.current is None and row.get("achievement_share") is None and row.get("progress_share") is None:
        # "Tercapai" says the target was met, but not the value; "belum" says nothing to record.
        settled.problem = Problem("status", "status_needs_value")


def _progress(row: dict[str, Any], settled: Settled) -> None:
    p, spread = share(row.get("progress_share"), row.get("progress"), bool(row.get("progress_points")))
    if p is None:
        return
    _from_share(settled, p, spread, bool(row.get("progress_points")), "progress")


def _achievement(row: dict[str, Any], settled: Settled) -> None:
    a, spread = share(row.get("achievement_share"), row.get("achievement"), bool(row.get("achievement_points")))
    if a is None:
        return
    if settled.kind is KRKind.MILESTONE:
        expected = 1.0 if a >= 1 else 0.0
        if settled.current is None:
            settled.current, settled.derived = expected, "achievement"
        elif settled.current != expected:
            settled.problem = Problem("achievement", "achievement_disagrees", {"current": settled.current})
        return
    if settled.current is None and _kind_now(settled) in (None, *_HIGHER) and settled.baseline \
            and settled.target is not None and settled.target != settled.baseline:
        # Beside a baseline other than 0, "Capaian 13%" is actual over target in some sheets and the
        # way from the baseline in others; where the two give different values, the file must say. Even
        # where both lie within the cell's rounding ("-0.0", "0.3" beside a wide range): the writer meant
        # one of them exactly, and a value from the other would read back as another share.
        over_target = a * settled.target
        from_baseline = settled.baseline + a * (settled.target - settled.baseline)
        if not math.isclose(over_target, from_baseline, rel_tol=1e-9, abs_tol=1e-9):
            settled.problem = Problem("achievement", "achievement_from_where", {
                "over_target": round(over_target, 9), "from_baseline": round(from_baseline, 9)})
            return
    _from_share(settled, a, spread, bool(row.get("achievement_points")), "achievement")


def _from_share(settled: Settled, value: float, spread: float, points: bool, column: str) -> None:
    """Check the current value against a share, or work the current value out from it."""
    if settled.baseline is None and settled.target is None:
        if settled.current is None:  # progress-only: measured from 0 to 100% (or 0 to 1)
            scale = 100.0 if points else 1.0
            settled.baseline, settled.target, settled.current = 0.0, scale, round(value * scale, 9)
            settled.unit = settled.unit or ("%" if points else None)
            settled.derived = column
        return
    if settled.current is not None:
        # A share beside the value it was worked out from is a check: sheets work a "progress" out as
        # value over target as often as from the baseline, and either agrees.
        shares = [*(_progress_of(settled, settled.current) or []),
                  *(achievement_shares(settled, settled.current) or [])]
        if shares and not any(abs(s - value) <= spread for s in shares):
            settled.problem = Problem(column, f"{column}_disagrees", {"current": settled.current})
        return
    current = _current_from(settled, value, column)
    if current is None:
        settled.problem = Problem(column, f"{column}_needs_numbers")
    else:
        settled.current, settled.derived = round(current, 9), column


def _kind_now(settled: Settled) -> KRKind | None:
    if settled.kind is not None:
        return settled.kind
    if settled.baseline is not None and settled.target is not None and settled.baseline != settled.target:
        return KRKind.INCREASE if settled.target > settled.baseline else KRKind.DECREASE
    return None


def _progress_of(settled: Settled, current: float) -> list[float] | None:
    if _kind_now(settled) not in (KRKind.INCREASE, KRKind.DECREASE) or settled.baseline is None \
            or settled.target is None or settled.target == settled.baseline:
        return None
    return [(current - settled.baseline) / (settled.target - settled.baseline)]


def achievement_shares(settled: Settled, current: float) -> list[float] | None:
    """What the achievement of ``current`` is against the target, each way it is measured."""
    if settled.target in (None, 0):
        return None
    kind = _kind_now(settled)
    if kind in _LOWER:  # the two ways reports measure achievement of a lower-is-better target
        return [settled.target / current if current else float("inf"), 2 - current / settled.target]
    return [current / settled.target]


def _current_from(settled: Settled, value: float, column: str) -> float | None:
    """The current value a share gives, where it gives exactly one."""
    kind = _kind_now(settled)
    target = settled.target
    if column == "achievement":
        if target is not None and kind in (None, *_HIGHER):
            return value * target
        return None
    baseline = settled.baseline
    if baseline is None or target is None or kind not in (KRKind.INCREASE, KRKind.DECREASE):
        return None
    return baseline + value * (target - baseline)


# -- a percent column's scale ----------------------------------------------------------------------------

_PERCENT_HEADER = re.compile(r"%|\b(persen|percent|pct|prosentase|persentase)\b", re.I)


@dataclass(frozen=True)
class Scale:
    """How a percent column's cells without a "%" are read: on a 0-100 scale (``points``) or as shares,
    and a cell that shows it; or, when its cells disagree, two that do (``asked``)."""

    points: bool
    line: int | None = None
    value: str | None = None
    asked: tuple[tuple[int, str], tuple[int, str]] | None = None
    # Every cell without a "%" lies between 1 and 2: 2 is 2% or 200% (over-achievement), and nothing says which.
    undecided: tuple[int, str] | None = None


def percent_scale(header: str, stats: dict[str, Any]) -> Scale:
    """Decided per cell first (a "%" is its own scale), then by the column's other cells, never by its
    largest value alone (over 100% achievement is normal): ``stats`` counts its cells without a "%":
    ``fractions`` strictly between 0 and 1, ``large`` above 2, ``between`` from 1 (excluded) to 2, ``ones``
    equal to 1; ``percents`` its cells with a "%"; and the first line and text of a fraction, a large
    one and a one. A column whose every bare cell lies from 1 to 2 is ``undecided`` (asked)."""
    fraction, large, one = stats["fraction"], stats["large_cell"], stats["one"]
    if _PERCENT_HEADER.search(header):
        return Scale(True)
    if stats["large"] and not stats["fractions"]:
        return Scale(True, *large)
    if not stats["large"] and not stats["percents"] and (stats["fractions"] or not stats["between"]):
        return Scale(False, *(fraction if stats["fractions"] else one if stats["ones"] else (None, None)))
    if not stats["large"] and not stats["fractions"] and not stats["between"] and not stats["ones"]:
        return Scale(True)  # only zeros beside "%" cells
    if not stats["large"] and not stats["fractions"] and not stats["percents"]:
        return Scale(False, undecided=stats["middle"])
    return Scale(False, asked=(fraction if stats["fractions"] else one if stats["ones"] else stats["middle"],
                               large if stats["large"] else stats["percent_cell"]))
