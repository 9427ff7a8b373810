"""Demo company for okrdash: builds the three demo CSV files.

The demo company is a small Indonesian SaaS business. Its OKRs and KPIs follow the examples of
the source articles (SaaS team OKRs, KPI categories, role examples, the customer-support and NPS
examples of how KPIs turn into key results).

`build_demo_files(anchor)` returns the CSV texts for the calendar quarter that contains `anchor`
(the current cycle, with check-ins up to `anchor`) and the quarter before it (finished, with
check-ins up to its last day). Every date in the files is on or before `anchor`, and the output is
deterministic: the same anchor always gives the same bytes.

Values of the current cycle are shaped from the share of the quarter that has elapsed:
``value = baseline + (target - baseline) * pace * elapsed_share`` with a pace per key result, so
the mix of statuses (On Track / At Risk / Off Track / Complete) is about the same for any anchor.
Where each status begins, and which status a value has, is asked of the rules (okrdash/rules.py,
with the settings' thresholds): the demo never restates them.

Importing the module loads neither Streamlit nor DuckDB: building the files asks the rules in a
small DuckDB of their own, and `load_demo` imports the importer when it is called.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # only for annotations: importing this module never loads DuckDB
    from okrdash.access import Access
    from okrdash.importing import ImportResult
    from okrdash.rules import Rules, StatusFloors
    from okrdash.store import Store

__all__ = [
    "CHECKIN_COLUMNS",
    "DEMO_ANCHOR",
    "KPI_COLUMNS",
    "OKR_COLUMNS",
    "build_demo_files",
    "load_demo",
    "write_demo_files",
]

DEMO_ANCHOR: Final[date] = date(2026, 11, 22)
"""Anchor ("today") of the snapshot shipped in ``data/demo/``."""

OKR_COLUMNS: Final[tuple[str, ...]] = (
    "cycle",
    "start_date",
    "end_date",
    "team",
    "objective",
    "objective_owner",
    "objective_type",
    "parent_objective",
    "key_result",
    "owner",
    "kind",
    "baseline",
    "target",
    "unit",
    "weight",
    "kpi",
    "current",
    "date",
    "confidence",
)

# `objective` is left out on purpose: a file with `key_result`, `objective` and `cycle` is read as
# an okrs file (docs/csv-format.md). Key result titles are unique per team across both cycles, so
# `team` + `key_result` (+ `cycle`) always names one key result.
CHECKIN_COLUMNS: Final[tuple[str, ...]] = (
    "team",
    "key_result",
    "cycle",
    "date",
    "value",
    "confidence",
    "note",
)

KPI_COLUMNS: Final[tuple[str, ...]] = (
    "team",
    "kpi",
    "date",
    "value",
    "target",
    "unit",
    "direction",
    "min",
    "max",
    "tolerance",
    "frequency",
    "kpi_type",
    "indicator",
    "category",
    "owner",
)

_SEED: Final[int] = 20261122
_KPI_HISTORY_DAYS: Final[int] = 182

COMPANY: Final[str] = "Company"
PRODUCT: Final[str] = "Product"
ENGINEERING: Final[str] = "Engineering"
MARKETING: Final[str] = "Marketing"
SALES: Final[str] = "Sales"
SUCCESS: Final[str] = "Customer Success"
SUPPORT: Final[str] = "Customer Support"
HR: Final[str] = "HR"

# Weekday (Monday = 0) on which each team holds its weekly check-in.
_CHECKIN_WEEKDAY: Final[dict[str, int]] = {
    COMPANY: 4,
    PRODUCT: 0,
    ENGINEERING: 4,
    MARKETING: 1,
    SALES: 4,
    SUCCESS: 3,
    SUPPORT: 2,
    HR: 3,
}

# Company objectives (the same titles are used as parent_objective by the teams).
GROW_EXPANSION: Final[str] = "Grow expansion revenue"
SMOOTH_FIRST: Final[str] = "Deliver a smooth first experience for our users"
HAPPY_LOYAL: Final[str] = "Keep customers happy and loyal"
LAUNCH_PRODUCT: Final[str] = "Launch our new product successfully"


# --------------------------------------------------------------------------------------------
# Data model of the demo content
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KR:
    """One key result of the demo.

    `plan` is the state wanted at the anchor for the current cycle ("on", "risk", "off",
    "done"), or the end-of-cycle grade (0.3-1.0) for the previous cycle. `concern` marks a key
    result whose numbers look fine but whose owner lately reports a confidence of 2-3.
    at_least / at_most key results are bounds to stay inside all cycle long: their check-ins
    take values from `good` (inside the bound) or `bad` (outside) ranges.
    """

    title: str
    owner: str
    baseline: float | None
    target: float | None
    unit: str
    plan: str | float
    kind: str = ""
    decimals: int = 0
    kpi: str = ""
    weight: str = ""
    cumulative: bool = False
    concern: str = ""
    word_confidence: bool = False
    good: tuple[float, float] | None = None
    bad: tuple[float, float] | None = None


@dataclass(frozen=True)
class _Objective:
    team: str
    title: str
    owner: str
    objective_type: str
    parent: str
    krs: tuple[_KR, ...]


def _ms(title: str, owner: str, plan: str | float, *, words: bool = False) -> _KR:
    """A milestone key result (target 1)."""
    return _KR(title, owner, 0, 1, "", plan, kind="milestone", word_confidence=words)


# Current cycle (the quarter that contains the anchor).
_CURRENT: Final[tuple[_Objective, ...]] = (
    # ---------------- Company ----------------
    _Objective(COMPANY, GROW_EXPANSION, "Rina", "aspirational", "", (
        _KR("Raise net revenue retention from 104% to 112%", "Rina", 104, 112, "%", "on",
            decimals=1),
        _KR("Grow monthly expansion revenue from Rp120 million to Rp200 million", "Hendra",
            120_000_000, 200_000_000, "Rp", "risk", decimals=-6, word_confidence=True),
    )),
    _Objective(COMPANY, SMOOTH_FIRST, "Hendra", "aspirational", "", (
        _KR("Raise the activation rate of new sign-ups from 30% to 45%", "Hendra", 30, 45, "%",
            "on", decimals=1),
        _KR("Lift the share of new accounts still active in week four from 38% to 50%", "Rina",
            38, 50, "%", "on", decimals=1, word_confidence=True),
    )),
    _Objective(COMPANY, HAPPY_LOYAL, "Rina", "committed", "", (
        _KR("Reduce monthly churn from 5% to 3%", "Rina", 5, 3, "%", "on", decimals=2,
            weight="2"),
        _KR("Grow the share of new revenue from referrals from 12% to 20%", "Hendra", 12, 20,
            "%", "on", decimals=1, word_confidence=True),
    )),
    # ---------------- Product ----------------
    _Objective(PRODUCT, "Keep more new users through their first month", "Sari",
               "aspirational", SMOOTH_FIRST, (
        _KR("Raise 30-day retention from 45% to 60%", "Sari", 45, 60, "%", "on", decimals=1,
            weight="2"),
        _KR("Cut time to value from 7 to 3 days", "Yusuf", 7, 3, "days", "risk", decimals=1,
            word_confidence=True),
        _KR("Raise onboarding completion from 62% to 80%", "Sari", 62, 80, "%", "on",
            decimals=1,
            concern="Numbers look fine, but the new onboarding flow slips to next quarter"),
    )),
    _Objective(PRODUCT, "Open a new path to expansion revenue", "Yusuf", "aspirational",
               GROW_EXPANSION, (
        _ms("Launch usage-based pricing in beta", "Yusuf", "done"),
        _KR("Get 40 beta accounts using the usage-based plan", "Yusuf", 0, 40, "accounts",
            "risk", cumulative=True, word_confidence=True),
    )),
    _Objective(PRODUCT, "Make the product easier to use", "Sari", "aspirational",
               SMOOTH_FIRST, (
        _KR("Raise the average user survey score from 7.6 to 9", "Sari", 7.6, 9, "points",
            "on", decimals=1),
        _KR("Talk to 30 customers about their needs and feedback", "Yusuf", 0, 30,
            "interviews", "on", cumulative=True, word_confidence=True),
        _KR("Watch ten user session videos and share the takeaways", "Sari", 0, 10, "videos",
            "on", cumulative=True),
    )),
    # ---------------- Engineering ----------------
    _Objective(ENGINEERING, "Improve the quality of our releases", "Budi", "committed",
               HAPPY_LOYAL, (
        _KR("Reduce new bug reports per month from 72 to 60", "Budi", 72, 60, "bugs", "risk"),
        _KR("Raise crash-free releases from 96% to 99%", "Rizky", 96, 99, "%", "on",
            decimals=1, word_confidence=True),
        _KR("Raise test coverage from 35% to 50%", "Budi", 35, 50, "%", "risk", decimals=1),
    )),
    _Objective(ENGINEERING, "Help the development team ship faster", "Agus", "aspirational",
               SMOOTH_FIRST, (
        _KR("Raise sprint velocity from 42 to 60 points", "Agus", 42, 60, "points", "on"),
        _KR("Cut average code review time from 20 to 14 hours", "Agus", 20, 14, "hours",
            "on", decimals=1, word_confidence=True),
        _KR("Keep features blocked by unfinished designs at 2% or less", "Rizky", None, 2, "%",
            "on", kind="at_most", decimals=1, good=(0.8, 2.0), bad=(2.4, 3.6)),
    )),
    _Objective(ENGINEERING, "Keep the platform fast and reliable", "Rizky", "committed",
               HAPPY_LOYAL, (
        _KR("Raise API uptime from 99.5% to 99.9%", "Rizky", 99.5, 99.9, "%", "off",
            decimals=2, word_confidence=True),
        _KR("Cut p95 page load time from 3.2 to 2.0 seconds", "Budi", 3.2, 2.0, "seconds",
            "off", decimals=2),
    )),
    # ---------------- Marketing ----------------
    _Objective(MARKETING, "Send sales better-qualified leads", "Fajar", "aspirational",
               GROW_EXPANSION, (
        _KR("Cut unqualified leads passed to sales from 40% to 25%", "Fajar", 40, 25, "%",
            "on", decimals=1),
        _KR("Raise MQL to SQL conversion from 12% to 20%", "Fajar", 12, 20, "%", "risk",
            decimals=1, word_confidence=True),
        _KR("Drive 500 sign-ups to the pricing pilot", "Putri", 0, 500, "sign-ups", "on",
            cumulative=True),
    )),
    _Objective(MARKETING, "Grow brand visibility and organic reach", "Lestari", "aspirational",
               GROW_EXPANSION, (
        _KR("Grow organic website traffic by 30% quarter over quarter", "Lestari", 40_000,
            52_000, "visits", "on", decimals=-2, word_confidence=True),
        _KR("Publish three customer case studies", "Lestari", 0, 3, "case studies", "on",
            cumulative=True),
        _KR("Raise email campaign open rate from 25% to 35%", "Fajar", 25, 35, "%", "on",
            decimals=1),
    )),
    _Objective(MARKETING, "Make our digital marketing more visible and effective", "Putri",
               "aspirational", GROW_EXPANSION, (
        _KR("Grow organic Instagram followers by 25%", "Putri", 8_000, 10_000, "followers",
            "on", word_confidence=True),
        _KR("Reach 10,000 organic clicks from the blog", "Putri", 0, 10_000, "clicks", "off",
            decimals=-1, cumulative=True),
        _KR("Reach a 6% engagement rate across social media", "Putri", 3.8, 6, "%", "off",
            decimals=1, word_confidence=True),
    )),
    _Objective(MARKETING, "Raise the quality and reach of our blog content", "Lestari",
               "aspirational", SMOOTH_FIRST, (
        _KR("Reach 20,000 organic content views a month", "Lestari", 12_000, 20_000, "views",
            "on", decimals=-2),
        _KR("Get three articles onto the first page of Google", "Lestari", 0, 3, "articles",
            "done", cumulative=True, word_confidence=True),
        _KR("Collaborate with two influencers on external content", "Lestari", 0, 2,
            "collaborations", "on", cumulative=True),
    )),
    # ---------------- Sales ----------------
    _Objective(SALES, "Sell more efficiently and close more high-quality deals", "Andi",
               "aspirational", GROW_EXPANSION, (
        _KR("Raise win rate from 18% to 25%", "Andi", 18, 25, "%", "on", decimals=1,
            weight="2"),
        _KR("Cut the average deal cycle from 42 to 30 days", "Bayu", 42, 30, "days", "risk",
            word_confidence=True),
    )),
    _Objective(SALES, "Build a repeatable and scalable outbound engine", "Bayu",
               "aspirational", GROW_EXPANSION, (
        _ms("Launch an outbound sequence for our three main buyer personas", "Bayu", "done",
            words=True),
        _KR("Generate 50 new qualified leads from outbound channels", "Bayu", 0, 50, "leads",
            "off", cumulative=True),
        _KR("Reach a 10% reply rate across outbound campaigns", "Bayu", 4, 10, "%", "off",
            decimals=1, word_confidence=True),
    )),
    _Objective(SALES, "Lift our sales performance this quarter", "Andi", "committed",
               GROW_EXPANSION, (
        _KR("Convert 30% of prospects into customers", "Andi", 22, 30, "%", "on", decimals=1,
            concern="Numbers look fine, but two large deals may slip to next year"),
        _KR("Win three new clients from priority sectors", "Andi", 0, 3, "clients", "on",
            cumulative=True, word_confidence=True),
        _KR("Cut the SMB sales cycle from 21 to 15 days", "Andi", 21, 15, "days", "risk",
            decimals=1),
    )),
    # ---------------- Customer Success ----------------
    _Objective(SUCCESS, "Raise customer satisfaction and loyalty", "Dewi", "aspirational",
               HAPPY_LOYAL, (
        _KR("Raise CSAT from 84% to 90% or more", "Dewi", 84, 90, "%", "on", decimals=1),
        _KR("Cut customer complaints by 15% from last quarter", "Wulan", 120, 102,
            "complaints", "off", word_confidence=True),
        _KR("Raise NPS among key accounts from 55 to 65 or higher", "Dewi", 55, 65, "points",
            "on"),
        _KR("Cut average response time to customer questions by 25%", "Wulan", 8, 6, "hours",
            "off", decimals=1, word_confidence=True),
    )),
    _Objective(SUCCESS, "Keep more customers and reduce churn", "Wulan", "aspirational",
               HAPPY_LOYAL, (
        _KR("Raise retention of high-value customers by 10%", "Wulan", 80, 88, "%", "risk",
            decimals=1),
        _KR("Reduce churn by 15%", "Wulan", 4.0, 3.4, "%", "risk", decimals=2,
            word_confidence=True),
        _KR("Hold quarterly business reviews with 80% of key customers", "Dewi", 0, 80, "%",
            "on", cumulative=True),
    )),
    _Objective(SUCCESS, "Turn beta users into paying customers", "Dewi", "aspirational",
               GROW_EXPANSION, (
        _KR("Upgrade 50 beta users to a paid tier", "Dewi", 0, 50, "users", "on",
            cumulative=True, word_confidence=True),
        _ms("Launch a customer referral program", "Wulan", "done"),
        _KR("Bring 30% of new business through referrals", "Wulan", 10, 30, "%", "risk",
            decimals=1, word_confidence=True),
    )),
    # ---------------- Customer Support ----------------
    _Objective(SUPPORT, "Improve customer support", "Maya", "committed", HAPPY_LOYAL, (
        _KR("Cut average reply time from 48 to 30 minutes", "Maya", 48, 30, "minutes", "off",
            kpi="Average reply time"),
        _ms("Hire a new Customer Support manager", "Maya", "done", words=True),
        _ms("Streamline ticket triage into a single queue", "Intan", "off"),
    )),
    _Objective(SUPPORT, "Improve the customer experience", "Maya", "aspirational",
               HAPPY_LOYAL, (
        _KR("Raise NPS from 4 to 10", "Maya", 4, 10, "points", "off",
            kpi="Net Promoter Score"),
        _KR("Call back 90% of detractors within two days", "Intan", 35, 90, "%", "off",
            word_confidence=True),
    )),
    _Objective(SUPPORT, "Raise the quality of our customer service", "Intan", "aspirational",
               HAPPY_LOYAL, (
        _KR("Bring average first response time down from 4 to 2 hours", "Intan", 4, 2,
            "hours", "on", decimals=1),
        _KR("Raise post-ticket NPS by 10 points", "Intan", 18, 28, "points", "risk",
            word_confidence=True),
        _ms("Run empathy training for the whole CS team", "Intan", "done"),
    )),
    # ---------------- HR ----------------
    _Objective(HR, "Hire and keep the people who keep our customers happy", "Citra",
               "aspirational", HAPPY_LOYAL, (
        _ms("Launch a digital onboarding system", "Citra", "done", words=True),
        _KR("Keep probation turnover at 5% or less", "Citra", None, 5, "%", "on",
            kind="at_most", decimals=1, good=(3.2, 5.0), bad=(5.4, 7.5)),
        _KR("Run an employee satisfaction survey every month", "Eko", 0, 3, "surveys", "on",
            cumulative=True, word_confidence=True),
    )),
    _Objective(HR, "Make every new hire ready in their first month", "Eko", "committed",
               HAPPY_LOYAL, (
        _KR("Complete 100% of mandatory training for new hires in their first month", "Eko",
            None, 100, "%", "risk", kind="at_least", word_confidence=True, good=(100, 100),
            bad=(78, 96)),
        _KR("Cut time to hire from 38 to 30 days", "Citra", 38, 30, "days", "off"),
    )),
)

# Previous cycle (finished): plan = end-of-cycle grade.
_PREVIOUS: Final[tuple[_Objective, ...]] = (
    _Objective(COMPANY, LAUNCH_PRODUCT, "Rina", "aspirational", "", (
        _KR("Sign 20 launch customers for the new product", "Rina", 0, 20, "customers", 0.85,
            cumulative=True),
        _KR("Reach 1,000 trial sign-ups in the launch quarter", "Hendra", 0, 1000, "sign-ups",
            0.4, cumulative=True, word_confidence=True),
    )),
    _Objective(COMPANY, HAPPY_LOYAL, "Rina", "committed", "", (
        _KR("Reduce monthly churn from 6% to 5%", "Rina", 6, 5, "%", 0.9, decimals=2),
        _KR("Grow the share of new revenue from referrals from 8% to 12%", "Hendra", 8, 12,
            "%", 0.75, decimals=1, word_confidence=True),
    )),
    _Objective(PRODUCT, "Launch the new product with what customers need", "Sari",
               "aspirational", LAUNCH_PRODUCT, (
        _KR("Interview 30 customers before launch", "Sari", 0, 30, "interviews", 1.0,
            cumulative=True),
        _KR("Run two product training sessions for marketing and sales", "Yusuf", 0, 2,
            "sessions", 1.0, cumulative=True, word_confidence=True),
        _KR("Review 15 customer requirement documents from product marketing", "Yusuf", 0, 15,
            "documents", 0.33, cumulative=True),
    )),
    _Objective(PRODUCT, "Improve the experience for our users", "Yusuf", "aspirational",
               HAPPY_LOYAL, (
        _KR("Raise 30-day retention from 38% to 45%", "Sari", 38, 45, "%", 1.0, decimals=1),
        _KR("Cut average support response time by 10%", "Yusuf", 10, 9, "hours", 0.3,
            decimals=1, word_confidence=True),
    )),
    _Objective(ENGINEERING, "Stop unfinished designs from slowing us down", "Agus",
               "committed", LAUNCH_PRODUCT, (
        _KR("Keep features blocked by unfinished designs at 2% or less this quarter", "Agus",
            None, 2, "%", 0.75, kind="at_most", decimals=1, good=(1.0, 2.0), bad=(2.5, 6.0)),
        _KR("Raise sprint velocity from 36 to 42 points", "Agus", 36, 42, "points", 1.0,
            word_confidence=True),
    )),
    _Objective(ENGINEERING, "Catch problems before our customers do", "Budi",
               "aspirational", HAPPY_LOYAL, (
        _KR("Raise test coverage from 28% to 40%", "Budi", 28, 40, "%", 0.58, decimals=1),
        _ms("Set up automated crash reporting for every release", "Rizky", 1.0, words=True),
        _KR("Cut new bug reports per month from 85 to 65", "Budi", 85, 65, "bugs", 0.65),
    )),
    _Objective(MARKETING, "Support the launch with content that convinces buyers", "Fajar",
               "aspirational", LAUNCH_PRODUCT, (
        _ms("Launch a late-funnel content campaign", "Fajar", 1.0),
        _KR("Generate 300 MQLs from the launch campaign", "Fajar", 0, 300, "MQLs", 0.8,
            cumulative=True, word_confidence=True),
        _KR("Raise MQL to SQL conversion from 10% to 14%", "Fajar", 10, 14, "%", 0.5,
            decimals=1),
    )),
    _Objective(MARKETING, "Make our brand easier to find", "Lestari", "aspirational",
               LAUNCH_PRODUCT, (
        _KR("Publish 24 SEO articles this quarter", "Lestari", 0, 24, "articles", 0.875,
            cumulative=True, word_confidence=True),
        _KR("Grow organic traffic from 32,000 to 42,000 visits a month", "Lestari", 32_000,
            42_000, "visits", 0.8, decimals=-2),
        _KR("Raise email open rate from 21% to 27%", "Putri", 21, 27, "%", 0.67, decimals=1,
            word_confidence=True),
    )),
    _Objective(SALES, "Learn why we win and lose deals", "Andi", "committed",
               LAUNCH_PRODUCT, (
        _KR("Run win/loss analysis on 100% of closed opportunities", "Andi", None, 100, "%",
            0.75, kind="at_least", good=(100, 100), bad=(40, 90)),
        _KR("Raise win rate from 15% to 18%", "Andi", 15, 18, "%", 1.0, decimals=1,
            word_confidence=True),
    )),
    _Objective(SALES, "Grow our sales performance", "Bayu", "aspirational", LAUNCH_PRODUCT, (
        _KR("Reach 20 closed deals a month", "Bayu", 12, 20, "deals", 0.625),
        _KR("Book 60 product demos from the launch", "Bayu", 0, 60, "demos", 0.9,
            cumulative=True, word_confidence=True),
    )),
    _Objective(SUCCESS, "Get customers to adopt what we launched", "Dewi", "aspirational",
               LAUNCH_PRODUCT, (
        _KR("Bring 60% of active accounts onto the new product", "Dewi", 0, 60, "%", 0.33,
            cumulative=True, word_confidence=True),
        _KR("Run onboarding calls with 40 launch customers", "Dewi", 0, 40, "calls", 0.9,
            cumulative=True),
    )),
    _Objective(SUCCESS, "Spot unhappy customers earlier", "Wulan", "aspirational",
               HAPPY_LOYAL, (
        _ms("Introduce a health score for every account", "Wulan", 1.0),
        _KR("Raise CSAT from 80% to 86%", "Wulan", 80, 86, "%", 0.67, decimals=1,
            word_confidence=True),
        _KR("Reduce churn of small accounts from 5% to 4%", "Wulan", 5, 4, "%", 0.7,
            decimals=2),
    )),
    _Objective(SUPPORT, "Answer customers without making them wait", "Maya", "committed",
               HAPPY_LOYAL, (
        _KR("Cut first response time from 6 to 4 hours", "Maya", 6, 4, "hours", 0.7,
            decimals=1, word_confidence=True),
        _KR("Resolve 90% of tickets in the first contact", "Intan", 78, 90, "%", 0.67,
            decimals=1),
    )),
    _Objective(SUPPORT, "Make help easy to find", "Intan", "aspirational", HAPPY_LOYAL, (
        _KR("Publish 40 help-center articles", "Intan", 0, 40, "articles", 0.7,
            cumulative=True),
        _ms("Launch in-app chat support", "Maya", 1.0, words=True),
    )),
    _Objective(HR, "Fill the key roles for the launch", "Citra", "committed", LAUNCH_PRODUCT, (
        _KR("Make 8 key hires", "Citra", 0, 8, "hires", 0.75, cumulative=True),
        _KR("Cut time to hire from 45 to 35 days", "Citra", 45, 35, "days", 0.7,
            word_confidence=True),
    )),
    _Objective(HR, "Keep our people engaged", "Eko", "aspirational", HAPPY_LOYAL, (
        _ms("Run the first employee satisfaction survey", "Eko", 1.0),
        _KR("Raise new hires finishing mandatory training from 55% to 80%", "Eko", 55, 80,
            "%", 0.6, word_confidence=True),
    )),
)


@dataclass(frozen=True)
class _KPI:
    """One KPI of the demo and the shape of its history.

    Weekly KPIs move from `start` to `end` (reached at `plateau` of the history, then flat
    with noise); monthly KPIs use `series` (oldest first), the last value being the latest.
    """

    team: str
    name: str
    unit: str
    direction: str
    target: float | None
    frequency: str
    kpi_type: str
    indicator: str
    category: str
    owner: str
    start: float = 0.0
    end: float = 0.0
    noise: float = 0.0
    decimals: int = 0
    series: tuple[float, ...] = ()
    tolerance: str = ""
    low: float | None = None
    high: float | None = None
    plateau: float = 1.0
    earlier_target: float | None = None


_KPIS: Final[tuple[_KPI, ...]] = (
    # Company / finance
    _KPI(COMPANY, "Monthly recurring revenue", "Rp", "higher_is_better", 2_500_000_000,
         "monthly", "strategic", "lagging", "finance", "Rina",
         series=(2_050_000_000, 2_110_000_000, 2_180_000_000, 2_240_000_000, 2_330_000_000,
                 2_400_000_000)),
    _KPI(COMPANY, "Gross profit margin", "%", "higher_is_better", 70, "monthly", "strategic",
         "lagging", "finance", "Hendra", series=(68.2, 69.0, 68.7, 70.4, 71.1, 72.0)),
    # Marketing
    _KPI(MARKETING, "Marketing ROI", "%", "higher_is_better", 300, "monthly", "strategic",
         "lagging", "marketing", "Fajar", series=(240, 255, 262, 281, 296, 315)),
    _KPI(MARKETING, "Customer lifetime value", "Rp", "higher_is_better", 18_000_000, "monthly",
         "strategic", "lagging", "marketing", "Fajar",
         series=(15_500_000, 15_800_000, 16_100_000, 16_600_000, 16_900_000, 17_100_000)),
    _KPI(MARKETING, "Customer acquisition cost", "Rp", "lower_is_better", 1_500_000, "monthly",
         "operational", "lagging", "marketing", "Fajar", tolerance="15%",
         series=(1_900_000, 1_950_000, 1_880_000, 1_920_000, 1_870_000, 1_850_000)),
    _KPI(MARKETING, "Conversion rate", "%", "higher_is_better", 2.5, "weekly", "operational",
         "leading", "marketing", "Fajar", start=2.1, end=2.7, noise=0.08, decimals=2),
    _KPI(MARKETING, "Website traffic", "visits", "higher_is_better", 15_000, "weekly",
         "operational", "leading", "website", "Putri", start=11_000, end=15_800, noise=450,
         earlier_target=12_000),
    _KPI(MARKETING, "Organic traffic", "visits", "higher_is_better", 9_000, "weekly",
         "operational", "leading", "website", "Lestari", start=7_000, end=8_600, noise=250),
    _KPI(MARKETING, "Website traffic growth", "%", "higher_is_better", 15, "monthly",
         "operational", "leading", "marketing", "Putri", tolerance="3",
         series=(9.0, 14.2, 17.5, 11.0, 16.3, 12.5)),
    _KPI(MARKETING, "Bounce rate", "%", "lower_is_better", 40, "weekly", "operational",
         "leading", "website", "Putri", start=47, end=38.5, noise=0.9, decimals=1,
         tolerance="5"),
    _KPI(MARKETING, "Ad conversion rate", "%", "higher_is_better", 3, "weekly", "operational",
         "leading", "marketing", "Putri", start=2.4, end=3.2, noise=0.12, decimals=2),
    _KPI(MARKETING, "SEO articles published", "articles", "higher_is_better", 8, "monthly",
         "functional", "leading", "marketing", "Lestari", series=(6, 7, 8, 9, 8, 8)),
    _KPI(MARKETING, "Average read time", "minutes", "higher_is_better", 3, "weekly",
         "functional", "leading", "marketing", "Lestari", start=2.4, end=2.6, noise=0.1,
         decimals=1),
    _KPI(MARKETING, "Revisions per article", "revisions", "lower_is_better", 2, "monthly",
         "functional", "lagging", "marketing", "Lestari", series=(3.1, 2.8, 2.6, 2.2, 2.0, 1.8)),
    # Product / website
    _KPI(PRODUCT, "Pages per session", "pages", "higher_is_better", 3, "weekly",
         "operational", "leading", "website", "Yusuf", start=2.5, end=2.8, noise=0.06,
         decimals=2),
    _KPI(PRODUCT, "Transactions", "transactions", "higher_is_better", 120, "weekly",
         "operational", "lagging", "website", "Sari", start=90, end=126, noise=5),
    # Engineering
    _KPI(ENGINEERING, "Mean time to resolution", "hours", "lower_is_better", 24, "weekly",
         "functional", "lagging", "engineering", "Budi", start=30, end=22, noise=1.2,
         decimals=1),
    # Sales
    _KPI(SALES, "Monthly sales growth", "%", "higher_is_better", 5, "monthly", "strategic",
         "lagging", "sales", "Andi", tolerance="1", series=(3.1, 4.2, 6.0, 2.5, 5.4, 3.8)),
    _KPI(SALES, "Calls and emails per month", "activities", "higher_is_better", 1200,
         "monthly", "operational", "leading", "sales", "Bayu",
         series=(950, 1010, 1080, 1120, 1190, 1260)),
    _KPI(SALES, "Opportunity-to-deal ratio", "%", "higher_is_better", 25, "monthly",
         "operational", "lagging", "sales", "Andi", series=(19.0, 20.5, 21.0, 22.2, 22.8, 23.5)),
    _KPI(SALES, "Average purchase value", "Rp", "higher_is_better", 12_000_000, "monthly",
         "operational", "lagging", "sales", "Andi",
         series=(10_500_000, 10_900_000, 11_300_000, 11_600_000, 12_100_000, 12_600_000)),
    _KPI(SALES, "Closed deals", "deals", "higher_is_better", 20, "monthly", "operational",
         "lagging", "sales", "Andi", series=(14, 16, 17, 19, 18, 21)),
    _KPI(SALES, "Monthly revenue", "Rp", "higher_is_better", 150_000_000, "monthly",
         "strategic", "lagging", "sales", "Andi",
         series=(118_000_000, 124_000_000, 131_000_000, 127_000_000, 136_000_000,
                 141_000_000)),
    _KPI(SALES, "Weekly sales activity reports submitted", "%", "higher_is_better", 100,
         "weekly", "operational", "leading", "sales", "Bayu", start=85, end=90, noise=4,
         tolerance="5"),
    # Customer Success
    _KPI(SUCCESS, "Monthly churn rate", "%", "lower_is_better", 3, "monthly", "strategic",
         "lagging", "service", "Wulan", tolerance="1", series=(5.8, 5.5, 5.1, 4.9, 4.3, 3.9)),
    # Customer Support / service
    _KPI(SUPPORT, "Tickets resolved", "tickets", "higher_is_better", 400, "weekly",
         "operational", "lagging", "service", "Maya", start=340, end=415, noise=12),
    _KPI(SUPPORT, "Customer satisfaction score (CSAT)", "/5", "higher_is_better", 4.5,
         "weekly", "operational", "lagging", "service", "Intan", start=4.2, end=4.4,
         noise=0.05, decimals=2, tolerance="0.2"),
    _KPI(SUPPORT, "First response time", "hours", "lower_is_better", 4, "weekly",
         "operational", "leading", "service", "Intan", start=5.5, end=3.6, noise=0.25,
         decimals=1),
    _KPI(SUPPORT, "Net Promoter Score", "points", "higher_is_better", 10, "monthly",
         "strategic", "lagging", "service", "Maya", series=(15, 14, 12, 9, 5, 4)),
    _KPI(SUPPORT, "First-contact resolution", "%", "higher_is_better", 95, "weekly",
         "operational", "lagging", "service", "Intan", start=84, end=89, noise=1.0,
         decimals=1),
    _KPI(SUPPORT, "Average reply time", "minutes", "lower_is_better", 30, "weekly",
         "operational", "leading", "service", "Maya", start=35, end=48, noise=0.8,
         plateau=0.65),
    # HR
    _KPI(HR, "Employee retention", "%", "higher_is_better", 90, "monthly", "strategic",
         "lagging", "hr", "Citra", series=(93.0, 92.0, 92.5, 91.0, 91.5, 92.0)),
    _KPI(HR, "Time to hire", "days", "lower_is_better", 30, "monthly", "operational",
         "lagging", "hr", "Citra", series=(45, 42, 40, 38, 37, 36)),
    _KPI(HR, "Mandatory training completed", "%", "higher_is_better", 100, "monthly",
         "functional", "leading", "hr", "Eko", tolerance="5%",
         series=(60, 65, 70, 72, 80, 88)),
    _KPI(HR, "Employee overtime hours per week", "hours", "range", None, "weekly",
         "operational", "leading", "hr", "Eko", start=8.5, end=7.2, noise=0.5, decimals=1,
         low=2, high=8),
)


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cycle:
    name: str
    start: date
    end: date

    def share(self, day: date) -> float:
        """Elapsed share of the cycle on `day` (0 on the first day, 1 on the last)."""
        total = (self.end - self.start).days
        return min(1.0, max(0.0, (day - self.start).days / total))


def _quarter_of(day: date) -> _Cycle:
    quarter = (day.month - 1) // 3 + 1
    start = date(day.year, 3 * (quarter - 1) + 1, 1)
    next_start = date(day.year + 1, 1, 1) if quarter == 4 else date(day.year, 3 * quarter + 1, 1)
    return _Cycle(f"{day.year}-Q{quarter}", start, next_start - timedelta(days=1))


def _previous_quarter(cycle: _Cycle) -> _Cycle:
    return _quarter_of(cycle.start - timedelta(days=1))


def _checkin_dates(team: str, start: date, last: date) -> list[date]:
    """The team's weekly check-in days from the cycle's first week up to `last`."""
    weekday = _CHECKIN_WEEKDAY[team]
    first = start + timedelta(days=3)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    days: list[date] = []
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=7)
    return days


def _month_ends(anchor: date, count: int) -> list[date]:
    """The last `count` month ends on or before `anchor`, oldest first."""
    ends: list[date] = []
    day = anchor.replace(day=1) - timedelta(days=1)
    if (anchor + timedelta(days=1)).month != anchor.month:
        day = anchor
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends[::-1]


# --------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    """A number written plainly: dot decimals, no thousands separators, no trailing zeros."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _round(value: float, decimals: int) -> float:
    rounded = round(value, decimals)
    return float(int(rounded)) if decimals <= 0 else rounded


