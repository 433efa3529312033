"""Every command over several hundred hostile inputs (tests/robustness/corpus.py): exit 2 with a
Chinese message naming the file (or 0/1 when the input is still readable), no traceback, no
"内部出错", no hang, bounded memory, valid JSON/JUnit.

The corpus runs in one child process (runner.py: cli.main in-process, a timer per run, an address-space
limit for the whole), sharded over two children; a few runs go through real subprocesses for what only
they can show: kill -9 mid-write, concurrent in-place runs, a pipe as input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARDS = 2
MEMORY_MIB = 3072
TIMEOUT = 60  # seconds per run


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("XLTOOLS_DEBUG", None)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """Every run's judged outcome; a run that killed its process is reported as 'process died'."""
    procs = []
    for i in range(SHARDS):
        corpus = tmp_path_factory.mktemp(f"corpus{i}")
        cmd = [
            sys.executable,
            str(HERE / "runner.py"),
            str(corpus),
            "--shard",
            f"{i}/{SHARDS}",
            "--memory-mib",
            str(MEMORY_MIB),
            "--timeout",
            str(TIMEOUT),
        ]
        procs.append(
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
        )
    out: list[dict] = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=1800)
        started = None
        for line in stdout.splitlines():
            row = json.loads(line)
            if "started" in row:
                started = row
            else:
                out.append(row)
                started = None
        if started is not None or proc.returncode != 0:
            out.append(
                {
                    "case": started and started["started"],
                    "argv": started and started["argv"],
                    "verdict": f"process died ({proc.returncode}): {stderr[-300:]}",
                }
            )
    return out


@pytest.mark.slow
def test_corpus_every_command_fails_cleanly(runs: list[dict]) -> None:
    bad = [r for r in runs if r["verdict"] != "ok"]
    kinds = Counter(r.get("kind") for r in runs)
    codes = Counter(r.get("rc") for r in runs)
    print(
        f"\ncorpus: {len(runs)} runs, {len({r['case'] for r in runs})} inputs; kinds {dict(kinds)}; "
        f"exit codes {dict(codes)}"
    )
    assert len(runs) > 1500
    assert not bad, "\n".join(
        f"{r['case']} {' '.join(r['argv'] or [])[:120]}: {r['verdict']}" for r in bad[:30]
    )


@pytest.mark.slow
def test_corpus_damaged_files_are_refused(runs: list[dict]) -> None:
    """A damaged part the reader needs is exit 2, never a silent pass: the truncated files, missing
    workbook parts and UTF-16 sheets all end in 2 on `check`."""
    must = [r for r in runs if r["argv"] and r["argv"][0] == "check" and r["kind"] in ("truncated",)]
    must += [
        r
        for r in runs
        if r["argv"]
        and r["argv"][0] == "check"
        and "sheet1.xml" in r["case"]
        and r["kind"] in ("part-utf16", "part-cut", "part-missing", "part-binary", "part-dtd_late")
    ]
    assert must and all(r["rc"] == 2 for r in must), [r["case"] for r in must if r["rc"] != 2]
