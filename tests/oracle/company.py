"""A company as its people mean it: the truth every rendered file is checked against.

``companies()`` is a Hypothesis strategy for small companies of one OKR cycle: teams with
Indonesian names, objectives, key results of every kind (increase, decrease, at least, at most,
milestone) with their check-ins across the cycle, and KPIs with a direction and monthly
measurements. Numbers are what their writer means: a percent is 65 (unit ``%``, shown 65%), an
amount in rupiah is 1500000000 (unit ``Rp``), scores have decimals, some values are negative, zero,
large or over 100% of their target.

Every value is a multiple of 10**-decimals of its measure, so the spellings of the renderers
(``4,5``, ``1.500.000``, ``Rp1.500.000``, a ``0%`` workbook cell holding 0.65) hold it exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import strategies as st

from okrdash.models import Cycle, Direction, KRKind, ObjectiveType


@dataclass(frozen=True)
class Measure:
    """What a number counts and how many decimals its writer keeps."""

    name: str  # percent, rupiah, count, score, days, margin
    unit: str | None
    decimals: int

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class KeyResult:
    title: str
    owner: str
    kind: KRKind
    measure: Measure
    baseline: float | None  # None: not written (at least / at most bounds have none)
    target: float
    checkins: tuple[tuple[dt.date, float], ...]  # (date, value), dates distinct and ordered

    @property
    def latest(self) -> tuple[dt.date, float] | None:
        return self.checkins[-1] if self.checkins else None

    def share_done(self, value: float) -> float | None:
        """The progress ``value`` means: the share of the way from baseline to target (milestones 0 or 1)."""
        if self.kind is KRKind.MILESTONE:
            return value
        if self.kind in (KRKind.INCREASE, KRKind.DECREASE) and self.baseline is not None:
            return (value - self.baseline) / (self.target - self.baseline)
        return None  # an at least / at most bound has no share done of one value


@dataclass(frozen=True)
class Objective:
    team: str
    title: str
    type: ObjectiveType
    key_results: tuple[KeyResult, ...]


@dataclass(frozen=True)
class Kpi:
    team: str
    name: str
    measure: Measure
    direction: Direction
    target: float
    measurements: tuple[tuple[dt.date, float], ...]  # month ends, ordered


@dataclass(frozen=True)
class Company:
    cycle: Cycle
    objectives: tuple[Objective, ...]
    kpis: tuple[Kpi, ...]
    # The day the file is imported: inside the cycle, or after it ended (a late upload).
    today: dt.date = field(default=dt.date(2026, 11, 22))

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys([o.team for o in self.objectives] + [k.team for k in self.kpis]))

    def key_results(self) -> list[tuple[Objective, KeyResult]]:
        return [(o, kr) for o in self.objectives for kr in o.key_results]

    def describe(self) -> str:
        """The company as a readable block, for a failing example's report."""
        lines = [f"cycle {self.cycle.name} ({self.cycle.start_date} to {self.cycle.end_date}), imported {self.today}"]
        for o in self.objectives:
            lines.append(f"  objective [{o.team}] {o.title!r} ({o.type.value})")
            for kr in o.key_results:
                lines.append(f"    kr {kr.title!r} {kr.kind.value} {kr.measure.name}: baseline {kr.baseline} "
                             f"target {kr.target} owner {kr.owner!r} check-ins {list(kr.checkins)}")
        for k in self.kpis:
            lines.append(f"  kpi [{k.team}] {k.name!r} {k.direction.value} {k.measure.name} target {k.target}: "
                         f"{list(k.measurements)}")
        return "\n".join(lines)


# -- names: what Indonesian companies call their teams, goals and measures -------------------------

TEAMS = ("Penjualan", "Pemasaran", "Keuangan", "SDM", "Teknologi Informasi", "Layanan Pelanggan", "Operasional",
         "Produk", "Gudang Surabaya", "Cabang Medan")
PEOPLE = ("Rina Wulandari", "Budi Santoso", "Dewi Lestari", "Agus Setiawan", "Siti Rahmawati", "Yusuf Hakim",
          "Made Ayu", "Putri Anggraini", "Andi Pratama", "Wayan Sudarma")
