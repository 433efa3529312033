"""What the tables do not hold: prior-year figures, 年初预算, counts and reasons (a TOML or YAML
file, described in README.md)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xltools.errors import DataError
from xltools.model import Report

PRIOR_KEYS = {
    "total": "收、支总计",
    "fiscal_total": "财政拨款收、支总计",
    "general_expense": "一般公共预算财政拨款支出",
    "admin": "机关运行经费",
    "three_total": "“三公”经费",
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}
BUDGET_KEYS = {"general_expense": "一般公共预算财政拨款支出年初预算", "admin": "机关运行经费年初预算"}
REASON_KEYS = {
    "total",
    "fiscal_total",
    "general_expense",
    "admin_prior",
    "admin_budget",
    "three_total",
    "abroad",
    "vehicle",
    "reception",
}
COUNT_KEYS = {
    "abroad_groups": "因公出国（境）团组数",
    "abroad_people": "因公出国（境）人次",
    "reception_groups": "接待来访团组数",
    "reception_visitors": "接待来宾人次",
    "vehicles_bought": "购置公务用车辆数",
    "vehicles_held": "公务用车保有量",
}
PROCUREMENT_KEYS = {
    "goods": "政府采购货物支出",
    "works": "政府采购工程支出",
    "services": "政府采购服务支出",
    "sme": "授予中小企业合同金额",
    "small_micro": "授予小微企业合同金额",
}
ASSET_KEYS = {
    "vehicles": "车辆数",
    "equipment_50": "50万元以上通用设备台（套）数",
    "equipment_100": "100万元以上专用设备台（套）数",
}
TEXT_KEYS = {
    "meetings": "会议费用途",
    "trainings": "培训费用途",
    "performance": "预算绩效情况",
    "other": "其他重要事项",
}
SECTIONS = {"prior", "budget", "reasons", "counts", "procurement", "assets", "text", "events", "year", "年度"}
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class Inputs:
    """Figures from outside the 公开 tables. Every field may be missing: the prose then says
    【待补充：…】 instead of inventing a number."""

    prior: dict[str, Decimal] = field(default_factory=dict)
    budget: dict[str, Decimal] = field(default_factory=dict)
    budget_items: dict[str, Decimal] = field(default_factory=dict)  # 7-digit 项 code → 年初预算
    reasons: dict[str, str] = field(default_factory=dict)
    reason_items: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    procurement: dict[str, Decimal] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    events: Decimal | None = None  # 节庆、晚会、论坛、赛事活动（万元）
    year: int | None = None  # 决算年度 when the workbook does not say (--year overrides it)


def with_year(report: Report, inputs: Inputs | None) -> Report:
    """`report` with the year of `inputs` when that is given (it wins over the workbook's own),
    else `report` itself."""
    if inputs is None or inputs.year is None or inputs.year == report.year:
        return report
    return replace(report, year=inputs.year)


def year_of(value: Any, where: str, path: str = "<inputs>") -> int:
    """A 决算年度 (2000–2100) from a file or the command line. Raises DataError otherwise."""
    try:
        year = int(str(value).strip().removesuffix("年度").removesuffix("年"))
    except ValueError:
        year = 0
    if isinstance(value, bool) or year not in YEARS:
        raise DataError(f"{where} 应为四位年份（如 2021），实为 {value!r}", path=path)
    return year


def _decimal(value: Any, where: str, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise DataError(f"{where} 应为数字（万元），实为 {value!r}", path=path)
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DataError(f"{where} 应为数字（万元），实为 {value!r}", path=path) from None


def _table(data: Mapping[str, Any], name: str, path: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise DataError(f"[{name}] 应为一个表（键 = 值）", path=path)
    return value


def _numbers(
    section: Mapping[str, Any], allowed: Mapping[str, str] | set[str] | None, name: str, path: str
) -> dict[str, Decimal]:
    out = {}
    for key, value in section.items():
        key = str(key)
        if allowed is not None and key not in allowed:
            raise DataError(
                f"[{name}] 中没有 {key} 这一项", path=path, hint="可用的键：" + "、".join(sorted(allowed))
            )
        out[key] = _decimal(value, f"[{name}] {key}", path)
    return out


def _strings(section: Mapping[str, Any], allowed: set[str] | None, name: str, path: str) -> dict[str, str]:
    out = {}
    for key, value in section.items():
        key = str(key)
        if allowed is not None and key not in allowed:
            raise DataError(
                f"[{name}] 中没有 {key} 这一项", path=path, hint="可用的键：" + "、".join(sorted(allowed))
            )
        if not isinstance(value, str):
            raise DataError(f"[{name}] {key} 应为文字", path=path)
        out[key] = value.strip()
    return out


def _ints(section: Mapping[str, Any], allowed: Mapping[str, str], name: str, path: str) -> dict[str, int]:
    out = {}
    for key, value in _numbers(section, allowed, name, path).items():
        if value != value.to_integral_value():
            raise DataError(f"[{name}] {key} 应为整数", path=path)
        out[key] = int(value)
    return out


def inputs_from_mapping(data: Mapping[str, Any], path: str = "<inputs>") -> Inputs:
    """Build Inputs from parsed TOML/YAML. Raises DataError naming the key that is wrong."""
    unknown = set(map(str, data)) - SECTIONS
    if unknown:
        raise DataError(
            f"未知的部分：{'、'.join(sorted(unknown))}",
            path=path,
            hint="可用的部分：" + "、".join(sorted(SECTIONS)),
        )
    budget = dict(_table(data, "budget", path))
    items = budget.pop("items", {})
    reasons = dict(_table(data, "reasons", path))
    reason_items = reasons.pop("items", {})
    if not isinstance(items, Mapping) or not isinstance(reason_items, Mapping):
        raise DataError("[budget.items] 与 [reasons.items] 应为表：7位科目编码 = 值", path=path)
    events = data.get("events")
    if "year" in data and "年度" in data:
        raise DataError("year 与 年度 只能写一个", path=path)
    year = data.get("year", data.get("年度"))
    return Inputs(
        prior=_numbers(_table(data, "prior", path), PRIOR_KEYS, "prior", path),
        budget=_numbers(budget, BUDGET_KEYS, "budget", path),
        budget_items=_numbers(items, None, "budget.items", path),
        reasons=_strings(reasons, REASON_KEYS, "reasons", path),
        reason_items=_strings(reason_items, None, "reasons.items", path),
        counts=_ints(_table(data, "counts", path), COUNT_KEYS, "counts", path),
        procurement=_numbers(_table(data, "procurement", path), PROCUREMENT_KEYS, "procurement", path),
        assets=_ints(_table(data, "assets", path), ASSET_KEYS, "assets", path),
        text=_strings(_table(data, "text", path), set(TEXT_KEYS), "text", path),
        events=None if events is None else _decimal(events, "events", path),
        year=None if year is None else year_of(year, "year（年度）", path),
    )


def load_inputs(path: str | Path) -> Inputs:
    """Read an inputs file (.toml, .yaml or .yml). Raises DataError when it cannot be read or is wrong."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"无法读取数据文件：{exc}", path=str(p)) from exc
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(raw) or {}
        else:
            data = tomllib.loads(raw, parse_float=Decimal)
    except Exception as exc:  # both parsers raise their own error types
        raise DataError(
            f"数据文件格式有误：{exc}", path=str(p), hint="请对照 xltools/narrative/README.md 的示例"
        ) from exc
    if not isinstance(data, Mapping):
        raise DataError("数据文件应为键值表", path=str(p))
    return inputs_from_mapping(data, str(p))
