"""The tables of the two reference reports (000 醴陵市行政审批服务局, 001 株洲市荷塘区行政审批服务局,
2021) as printed, built straight into a Report — no workbook, so the narrative tests run before
the reader exists."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from xltools.model import Amount, Cell, Report, Row, Table

# table → [(row key, label, {column: amount})]; a row key of digits is a function/economic code
Spec = dict[str, list[tuple[str, str, dict[str, str]]]]

R000: Spec = {
    "公开01": [
        ("inc_general", "一、一般公共预算财政拨款收入", {"amount": "2211.04"}),
        ("inc_fund", "二、政府性基金预算财政拨款收入", {"amount": ""}),
        ("inc_soe", "三、国有资本经营预算财政拨款收入", {"amount": ""}),
        ("inc_superior", "四、上级补助收入", {"amount": ""}),
        ("inc_business", "五、事业收入", {"amount": ""}),
        ("inc_operating", "六、经营收入", {"amount": ""}),
        ("inc_affiliated", "七、附属单位上缴收入", {"amount": ""}),
        ("inc_other", "八、其他收入", {"amount": "56.87"}),
        ("income_total", "本年收入合计", {"amount": "2267.91"}),
        ("use_nonfiscal_balance", "使用非财政拨款结余", {"amount": ""}),
        ("opening_balance", "年初结转和结余", {"amount": "14.22"}),
        ("income_grand_total", "总计", {"amount": "2282.14"}),
        ("201", "一、一般公共服务支出", {"amount": "2254.50"}),
        ("210", "九、卫生健康支出", {"amount": "23.26"}),
        ("expense_total", "本年支出合计", {"amount": "2277.76"}),
        ("surplus_distribution", "结余分配", {"amount": ""}),
        ("closing_balance", "年末结转和结余", {"amount": "4.37"}),
        ("expense_grand_total", "总计", {"amount": "2282.14"}),
    ],
    "公开02": [
        ("total", "合计", {"total": "2267.91", "fiscal": "2211.04", "other": "56.87"}),
        ("2010301", "行政运行", {"total": "959.07", "fiscal": "959.07"}),
        ("2010302", "一般行政管理事务", {"total": "15.99", "fiscal": "15.99"}),
        (
            "2010399",
            "其他政府办公厅(室)及相关机构事务",
            {"total": "1146.90", "fiscal": "1090.03", "other": "56.87"},
        ),
        ("2019999", "其他一般公共服务支出", {"total": "122.69", "fiscal": "122.69"}),
        ("2101101", "行政单位医疗", {"total": "23.26", "fiscal": "23.26"}),
    ],
    "公开03": [
        (
            "total",
            "合计",
            {
                "total": "2277.76",
                "basic": "1239.29",
                "project": "1038.47",
                "to_superior": "",
                "operating": "",
                "to_affiliated": "",
            },
        ),
        ("2010301", "行政运行", {"total": "959.07", "basic": "959.07"}),
        ("2010302", "一般行政管理事务", {"total": "15.99", "project": "15.99"}),
        (
            "2010399",
            "其他政府办公厅（室）及相关机构事务支出",
            {"total": "1154.75", "basic": "256.96", "project": "897.79"},
        ),
        ("2019999", "其他一般公共服务支出", {"total": "124.69", "project": "124.69"}),
        ("2101101", "行政单位医疗", {"total": "23.26", "basic": "23.26"}),
    ],
    "公开04": [
        ("inc_general", "一、一般公共预算财政拨款", {"amount": "2211.04"}),
        ("inc_fund", "二、政府性基金预算财政拨款", {"amount": ""}),
        ("inc_soe", "三、国有资本经营预算财政拨款", {"amount": ""}),
        ("income_total", "本年收入合计", {"amount": "2211.04"}),
        ("opening_fiscal", "年初财政拨款结转和结余", {"amount": "14.22"}),
        ("opening_general", "一般公共预算财政拨款", {"amount": "14.22"}),
        ("income_grand_total", "总计", {"amount": "2225.27"}),
        ("201", "一、一般公共服务支出", {"total": "2201.98", "general": "2201.98"}),
        ("210", "九、卫生健康支出", {"total": "23.26", "general": "23.26"}),
        ("expense_total", "本年支出合计", {"total": "2225.24", "general": "2225.24"}),
        ("closing_fiscal", "年末财政拨款结转和结余", {"total": "0.02", "general": "0.02"}),
        ("expense_grand_total", "总计", {"total": "2225.27", "general": "2225.27"}),
    ],
    "公开05": [
        ("total", "合计", {"total": "2225.24", "basic": "1239.29", "project": "985.95"}),
        ("201", "一般公共服务支出", {"total": "2201.98", "basic": "1216.03", "project": "985.95"}),
        (
            "20103",
            "政府办公厅（室）及相关机构事务",
            {"total": "2077.29", "basic": "1216.03", "project": "861.26"},
        ),
        ("2010301", "行政运行", {"total": "959.07", "basic": "959.07"}),
        ("2010302", "一般行政管理事务", {"total": "15.99", "project": "15.99"}),
        (
            "2010399",
            "其他政府办公厅（室）及相关机构事务支出",
            {"total": "1102.23", "basic": "256.96", "project": "845.27"},
        ),
        ("20199", "其他一般公共服务支出", {"total": "124.69", "project": "124.69"}),
        ("2019999", "其他一般公共服务支出", {"total": "124.69", "project": "124.69"}),
        ("210", "卫生健康支出", {"total": "23.26", "basic": "23.26"}),
        ("21011", "行政事业单位医疗", {"total": "23.26", "basic": "23.26"}),
        ("2101101", "行政单位医疗", {"total": "23.26", "basic": "23.26"}),
    ],
    "公开06": [
        ("301", "工资福利支出", {"amount": "659.53"}),
        ("30101", "基本工资", {"amount": "150.73"}),
        ("30102", "津贴补贴", {"amount": "58.83"}),
        ("30103", "奖金", {"amount": "44.28"}),
        ("30106", "伙食补助费", {"amount": "243.38"}),
        ("30107", "绩效工资", {"amount": "46.08"}),
        ("30108", "机关事业单位基本养老保险", {"amount": "13.99"}),
        ("30109", "职业年金缴费", {"amount": ""}),
        ("30110", "职工基本医疗保险缴费", {"amount": "25.74"}),
        ("30112", "其他社会保障缴费", {"amount": "30.94"}),
        ("30113", "住房公积金", {"amount": "35.26"}),
        ("30199", "其他工资福利支出", {"amount": "10.31"}),
        ("303", "对个人和家庭的补助", {"amount": ""}),
        ("302", "商品和服务支出", {"amount": "579.76"}),
        ("30201", "办公费", {"amount": "136.76"}),
        ("30202", "印刷费", {"amount": "6.88"}),
        ("30205", "水费", {"amount": "7.10"}),
        ("30206", "电费", {"amount": "164.85"}),
        ("30207", "邮电费", {"amount": "1.00"}),
        ("30208", "取暖费", {"amount": "29.00"}),
        ("30211", "差旅费", {"amount": "0.97"}),
        ("30212", "因公出国（境）费用", {"amount": ""}),
        ("30213", "维修（护）费", {"amount": "13.00"}),
        ("30215", "会议费", {"amount": "0.16"}),
        ("30216", "培训费", {"amount": "6.30"}),
        ("30217", "公务接待费", {"amount": "0.20"}),
        ("30218", "专用材料费", {"amount": "2.34"}),
        ("30226", "劳务费", {"amount": "146.31"}),
        ("30227", "委托业务费", {"amount": "2.38"}),
        ("30228", "工会经费", {"amount": "29.32"}),
        ("30231", "公务用车运行维护费", {"amount": ""}),
        ("30239", "其他交通费用", {"amount": "12.46"}),
        ("30240", "税金及附加费用", {"amount": "0.75"}),
        ("30299", "其他商品和服务支出", {"amount": "19.97"}),
        ("310", "资本性支出", {"amount": ""}),
        ("31002", "办公设备购置", {"amount": ""}),
        ("31013", "公务用车购置", {"amount": ""}),
        ("personnel_total", "人员经费合计", {"amount": "659.53"}),
        ("public_total", "公用经费合计", {"amount": "579.76"}),
    ],
    "公开07": [
        (
            "budget",
            "预算数",
            {
                "total": "0.20",
                "abroad": "",
                "vehicle": "",
                "vehicle_purchase": "",
                "vehicle_operation": "",
                "reception": "0.20",
            },
        ),
        (
            "actual",
            "决算数",
            {
                "total": "0.20",
                "abroad": "",
                "vehicle": "",
                "vehicle_purchase": "",
                "vehicle_operation": "",
                "reception": "0.20",
            },
        ),
    ],
    "公开08": [
        (
            "total",
            "合计",
            {"opening": "", "income": "", "total": "", "basic": "", "project": "", "closing": ""},
        )
    ],
    "公开09": [("total", "合计", {"total": "0.00", "basic": "0.00", "project": "0.00"})],
}

R001: Spec = {
    "公开01": [
        ("inc_general", "一、一般公共预算财政拨款收入", {"amount": "1022.32"}),
        ("inc_fund", "二、政府性基金预算财政拨款收入", {"amount": ""}),
        ("inc_soe", "三、国有资本经营预算财政拨款收入", {"amount": ""}),
        ("inc_superior", "四、上级补助收入", {"amount": ""}),
        ("inc_business", "五、事业收入", {"amount": ""}),
        ("inc_operating", "六、经营收入", {"amount": ""}),
        ("inc_affiliated", "七、附属单位上缴收入", {"amount": ""}),
        ("inc_other", "八、其他收入", {"amount": ""}),
        ("income_total", "本年收入合计", {"amount": "1022.32"}),
        ("use_nonfiscal_balance", "使用非财政拨款结余", {"amount": ""}),
        ("opening_balance", "年初结转和结余", {"amount": "3.58"}),
        ("income_grand_total", "总计", {"amount": "1025.90"}),
        ("201", "一、一般公共服务支出", {"amount": "975.80"}),
        ("206", "六、科学技术支出", {"amount": "46.84"}),
        ("expense_total", "本年支出合计", {"amount": "1022.64"}),
        ("surplus_distribution", "结余分配", {"amount": ""}),
        ("closing_balance", "年末结转和结余", {"amount": "3.26"}),
        ("expense_grand_total", "总计", {"amount": "1025.90"}),
    ],
    "公开02": [
        ("total", "合计", {"total": "1022.32", "fiscal": "1022.32"}),
        ("201", "一般公共服务支出", {"total": "975.48", "fiscal": "975.48"}),
        ("20103", "政府办公厅（室）及相关机构事务", {"total": "975.18", "fiscal": "975.18"}),
        ("2010301", "行政运行", {"total": "376.62", "fiscal": "376.62"}),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", {"total": "598.56", "fiscal": "598.56"}),
        ("20133", "宣传事务", {"total": "0.30", "fiscal": "0.30"}),
        ("2013399", "其他宣传事务支出", {"total": "0.30", "fiscal": "0.30"}),
        ("206", "科学技术支出", {"total": "46.84", "fiscal": "46.84"}),
        ("20601", "科学技术管理事务", {"total": "46.84", "fiscal": "46.84"}),
        ("2060102", "一般行政管理事务", {"total": "46.84", "fiscal": "46.84"}),
    ],
    "公开03": [
        (
            "total",
            "合计",
            {
                "total": "1022.64",
                "basic": "975.80",
                "project": "46.84",
                "to_superior": "",
                "operating": "",
                "to_affiliated": "",
            },
        ),
        ("201", "一般公共服务支出", {"total": "975.80", "basic": "975.80"}),
        ("20103", "政府办公厅（室）及相关机构事务", {"total": "975.50", "basic": "975.50"}),
        ("2010301", "行政运行", {"total": "376.62", "basic": "376.62"}),
        ("2010350", "事业运行", {"total": "0.32", "basic": "0.32"}),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", {"total": "598.56", "basic": "598.56"}),
        ("20133", "宣传事务", {"total": "0.30", "basic": "0.30"}),
        ("2013399", "其他宣传事务支出", {"total": "0.30", "basic": "0.30"}),
        ("206", "科学技术支出", {"total": "46.84", "project": "46.84"}),
        ("20601", "科学技术管理事务", {"total": "46.84", "project": "46.84"}),
        ("2060102", "一般行政管理事务", {"total": "46.84", "project": "46.84"}),
    ],
    "公开04": [
        ("inc_general", "一、一般公共预算财政拨款", {"amount": "1022.32"}),
        ("inc_fund", "二、政府性基金预算财政拨款", {"amount": ""}),
        ("inc_soe", "三、国有资本经营预算财政拨款", {"amount": ""}),
        ("income_total", "本年收入合计", {"amount": "1022.32"}),
        ("opening_fiscal", "年初财政拨款结转和结余", {"amount": "0.48"}),
        ("opening_general", "一般公共预算财政拨款", {"amount": "0.48"}),
        ("income_grand_total", "总计", {"amount": "1022.80"}),
        ("201", "一、一般公共服务支出", {"total": "975.48", "general": "975.48"}),
        ("206", "六、科学技术支出", {"total": "46.84", "general": "46.84"}),
        ("expense_total", "本年支出合计", {"total": "1022.32", "general": "1022.32"}),
        ("closing_fiscal", "年末财政拨款结转和结余", {"total": "0.48", "general": "0.48"}),
        ("expense_grand_total", "总计", {"total": "1022.80", "general": "1022.80"}),
    ],
    "公开05": [
        ("total", "合计", {"total": "1022.32", "basic": "975.48", "project": "46.84"}),
        ("201", "一般公共服务支出", {"total": "975.48", "basic": "975.48"}),
        ("20103", "政府办公厅（室）及相关机构事务", {"total": "975.18", "basic": "975.18"}),
        ("2010301", "行政运行", {"total": "376.62", "basic": "376.62"}),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", {"total": "598.56", "basic": "598.56"}),
        ("20133", "宣传事务", {"total": "0.30", "basic": "0.30"}),
        ("2013399", "其他宣传事务支出", {"total": "0.30", "basic": "0.30"}),
        ("206", "科学技术支出", {"total": "46.84", "project": "46.84"}),
        ("20601", "科学技术管理事务", {"total": "46.84", "project": "46.84"}),
        ("2060102", "一般行政管理事务", {"total": "46.84", "project": "46.84"}),
    ],
    "公开06": [
        ("301", "工资福利支出", {"amount": "126.27"}),
        ("30101", "基本工资", {"amount": "38.17"}),
        ("30102", "津贴补贴", {"amount": "29.10"}),
        ("30103", "奖金", {"amount": "23.54"}),
        ("30106", "伙食补助费", {"amount": ""}),
        ("30108", "机关事业单位基本养老保险 缴费", {"amount": "11.85"}),
        ("30110", "职工基本医疗保险缴费", {"amount": "8.57"}),
        ("30111", "公务员医疗补助缴费", {"amount": "0.60"}),
        ("30112", "其他社会保障缴费", {"amount": "1.21"}),
        ("30113", "住房公积金", {"amount": "12.83"}),
        ("30114", "医疗费", {"amount": "0.16"}),
        ("30199", "其他工资福利支出", {"amount": "0.23"}),
        ("303", "对个人和家庭的补助", {"amount": "52.40"}),
        ("30307", "医疗费补助", {"amount": ""}),
        ("30308", "助学金", {"amount": "0.06"}),
        ("30309", "奖励金", {"amount": "52.34"}),
        ("302", "商品和服务支出", {"amount": "783.96"}),
        ("30201", "办公费", {"amount": "8.39"}),
        ("30202", "印刷费", {"amount": "3.32"}),
        ("30207", "邮电费", {"amount": "9.15"}),
        ("30211", "差旅费", {"amount": "2.34"}),
        ("30212", "因公出国（境）费用", {"amount": ""}),
        ("30213", "维修（护）费", {"amount": "79.50"}),
        ("30214", "租赁费", {"amount": "14.76"}),
        ("30215", "会议费", {"amount": ""}),
        ("30216", "培训费", {"amount": "6.73"}),
        ("30217", "公务接待费", {"amount": "0.24"}),
        ("30226", "劳务费", {"amount": "210.71"}),
        ("30227", "委托业务费", {"amount": "413.44"}),
        ("30228", "工会经费", {"amount": "12.36"}),
        ("30229", "福利费", {"amount": "3.47"}),
        ("30231", "公务用车运行维护费", {"amount": ""}),
        ("30239", "其他交通费用", {"amount": "7.92"}),
        ("30299", "其他商品和服务支出", {"amount": "11.64"}),
        ("310", "资本性支出", {"amount": "12.85"}),
        ("31002", "办公设备购置", {"amount": "12.85"}),
        ("31013", "公务用车购置", {"amount": ""}),
        ("personnel_total", "人员经费合计", {"amount": "178.67"}),
        ("public_total", "公用经费合计", {"amount": "796.81"}),
    ],
    "公开07": [
        (
            "budget",
            "预算数",
            {
                "total": "0.30",
                "abroad": "",
                "vehicle": "",
                "vehicle_purchase": "",
                "vehicle_operation": "",
                "reception": "0.30",
            },
        ),
        (
            "actual",
            "决算数",
            {
                "total": "0.24",
                "abroad": "",
                "vehicle": "",
                "vehicle_purchase": "",
                "vehicle_operation": "",
                "reception": "0.24",
            },
        ),
    ],
    "公开08": [
        (
            "total",
            "合计",
            {"opening": "", "income": "", "total": "", "basic": "", "project": "", "closing": ""},
        )
    ],
    "公开09": [("total", "合计", {"total": "", "basic": "", "project": ""})],
}

DEPARTMENTS = {"r000": "醴陵市行政审批服务局", "r001": "株洲市荷塘区行政审批服务局"}


def build(spec: Spec, department: str, year: int = 2021, path: str = "<figures>") -> Report:
    """A Report holding `spec`, each amount in a cell of its own (row 6 on, one column per key)."""
    fmt: Any = SimpleNamespace(id="2021", name="2021")
    report = Report(path=path, format=fmt, year=year)
    for table_id, rows in spec.items():
        table = Table(
            table_id, table_id, table_id, Cell(table_id, 1, 1), "test", unit="万元", department=department
        )
        for i, (key, label, values) in enumerate(rows):
            row = Row(key, label, Cell(table_id, 6 + i, 2), code=key if key.isdigit() else None)
            for col, text in values.items():
                c = table.columns.setdefault(col, 3 + len(table.columns))
                row.values[col] = Amount(Decimal(text or "0"), Cell(table_id, 6 + i, c), blank=not text)
            table.rows[key] = row
        report.tables[table_id] = table
    return report


def report(name: str) -> Report:
    """'r000' or 'r001' as a Report."""
    return build({"r000": R000, "r001": R001}[name], DEPARTMENTS[name])