OBJECTIVE_TITLES = (
    "Tingkatkan kepuasan pelanggan", "Perluas pasar Jawa Timur", "Bangun tim yang solid", "Efisiensi biaya operasional",
    "Jadikan aplikasi andalan UMKM", "Grow recurring revenue", "Percepat pengiriman ke pelanggan",
    "Perkuat budaya belajar", "Kurangi keluhan pelanggan", "Launch the partner program",
)
# (title, measure, kinds it fits)
KR_TITLES: tuple[tuple[str, str], ...] = (
    ("Naikkan NPS pelanggan korporat", "score"), ("Tingkatkan tingkat konversi situs", "percent"),
    ("Capai omzet kuartalan", "rupiah"), ("Tambah pelanggan baru", "count"), ("Kurangi waktu respon tiket", "days"),
    ("Turunkan tingkat churn bulanan", "percent"), ("Jaga margin laba bersih", "margin"),
    ("Tekan biaya akuisisi pelanggan", "rupiah"), ("Naikkan skor kepuasan karyawan", "score"),
    ("Increase weekly active users", "count"), ("Kurangi stok mati di gudang", "rupiah"),
    ("Tingkatkan kehadiran pelatihan", "percent"), ("Jaga rasio lancar", "ratio"),
    ("Tekan rasio utang", "ratio"),
)
MILESTONE_TITLES = ("Luncurkan portal mitra", "Selesaikan migrasi ERP", "Go live aplikasi kasir",
                    "Rekrut kepala cabang Makassar", "Terbitkan SOP layanan baru")
KPI_NAMES: tuple[tuple[str, str], ...] = (
    ("Omzet bulanan", "rupiah"), ("Tingkat churn", "percent"), ("Rata-rata waktu respon", "days"),
    ("Jumlah pelanggan baru", "count"), ("Skor CSAT", "score"), ("Biaya per akuisisi", "rupiah"),
    ("Tingkat kehadiran karyawan", "percent"), ("Margin EBITDA", "margin"), ("Jumlah tiket terbuka", "count"),
    ("Rasio lancar", "ratio"), ("Rasio perputaran stok", "ratio"),
)

MEASURES = {
    "percent": (Measure("percent", "%", 0), Measure("percent", "%", 1)),
    "rupiah": (Measure("rupiah", "Rp", 0),),
    "count": (Measure("count", "pelanggan", 0), Measure("count", None, 0)),
    "score": (Measure("score", None, 1), Measure("score", "poin", 2)),
    "days": (Measure("days", "hari", 0), Measure("days", "hari", 1)),
    "margin": (Measure("margin", "%", 2),),
    "ratio": (Measure("ratio", None, 3),),
}


def _scaled(units: int, decimals: int) -> float:
    """units * 10**-decimals as the float nearest to its decimal spelling."""
    return float(Decimal(units).scaleb(-decimals))


def values(measure: Measure) -> st.SearchStrategy[float]:
    """One value of ``measure``: zero, small, large, over 100%, negative where the measure allows."""
    step = 10 ** measure.decimals
    if measure.name == "percent":  # 0% to 150%: an over-achieving key result is normal
        units = st.integers(0, 150 * step)
    elif measure.name == "margin":  # a margin may be negative
        units = st.integers(-25 * step, 60 * step)
    elif measure.name == "rupiah":  # thousands of rupiah up to trillions; a loss is negative
        return st.one_of(st.integers(-40_000, 5_000_000_000).map(lambda k: float(k * 1000)),
                         st.sampled_from([0.0, 1_500_000.0, 2_400_000_000.0, 150_000_000.0]))
    elif measure.name == "count":
        units = st.one_of(st.integers(0, 2_000), st.integers(1_000, 2_000_000))
    elif measure.name == "score":
        units = st.integers(0, 10 * step)
    elif measure.name == "ratio":  # three decimals: 1.234 is also how 1234 is written with a thousands dot
        units = st.integers(0, 5 * step)
    else:  # days
        units = st.integers(0, 60 * step)
    return units.map(lambda u: _scaled(u, measure.decimals))


@st.composite
def cycles(draw) -> Cycle:
    year = draw(st.integers(2025, 2027))
    return Cycle.parse(f"{year}-Q{draw(st.integers(1, 4))}")


@st.composite
def cycle_days(draw, cycle: Cycle, count: int) -> list[dt.date]:
    """``count`` distinct days of the cycle, in order."""
    span = (cycle.end_date - cycle.start_date).days
    offsets = draw(st.lists(st.integers(0, span), min_size=count, max_size=count, unique=True))
    return sorted(cycle.start_date + dt.timedelta(days=o) for o in offsets)


@st.composite
def key_results(draw, cycle: Cycle, title: str, measure_name: str, kind: KRKind) -> KeyResult:
    owner = draw(st.sampled_from(PEOPLE))
    if kind is KRKind.MILESTONE:
        days = draw(cycle_days(cycle, draw(st.integers(0, 2))))
        done = [0.0] * (len(days) - 1) + [draw(st.sampled_from([0.0, 1.0]))] if days else []
        return KeyResult(title, owner, kind, Measure("milestone", None, 0), 0.0, 1.0,
                         tuple(zip(days, done)))
    measure = draw(st.sampled_from(MEASURES[measure_name]))
    if kind in (KRKind.INCREASE, KRKind.DECREASE):
        low, high = sorted(draw(st.lists(values(measure), min_size=2, max_size=2, unique=True)))
        baseline, target = (low, high) if kind is KRKind.INCREASE else (high, low)
    else:
        baseline, target = None, draw(values(measure))
    days = draw(cycle_days(cycle, draw(st.integers(0, 3))))
    checkins = tuple((day, draw(values(measure))) for day in days)
    return KeyResult(title, owner, kind, measure, baseline, target, checkins)


