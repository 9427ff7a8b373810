"""``st.cache_data`` for functions defined at module level, made when first called instead of on import;
and the view models every session shares (:func:`shared_view`)."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from okrdash.store import Store

F = TypeVar("F", bound=Callable[..., Any])


def cache_data(**options: Any) -> Callable[[F], F]:
    """``@st.cache_data(**options)``, applied on the function's first call.

    Streamlit checks a cached function's options against its runtime's cache storage when the
    decorator runs. These modules are imported outside any script run (``okrdash serve`` loads them
    before Streamlit starts, tests import them), where no runtime exists, and each decorator logged
    "No runtime found, using MemoryCacheStorageManager": seven warnings at every start that looked
    like errors. A call always comes from a script run. The cache is Streamlit's own either way
    (keyed by the function's module, name and source), so ``st.cache_data.clear()`` clears it.
    """

    def decorate(func: F) -> F:
        made: list[Any] = []

        def cached() -> Any:
            if not made:
                made.append(st.cache_data(**options)(func))
            return made[0]

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            return cached()(*args, **kwargs)

        call.clear = lambda *args, **kwargs: cached().clear(*args, **kwargs)  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate


# View models kept across sessions, per page, arguments and write version (issue 27).
SHARED_VIEWS = 256
_views: OrderedDict[tuple, Any] = OrderedDict()
_views_lock = threading.Lock()
V = TypeVar("V")


def shared_view(view: Callable[..., V], store: Store, *args: Hashable) -> V:
    """``view(store, *args)``, the page's view model, kept for every session until the next write.

    A view model is a frozen object of the page's state, the scope, the reader's rights, and the
    store's data: two sessions asking for one view with one version of the data get one object,
    and the second only draws it (a view was 0.05-0.3 CPU s of Python, and a process serves one
    session's Python at a time). Kept only when no write committed while it was built (the
    version before and after are one), so a kept view never mixes two versions; the
    :data:`SHARED_VIEWS` most recently used are kept, all of the current version.
    """
    version = store.write_version
    # The store itself (by identity): two databases' versions are counted apart.
    key = (version, store, view.__module__, view.__qualname__, *args)
    with _views_lock:
        found = _views.get(key)
        if found is not None:
            _views.move_to_end(key)
            return found
    built = view(store, *args)
    with _views_lock:
        if store.write_version == version:
            for stale in [k for k in _views if k[0] != version]:
                del _views[stale]
            _views[key] = built
            while len(_views) > SHARED_VIEWS:
                _views.popitem(last=False)
    return built
