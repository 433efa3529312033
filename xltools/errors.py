"""Errors a user can act on: each says what went wrong, where, and what to do, in Chinese."""

from __future__ import annotations


class XltoolsError(Exception):
    """Base of every error shown to a user. `exit_code` is what the CLI exits with."""

    exit_code = 2

    def __init__(
        self, message: str, *, path: str | None = None, cell: str | None = None, hint: str | None = None
    ) -> None:
        self.message = message
        self.path = path
        self.cell = cell
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = "，".join(
            p for p in (self.path and f"文件 {self.path}", self.cell and f"单元格 {self.cell}") if p
        )
        text = f"{where}：{self.message}" if where else self.message
        return f"{text}。{self.hint}" if self.hint else text


class UnreadableWorkbook(XltoolsError):
    """The file is not a workbook xltools can open (not xlsx, damaged, encrypted, too large)."""


class NoTablesFound(XltoolsError):
    """The workbook opened but holds no 公开 table."""


class FormatError(XltoolsError):
    """A format or catalogue data file is invalid (a packaging fault, not the user's)."""


class DataError(XltoolsError):
    """A data file given to fill/narrative is wrong (names its row)."""


class UsageError(XltoolsError):
    """The command line is wrong."""


class WriteError(XltoolsError):
    """The output could not be written (read-only, locked, open in Excel); nothing was changed."""


def internal_error(exc: BaseException, path: object = None) -> str:
    """The Chinese message for an unexpected error (a fault of xltools, not of the user's file): what
    happened, and what to do. Every command, the batch and the ribbon say it the same way."""
    where = f"处理文件 {path} 时" if path else ""
    return (
        f"{where}xltools 内部出错（{type(exc).__name__}：{exc}）。这是 xltools 的缺陷，不是您的操作问题；"
        "请把该文件和这段信息反馈给开发者，设置环境变量 XLTOOLS_DEBUG=1 可显示详细信息"
    )
