"""Writing files without losing the user's: atomic replace, timestamped backups, lock detection."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xltools.errors import WriteError


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise WriteError("输出文件夹不存在", path=str(path), hint="请先创建该文件夹")
    lock = folder / f"~${path.name}"
    if lock.exists():
        raise WriteError(
            "该文件正被 Excel/WPS 打开（存在锁文件 ~$…）",
            path=str(path),
            hint="请先在 Excel/WPS 中关闭该文件再试",
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise WriteError("文件是只读的", path=str(path), hint="请取消只读属性或另存到其他位置（-o）")
    if not os.access(folder, os.W_OK):
        raise WriteError("没有写入该文件夹的权限", path=str(path), hint="请换一个输出位置（-o）")


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`: a failure
    leaves `path` as it was."""
    path = Path(path)
    _check_writable(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if path.exists():
            shutil.copymode(path, tmp)
        else:  # mkstemp made it 0600; a new file gets the usual mode
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except PermissionError as exc:
        raise WriteError(
            "无法写入文件（可能正被其他程序占用）", path=str(path), hint="请关闭占用该文件的程序后重试"
        ) from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, write)


def backup(path: Path) -> Path:
    """Copy `path` to '<name>.bak-YYYYmmdd-HHMMSS<suffix>' beside it and return the copy's path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    shutil.copy2(path, target)
    return target
