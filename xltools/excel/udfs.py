"""Worksheet functions for Excel (xlwings UDFs) and for headless computing (the `formulas` package).

The docstrings are what Excel's function wizard shows. xlwings' decorators only attach metadata, so
every function here is a plain function too; off Windows, or without xlwings, they are no-ops."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from xltools.rules import functions
from xltools.rules.functions import rule_verdicts

try:  # the library never needs xlwings; Excel does
    import xlwings as xw

    func: Callable[..., Any] = xw.func
    arg: Callable[..., Any] = xw.arg
except ImportError:  # pragma: no cover - xlwings is a dependency, but keep the module importable

    def func(f: Any = None, **_: Any) -> Any:
        return f if callable(f) else (lambda g: g)

    def arg(*_: Any, **__: Any) -> Any:
        return lambda g: g


@func
@arg("parts", ndim=1)
def CHECK_TOTAL(total: Any, parts: Any, tolerance: Any = None) -> str:
    """合计与明细之和是否相符：返回“通过”、“尾差 0.01”或“差额 -9.02”（合计减明细）。
    尾差：差额绝对值不超过 0.005×(明细个数+1)；可用第三个参数指定容差。"""
    return functions.check_total(total, parts, tolerance)


@func
@arg("a", ndim=1)
@arg("b", ndim=1)
def CHECK_EQUAL(a: Any, b: Any, tolerance: Any = None) -> str:
    """两个数（或两个区域之和）是否相等：返回“通过”、“尾差 d”或“差额 d”（a 减 b）。"""
    return functions.check_equal(a, b, tolerance)


@func
@arg("codes", ndim=1)
@arg("amounts", ndim=1)
def CHECK_ROLLUP(codes: Any, amounts: Any, code: Any) -> str:
    """类、款行是否等于其下级科目之和（按编码前缀：类 3 位，款 5 位，项 7 位；缺一级时取更深一级）。
    codes 为科目编码列，amounts 为同行的金额列，code 为要核对的科目编码。"""
    return functions.check_rollup(codes, amounts, code)


@func
def WANYUAN(yuan: Any) -> float | str:
    """元换算为万元，四舍五入保留两位小数；空白返回空。"""
    return functions.wanyuan(yuan)


@func
def PCT(part: Any, whole: Any, digits: Any = None) -> str:
    """占比（百分数文字，用于情况说明），四舍五入，默认两位小数，如“12.30%”；分母为 0 或空白返回“—”。"""
    return functions.pct(part, whole, digits)


# CHECK_RULE: verdicts of the whole rule catalogue for one workbook, kept a few seconds so a sheet
# of CHECK_RULE formulas reads the workbook once per recalculation, not once per cell.
_CACHE_SECONDS = 5.0
_verdicts: dict[str, tuple[float, dict[str, str]]] = {}
_formulas_book: str | None = None


def _verdicts_for(key: str, compute: Callable[[], dict[str, str]]) -> dict[str, str]:
    now = time.monotonic()
    hit = _verdicts.get(key)
    if hit is None or now - hit[0] > _CACHE_SECONDS:
        hit = (now, compute())
        _verdicts[key] = hit
    return hit[1]


def _verdicts_of_path(path: str) -> dict[str, str]:
    from xltools.rules.engine import check_path

    return rule_verdicts(check_path(path).findings)


@func  # `caller` is reserved by xlwings: hidden from Excel, it receives the calling cell
def CHECK_RULE(rule_id: Any, caller: Any = None) -> str:
    """本工作簿某条校验规则的结论（如 05-E1）：通过、尾差 d、差额 d、警告；无此规则返回“无此规则”。"""
    rule = str(functions.flatten(rule_id)[0] or "").strip()
    try:
        if caller is not None:
            book = caller.sheet.book
            from xltools.excel.book import book_verdicts

            verdicts = _verdicts_for(book.fullname, lambda: book_verdicts(book))
        elif _formulas_book is not None:
            path = _formulas_book
            verdicts = _verdicts_for(path, lambda: _verdicts_of_path(path))
        else:
            return "无工作簿"
    except ImportError:
        return "校验模块未安装"
    except Exception as exc:  # shown in the cell: a UDF must not raise into Excel
        return f"校验失败：{exc}"
    return verdicts.get(rule, "无此规则")


UDFS: dict[str, Callable[..., Any]] = {
    "CHECK_TOTAL": CHECK_TOTAL,
    "CHECK_EQUAL": CHECK_EQUAL,
    "CHECK_ROLLUP": CHECK_ROLLUP,
    "WANYUAN": WANYUAN,
    "PCT": PCT,
    "CHECK_RULE": CHECK_RULE,
}


def register_formulas_functions(book_path: str | None = None) -> None:
    """Make the UDFs known to the `formulas` package so a workbook using them computes headlessly.

    `book_path` is the workbook CHECK_RULE speaks of (formulas has no calling workbook)."""
    global _formulas_book
    from formulas.functions import get_functions

    from xltools.read.compute import formulas_function

    _formulas_book = book_path
    _verdicts.clear()
    functions = get_functions()
    for name, fn in UDFS.items():
        functions[name] = formulas_function(fn)
