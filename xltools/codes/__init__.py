"""The classification catalogues as data: 支出功能分类 (类/款/项) and 部门预算支出经济分类 codes and names.

The CSV files next to this module are the source; they are read on first use, validated and cached.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from xltools.errors import FormatError
from xltools.text import label_key, name_key, squash

__all__ = [
    "Catalogue",
    "ClassEntry",
    "Entry",
    "class_code_by_name",
    "class_name",
    "classes_for_year",
    "economic_group",
    "economic_name",
    "function_name",
    "is_known_economic_code",
    "is_known_function_code",
    "load",
    "same_name",
]

CLASSES_FILE = "function_classes.csv"
ITEMS_FILE = "function_items.csv"
ECONOMIC_FILE = "economic.csv"

_CLASS_COLUMNS = ["code", "name", "from_year", "to_year", "listed", "aliases"]
_ITEM_COLUMNS = ["code", "name", "aliases"]
_ECONOMIC_COLUMNS = ["code", "name", "aliases", "group"]
_GROUPS = ("personnel", "public")
_LEVEL_MARK = re.compile(r"\((?:类|款|项)\)$")
_HINT = "这是 xltools 自带的代码目录数据错误，请修正该文件或重新安装 xltools"


@cache
def key(text: str) -> str:
    """The form two spellings of one 科目 name share: numbering, spaces, brackets, a trailing
    '(类)/(款)/(项)' and a trailing 支出 do not count. '一、外交支出' → '外交'."""
    s = _LEVEL_MARK.sub("", label_key(text))
    s = name_key(s)
    return s[:-2] if s.endswith("支出") and len(s) > 3 else s


@dataclass(frozen=True)
class ClassEntry:
    """One name of a 类 over the years it was in force (None: no bound known)."""

    code: str
    name: str
    from_year: int | None
    to_year: int | None
    listed: bool  # printed among the 类 lines of the standard 公开01/04
    aliases: tuple[str, ...]

    def valid_in(self, year: int) -> bool:
        """Whether this name was the official one in `year`."""
        return (self.from_year is None or self.from_year <= year) and (
            self.to_year is None or year <= self.to_year
        )

    @property
    def end(self) -> int:
        return self.to_year if self.to_year is not None else 10_000


@dataclass(frozen=True)
class Entry:
    """A 款/项 of the function classification, or an economic classification code."""

    code: str
    name: str
    aliases: tuple[str, ...]
    group: str | None = None  # economic only: 'personnel' (人员经费) or 'public' (公用经费)


class Catalogue:
    """The three catalogues, indexed by code and by name key."""

    def __init__(self, classes: list[ClassEntry], items: list[Entry], economic: list[Entry]) -> None:
        self.classes = classes
        self.class_codes = frozenset(c.code for c in classes)
        self.items = {e.code: e for e in items}
        self.economic = {e.code: e for e in economic}
        self._class_by_key: dict[str, list[ClassEntry]] = {}
        for c in classes:
            for k in {key(n) for n in (c.name, *c.aliases)}:
                self._class_by_key.setdefault(k, []).append(c)
        # spelling groups: every key a name or alias of one entry has → the entries having it
        self._spellings: dict[str, set[tuple[str, str]]] = {}
        entries: Iterable[ClassEntry | Entry] = [*classes, *items, *economic]
        for e in entries:
            ident = (e.code, e.name)
            for n in (e.name, *e.aliases):
                self._spellings.setdefault(key(n), set()).add(ident)

    def class_code_by_name(self, label: str, year: int | None = None) -> str | None:
        """The 类 code a printed label names, preferring the name in force in `year`."""
        found = self._class_by_key.get(key(label), [])
        if not found:
            return None
        if year is not None:
            current = [c for c in found if c.valid_in(year)]
            if current:
                return current[0].code
        return max(found, key=lambda c: c.end).code

    def class_name(self, code: str, year: int | None = None) -> str | None:
        """The official name of a 类: the one in force in `year`, or the latest."""
        found = [c for c in self.classes if c.code == code]
        if year is not None:
            found = [c for c in found if c.valid_in(year)]
        return max(found, key=lambda c: c.end).name if found else None

    def same_name(self, a: str, b: str) -> bool:
        """Whether two spellings name one 科目 (brackets, spaces, trailing 支出, aliases)."""
        if a == b:  # the common case: the same label in two tables
            return bool(key(a))
        ka, kb = key(a), key(b)
        if ka == kb:
            return bool(ka)
        return bool(self._spellings.get(ka, set()) & self._spellings.get(kb, set()))

    def classes_for_year(self, year: int, *, listed_only: bool = True) -> list[tuple[str, str]]:
        """The 类 (code, name) in force in `year`, in code order; by default only those the
        standard 公开01/04 prints (the 2018 layout's 21), with listed_only=False every 类."""
        return [
            (c.code, c.name)
            for c in sorted(self.classes, key=lambda c: c.code)
            if c.valid_in(year) and (c.listed or not listed_only)
        ]


# ---------------------------------------------------------------- reading and validating


def _rows(text: str, filename: str, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a CSV as (line number, cells), after checking the header."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in next(reader, [])]
    if header != columns:
        raise FormatError(
            f"第 1 行：表头应为 {','.join(columns)}，实际为 {','.join(header)}", path=filename, hint=_HINT
        )
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            raise FormatError(
                f"第 {reader.line_num} 行：应有 {len(columns)} 列，实际 {len(cells)} 列",
                path=filename,
                hint=_HINT,
            )
        yield reader.line_num, {c: v.strip() for c, v in zip(columns, cells, strict=True)}


def _fail(filename: str, line: int, message: str) -> FormatError:
    return FormatError(f"第 {line} 行：{message}", path=filename, hint=_HINT)


def _code(row: dict[str, str], lengths: tuple[int, ...], filename: str, line: int) -> str:
    code = row["code"]
    if not (code.isascii() and code.isdigit() and len(code) in lengths):
        shape = "/".join(str(n) for n in lengths)
        raise _fail(filename, line, f"编码“{row['code']}”应为 {shape} 位数字")
    if not row["name"]:
        raise _fail(filename, line, f"编码 {code} 没有名称")
    return code


def _aliases(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(a.strip() for a in row["aliases"].split("|") if a.strip())


def _year(value: str, filename: str, line: int) -> int | None:
    if not value:
        return None
    if not (value.isdigit() and len(value) == 4):
        raise _fail(filename, line, f"年份“{value}”应为四位数字或留空")
    return int(value)


def _parse_classes(text: str, filename: str = CLASSES_FILE) -> list[ClassEntry]:
    out: list[ClassEntry] = []
    for line, row in _rows(text, filename, _CLASS_COLUMNS):
        code = _code(row, (3,), filename, line)
        start, end = _year(row["from_year"], filename, line), _year(row["to_year"], filename, line)
        if start is not None and end is not None and start > end:
            raise _fail(filename, line, f"起始年度 {start} 晚于终止年度 {end}")
        if row["listed"] not in ("0", "1"):
            raise _fail(filename, line, f"listed 应为 0 或 1，实际为“{row['listed']}”")
        entry = ClassEntry(code, row["name"], start, end, row["listed"] == "1", _aliases(row))
        for other in out:
            if other.code == code and _overlap(other, entry):
                raise _fail(filename, line, f"类 {code} 与前面的“{other.name}”年度重叠（重复）")
        out.append(entry)
    return out


def _overlap(a: ClassEntry, b: ClassEntry) -> bool:
    lo = max(a.from_year or 0, b.from_year or 0)
    return lo <= min(a.end, b.end)


def _parse_items(text: str, class_codes: set[str], filename: str = ITEMS_FILE) -> list[Entry]:
    out: dict[str, Entry] = {}
    for line, row in _rows(text, filename, _ITEM_COLUMNS):
        code = _code(row, (5, 7), filename, line)
        if code in out:
            raise _fail(filename, line, f"编码 {code} 重复")
        if code[:3] not in class_codes:
            raise _fail(filename, line, f"编码 {code} 所属的类 {code[:3]} 不在 {CLASSES_FILE} 中")
        if len(code) == 7 and code[:5] not in out:
            raise _fail(filename, line, f"项 {code} 所属的款 {code[:5]} 应写在它之前")
        out[code] = Entry(code, row["name"], _aliases(row))
    return list(out.values())


def _parse_economic(text: str, filename: str = ECONOMIC_FILE) -> list[Entry]:
    out: dict[str, Entry] = {}
    for line, row in _rows(text, filename, _ECONOMIC_COLUMNS):
        code = _code(row, (3, 5), filename, line)
        if code in out:
            raise _fail(filename, line, f"编码 {code} 重复")
        group = row["group"]
        if group not in _GROUPS:
            raise _fail(filename, line, f"group 应为 personnel 或 public，实际为“{group}”")
        if len(code) == 5:
            parent = out.get(code[:3])
            if parent is None:
                raise _fail(filename, line, f"款 {code} 所属的类 {code[:3]} 应写在它之前")
            if parent.group != group:
                raise _fail(filename, line, f"款 {code} 的 group 与类 {code[:3]} 不同")
        out[code] = Entry(code, row["name"], _aliases(row), group)
    return list(out.values())


def load(directory: Path | None = None) -> Catalogue:
    """Read and validate the three CSV files (the packaged ones unless `directory` is given).

    Raises FormatError naming the file and line when a file is missing or broken."""

    def read(name: str) -> str:
        try:
            if directory is not None:
                return (directory / name).read_text(encoding="utf-8")
            return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FormatError(f"无法读取代码目录：{exc}", path=name, hint=_HINT) from exc

    classes = _parse_classes(read(CLASSES_FILE))
    items = _parse_items(read(ITEMS_FILE), {c.code for c in classes})
    economic = _parse_economic(read(ECONOMIC_FILE))
    return Catalogue(classes, items, economic)


@cache
def _default() -> Catalogue:
    return load()


# ---------------------------------------------------------------- the public functions


def _clean(code: object) -> str:
    return squash(str(code)) if code is not None else ""


def class_code_by_name(label: str, year: int | None = None) -> str | None:
    """'一、一般公共服务支出' / '一般公共服务' / '卫生健康支出' → '201' / '201' / '210'; None if no 类
    has that name. With `year`, a name in force that year wins; other years' names still match."""
    return _default().class_code_by_name(label, year)


def class_name(code: str, year: int | None = None) -> str | None:
    """The name of a 类 (3 digits) in `year` (latest if None); None if unknown or not in force."""
    return _default().class_name(_clean(code), year)


def function_name(code: str, year: int | None = None) -> str | None:
    """The name of a function code of any level (类 by year as class_name); None if unknown."""
    c = _clean(code)
    if len(c) == 3:
        return class_name(c, year)
    item = _default().items.get(c)
    return item.name if item else None


def economic_name(code: str) -> str | None:
    """The name of an economic classification code (301, 30101 …); None if unknown."""
    e = _default().economic.get(_clean(code))
    return e.name if e else None


def economic_group(code: str) -> str | None:
    """'personnel' (301/303: 人员经费) or 'public' (302/307/310/399: 公用经费); None if unknown."""
    e = _default().economic.get(_clean(code))
    return e.group if e else None


def economic_classes(group: str) -> tuple[str, ...]:
    """The 3-digit economic classes of a group: 'personnel' → ('301', '303'), 'public' → ('302', …)."""
    return tuple(sorted(c for c, e in _default().economic.items() if len(c) == 3 and e.group == group))


def is_known_function_code(code: object) -> bool:
    """Whether the code is in the function catalogue (any level, any year)."""
    c = _clean(code)
    cat = _default()
    return c in cat.items or c in cat.class_codes


def is_known_economic_code(code: object) -> bool:
    """Whether the code is in the economic catalogue."""
    return _clean(code) in _default().economic


def same_name(a: str, b: str) -> bool:
    """Whether two strings are spellings of one 科目 name: 全角/半角 brackets, spaces, numbering,
    '…事务' vs '…事务支出', and the aliases in the catalogue files. A rename (医疗卫生与计划生育支出
    → 卫生健康支出) is not a spelling and gives False."""
    return _default().same_name(a, b)


def classes_for_year(year: int, *, listed_only: bool = True) -> list[tuple[str, str]]:
    """The (code, name) of the 类 in force in `year`, in standard order; by default the ones the
    standard 公开01/04 lists (21 for 2018), with listed_only=False every 类."""
    return _default().classes_for_year(year, listed_only=listed_only)
