"""Errors a user can act on: each says what went wrong, where, and what to do, in Chinese.

Also the ONE error boundary every command, the batch and the ribbon go through: `user_message`
turns any exception met while handling a file into the Chinese text shown to the user — a typed file
problem (damaged, encrypted, not a workbook, too large, special file, locked, read-only, unsupported
format) for what is wrong with the user's file, "内部出错" only for a real defect of ours."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum


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


class Fault(StrEnum):
    """What is wrong with a user's file."""

    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    NOT_WORKBOOK = "not-workbook"
    TOO_LARGE = "too-large"
    SPECIAL_FILE = "special-file"
    LOCKED = "locked"
    READ_ONLY = "read-only"
    UNSUPPORTED = "unsupported"
    MISSING = "missing"


FAULT_LABELS: dict[Fault, str] = {
    Fault.DAMAGED: "文件已损坏",
    Fault.ENCRYPTED: "文件已加密",
    Fault.NOT_WORKBOOK: "不是 Excel 工作簿",
    Fault.TOO_LARGE: "文件过大",
    Fault.SPECIAL_FILE: "不是普通文件",
    Fault.LOCKED: "文件正被占用",
    Fault.READ_ONLY: "文件不可写",
    Fault.UNSUPPORTED: "不支持的文件格式",
    Fault.MISSING: "文件不存在",
}
FAULT_HINTS: dict[Fault, str] = {
    Fault.DAMAGED: "请用 Excel 或 WPS 打开后另存一份再试",
    Fault.ENCRYPTED: "请在 Excel/WPS 中取消打开密码后另存为 .xlsx 再试",
    Fault.NOT_WORKBOOK: "请给出 Excel 保存的 .xlsx/.xlsm 工作簿",
    Fault.TOO_LARGE: "请删除与公开表无关的大数据工作表或多余的行列后另存再试",
    Fault.SPECIAL_FILE: "请给出一个普通文件（不是文件夹、命名管道或设备）",
    Fault.LOCKED: "请关闭正在使用该文件的程序（Excel、WPS 或另一个 xltools）后重试",
    Fault.READ_ONLY: "请取消只读属性，或用 -o 另存到其他位置",
    Fault.UNSUPPORTED: "请另存为 .xlsx 后再试",
    Fault.MISSING: "请检查路径是否正确",
}


class FileProblem(XltoolsError):
    """Something is wrong with a user's file (not with xltools): typed by `fault`, placed by `part`
    (a member of the package) and `line` when known."""

    def __init__(
        self,
        message: str = "",
        *,
        path: str | None = None,
        cell: str | None = None,
        hint: str | None = None,
        fault: Fault | None = None,
        part: str | None = None,
        line: int | None = None,
    ) -> None:
        self.fault = fault or Fault.DAMAGED
        self.part = part
        self.line = line
        where = " ".join(x for x in (part, line and f"第 {line} 行") if x)
        detail = " ".join(x for x in (where, message) if x)
        label = FAULT_LABELS[self.fault]
        text = f"{label}（{detail}）" if fault and detail else (message or label)
        super().__init__(text, path=path, cell=cell, hint=hint or FAULT_HINTS[self.fault])


class UnreadableWorkbook(FileProblem):
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


# ------------------------------------------------------------------------------ the boundary
# modules whose exceptions mean "the file could not be parsed", not "xltools is wrong"
_READER_MODULES = (
    "zipfile",
    "zlib",
    "xml.",
    "defusedxml",
    "lxml",
    "openpyxl",
    "docx",
    "python_calamine",
    "pyo3_runtime",
    "et_xmlfile",
    "tomllib",
    "yaml",
    "csv",
    "pandas.errors",
)
_READER_ERRORS = (
    "BadZipFile",
    "BadZipfile",
    "LargeZipFile",
    "ParseError",
    "ExpatError",
    "XMLSyntaxError",
    "DTDForbidden",
    "EntitiesForbidden",
    "ExternalReferenceForbidden",
    "NotSupportedError",
    "CalamineError",
    "XmlError",
    "ZipError",
    "WorksheetNotFound",
    "PanicException",
    "InvalidFileException",
    "PackageNotFoundError",
    "TOMLDecodeError",
    "YAMLError",
    "UnicodeDecodeError",
    "UnicodeError",
    "EOFError",
    "error",
)
_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def _raised_in_reader(exc: BaseException) -> bool:
    """The innermost frame of `exc` is in a file parser's code (zipfile, XML, openpyxl, docx …)."""
    tb = exc.__traceback__
    module = ""
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        tb = tb.tb_next
    return module.startswith(_READER_MODULES)


def _is_reader_error(exc: BaseException) -> bool:
    name = type(exc).__name__
    module = type(exc).__module__ or ""
    if name in _READER_ERRORS and (name != "error" or module == "zlib"):
        return True
    if module.startswith(_READER_MODULES) and module != "builtins":
        return True
    return isinstance(
        exc,
        ValueError
        | KeyError
        | IndexError
        | TypeError
        | AttributeError
        | AssertionError
        | RecursionError
        | OverflowError
        | LookupError
        | NotImplementedError
        | EOFError,
    ) and _raised_in_reader(exc)


