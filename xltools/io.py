"""Writing files without losing the user's: atomic replace, timestamped backups, lock detection."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from xltools.errors import Fault, FileProblem, UsageError, WriteError

MAX_INPUT = 256 * 1024 * 1024  # bytes: a workbook, report or data file larger than this is refused
MAX_TEXT = 32 * 1024 * 1024  # bytes: an inputs file, CSV or text report


def check_input(path: str | Path, *, limit: int = MAX_INPUT) -> os.stat_result:
    """The status of the user's input file at `path`, once it is known to be a regular file (a
    symlink to one is fine) of at most `limit` bytes: folders, named pipes and devices are refused
    before anything opens them, so nothing hangs or reads without end."""
    raw = str(path)
    if not raw.strip():
        raise UsageError("文件路径为空", hint="请给出文件的路径")
    try:
        st = os.stat(raw)
    except FileNotFoundError as exc:
        raise FileProblem(path=raw, fault=Fault.MISSING) from exc
    except OSError as exc:
        raise FileProblem(f"无法访问（{exc.strerror}）", path=raw, fault=Fault.SPECIAL_FILE) from exc
    if stat.S_ISDIR(st.st_mode):
        raise FileProblem("这是一个文件夹", path=raw, fault=Fault.SPECIAL_FILE)
    if not stat.S_ISREG(st.st_mode):
        kind = "命名管道" if stat.S_ISFIFO(st.st_mode) else "设备或套接字"
        raise FileProblem(f"这是{kind}", path=raw, fault=Fault.SPECIAL_FILE)
    if st.st_size > limit:
        raise FileProblem(
            f"{st.st_size // 2**20} MiB，超过上限 {limit // 2**20} MiB", path=raw, fault=Fault.TOO_LARGE
        )
    return st


def read_capped(path: str | Path, *, limit: int = MAX_TEXT) -> bytes:
    """The bytes of the regular file at `path` (see check_input), never more than `limit`."""
    check_input(path, limit=limit)
    fd = os.open(str(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a pipe since the check
            raise FileProblem("这不是普通文件", path=str(path), fault=Fault.SPECIAL_FILE)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(f"超过上限 {limit // 2**20} MiB", path=str(path), fault=Fault.TOO_LARGE)
    return data


TEMP_SUFFIX = ".xltools-tmp"  # '.~<name>.<pid>.xltools-tmp': a temp file of ours, beside the target
_TEMP = re.compile(r"\.~(.+)\.([0-9]+)\.xltools-tmp")


def _check_writable(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise WriteError("输出文件夹不存在", path=str(path), hint="请先创建该文件夹")
    if path.is_dir():
        raise WriteError("输出路径是一个文件夹", path=str(path), hint="请给出文件名，如 -o 文件夹/结果.xlsx")
    for lock, who in (
        (folder / f"~${path.name}", "Excel/WPS"),
        (folder / f".~lock.{path.name}#", "LibreOffice"),
    ):
        if lock.exists():
            raise WriteError(
                f"该文件正被 {who} 打开（存在锁文件 {lock.name}）",
                path=str(path),
                hint=f"请先在 {who} 中关闭该文件再试",
            )
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise WriteError(
            "输出路径不是普通文件（可能是设备或命名管道）", path=str(path), hint="请换一个输出文件"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise WriteError("文件是只读的", path=str(path), hint="请取消只读属性或另存到其他位置（-o）")
    if not os.access(folder, os.W_OK):
        raise WriteError("没有写入该文件夹的权限", path=str(path), hint="请换一个输出位置（-o）")


def real_target(path: Path) -> Path:
    """The file a write to `path` must replace: a symlink's target (the link itself is kept)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def sweep_temps(target: Path) -> None:
    """Remove our temp files beside `target` left by a run that was killed (its process is gone)."""
    folder = target.parent
    try:
        names = [n for n in os.listdir(folder) if n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        m = _TEMP.fullmatch(name)
        if m and m.group(1) == target.name and not _alive(int(m.group(2))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_atomic(
    path: Path, write: Callable[[Path], None], before_replace: Callable[[], None] | None = None
) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`: a failure
    leaves `path` as it was and no temp file behind. A symlink is written through (the link stays);
    `before_replace` (a backup, say) runs once the new content is complete."""
    path = Path(path)
    target = real_target(path)
    _check_writable(target)
    sweep_temps(target)
    tmp = target.with_name(f".~{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        write(tmp)
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except OSError as exc:
        _drop_half_written(exc)
        raise _write_error(exc, path) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _drop_half_written(exc: BaseException) -> None:
    """Close what the failed writer left open (openpyxl's zip on a full disk) now and quietly: its
    own close would fail again later and print a traceback at exit."""
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        if exc.__traceback__ is not None:
            traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _write_error(exc: OSError, path: Path) -> WriteError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(
            "磁盘空间不足，未写入任何内容，原文件未改动", path=str(path), hint="请清理磁盘空间后重试"
        )
    if isinstance(exc, PermissionError):
        return WriteError(
            "无法写入文件（可能正被其他程序占用）", path=str(path), hint="请关闭占用该文件的程序后重试"
        )
    return WriteError(
        f"无法写入文件（{exc.strerror or exc}），原文件未改动",
        path=str(path),
        hint="请检查磁盘与输出位置后重试",
    )


def write_text_atomic(path: Path, text: str) -> None:
    from xltools.errors import printable

    def write(tmp: Path) -> None:
        tmp.write_text(printable(text), encoding="utf-8")

    write_atomic(path, write)


def backup(path: Path) -> Path:
    """Copy `path` to '<name>.bak-YYYYmmdd-HHMMSS<suffix>' beside it and return the copy's path; the
    copy is complete or absent (written to a temp file first)."""
    path = real_target(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    tmp = target.with_name(f".~{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold `path` for a read-modify-write: a second xltools (flock) or an editor holding a POSIX
    lock on it (LibreOffice) makes this raise FileProblem(LOCKED) instead of both writing."""
    import fcntl

    target = real_target(Path(path))
    check_input(target)
    try:
        fd = os.open(target, os.O_RDWR)
    except PermissionError as exc:
        raise WriteError("文件是只读的", path=str(path), hint="请取消只读属性或另存到其他位置（-o）") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise FileProblem(
                "另一个程序（或另一个 xltools）正在修改该文件", path=str(path), fault=Fault.LOCKED
            ) from exc
        yield
    finally:
        os.close(fd)


def put_text(cell: Any, value: object) -> None:
    """Put `value` into an openpyxl cell, a text always as text: a 科目名称 such as '=HYPERLINK(…)'
    from the user's data never becomes a live formula."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters: no XML can hold them
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
