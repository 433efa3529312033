"""The CLI as a user runs it: exit codes, text, JSON envelope (pinned), JUnit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest


def xltools(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xltools.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_check_clean_workbook_exits_0(books: dict[str, Path]) -> None:
    proc = xltools("check", str(books["000_std"]))
    assert proc.returncode == 0, proc.stderr
    assert "规则" in proc.stdout and "尾差" in proc.stdout
    assert "错误 0 项，尾差 7 项" in proc.stdout


def test_check_errors_exit_1(planted: dict[str, Path]) -> None:
    proc = xltools("check", str(planted["g2_item_off"]))
    assert proc.returncode == 1
    assert "06-G2" in proc.stdout and "不通过" in proc.stdout


def test_json_envelope_is_pinned(planted: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = xltools("check", str(planted["g2_item_off"]), "--format", "json", "--output", str(out))
    assert proc.returncode == 1 and proc.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"xltools_result_version", "files", "summary"}
    assert doc["xltools_result_version"] == 1
    (f,) = doc["files"]
    assert set(f) == {"path", "format", "department", "year", "error", "findings", "summary"}
    assert set(f["summary"]) == {"errors", "tails", "warnings", "format", "passed"}
    g2 = next(x for x in f["findings"] if x["rule"] == "06-G2")
    assert set(g2) == {
        "rule",
        "severity",
        "verdict",
        "location",
        "expected",
        "actual",
        "difference",
        "message",
    }
    assert g2["verdict"] == "error" and g2["location"] == "'公开06'!F5"
    assert (g2["actual"], g2["expected"], g2["difference"]) == ("579.76", "588.75", "-8.99")
    assert all(x["verdict"] in ("error", "tail", "warning", "format") for x in f["findings"])


def test_all_lists_passes(books: dict[str, Path]) -> None:
    doc = json.loads(xltools("check", str(books["001_std"]), "--format", "json", "--all").stdout)
    verdicts = {x["verdict"] for x in doc["files"][0]["findings"]}
    assert "pass" in verdicts and "tail" in verdicts


def test_junit(planted: dict[str, Path], books: dict[str, Path]) -> None:
    proc = xltools("check", str(planted["k1_budget_total"]), str(books["001_std"]), "--format", "junit")
    root = ElementTree.fromstring(proc.stdout)
    suites = root.findall("testsuite")
    assert len(suites) == 2
    assert int(suites[0].get("failures", "0")) >= 1 and suites[1].get("failures") == "0"


@pytest.mark.parametrize("args", [["check"], ["nonsense"], ["check", "/no/such/file.xlsx"]])
def test_usage_and_missing_files_exit_2(args: list[str]) -> None:
    proc = xltools(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_jobs_give_same_result(books: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"b{i}.xlsx").write_bytes(books["001_std" if i % 2 else "000_titles"].read_bytes())
    one = json.loads(xltools("check", str(folder), "--format", "json").stdout)
    two = json.loads(xltools("check", str(folder), "--format", "json", "--jobs", "2").stdout)
    assert one == two and one["summary"]["files"] == 6


def test_python_api(books: dict[str, Path]) -> None:
    import xltools as xt

    result = xt.check(str(books["000_std"]))
    frame = result.to_frame()
    assert list(frame.columns)[:3] == ["rule", "severity", "verdict"]
    assert (frame["verdict"] == "tail").sum() == 7


def test_an_internal_fault_on_one_file_does_not_stop_the_batch(
    books: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xltools import cli
    from xltools.rules import engine

    real = engine.evaluate

    def flaky(report, passes=True, replayed=None):  # type: ignore[no-untyped-def]
        if "000" in report.path:
            raise ValueError("模拟的缺陷")
        return real(report, passes, replayed)

    monkeypatch.delenv("XLTOOLS_DEBUG", raising=False)
    monkeypatch.setattr(engine, "evaluate", flaky)
    code = cli.main(["check", str(books["000_std"]), str(books["001_std"]), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    first, second = out["files"]
    assert "内部出错（ValueError：模拟的缺陷）" in first["error"] and "反馈给开发者" in first["error"]
    assert second["error"] is None and second["summary"]["tails"] == 2


def test_an_internal_fault_in_a_command_is_a_chinese_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xltools import cli
    from xltools.commands import check

    def broken(args):  # type: ignore[no-untyped-def]
        raise KeyError("x")

    monkeypatch.delenv("XLTOOLS_DEBUG", raising=False)
    monkeypatch.setattr(check, "run", broken)
    assert cli.main(["check", "whatever.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：处理文件 whatever.xlsx 时xltools 内部出错（KeyError")
    assert "Traceback" not in err
