"""The batch of `xltools check`: results rendered per file and joined are the one document of all of
them; workers give the same output, in the same order, as one process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from xltools.commands.check import BREAK_EVEN, died, in_workers
from xltools.rules.engine import check_path
from xltools.rules.results import batch_summary, to_json, to_junit, to_text

ROOT = Path(__file__).resolve().parent.parent


def test_pieces_join_to_the_whole_json(books: dict[str, Path], bad_books: dict[str, Path]) -> None:
    results = [check_path(p) for p in [*books.values(), bad_books["not_a_zip"]]]
    whole = {
        "xltools_result_version": 1,
        "files": [r.to_dict(True) for r in results],
        "summary": batch_summary(results),
    }
    assert to_json(results, include_passes=True) == json.dumps(whole, ensure_ascii=False, indent=2)
    assert to_json([]) == json.dumps(
        {"xltools_result_version": 1, "files": [], "summary": batch_summary([])}, ensure_ascii=False, indent=2
    )
    assert to_text(results).count("文件：") == len(results)
    assert to_junit(results).count("<testsuite ") == len(results)


def test_workers_give_the_same_output_in_order(books: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    sources = list(books.values())
    for i in range(BREAK_EVEN + 2):
        shutil.copy(sources[i % len(sources)], folder / f"b{i:03d}.xlsx")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.json"
        cmd = [sys.executable, "-m", "xltools.cli", "check", str(folder), "-j", jobs, "--format", "json"]
        proc = subprocess.run([*cmd, "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode in (0, 1), proc.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    paths = [f["path"] for f in json.loads(outputs[1])["files"]]
    assert paths == sorted(paths) and len(paths) == BREAK_EVEN + 2


def _dies_on_poison(path: Path) -> str:
    """A worker's job that really ends its process (as a native crash or the OOM killer would) on
    the files named 'poison'."""
    if "poison" in path.name:
        os._exit(9)
    return path.name


def test_a_worker_that_dies_is_one_files_failure_and_the_batch_goes_on(tmp_path: Path) -> None:
    files = [tmp_path / f"{name}.xlsx" for name in ("a", "b", "poison", "c", "d", "e")]
    out = list(in_workers(_dies_on_poison, files, 2, lambda p: f"dead:{p.name}"))
    assert out == ["a.xlsx", "b.xlsx", "dead:poison.xlsx", "c.xlsx", "d.xlsx", "e.xlsx"]


def test_a_dead_workers_file_reads_as_a_damaged_file_in_every_format() -> None:
    for output in ("text", "json", "junit"):
        (piece,) = died(Path("坏.xlsx"), output, False)
        assert piece.exit_code == 2 and piece.error and "坏.xlsx" in piece.error
        assert "文件已损坏" in piece.error and "内部出错" not in piece.error
        assert "坏.xlsx" in piece.piece
