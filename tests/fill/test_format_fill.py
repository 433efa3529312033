"""What fill prints in each column and fixed row comes from the format data (`fill` lists)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xltools import formats
from xltools.errors import FormatError
from xltools.fill import sample_data_path
from xltools.fill.fill import fill
from xltools.formats.leaves import BALANCE_LEAVES, FUND_BALANCE, ITEM_LEAVES, LEAF_FUND, LEAF_KEYS

LOCAL_05 = """
id = "2021-local"
name = "本省格式"
extends = "2021"

[tables."公开05"]
title = "一般公共预算财政拨款支出决算表"
layout = "codes"
columns = [
  {{ key = "total", name = "小计", headers = [["小计"]], fill = ["gb", "gp"] }},
  {{ key = "basic", name = "基本支出", headers = [["基本支出"]], {basic} }},
  {{ key = "project", name = "项目支出", headers = [["项目支出"]], fill = ["gp"] }},
  {{ key = "fund", name = "政府性基金", headers = [["政府性基金"]], fill = ["fb", "fp"] }},
]
"""


@pytest.fixture
def local_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder named by XLTOOLS_FORMATS; the formats are reloaded before and after the test."""
    monkeypatch.setenv("XLTOOLS_FORMATS", str(tmp_path))
    formats.load_formats.cache_clear()
    yield tmp_path
    monkeypatch.delenv("XLTOOLS_FORMATS")
    formats.load_formats.cache_clear()


def test_every_leaf_belongs_to_one_fund() -> None:
    assert set(ITEM_LEAVES) | set(BALANCE_LEAVES) == LEAF_KEYS
    assert len(LEAF_FUND) == sum(len(v) for v in FUND_BALANCE.values())


@pytest.mark.parametrize("fid", sorted(formats.load_formats()))
def test_packaged_formats_say_what_they_add_up(fid: str) -> None:
    """Every code-row column and every grouped ledger row carries `fill`; in a ledger's expense
    side only the 合计 column is left to be derived (variants inherit the base's lists)."""
    for spec in formats.get_format(fid).tables.values():
        if spec.layout == "codes":
            assert all(c.fill for c in spec.columns), (fid, spec.id)
        if spec.layout == "ledger":
            income, expense = spec.sides
            assert all(r.fill for r in income.rows if r.group), (fid, spec.id)
            assert [c.key for c in expense.columns if not c.fill] in ([], ["total"]), (fid, spec.id)


def test_variant_inherits_fill() -> None:
    base = formats.get_format("2021").tables["公开04"]
    variant = formats.get_format("2021-04nosoe").tables["公开04"]
    assert variant.column("general") == base.column("general")
    assert variant.column("general").fill == ("gb", "gp")
    assert variant.column("soe") is None


def test_new_column_meaning_needs_no_code(local_format: Path) -> None:
    (local_format / "mine.toml").write_text(LOCAL_05.format(basic='fill = ["gb"]'), encoding="utf-8")
    filled = fill(sample_data_path(), "2021-local")
    assert filled.values["公开05"][("total", "fund")] == filled.values["公开08"][("total", "total")]
    assert filled.values["公开05"][("total", "fund")] > 0
    assert (
        filled.values["公开05"][("total", "basic")]
        == fill(sample_data_path()).values["公开05"][("total", "basic")]
    )


def test_unknown_leaf_names_file_table_and_column(local_format: Path) -> None:
    (local_format / "mine.toml").write_text(LOCAL_05.format(basic='fill = ["gb", "-gx"]'), encoding="utf-8")
    with pytest.raises(FormatError) as err:
        formats.load_formats()
    text = str(err.value)
    assert "mine.toml" in text and "公开05" in text and "列 basic" in text and "-gx" in text
    assert "inc_general" in text  # the hint lists the valid leaves


def test_unknown_leaf_on_a_ledger_row(local_format: Path) -> None:
    (local_format / "mine.toml").write_text(
        'id = "2021-local"\nname = "本省格式"\nextends = "2021"\n'
        '[tables."公开10"]\ntitle = "试表"\nlayout = "ledger"\n'
        '[[tables."公开10".sides]]\nname = "收入"\nrows = [{ key = "x", name = "X", fill = ["nope"] }]\n'
        '[[tables."公开10".sides]]\nname = "支出"\n',
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="公开10 收入栏 行 x"):
        formats.load_formats()


def test_fill_only_on_codes_and_ledger_tables(local_format: Path) -> None:
    (local_format / "mine.toml").write_text(
        'id = "2021-local"\nname = "本省格式"\nextends = "2021"\n'
        '[tables."公开06"]\ntitle = "试表"\nlayout = "economic"\n'
        'columns = [{ key = "amount", name = "决算数", fill = ["gb"] }]\n',
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="只有 codes 和 ledger"):
        formats.load_formats()


def test_column_without_fill_cannot_be_filled(local_format: Path) -> None:
    (local_format / "mine.toml").write_text(LOCAL_05.format(basic="lanci = 2"), encoding="utf-8")
    assert formats.get_format("2021-local").tables["公开05"].column("basic").fill == ()
    with pytest.raises(FormatError, match="公开05 的列 basic"):
        fill(sample_data_path(), "2021-local")
