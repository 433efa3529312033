"""The benchmarks are not run in CI (they are figures, not timed tests), but every name they import
from xltools must exist: a renamed function once broke bench_libreoffice.py unnoticed."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _imports() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xltools"):
                out += [(path.name, node.module or "", alias.name) for alias in node.names]
    return out


@pytest.mark.parametrize(("bench", "module", "name"), _imports())
def test_bench_imports_exist(bench: str, module: str, name: str) -> None:
    found = importlib.import_module(module)
    assert hasattr(found, name) or importlib.util.find_spec(f"{module}.{name}") is not None, (
        f"{bench}: {module} has no {name}"
    )
