"""Run every command of every corpus case in this one process (cli.main with captured output) and
judge each run; one JSON line per run on stdout, written before the next starts, so a run that kills
the process is still known (the parent sees a 'started' line without its result).

Usage: python tests/robustness/runner.py CORPUS_DIR [--memory-mib N] [--timeout S] [--shard I/N]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Case, build_corpus

CJK = re.compile(r"[\u4e00-\u9fff]")


class CorpusTimeout(Exception):
    pass


@dataclass
class Run:
    case: str
    kind: str
    argv: list[str]
    rc: int | None
    verdict: str  # 'ok' or what went wrong
    seconds: float
    err: str

    def line(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


def _alarm(_signum: int, _frame: object) -> None:
    raise CorpusTimeout


def argv_of(command: tuple[str, ...], case: Case, good: dict[str, Path], work: Path) -> list[str]:
    subs = {
        "book": str(case.path),
        "out": str(work / f"out{case.path.suffix or '.xlsx'}"),
        "dir": str(work),
        "good": str(good["good"]),
        "report": str(good["report"]),
    }
    return [part.format(**subs) for part in command]


def run_one(argv: list[str], timeout: float) -> tuple[int | None, str, str, str | None]:
    """(exit code, stdout, stderr, what escaped) of `xltools ARGV` run in this process."""
    from xltools import cli

    out, err = io.StringIO(), io.StringIO()
    escaped = None
    rc: int | None = None
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            rc = cli.main(argv)
    except CorpusTimeout:
        escaped = "hang"
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:
        escaped = f"escaped {type(exc).__name__}: {exc}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return rc, out.getvalue(), err.getvalue(), escaped


def judge(case: Case, argv: list[str], rc: int | None, out: str, err: str, escaped: str | None) -> str:
    """'ok', or what is wrong with this run."""
    text = out + err
    if escaped:
        return escaped
    if "CorpusTimeout" in text:
        return "hang"
    if "Traceback" in text:
        return "traceback"
    if "内部出错" in text:
        return "internal error"
    if "超出可用内存" in text:
        return "memory blow-up"
    if rc not in (0, 1, 2):
        return f"exit {rc}"
    if "json" in argv and out.strip():
        try:
            json.loads(out)
        except ValueError:
            return "invalid JSON"
    if "junit" in argv and out.strip():
        try:
            ET.fromstring(out.encode("utf-8"))
        except ET.ParseError:
            return "invalid JUnit XML"
    if rc == 2:
        names = {case.path.name} | ({p.name for p in case.path.iterdir()} if case.path.is_dir() else set())
        if not CJK.search(err):
            return "message not in Chinese"
        if not any(n in err for n in names) and argv[0] != "narrative-check":
            return "message does not name the file"
    return "ok"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--memory-mib", type=int, default=3072)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--shard", default="0/1")
    p.add_argument("--kinds", default="")
    args = p.parse_args(argv)
    limit = args.memory_mib * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cases, good = build_corpus(Path(args.corpus))
    index, count = (int(x) for x in args.shard.split("/"))
    wanted = set(args.kinds.split(",")) - {""}
    for n, case in enumerate(cases):
        if n % count != index or (wanted and case.kind not in wanted):
            continue
        for command in case.commands:
            work = Path(tempfile.mkdtemp(prefix="run-"))
            run_argv = argv_of(command, case, good, work)
            print(json.dumps({"started": case.name, "argv": run_argv}, ensure_ascii=False), flush=True)
            start = time.monotonic()
            rc, out, err, escaped = run_one(run_argv, args.timeout)
            verdict = judge(case, run_argv, rc, out, err, escaped)
            shutil.rmtree(work, ignore_errors=True)
            run = Run(
                case.name, case.kind, run_argv, rc, verdict, round(time.monotonic() - start, 2), err[-400:]
            )
            print(run.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