# Measures every company may use. "ratio" is written with three fixed decimals ("1.990") while
# the other measures write whole numbers bare ("1"): no spreadsheet writes one column so (a format
# of three decimals writes 1 as "1.000"), and okrdash reads a round "1.990" beside bare whole numbers
# as grouped thousands on purpose (importing/number_format.py, NumberEvidence.grouping). So a ratio
# is drawn only where a scenario asks for it ("three-decimals").
EVERYDAY_MEASURES = frozenset(MEASURES) - {"ratio"}


@st.composite
def objectives(draw, cycle: Cycle, team: str, title: str, measures: frozenset[str] = EVERYDAY_MEASURES) -> Objective:
    count = draw(st.integers(1, 3))
    titles = tuple(t for t in KR_TITLES if t[1] in measures) + tuple((t, "milestone") for t in MILESTONE_TITLES)
    picked = draw(st.lists(st.sampled_from(titles), min_size=count, max_size=count, unique_by=lambda t: t[0]))
    krs = []
    for kr_title, measure_name in picked:
        if measure_name == "milestone":
            kind = KRKind.MILESTONE
        else:
            kind = draw(st.sampled_from([KRKind.INCREASE, KRKind.DECREASE, KRKind.AT_LEAST, KRKind.AT_MOST]))
        krs.append(draw(key_results(cycle, kr_title, measure_name, kind)))
    return Objective(team, title, draw(st.sampled_from(list(ObjectiveType))), tuple(krs))


def month_ends(year: int) -> list[dt.date]:
    return [dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1) for month in range(1, 13)]


@st.composite
def kpis(draw, cycle: Cycle, team: str, name: str, measure_name: str) -> Kpi:
    measure = draw(st.sampled_from(MEASURES[measure_name]))
    # A few months in a row, ending within the cycle (a monthly report of the year so far).
    ends = [d for d in month_ends(cycle.start_date.year) if d <= cycle.end_date]
    count = draw(st.integers(1, min(6, len(ends))))
    first = draw(st.integers(0, len(ends) - count))
    dates = ends[first:first + count]
    return Kpi(team, name, measure, draw(st.sampled_from([Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER])),
               draw(values(measure)), tuple((d, draw(values(measure))) for d in dates))


@st.composite
def companies(draw, *, min_kpis: int = 0, min_objectives: int = 1, late_upload: bool | None = None,
              measures: frozenset[str] = EVERYDAY_MEASURES) -> Company:
    """A small company of one cycle. ``late_upload``: True imports it after the cycle ended, False
    inside the cycle, None either. ``measures``: what its key results and KPIs may count."""
    cycle = draw(cycles())
    teams = draw(st.lists(st.sampled_from(TEAMS), min_size=1, max_size=3, unique=True))
    objective_list = []
    for team in teams:
        count = draw(st.integers(min_objectives if team == teams[0] else 0, 2))
        titles = draw(st.lists(st.sampled_from(OBJECTIVE_TITLES), min_size=count, max_size=count, unique=True))
        team_objectives = [draw(objectives(cycle, team, title, measures)) for title in titles]
        # A key result title is its team's own: a check-in names it by team and title.
        seen: set[str] = set()
        for objective in team_objectives:
            krs = tuple(kr for kr in objective.key_results if kr.title not in seen)
            seen.update(kr.title for kr in krs)
            if krs:
                objective_list.append(Objective(objective.team, objective.title, objective.type, krs))
    kpi_list = []
    for team in teams:
        names = [k for k in KPI_NAMES if k[1] in measures]
        count = draw(st.integers(min_kpis if team == teams[0] else 0, min(2, len(names))))
        picked = draw(st.lists(st.sampled_from(names), min_size=count, max_size=count, unique_by=lambda k: k[0]))
        kpi_list += [draw(kpis(cycle, team, name, measure)) for name, measure in picked]
    span = (cycle.end_date - cycle.start_date).days
    late = draw(st.booleans()) if late_upload is None else late_upload
    offset = draw(st.integers(1, 90)) if late else draw(st.integers(0, span))
    today = (cycle.end_date if late else cycle.start_date) + dt.timedelta(days=offset)
    return Company(cycle, tuple(objective_list), tuple(kpi_list), today)
