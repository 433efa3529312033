"""The one error boundary and the writes that lose nothing: typed Chinese messages, usage errors in
Chinese, formula-like text kept as text, and (through real subprocesses) kill -9 mid-write, two
concurrent in-place runs, a full disk, symlinks and read-only files."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xltools import cli
from xltools.errors import Fault, FileProblem, UnreadableWorkbook, XltoolsError, as_problem, user_message
from xltools.io import TEMP_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"usage:|error:|required|invalid|expected|unrecognized|argument", re.IGNORECASE)


def _xltools(*argv: object, encoding: str = "utf-8", **kw: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING=encoding)
    env.pop("XLTOOLS_DEBUG", None)
    cmd = [sys.executable, "-m", "xltools.cli", *map(str, argv)]
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        cmd, capture_output=True, encoding=encoding, errors="replace", env=env, timeout=120, **kw
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "a.xlsx", "--format", "xml"],
        ["check", "a.xlsx", "--jobs", "x"],
        ["check", "a.xlsx", "--bogus"],
        ["fix", "a.xlsx", "-o", "b.xlsx", "--in-place"],
        ["fix", "a.xlsx", "-o"],
        ["narrative", "a.xlsx", "--year", "abc"],
        ["nosuchcommand"],
    ],
)
def test_usage_errors_are_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "用法：" in err and not ENGLISH.search(err.replace("--format", "")), err


def test_empty_path_and_pdf_output_are_refused(
    books: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", ""]) == 2
    assert "路径为空" in capsys.readouterr().err
    assert cli.main(["narrative", str(books["000_std"]), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "不能输出为 .pdf" in capsys.readouterr().err and not (tmp_path / "x.pdf").exists()
    assert cli.main(["fix", str(books["000_std"]), "-o", str(tmp_path)]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_reader_exceptions_become_typed_problems() -> None:
    try:
        zipfile.ZipFile(__file__)
    except zipfile.BadZipFile as exc:
        problem = as_problem(exc, "a.xlsx")
    assert isinstance(problem, FileProblem) and problem.fault is Fault.DAMAGED
    assert problem.render().startswith("文件 a.xlsx：文件已损坏（") and "另存" in problem.render()
    assert "内部出错" in user_message(KeyError("ours"), "a.xlsx")  # a defect of ours stays one
    placed = UnreadableWorkbook(
        "XML 不完整", path="b.xlsx", fault=Fault.DAMAGED, part="xl/worksheets/sheet3.xml", line=12
    )
    assert placed.render() == (
        "文件 b.xlsx：文件已损坏（xl/worksheets/sheet3.xml 第 12 行 XML 不完整）。"
        "请用 Excel 或 WPS 打开后另存一份再试"
    )


def test_formula_like_names_stay_text_in_fill(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sample = ROOT / "xltools" / "fill" / "sample"
    data = tmp_path / "data"
    data.mkdir()
    for f in sample.glob("*.csv"):
        (data / f.name).write_bytes(f.read_bytes())
    func = data / "功能科目.csv"
    func.write_text(
        func.read_text(encoding="utf-8").replace("行政运行", '"=HYPERLINK(""http://x"",""y"")"', 1),
        encoding="utf-8",
    )
    out = tmp_path / "filled.xlsx"
    assert cli.main(["fill", str(data), "-o", str(out)]) == 0
    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)
    with zipfile.ZipFile(out) as zf:
        assert not any(b"<f>HYPERLINK" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


# ------------------------------------------------------------------------------ writes (subprocesses)
def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def test_kill_9_mid_write_leaves_original_or_result_and_no_temp(
    books: dict[str, Path], tmp_path: Path
) -> None:
    book = _copy(books["000_text"] if "000_text" in books else books["000_std"], tmp_path / "k.xlsx")
    original = book.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for delay in (0.8, 1.6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "xltools.cli", "fix", str(book), "--in-place"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with zipfile.ZipFile(book) as zf:  # whole: the original or the complete result
            assert zf.testzip() is None
        left = [p.name for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        assert all(re.fullmatch(r"\.~k\.xlsx\.[0-9]+\.xltools-tmp", n) for n in left), left
    done = _xltools("fix", book, "--dry-run")
    assert done.returncode in (0, 1)
    _xltools("formulas", book, "-o", tmp_path / "f.xlsx")  # a write beside it sweeps a dead run's temp
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~k.xlsx")]
    assert book.read_bytes() == original or zipfile.is_zipfile(book)


def test_concurrent_in_place_one_wins(books: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = _copy(books["000_std"], tmp_path / "c.xlsx")
    from xltools.fix import plan
    from xltools.read import read_report

    expected = len(plan(read_report(book)).applicable())
    if not expected:
        pytest.skip("the fixture has nothing to fix")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "xltools.cli", "fix", str(book), "--in-place"]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    log = load_workbook(book)["修正记录"]
    assert log.max_row - 1 == expected  # every change once, none twice, none lost
    busy = [err for _, err in outs if "正在修改" in err]
    assert all(p.returncode in (0, 1, 2) for p in procs) and len(busy) <= 1


def test_full_disk_leaves_no_backup_and_the_original(books: dict[str, Path], tmp_path: Path) -> None:
    book = _copy(books["000_std"], tmp_path / "d.xlsx")
    original = book.read_bytes()

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(original) // 3, len(original) // 3))

    done = _xltools("fix", book, "--in-place", preexec_fn=small_files)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "内部出错" not in done.stderr
    assert book.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xlsx"]


def test_symlink_is_written_through_and_read_only_refused(books: dict[str, Path], tmp_path: Path) -> None:
    real = _copy(books["000_std"], tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    before = real.read_bytes()
    done = _xltools("formulas", link, "--in-place")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and real.read_bytes() != before
    ro = _copy(books["000_std"], tmp_path / "ro.xlsx")
    ro.chmod(0o444)
    if os.access(ro, os.W_OK):
        pytest.skip("running as a user who may write read-only files")
    done = _xltools("formulas", ro, "--in-place")
    assert done.returncode == 2 and "只读" in done.stderr


def test_macro_workbook_not_saved_as_xlsx(books: dict[str, Path], tmp_path: Path) -> None:
    xlsm = _copy(books["000_std"], tmp_path / "m.xlsm")
    done = _xltools("fix", xlsm, "-o", tmp_path / "out.xlsx")
    assert done.returncode == 2 and "扩展名" in done.stderr and not (tmp_path / "out.xlsx").exists()


# ------------------------------------------------------------------------------ mutated fixtures
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_fixture_bytes_are_refused_or_read(
    books: dict[str, Path], tmp_path: Path, data: st.DataObject
) -> None:
    from xltools.rules.engine import check_path

    raw = bytearray(books["000_std"].read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(1, len(raw)))]
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(bytes(raw))
    result = check_path(path)  # never raises
    if result.error:
        assert "内部出错" not in result.error and str(path) in result.error
    try:
        from xltools.read.writable import load_for_writing

        load_for_writing(path)
    except XltoolsError as exc:
        assert "内部出错" not in exc.render()


def test_gbk_console_and_escape_sequences(books: dict[str, Path], tmp_path: Path) -> None:
    """A Chinese-Windows console (GBK) gets '?' for an emoji or a CJK extension-B character, not a
    crash; an ESC sequence in a file name never reaches the terminal."""
    book = _copy(books["000_std"], tmp_path / "单位😀𠀀\x1b[2J.xlsx")
    done = _xltools("check", book, encoding="gbk")
    assert done.returncode in (0, 1), done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "Traceback" not in done.stderr
