"""The import contract: each layer imports only layers below it, so the packages cannot form a cycle.

    base (errors, model, text, io, …) → formats, codes → read → rules → fix, fill, narrative → audit
    → excel, addin, commands → cli

Every import counts, inside functions too (a lazy import is still a dependency: read → excel.udfs →
read once made an uncached =CHECK_RULE() hang the reader); only `if TYPE_CHECKING:` imports, which never
run, are exempt. A module of a package not in LAYERS fails the test: place it in the map.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xltools"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "model", "text", "io", "perf", "numbers", "vocabulary", "datacache"}),
    frozenset({"formats", "codes"}),
    frozenset({"read"}),
    frozenset({"rules"}),
    frozenset({"fix", "fill", "narrative"}),
    frozenset({"audit"}),
    frozenset({"excel", "addin", "commands"}),
    frozenset({"cli", "__init__", "__main__"}),  # xltools/__init__.py is the library's front (check())
)
# imports between different packages of one layer that are part of the design (the rest are refused,
# so siblings such as fix and fill stay independent)
SIBLINGS = {
    ("commands", "excel"),
    ("commands", "addin"),
    ("addin", "excel"),  # the builder renders the ribbon the runtime handlers describe
    ("io", "errors"),
    ("datacache", "io"),  # the cache writes through the one atomic writer
    ("datacache", "errors"),
    ("model", "vocabulary"),
    ("numbers", "vocabulary"),
}
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> list[ast.AST]:
    """Every node below `node`, skipping the bodies of `if TYPE_CHECKING:` (their `else` counts)."""
    out: list[ast.AST] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for sub in child.orelse:
                out += [sub, *_walk(sub)]
            continue
        out += [child, *_walk(child)]
    return out


def imports_of(path: Path, package_root: Path) -> list[Import]:
    """The xltools imports of one source file, relative ones resolved, inner ones included."""
    parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
    is_init = parts[-1] == "__init__"
    if is_init:
        parts.pop()
    module = ".".join(parts)
    here = parts if is_init else parts[:-1]
    found: list[Import] = []
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found += [
                Import(module, _module_of(f"{target}.{a.name}", package_root), node.lineno)
                for a in node.names
            ]
        elif isinstance(node, ast.Import):
            found += [Import(module, a.name, node.lineno) for a in node.names]
    # the bare package (from xltools import __version__) runs with any of its modules anyway
    return [i for i in found if i.target.startswith(package_root.name + ".")]


def _module_of(dotted: str, package_root: Path) -> str:
    """`pkg.name` when it is a module of the tree (from xltools import codes), else `pkg` (an attribute)."""
    path = package_root.parent.joinpath(*dotted.split("."))
    if path.is_dir() or path.with_suffix(".py").is_file():
        return dotted
    return dotted.rpartition(".")[0]


def _unit(dotted: str) -> str:
    """The layer unit of a module: its top-level package or module under xltools ('__init__' for xltools)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def violations(package_root: Path) -> list[str]:
    """Every import that goes up the layers or sideways between siblings, or from an unplaced module."""
    out: list[str] = []
    for path in sorted(package_root.rglob("*.py")):
        for imp in imports_of(path, package_root):
            src, dst = _unit(imp.module), _unit(imp.target)
            where = f"{path.relative_to(package_root.parent)}:{imp.line} imports {imp.target}"
            if src not in RANK or dst not in RANK:
                out.append(
                    f"{where}: {src if src not in RANK else dst} is in no layer (tests/test_layers.py)"
                )
            elif RANK[dst] > RANK[src]:
                out.append(f"{where}: {src} (layer {RANK[src]}) may not import {dst} (layer {RANK[dst]})")
            elif RANK[dst] == RANK[src] and src != dst and (src, dst) not in SIBLINGS:
                out.append(f"{where}: siblings {src} and {dst} may not import each other")
    return out


def test_layers_import_only_downwards() -> None:
    assert violations(PACKAGE) == []


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """The check itself: a reader importing the Excel layer inside a function, a format importing fill
    under a relative import, and a sibling import are all refused; a TYPE_CHECKING import is not."""
    pkg = tmp_path / "xltools"
    for sub in ("read", "formats", "fix", "fill", "rules"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "read" / "compute.py").write_text("def f():\n    from xltools.excel.udfs import CHECK_RULE\n")
    (pkg / "formats" / "__init__.py").write_text("from ..fill import leaves\n")
    (pkg / "fill" / "leaves.py").write_text("")
    (pkg / "fix" / "plan.py").write_text("import xltools.fill.model\n")
    (pkg / "rules" / "ok.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from xltools.excel import book\n"
        "from xltools.read import compute\n"
    )
    found = violations(pkg)
    assert len(found) == 3, found
    assert any(
        "read/compute.py:2 imports xltools.excel.udfs" in v and "may not import excel" in v for v in found
    )
    assert any("formats/__init__.py:1 imports xltools.fill.leaves" in v for v in found)
    assert any("siblings fix and fill" in v for v in found)


def test_excel_loads_the_udfs_without_the_narrative() -> None:
    """What Excel imports for the worksheet functions stays small: no narrative, fix, fill or commands."""
    code = (
        "import sys, xltools.excel.udfs\n"
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('xltools.') }))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(proc.stdout.strip()))
    assert "excel" in loaded
    assert not loaded & {"narrative", "fix", "fill", "commands", "audit", "cli"}, loaded
