"""Streamlit is imported only by app.py, pages/ and okrdash/ui/: the rest of the package stays pure.

Every module file of okrdash/ is read (not imported, so a lazy import inside a function counts too).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import okrdash

PACKAGE = Path(okrdash.__file__).parent
UI = PACKAGE / "ui"


def streamlit_imports(source: str) -> list[int]:
    """Lines of ``source`` that import Streamlit, in any form (``import streamlit.x as y``, ``from streamlit ...``)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        else:
            continue
        if any(name == "streamlit" or name.startswith("streamlit.") for name in names):
            lines.append(node.lineno)
    return sorted(lines)


def package_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if UI not in path.parents)


def test_no_module_outside_ui_imports_streamlit():
    modules = package_modules()
    assert PACKAGE / "formatting.py" in modules and PACKAGE / "importing" / "pipeline.py" in modules
    offenders = {str(path.relative_to(PACKAGE)): lines for path in modules
                 if (lines := streamlit_imports(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_check_finds_every_form_of_import():
    source = "\n".join([
        "import os",
        "def lazy():",
        "    import streamlit as st",
        "from streamlit.testing.v1 import AppTest",
        "import importlib; importlib.import_module('streamlit')",
        "import streamlit_extras",  # another package: not Streamlit
        "from .streamlit import x",  # a relative module of that name: not Streamlit
    ])
    assert streamlit_imports(source) == [3, 4, 5]
    assert streamlit_imports((UI / "widgets.py").read_text(encoding="utf-8")), "ui/ does import Streamlit"


def test_importing_the_pure_package_loads_no_streamlit():
    names = sorted(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
                   for path in package_modules() if path.name != "__main__.py")
    code = f"import sys\nfor name in {names!r}: __import__(name)\nprint('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    assert result.stdout.strip() == "False", result.stderr
