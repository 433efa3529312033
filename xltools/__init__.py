"""xltools: read, check, fill, fix and explain the 部门决算公开 tables in Excel workbooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from xltools.rules.results import CheckResult


def check(path: str, **kwargs: Any) -> CheckResult:
    """Read the workbook at `path` and judge it with the whole rule catalogue.

    Returns a CheckResult with `.findings` and `.to_frame()`; raises XltoolsError when the file
    cannot be read."""
    from xltools.rules.engine import check_path

    return check_path(path, **kwargs)
