"""Synthetic companies of a given size, written as the CSV files a user would upload.

    .venv/bin/python -m bench.generate --size medium --out bench/.work/medium
    .venv/bin/python -m bench.generate --size large  --out bench/.work/large

Writes ``okrs.csv``, ``checkins.csv`` and ``kpis.csv`` (canonical headers from docs/csv-format.md,
comma-delimited, UTF-8, LF, ISO dates, dot decimals, no thousands separators) and ``manifest.json``
(counts, bytes, seed, as-of date, generation time).

Sizes (teams / objectives / key results / check-ins / KPIs x days):

- ``demo``: the demo company, ``okrdash.demo.build_demo_files(DEMO_ANCHOR)``;
- ``medium``: 200 / 800 / 3,000 / 40,000 / 500 x 365 (182,500 measurements);
- ``large``: 2,000 / 8,000 / 30,000 / 400,000 / 5,000 x 365 (1,825,000 measurements).

The company at the fixed as-of date 2026-11-22 (the demo anchor):

- two cycles: 2026-Q3 (finished) and 2026-Q4 (in progress, 57% elapsed); the objectives are split
  evenly between them, so each cycle has 4,000 objectives and 15,000 key results at *large*;
- team 0 is ``Company`` with the company objectives of each cycle; 85% of the team objectives
  name one of them as ``parent_objective``; 40% committed, 60% aspirational;
- key result kinds: 55% increase, 20% decrease, 12% milestone, 7% at_least, 6% at_most; about 1.5%
  of increase/decrease key results of teams that own KPIs are linked to one (``kpi`` column) and
  take their values from its measurements (they get no check-ins, as the importer requires);
- current-cycle plans: 8% done, 50% on track, 22% at risk, 20% off track; 3% have no check-in yet
  (No Data), 5% stopped checking in 20 days ago (stale), 4% of on-track ones report a confidence
  of 2 (the low-confidence cap);
- check-ins are spread over each key result's cycle (cadences from twice a week to every other
  week) and the total is exactly the size's count; 15% carry a note, some with commas (quoted);
- KPIs: 60% higher_is_better, 30% lower_is_better, 10% range; one value per day for 365 days up
  to the as-of date, with the ``target`` on every row (20% raised it at the start of Q4) and the
  definition columns (unit, direction, min, max, tolerance, ...) on the KPI's first row only:
  repeated on every row, the large file is ~290 MB and the importer refuses it
  (``OKRDASH_MAX_UPLOAD_BYTES`` = 200 MB). Use ``--kpi-definitions every`` to write that file.
  Final values aim at 55% On Track, 25% At Risk, 18% Off Track, 2% without a target.

Numbers are plain (``1234.5``) so a bare typed DuckDB ``read_csv`` reads the same files; the
format's other spellings (``Rp150.000``, ``45%``, decimal commas) are covered by the importer tests.
Deterministic: the same size and seed always give the same bytes. Where each status begins, and the
progress expected by a cycle's end, are asked of the rules (okrdash/rules.py, with the settings'
thresholds); nothing here restates them.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from okrdash.demo import CHECKIN_COLUMNS, DEMO_ANCHOR, KPI_COLUMNS, OKR_COLUMNS, build_demo_files
from okrdash.rules import Rules, StatusFloors

AS_OF: date = DEMO_ANCHOR  # 2026-11-22
SEED = 20261122


@dataclass(frozen=True)
class Size:
    teams: int
    objectives: int
    key_results: int
    checkins: int
    kpis: int
    days: int


SIZES: dict[str, Size] = {
    "medium": Size(teams=200, objectives=800, key_results=3_000, checkins=40_000, kpis=500, days=365),
    "large": Size(teams=2_000, objectives=8_000, key_results=30_000, checkins=400_000, kpis=5_000, days=365),
}
ALL_SIZES = ("demo", *SIZES)


@dataclass(frozen=True)
class Cycle:
    name: str
    start: date
    end: date

    def share(self, day: date) -> float:
        return min(1.0, max(0.0, (day - self.start).days / (self.end - self.start).days))


PREVIOUS = Cycle("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))
CURRENT = Cycle("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
COMPANY = "Company"

# -- names ----------------------------------------------------------------------------------------

DEPARTMENTS = (
    "Engineering", "Product", "Marketing", "Sales", "Customer Success", "Customer Support", "HR",
    "Finance", "Operations", "Data", "Design", "Security", "Legal", "Procurement", "Logistics",
    "Partnerships",
)
AREAS = (
    "Payments", "Checkout", "Onboarding", "Mobile", "Web", "Search", "Billing", "Growth", "Platform",
    "Infrastructure", "Analytics", "Retention", "Enterprise", "SMB", "Jakarta", "Surabaya", "Bandung",
    "Medan", "Bali", "Makassar", "Semarang", "Yogyakarta", "Lending", "Insurance", "Merchant",
)
FIRST_NAMES = (
    "Andi", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika",
    "Lestari", "Maya", "Nina", "Oki", "Putri", "Rina", "Sari", "Teguh", "Utami", "Wahyu", "Yudi",
    "Zainal", "Ayu", "Bayu", "Dian", "Intan", "Rizky", "Siti", "Agus", "Bambang", "Nur",
)
LAST_NAMES = (
    "Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Siregar", "Lubis",
    "Halim", "Gunawan", "Setiawan", "Susanto", "Wibowo", "Hakim", "Rahman", "Tanjung", "Harahap",
    "Simanjuntak", "Putra", "Sutanto", "Purnomo", "Firmansyah", "Hartono",
)
COMPANY_THEMES = (
    "Become the most trusted payments brand in Indonesia", "Win the merchant market outside Java",
    "Build a profitable and resilient company", "Make every customer a promoter",
    "Be the best place to work in Indonesian tech", "Ship products customers love every week",
    "Grow recurring revenue from existing accounts", "Run the most reliable platform in the region",
    "Expand into insurance and lending", "Make our data drive every decision",
    "Cut the cost to serve without hurting quality", "Lead the market in mobile experience",
)
TEAM_THEMES = (
    "Delight new customers in their first week", "Make our releases boring and safe",
    "Grow revenue from existing accounts", "Build a pipeline sales can rely on",
    "Make support fast and friendly", "Hire and keep great people", "Turn data into daily decisions",
    "Cut waste from our operations", "Ship a checkout customers trust", "Make the app feel instant",
    "Win back customers we lost", "Be ready for peak season", "Keep our customers' data safe",
    "Make onboarding effortless for merchants", "Launch in a new city", "Simplify our pricing",
    "Raise the quality of every release", "Make our partners successful", "Close the books faster",
    "Lower the cost of every transaction", "Make search find what people mean",
    "Grow the community around our brand", "Build a healthy engineering culture",
    "Make every invoice right the first time",
)
# (metric, unit, low, high, decimals)
METRICS = (
    ("weekly active users", "users", 1_000, 60_000, 0), ("activation rate", "%", 10, 90, 1),
    ("monthly recurring revenue", "Rp", 50_000_000, 5_000_000_000, 0), ("NPS", "points", -20, 70, 0),
    ("page load time", "ms", 200, 3_000, 0), ("ticket backlog", "tickets", 50, 2_000, 0),
    ("time to hire", "days", 10, 90, 0), ("churn rate", "%", 1, 15, 2),
    ("deployment frequency", "deploys per week", 1, 50, 1), ("conversion rate", "%", 0.5, 12, 2),
    ("qualified leads", "leads", 20, 3_000, 0), ("average reply time", "minutes", 5, 240, 0),
    ("gross margin", "%", 20, 70, 1), ("test coverage", "%", 30, 95, 1),
    ("merchant sign-ups", "merchants", 10, 5_000, 0), ("cost per transaction", "Rp", 500, 5_000, 0),
)
MILESTONES = (
    "Launch the new onboarding flow", "Sign the regional distribution partner",
    "Roll out the new career framework", "Migrate billing to the new platform",
    "Publish the data catalogue", "Open the Surabaya office", "Pass the ISO 27001 audit",
    "Release the merchant mobile app", "Replace the legacy search index", "Run the first customer summit",
)
KPI_NAMES = (
    ("Monthly recurring revenue", "Rp", 1e8, 5e9, 0, "finance"), ("Net revenue retention", "%", 85, 130, 1, "finance"),
    ("Customer churn rate", "%", 0.5, 8, 2, "service"), ("Net Promoter Score", "points", -10, 70, 0, "service"),
    ("First-contact resolution", "%", 60, 95, 1, "service"), ("Average reply time", "minutes", 5, 120, 1, "service"),
    ("Website conversion rate", "%", 0.5, 8, 2, "website"), ("Organic sessions", "sessions", 1e3, 5e5, 0, "website"),
    ("Qualified leads", "leads", 10, 2_000, 0, "marketing"), ("Cost per lead", "Rp", 5e4, 2e6, 0, "marketing"),
    ("Win rate", "%", 10, 60, 1, "sales"), ("Average deal size", "Rp", 5e6, 5e8, 0, "sales"),
    ("Employee retention", "%", 80, 98, 1, "hr"), ("Time to hire", "days", 15, 90, 0, "hr"),
    ("Deployment frequency", "deploys", 1, 60, 0, "engineering"), ("Change failure rate", "%", 1, 30, 1, "engineering"),
    ("API error rate", "%", 0.01, 2, 3, "engineering"), ("p95 latency", "ms", 80, 2_000, 0, "engineering"),
    ("Weekly active users", "users", 1e3, 1e6, 0, "product"), ("Feature adoption", "%", 5, 80, 1, "product"),
    ("On-time delivery", "%", 80, 99.5, 1, "operations"), ("Inventory days", "days", 5, 90, 0, "operations"),
    ("Overtime hours per week", "hours", 1, 15, 1, "hr"), ("Training completed", "%", 40, 100, 1, "hr"),
)
NOTES = (
    "On plan", "Steady progress this week", "Ahead of plan after the last release", "Good week",
    "Slower than planned", "Waiting on another team", "Blocked, escalated to the lead",
    "Needs a new approach", "Went the wrong way this week", "Scope agreed, work starts Monday",
    'Vendor said "next week", again', "Numbers from the finance dashboard",
)


def team_name(index: int) -> str:
    if index == 0:
        return COMPANY
    i = index - 1
    base = f"{DEPARTMENTS[i % len(DEPARTMENTS)]} {AREAS[(i // len(DEPARTMENTS)) % len(AREAS)]}"
    squad = i // (len(DEPARTMENTS) * len(AREAS))
    return base if squad == 0 else f"{base} {squad + 1}"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def fmt(value: float | None, decimals: int = 2) -> str:
    """Plain number: dot decimals, no thousands separators, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def quote(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# -- model ----------------------------------------------------------------------------------------


@dataclass
class KR:
    cycle: Cycle
    team: str
    objective: str
    aspirational: bool
    title: str
    owner: str
    kind: str
    baseline: float | None
    target: float | None
    unit: str
    decimals: int
    weight: float
    kpi: str | None = None
    plan: str = "on"              # done / on / risk / off / nodata
    stale: bool = False
    low_confidence: bool = False
    final: float = 0.0            # progress (or share in bound) at the last check-in
    checkins: int = 0
    window: tuple[date, date] = field(default=(PREVIOUS.start, PREVIOUS.end))


@dataclass
class KpiSeries:
    team: str
    name: str
    direction: str
    start_values: dict[date, float]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _wanted_progress(plan: str, expected: float, floors: StatusFloors, rng: random.Random) -> float:
    """Progress at the as-of date in the middle of the planned status band, given where the rules
    begin On Track and At Risk at the expected progress (``floors``)."""
    on_from, risk_from = floors
    if plan == "done":
        return 1.0
    if plan == "on":
        return min(0.97, max(on_from, expected) * rng.uniform(1.03, 1.25))
    if plan == "risk":
        return risk_from + (on_from - risk_from) * rng.uniform(0.3, 0.7)
    return risk_from * rng.uniform(-0.3, 0.6)


class Generator:
    def __init__(self, size: Size, seed: int = SEED):
        self.size, self.rng = size, random.Random(seed)
        self.teams = [team_name(i) for i in range(size.teams)]
        self.kpis: dict[str, list[KpiSeries]] = {}
        # What the rules expect of each objective type by the end of a cycle, and where their statuses
        # begin at the progress expected on each cycle's last day of check-ins.
        with Rules() as rules:
            self.end_points = {kind: rules.end_point(kind) for kind in ("committed", "aspirational")}
            expected = sorted({end * max(cycle.share(day), 0.01) for end in self.end_points.values()
                               for cycle, day in ((CURRENT, AS_OF), (PREVIOUS, PREVIOUS.end))})
            self.floors = dict(zip(expected, rules.status_floors(expected), strict=True))

    # KPIs -----------------------------------------------------------------------------------------

    def write_kpis(self, path: Path, definitions: str = "first") -> int:
        rng, size = self.rng, self.size
        days = [AS_OF - timedelta(days=size.days - 1 - i) for i in range(size.days)]
        iso = [d.isoformat() for d in days]
        q4_index = next(i for i, d in enumerate(days) if d >= CURRENT.start)
        cycle_starts = [(c, days.index(c.start)) for c in (PREVIOUS, CURRENT) if c.start in days]
        per_team: dict[int, int] = {}
        rows = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(",".join(KPI_COLUMNS) + "\n")
            for j in range(size.kpis):
                team_index = j % size.teams
                team = self.teams[team_index]
                n = per_team.get(team_index, 0)
                per_team[team_index] = n + 1
                base_name, unit, low, high, decimals, category = KPI_NAMES[(team_index * 7 + n) % len(KPI_NAMES)]
                name = base_name if n < len(KPI_NAMES) else f"{base_name} {n // len(KPI_NAMES) + 1}"
                direction = _pick(rng, {"higher_is_better": 0.6, "lower_is_better": 0.3, "range": 0.1})
                plan = _pick(rng, {"on": 0.55, "risk": 0.25, "off": 0.18, "notarget": 0.02})
                target = round(rng.uniform(low + (high - low) * 0.2, high * 0.9), decimals)
                target = target if target != 0 else 1.0
                lo_bound = hi_bound = None
                tolerance = round(abs(target) * rng.choice((0.05, 0.08)), decimals) if rng.random() < 0.3 else None
                if tolerance == 0:
                    tolerance = None
                tol = tolerance if tolerance is not None else 0.1 * abs(target)
                if direction == "range":
                    lo_bound, hi_bound = round(target * 0.85, decimals), round(target * 1.15, decimals)
                    if lo_bound >= hi_bound:
                        hi_bound = lo_bound + 1
                    width = hi_bound - lo_bound
                    tol = tolerance if tolerance is not None else 0.1 * width
                    final = {"on": rng.uniform(lo_bound + width * 0.2, hi_bound - width * 0.2),
                             "risk": hi_bound + tol * rng.uniform(0.2, 0.8),
                             "off": hi_bound + tol * rng.uniform(1.5, 3.0)}.get(plan, target)
                    target_text = fmt(target, decimals)
                else:
                    sign = 1 if direction == "higher_is_better" else -1
                    final = {"on": target + sign * abs(target) * rng.uniform(0.0, 0.08),
                             "risk": target - sign * tol * rng.uniform(0.2, 0.8),
                             "off": target - sign * tol * rng.uniform(1.5, 3.0)}.get(plan, target * 0.9)
                    target_text = "" if plan == "notarget" else fmt(target, decimals)
                earlier = None
                if target_text and direction != "range" and rng.random() < 0.2:
                    earlier = fmt(target * (0.9 if direction == "higher_is_better" else 1.1), decimals)
                start = final * rng.uniform(0.7, 1.3)
                noise = abs(final - start) * 0.05 + abs(target) * 0.01
                step = (final - start) / (size.days - 1)
                frequency = "daily"
                definition = ",".join((
                    unit, direction, fmt(lo_bound, decimals), fmt(hi_bound, decimals), fmt(tolerance, decimals),
                    frequency, _pick(rng, {"operational": 0.6, "strategic": 0.2, "functional": 0.2}),
                    _pick(rng, {"lagging": 0.6, "leading": 0.4}), category, person(rng),
                ))
                blank_definition = ",,,,,,,,,"
                values = [start + step * i + rng.gauss(0.0, noise) for i in range(size.days - 1)] + [final]
                if direction != "range" and low >= 0:
                    values = [max(v, 0.0) for v in values]
                prefix = f"{team},{name},"
                lines = []
                for i, value in enumerate(values):
                    row_target = earlier if earlier is not None and i < q4_index else target_text
                    tail = definition if (i == 0 or definitions == "every") else blank_definition
                    lines.append(f"{prefix}{iso[i]},{fmt(value, decimals)},{row_target},{tail}\n")
                out.write("".join(lines))
                rows += len(lines)
                self.kpis.setdefault(team, []).append(KpiSeries(team, name, direction, {
                    cycle.start: round(values[index], decimals) for cycle, index in cycle_starts}))
        return rows

    # OKRs -----------------------------------------------------------------------------------------

    def build_okrs(self) -> list[KR]:
        rng, size = self.rng, self.size
        krs: list[KR] = []
        objectives_by_cycle = ((PREVIOUS, size.objectives // 2), (CURRENT, size.objectives - size.objectives // 2))
        objective_list: list[tuple[Cycle, str, str, str, bool, str]] = []  # cycle, team, title, owner, aspirational, parent
        n_company = min(len(COMPANY_THEMES), max(3, size.teams // 200))
        for cycle, count in objectives_by_cycle:
            company_titles = list(COMPANY_THEMES[:n_company])
            for title in company_titles:
                objective_list.append((cycle, COMPANY, title, person(rng), rng.random() < 0.5, ""))
            per_team: dict[int, int] = {}
            for j in range(count - n_company):
                team_index = 1 + j % (size.teams - 1)
                n = per_team.get(team_index, 0)
                per_team[team_index] = n + 1
                theme = TEAM_THEMES[(team_index * 5 + n + (cycle is CURRENT) * 3) % len(TEAM_THEMES)]
                title = theme if n < len(TEAM_THEMES) else f"{theme} {n // len(TEAM_THEMES) + 1}"
                parent = rng.choice(company_titles) if rng.random() < 0.85 else ""
                objective_list.append((cycle, self.teams[team_index], title, person(rng), rng.random() < 0.6, parent))
        # Key results per objective: K // O each, one more for K % O of them.
        counts = [size.key_results // len(objective_list)] * len(objective_list)
        for index in rng.sample(range(len(objective_list)), size.key_results % len(objective_list)):
            counts[index] += 1
        kr_number: dict[tuple[str, str], int] = {}
        self.objectives = objective_list
        for (cycle, team, title, owner, aspirational, _parent), count in zip(objective_list, counts):
            for _ in range(count):
                number = kr_number.get((cycle.name, team), 0) + 1
                kr_number[(cycle.name, team)] = number
                krs.append(self._key_result(cycle, team, title, owner, aspirational, number))
        self._plan(krs)
        return krs

    def _key_result(self, cycle: Cycle, team: str, objective: str, objective_owner: str, aspirational: bool,
                    number: int) -> KR:
        rng = self.rng
        kind = _pick(rng, {"increase": 0.55, "decrease": 0.20, "milestone": 0.12, "at_least": 0.07, "at_most": 0.06})
        owner = objective_owner if rng.random() < 0.3 else person(rng)
        weight = rng.choice((0.5, 2.0)) if rng.random() < 0.15 else 1.0
        suffix = f" (KR {cycle.name[-1]}.{number})"
        if kind == "milestone":
            return KR(cycle, team, objective, aspirational, rng.choice(MILESTONES) + suffix, owner, kind,
                      None, None, "", 0, weight)
        metric, unit, low, high, decimals = METRICS[rng.randrange(len(METRICS))]
        team_kpis = self.kpis.get(team)
        if kind in ("increase", "decrease") and team_kpis and rng.random() < 0.015:
            series = rng.choice(team_kpis)
            start = series.start_values.get(cycle.start)
            if start is not None:
                kind = "increase" if series.direction != "lower_is_better" else "decrease"
                baseline = start
                target = start * (1.15 if kind == "increase" else 0.85) + (1 if kind == "increase" else -1)
                return KR(cycle, team, objective, aspirational, f"Move {series.name} with the KPI{suffix}", owner,
                          kind, round(baseline, 2), round(target, 2), "", 2, weight, kpi=series.name)
        span = high - low
        if kind == "increase":
            baseline = round(rng.uniform(low, low + span * 0.5), decimals)
            target = round(baseline + span * rng.uniform(0.1, 0.5), decimals)
            title = f"Increase {metric} to {fmt(target, decimals)}"
        elif kind == "decrease":
            baseline = round(rng.uniform(low + span * 0.5, high), decimals)
            target = round(baseline - span * rng.uniform(0.1, 0.45), decimals)
            title = f"Reduce {metric} to {fmt(target, decimals)}"
        else:
            baseline = None
            target = round(rng.uniform(low + span * 0.3, low + span * 0.7), decimals)
            title = f"Keep {metric} {'at least' if kind == 'at_least' else 'at most'} {fmt(target, decimals)}"
        if baseline is not None and baseline == target:
            target = baseline + 1
        return KR(cycle, team, objective, aspirational, title + suffix, owner, kind, baseline, target, unit,
                  decimals, weight)

    def _plan(self, krs: list[KR]) -> None:
        rng, size = self.rng, self.size
        for kr in krs:
            if kr.cycle is CURRENT:
                kr.plan = _pick(rng, {"done": 0.08, "on": 0.50, "risk": 0.22, "off": 0.20})
                if rng.random() < 0.03:
                    kr.plan = "nodata"
                kr.stale = rng.random() < 0.05
                kr.low_confidence = kr.plan == "on" and rng.random() < 0.04
                last = AS_OF - timedelta(days=20) if kr.stale else AS_OF
            else:
                kr.plan = _pick(rng, {"done": 0.25, "on": 0.45, "risk": 0.2, "off": 0.1})
                last = PREVIOUS.end
            kr.window = (kr.cycle.start + timedelta(days=3), last)
            factor = self.end_points["aspirational" if kr.aspirational else "committed"]
            if kr.kind in ("at_least", "at_most"):
                kr.final = {"done": 1.0, "on": 1.0 if not kr.aspirational else 0.9, "risk": 0.75, "off": 0.4}.get(kr.plan, 0.0)
            elif kr.kind == "milestone":
                kr.final = 1.0 if kr.plan == "done" or (kr.cycle is PREVIOUS and kr.plan == "on") else 0.0
            else:
                expected = factor * max(kr.cycle.share(AS_OF if kr.cycle is CURRENT else PREVIOUS.end), 0.01)
                kr.final = _wanted_progress(kr.plan if kr.plan != "nodata" else "on", expected,
                                            self.floors[expected], rng)
        # Exactly size.checkins check-ins, spread by window length and a per key result cadence.
        eligible = [kr for kr in krs if kr.kpi is None and kr.plan != "nodata"]
        windows = [(kr.window[1] - kr.window[0]).days + 1 for kr in eligible]
        weights = [w * rng.choice((0.5, 1.0, 1.0, 1.0, 2.0)) for w in windows]
        scale = size.checkins / sum(weights)
        for kr, window, weight in zip(eligible, windows, weights):
            kr.checkins = max(1, min(window, round(weight * scale)))
        difference = size.checkins - sum(kr.checkins for kr in eligible)
        while difference:
            index = rng.randrange(len(eligible))
            kr, window = eligible[index], windows[index]
            if difference > 0 and kr.checkins < window:
                kr.checkins += 1
                difference -= 1
            elif difference < 0 and kr.checkins > 1:
                kr.checkins -= 1
                difference += 1

    def write_okrs(self, path: Path, krs: list[KR]) -> int:
        parents = {(c.name, team, title): parent for c, team, title, _o, _a, parent in self.objectives}
        owners = {(c.name, team, title): owner for c, team, title, owner, _a, _p in self.objectives}
        lines = [",".join(OKR_COLUMNS) + "\n"]
        for kr in krs:
            key = (kr.cycle.name, kr.team, kr.objective)
            lines.append(",".join((
                kr.cycle.name, kr.cycle.start.isoformat(), kr.cycle.end.isoformat(), kr.team, kr.objective,
                owners[key], "aspirational" if kr.aspirational else "committed", parents[key], kr.title, kr.owner,
                kr.kind, fmt(kr.baseline, kr.decimals), fmt(kr.target, kr.decimals), kr.unit,
                fmt(kr.weight, 1), kr.kpi or "", "", "", "",
            )) + "\n")
        path.write_text("".join(lines), encoding="utf-8", newline="\n")
        return len(lines) - 1

    def write_checkins(self, path: Path, krs: list[KR]) -> int:
        rng = self.rng
        rows = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(",".join(CHECKIN_COLUMNS) + "\n")
            for kr in krs:
                n = kr.checkins
                if n == 0:
                    continue
                first, last = kr.window
                length = (last - first).days + 1
                days = [first + timedelta(days=(k + 1) * length // n - 1) for k in range(n)]
                shares = [kr.cycle.share(d) for d in days]
                last_share = max(shares[-1], 1e-6)
                values = self._values(kr, days, shares, last_share)
                lines = []
                prefix = f"{kr.team},{kr.title},{kr.cycle.name},"
                confidence_level = {"done": 9.0, "on": 7.5, "risk": 5.5, "off": 3.5}.get(kr.plan, 6.0)
                for k, (day, value) in enumerate(zip(days, values)):
                    level = max(0.0, min(10.0, confidence_level + rng.uniform(-1.5, 1.5)))
                    if k < 2:
                        level = max(level, 6.5)
                    if kr.low_confidence and k == n - 1:
                        level = 2.0
                    note = quote(rng.choice(NOTES)) if rng.random() < 0.15 else ""
                    lines.append(f"{prefix}{day.isoformat()},{value},{round(level)},{note}\n")
                out.write("".join(lines))
                rows += n
        return rows

    def _values(self, kr: KR, days: list[date], shares: list[float], last_share: float) -> list[str]:
        rng, n = self.rng, len(days)
        if kr.kind == "milestone":
            reach = rng.uniform(0.5, 0.9) * n
            return ["1" if kr.final >= 1 and k >= min(reach, n - 1) else "0" for k in range(n)]
        if kr.kind in ("at_least", "at_most"):
            target = kr.target or 0.0
            span = max(abs(target) * 0.1, 1.0)
            inside = round(kr.final * n)
            misses = set(rng.sample(range(n), n - inside)) if inside < n else set()
            out = []
            for k in range(n):
                above = (k not in misses) == (kr.kind == "at_least")  # in bound: above an at_least target
                value = target + span * rng.uniform(0.05, 0.6) * (1 if above else -1)
                out.append(fmt(value, kr.decimals))
            return out
        baseline = kr.baseline or 0.0
        delta = (kr.target if kr.target is not None else 1.0) - baseline
        out = []
        for k, share in enumerate(shares):
            progress = kr.final * share / last_share
            if k < n - 1:
                progress += rng.gauss(0.0, 0.03)
            out.append(fmt(baseline + delta * progress, kr.decimals))
        return out


def generate(size_name: str, out: Path, *, seed: int = SEED, kpi_definitions: str = "first") -> dict:
    """Write the three CSV files of ``size_name`` into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if size_name == "demo":
        files = build_demo_files(AS_OF)
        rows = {}
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8", newline="\n")
            rows[name] = text.count("\n") - 1
        counts = {"key_results": rows["okrs.csv"], "checkins": rows["checkins.csv"], "measurements": rows["kpis.csv"]}
    else:
        size = SIZES[size_name]
        gen = Generator(size, seed)
        rows = {"kpis.csv": gen.write_kpis(out / "kpis.csv", kpi_definitions)}
        krs = gen.build_okrs()
        rows["okrs.csv"] = gen.write_okrs(out / "okrs.csv", krs)
        rows["checkins.csv"] = gen.write_checkins(out / "checkins.csv", krs)
        counts = {
            "teams": size.teams, "objectives": len(gen.objectives), "key_results": len(krs),
            "kpi_linked_key_results": sum(kr.kpi is not None for kr in krs),
            "checkins": rows["checkins.csv"], "kpis": size.kpis, "measurements": rows["kpis.csv"],
        }
    seconds = time.perf_counter() - started
    manifest = {
        "size": size_name, "seed": seed, "as_of": AS_OF.isoformat(), "current_cycle": CURRENT.name,
        "kpi_definitions": kpi_definitions, "generate_seconds": round(seconds, 2), "counts": counts,
        "files": {name: {"rows": rows[name], "bytes": (out / name).stat().st_size}
                  for name in ("kpis.csv", "okrs.csv", "checkins.csv")},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=ALL_SIZES, required=True)
    parser.add_argument("--out", type=Path, help="folder (default bench/.work/<size>)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--kpi-definitions", choices=("first", "every"), default="first",
                        help="KPI definition columns on the KPI's first row only (default) or on every row")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / ".work" / args.size
    manifest = generate(args.size, out, seed=args.seed, kpi_definitions=args.kpi_definitions)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
