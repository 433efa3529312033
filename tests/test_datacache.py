"""The parsed-TOML cache is only an accelerator: the same data as tomllib, a bad entry or a folder that
cannot be written changes nothing, and a text that is no TOML is refused as tomllib refuses it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from xltools import datacache

TEXT = 'id = "2021"\n[tables."公开01"]\ntitle = "收入支出决算总表"\nrows = [1, 2.5, true]\n'


def test_same_data_then_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLTOOLS_CACHE", str(tmp_path))
    assert datacache.parse_toml(TEXT) == tomllib.loads(TEXT)
    (entry,) = (tmp_path / datacache.VERSION).glob("*.json")
    entry.write_text('{"id": "from the cache"}', encoding="utf-8")
    assert datacache.parse_toml(TEXT) == {"id": "from the cache"}  # read, not parsed again
    entry.write_text("{ broken", encoding="utf-8")
    assert datacache.parse_toml(TEXT) == tomllib.loads(TEXT)


def test_a_folder_that_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XLTOOLS_CACHE", str(blocker))  # a file where the folder should be
    assert datacache.parse_toml(TEXT) == tomllib.loads(TEXT)


def test_not_toml_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLTOOLS_CACHE", str(tmp_path))
    with pytest.raises(ValueError):
        datacache.parse_toml("id = ")
    with pytest.raises(tomllib.TOMLDecodeError):
        datacache.parse_toml("[[")