def _fmt_value(value: float, decimals: int) -> str:
    if decimals <= 0:
        return str(int(_round(value, decimals)))
    return f"{round(value, decimals):.{decimals}f}"


def _to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Key result value paths
# --------------------------------------------------------------------------------------------


def _wanted_progress(plan: str, expected: float, floors: StatusFloors, rng: random.Random) -> float:
    """Progress at the anchor for a planned status, given the expected progress and where the rules
    begin On Track and At Risk at it (``floors``; Complete from 1). The values aim at the middle of
    each band so that rounding never moves a key result to another status.
    """
    on_track_from, at_risk_from = floors
    if plan == "done":
        return 1.0
    if plan == "on":
        return min(0.95, max(on_track_from, expected) * rng.uniform(1.03, 1.22))
    if plan == "risk":
        return at_risk_from + (on_track_from - at_risk_from) * rng.uniform(0.35, 0.65)
    # Off Track: well below the At Risk band, sometimes moving the wrong way.
    return at_risk_from * rng.uniform(-0.35, 0.45)


_NOTES: Final[dict[str, tuple[str, ...]]] = {
    "on": (
        "On plan",
        "Steady progress this week",
        "Ahead of plan after the last release",
        "Good week",
        "Trend holding",
    ),
    "risk": (
        "Slower than planned",
        "Waiting on another team",
        "Need to re-plan the next two weeks",
        "Progress stalled for a week",
    ),
    "off": (
        "No movement this week",
        "Blocked, escalated to the lead",
        "Needs a new approach",
        "Went the wrong way this week",
    ),
    "done": ("Target reached", "Done"),
    "open": ("In progress", "Scope agreed", "Waiting on a vendor", "Draft ready for review"),
}

