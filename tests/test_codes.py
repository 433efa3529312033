"""The classification catalogues: names by year, spellings, the reference reports' codes, broken data."""

from __future__ import annotations

import re
import time
from itertools import pairwise
from pathlib import Path

import pytest
from shared import REFERENCE

from xltools import codes
from xltools.errors import FormatError

CODES_DIR = Path(codes.__file__).parent


@pytest.mark.parametrize(
    ("label", "year", "code"),
    [
        ("一、一般公共服务支出", None, "201"),
        ("一般公共服务", None, "201"),
        ("一般公共服务支出（类）", None, "201"),
        ("二、外交支出", 2021, "202"),
        ("国防", None, "203"),
        ("九、卫生健康支出", 2021, "210"),
        ("卫生健康支出", 2018, "210"),  # another year's name still matches
        ("医疗卫生与计划生育支出", 2018, "210"),
        ("医疗卫生与计划生育支出", 2021, "210"),
        ("七、文化旅游体育与传媒支出", 2019, "207"),
        ("文化体育与传媒支出", None, "207"),
        ("国土海洋气象等支出", 2018, "220"),
        ("自然资源海洋气象等", 2020, "220"),
        ("资源勘探信息等支出", 2018, "215"),
        ("资源勘探工业信息等支出", 2021, "215"),
        ("灾害防治及应急管理支出", 2019, "224"),
        ("二十、 粮油物资储备支出", None, "222"),
        ("其他支出", None, "229"),
        ("债务付息支出", None, "232"),
        ("抗疫特别国债安排的支出", 2020, "234"),
        ("预备费", None, "227"),
        ("本年支出合计", None, None),
        ("", None, None),
    ],
)
def test_class_code_by_name(label: str, year: int | None, code: str | None) -> None:
    assert codes.class_code_by_name(label, year) == code


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        ("210", 2018, "医疗卫生与计划生育支出"),
        ("210", 2019, "卫生健康支出"),
        ("210", None, "卫生健康支出"),
        ("207", 2018, "文化体育与传媒支出"),
        ("207", 2021, "文化旅游体育与传媒支出"),
        ("220", 2018, "国土海洋气象等支出"),
        ("220", 2024, "自然资源海洋气象等支出"),
        ("215", 2018, "资源勘探信息等支出"),
        ("215", 2019, "资源勘探工业信息等支出"),
        ("224", 2018, None),  # not yet in force
        ("224", 2019, "灾害防治及应急管理支出"),
        ("234", 2021, "抗疫特别国债安排的支出"),
        ("234", 2022, None),
        ("201", 2018, "一般公共服务支出"),
        ("218", None, None),
        ("999", 2021, None),
    ],
)
def test_class_name_by_year(code: str, year: int | None, name: str | None) -> None:
    assert codes.class_name(code, year) == name


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        ("201", None, "一般公共服务支出"),
        ("210", 2018, "医疗卫生与计划生育支出"),
        ("20103", None, "政府办公厅（室）及相关机构事务"),
        ("2010301", None, "行政运行"),
        ("2010350", None, "事业运行"),
        ("2010399", None, "其他政府办公厅（室）及相关机构事务支出"),
        ("2019999", None, "其他一般公共服务支出"),
        ("2060102", None, "一般行政管理事务"),
        ("2080505", None, "机关事业单位基本养老保险缴费支出"),
        ("2080506", None, "机关事业单位职业年金缴费支出"),
        ("2101101", None, "行政单位医疗"),
        ("2101103", None, "公务员医疗补助"),
        ("2210201", None, "住房公积金"),
        ("2210203", None, "购房补贴"),
        (" 2010301 ", None, "行政运行"),
        ("2010397", None, None),
        ("20", None, None),
        ("abc", None, None),
        ("", None, None),
    ],
)
def test_function_name(code: str, year: int | None, name: str | None) -> None:
    assert codes.function_name(code, year) == name