def _line_of(exc: BaseException) -> int | None:
    position = getattr(exc, "position", None) or getattr(exc, "lineno", None)
    if isinstance(position, tuple) and position and isinstance(position[0], int):
        return position[0]
    if isinstance(position, int):
        return position
    m = _LINE.search(str(exc))
    return int(m.group(1)) if m else None


def _os_problem(exc: OSError, path: str | None) -> XltoolsError:
    code = exc.errno
    if isinstance(exc, FileNotFoundError):
        return FileProblem(path=path, fault=Fault.MISSING)
    if isinstance(exc, IsADirectoryError):
        return FileProblem("这是一个文件夹", path=path, fault=Fault.SPECIAL_FILE)
    if isinstance(exc, PermissionError) or code in (errno.EROFS, errno.EACCES):
        return FileProblem("没有读写权限", path=path, fault=Fault.READ_ONLY)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return WriteError("磁盘空间不足，未写入任何内容", path=path, hint="请清理磁盘空间后重试")
    if code in (errno.EAGAIN, errno.EBUSY, errno.ETXTBSY):
        return FileProblem(path=path, fault=Fault.LOCKED)
    if code == errno.ENAMETOOLONG:
        return FileProblem("文件名过长", path=path, fault=Fault.UNSUPPORTED, hint="请改用较短的文件名")
    if code == errno.ELOOP:
        return FileProblem("符号链接循环", path=path, fault=Fault.SPECIAL_FILE)
    return FileProblem(
        f"无法读写（{exc.strerror or exc}）",
        path=path,
        fault=Fault.DAMAGED,
        hint="请检查文件与磁盘是否正常，或关闭占用该文件的程序后重试",
    )


def as_problem(exc: BaseException, path: object = None, part: str | None = None) -> XltoolsError | None:
    """The typed user-facing error `exc` stands for when met handling the file at `path`, or None
    when it is a defect of ours."""
    where = None if path is None else str(path)
    if isinstance(exc, XltoolsError):
        if where and getattr(exc, "path", None) is None:
            exc.path = where
            exc.args = (exc.render(),)
        return exc
    if isinstance(exc, MemoryError):
        return FileProblem("内容过多，超出可用内存", path=where, fault=Fault.TOO_LARGE)
    if isinstance(exc, OSError) and not _is_reader_error(exc):
        return _os_problem(exc, where)
    if _is_reader_error(exc):
        detail = printable(str(exc))[:160]
        return FileProblem(
            f"{_what(exc)}{'：' + detail if detail else ''}",
            path=where,
            part=part,
            line=_line_of(exc),
            fault=Fault.DAMAGED,
        )
    return None


def _what(exc: BaseException) -> str:
    name = type(exc).__name__
    if "Zip" in name or name in ("error", "EOFError"):
        return "压缩包数据不完整"
    if "Unicode" in name:
        return "文字编码无法识别"
    if "Panic" in name or "Calamine" in name or name in ("XmlError", "WorksheetNotFound"):
        return "工作表内容无法解析"
    if "Parse" in name or "XML" in name or "Expat" in name or "Forbidden" in name:
        return "XML 不完整或不合规范"
    return "内容无法解析"


def internal_error(exc: BaseException, path: object = None) -> str:
    """The Chinese message for an unexpected error: what happened, and what to do."""
    where = f"处理文件 {path} 时" if path else ""
    return (
        f"{where}xltools 内部出错（{type(exc).__name__}：{printable(str(exc))[:200]}）。"
        "这是 xltools 的缺陷，不是您的操作问题；请把该文件和这段信息反馈给开发者，"
        "设置环境变量 XLTOOLS_DEBUG=1 可显示详细信息"
    )


def user_message(exc: BaseException, path: object = None) -> str:
    """What the user reads for `exc` met handling `path`: the typed problem, else an internal error."""
    problem = as_problem(exc, path)
    return problem.render() if problem is not None else internal_error(exc, path)


@contextmanager
def reading(path: object, part: str | None = None) -> Iterator[None]:
    """Turn a parser's exception met while reading the user's file at `path` into a typed FileProblem;
    defects of ours (and KeyboardInterrupt) pass through unchanged."""
    try:
        yield
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:
        if os.environ.get("XLTOOLS_DEBUG") and not isinstance(exc, XltoolsError):
            raise
        problem = as_problem(exc, path, part)
        if problem is None:
            raise
        if problem is exc:
            raise
        raise problem from exc


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without control characters (ESC sequences, NUL …) or lone surrogates: safe for a
    terminal, XML 1.0 (JUnit, docx) and any encoder. Newlines and tabs are kept."""
    return _CONTROL.sub("�", text) if _CONTROL.search(text) else text