_WORDS: Final[tuple[str, ...]] = ("low", "medium", "high")


def _confidence(level: float, words: bool) -> str:
    """`level` is 0-10; written as a number or as low/medium/high."""
    level = min(10.0, max(0.0, level))
    if words:
        return _WORDS[0] if level < 4.5 else _WORDS[1] if level < 6.5 else _WORDS[2]
    return str(round(level))


# The plan word of each status the rules give a key result's value.
_PLAN_OF_STATUS: Final[dict[str, str]] = {
    "Complete": "done", "On Track": "on", "At Risk": "risk", "Off Track": "off",
}


_CONFIDENCE_LEVEL: Final[dict[str, float]] = {"on": 7.5, "risk": 5.5, "off": 3.5, "done": 9.0}


def _in_bound_share(plan: str, committed: bool) -> float:
    """Share of check-ins inside the bound wanted for an at_least / at_most key result.

    Such a key result is expected inside its bound all cycle long: its progress is the share of
    check-ins inside the bound, against an expectation of 1 (committed) or 0.7 (aspirational).
    """
    shares = {
        "on": (1.0, 0.86),
        "risk": (0.8, 0.53),
        "off": (0.45, 0.25),
        "done": (1.0, 1.0),
    }
    return shares[plan][0 if committed else 1]


