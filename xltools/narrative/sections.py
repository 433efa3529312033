"""Generate sections 六 to 十五 of part three: 基本支出, “三公”经费, 政府性基金, 国有资本经营,
机关运行经费, 一般性支出, 政府采购, 国有资产, 预算绩效, 其他."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from xltools.codes import economic_classes
from xltools.model import Report
from xltools.narrative import facts
from xltools.narrative.document import Section, pending
from xltools.narrative.inputs import Inputs
from xltools.narrative.numbers import ZERO, money, pct, percent
from xltools.narrative.phrases import change, share

THREE = (  # 公开07 column, name in prose, prior/reason key
    ("abroad", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


def _y(report: Report) -> str:
    return str(report.year) if report.year else pending("年度")


def _count(inputs: Inputs, key: str, what: str) -> str:
    n = inputs.counts.get(key)
    return pending(what) if n is None else str(n)


def basic(report: Report, inputs: Inputs) -> Section:
    s = Section("一般公共预算财政拨款基本支出决算情况说明")
    total = facts.value(report, "公开05", "total", "basic")
    personnel = facts.value(report, "公开06", "personnel_total", "amount")
    public = facts.value(report, "公开06", "public_total", "amount")

    def consists(prefixes: tuple[str, ...]) -> str:
        found = facts.economic_items(report, prefixes)
        return "，主要包括" + "、".join(f"{n}{money(v)}" for _, n, v in found) if found else ""

    people, office = consists(economic_classes("personnel")), consists(economic_classes("public"))
    s.add(
        f"{_y(report)}年度一般公共预算财政拨款基本支出{money(total)}，其中："
        f"人员经费{money(personnel)}{share(personnel, total, '基本支出')}{people}；"
        f"公用经费{money(public)}{share(public, total, '基本支出')}{office}。"
    )
    return s


def three(report: Report, inputs: Inputs) -> Section:
    s = Section("一般公共预算财政拨款“三公”经费支出决算情况说明")
    s.add("（一）“三公”经费财政拨款支出决算总体情况说明", "subheading")
    _three_execution(s, report, inputs)
    s.add("（二）“三公”经费财政拨款支出决算具体情况说明", "subheading")
    _three_detail(s, report, inputs)
    return s


def _three(report: Report, row: str, col: str) -> Decimal:
    return facts.value(report, "公开07", row, col)


def _three_execution(s: Section, report: Report, inputs: Inputs) -> None:
    """Budget, actual and change against the prior year: the total, then each kind."""
    budget, actual = _three(report, "budget", "total"), _three(report, "actual", "total")
    s.add(
        f"{_y(report)}年度“三公”经费财政拨款支出预算为{money(budget)}，"
        f"支出决算为{money(actual)}{_done(budget, actual)}，"
        + change(actual, inputs.prior.get("three_total"), "“三公”经费", inputs.reasons.get("three_total"))
        + "。"
    )
    for col, name in THREE:
        b, a = _three(report, "budget", col), _three(report, "actual", col)
        why = inputs.reasons.get("vehicle" if col.startswith("vehicle") else col)
        s.add(
            f"{name}支出预算为{money(b)}，支出决算为{money(a)}{_done(b, a)}，"
            + change(a, inputs.prior.get(col), name, why)
            + "。"
        )


def _three_detail(s: Section, report: Report, inputs: Inputs) -> None:
    """Each kind's share of the total, then the trips, vehicles and visitors behind it."""
    y = _y(report)
    actual = _three(report, "actual", "total")
    abroad, vehicle = _three(report, "actual", "abroad"), _three(report, "actual", "vehicle")
    reception = _three(report, "actual", "reception")
    parts = [
        f"因公出国（境）费支出决算{money(abroad)}{share(abroad, actual)}",
        f"公务用车购置及运行维护费支出决算{money(vehicle)}{share(vehicle, actual)}",
        f"公务接待费支出决算{money(reception)}{share(reception, actual)}",
    ]
    s.add(f"{y}年度“三公”经费财政拨款支出决算中，" + "，".join(parts) + "。其中：")
    s.add(
        f"1、因公出国（境）费支出决算为{money(abroad)}，全年安排因公出国（境）团组"
        f"{_count(inputs, 'abroad_groups', '团组数')}个，累计{_count(inputs, 'abroad_people', '人次')}人次。"
    )
    s.add(
        f"2、公务用车购置及运行维护费支出决算为{money(vehicle)}，其中：公务用车购置费"
        f"{money(_three(report, 'actual', 'vehicle_purchase'))}，"
        f"购置公务用车{_count(inputs, 'vehicles_bought', '辆数')}辆；"
        f"公务用车运行维护费{money(_three(report, 'actual', 'vehicle_operation'))}，截至{y}年12月31日，"
        f"开支财政拨款的公务用车保有量为{_count(inputs, 'vehicles_held', '辆数')}辆。"
    )
    s.add(
        f"3、公务接待费支出决算为{money(reception)}，全年共接待来访团组"
        f"{_count(inputs, 'reception_groups', '团组数')}个、"
        f"来宾{_count(inputs, 'reception_visitors', '人次')}人次。"
    )


def _done(budget: Decimal, actual: Decimal) -> str:
    rate = percent(actual, budget)
    return "" if rate is None else f"，完成预算的{pct(rate)}"


