"""Layouts kept on disk between runs (read.recall.keep): a later process reads a workbook of a kept
layout by coordinates, with the same results as a full read; a damaged entry, a folder that cannot
be written or XLTOOLS_CACHE=off only mean reading in full."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xltools.read import recall
from xltools.rules.engine import check_units
from xltools.rules.results import to_json


def _judged(path: Path) -> str:
    return to_json(check_units(path, passes=True), include_passes=True)


def _in_memory_only_forgotten() -> None:
    recall._MEMORY.clear()
    recall._KEPT.clear()


@pytest.mark.parametrize("name", ["000_std", "001_stacked", "000_yuan"])
def test_a_later_run_reads_a_kept_layout(books: dict[str, Path], name: str) -> None:
    recall.forget()
    first = _judged(books[name])  # read in full, kept on disk
    _in_memory_only_forgotten()  # as a new process
    disk = recall.HITS["disk"]
    again = _judged(books[name])
    assert recall.HITS["disk"] == disk + 1
    assert again == first


def test_a_damaged_entry_is_read_in_full(books: dict[str, Path]) -> None:
    recall.forget()
    first = _judged(books["000_std"])
    folder = recall._disk_folder()
    assert folder is not None
    (entry,) = folder.rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    _in_memory_only_forgotten()
    misses = recall.HITS["miss"]
    assert _judged(books["000_std"]) == first
    assert recall.HITS["miss"] == misses + 1


def _cli(book: Path, cache: str) -> str:
    env = dict(os.environ, XLTOOLS_CACHE=cache)
    done = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "check", str(book), "--format", "json", "--all"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_process_after_process(books: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _cli(books["001_std"], str(cache))
    assert list((cache / "layouts-1").rglob("*.pickle"))
    assert _cli(books["001_std"], str(cache)) == cold == _cli(books["001_std"], "off")
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    assert _cli(books["001_std"], str(blocked)) == cold  # cannot be written: read in full, same result
    assert json.loads(cold)["files"][0]["error"] is None
