"""The two commands run as subprocesses: exit codes, output, JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xltools.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_narrative_check_exit_codes_and_json(books: dict[str, Path]) -> None:
    r = _run("narrative-check", str(DATA / "r001_part3.txt"), str(books["001_std"]), "--format", "json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    (file,) = doc["files"]
    assert doc["xltools_result_version"] == 1 and file["summary"]["errors"] == 1
    assert {f["rule"] for f in file["findings"]} == {"N0", "N2", "N3", "N6"}
    r = _run("narrative-check", str(DATA / "r000_part3.txt"), str(books["000_std"]))
    assert r.returncode == 0 and "共找到 120 个数字与标题" in r.stdout


def test_narrative_check_unreadable(books: dict[str, Path], tmp_path: Path) -> None:
    missing = tmp_path / "none.docx"
    r = _run("narrative-check", str(missing), str(books["000_std"]))
    assert r.returncode == 2 and "文件不存在" in r.stderr


def test_narrative_writes_and_checks_back(books: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "情况说明.docx"
    r = _run("narrative", str(books["000_std"]), "--inputs", str(DATA / "r000_inputs.toml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.exists()
    r = _run("narrative-check", str(out), str(books["000_std"]), "--format", "json")
    assert r.returncode == 0, r.stdout
    findings = json.loads(r.stdout)["files"][0]["findings"]
    assert {f["rule"] for f in findings} <= {"N0"}
    # with the same inputs, the figures they gave are checked against them: no finding at all
    r = _run("narrative-check", str(out), str(books["000_std"]), "-i", str(DATA / "r000_inputs.toml"))
    assert r.returncode == 0, r.stdout
    assert "有问题 0 个，未能定位 0 个（N0）" in r.stdout and "N0" not in r.stdout.split("共找到")[0]
    md = tmp_path / "s.md"
    r = _run("narrative", str(books["001_std"]), "-o", str(md))
    assert r.returncode == 0 and md.read_text(encoding="utf-8").startswith("# 第三部分")
    assert "待补充" in r.stderr


def test_narrative_bad_inputs(books: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "in.toml"
    bad.write_text("[prior]\ntotl = 1\n", encoding="utf-8")
    r = _run("narrative", str(books["000_std"]), "--inputs", str(bad), "-o", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "totl" in r.stderr


def test_year_option(books: dict[str, Path], tmp_path: Path) -> None:
    """--year wins over the inputs file's year (2021 in r000_inputs.toml) and the workbook's (none)."""
    out = tmp_path / "s.txt"
    args = ("-i", str(DATA / "r000_inputs.toml"), "--year", "2022")
    r = _run("narrative", str(books["000_std"]), *args, "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "2022年度收、支总计2282.14万元" in text and "2021年度收、支总计" not in text
    r = _run("narrative-check", str(out), str(books["000_std"]), *args, "--format", "json")
    doc = json.loads(r.stdout)["files"][0]
    assert r.returncode == 0 and doc["year"] == 2022 and doc["findings"] == []
    r = _run("narrative", str(books["000_std"]), "--year", "21", "-o", str(out))
    assert r.returncode == 2 and "四位年份" in r.stderr
