"""A consolidated workbook (汇总) whose 公开02/03/05 carry N consistent code rows each (类 → 款 → 项)."""

from __future__ import annotations

from pathlib import Path

SPECS = {
    "公开02": (
        "收入决算表",
        [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ],
    ),
    "公开03": (
        "支出决算表",
        ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
    ),
    "公开05": ("一般公共预算财政拨款支出决算表", ["小计", "基本支出", "项目支出"]),
}


def consolidated(rows: int, path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    codes = _codes(rows)
    leaf = {c: (1 + int(c[-2:])) for c in codes if len(c) == 7}
    for sheet, (title, headers) in SPECS.items():
        ws = wb.create_sheet(sheet)
        ws.append([title])
        ws.append(["部门：汇总单位", None, "单位：万元"])
        ws.append(["功能分类科目编码", "科目名称", *headers])
        n = len(headers)
        ws.append(["合计", None, *_row(sum(leaf.values()), n)])
        for c in codes:
            ws.append([c, f"科目{c}", *_row(sum(x for k, x in leaf.items() if k.startswith(c)), n)])
    wb.save(path)
    return path


def _row(v: int, n: int) -> list[float]:
    if n == 3:
        return [float(v), float(v), 0.0]
    return [float(v), float(v)] + [0.0] * (n - 2)


def _codes(rows: int) -> list[str]:
    out: list[str] = []
    for cls in range(201, 240):
        for kuan in range(1, 100):
            if kuan == 1:
                out.append(f"{cls}")
            out.append(f"{cls}{kuan:02d}")
            for item in range(1, 10):
                out.append(f"{cls}{kuan:02d}{item:02d}")
                if len(out) >= rows:
                    return out
    return out
