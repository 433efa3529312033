"""Shared pieces of the benchmarks: timing (min of repeats), the raw calamine read, the books.

Every figure says what it measures: *in-process* (one call inside a running interpreter, imports
done) or *whole process* (a fresh `xltools …` or `soffice` from start to exit). Ratios are only
ever taken between two figures of the same kind, measured in the same run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "fixtures")]


def best_of(fn: Callable[[], object], repeat: int = 30) -> float:
    """The fastest of `repeat` timed calls after one warm-up call (seconds): the least disturbed run."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def raw_read(path: Path) -> None:
    """Every sheet of `path` read by python-calamine, nothing else: the floor of any reader."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for i in range(len(book.sheet_names)):
        book.get_sheet_by_index(i).to_python()


def process_time(cmd: Sequence[str], runs: int = 10) -> float:
    """The fastest of `runs` whole-process runs of `cmd` (seconds), one warm-up run first."""
    env = _env()
    subprocess.run(cmd, capture_output=True, check=False, env=env)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - t)
    return min(times)


def xltools(*args: str) -> list[str]:
    """The command line of a whole-process `xltools …` run from this checkout: what the `xltools`
    console script pip installs runs (`from xltools.cli import main; sys.exit(main())`). `python -m
    xltools.cli` would add runpy's start-up (~13 ms) that no user's `xltools` command pays."""
    return [sys.executable, "-c", "import sys; from xltools.cli import main; sys.exit(main())", *args]


def run_xltools(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(xltools(*args), capture_output=True, text=True, check=False, env=_env())


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # use compiled modules, as an installed package does
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def demo_book(tmp: Path) -> Path:
    """The filled demo workbook (`xltools demo`), with its 454-row 校验 sheet."""
    done = run_xltools("demo", "-o", str(tmp / "demo"))
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return tmp / "demo" / "示例部门决算公开表.xlsx"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×"
