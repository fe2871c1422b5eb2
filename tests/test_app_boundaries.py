"""The project's parts depend one way only: search/ is a library (it knows documents, not cases,
patients or permissions) and imports neither app; casework imports nothing from the public site
(cms_pages), which shows casework's data (reviewer specialties, payout limits) and uses its
services."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            # importlib.import_module("casework…") and __import__("casework…") count too.
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


@pytest.mark.parametrize(
    "package, forbidden",
    [("search", {"casework", "cms_pages"}), ("casework", {"cms_pages"})],
)
def test_a_part_imports_nothing_from_those_that_use_it(package, forbidden):
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in forbidden
    ]
    assert offending == []


def test_the_check_sees_an_import_from_an_app():
    source = "from casework.models import Case\nimport cms_pages.choices\nfrom . import documents\n"
    modules = [module for _, module in _imported_modules(ast.parse(source))]
    assert modules == ["casework.models", "cms_pages.choices"]
