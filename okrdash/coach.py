"""OKR quality checks: advice on how objectives and key results are written, never a blocker.

The checks follow the source documents' advice: an objective is short, inspiring and free of
numbers; it has two to five measurable key results; a team keeps to a few objectives and links
them to a higher objective; a key result is an outcome with a baseline and a target, not a task.
At the end of a cycle, a missed committed objective deserves a postmortem (the rules' ``postmortem``).
How many key results and objectives, and how long a title, are rule settings with their sources
(``settings.min_key_results`` ... ``max_objective_title``). Ambition is judged per team on its
average, in the quarter review (``okr_raise_ambition``), never on one objective here.

Two entry points share every check:

- :func:`check_store` reads the stored OKRs through ``Store.objective_scores`` / ``kr_scores``
  (grades come from the rules in ``rules.sql``, never recomputed here);
- :func:`check_rows` reads the canonical text columns of an okrs upload (``FileSummary.preview``)
  before anything is written; the grade checks do not apply there.

A :class:`Finding` carries a check name and parameters; its text comes from the ``coach.*``
strings in ``locales/<lang>/coach.toml``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from okrdash.i18n import translate
from okrdash.models import Cycle, KRKind, parse_enum
from okrdash.readmodels import COMPANY_TEAMS, records
from okrdash.settings import Settings, settings

if TYPE_CHECKING:
    from okrdash.store import Store

__all__ = [
    "CHECKS",
    "TASK_WORDS",
    "Finding",
    "check_rows",
    "check_store",
    "number_in_title",
    "task_word",
]

Severity = Literal["warning", "info"]

# Every check and its severity, in the order findings are listed for one objective.
CHECKS: dict[str, Severity] = {
    "too_many_objectives": "warning",
    "objective_has_number": "warning",
    "objective_title_too_long": "info",
    "objective_not_aligned": "info",
    "too_few_key_results": "warning",
    "too_many_key_results": "warning",
    "committed_below_one": "warning",
    "key_result_is_task": "warning",
    "key_result_without_target": "warning",
    "key_result_without_baseline": "info",
}

# Verbs that make a key result read as a task (an activity) rather than an outcome; English and
# Indonesian, matched as whole words anywhere in the title, case-insensitively.
TASK_WORDS: tuple[str, ...] = (
    # English
    "launch", "hold", "talk to", "speak to", "run", "organise", "organize", "publish", "implement",
    "create", "build", "set up", "roll out", "conduct", "host", "write", "hire", "introduce",
    "arrange", "prepare", "develop", "design", "deploy", "migrate", "train", "interview",
    "attend", "send", "kick off", "carry out", "perform", "watch", "review", "check",
    "collaborate", "redesign", "install", "schedule",
    # Bahasa Indonesia
    "luncurkan", "meluncurkan", "lakukan", "melakukan", "laksanakan", "melaksanakan", "adakan",
    "mengadakan", "gelar", "menggelar", "bicaralah", "berbicara", "terapkan", "menerapkan",
    "buat", "membuat", "selenggarakan", "menyelenggarakan", "publikasikan", "mempublikasikan",
    "terbitkan", "menerbitkan", "implementasikan", "mengimplementasikan", "susun", "menyusun",
    "rekrut", "merekrut", "kembangkan", "mengembangkan", "siapkan", "menyiapkan", "bangun",
    "membangun", "tulis", "menulis", "jalankan", "menjalankan", "perkenalkan",
    "memperkenalkan", "tonton", "menonton", "periksa", "memeriksa", "kirim", "mengirim",
    "hadiri", "menghadiri", "latih", "melatih", "rancang", "merancang", "pasang", "memasang",
    "kolaborasi", "berkolaborasi", "wawancarai", "mewawancarai",
)

_TASK_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(
        re.escape(word).replace(r"\ ", r"\s+") for word in sorted(TASK_WORDS, key=len, reverse=True)
    ) + r")(?![\w-])",
    re.IGNORECASE,
)

# Alphanumeric tokens that hold a digit ("2", "30-day" -> "30", "Q3", "B2B", "Rp150").
_DIGIT_TOKEN = re.compile(r"[^\W_]*\d[^\W_]*(?:[.,]\d+)*")
# Tokens with a digit that name a time or a thing rather than a metric: quarters (Q3, K2, TW1),
# halves (H1, S2), fiscal years and years (FY26, 2026), and words like B2B or Web3.
_TIME_TOKEN = re.compile(r"^(?:q[1-4]|k[1-4]|tw[1-4]|h[12]|s[12]|fy\d{2,4}|(?:19|20)\d\d)$", re.IGNORECASE)
_CURRENCY_TOKEN = re.compile(r"^(?:rp|idr|usd|us)\d", re.IGNORECASE)


def number_in_title(title: str) -> str | None:
    """The first number or percentage in an objective title, or None.

    Digits and "%" count; a quarter, half or year ("Q3", "H1", "2026") is a time frame, not a
    metric, and a digit inside a word ("B2B", "Web3") is part of a name. Number words do not count.
    """
    if "%" in title:
        match = re.search(r"[-+]?\d+(?:[.,]\d+)*\s*%", title)
        return match.group(0).replace(" ", "") if match else "%"
    for token in _DIGIT_TOKEN.findall(title):
        if _TIME_TOKEN.match(token):
            continue
        if token[0].isalpha() and not _CURRENCY_TOKEN.match(token):
            continue
        return token
    return None


def task_word(title: str) -> str | None:
    """The first task verb of :data:`TASK_WORDS` in a key result title, or None."""
    match = _TASK_PATTERN.search(title)
    return re.sub(r"\s+", " ", match.group(1)).lower() if match else None


@dataclass(frozen=True)
class Finding:
    """One piece of advice about an objective or key result.

    ``line`` is the file line for upload rows (None for stored OKRs); ``objective_id`` and
    ``key_result_id`` are set for stored OKRs (None for upload rows). ``variant`` picks another
    wording of the reason (``coach.<check>.reason_<variant>``).
    """

    check: str
    severity: Severity
    team: str
    cycle: str
    objective: str | None
    key_result: str | None
    line: int | None
    params: dict[str, Any] = field(default_factory=dict)
    objective_id: int | None = None
    key_result_id: int | None = None
    variant: str | None = None

    def reason(self, lang: str = "en") -> str:
        key = f"coach.{self.check}.reason" + (f"_{self.variant}" if self.variant else "")
        return translate(key, lang, **self._shown_params(lang))

    def fix(self, lang: str = "en") -> str:
        return translate(f"coach.{self.check}.fix", lang, **self._shown_params(lang))

    def _shown_params(self, lang: str) -> dict[str, Any]:
        """Parameters for the text: a grade always with one decimal (1.0, 0.8; 1,0 in Indonesian)."""
        shown = dict(self.params)
        if isinstance(shown.get("grade"), float):
            text = f"{shown['grade']:.1f}"
            shown["grade"] = text.replace(".", ",") if lang == "id" else text
        return shown

    def as_row(self, lang: str = "en") -> dict[str, Any]:
        """A flat row for a table: where, how serious, why and what to do."""
        return {
            "severity": self.severity, "team": self.team, "cycle": self.cycle, "objective": self.objective,
            "key_result": self.key_result, "line": self.line, "check": self.check,
            "reason": self.reason(lang), "fix": self.fix(lang),
        }


# -- a neutral shape both entry points fill ------------------------------------------------------


@dataclass
class _KR:
    title: str
    kind: KRKind | None
    has_baseline: bool
    has_target: bool
    line: int | None = None
    key_result_id: int | None = None


@dataclass
class _Objective:
    cycle: str
    team: str
    title: str
    parent: str | None
    line: int | None = None
    objective_id: int | None = None
    objective_type: str | None = None
    grade: float | None = None
    postmortem: bool = False          # the rules' postmortem: a committed objective missed
    ended: bool = False
    key_results: list[_KR] = field(default_factory=list)
    key_result_count: int | None = None


def _finding(check: str, objective: _Objective, kr: _KR | None = None, variant: str | None = None,
             **params: Any) -> Finding:
    return Finding(
        check=check, severity=CHECKS[check], team=objective.team, cycle=objective.cycle,
        objective=objective.title, key_result=kr.title if kr else None,
        line=(kr.line if kr else objective.line), params=params, objective_id=objective.objective_id,
        key_result_id=kr.key_result_id if kr else None, variant=variant,
    )


def _check(objectives: list[_Objective], cycle_titles: dict[str, set[str] | frozenset[str]], limits: Settings,
           parents_known: bool = True, grades: bool = False) -> list[Finding]:
    """Every check over objectives grouped by team and cycle.

    ``cycle_titles`` holds the objective titles of each cycle (every team), for alignment.
    ``limits`` gives the counts and lengths the checks hold OKRs to (the coach's rule settings).
    ``parents_known`` False skips "the parent is not an objective of this cycle" (a file checked
    without the store cannot know the objectives stored already).
    """
    findings: list[Finding] = []
    per_team: dict[tuple[str, str], list[_Objective]] = {}
    for objective in objectives:
        per_team.setdefault((objective.team, objective.cycle), []).append(objective)
    for (team, cycle), group in sorted(per_team.items()):
        if len(group) > limits.max_objectives:
            first = min(group, key=lambda o: (o.line or 0, o.objective_id or 0))
            findings.append(Finding(
                "too_many_objectives", CHECKS["too_many_objectives"], team, cycle, None, None, first.line,
                {"count": len(group), "maximum": limits.max_objectives, "team": team, "cycle": cycle},
            ))
        for objective in group:
            findings += _objective_findings(objective, cycle_titles.get(cycle, set()), limits, parents_known, grades)
    return findings


def _objective_findings(objective: _Objective, cycle_titles: set[str] | frozenset[str], limits: Settings,
                        parents_known: bool, grades: bool) -> list[Finding]:
    found: list[Finding] = []
    number = number_in_title(objective.title)
    if number is not None:
        found.append(_finding("objective_has_number", objective, number=number))
    if len(objective.title) > limits.max_objective_title:
        found.append(_finding("objective_title_too_long", objective, length=len(objective.title),
                              maximum=limits.max_objective_title))
    if objective.team.strip() not in COMPANY_TEAMS:
        if not objective.parent:
            found.append(_finding("objective_not_aligned", objective))
        elif parents_known and (objective.parent not in cycle_titles or objective.parent == objective.title):
            found.append(_finding("objective_not_aligned", objective, variant="unknown_parent",
                                  parent=objective.parent))
    count = objective.key_result_count if objective.key_result_count is not None else len(objective.key_results)
    if count < limits.min_key_results:
        found.append(_finding("too_few_key_results", objective, count=count, minimum=limits.min_key_results))
    elif count > limits.max_key_results:
        found.append(_finding("too_many_key_results", objective, count=count, maximum=limits.max_key_results))
    # The flag is the rules' (objective_scores' postmortem in rules.sql, as the quarter review reads it).
    if grades and objective.ended and objective.postmortem:
        if objective.grade is None:
            found.append(_finding("committed_below_one", objective, variant="ungraded"))
        else:
            found.append(_finding("committed_below_one", objective, grade=float(objective.grade)))
    for kr in objective.key_results:
        found += _key_result_findings(objective, kr)
    return found


def _key_result_findings(objective: _Objective, kr: _KR) -> list[Finding]:
    if kr.kind is KRKind.MILESTONE:
        return []  # a milestone is done or not: it needs neither a baseline nor a target
    verb = task_word(kr.title)
    if verb is not None and not kr.has_target:
        return [_finding("key_result_is_task", objective, kr, verb=verb)]
    found = []
    if not kr.has_target:
        found.append(_finding("key_result_without_target", objective, kr))
    if not kr.has_baseline and kr.kind not in (KRKind.AT_LEAST, KRKind.AT_MOST):
        found.append(_finding("key_result_without_baseline", objective, kr))
    return found


# -- stored OKRs ---------------------------------------------------------------------------------


def objective_titles(store: Store, as_of: dt.date) -> dict[str, frozenset[str]]:
    """Every cycle's objective titles, of every team: a team objective may align to another team's
    (or the company's). Gathered once per kept scoring (okrdash.warming does it before any view)."""
    scored = store.scores(as_of)
    return scored.kept("coach_cycle_titles", lambda: {
        name: frozenset(titles) for name, titles in scored.objectives.groupby("cycle")["title"]})


def check_store(store: Store, as_of: dt.date, cycle: str | None = None, team: str | None = None) -> list[Finding]:
    """Findings for the stored OKRs of ``cycle`` (every cycle when None) and ``team`` (every team).

    Grades and key result counts come from ``Store.objective_scores`` / ``kr_scores`` at ``as_of``;
    the grade checks apply to cycles that have ended on ``as_of``.
    """
    # Only the team's own rows become dicts: a large company has thousands of objectives per cycle.
    cycle_titles = {name: titles for name, titles in objective_titles(store, as_of).items()
                    if cycle is None or name == cycle}
    objective_rows = records(store.objective_scores(as_of, cycle=cycle, team=team))
    kr_rows = records(store.kr_scores(as_of, cycle=cycle, team=team))
    key_results: dict[int, list[_KR]] = {}
    for row in kr_rows:
        key_results.setdefault(row["objective_id"], []).append(_KR(
            title=row["title"], kind=_kind(row["kind"]), has_baseline=row["stated_baseline"] is not None,
            has_target=row["target"] is not None, key_result_id=row["key_result_id"],
        ))
    objectives = []
    for row in objective_rows:
        end = row["end_date"]
        objectives.append(_Objective(
            cycle=row["cycle"], team=row["team"], title=row["title"], parent=row["parent_title"],
            objective_id=row["objective_id"], objective_type=row["objective_type"], grade=row["grade"],
            postmortem=row["postmortem"], ended=end is not None and as_of >= end,
            key_results=key_results.get(row["objective_id"], []), key_result_count=row["key_result_count"],
        ))
    return _check(objectives, cycle_titles, store.config, grades=True)


# -- upload rows ---------------------------------------------------------------------------------


def check_rows(okr_rows: pd.DataFrame, store: Store | None = None) -> list[Finding]:
    """Findings for the rows of an okrs upload (canonical text columns plus ``line``).

    Columns used: cycle, team, objective, parent_objective, key_result, kind, baseline, target,
    line; a missing column counts as blank. Rows the importer would refuse (no cycle, team,
    objective or key result) are skipped: the importer reports them. With ``store``, a parent
    objective stored already counts as known; without it, only a missing parent is reported.
    """
    if okr_rows is None or okr_rows.empty:
        return []
    objectives: dict[tuple[str, str, str], _Objective] = {}
    cycle_titles: dict[str, set[str]] = {}
    for position, row in enumerate(okr_rows.to_dict("records")):
        cycle_text, team, title, kr_title = (_text(row.get(c)) for c in ("cycle", "team", "objective", "key_result"))
        if not (cycle_text and team and title and kr_title):
            continue
        cycle = _cycle_name(cycle_text)
        line = _line(row.get("line"), position)
        objective = objectives.get((cycle, team, title))
        if objective is None:
            objective = objectives[(cycle, team, title)] = _Objective(cycle, team, title, None, line=line)
            cycle_titles.setdefault(cycle, set()).add(title)
        objective.parent = objective.parent or _text(row.get("parent_objective"))
        objective.key_results.append(_KR(
            title=kr_title, kind=_kind(_text(row.get("kind"))),
            has_baseline=_text(row.get("baseline")) is not None, has_target=_text(row.get("target")) is not None,
            line=line,
        ))
    if store is not None:
        for row in records(store.key_result_index()):
            cycle_titles.setdefault(row["cycle"], set()).add(row["objective"])
    limits = store.config if store is not None else settings()
    return _check(list(objectives.values()), cycle_titles, limits, parents_known=store is not None)


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _line(value: Any, position: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return position + 2  # the header is line 1


def _cycle_name(text: str) -> str:
    """"Q2 2026" and "2026-Q2" name the same cycle; any other name is kept as written."""
    try:
        return Cycle.parse(text).name
    except Exception:  # noqa: BLE001 - a name that is not a quarter needs dates; keep it as written
        return text


def _kind(text: str | None) -> KRKind | None:
    if not text:
        return None
    try:
        return parse_enum(KRKind, text)
    except Exception:  # noqa: BLE001 - the importer reports a bad kind; the coach just ignores it
        return None
