"""``st.cache_data`` for functions defined at module level, made when first called instead of on import."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

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
