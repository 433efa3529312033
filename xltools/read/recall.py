"""Read a workbook whose layout was seen before by cell coordinates, not by searching it again.

A full read finds the tables, their rows and columns and every amount cell. When it went cleanly (no
formula saved without its value, nothing hidden, every amount a plain number, a blank or a text), the
layout is remembered: a digest of each table sheet's XML with the amount cells' values left out, the
class of each of those values, the other worksheets' size and CRC-32, and the Reports read.

A later package is read by the memory when its parts other than the worksheets are the same (name,
size and CRC-32: the same workbook.xml, shared strings, styles), the sheets that hold no table are the
same, and each table sheet's XML is the same but for the values of the amount cells — a value may
change within its class: zero stays zero, a negative number stays negative, a whole number that could
read as a 栏次 (1–39) or a code (3, 5 or 7 digits) stays exactly itself, any other number may become
any other number (an empty cell has no value to change). Those are all the reader's choices ever
depend on, so the Reports are the remembered ones with the new amounts: one pass over the zip, the
table sheets only, no search; an amount's Decimal is made when first asked for, and a check takes the
values straight into its compiled plan (rules.plan.replayed_values). Any other difference — a text, a
row, a style, a hidden row — and the workbook is read in full (and remembered in turn).

After a check, the layout is also kept on disk with the units' compiled plans (`keep`), in the user's
cache folder: a folder per package key (the other parts' CRCs, a fingerprint of this xltools), a file per
layout named by the worksheets' XML without values. The next run reads such a workbook by coordinates as
well; a package whose key has no folder costs nothing more than a full read.
tests/read/test_recall.py and test_recall_disk.py prove the equivalence with a full read.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from xltools.model import CENT, Amount, Cell, Report, Row, Table
from xltools.read.amounts import printed
from xltools.read.grid import Package, SheetGrid
from xltools.text import CODE_LENGTHS, LANCI_BELOW, MAX_AMOUNT, parse_amount

if TYPE_CHECKING:
    import numpy as np

    from xltools.read.locate import Anchor

_T = TypeVar("_T")
CACHE_SIZE = 16  # layouts remembered per process (a batch of one template needs one)

_V = re.compile(rb"<v>([^<]*)</v>")
_CELL_OR_V = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*?)(/?)>|<v>')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')


def value_class(v: bytes) -> int:
    """What the reader may see of a numeric cell's value `v`: 0 zero, 1 negative, 2 any other number
    — or 3, the value itself: a whole number that could read as a 栏次 (1–39) or a code (3, 5 or 7
    digits), or no finite number at all."""
    import numpy as np

    try:
        x = float(v)
    except ValueError:
        return _EXACT_CODE
    return int(_class_codes(np.array([x]))[0])


@dataclass(frozen=True)
class _Part:
    member: str
    count: int  # pieces of the XML split at its <v> values
    rest: bytes  # digest of the pieces, the amount values left out: everything else must be the same
    amounts: tuple[int, ...]  # the pieces that are amount values
    pieces: list[bytes] | None = field(default=None, compare=False)  # the pieces themselves, in memory only

    def same(self, pieces: list[bytes]) -> bool:
        """Whether `pieces` (amount values left out) are this part's: compared piece by piece while
        the pieces are in memory (cheaper than a digest of a large sheet), by digest once kept on disk."""
        return pieces == self.pieces if self.pieces is not None else _rest(pieces) == self.rest

    def __getstate__(self) -> dict[str, object]:  # kept on disk: the digest, not the whole XML
        return {k: v for k, v in self.__dict__.items() if k != "pieces"} | {"pieces": None}


_Cols = tuple[tuple[str, Amount, int], ...]  # column key, the amount read, its fresh value's index (-1: kept)


@dataclass(frozen=True)
class _Blueprint:
    report: Report
    tables: tuple[tuple[str, Table, tuple[tuple[str, Row, _Cols], ...]], ...]


@dataclass(frozen=True)
class _Recipe:
    parts: tuple[_Part, ...]
    amounts: tuple[Amount, ...]  # the amount read from each value the parts' `amounts` point to, in order
    scales: tuple[Decimal, ...]  # and the scale of its table (元 → 万元)
    codes: np.ndarray  # and the class of its value (value_class)
    exact: dict[int, bytes]  # the values that must stay exactly as they were (class 3)
    blueprints: tuple[_Blueprint, ...]  # one per unit
    text_year: int | None  # the year the sheets state (None: from the file name, if at all)
    sheets: tuple[tuple[str, int, int], ...]  # the other worksheet parts, as they must be (name, size, CRC)

    def bases(self) -> list[dict[str, object]]:
        """Per value, the fields of its fresh _LazyAmount but the value itself (worked out once)."""
        found = self.__dict__.get("_bases")
        if found is None:
            found = self.__dict__["_bases"] = [
                {k: v for k, v in a.__dict__.items() if k != "value"} | {"_scale": scale}
                for a, scale in zip(self.amounts, self.scales, strict=True)
            ]
        return cast(list[dict[str, object]], found)

    def __getstate__(self) -> dict[str, object]:  # kept on disk without what is worked out again
        return {k: v for k, v in self.__dict__.items() if k != "_bases"}


# the package key (its worksheet parts' names; every other part's name, size and CRC) → the layouts seen
# under it, the most recent last (books of one template share the key, not always the layout)
_MEMORY: OrderedDict[tuple[Hashable, int], _Recipe] = OrderedDict()
HITS: Counter[str] = Counter()  # reads through the memory ('hit', 'disk'), and not ('miss', 'differs')
_KEPT: set[int] = set()  # ids of the recipes already kept on disk by this process

_DISK = "layouts-1"
# layouts of more amounts than this stay in memory only: a 2,000-row consolidated book would be a 13 MB
# file, and pickling (as unpickling) gives every object of the plan a real __dict__, which made the
# checks after it ~20% slower in that process; a 公开 workbook holds a few hundred amounts
KEEP_LIMIT = 5_000


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.count("/") == 2


def _key(zf: zipfile.ZipFile) -> Hashable:
    infos = zf.infolist()
    sheets = tuple(i.filename for i in infos if _is_sheet(i.filename))
    others = tuple(
        sorted(
            (i.filename, i.file_size, i.CRC)
            for i in infos
            if not _is_sheet(i.filename) and not i.filename.startswith("docProps/")  # read by no one
        )
    )
    return sheets, others, os.environ.get("XLTOOLS_FORMATS", "")


def recalled(path: Path, zf: zipfile.ZipFile) -> Replayed | None:
    """The package `zf` read through a remembered layout — of this process, else kept on disk by an
    earlier run — or None when none fits."""
    key = _key(zf)
    for n in range(CACHE_SIZE + 1):
        recipe = _MEMORY.get((key, n))
        if recipe is None:
            continue
        found = _replay(recipe, path, zf, key)
        if found is not None:
            _MEMORY.move_to_end((key, n))
            HITS["hit"] += 1
            return found
        HITS["differs"] += 1
    folder = _key_folder(key)
    if folder is not None and folder.is_dir():  # layouts of this package key were kept: which one?
        kept = _from_disk(folder, _signature(zf.read, key))
        if kept is not None:
            recipe, extra = kept
            found = _replay(recipe, path, zf, key)
            if found is not None:
                _store(key, recipe)
                _KEPT.add(id(recipe))
                found.extra = extra
                HITS["disk"] += 1
                return found
    HITS["miss"] += 1
    return None


def _rest(pieces: list[bytes]) -> bytes:
    from xltools.datacache import digest

    return digest(b"\0".join(pieces)).encode()


def _signature(read: Callable[[str], bytes], key: Hashable) -> bytes:
    """The worksheets' XML (each part as `read` gives it) with every <v> value left out: the same for
    every workbook of one layout (they differ in amount values only), so a layout kept on disk is
    found by name, not by trying."""
    from xltools.datacache import digest

    sheets = cast(tuple[tuple[str, ...], object], key)[0]
    try:
        return digest(b"\0".join(_V.sub(b"<v/>", read(name)) for name in sheets)).encode()
    except KeyError:
        return b""


def _store(key: Hashable, recipe: _Recipe) -> None:
    n = next(n for n in range(CACHE_SIZE + 1) if (key, n) not in _MEMORY)
    _MEMORY[(key, n)] = recipe
    while len(_MEMORY) > CACHE_SIZE:
        _MEMORY.popitem(last=False)


def forget() -> None:
    """Forget every layout, on disk too (tests, benchmarks: the next read is a full one)."""
    import shutil

    _MEMORY.clear()
    _KEPT.clear()
    folder = _disk_folder()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- kept on disk between runs


def keep(replayed: Replayed, extra: tuple[object, ...]) -> None:
    """Keep the layout `replayed` was read through on disk, with `extra` (the compiled plans of its
    units), so that the next run reads such a workbook by coordinates too. Once per layout and
    process; nothing is kept when the cache folder is off or cannot be written."""
    import pickle

    from xltools.datacache import keep_bytes

    recipe = replayed.recipe
    if len(recipe.amounts) > KEEP_LIMIT or id(recipe) in _KEPT or not replayed.signature:
        return
    folder = _key_folder(replayed.key)
    if folder is None:
        return
    entry = folder / f"{replayed.signature.decode()}.pickle"
    _KEPT.add(id(recipe))
    try:
        data = pickle.dumps((recipe, extra), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something not picklable: keep nothing, read in full next time
        return
    keep_bytes(entry, data)


def _from_disk(folder: Path, signature: bytes) -> tuple[_Recipe, tuple[object, ...]] | None:
    """The layout kept in `folder` (a package key's) for `signature` by this xltools, if any."""
    import pickle

    if not signature:
        return None
    try:
        data = (folder / f"{signature.decode()}.pickle").read_bytes()
    except OSError:
        return None
    try:
        recipe, extra = pickle.loads(data)  # the user's own cache folder, written by xltools
    except Exception:  # damaged, or from other code: ignore it (it is rewritten)
        return None
    return (recipe, extra) if isinstance(recipe, _Recipe) and isinstance(extra, tuple) else None


def _disk_folder() -> Path | None:
    from xltools.datacache import cache_folder

    root = cache_folder()
    return None if root is None else root / _DISK


def _key_folder(key: Hashable) -> Path | None:
    """Where the layouts of one package key are kept (one file per layout, named by its signature):
    a package whose key has no folder was never kept, and its signature is never worked out."""
    import pickle

    from xltools.datacache import digest

    folder = _disk_folder()
    if folder is None:
        return None
    return folder / digest(pickle.dumps(key) + _fingerprint().encode())


_FINGERPRINT: dict[str, str] = {}  # by $XLTOOLS_FORMATS


def _fingerprint() -> str:
    """What a kept layout depends on besides the workbook: this xltools (every file of the package,
    by name, size and time), $XLTOOLS_FORMATS, Python and numpy. Worked out once per process."""
    import numpy as np

    formats = os.environ.get("XLTOOLS_FORMATS", "")
    if formats not in _FINGERPRINT:
        import sys

        root = Path(__file__).resolve().parent.parent
        stamp = [sys.version, np.__version__]
        for folder, _, names in sorted(os.walk(root)):
            if "__pycache__" in folder:
                continue
            for name in sorted(names):
                if name.endswith((".py", ".toml", ".csv")):
                    st = os.stat(os.path.join(folder, name))
                    stamp.append(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}")
        extra = formats  # a province's own formats: part of every layout too
        if extra and os.path.isdir(extra):
            for name in sorted(os.listdir(extra)):
                st = os.stat(os.path.join(extra, name))
                stamp.append(f"{extra}/{name}:{st.st_size}:{st.st_mtime_ns}")
        from xltools.datacache import digest

        _FINGERPRINT[formats] = digest("\n".join(stamp).encode())
    return _FINGERPRINT[formats]


def _replay(recipe: _Recipe, path: Path, zf: zipfile.ZipFile, key: Hashable) -> Replayed | None:
    import numpy as np

    for name, size, crc in recipe.sheets:  # the sheets that hold no table: exactly as they were
        try:
            info = zf.getinfo(name)
        except KeyError:
            return None
        if (info.file_size, info.CRC) != (size, crc):
            return None
    raw: list[bytes] = []
    for part in recipe.parts:
        try:
            pieces = _V.split(zf.read(part.member))
        except KeyError:
            return None
        if len(pieces) != part.count:
            return None
        if part.amounts:
            raw.extend(
                itemgetter(*part.amounts)(pieces) if len(part.amounts) > 1 else [pieces[part.amounts[0]]]
            )
            for i in part.amounts:
                pieces[i] = b""
        if not part.same(pieces):
            return None
        if part.pieces is None:  # read back from disk: the pieces are known now, compare them from here on
            part.__dict__["pieces"] = pieces
    try:
        floats = np.array(raw, dtype=np.bytes_).astype(np.float64) if raw else np.zeros(0)
    except ValueError:  # a value that is no number: not this layout
        return None
    if not _same_classes(recipe, raw, floats):
        return None
    year = recipe.text_year if recipe.text_year is not None else _name_year(path)
    return Replayed(recipe, raw, floats, str(path), year, key)


_ZERO_CODE, _NEGATIVE_CODE, _NUMBER_CODE, _EXACT_CODE = 0, 1, 2, 3


def _class_codes(floats: np.ndarray) -> np.ndarray:
    """value_class over an array: 0 zero, 1 negative, 2 any other number, 3 the value itself."""
    import numpy as np

    with np.errstate(invalid="ignore", divide="ignore"):
        whole = np.isfinite(floats) & (floats == np.floor(floats))
        digits = np.floor(np.log10(np.where(floats >= 1, floats, 1))) + 1
        exact = ~np.isfinite(floats) | (
            whole & (floats > 0) & ((floats < LANCI_BELOW) | np.isin(digits, CODE_LENGTHS))
        )
    codes = np.full(floats.shape, _NUMBER_CODE, dtype=np.int8)
    codes[floats < 0] = _NEGATIVE_CODE
    codes[floats == 0] = _ZERO_CODE
    codes[exact] = _EXACT_CODE
    return codes


def _same_classes(recipe: _Recipe, raw: list[bytes], floats: np.ndarray) -> bool:
    """Every amount value within its remembered class (value_class), and too large for none."""
    import numpy as np

    if len(floats) and not np.all(np.abs(floats) < MAX_AMOUNT):
        return False
    codes = _class_codes(floats)
    if not np.array_equal(codes, recipe.codes):
        return False
    return all(raw[i] == recipe.exact[i] for i in recipe.exact)


@dataclass
class Replayed:
    """A package read through a remembered layout: its amount values, not yet made into Reports."""

    recipe: _Recipe
    raw: list[bytes]
    floats: np.ndarray
    path: str
    year: int | None
    key: Hashable
    extra: tuple[object, ...] = ()  # what was kept on disk with the layout (the units' compiled plans)
    fresh: bool = False  # the layout was remembered by this very read (not yet kept on disk)
    signature: bytes = b""  # of the package's worksheets (_signature), where it is kept on disk

    def reports(self) -> list[Report]:
        """The Reports, one per unit; an amount's Decimal is worked out when first asked for."""
        made = [_lazy(base, v) for base, v in zip(self.recipe.bases(), self.raw, strict=True)]
        return [_instance(b, made, self.path, self.year) for b in self.recipe.blueprints]

    def positions(self, unit: int) -> Iterator[tuple[Amount, int, Decimal]]:
        """Unit `unit`'s amounts in Report.amounts() order: each as read when remembered, the index of
        its value among `raw`/`floats` (-1: a text or blank, the same as then) and its table's scale."""
        for _, t, rows in self.recipe.blueprints[unit].tables:
            for _, _, cols in rows:
                for _, a, index in cols:
                    yield a, index, t.scale


class _LazyAmount(Amount):
    """An Amount whose Decimal value is worked out from the cell's value when first read."""

    @property
    def value(self) -> Decimal:
        d = self.__dict__
        found = d.get("_value")
        if found is None:
            parsed = parse_amount(float(d["_raw"])).value  # as the full read parses a number cell
            assert parsed is not None  # _same_classes let no value through that reads as no amount
            found = d["_value"] = printed(parsed, d["_scale"])
        return cast(Decimal, found)

    @value.setter
    def value(self, value: Decimal) -> None:  # the dataclass __init__ (dataclasses.replace) sets it
        self.__dict__["_value"] = value

    def __eq__(self, other: object) -> bool:  # equal to a plain Amount of the same fields
        if not isinstance(other, Amount):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = Amount.__hash__


_NAMES = tuple(f.name for f in fields(Amount))


def _fields(a: Amount) -> tuple[object, ...]:
    return tuple(getattr(a, name) for name in _NAMES)


def _lazy(base: dict[str, object], raw: bytes) -> Amount:
    """A _LazyAmount of the fields `base` (an amount's own, but its value; its scale) and the cell's value."""
    new = object.__new__(_LazyAmount)
    d = new.__dict__
    d.update(base)
    d["_raw"] = raw
    return new


def _instance(blueprint: _Blueprint, made: Sequence[Amount], path: str, year: int | None) -> Report:
    tables: dict[str, Table] = {}
    for tid, t, rows in blueprint.tables:
        fresh: dict[str, Row] = {}
        for key, row, cols in rows:
            fresh[key] = _copy(row, values={col: a if i < 0 else made[i] for col, a, i in cols})
        tables[tid] = _copy(
            t,
            rows=fresh,
            notes=list(t.notes),
            lines=list(t.lines),
            unread_columns=set(t.unread_columns),
            columns=dict(t.columns),
        )
    template = blueprint.report
    return Report(path, template.format, tables, year, list(template.problems), dict(template.unread))


def _blueprint(report: Report, index: dict[Cell, int]) -> _Blueprint:
    """`report` laid out for _instance: each amount with the index of its fresh value (-1: kept)."""
    return _Blueprint(
        report,
        tuple(
            (
                tid,
                t,
                tuple(
                    (key, row, tuple((col, a, index.get(a.cell, -1)) for col, a in row.values.items()))
                    for key, row in t.rows.items()
                ),
            )
            for tid, t in report.tables.items()
        ),
    )


def copy_report(report: Report) -> Report:
    """A copy of `report` that shares only immutable parts (amounts, cells, problems) with it."""
    return _instance(_blueprint(report, {}), [], report.path, report.year)


def _copy(obj: _T, **changes: object) -> _T:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _name_year(path: Path) -> int | None:
    from xltools.read import year_in_name

    return year_in_name(str(path))


def remember(
    package: Package,
    grids: list[SheetGrid],
    anchors: list[Anchor],
    reports: list[Report],
    text_year: int | None,
) -> Replayed | None:
    """Keep the layout of a package read in full and cleanly (no uncached formula, nothing hidden:
    `anchors` found on the grids as loaded), when every amount is one the memory can replay; the
    package as read through it (its values, the worksheets' signature from the census's copy of their
    XML), or None when it is not kept."""
    import numpy as np

    tables = sorted({a.sheet for a in anchors})
    split: list[tuple[str, list[bytes]]] = []
    where: dict[tuple[str, int, int], tuple[int, int]] = {}  # numeric cell → (part, piece of its value)
    for i, n in enumerate(tables):
        found = package.part(n)
        cells = None if found is None or found.data is None else _numeric_cells(found.data)
        if found is None or found.data is None or cells is None:
            return None
        split.append((found.part, _V.split(found.data)))
        where.update({(grids[n].name, r, c): (i, 2 * v + 1) for (r, c), v in cells.items()})
    grid_of = {grids[n].name: grids[n] for n in tables}
    chosen: dict[tuple[int, int], Amount] = {}  # (part, piece) → the amount read from that value
    for report in reports:
        for _, _, _, a in report.amounts():
            grid = grid_of.get(a.cell.sheet)
            if grid is None or a.formula is not None:
                return None
            raw = grid.value(a.cell.row, a.cell.col)
            if raw is None or isinstance(raw, str):
                continue  # blank or text: the same bytes give the same Amount
            at = where.get((a.cell.sheet, a.cell.row, a.cell.col))
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or at is None or a.unread:
                return None
            if chosen.setdefault(at, a).quantum != a.quantum:  # one cell read at two scales
                return None
    order = sorted(chosen)  # parts in order, values in order: the order _replay collects them in
    index = {chosen[at].cell: k for k, at in enumerate(order)}
    parts = []
    originals: list[bytes] = []
    for i, (member, pieces) in enumerate(split):
        mine = tuple(p for j, p in order if j == i)
        originals.extend(pieces[p] for p in mine)
        for p in mine:
            pieces[p] = b""
        parts.append(_Part(member, len(pieces), _rest(pieces), mine, pieces))
    for report in reports:
        for t in report.tables.values():
            t.children("")  # the hierarchy index, worked out once for every instance
    amounts = tuple(chosen[at] for at in order)
    try:
        floats = np.array(originals, dtype=np.bytes_).astype(np.float64) if originals else np.zeros(0)
    except ValueError:
        return None
    codes = _class_codes(floats)
    members = {member for member, _ in split}
    recipe = _Recipe(
        tuple(parts),
        amounts,
        tuple(a.quantum / CENT for a in amounts),
        codes,
        {i: v for i, v in enumerate(originals) if codes[i] == _EXACT_CODE},
        tuple(_blueprint(r, index) for r in reports),
        text_year,
        tuple(
            (i.filename, i.file_size, i.CRC)
            for i in package.zf.infolist()
            if _is_sheet(i.filename) and i.filename not in members
        ),
    )
    key = _key(package.zf)
    _store(key, recipe)
    path = package.path
    year = text_year if text_year is not None else _name_year(path)
    replayed = Replayed(recipe, originals, floats, str(path), year, key, fresh=True)
    replayed.signature = _signature(lambda name: _census_copy(package, name), key)
    return replayed


def _census_copy(package: Package, member: str) -> bytes:
    """A worksheet part's XML as the census kept it (read again only when it was too large to keep)."""
    found = package.parts.get(member)
    return found.data if found is not None and found.data is not None else package.zf.read(member)


def _numeric_cells(data: bytes) -> dict[tuple[int, int], int] | None:
    """(row, col) of every numeric cell with a value → the index of its <v> among the part's <v>
    elements; None when a cell is written in a form this does not follow (no r, a prefix)."""
    from xltools.model import column_number

    if b"<c>" in data or b":c " in data or b"<c/>" in data:
        return None
    out: dict[tuple[int, int], int] = {}
    current: tuple[int, int] | None = None
    numeric = False
    v = -1
    for m in _CELL_OR_V.finditer(data):
        if m.group(0) == b"<v>":
            v += 1
            if current is not None and numeric:
                out[current] = v
            current = None
            continue
        if m.group(4):  # <c …/>: no value
            current = None
            continue
        t = _TYPE.search(m.group(3))
        numeric = t is None or t.group(1) == b"n"
        current = (int(m.group(2)), column_number(m.group(1).decode()))
    if v + 1 != data.count(b"<v>"):
        return None
    return out
