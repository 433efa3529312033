"""Turn a table's region into a Table, one function per layout kind of the format data:
codes (02/03/05/08/09), economic (06), single (07) and ledger (01/04, two-sided)."""

from __future__ import annotations

from xltools.formats import RowSpec, TableSpec
from xltools.model import TOTAL, Problem, Row, Table
from xltools.read.region import Region, Unrecognised, assign_columns, read_amount, scale_of
from xltools.text import CODE_LENGTHS, label_key, parse_amount, parse_code
from xltools.vocabulary import Severity

_TOTAL_LABELS = {"合计", "总计", "合计数"}


def new_table(spec: TableSpec, region: Region, title: str, data_start: int) -> Table:
    dept, dept_cell, unit, unit_cell = region.context(data_start)
    return Table(
        id=spec.id,
        title=title,
        sheet=region.sheet,
        anchor=region.cell(region.top, region.left),
        layout=spec.layout,
        unit=unit,
        unit_cell=unit_cell,
        scale=scale_of(unit),
        department=dept,
        department_cell=dept_cell,
    )


def header_rows(region: Region, start: int, end: int, lanci_row: int | None) -> list[int]:
    return [r for r in range(start, end) if r != lanci_row and not region.is_meta_row(r)]


def missing_columns(region: Region, table: Table, found: dict[int, int], specs: tuple) -> None:
    """Record the columns of `specs` the header did not show: no rule may read them as zero."""
    missing = [col for i, col in enumerate(specs) if i not in found]
    if not missing:
        return
    table.unread_columns.update(f"{c.row}.{c.key}" if c.row else c.key for c in missing)
    names = "”“".join(c.name for c in missing)
    region.problems.append(
        Problem(
            "F0",
            f"{table.id} 未找到“{names}”列，涉及这些列的校验不适用；请核对表头文字",
            region.cell(region.top, region.left),
            Severity.WARNING,
        )
    )


# ---------------------------------------------------------------- codes


def _split_codes(region: Region) -> None:
    """The classic 科目编码 类 | 款 | 项 columns: each row's full code, the 类 and 款 carried down
    from the rows above when left blank, kept in region.split_codes for the code column."""
    for r in range(region.top + 1, min(region.bottom, region.top + 15) + 1):
        heads = region.header_row(r)
        for c in range(region.left, region.width - 1):
            if heads[c - 1 : c + 2] == ["类", "款", "项"]:
                region.split_col = c
                cls = kuan = ""
                for rr in range(r + 1, region.bottom + 1):
                    parts = [_digits(region.value(rr, c + i)) for i in range(3)]
                    if parts[0] and len(parts[0]) == 3:
                        cls, kuan = parts[0], ""
                    if parts[1]:
                        kuan = parts[1].zfill(2)
                    if parts[0] or parts[1] or parts[2]:
                        code = (
                            cls
                            + (kuan if parts[1] or parts[2] else "")
                            + (parts[2].zfill(2) if parts[2] else "")
                        )
                        if len(code) in CODE_LENGTHS:
                            region.split_codes[rr] = code
                return


