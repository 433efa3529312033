"""Fill: the sample department's figures, random departments, the round trip through the checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xltools.fill import sample_data_path
from xltools.fill.data import DeptData, FunctionRow, Sheet
from xltools.fill.fill import FilledWorkbook, fill
from xltools.fill.rounding import within_band

D = Decimal


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[FilledWorkbook, Path]:
    filled = fill(sample_data_path(), "2021")
    path = tmp_path_factory.mktemp("fill") / "sample.xlsx"
    filled.save(path)
    return filled, path


def _read(path: Path, filled: FilledWorkbook, tid: str, row: str, col: str) -> object:
    return load_workbook(path)[tid][filled.cells[tid][(row, col)]].value


EXPECTED = {  # 万元, from the sample's 元 figures (sums checked by hand in the README's example)
    ("公开01", "income_total", "amount"): "1297.48",
    ("公开01", "income_grand_total", "amount"): "1320.82",
    ("公开01", "expense_grand_total", "amount"): "1320.82",
    ("公开01", "closing_balance", "amount"): "42.07",
    ("公开01", "201", "amount"): "879.03",
    ("公开02", "total", "fiscal"): "1273.84",
    ("公开02", "2010350", "other"): "18.64",
    ("公开03", "total", "basic"): "915.69",
    ("公开03", "total", "project"): "363.06",
    ("公开04", "income_grand_total", "amount"): "1290.86",
    ("公开04", "closing_fiscal", "general"): "1.67",
    ("公开04", "closing_fiscal", "fund"): "30.72",
    ("公开05", "total", "basic"): "900.41",
    ("公开05", "208", "total"): "99.81",
    ("公开06", "personnel_total", "amount"): "723.50",
    ("公开06", "301", "amount"): "716.38",
    ("公开07", "actual", "total"): "11.41",
    ("公开07", "actual", "reception"): "4.18",
    ("公开08", "2120801", "closing"): "30.72",
    ("公开08", "total", "opening"): "12.50",
}


def test_sample_figures(sample: tuple[FilledWorkbook, Path]) -> None:
    filled, path = sample
    wb = load_workbook(path)
    for (tid, row, col), want in EXPECTED.items():
        assert D(str(wb[tid][filled.cells[tid][(row, col)]].value)) == D(want), (tid, row, col)
    personnel = filled.values["公开06"][("personnel_total", "amount")]
    public = filled.values["公开06"][("public_total", "amount")]
    assert personnel + public == filled.values["公开05"][("total", "basic")]
    assert filled.rounding.exact and not filled.warnings


def test_sample_values_within_a_cent(sample: tuple[FilledWorkbook, Path]) -> None:
    filled, _ = sample
    for tid, values in filled.values.items():
        for key, v in values.items():
            assert within_band(filled.true_values[tid][key], v), (tid, key)


def test_sample_empty_table_note(sample: tuple[FilledWorkbook, Path]) -> None:
    filled, path = sample
    ws = load_workbook(path)["公开09"]
    notes = [ws.cell(r, 1).value for r in filled.placements["公开09"].note_rows]
    assert any("故本表无数据" in (n or "") for n in notes)
    assert ws[filled.cells["公开09"][("total", "total")]].value == 0
    assert "公开08" in filled.values and filled.values["公开08"][("total", "income")] == D("235")
    ws8 = load_workbook(path)["公开08"]
    assert not any("无数据" in (ws8.cell(r, 1).value or "") for r in filled.placements["公开08"].note_rows)


def test_rules_pass_on_filled_sample(sample: tuple[FilledWorkbook, Path]) -> None:
    read = pytest.importorskip("xltools.read")
    engine = pytest.importorskip("xltools.rules.engine")
    for fmt in ("2021", "2018"):
        path = sample[1].with_name(f"rules-{fmt}.xlsx")
        fill(sample_data_path(), fmt).save(path)
        result = engine.evaluate(read.read_report(path))
        bad = [
            (f.rule, f.verdict)
            for f in result.findings
            if f.verdict in ("error", "tail", "warning", "format")
        ]
        assert not bad, bad


# ---------------------------------------------------------------- random departments

ITEMS = [
    "2010301",
    "2010302",
    "2010350",
    "2013101",
    "2080505",
    "2080506",
    "2101101",
    "2101102",
    "2120801",
    "2210201",
    "2050201",
    "2130104",
]
money = st.integers(min_value=0, max_value=5 * 10**8).map(lambda n: D(n) / 100)


@st.composite
def departments(draw: st.DrawFn) -> DeptData:
    codes = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=7, unique=True))
    rows = []
    for n, code in enumerate(codes, 2):
        gb, gp, fb, fp, sb, sp, nb, np_ = (draw(money) for _ in range(8))
        if draw(st.booleans()):
            fb = fp = sb = sp = D(0)
        a = {
            "gb": gb,
            "gp": gp,
            "fb": fb,
            "fp": fp,
            "sb": sb,
            "sp": sp,
            "basic": gb + fb + sb + nb,
            "project": gp + fp + sp + np_,
            "inc_general": draw(money),
            "inc_fund": fb + fp,
            "inc_soe": sb + sp,
            "inc_other": draw(money),
            "inc_superior": draw(money),
            "to_superior": draw(money),
        }
        rows.append(FunctionRow(code, None, n, a))
    total_gb = sum(r.amounts["gb"] for r in rows)
    cuts = sorted(draw(st.lists(st.integers(0, int(total_gb * 100)), min_size=3, max_size=3)))
    parts = [D(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, int(total_gb * 100)], strict=True)]
    economic = dict(zip(["30101", "30217", "30231", "31002"], parts, strict=True))
    sangong = {
        ("actual", "reception"): economic["30217"] + draw(money),
        ("actual", "vehicle_operation"): economic["30231"],
        ("budget", "reception"): draw(money),
    }
    data = DeptData(
        "<random>",
        "随机单位",
        2021,
        "元",
        rows,
        economic,
        {},
        sangong,
        openings={"general": draw(money) * 100, "other": draw(money) * 100},
    )
    from xltools.fill.data import Sheet

    data.sheets = {
        "功能科目": Sheet("功能科目", "<random>", []),
        "经济科目": Sheet("经济科目", "<random>", []),
    }
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(departments())
@example(
    data=DeptData(
        source="<random>",
        department="随机单位",
        year=2021,
        unit="元",
        functions=[
            FunctionRow(
                code="2010301",
                name=None,
                line=2,
                amounts={
                    "gb": D(3342) / 100,
                    "gp": D(691) / 100,
                    "fb": D(257646) / 100,
                    "fp": D(148) / 100,
                    "sb": D(143) / 100,
                    "sp": D(117390104) / 100,
                    "basic": Decimal("20649.69"),
                    "project": Decimal("1175220.16"),
                    "inc_general": D(1525601) / 100,
                    "inc_fund": Decimal("2577.94"),
                    "inc_soe": Decimal("1173902.47"),
                    "inc_other": D(20747) / 100,
                    "inc_superior": D(2224) / 100,
                    "to_superior": D(1325) / 100,
                },
            ),
            FunctionRow(
                code="2120801",
                name=None,
                line=3,
                amounts={
                    "gb": D(130) / 100,
                    "gp": D(1497) / 100,
                    "fb": Decimal("0"),
                    "fp": Decimal("0"),
                    "sb": Decimal("0"),
                    "sp": Decimal("0"),
                    "basic": Decimal("2.48"),
                    "project": Decimal("15.58"),
                    "inc_general": D(1215999) / 100,
                    "inc_fund": Decimal("0"),
                    "inc_soe": Decimal("0"),
                    "inc_other": D(69567) / 100,
                    "inc_superior": D(377658) / 100,
                    "to_superior": D(2056) / 100,
                },
            ),
            FunctionRow(
                code="2050201",
                name=None,
                line=4,
                amounts={
                    "gb": D(0) / 100,
                    "gp": D(563) / 100,
                    "fb": Decimal("0"),
                    "fp": Decimal("0"),
                    "sb": Decimal("0"),
                    "sp": Decimal("0"),
                    "basic": Decimal("274229.98"),
                    "project": Decimal("2234.87"),
                    "inc_general": D(533) / 100,
                    "inc_fund": Decimal("0"),
                    "inc_soe": Decimal("0"),
                    "inc_other": D(798) / 100,
                    "inc_superior": D(683455) / 100,
                    "to_superior": D(402) / 100,
                },
            ),
            FunctionRow(
                code="2010302",
                name=None,
                line=5,
                amounts={
                    "gb": D(85644) / 100,
                    "gp": D(97889) / 100,
                    "fb": D(194016) / 100,
                    "fp": D(500000000) / 100,
                    "sb": D(70062) / 100,
                    "sp": D(499999999) / 100,
                    "basic": Decimal("37761.08"),
                    "project": Decimal("10001023.14"),
                    "inc_general": D(1865) / 100,
                    "inc_fund": Decimal("5001940.16"),
                    "inc_soe": Decimal("5000700.61"),
                    "inc_other": D(230687) / 100,
                    "inc_superior": D(593) / 100,
                    "to_superior": D(3402) / 100,
                },
            ),
            FunctionRow(
                code="2013101",
                name=None,
                line=6,
                amounts={
                    "gb": D(33554431) / 100,
                    "gp": D(4105) / 100,
                    "fb": D(5704) / 100,
                    "fp": D(333400) / 100,
                    "sb": D(640) / 100,
                    "sp": D(216664) / 100,
                    "basic": Decimal("335611.44"),
                    "project": Decimal("5552.28"),
                    "inc_general": D(49111438) / 100,
                    "inc_fund": Decimal("3391.04"),
                    "inc_soe": Decimal("2173.04"),
                    "inc_other": D(18359) / 100,
                    "inc_superior": D(3558) / 100,
                    "to_superior": D(9631) / 100,
                },
            ),
            FunctionRow(
                code="2130104",
                name=None,
                line=7,
                amounts={
                    "gb": D(4096) / 100,
                    "gp": D(1060) / 100,
                    "fb": D(151065) / 100,
                    "fp": D(524) / 100,
                    "sb": D(558) / 100,
                    "sp": D(1467) / 100,
                    "basic": Decimal("1559.15"),
                    "project": Decimal("420132.27"),
                    "inc_general": D(11109) / 100,
                    "inc_fund": Decimal("1515.89"),
                    "inc_soe": Decimal("20.25"),
                    "inc_other": D(1385) / 100,
                    "inc_superior": D(444) / 100,
                    "to_superior": D(559) / 100,
                },
            ),
            FunctionRow(
                code="2010350",
                name=None,
                line=8,
                amounts={
                    "gb": D(0) / 100,
                    "gp": D(18737) / 100,
                    "fb": D(196) / 100,
                    "fp": D(49111438) / 100,
                    "sb": D(678) / 100,
                    "sp": D(120) / 100,
                    "basic": Decimal("1560.43"),
                    "project": Decimal("641584.50"),
                    "inc_general": D(953549) / 100,
                    "inc_fund": Decimal("491116.34"),
                    "inc_soe": Decimal("7.98"),
                    "inc_other": D(1267) / 100,
                    "inc_superior": D(17502) / 100,
                    "to_superior": D(79616) / 100,
                },
            ),
        ],
        economic={
            "30101": Decimal("69.3"),
            "30217": Decimal("89.4"),
            "30231": Decimal("2553.44"),
            "31002": Decimal("333764.29"),
        },
        economic_names={},
        sangong={
            ("actual", "reception"): Decimal("2851.85"),
            ("actual", "vehicle_operation"): Decimal("2553.44"),
            ("budget", "reception"): D(18750) / 100,
        },
        openings={"general": Decimal("5303413.00"), "other": Decimal("4732820.0")},
        closings={},
        balance_lines={},
        use_nonfiscal=Decimal("0"),
        surplus_distribution=Decimal("0"),
        sheets={
            "功能科目": Sheet(name="功能科目", source="<random>", rows=[]),
            "经济科目": Sheet(name="经济科目", source="<random>", rows=[]),
        },
    ),
).via("discovered failure")
def test_random_departments_round_exactly(data: DeptData) -> None:
    filled = fill(data, "2021")
    assert filled.rounding.exact, filled.rounding.outside
    for tid, values in filled.values.items():
        for key, v in values.items():
            assert within_band(filled.true_values[tid][key], v), (tid, key)
            assert v == v.quantize(D("0.01"))
    v = filled.values
    assert v["公开01"][("income_grand_total", "amount")] == v["公开01"][("expense_grand_total", "amount")]
    assert v["公开05"][("total", "basic")] == (
        v["公开06"][("personnel_total", "amount")] + v["公开06"][("public_total", "amount")]
    )
    assert v["公开04"][("expense_total", "general")] == v["公开05"][("total", "total")]


# ---------------------------------------------------------------- bad data, CLI, atomic save


def _copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(sample_data_path(), folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("sheet", "old", "new", "message"),
    [
        ("功能科目", "2010302,", "201030,", "“功能科目”表第 3 行：科目编码“201030”应为 7 位数字"),
        ("功能科目", "2080506,", "2080505,", "“功能科目”表第 6 行：科目编码 2080505 重复（第 5 行已有）"),
        (
            "功能科目",
            "6128437.52,,,,,,,,6128437.52",
            "6128437.52,,,,,,,,六百万",
            "“功能科目”表第 2 行：“基本支出”列的“六百万”不是数字",
        ),
        ("功能科目", ",,,,1046318.67,", ",,,,1299125.12,", "第 4 行：科目 2010350 的财政拨款基本支出"),
        (
            "功能科目",
            "1046318.67,,,50000.00",
            "1046318.67,,,60000.00",
            "第 5 行：其他资金（非财政拨款）年末结转和结余",
        ),
        ("经济科目", "30101,基本工资,1826352.00", "30101,基本工资,1826352.01", "各经济科目金额之和"),
        (
            "结转结余",
            "16736.18",
            "16736.19",
            "“结转结余”表第 2 行：一般公共预算财政拨款年末结转和结余 16736.19",
        ),
        ("经济科目", "30101,", "30100,", "经济分类科目编码 30100 不在目录中"),
    ],
)
def test_bad_data_names_the_row(tmp_path: Path, sheet: str, old: str, new: str, message: str) -> None:
    from xltools.errors import DataError

    folder = _copy_sample(tmp_path)
    _edit(folder / f"{sheet}.csv", old, new)
    with pytest.raises(DataError) as err:
        fill(folder, "2021")
    assert message in err.value.render()


def test_claimed_total_is_checked(tmp_path: Path) -> None:
    from xltools.errors import DataError

    folder = _copy_sample(tmp_path)
    text = (folder / "功能科目.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",本年支出合计"
    text[1] += ",6128437.50"
    (folder / "功能科目.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"第 2 行：科目 2010301 的本年支出合计 6128437\.50 不等于"):
        fill(folder, "2021")


def test_xlsx_data_file_and_unit(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "单位信息"
    for r in (["项目", "内容"], ["部门", "测试局"], ["年度", 2021]):
        wb["单位信息"].append(r)
    ws = wb.create_sheet("功能科目")
    ws.append(["科目编码", "财政拨款收入", "项目支出", "一般公共预算项目支出"])
    ws.append([2010302, 12.345, 12.345, 12.345])
    wb.save(tmp_path / "d.xlsx")
    filled = fill(tmp_path / "d.xlsx", "2021", unit="万元")
    assert filled.values["公开05"][("total", "project")] in (D("12.34"), D("12.35"))
    assert filled.values["公开02"][("total", "total")] == filled.values["公开05"][("total", "project")]


def test_cli_fill_and_atomic_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "fill", str(sample_data_path()), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert load_workbook(out).sheetnames[0] == "公开01"
    folder = _copy_sample(tmp_path)
    _edit(folder / "功能科目.csv", "2010302,", "20103x2,")
    bad = tmp_path / "bad.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "fill", str(folder), "-o", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "第 3 行" in run.stderr
    assert not bad.exists() and not list(tmp_path.glob(".xltools-*"))


def test_cli_template(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "template", "--format", "2018", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert len(load_workbook(out).sheetnames) == 8
