"""Read the tidy data file of `xltools fill` (a workbook, or a folder of CSV files) into DeptData.

Every problem raises DataError naming the sheet (or file) and the row, in Chinese. The columns and
sheets are documented in xltools/fill/README.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xltools.errors import DataError
from xltools.text import label_key, parse_amount, parse_code

ZERO = Decimal(0)
SHEETS = ("单位信息", "功能科目", "经济科目", "三公经费", "结转结余")
REQUIRED_SHEETS = ("单位信息", "功能科目")

# field key → accepted headers of the 功能科目 sheet (the first is the documented one)
FUNCTION_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("科目编码", "功能分类科目编码", "编码"),
    "name": ("科目名称", "名称"),
    "inc_fiscal": ("财政拨款收入",),
    "inc_general": ("一般公共预算财政拨款收入", "一般公共预算收入"),
    "inc_fund": ("政府性基金预算财政拨款收入", "政府性基金收入"),
    "inc_soe": ("国有资本经营预算财政拨款收入", "国有资本经营收入"),
    "inc_superior": ("上级补助收入",),
    "inc_business": ("事业收入",),
    "inc_operating": ("经营收入",),
    "inc_affiliated": ("附属单位上缴收入",),
    "inc_other": ("其他收入",),
    "inc_total": ("本年收入合计", "收入合计"),
    "basic": ("基本支出",),
    "project": ("项目支出",),
    "to_superior": ("上缴上级支出",),
    "operating": ("经营支出",),
    "to_affiliated": ("对附属单位补助支出",),
    "exp_total": ("本年支出合计", "支出合计"),
    "gb": ("一般公共预算基本支出", "一般公共预算财政拨款基本支出"),
    "gp": ("一般公共预算项目支出", "一般公共预算财政拨款项目支出"),
    "fb": ("政府性基金基本支出", "政府性基金预算财政拨款基本支出"),
    "fp": ("政府性基金项目支出", "政府性基金预算财政拨款项目支出"),
    "sb": ("国有资本经营基本支出", "国有资本经营预算财政拨款基本支出"),
    "sp": ("国有资本经营项目支出", "国有资本经营预算财政拨款项目支出"),
    "fund_opening": ("政府性基金年初结转和结余",),
}
ECONOMIC_FIELDS = {
    "code": ("科目编码", "经济分类科目编码", "编码"),
    "name": ("科目名称", "名称"),
    "amount": ("金额", "决算数", "一般公共预算财政拨款基本支出"),
}
SANGONG_FIELDS = {"item": ("项目",), "budget": ("预算数", "预算"), "actual": ("决算数", "决算")}
SANGONG_ITEMS = {
    "abroad": ("因公出国（境）费", "因公出国(境)费", "因公出国费"),
    "vehicle_purchase": ("公务用车购置费",),
    "vehicle_operation": ("公务用车运行费", "公务用车运行维护费"),
    "reception": ("公务接待费",),
}
BALANCE_FIELDS = {
    "fund": ("资金性质", "资金", "项目"),
    "opening": ("年初结转和结余", "年初"),
    "closing": ("年末结转和结余", "年末"),
}
FUNDS = {
    "general": ("一般公共预算财政拨款", "一般公共预算"),
    "fund": ("政府性基金预算财政拨款", "政府性基金"),
    "soe": ("国有资本经营预算财政拨款", "国有资本经营"),
    "other": ("其他资金", "其他", "非财政拨款", "非财政拨款资金"),
}
INFO_KEYS = {
    "department": ("部门", "部门名称", "单位名称"),
    "year": ("年度", "决算年度"),
    "unit": ("金额单位", "单位"),
    "use_nonfiscal": ("使用非财政拨款结余", "用事业基金弥补收支差额"),
    "surplus_distribution": ("结余分配",),
}


@dataclass(frozen=True)
class Sheet:
    """One sheet of the data: its name, where it came from, and its rows with their line numbers."""

    name: str
    source: str
    rows: list[tuple[int, list[object]]]

    def fail(self, line: int | None, message: str) -> DataError:
        where = f"“{self.name}”表第 {line} 行" if line else f"“{self.name}”表"
        return DataError(
            f"{where}：{message}", path=self.source, hint="请对照 xltools/fill/README.md 修改数据文件后重试"
        )


@dataclass(frozen=True)
class FunctionRow:
    code: str
    name: str | None
    line: int
    amounts: dict[str, Decimal]

    def get(self, key: str) -> Decimal:
        return self.amounts.get(key, ZERO)


@dataclass
class DeptData:
    """The data file, parsed: amounts as typed (in `unit`), not yet checked for consistency."""

    source: str
    department: str
    year: int
    unit: str | None
    functions: list[FunctionRow] = field(default_factory=list)
    economic: dict[str, Decimal] = field(default_factory=dict)
    economic_names: dict[str, str] = field(default_factory=dict)
    sangong: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (budget|actual, item)
    openings: dict[str, Decimal] = field(default_factory=dict)  # fund → 年初
    closings: dict[str, Decimal] = field(default_factory=dict)  # fund → 年末 as given (checked)
    balance_lines: dict[str, int] = field(default_factory=dict)
    use_nonfiscal: Decimal = ZERO
    surplus_distribution: Decimal = ZERO
    sheets: dict[str, Sheet] = field(default_factory=dict)


# ---------------------------------------------------------------- reading sheets


def _read_csv(path: Path, name: str) -> Sheet:
    from xltools.io import read_capped

    raw = read_capped(path)
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise DataError("无法识别文件编码", path=str(path))
    rows: list[tuple[int, list[object]]] = []
    try:
        for n, cells in enumerate(csv.reader(text.replace("\x00", "").splitlines()), 1):
            rows.append((n, list(cells)))
    except csv.Error as exc:  # a field over the csv module's limit (131,072 characters), say
        raise DataError(
            f"第 {len(rows) + 1} 行无法读取（{exc}）",
            path=str(path),
            hint="请检查该行是否有过长或未闭合引号的内容",
        ) from exc
    return Sheet(name, str(path), rows)


def read_sheets(path: str | Path) -> dict[str, Sheet]:
    """The sheets of a data workbook (.xlsx) or of a folder of CSV files named after the sheets."""
    p = Path(path)
    if p.is_dir():
        return {f.stem: _read_csv(f, f.stem) for f in sorted(p.glob("*.csv")) if f.stem in SHEETS}
    if not p.exists():
        raise DataError("数据文件不存在", path=str(p), hint="请给出数据工作簿（.xlsx）或 CSV 文件夹的路径")
    from xltools.read.grid import load_grids

    out = {}
    for grid in load_grids(p):  # the one safe way a workbook is opened (size caps, damage typed)
        key = label_key(grid.name)
        if key in SHEETS:
            out[key] = Sheet(key, str(p), [(n, list(r)) for n, r in enumerate(grid.rows, 1)])
    return out


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def _header(sheet: Sheet, fields: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]]:
    """(line of the header row, field key → column index); unknown headers are an error."""
    for line, cells in sheet.rows:
        if not any(_text(c) for c in cells):
            continue
        lookup = {label_key(a): k for k, names in fields.items() for a in names}
        found: dict[str, int] = {}
        for i, c in enumerate(cells):
            t = _text(c)
            if not t:
                continue
            k = lookup.get(label_key(t))
            if k is None:
                raise sheet.fail(line, f"不认识的列名“{t}”（可用的列名见 README）")
            if k in found:
                raise sheet.fail(line, f"列“{t}”重复")
            found[k] = i
        return line, found
    raise sheet.fail(None, "表是空的，没有表头行")


def records(sheet: Sheet, fields: dict[str, tuple[str, ...]]) -> list[tuple[int, dict[str, object]]]:
    """The non-empty data rows below the header, as field key → raw value."""
    head, cols = _header(sheet, fields)
    out = []
    for line, cells in sheet.rows:
        if line <= head or not any(_text(c) for c in cells):
            continue
        out.append((line, {k: (cells[i] if i < len(cells) else None) for k, i in cols.items()}))
    return out


def amount(sheet: Sheet, line: int, column: str, raw: object, *, negative: bool = False) -> Decimal:
    """A cell as money: blank is zero; text that is not a number, or a negative amount, is an error."""
    if raw == "" or raw is None:
        return ZERO
    parsed = parse_amount(raw)
    if parsed.value is None:
        raise sheet.fail(line, f"“{column}”列的“{_text(raw)}”不是数字")
    if parsed.value < 0 and not negative:
        raise sheet.fail(line, f"“{column}”列的金额 {parsed.value} 为负数")
    return parsed.value


# ---------------------------------------------------------------- the sheets


def _functions(sheet: Sheet) -> list[FunctionRow]:
    out: list[FunctionRow] = []
    seen: dict[str, int] = {}
    for line, rec in records(sheet, FUNCTION_FIELDS):
        if "code" not in rec:
            raise sheet.fail(None, "缺少“科目编码”列")
        code, _ = parse_code(rec["code"])
        raw = _text(rec["code"])
        if code is None or len(code) != 7:
            raise sheet.fail(line, f"科目编码“{raw}”应为 7 位数字（项级科目）")
        if code in seen:
            raise sheet.fail(line, f"科目编码 {code} 重复（第 {seen[code]} 行已有）")
        seen[code] = line
        # only the cells that hold something: a blank 本年收入合计 claims nothing to check against
        amounts = {
            k: amount(sheet, line, FUNCTION_FIELDS[k][0], v, negative=k == "fund_opening")
            for k, v in rec.items()
            if k not in ("code", "name") and _text(v)
        }
        out.append(FunctionRow(code, _text(rec.get("name")) or None, line, amounts))
    if not out:
        raise sheet.fail(None, "没有任何科目行")
    return out


def _economic(sheet: Sheet, data: DeptData) -> None:
    seen: dict[str, int] = {}
    for line, rec in records(sheet, ECONOMIC_FIELDS):
        raw = _text(rec.get("code"))
        code, _ = parse_code(rec.get("code"))
        if code is None or len(code) != 5:
            raise sheet.fail(line, f"经济分类科目编码“{raw}”应为 5 位数字（款级科目，如 30101）")
        if code in seen:
            raise sheet.fail(line, f"经济分类科目编码 {code} 重复（第 {seen[code]} 行已有）")
        seen[code] = line
        data.economic[code] = amount(sheet, line, "金额", rec.get("amount"))
        if _text(rec.get("name")):
            data.economic_names[code] = _text(rec.get("name"))
    data.balance_lines.update({f"economic:{c}": n for c, n in seen.items()})


def _pick(sheet: Sheet, line: int, text: str, choices: dict[str, tuple[str, ...]], what: str) -> str:
    key = label_key(text)
    for k, names in choices.items():
        if key in {label_key(n) for n in names}:
            return k
    allowed = "、".join(names[0] for names in choices.values())
    raise sheet.fail(line, f"{what}“{text}”无法识别，应为 {allowed} 之一")


def _sangong(sheet: Sheet, data: DeptData) -> None:
    for line, rec in records(sheet, SANGONG_FIELDS):
        item = _pick(sheet, line, _text(rec.get("item")), SANGONG_ITEMS, "项目")
        for row in ("budget", "actual"):
            if (row, item) in data.sangong:
                raise sheet.fail(line, f"项目“{_text(rec.get('item'))}”重复")
            data.sangong[(row, item)] = amount(sheet, line, SANGONG_FIELDS[row][0], rec.get(row))


def _balances(sheet: Sheet, data: DeptData) -> None:
    for line, rec in records(sheet, BALANCE_FIELDS):
        fund = _pick(sheet, line, _text(rec.get("fund")), FUNDS, "资金性质")
        if fund in data.openings:
            raise sheet.fail(line, f"资金性质“{_text(rec.get('fund'))}”重复")
        data.balance_lines[fund] = line
        data.openings[fund] = amount(sheet, line, "年初结转和结余", rec.get("opening"), negative=True)
        if _text(rec.get("closing")):
            data.closings[fund] = amount(sheet, line, "年末结转和结余", rec.get("closing"), negative=True)


def _info(sheet: Sheet, data: DeptData) -> None:
    for line, cells in sheet.rows:
        texts = [_text(c) for c in cells]
        if not texts or not texts[0] or label_key(texts[0]) in ("项目",):
            continue
        key = _pick(sheet, line, texts[0], INFO_KEYS, "项目")
        value = texts[1] if len(texts) > 1 else ""
        if key == "department":
            data.department = value
        elif key == "year":
            if not (value.isdigit() and len(value) == 4):
                raise sheet.fail(line, f"年度“{value}”应为四位数字，如 2021")
            data.year = int(value)
        elif key == "unit":
            data.unit = _unit(sheet, line, value)
        else:
            setattr(data, key, amount(sheet, line, texts[0], cells[1] if len(cells) > 1 else None))
    if not data.department:
        raise sheet.fail(None, "缺少“部门”（部门名称）")
    if not data.year:
        raise sheet.fail(None, "缺少“年度”")


def _unit(sheet: Sheet, line: int, value: str) -> str:
    if value in ("元", "万元"):
        return value
    raise sheet.fail(line, f"金额单位“{value}”应为 元 或 万元")


def read_data(path: str | Path) -> DeptData:
    """Parse the data file at `path`. Raises DataError naming the sheet and row of any problem."""
    sheets = read_sheets(path)
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            found = "、".join(sheets) or "无"
            raise DataError(
                f"缺少“{name}”表（找到的表：{found}）",
                path=str(path),
                hint="数据文件须有“单位信息”和“功能科目”两张表，见 xltools/fill/README.md",
            )
    data = DeptData(str(path), "", 0, None, sheets=sheets)
    _info(sheets["单位信息"], data)
    data.functions = _functions(sheets["功能科目"])
    for name, reader in (("经济科目", _economic), ("三公经费", _sangong), ("结转结余", _balances)):
        if name in sheets:
            reader(sheets[name], data)
    return data
