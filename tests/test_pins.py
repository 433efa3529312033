"""Pinned versions. The VBA half of xlwings that ships in macros/ and the Python half the package
installs are one version: RunPython calls the DLL that xlwings.bas declares, and an xlwings of another
version beside it breaks it. The checkers the suite runs are exact versions too."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import xlwings

ROOT = Path(__file__).resolve().parent.parent


def _bas_version() -> str:
    text = (ROOT / "macros" / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    stated = re.search(r"^'Version: ([0-9.]+)$", text, re.MULTILINE)
    dlls = set(re.findall(r"xlwings(?:32|64)-([0-9.]+)\.dll", text))
    assert stated and dlls == {stated.group(1)}, (stated, dlls)
    return stated.group(1)


def test_xlwings_pin_matches_the_vba_module() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if d.startswith("xlwings")]
    assert pins == [f"xlwings=={_bas_version()}"]


def test_installed_xlwings_is_the_pinned_one() -> None:
    assert xlwings.__version__ == _bas_version()


def test_checkers_are_pinned_exactly() -> None:
    """ruff, mypy and the stubs mypy reads are exact versions: a new release cannot turn the suite red."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    test = {re.split(r"[=<>!~ ]", d, maxsplit=1)[0]: d for d in extras["test"]}
    for name in ("ruff", "mypy", "pandas-stubs", "types-openpyxl"):
        assert re.fullmatch(rf"{name}==[0-9][0-9.]*", test[name]), test[name]
