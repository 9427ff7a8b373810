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


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports, anywhere in its file (a lazy import inside a
    function counts: it runs too), except under ``if TYPE_CHECKING:`` (never run). ``from a import b``
    names module ``a.b`` when that is a module, else ``a``; relative imports are resolved."""
    root = package.parent
    files = {module_name(path, root): path for path in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {id(node) for block in ast.walk(tree)
                     if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                     for node in ast.walk(block)}
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        imported: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
                imported.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                                for alias in node.names)
        graph[name] = {module for module in imported if module in files and module != name}
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others (strongly connected)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return circles


def test_no_import_circle_in_the_package():
    circles = import_circles(import_graph(PACKAGE))
    # okrdash/ui's own circle (auth -> context -> panels -> widgets -> context) goes with the pages'
    # redesign (issue 23); every other module, the store's and its two backends' included, has none.
    assert [circle for circle in circles if not all(m.startswith("okrdash.ui.") for m in circle)] == []
    assert "okrdash.store.file_store" in import_graph(PACKAGE)["okrdash.postgres_store"]


def test_the_circle_check_finds_lazy_and_relative_imports_and_skips_type_only_ones(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import b\n")
    (package / "a.py").write_text("def later():\n    from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from ..c import x\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.sub.b\n"
                                  "import pkg.a\nx = 1\n")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"} and graph["pkg.sub.b"] == {"pkg.c"} and graph["pkg.c"] == {"pkg.a"}
    assert import_circles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]
    (package / "c.py").write_text("x = 1\n")
    assert import_circles(import_graph(package)) == []
