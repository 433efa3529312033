"""The whole catalogue on the reference reports in every layout, and on planted errors: exact findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from planted import PLANTS, Plant

from xltools.read import read_report
from xltools.rules.engine import evaluate
from xltools.rules.results import CheckResult

RULE_IDS_H = {"H1", "H2", "H3"}

# Report 000: tails, and no error (rules.md, "Found in the reference reports"): rule → cell key.
TAILS_000 = {
    ("01-A2", "公开01", "income_grand_total|amount"),
    ("01-A4", "公开01", "expense_grand_total|amount"),
    ("04-D3", "公开04", "income_grand_total|amount"),
    ("04-D6", "公开04", "expense_grand_total|total"),
    ("04-D6", "公开04", "expense_grand_total|general"),
    ("06-G1", "公开06", "301|amount"),
    ("06-G2", "公开06", "302|amount"),
}


def _check(path: Path) -> CheckResult:
    return evaluate(read_report(path))


def _at(manifest: dict, table: str, key: str) -> str:
    t = manifest["tables"][table]
    return f"'{t['sheet']}'!{t['cells'][key]}"


@pytest.mark.parametrize("layout", ["std", "titles", "stacked"])
def test_000_has_tails_and_no_error(books: dict[str, Path], manifests: dict, layout: str) -> None:
    name = f"000_{layout}"
    result = _check(books[name])
    assert result.count("error") == 0, [f.message for f in result.findings if f.verdict == "error"]
    assert result.count("warning") == 0
    tails = {(f.rule, f.where) for f in result.findings if f.verdict == "tail"}
    m = manifests[name]
    assert tails == {(rule, _at(m, table, key)) for rule, table, key in TAILS_000}
    assert result.summary["tails"] == 7


def test_000_tail_figures(books: dict[str, Path]) -> None:
    result = _check(books["000_std"])
    a2 = next(f for f in result.findings if f.rule == "01-A2")
    assert (a2.verdict, a2.actual, a2.expected, a2.difference) == (
        "tail",
        Decimal("2282.14"),
        Decimal("2282.13"),
        Decimal("0.01"),
    )
    d3 = next(f for f in result.findings if f.rule == "04-D3")
    assert (d3.actual, d3.expected) == (Decimal("2225.27"), Decimal("2225.26"))
    g1 = next(f for f in result.findings if f.rule == "06-G1")
    assert (g1.actual, g1.expected, g1.verdict) == (Decimal("659.53"), Decimal("659.54"), "tail")


@pytest.mark.parametrize("layout", ["std", "titles", "stacked", "export"])
def test_001_has_only_the_06_tails(books: dict[str, Path], layout: str) -> None:
    result = _check(books[f"001_{layout}"])
    assert result.count("error") == 0
    assert {f.rule for f in result.findings if f.verdict == "tail"} == {"06-G1", "06-G2"}
    assert result.count("format") == 0  # 001 prints every 类/款 row and one department name


def test_000_export_totals_are_computed_formulas(books: dict[str, Path]) -> None:
    """Totals saved as formulas without cached values are computed: they are exact sums, so the
    printed tails of 01/04 disappear and only the 06 tails stay."""
    result = _check(books["000_export"])
    assert result.count("error") == 0
    assert {f.rule for f in result.findings if f.verdict == "tail"} == {"06-G1", "06-G2"}


def test_000_format_findings(books: dict[str, Path]) -> None:
    result = _check(books["000_std"])
    f4 = [f for f in result.findings if f.rule == "F4" and f.verdict == "format"]
    assert len(f4) == 10  # 02 and 03 print only 项 rows: 5 rows each lack their 款 and 类
    assert "缺少上级科目行：201、20103" in f4[0].message
    f5 = [f for f in result.findings if f.rule == "F5" and f.verdict != "pass"]
    assert f5 == []  # '…事务' vs '…事务支出' and half/full-width brackets are one name
    assert result.format == "2021" and result.department == "醴陵市行政审批服务局"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("000_v7income", "2021-7income"),
        ("000_v04nosoe", "2021-04nosoe"),
        ("000_y2018", "2018"),
        ("000_std", "2021"),
    ],
)
def test_format_and_variant_detected(books: dict[str, Path], name: str, fmt: str) -> None:
    result = _check(books[name])
    assert result.format == fmt
    assert result.count("error") == 0, [f.message for f in result.findings if f.verdict == "error"]


def test_2018_compares_01_with_04(books: dict[str, Path]) -> None:
    result = _check(books["000_y2018"])
    x18 = [f for f in result.findings if f.rule == "X18"]
    assert len(x18) > 20 and all(f.verdict == "pass" for f in x18)
    assert not any(f.rule.startswith("01-A") for f in result.findings)


def test_yuan_tables_are_scaled(books: dict[str, Path]) -> None:
    """单位：元 is recognised and scaled to 万元; in 元 the printed precision is 0.01 元, so the
    0.01 万元 differences carried over from the 万元 report are real differences of 100 元."""
    report = read_report(books["000_yuan"])
    assert report.tables["公开01"].unit == "元"
    assert report.tables["公开01"].rows["income_total"].values["amount"].value == Decimal("2267.91")
    result = evaluate(report)
    assert {f.rule for f in result.findings if f.verdict == "error"} == {
        "01-A2",
        "01-A4",
        "04-D3",
        "04-D6",
        "06-G1",
        "06-G2",
    }


def _expected_rules(rules: tuple[str, ...]) -> set[str]:
    out = set()
    for r in rules:
        out |= RULE_IDS_H if r == "H" else {r}
    return out


@pytest.mark.parametrize("plant", PLANTS, ids=[p.name for p in PLANTS])
def test_planted_error_found_at_its_cell(planted: dict[str, Path], plant: Plant) -> None:
    from fixture_books import read_manifest

    path = planted[plant.name]
    result = _check(path)
    failing = [f for f in result.findings if f.verdict in ("error", "warning", "format")]
    baseline = {"F4"} if plant.report == "000" else set()
    fired = {f.rule for f in failing} - baseline
    if not plant.rules:
        assert fired == set(), [f.message for f in failing]
        return
    expected = _expected_rules(plant.rules)
    assert {r for r in fired if r not in RULE_IDS_H} == {r for r in expected if r not in RULE_IDS_H}
    if expected & RULE_IDS_H:
        assert fired & RULE_IDS_H
    manifest = read_manifest(path)
    table = manifest["tables"][plant.table]
    key = f"{plant.row}|{plant.col}" if plant.row else plant.col
    coordinate = table["cells"].get(key) or table.get("department")
    cell = f"'{table['sheet']}'!{coordinate}"
    assert any(
        cell in (c.a1() for c in f.cells) for f in failing if f.rule in expected or f.rule in RULE_IDS_H
    ), f"no finding names {cell}"


CROSS_LAYOUT = [
    "g2_item_off",
    "h_kuan_off",
    "a2_grand_total",
    "d8_fund_balance",
    "x13_03_lt_05",
    "digit_swap",
    "k1_budget_total",
    "tail_06_item",
]


@pytest.mark.parametrize("layout", ["titles", "stacked", "export"])
@pytest.mark.parametrize("name", CROSS_LAYOUT)
def test_planted_errors_in_messy_layouts(
    books: dict[str, Path], manifests: dict, tmp_path: Path, layout: str, name: str
) -> None:
    """The same plants, written into the messy layouts (as text where the layout stores text)."""
    from openpyxl import load_workbook

    plant = next(p for p in PLANTS if p.name == name)
    book = f"{plant.report}_{layout}"
    table = manifests[book]["tables"][plant.table]
    coordinate = table["cells"][f"{plant.row}|{plant.col}"]
    wb = load_workbook(books[book])
    cell = wb[table["sheet"]][coordinate]
    if isinstance(cell.value, str) and cell.value.startswith("="):
        pytest.skip("a formula total in this layout: the plant would be overwritten by its formula")
    cell.value = plant.new_value if isinstance(cell.value, str) else float(plant.new_value)
    path = tmp_path / f"{name}_{layout}.xlsx"
    wb.save(path)
    result = _check(path)
    failing = [f for f in result.findings if f.verdict in ("error", "warning")]
    fired = {f.rule for f in failing}
    expected = _expected_rules(plant.rules)
    if not plant.rules:
        assert fired == set()
        return
    # the plant's own rule fires; nothing outside its list does (in `export` the totals are formulas,
    # so relations whose total is a formula hold by construction there)
    assert plant.rules[0] in fired or (plant.rules[0] == "H" and fired & RULE_IDS_H)
    assert fired - RULE_IDS_H <= expected
    where = f"'{table['sheet']}'!{coordinate}"
    assert any(where in (c.a1() for c in f.cells) for f in failing)
