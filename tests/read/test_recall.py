"""Reading by a remembered layout (xltools.read.recall) gives exactly what a full read gives.

Each case takes a workbook of one of the layouts the reader knows, reads it once (the layout is
remembered), then edits the values of numeric cells in its sheet XML — within their class, across
classes (zero, negative, a whole number that could read as a 栏次 or a code, more decimals than a cent,
exponent notation), and now and then a text — and checks the edited workbook twice: through the
memory, and with the memory emptied (a full read). The JSON of both, passes included, must be the
same; and the memory must really have been used for the edits that keep every class."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xltools.read import read_reports, recall
from xltools.rules.engine import check_units
from xltools.rules.results import to_json

from .test_wild_kinds import _garble
from .wild_kinds import side_by_side, stacked_ledgers, transposed_07, two_unit_book

LAYOUTS = ["000_std", "000_titles", "000_stacked", "000_export", "001_std", "000_yuan", "000_y2018"]
_NUMERIC_V = re.compile(rb'<c r="([A-Z]+[0-9]+)"(?: s="[0-9]+")?(?: t="n")?>(?:<f>[^<]*</f>)?<v>([^<]*)</v>')
_TEXT = re.compile(rb"<t>([^<]+)</t>")

# values that keep a cent amount's class, and values that cross into another class
SAME_CLASS = st.decimals(min_value="0.01", max_value="99999.99", places=2).map(
    lambda d: str(d if d != d.to_integral_value() else d + Decimal("0.01"))
)
OTHER_CLASS = st.sampled_from(
    [
        "0",
        "0.0",
        "-12.5",
        "-3",
        "1",
        "7",
        "39",
        "40",
        "201",
        "20101",
        "2010101",
        "1234",
        "99",
        "0.004",
        "0.005",
        "12.345",
        "1.5E+3",
        "2E-2",
        "123456789012",
        "1e20",
    ]
)


def _wild(tmp: Path, books: dict[str, Path]) -> dict[str, Path]:
    from openpyxl import load_workbook

    out: dict[str, Path] = {}
    for name, transform in [
        ("side", side_by_side([[1, 2, 3], [4, 5]])),
        ("stacked", stacked_ledgers),
        ("transposed", transposed_07),
    ]:
        wb = load_workbook(books["000_std"])
        transform(wb)
        out[name] = tmp / f"{name}.xlsx"
        wb.save(out[name])
    out["two_units"] = two_unit_book(books["000_std"], books["001_std"], tmp / "two_units.xlsx")
    out["garbled"] = _garble(books, tmp)  # 公开01 unrecognisable, 公开03 without a column
    return out


@pytest.fixture(scope="module")
def bases(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {**{n: books[n] for n in LAYOUTS}, **_wild(tmp_path_factory.mktemp("recall"), books)}


def _amount_cells(book: Path) -> set[tuple[str, str]]:
    """(sheet part, A1) of every amount the reader reads from `book` that is a number with cents."""
    from xltools.read.grid import Package

    with zipfile.ZipFile(book) as zf:
        package = Package(book, zf)
        part_of = {name: package.members[package.indexes[n]] for n, (name, _) in enumerate(package.names)}
    return {
        (part_of[a.cell.sheet], a.cell.coordinate)
        for report in read_reports(book)
        for *_, a in report.amounts()
        if a.value != a.value.to_integral_value()
    }


def _edit(
    src: Path, dst: Path, keep: list[tuple[int, str]], cross: list[tuple[int, str]], rename: int | None
) -> int:
    """A copy of `src` with the n-th amount with cents of its sheets set to each `keep` value, the n-th
    numeric value of any kind to each `cross` value (and the n-th text changed, when `rename`), every
    other member byte for byte as it was."""
    amounts = _amount_cells(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        sheets = [i for i in zin.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        datas = {i.filename: zin.read(i) for i in sheets}
        spots = [(n, m) for n, d in datas.items() for m in _NUMERIC_V.finditer(d)]
        plain = recall.value_class(b"0.5")  # the class of a value only its class matters of
        priced = [
            (n, m)
            for n, m in spots
            if (n, m.group(1).decode()) in amounts and recall.value_class(m.group(2)) == plain
        ]
        texts = [(n, m) for n, d in datas.items() for m in _TEXT.finditer(d)]
        changes: dict[str, list[tuple[int, int, bytes]]] = {}
        for among, edits in ((priced, keep), (spots, cross)):
            for k, value in edits if among else []:
                name, m = among[k % len(among)]
                changes.setdefault(name, []).append((m.start(2), m.end(2), value.encode()))
        if rename is not None and texts:
            name, m = texts[rename % len(texts)]
            changes.setdefault(name, []).append((m.start(1), m.end(1), m.group(1) + "改".encode()))
        for name, spans in changes.items():
            data = datas[name]
            last = {start: (start, end, new) for start, end, new in spans}  # one edit per value: the last
            for start, end, new in sorted(last.values(), reverse=True):
                data = data[:start] + new + data[end:]
            datas[name] = data
        for info in zin.infolist():
            zout.writestr(info, datas.get(info.filename, zin.read(info)))
    return len(keep) if priced else 0


def _contents(path: Path) -> list[tuple[object, ...]]:
    return [(r.format.id, r.year, r.tables, r.problems, r.unread) for r in read_reports(path)]


def _judged(path: Path) -> str:
    return to_json(check_units(path, passes=True), include_passes=True).replace(str(path), "<book>")


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.integers(0, 100),
    keep=st.lists(st.tuples(st.integers(0, 10_000), SAME_CLASS), min_size=1, max_size=12),
    cross=st.lists(st.tuples(st.integers(0, 10_000), OTHER_CLASS), max_size=3),
    rename=st.one_of(st.none(), st.none(), st.none(), st.integers(0, 10_000)),
)
def test_recalled_equals_full_read(
    bases: dict[str, Path], tmp_path: Path, layout: int, keep: list, cross: list, rename: int | None
) -> None:
    name = sorted(bases)[layout % len(bases)]
    base = bases[name]
    target = tmp_path / f"{name}-edited.xlsx"
    priced = _edit(base, target, keep, cross, rename)

    recall.forget()
    read_reports(base)  # remembered, unless its full read computed formulas or blanked hidden cells
    remembered = bool(recall._MEMORY)
    hits = recall.HITS["hit"]
    through_memory = _judged(target)
    used = recall.HITS["hit"] > hits
    read_through_memory = _contents(target)
    recall.forget()
    full = _judged(target)
    assert through_memory == full
    recall.forget()
    assert read_through_memory == _contents(target)  # the Reports themselves, amount by amount
    if priced and not cross and rename is None and remembered:
        assert used, f"{name}: edits within their class were read in full"


def test_memory_is_used_and_bounded(bases: dict[str, Path], tmp_path: Path) -> None:
    recall.forget()
    remembered = []
    for path in bases.values():
        read_reports(path)
        if len(recall._MEMORY) > len(remembered):
            remembered.append(path)
    assert len(remembered) >= len(bases) - 1  # all but 000_export (formulas saved without values)
    hits = recall.HITS["hit"]
    for path in remembered:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        assert json.loads(_judged(copy)) == json.loads(_judged(path))
    assert recall.HITS["hit"] - hits == 2 * len(remembered)
    assert len(recall._MEMORY) <= recall.CACHE_SIZE


def test_a_text_change_is_read_in_full(bases: dict[str, Path], tmp_path: Path) -> None:
    """A changed label is not replayed: the reader sees it (here: an unknown row label → its finding)."""
    recall.forget()
    read_reports(bases["000_std"])
    target = tmp_path / "renamed.xlsx"
    _edit(bases["000_std"], target, [], [], 5)
    hits = recall.HITS["hit"]
    through_memory = _judged(target)
    assert recall.HITS["hit"] == hits
    recall.forget()
    assert through_memory == _judged(target)


def test_an_unrecognised_table_stays_one_finding_through_the_memory(
    bases: dict[str, Path], tmp_path: Path
) -> None:
    """A table the reader cannot make out is one 无法识别 finding and its rules n/a — read in full or
    through the memory, after the amounts changed — never an error against a value it did not find."""
    recall.forget()
    read_reports(bases["garbled"])
    target = tmp_path / "garbled-edited.xlsx"
    _edit(bases["garbled"], target, [(k, "123.45") for k in range(0, 40, 3)], [], None)
    hits = recall.HITS["hit"]
    (result,) = check_units(target, passes=False)
    assert recall.HITS["hit"] == hits + 1
    unread = [f for f in result.findings if f.rule == "F0" and "公开01 无法识别" in f.message]
    assert len(unread) == 1
    assert not [
        f for f in result.failures if f.verdict == "error" and any(c.sheet == "公开01" for c in f.cells)
    ]
