"""The same worksheet functions for xlwings Server / Office.js add-ins (Excel on the web, Excel on
any desktop without VBA): xlwings.server decorators over the functions of udfs.py, so the logic
stays in one place (xltools/rules/functions.py). Serve with `custom_functions_call(data, this module)`."""

from __future__ import annotations

from typing import Any

from xlwings import server

from xltools.excel import udfs


@server.func
@server.arg("parts", ndim=1)
def CHECK_TOTAL(
    total: Any, parts: Any, tolerance: Any = None
):  # no return hint: xlwings would read it as a converter
    return udfs.CHECK_TOTAL(total, parts, tolerance)


@server.func
@server.arg("a", ndim=1)
@server.arg("b", ndim=1)
def CHECK_EQUAL(
    a: Any, b: Any, tolerance: Any = None
):  # no return hint: xlwings would read it as a converter
    return udfs.CHECK_EQUAL(a, b, tolerance)


@server.func
@server.arg("codes", ndim=1)
@server.arg("amounts", ndim=1)
def CHECK_ROLLUP(codes: Any, amounts: Any, code: Any):  # no return hint: xlwings would read it as a converter
    return udfs.CHECK_ROLLUP(codes, amounts, code)


@server.func
def WANYUAN(yuan: Any):  # no return hint: xlwings would read it as a converter
    return udfs.WANYUAN(yuan)


@server.func
def PCT(part: Any, whole: Any, digits: Any = None):  # no return hint: xlwings would read it as a converter
    return udfs.PCT(part, whole, digits)


@server.func
def CHECK_RULE(rule_id: Any):  # no return hint: xlwings would read it as a converter
    return udfs.CHECK_RULE(rule_id)


for _name in ("CHECK_TOTAL", "CHECK_EQUAL", "CHECK_ROLLUP", "WANYUAN", "PCT", "CHECK_RULE"):
    globals()[_name].__doc__ = getattr(udfs, _name).__doc__  # Excel shows the same Chinese help
