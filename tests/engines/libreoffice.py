"""LibreOffice headless as a test engine: recalculate many workbooks in one soffice call, read values back.

A throw-away profile sets OOXMLRecalcMode 0 (always recalculate on load), so stale cached values are
never trusted; the recalculated copies are written as .xlsx and read with python-calamine.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(root: Path) -> str:
    user = root / "profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    settings = user / "registrymodifications.xcu"
    if not settings.exists():  # a kept profile already has it (LibreOffice rewrites it with ours merged in)
        settings.write_text(_XCU, encoding="utf-8")
    return (root / "profile").as_uri()


class Batch:
    """One soffice process recalculating many workbooks; `wait()` gives input path → recalculated copy."""

    def __init__(self, paths: Sequence[Path], out_dir: Path, profile: Path | None = None) -> None:
        exe = soffice()
        if exe is None:
            raise RuntimeError("soffice not found")
        names = [p.name for p in paths]
        if len(set(names)) != len(names):
            raise ValueError("workbook file names must be unique within one batch")
        out_dir.mkdir(parents=True, exist_ok=True)
        self.paths, self.out_dir = list(paths), out_dir
        self._tmp = tempfile.TemporaryDirectory(prefix="xltools-lo-")
        root = Path(self._tmp.name) if profile is None else profile  # a kept profile: created once
        cmd = [
            exe,
            f"-env:UserInstallation={_profile(root)}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait(self, timeout: float = 300) -> dict[Path, Path]:
        """Raises RuntimeError when soffice fails or a copy is missing."""
        try:
            _, err = self._proc.communicate(timeout=timeout)
        finally:
            self._tmp.cleanup()
        out = {p: self.out_dir / (p.stem + ".xlsx") for p in self.paths}
        missing = [str(p) for p, q in out.items() if not q.exists()]
        if self._proc.returncode != 0 or missing:
            raise RuntimeError(f"soffice failed ({self._proc.returncode}): {err[-500:]} missing={missing}")
        return out


def recalculate(
    paths: Sequence[Path], out_dir: Path, timeout: float = 300, profile: Path | None = None
) -> dict[Path, Path]:
    """Open every workbook in LibreOffice (one process), recalculate, save as .xlsx into out_dir.
    `profile` keeps the LibreOffice profile in that folder across calls (a benchmark creates it once);
    by default each call makes a throw-away one.

    Returns input path → recalculated copy. Raises RuntimeError when soffice fails or a copy is missing."""
    return Batch(paths, out_dir, profile).wait(timeout)


def sheet_values(path: Path, sheet: str) -> list[list[object]]:
    """The values of one sheet of a (recalculated) workbook, row by row from A1."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
