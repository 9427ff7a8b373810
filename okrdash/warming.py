"""The kept scores and the read models every page starts from, computed before anyone asks (issue 27).

``okrdash serve`` starts one :class:`Warmer` per store. Its thread scores the whole company at
today's date (and at the dates views asked for most recently) once the server starts and again
after every write, off the request path, so the first view of a page after a start or a write
finds what it reads already kept: the scores, the overview, the KPI rows, the review of the
current cycle, the pickers' teams and owners, the week's check-ins.

It looks for a new write version every :data:`POLL_SECONDS` (on PostgreSQL, asking the version
reloads what another process wrote: that too leaves the request path) and at once when poked after
a write of this process (:func:`poke`). What it keeps is the store's own kept data: a view that
comes before the warmer finishes waits for the one scoring under way (the store scores a version
and date once) instead of starting another, and nothing built while a write committed is kept
(okrdash.store.scores), so the warmer never makes a view show a mix of two versions.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
from collections.abc import Callable

from okrdash import coach, readmodels, reminders, review
from okrdash.store import Store
from okrdash.i18n import LANGUAGES
from okrdash.views import overview as overview_view
from okrdash.views import review as review_view
from okrdash.views.common import Scope

POLL_SECONDS = 1.0
WARM_OTHER_DATES = 1  # dates warmed besides today's
# The kept scores' row positions (Scores.rows) that a team's, an objective's or a KPI's first lookup
# narrows by: a grouping of up to 30,000 rows each, 0.03-0.05 CPU s, made here, not in a first view.
LOOKUPS = (("key_results", "team"), ("key_results", "objective_id"), ("objectives", "team"),
           ("objectives", "objective_id"), ("kpis", "team"), ("expected_lines", "key_result_id"))
_LOG = logging.getLogger(__name__)


def warm(store: Store, as_of: dt.date) -> None:
    """Keep with the scores of ``as_of`` what the pages read first: the overview (what every view of
    it shows, shaped for the page in both languages) and the review of the cycle ``as_of`` falls in
    (and the dates that review grades on), the KPI rows, the pickers' teams and owners, the week's
    check-ins, and what a team's, an objective's or a KPI's first view looks up by (the row
    positions of :data:`LOOKUPS`, the coach's objective titles)."""
    scored = store.scores(as_of)
    for table, column in LOOKUPS:
        scored.rows(table, column)
    coach.objective_titles(store, as_of)
    readmodels.teams(store, as_of)
    readmodels.owners(store, as_of)
    reminders.week_checkins(store, as_of)
    readmodels.kpi_table(store, as_of, limit=1)
    cycle = readmodels.pick_cycle(store, None, as_of)
    if cycle is not None:
        for lang in LANGUAGES:  # what every overview shows, whichever company objective it lists
            overview_view.company_view(store, Scope(lang, cycle, as_of))
        review_view.review_teams(store, cycle, as_of)
        review_view.quarter_review(store, cycle, as_of, None)
        previous = review.previous_cycle(store.cycles(), cycle)
        for graded in {review.graded_on(cycle, as_of), *([review.graded_on(previous, as_of)] if previous else [])}:
            store.scores(graded)


def warm_examples(store: Store, as_of: dt.date) -> None:
    """Once per process: the explainer's examples and its two worked cases as a link opens them (the
    cases' starting numbers), scored in its own sandbox (they never change), and the overview's, KPIs'
    and review's views in both languages, so the charts' declarations (okrdash.charts, kept per
    declaration) and the number formats are made before the first visit."""
    from okrdash.views import explainer, kpis
    from okrdash.views.common import Words
    from okrdash.viewstate import ExplainerState, HomeState, KpisState, ReviewState

    for lang in LANGUAGES:
        scope = Scope(lang, readmodels.pick_cycle(store, None, as_of), as_of)
        explainer.view(store, ExplainerState(), scope)
        explainer.worked_cases(Words(lang), explainer.CASE_INPUTS)
        overview_view.view(store, HomeState(), scope)
        kpis.view(store, KpisState(), scope)
        review_view.view(store, ReviewState(), scope)


class Warmer:
    """A daemon thread warming ``store`` (:func:`warm`) at ``today()`` and at the dates the store
    scored most recently, whenever its write version is not the one last warmed."""

    def __init__(self, store: Store, today: Callable[[], dt.date] = dt.date.today,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.store, self._today, self._poll_seconds = store, today, poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._warmed: int | None = None  # the write version last warmed
        self._thread = threading.Thread(target=self._run, name="okrdash-warmer", daemon=True)

    def start(self) -> Warmer:
        self._thread.start()
        return self

    def poke(self) -> None:
        """A write just committed: look now, not at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()
        gc.unfreeze()

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Block until the store's current version is warmed (or ``timeout`` seconds pass); whether it is."""
        with self._idle:
            return self._idle.wait_for(lambda: self._warmed == self.store.write_version, timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                version = self.store.write_version  # PostgreSQL: reloads another process's writes
                if version != self._warmed:
                    gc.unfreeze()  # what the versions before kept can be collected again (_settle)
                    today = self._today()
                    # Today's date (what a link without a date shows) and the other date asked most
                    # recently: with the dates their reviews grade on, within the scorings kept.
                    for as_of in [today, *[d for d in self.store.scored_dates() if d != today][:WARM_OTHER_DATES]]:
                        warm(self.store, as_of)
                    if self._warmed is None:
                        warm_examples(self.store, today)
                    _settle()
                    with self._idle:
                        self._warmed = version
                        self._idle.notify_all()
                    if self.store.write_version != version:
                        continue  # written meanwhile: warm the newer version now
            except Exception:  # noqa: BLE001 - a failed warm-up leaves the views to compute it; the server stays up
                _LOG.exception("okrdash could not warm the kept scores; the next view computes them")
            self._wake.wait(self._poll_seconds)
            self._wake.clear()


def _settle() -> None:
    """Collect the garbage of the versions before (their kept scores and views) here, off the request
    path, and leave every object alive now out of later collections. What the warmer keeps is some
    200,000 objects: a full collection that a view's allocations set off walked them all (0.14 CPU s
    in a first view after a write, at a load of 20); now collections walk what was made since (a
    reference cycle among the frozen objects that dies waits for the next warm-up's collection)."""
    gc.collect()
    gc.freeze()


_WARMERS: dict[int, Warmer] = {}
_WARMERS_LOCK = threading.Lock()


def start(store: Store) -> Warmer:
    """The warmer of ``store`` in this process, started on the first call."""
    with _WARMERS_LOCK:
        found = _WARMERS.get(id(store))
        if found is None or found.store is not store:
            found = _WARMERS[id(store)] = Warmer(store).start()
        return found


def poke() -> None:
    """A write just committed in this process: every warmer of the process looks now."""
    with _WARMERS_LOCK:
        warmers = list(_WARMERS.values())
    for warmer in warmers:
        warmer.poke()


def stop() -> None:
    """Stop every warmer of the process (before its store closes)."""
    with _WARMERS_LOCK:
        warmers = list(_WARMERS.values())
        _WARMERS.clear()
    for warmer in warmers:
        warmer.stop()
