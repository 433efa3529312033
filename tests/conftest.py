"""Session fixtures: the workbooks of tests/fixtures/, built once per test run into a temp folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# the parsed-TOML cache (xltools.datacache) of a test run stays in a temp folder, never in ~/.cache
os.environ.setdefault("XLTOOLS_CACHE", tempfile.mkdtemp(prefix="xltools-cache-"))

# CI is reproducible: every property test draws the same examples on every run (a red CI is a change
# of ours, never a new random draw). XLTOOLS_HYPOTHESIS=explore draws new ones, to hunt for more.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("XLTOOLS_HYPOTHESIS", "ci"))


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reference reports in every layout: '000_std', '001_titles', '000_y2018', … → path."""
    from fixture_books import build_all

    return build_all(tmp_path_factory.mktemp("books"))


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """std copies with one planted error or tail each: 'g2_item_off' … → path (see planted.PLANTS)."""
    from planted import build_planted

    out = build_planted(tmp_path_factory.mktemp("planted"))
    return {k.removeprefix("plant_"): v for k, v in out.items()}


@pytest.fixture(scope="session")
def bad_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files that must be refused with a clear Chinese message: 'not_a_zip', 'encrypted' … → path."""
    from bad import build_bad

    return build_bad(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def manifests(books: dict[str, Path]) -> dict[str, dict]:
    """The cell manifest of each book (table → 'row|col' → coordinate)."""
    from fixture_books import read_manifest

    return {name: read_manifest(path) for name, path in books.items()}