@pytest.mark.parametrize(
    ("code", "name", "group"),
    [
        ("301", "工资福利支出", "personnel"),
        ("30108", "机关事业单位基本养老保险缴费", "personnel"),
        ("303", "对个人和家庭的补助", "personnel"),
        ("30309", "奖励金", "personnel"),
        ("302", "商品和服务支出", "public"),
        ("30212", "因公出国（境）费用", "public"),
        ("30215", "会议费", "public"),
        ("30216", "培训费", "public"),
        ("30217", "公务接待费", "public"),
        ("30231", "公务用车运行维护费", "public"),
        ("307", "债务利息及费用支出", "public"),
        ("31013", "公务用车购置", "public"),
        ("399", "其他支出", "public"),
        ("39908", "对民间非营利组织和群众性自治组织补贴", "public"),
        ("30230", None, None),
        ("2010301", None, None),
    ],
)
def test_economic_name_and_group(code: str, name: str | None, group: str | None) -> None:
    assert codes.economic_name(code) == name
    assert codes.economic_group(code) == group
    assert codes.is_known_economic_code(code) is (name is not None)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("其他政府办公厅(室)及相关机构事务", "其他政府办公厅（室）及相关机构事务支出", True),
        ("政府办公厅（室）及相关机构事务", "政府办公厅(室)及相关机构事务", True),
        ("行政运行", " 行政运行 ", True),
        ("机关事业单位基本养老保险 缴费", "机关事业单位基本养老保险缴费", True),
        ("机关事业单位基本养老保险", "机关事业单位基本养老保险缴费", True),  # alias: cut in 000's 公开06
        ("对民间非营利组织和群众性自治组织", "对民间非营利组织和群众性自治组织补贴", True),
        ("因公出国(境)费用", "因公出国（境）费", True),
        ("行政事业单位离退休", "行政事业单位养老支出", True),
        ("一、一般公共服务支出", "一般公共服务支出(类)", True),
        ("卫生健康支出", "医疗卫生与计划生育支出", False),  # a rename, not a spelling
        ("行政运行", "一般行政管理事务", False),
        ("行政单位医疗", "事业单位医疗", False),
        ("", "行政运行", False),
    ],
)
def test_same_name(a: str, b: str, same: bool) -> None:
    assert codes.same_name(a, b) is same
    assert codes.same_name(b, a) is same


def test_classes_for_2018_are_the_21_of_the_old_layout() -> None:
    classes = codes.classes_for_year(2018)
    assert len(classes) == 21
    assert classes[0] == ("201", "一般公共服务支出")
    assert ("210", "医疗卫生与计划生育支出") in classes
    assert ("207", "文化体育与传媒支出") in classes
    assert classes[-1] == ("229", "其他支出")
    assert "224" not in {c for c, _ in classes}


def test_classes_for_2021_follow_the_printed_ordinals() -> None:
    classes = codes.classes_for_year(2021)
    # 公开01 of the reference report 000 prints 九、卫生健康支出
    assert classes[8] == ("210", "卫生健康支出")
    assert ("224", "灾害防治及应急管理支出") in classes
    assert [c for c, _ in classes] == sorted(c for c, _ in classes)
    every = codes.classes_for_year(2021, listed_only=False)
    assert {"209", "223", "227", "230", "231", "232", "233", "234"} <= {c for c, _ in every}
    assert "234" not in {c for c, _ in codes.classes_for_year(2023, listed_only=False)}


def _reference_codes() -> tuple[set[str], set[str]]:
    """The codes printed in the reference reports' code tables: a code cell followed by its name."""
    function: set[str] = set()
    economic: set[str] = set()
    for path in sorted(REFERENCE.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.split("\t")]
            for code, name in pairwise(cells):
                if not re.search(r"[\u4e00-\u9fff]", name):
                    continue
                if re.fullmatch(r"2\d{2}(?:\d{2}){0,2}", code):
                    function.add(code)
                elif re.fullmatch(r"3\d{2}(?:\d{2})?", code):
                    economic.add(code)
    return function, economic


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference reports not available")
def test_every_code_of_the_reference_reports_is_known() -> None:
    function, economic = _reference_codes()
    assert {"2010301", "2010350", "2010399", "2013399", "2060102", "2101101"} <= function
    assert {"30108", "30231", "31013", "39908"} <= economic
    assert [c for c in sorted(function) if not codes.is_known_function_code(c)] == []
    assert [c for c in sorted(economic) if not codes.is_known_economic_code(c)] == []


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2010399", "其他政府办公厅(室)及相关机构事务"),  # 000 公开02
        ("2010399", "其他政府办公厅（室）及相关机构事务支出"),  # 000 公开03/05
        ("20103", "政府办公厅（室）及相关机构事务"),
        ("20199", "其他一般公共服务支出"),
        ("2013399", "其他宣传事务支出"),
        ("20601", "科学技术管理事务"),
        ("30303", "退职（役）费"),
        ("30213", "维修（护）费"),
        ("31007", "信息网络及软件购置更 新"),  # broken over two lines in 001
    ],
)
def test_reference_spellings_match_the_catalogue(code: str, name: str) -> None:
    official = codes.function_name(code) or codes.economic_name(code)
    assert official is not None
    assert codes.same_name(name, official)