def _digits(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip() if v is not None else ""
    return s if s.isdigit() and len(s) <= 3 else ""


def _code_at(region: Region, r: int, c: int) -> tuple[str | None, str]:
    if region.split_col is not None and c == region.split_col:
        return region.split_codes.get(r), ""
    return parse_code(region.value(r, c))


def row_has_value(region: Region, r: int) -> bool:
    return any(isinstance(region.value(r, c), (int, float)) for c in region.cols())


def _find_code_start(region: Region) -> tuple[int, int] | None:
    """(first data row, code column): the 合计 row or the first row with a function code."""
    _split_codes(region)
    for r in region.rows():
        if region.split_col is not None and r in region.split_codes:
            return r, region.split_col
        for c in range(region.left, min(region.width, region.left + 3) + 1):
            v = region.value(r, c)
            if v is None:
                continue
            if isinstance(v, str) and label_key(v) in _TOTAL_LABELS and _rest_is_amounts(region, r, c):
                code_col = c
                if c > 1 and region.value(r, c - 1) is None and _column_has_codes(region, r, c - 1):
                    code_col = c - 1
                return r, code_col
            code, _ = parse_code(v)
            if code and (len(code) > 3 or _row_has_number(region, r, c)):
                return r, c
    return None


def _rest_is_amounts(region: Region, r: int, c: int) -> bool:
    """Most cells right of column c read as amounts (a data row, not a header row); a remark such as
    a clerk's own check column beside the table may be text."""
    cells = [region.value(r, x) for x in range(c + 1, region.width + 1)]
    filled = [v for v in cells if v is not None]
    numbers = sum(1 for v in filled if parse_amount(v).value is not None)
    return numbers * 2 > len(filled) or not filled


def _column_has_codes(region: Region, start: int, c: int) -> bool:
    return any(parse_code(region.value(r, c))[0] for r in range(start, min(start + 6, region.bottom + 1)))


def _row_has_number(region: Region, r: int, after: int) -> bool:
    return any(
        isinstance(region.value(r, c), (int, float))
        or (parse_amount(region.value(r, c)).value is not None and region.value(r, c) is not None)
        for c in range(after + 2, region.width + 1)
    )


def parse_codes(spec: TableSpec, region: Region, title: str) -> Table:
    start = _find_code_start(region)
    if start is None:
        return _empty_codes(spec, region, title)
    data_start, code_col = start
    table = new_table(spec, region, title, data_start)
    lanci_row, lanci = region.lanci(range(region.top + 1, data_start))
    name_col = _name_column(region, data_start, code_col)
    candidates = list(range(name_col + 1, region.width + 1))
    headers = header_rows(region, region.top + 1, data_start, lanci_row)
    found = assign_columns(spec.columns, candidates, region.paths(headers, region.cols()), lanci)
    missing_columns(region, table, found, spec.columns)
    table.columns = {spec.columns[i].key: c for i, c in found.items()}
    last = data_start
    for r in range(data_start, region.bottom + 1):
        key, code, label = _code_row_key(region, r, code_col, name_col)
        if key is None:
            continue
        if key in table.rows:
            region.problems.append(
                Problem(
                    "F0",
                    f"{spec.id} 编码 {key} 重复出现（第 {r} 行），以第一次为准",
                    region.cell(r, code_col),
                )
            )
            continue
        row = Row(key, label, region.cell(r, name_col), code=code)
        for i, c in found.items():
            row.values[spec.columns[i].key] = read_amount(region, r, c, table.scale)
        table.rows[key] = row
        last = r
    table.last_row = last
    table.notes = region.notes(last + 1)
    return table


def _empty_codes(spec: TableSpec, region: Region, title: str) -> Table:
    """A table printed with its title, header and a note only (no 合计 row, or a 合计 row blank but
    for a remark): complete and empty, for F8 to judge. Without a recognisable header: unreadable."""
    notes = region.notes(region.top + 1)
    end = notes[0][1].row if notes else region.bottom + 1
    headers = [r for r in range(region.top + 1, end) if not region.is_meta_row(r)]
    paths = region.paths(headers, region.cols())
    found = assign_columns(spec.columns, list(region.cols()), paths, {}, by_order=False)
    lanci_row, _ = region.lanci(range(region.top + 1, end))
    numbers = any(row_has_value(region, r) for r in range(region.top + 1, end) if r != lanci_row)
    if not notes or len(found) < len(spec.columns) or numbers:
        raise Unrecognised("未找到“合计”行或科目编码行", region.cell(region.top, region.left))
    table = new_table(spec, region, title, end)
    table.columns = {spec.columns[i].key: c for i, c in found.items()}
    table.last_row = end - 1
    table.notes = notes
    return table


def _name_column(region: Region, data_start: int, code_col: int) -> int:
    if region.split_col is not None:
        return region.split_col + 3
    texts = inline = 0
    for r in range(data_start, min(region.bottom, data_start + 30) + 1):
        code, rest = parse_code(region.value(r, code_col))
        if code:
            inline += bool(rest)
            v = region.value(r, code_col + 1)
            texts += isinstance(v, str) and parse_amount(v).value is None
    return code_col if inline > texts else code_col + 1


def _code_row_key(region: Region, r: int, code_col: int, name_col: int) -> tuple[str | None, str | None, str]:
    code, inline_name = _code_at(region, r, code_col)
    label = inline_name or region.text(r, name_col).strip()
    if code:
        return code, code, label
    for c in range(code_col, name_col + 1):
        v = region.value(r, c)
        if isinstance(v, str) and label_key(v) in _TOTAL_LABELS:
            return TOTAL, None, "合计"
    return None, None, label


# ---------------------------------------------------------------- economic (公开06)


Group = tuple[int, int, int]  # 公开06 column group: code, name and amount columns


def parse_economic(spec: TableSpec, region: Region, title: str) -> Table:
    """公开06: economic codes in one to three side-by-side (code, name, amount) groups, and the
    footers 人员经费合计 / 公用经费合计 wherever they stand."""
    header_row = next(
        (r for r in region.rows() if any("编码" in region.header_text(r, c) for c in region.cols())),
        None,
    )
    if header_row is None:
        raise Unrecognised("未找到“科目编码”表头", region.cell(region.top, region.left))
    table = new_table(spec, region, title, header_row)
    groups = _economic_groups(region, header_row)
    table.columns = {"amount": groups[0][2]}
    first = header_row + 1
    while first <= region.bottom and region.lanci(range(first, first + 1))[0]:
        first += 1
    last = first
    footers = {k: s for s in spec.rows for k in s.keys}
    for r in range(first, region.bottom + 1):
        if _economic_row(region, table, r, groups, footers):
            last = r
    for footer in spec.rows:
        if footer.required and footer.key not in table.rows:
            region.problems.append(
                Problem("F0", f"{spec.id} 缺少“{footer.name}”行", region.top_left, Severity.ERROR)
            )
    table.last_row = last
    table.notes = region.notes(last + 1)
    return table


def _economic_groups(region: Region, header_row: int) -> list[Group]:
    code_cols = [c for c in region.cols() if "编码" in region.header_text(header_row, c)]
    groups = []
    for i, c in enumerate(code_cols):
        end = code_cols[i + 1] - 1 if i + 1 < len(code_cols) else region.width
        words = ("决算", "金额", "数")
        amount = next(
            (x for x in range(c + 1, end + 1) if any(w in region.header_text(header_row, x) for w in words)),
            min(c + 2, end),
        )
        groups.append((c, c + 1, amount))
    return groups


def _economic_row(
    region: Region, table: Table, r: int, groups: list[Group], footers: dict[str, RowSpec]
) -> bool:
    """Read the codes and footers on row r; returns whether anything was found."""
    found = False
    for code_col, name_col, amount_col in groups:
        code, inline = parse_code(region.value(r, code_col))
        if code and len(code) in (3, 5) and code not in table.rows:
            row = Row(code, inline or region.text(r, name_col).strip(), region.cell(r, name_col), code=code)
            row.values["amount"] = read_amount(region, r, amount_col, table.scale)
            table.rows[code] = row
            found = True
    for c in region.cols():
        footer = footers.get(label_key(region.text(r, c)))
        if footer and footer.key not in table.rows:
            table.rows[footer.key] = _footer_row(region, table, footer, r, c, groups)
            found = True
    return found


def _footer_row(region: Region, table: Table, spec: RowSpec, r: int, c: int, groups: list[Group]) -> Row:
    """A footer (人员经费合计) takes the first amount to its right, before the next label."""
    row = Row(spec.key, spec.name, region.cell(r, c))
    group_amount = next((a for code_col, _, a in reversed(groups) if code_col <= c), groups[0][2])
    target = None
    for x in range(c + 1, region.width + 1):
        v = region.value(r, x)
        if isinstance(v, str) and parse_amount(v).value is None and label_key(v):
            break
        if v is not None:
            target = x
            break
    row.values["amount"] = read_amount(region, r, target or group_amount, table.scale)
    return row
