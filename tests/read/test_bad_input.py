"""Bad input gets a clear Chinese message naming the file, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xltools.errors import NoTablesFound, UnreadableWorkbook
from xltools.read import read_report

EXPECTED = {
    "not_a_zip": (UnreadableWorkbook, "不是有效的 Excel 工作簿"),
    "truncated": (UnreadableWorkbook, "损坏或被截断"),
    "old": (UnreadableWorkbook, "旧版 .xls"),
    "encrypted": (UnreadableWorkbook, "已加密"),
    "empty": (NoTablesFound, "没有找到任何公开表"),
    "no_tables": (NoTablesFound, "没有找到任何公开表"),
    "zip_bomb": (UnreadableWorkbook, "压缩炸弹"),
    "xml_bomb": (UnreadableWorkbook, "XML 炸弹"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refused_with_chinese_message(bad_books: dict[str, Path], name: str) -> None:
    error, words = EXPECTED[name]
    with pytest.raises(error) as info:
        read_report(bad_books[name])
    text = info.value.render()
    assert words in text and str(bad_books[name]) in text
    assert info.value.hint  # says what to do


def test_missing_required_row_is_an_error_finding(bad_books: dict[str, Path]) -> None:
    from xltools.rules.engine import evaluate

    result = evaluate(read_report(bad_books["missing_row"]))
    f0 = [f for f in result.findings if f.rule == "F0" and f.verdict == "error"]
    assert {f.message for f in f0} == {
        "公开01 缺少必需的行“总计”（收入栏）",
        "公开01 缺少必需的行“总计”（支出栏）",
    }
    assert not [f for f in result.findings if f.rule in ("01-A2", "01-A4", "01-A5")]


def test_batch_goes_on_past_bad_files(
    bad_books: dict[str, Path], books: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("not_a_zip", "encrypted", "xml_bomb"):
        (folder / bad_books[name].name).write_bytes(bad_books[name].read_bytes())
    (folder / "good.xlsx").write_bytes(books["001_std"].read_bytes())
    (folder / "old.xls").write_bytes(bad_books["old"].read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "check", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    import json

    doc = json.loads(proc.stdout)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["good.xlsx"]["error"] is None and by_name["good.xlsx"]["summary"]["tails"] == 2
    assert "旧版 .xls" in by_name["old.xls"]["error"]
    assert doc["summary"]["unreadable"] == 4


def test_big_sheet_is_read(tmp_path: Path) -> None:
    from bad import build_big

    path = build_big(tmp_path)
    report = read_report(path)
    assert set(report.tables) >= {"公开01", "公开05"}