def _numeric_path(
    kr: _KR, cycle: _Cycle, days: list[date], final_progress: float, rng: random.Random
) -> list[float]:
    """Values of an increase / decrease key result: on pace with `final_progress` at the end."""
    baseline = kr.baseline or 0.0
    delta = (kr.target if kr.target is not None else 1.0) - baseline
    last_share = max(cycle.share(days[-1]), 1e-6)
    reach_share = last_share * rng.uniform(0.6, 0.85)  # when a finished one got there
    final_value = _round(baseline + delta * final_progress, kr.decimals)
    values: list[float] = []
    for index, day in enumerate(days):
        share = cycle.share(day)
        if final_progress >= 1:
            progress = final_progress * min(1.0, share / reach_share)
        else:
            progress = final_progress * share / last_share
            if index < len(days) - 1:
                progress += rng.gauss(0.0, 0.035)
        value = _round(baseline + delta * progress, kr.decimals)
        if kr.cumulative:
            # Counts never go down and never pass the last check-in's value.
            value = min(max(value, baseline), max(final_value, baseline))
            if values:
                value = max(value, values[-1])
        values.append(value)
    return values


def _milestone_path(cycle: _Cycle, days: list[date], done: bool, rng: random.Random) -> list[float]:
    reach_share = cycle.share(days[-1]) * rng.uniform(0.6, 0.85)
    return [1.0 if done and cycle.share(day) >= reach_share else 0.0 for day in days]


