"""The README's two commands, in their order: `pip install . && xltools demo` in a scratch copy of the
repository, then the quality checks of the second command there.

`pip install .` leaves build/ and *.egg-info in the project folder and the demo leaves xltools-demo/:
once a fixture module named `build` made ruff sort `from build import …` as first-party after it, so the
suite went red for everyone who followed the README and green only in CI's fresh clone. The install goes
into a throwaway venv over the installed dependencies (--system-site-packages, --no-deps), so the test
needs no network beyond what pip needs to build the project itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["xltools", "tests", "bench", "scripts"]


def _project_files() -> list[str]:
    """The files a clone would have (tracked, and new ones not ignored)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    )
    return [f for f in out.stdout.decode().split("\0") if f and (ROOT / f).is_file()]


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)} → {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.mark.slow
def test_readme_commands_in_order(tmp_path: Path) -> None:
    repo = tmp_path / "xltools"
    for name in _project_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    if (ROOT / ".mypy_cache").is_dir():  # a warm cache: mypy checks the same sources, only faster
        shutil.copytree(ROOT / ".mypy_cache", repo / ".mypy_cache")
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    python = str(venv / "bin" / "python")

    # command 1: pip install . && xltools demo
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps"]
    _run([*pip, "--disable-pip-version-check", "."], repo, env)
    where = _run([python, "-c", "import xltools; print(xltools.__file__)"], tmp_path, env)
    assert Path(where.strip()).is_relative_to(venv), where  # the copy just installed, not a checkout
    out = _run([str(venv / "bin" / "xltools"), "demo"], repo, env)
    assert (repo / "xltools-demo").is_dir() and "校验" in out
    assert (repo / "build").is_dir()  # what the install leaves behind is what the checks must bear

    # command 3: xltools audit --sample (the [pdf] extra's packages come from the system site); the
    # bundled sample has one miscopied amount in its prose, so it exits 1 and names its page
    audit = subprocess.run(
        [str(venv / "bin" / "xltools"), "audit", "--sample", "-o", "xltools-audit"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert audit.returncode == 1 and "公开表 9/9" in audit.stdout and "第11页" in audit.stdout, audit.stderr
    assert (repo / "xltools-audit" / "示例部门决算公开报告.标注.pdf").is_file()

    # command 2's quality checks, in the same folder
    _run([python, "-m", "ruff", "check", *SOURCES], repo, env)
    _run([python, "-m", "ruff", "format", "--check", *SOURCES], repo, env)
    _run([python, "-m", "mypy"], repo, env)


def test_install_leftovers_are_ignored() -> None:
    """What command 1 leaves in the project folder is ignored by git (and so by `ruff` and the copy above)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    leftovers = [
        "build/lib/xltools/__init__.py",
        "xltools.egg-info/PKG-INFO",
        "xltools-demo/校验报告.txt",
        "xltools-audit/汇总.html",
    ]
    proc = subprocess.run(
        ["git", "check-ignore", "-z", "--stdin"],
        cwd=ROOT,
        input="\0".join(leftovers),
        capture_output=True,
        text=True,
    )
    assert sorted(proc.stdout.strip("\0").split("\0")) == sorted(leftovers)
