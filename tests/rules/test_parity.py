"""Parity, proven: the 校验 sheet computed by `formulas` and by LibreOffice reads, row for row, what the
Python evaluator says — on the reference books in every layout, on every planted error and tail, and on
plants of the kinds the planted set misses (>=, soft X15, 08-H2, F6, F8, text numbers, 元)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from engines import formulas_engine, libreoffice
from engines.parity_cases import OWN_PLANTS, Case, build_own_plants, own_plant_names, render_case, render_demo
from fixture_books import workbook_names
from planted import PLANTS, plant_names

from xltools.rules.results import VERDICT_LABELS

NAMES = workbook_names() + [f"plant_{n}" for n in plant_names()] + [f"own_{n}" for n in own_plant_names()]
FAILING = {"不通过", "提示", "格式"}
# `formulas` takes ~2 s a workbook: every plant, and the books whose cells differ in kind (numbers, text,
# decorated exports, 元, the 2018 format); LibreOffice computes them all.
FORMULA_BOOKS = ["000_std", "000_titles", "000_yuan", "000_y2018", "001_export"]
FORMULA_NAMES = FORMULA_BOOKS + [n for n in NAMES if not n.startswith(("000_", "001_"))]


@pytest.fixture(scope="session")
def cases(
    books: dict[str, Path], planted: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Case]:
    out = tmp_path_factory.mktemp("parity")
    sources = dict(books) | {f"plant_{k}": v for k, v in planted.items()}
    sources |= {f"own_{k}": v for k, v in build_own_plants(books, out / "src").items()}
    done = {name: render_case(name, sources[name], out) for name in NAMES}
    return done | {"demo": render_demo(out)}


@pytest.fixture(scope="session")
def lo_batch(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> libreoffice.Batch | None:
    """LibreOffice started at once on every workbook, so it runs while `formulas` computes."""
    if libreoffice.soffice() is None:
        return None
    return libreoffice.Batch([c.path for c in cases.values()], tmp_path_factory.mktemp("lo"))


@pytest.fixture(scope="session")
def formula_values(
    cases: dict[str, Case], lo_batch: libreoffice.Batch | None
) -> dict[str, list[list[object]]]:
    return {n: formulas_engine.sheet_values(cases[n].path, cases[n].last_row) for n in FORMULA_NAMES}


@pytest.fixture(scope="session")
def lo_values(cases: dict[str, Case], lo_batch: libreoffice.Batch | None) -> dict[str, list[list[object]]]:
    if lo_batch is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = lo_batch.wait()
    return {n: libreoffice.sheet_values(out[c.path], "校验") for n, c in cases.items()}


def _expected(case: Case) -> list[str]:
    return [VERDICT_LABELS[r.python] for r in case.rows]


def _assert_engine(case: Case, values: list[list[object]]) -> None:
    got = [values[i][5] if i < len(values) else None for i in range(4, case.last_row)]
    expected = _expected(case)
    wrong = [(r.rule, r.location, e, g) for r, e, g in zip(case.rows, expected, got, strict=True) if e != g]
    assert not wrong, wrong[:10]
    fails = expected.count("不通过")
    assert values[0][1] == ("全部通过" if fails == 0 else f"不通过 {fails} 项")


@pytest.mark.parametrize("name", NAMES)
def test_rows_are_the_python_verdicts(cases: dict[str, Case], name: str) -> None:
    """The renderer's rows stand for exactly the evaluator's findings (relations one to one)."""
    case = cases[name]
    findings = case.result.findings
    n = case.relations
    assert [r.rule for r in case.rows[:n]] == [f.rule for f in findings[:n]]
    assert [r.python for r in case.rows[:n]] == [f.verdict for f in findings[:n]]
    by_rule_rows: dict[str, set[str]] = defaultdict(set)
    by_rule_findings: dict[str, set[str]] = defaultdict(set)
    for r in case.rows[n:]:
        by_rule_rows[r.rule].add(r.python)
    for f in findings[n:]:
        by_rule_findings[f.rule].add(f.verdict)
    for rule in by_rule_rows.keys() | by_rule_findings.keys():
        assert by_rule_rows[rule] - {"pass"} == by_rule_findings[rule] - {"pass"}, rule


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_formulas_engine_agrees(
    cases: dict[str, Case], formula_values: dict[str, list[list[object]]], name: str
) -> None:
    _assert_engine(cases[name], formula_values[name])


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_agrees(
    cases: dict[str, Case], lo_values: dict[str, list[list[object]]], name: str
) -> None:
    _assert_engine(cases[name], lo_values[name])


def _fired(case: Case, values: list[list[object]]) -> set[str]:
    return {str(values[i][0]) for i in range(4, case.last_row) if values[i][5] in FAILING}


@pytest.mark.parametrize("plant", [*PLANTS, *OWN_PLANTS], ids=lambda p: p.name)
def test_plants_fire_in_the_sheet(
    cases: dict[str, Case], formula_values: dict[str, list[list[object]]], plant: object
) -> None:
    """Every rule a plant must trip reads 不通过/提示/格式 in the computed sheet (H: any of H1–H3)."""
    prefix = "own_" if plant in OWN_PLANTS else "plant_"
    name = prefix + plant.name  # type: ignore[attr-defined]
    fired = _fired(cases[name], formula_values[name])
    for rule in plant.rules:  # type: ignore[attr-defined]
        hit = {f for f in fired if f.startswith(rule)} if rule in ("H", "06-G") else {rule} & fired
        assert hit, (rule, sorted(fired))
    if not plant.rules:  # type: ignore[attr-defined]
        assert not {f for f in fired if not f.startswith("F")}, sorted(fired)


@pytest.mark.libreoffice
def test_demo_workbook_passes_in_libreoffice(
    cases: dict[str, Case], lo_values: dict[str, list[list[object]]]
) -> None:
    """Done means: the demo workbook opened in LibreOffice reads 通过 on every 校验 row."""
    case = cases["demo"]
    verdicts = [row[5] for row in lo_values["demo"][4 : case.last_row]]
    assert verdicts and set(verdicts) == {"通过"}
    assert lo_values["demo"][0][1] == "全部通过"
    _assert_engine(case, lo_values["demo"])