def _bound_path(kr: _KR, days: list[date], share_in: float, rng: random.Random) -> list[float]:
    """Values of an at_least / at_most key result with about `share_in` of them in bound."""
    assert kr.good is not None and kr.bad is not None
    count = len(days)
    misses = count - round(share_in * count)
    # Mostly on track: the misses were early in the cycle. Otherwise they are anywhere.
    candidates = list(range(count - 1)) if share_in >= 0.85 else list(range(count))
    missed = set(rng.sample(candidates, min(misses, len(candidates))))
    values: list[float] = []
    for index in range(count):
        low, high = kr.bad if index in missed else kr.good
        values.append(_round(rng.uniform(low, high), kr.decimals))
    return values


def _kr_checkins(
    team: str,
    kr: _KR,
    cycle: _Cycle,
    last_day: date,
    final_progress: float,
    end_point: float,
    floors: dict[float, StatusFloors],
    rng: random.Random,
) -> list[dict[str, str]]:
    """Weekly check-ins of one key result, ending with `final_progress` on the last one.

    For at_least / at_most key results `final_progress` is the share of check-ins in bound.
    `end_point` is the progress the rules expect by the cycle's end; the status of each check-in,
    which sets the owner's confidence and note, is read from the rules' `floors` at the progress
    expected on its day (:func:`_status_floors`).
    """
    days = _checkin_dates(team, cycle.start, last_day)
    finished = cycle.end <= last_day
    if finished and (not days or days[-1] != cycle.end):
        days.append(cycle.end)  # closing check-in on the last day of a finished cycle
    if not days:
        return []
    milestone = kr.kind == "milestone"
    bounded = kr.kind in ("at_least", "at_most")
    target = kr.target if kr.target is not None else 1.0
    if milestone:
        values = _milestone_path(cycle, days, final_progress >= 1, rng)
    elif bounded:
        values = _bound_path(kr, days, final_progress, rng)
    else:
        values = _numeric_path(kr, cycle, days, final_progress, rng)
    baseline = kr.baseline or 0.0
    rows: list[dict[str, str]] = []
    in_bound = 0
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        is_last = index == len(days) - 1
        if bounded:
            # Inside the bound is expected all cycle long: the share so far, never quite complete.
            in_bound += value >= target if kr.kind == "at_least" else value <= target
            status = floors[end_point].status(min(in_bound / (index + 1), 0.99))
        else:
            progress = (value - baseline) / (target - baseline) if target != baseline else 0.0
            status = floors[end_point * cycle.share(day)].status(progress)
        state = _PLAN_OF_STATUS[status]
        if milestone and final_progress >= 1 and state != "done":
            state = "on"  # an open milestone that will be delivered: the owner stays confident
        level = _CONFIDENCE_LEVEL[state] + rng.uniform(-1.0, 1.0)
        if index < 2:
            level = max(level, 6.5)  # everyone is hopeful at the start
        note = ""
        if kr.concern and len(days) - index <= 2 and not finished:
            # Numbers on track, but the owner has lost confidence: the last two check-ins.
            level = 2.0 if is_last else 3.0
            note = kr.concern if is_last else ""
        elif milestone and value >= 1 and (index == 0 or values[index - 1] < 1):
            note = "Done"
        elif rng.random() < 0.18:
            note = rng.choice(_NOTES["open" if milestone and value < 1 else state])
        rows.append(
            {
                "team": team,
                "key_result": kr.title,
                "cycle": cycle.name,
                "date": day.isoformat(),
                "value": _fmt_value(value, 0 if milestone else kr.decimals),
                "confidence": _confidence(level, kr.word_confidence),
                "note": note,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def _okr_rows(cycle: _Cycle, objectives: tuple[_Objective, ...]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for objective in objectives:
        for kr in objective.krs:
            rows.append(
                {
                    "cycle": cycle.name,
                    "start_date": cycle.start.isoformat(),
                    "end_date": cycle.end.isoformat(),
                    "team": objective.team,
                    "objective": objective.title,
                    "objective_owner": objective.owner,
                    "objective_type": objective.objective_type,
                    "parent_objective": objective.parent,
                    "key_result": kr.title,
                    "owner": kr.owner,
                    "kind": kr.kind,
                    "baseline": "" if kr.kind == "milestone" else _fmt(kr.baseline),
                    "target": _fmt(kr.target),
                    "unit": kr.unit,
                    "weight": kr.weight,
                    "kpi": kr.kpi,
                    "current": "",
                    "date": "",
                    "confidence": "",
                }
            )
    return rows


def _status_floors(rules: Rules, plans: tuple[tuple[_Cycle, tuple[_Objective, ...], date], ...]
                   ) -> dict[float, StatusFloors]:
    """Where the rules begin On Track and At Risk at every progress the demo expects: each objective
    type's end point times the elapsed share of each day of each cycle up to its last day, and the
    planned share at that day (one question to the rules for all of them)."""
    expected: set[float] = set()
    for cycle, objectives, last_day in plans:
        shares = {cycle.share(cycle.start + timedelta(days=n)) for n in range((last_day - cycle.start).days + 1)}
        shares |= {1.0, max(cycle.share(last_day), 0.01)}
        for kind in {objective.objective_type for objective in objectives}:
            expected |= {rules.end_point(kind) * share for share in shares}
    ordered = sorted(expected)
    return dict(zip(ordered, rules.status_floors(ordered), strict=True))


def _checkin_rows(anchor: date, current: _Cycle, previous: _Cycle, rules: Rules) -> list[dict[str, str]]:
    rng = random.Random(_SEED)
    rows: list[dict[str, str]] = []
    plans = ((previous, _PREVIOUS, previous.end), (current, _CURRENT, anchor))
    floors = _status_floors(rules, plans)
    for cycle, objectives, last_day in plans:
        final_share = cycle.share(last_day)
        for objective in objectives:
            end_point = rules.end_point(objective.objective_type)
            expected_now = end_point * max(final_share, 0.01)
            for kr in objective.krs:
                if kr.kpi:
                    continue  # values come from the KPI's measurements
                if not isinstance(kr.plan, str):
                    progress = kr.plan  # end-of-cycle grade of a finished cycle
                elif kr.kind in ("at_least", "at_most"):
                    progress = _in_bound_share(kr.plan, objective.objective_type == "committed")
                else:
                    progress = _wanted_progress(kr.plan, expected_now, floors[expected_now], rng)
                if kr.kind == "milestone":
                    progress = 1.0 if progress >= 1 else 0.0
                rows.extend(
                    _kr_checkins(objective.team, kr, cycle, last_day, progress, end_point, floors, rng)
                )
    rows.sort(key=lambda row: (row["date"], row["team"], row["key_result"]))
    return rows


def _kpi_rows(anchor: date) -> list[dict[str, str]]:
    rng = random.Random(_SEED + 1)
    first_day = anchor - timedelta(days=_KPI_HISTORY_DAYS)
    last_sunday = anchor - timedelta(days=(anchor.weekday() - 6) % 7)
    weekly: list[date] = []
    day = last_sunday
    while day >= first_day:
        weekly.append(day)
        day -= timedelta(days=7)
    weekly.reverse()
    target_change = _quarter_of(anchor).start  # targets raised for the current quarter
    rows: list[dict[str, str]] = []
    for kpi in _KPIS:
        points: list[tuple[date, str]] = []
        if kpi.frequency == "monthly":
            ends = _month_ends(anchor, len(kpi.series))
            points = [(d, _fmt(v)) for d, v in zip(ends, kpi.series, strict=True)]
        else:
            count = len(weekly)
            for index, day in enumerate(weekly):
                t = index / max(count - 1, 1)
                value = kpi.start + (kpi.end - kpi.start) * min(1.0, t / kpi.plateau)
                if index < count - 1:
                    value += rng.gauss(0.0, kpi.noise)
                points.append((day, _fmt_value(value, kpi.decimals)))
        for day, text in points:
            target = kpi.target
            if kpi.earlier_target is not None and day < target_change:
                target = kpi.earlier_target
            rows.append(
                {
                    "team": kpi.team,
                    "kpi": kpi.name,
                    "date": day.isoformat(),
                    "value": text,
                    "target": _fmt(target),
                    "unit": kpi.unit,
                    "direction": kpi.direction,
                    "min": _fmt(kpi.low),
                    "max": _fmt(kpi.high),
                    "tolerance": kpi.tolerance,
                    "frequency": kpi.frequency,
                    "kpi_type": kpi.kpi_type,
                    "indicator": kpi.indicator,
                    "category": kpi.category,
                    "owner": kpi.owner,
                }
            )
    return rows


def build_demo_files(anchor: date, rules: Rules | None = None) -> dict[str, str]:
    """CSV texts of the demo company as seen on `anchor`, its statuses planned by `rules` (by default
    the rules with the process's settings).

    Returns ``{"okrs.csv": ..., "kpis.csv": ..., "checkins.csv": ...}``: the OKRs of the
    calendar quarter containing `anchor` and of the quarter before it, weekly check-ins of every
    key result not linked to a KPI, and about six months of KPI measurements. All dates are on or
    before `anchor`; the texts use canonical headers, commas, ISO dates, dot decimals and LF.
    """
    current = _quarter_of(anchor)
    previous = _previous_quarter(current)
    okrs = _okr_rows(previous, _PREVIOUS) + _okr_rows(current, _CURRENT)
    if rules is None:
        from okrdash.rules import Rules

        with Rules() as own:
            checkins = _checkin_rows(anchor, current, previous, own)
    else:
        checkins = _checkin_rows(anchor, current, previous, rules)
    return {
        "okrs.csv": _to_csv(OKR_COLUMNS, okrs),
        "kpis.csv": _to_csv(KPI_COLUMNS, _kpi_rows(anchor)),
        "checkins.csv": _to_csv(CHECKIN_COLUMNS, checkins),
    }


def write_demo_files(folder: Path, anchor: date = DEMO_ANCHOR) -> list[Path]:
    """Write the demo CSV files into `folder` (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, text in build_demo_files(anchor).items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def load_demo(store: Store, anchor: date | None = None, writer: Access | None = None) -> ImportResult:
    """Import the demo company into `store` as seen on `anchor` (default: today), written by
    `writer` (default: the admin "demo").

    The files go through the ordinary importer, so loading them twice updates rows instead of
    duplicating them.
    """
    from okrdash.access import admin_writer
    from okrdash.importing import Upload, import_files
    from okrdash.rules import Rules

    day = anchor or date.today()
    with store.cursor() as cursor:  # the store's rules, with its thresholds
        files = build_demo_files(day, Rules(store.config, cursor))
    uploads = [Upload(name, text.encode("utf-8")) for name, text in files.items()]
    return import_files(store, uploads, writer=writer or admin_writer("demo"), today=day)