def fund(report: Report, inputs: Inputs) -> Section:
    s = Section("政府性基金预算财政拨款收入支出决算情况说明")
    t = report.tables.get("公开08")
    if t is None or not t.has_money():
        s.add("本部门没有政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出。")
        return s

    def v(col: str) -> str:
        return money(facts.value(report, "公开08", "total", col))

    s.add(
        f"{_y(report)}年度政府性基金预算财政拨款年初结转和结余{v('opening')}，本年收入{v('income')}，"
        f"本年支出{v('total')}，年末结转和结余{v('closing')}。"
    )
    return s


def soe(report: Report, inputs: Inputs) -> Section:
    s = Section("国有资本经营预算财政拨款支出决算情况说明")
    if "公开09" not in report.tables:  # the 2018 set has no 公开09: nothing to draw the statement from
        where = "本套表没有公开09" if "公开09" not in report.format.tables else "工作簿中没有公开09"
        s.add(pending(f"国有资本经营预算财政拨款收入、支出情况（{where}）"))
        return s
    total = facts.value(report, "公开09", "total", "total")
    if total == ZERO:
        s.add("本部门没有国有资本经营预算财政拨款收入，也没有使用国有资本经营预算财政拨款安排的支出。")
    else:
        s.add(f"{_y(report)}年度国有资本经营预算财政拨款支出{money(total)}。")
    return s


def admin(report: Report, inputs: Inputs) -> Section:
    s = Section("机关运行经费支出说明")
    public = facts.value(report, "公开06", "public_total", "amount")
    text = f"本部门{_y(report)}年度机关运行经费支出{money(public)}，"
    text += change(
        public,
        inputs.budget.get("admin"),
        "机关运行经费",
        inputs.reasons.get("admin_budget"),
        against="比年初预算数",
    ).replace("上年机关运行经费决算数", "机关运行经费年初预算数")
    text += "；" + change(
        public,
        inputs.prior.get("admin"),
        "机关运行经费",
        inputs.reasons.get("admin_prior"),
        against="比上年决算数",
    )
    s.add(text + "。")
    return s


def spending(report: Report, inputs: Inputs) -> Section:
    s = Section("一般性支出情况说明")
    meetings = facts.value(report, "公开06", "30215", "amount")
    trainings = facts.value(report, "公开06", "30216", "amount")
    m_text = inputs.text.get("meetings") or pending("会议的次数、人数和内容")
    t_text = inputs.text.get("trainings") or pending("培训的次数、人数和内容")
    events = pending("节庆、晚会、论坛、赛事活动支出") if inputs.events is None else money(inputs.events)
    s.add(
        f"{_y(report)}年本部门开支会议费{money(meetings)}，{m_text.rstrip('。；')}；开支培训费{money(trainings)}，"
        f"{t_text.rstrip('。；')}；举办节庆、晚会、论坛、赛事活动开支{events}。"
    )
    return s


def procurement(report: Report, inputs: Inputs) -> Section:
    s = Section("政府采购支出说明")
    p = inputs.procurement
    if not {"goods", "works", "services"} <= set(p):
        s.add(pending("政府采购货物、工程、服务支出及授予中小企业合同金额"))
        return s
    total = p["goods"] + p["works"] + p["services"]
    text = (
        f"本部门{_y(report)}年度政府采购支出总额{money(total)}，其中：政府采购货物支出{money(p['goods'])}、"
        f"政府采购工程支出{money(p['works'])}、政府采购服务支出{money(p['services'])}。"
    )
    sme, small = p.get("sme"), p.get("small_micro")
    if sme is None or small is None:
        text += pending("授予中小企业、小微企业合同金额")
    else:
        text += (
            f"授予中小企业合同金额{money(sme)}{share(sme, total, '政府采购支出总额')}，"
            "其中：授予小微企业合同金额"
            f"{money(small)}{share(small, sme, '授予中小企业合同金额')}。"
        )
    s.add(text)
    return s


def assets(report: Report, inputs: Inputs) -> Section:
    s = Section("国有资产占用情况说明")
    a = inputs.assets

    def n(key: str, what: str) -> str:
        return str(a[key]) if key in a else pending(what)

    s.add(
        f"截至{_y(report)}年12月31日，本部门共有车辆{n('vehicles', '车辆数')}辆；单位价值50万元以上通用设备"
        f"{n('equipment_50', '台（套）数')}台（套）；"
        f"单位价值100万元以上专用设备{n('equipment_100', '台（套）数')}台（套）。"
    )
    return s


def performance(report: Report, inputs: Inputs) -> Section:
    s = Section(f"{_y(report)}年度预算绩效情况说明")
    s.add(inputs.text.get("performance") or pending("绩效自评、部门评价的范围、资金和结果"))
    return s


def other(report: Report, inputs: Inputs) -> Section:
    s = Section("其他重要事项情况说明")
    s.add(inputs.text.get("other") or pending("其他重要事项，没有则写“无”"))
    return s


BUILDERS: tuple[Callable[[Report, Inputs], Section], ...] = (
    basic,
    three,
    fund,
    soe,
    admin,
    spending,
    procurement,
    assets,
    performance,
    other,
)