@pytest.mark.parametrize("code", ["201", "20103", "2010301", "22102", "2210201", "229"])
def test_known_function_codes(code: str) -> None:
    assert codes.is_known_function_code(code)


@pytest.mark.parametrize("code", ["", "2", "20", "218", "20112", "2010397", "201030101", "x201", None])
def test_unknown_function_codes_are_none_not_errors(code: str) -> None:
    assert codes.is_known_function_code(code) is False
    if code is not None:
        assert codes.function_name(code) is None


def test_the_packaged_data_is_consistent() -> None:
    catalogue = codes.load()
    class_codes = {c.code for c in catalogue.classes}
    for code in catalogue.items:
        assert code[:3] in class_codes
        if len(code) == 7:
            assert code[:5] in catalogue.items
    for code, entry in catalogue.economic.items():
        assert entry.group == ("personnel" if code[:3] in ("301", "303") else "public")
    # one 类 name in force per year
    for year in range(2018, 2025):
        in_force = [c.code for c in catalogue.classes if c.valid_in(year)]
        assert len(in_force) == len(set(in_force))


def test_loading_is_fast() -> None:
    start = time.perf_counter()
    codes.load()
    assert time.perf_counter() - start < 0.05  # ~5 ms; generous for slow CI machines


def _copy_with(tmp_path: Path, filename: str, text: str) -> Path:
    for name in (codes.CLASSES_FILE, codes.ITEMS_FILE, codes.ECONOMIC_FILE):
        (tmp_path / name).write_text((CODES_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / filename).write_text(text, encoding="utf-8")
    return tmp_path


_ITEMS, _CLASSES, _ECONOMIC = codes.ITEMS_FILE, codes.CLASSES_FILE, codes.ECONOMIC_FILE


@pytest.mark.parametrize(
    ("filename", "line", "fragment"),
    [
        pytest.param(_ITEMS, "2010301,行政运行,", "重复", id="item-duplicate"),
        pytest.param(_ITEMS, "201030,行政运行,", "5/7 位数字", id="item-code-shape"),
        pytest.param(_ITEMS, "9990101,不存在,", "类 999", id="item-unknown-class"),
        pytest.param(_ITEMS, "2010301,行政运行", "列", id="item-missing-column"),
        pytest.param(_ITEMS, "2019998,,", "没有名称", id="item-no-name"),
        pytest.param(_CLASSES, "210,另一个名称,2019,,1,", "重叠", id="class-overlap"),
        pytest.param(_CLASSES, "21,短,,,1,", "3 位数字", id="class-code-shape"),
        pytest.param(_CLASSES, "240,新类,2025,2020,1,", "晚于", id="class-years-reversed"),
        pytest.param(_CLASSES, "240,新类,二〇二五,,1,", "年份", id="class-bad-year"),
        pytest.param(_CLASSES, "240,新类,2025,,yes,", "listed", id="class-bad-listed"),
        pytest.param(_ECONOMIC, "30201,办公费,,public", "重复", id="economic-duplicate"),
        pytest.param(_ECONOMIC, "30398,新款,,other", "group", id="economic-bad-group"),
        pytest.param(_ECONOMIC, "30398,新款,,public", "group", id="economic-group-differs"),
        pytest.param(_ECONOMIC, "30901,无类,,public", "类 309", id="economic-unknown-class"),
    ],
)
def test_broken_csv_raises_format_error(tmp_path: Path, filename: str, line: str, fragment: str) -> None:
    text = (CODES_DIR / filename).read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    directory = _copy_with(tmp_path, filename, text)
    with pytest.raises(FormatError) as info:
        codes.load(directory)
    message = str(info.value)
    assert filename in message
    assert fragment in message
    last_line = text.count("\n")
    assert f"第 {last_line} 行" in message


def test_wrong_header_raises_format_error(tmp_path: Path) -> None:
    directory = _copy_with(tmp_path, _ITEMS, "code,名称,aliases\n20101,人大事务,\n")
    with pytest.raises(FormatError, match=f"{_ITEMS}.*第 1 行：表头"):
        codes.load(directory)


def test_broken_csv_names_the_line(tmp_path: Path) -> None:
    text = "code,name,aliases,group\n301,工资福利支出,,personnel\n3010,基本工资,,personnel\n"
    directory = _copy_with(tmp_path, codes.ECONOMIC_FILE, text)
    with pytest.raises(FormatError, match="第 3 行"):
        codes.load(directory)


def test_missing_file_raises_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=codes.CLASSES_FILE):
        codes.load(tmp_path)
