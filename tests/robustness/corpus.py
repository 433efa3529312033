"""A seeded corpus of hostile inputs made from the fixtures: damaged containers, hostile cells, macros
and drawn shapes, special files, bad inputs/report/data files. Every case says which command lines run
over it; `{book}`, `{out}`, `{dir}`, `{good}`, `{report}`, `{inputs}` are filled in by the runner.

Usage: python tests/robustness/corpus.py OUT_DIR   (prints the number of cases of each kind)
"""

from __future__ import annotations

import os
import random
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

SEED = 15
S1 = "xl/worksheets/sheet1.xml"  # 公开01
WB = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
CT = "[Content_Types].xml"

BOOK_COMMANDS = (
    ("check", "{book}"),
    ("check", "{book}", "--format", "json"),
    ("check", "{book}", "--format", "junit"),
    ("fix", "{book}", "--dry-run"),
    ("fix", "{book}", "-o", "{out}"),
    ("formulas", "{book}", "-o", "{out}"),
    ("narrative", "{book}", "-o", "{dir}/n.docx"),
    ("narrative-check", "{report}", "{book}", "--format", "json"),
    ("fill", "{book}", "-o", "{dir}/filled.xlsx"),
)
DAMAGED_COMMANDS = tuple(c for c in BOOK_COMMANDS if c[:2] != ("fix", "{book}") or "-o" in c)[1:]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    path: Path
    commands: tuple[tuple[str, ...], ...] = BOOK_COMMANDS
    readable: bool = False  # the workbook is still a workbook: exit 0/1 is expected, not only 2


def rewrite(
    src: Path,
    dst: Path,
    edits: dict[str, Callable[[bytes], bytes | None]],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy the package `src` to `dst`, each part in `edits` passed through its function (None drops it)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data: bytes | None = zin.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data)  # type: ignore[arg-type]
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def _amount_cells(xml: bytes) -> list[bytes]:
    return re.findall(rb'<c r="[A-Z]+[0-9]+"[^>]*><v>[0-9.]+</v></c>', xml)


def _set_cell(xml: bytes, rnd: random.Random, new: Callable[[bytes], bytes]) -> bytes:
    cells = _amount_cells(xml)
    old = rnd.choice(cells)
    ref = re.search(rb'r="([A-Z]+[0-9]+)"', old).group(1)  # type: ignore[union-attr]
    return xml.replace(old, new(ref), 1)


def _text_cells(xml: bytes) -> list[bytes]:
    return re.findall(rb"<t>[^<]{2,}</t>", xml)


def _set_text(xml: bytes, rnd: random.Random, text: bytes) -> bytes:
    old = rnd.choice(_text_cells(xml))
    return xml.replace(old, b"<t>" + text + b"</t>", 1)


# ------------------------------------------------------------------------------ damaged containers
def damaged(std: Path, out: Path, rnd: random.Random) -> list[Case]:
    raw = std.read_bytes()
    cases = []
    for i in range(40):
        data = bytearray(raw)
        for _ in range(rnd.choice((1, 1, 2, 3))):
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        cases.append(_bytes_case(out / f"flip_{i:02d}.xlsx", bytes(data), "bitflip", DAMAGED_COMMANDS))
    for i in range(16):
        cut = rnd.randrange(1, len(raw))
        cases.append(_bytes_case(out / f"trunc_{i:02d}.xlsx", raw[:cut], "truncated", DAMAGED_COMMANDS))
    with zipfile.ZipFile(std) as zf:
        parts = [n for n in zf.namelist()]
    xml_damage: dict[str, Callable[[bytes], bytes | None]] = {
        "cut": lambda d: d[: len(d) * 2 // 3],
        "garbage": lambda d: d[: len(d) // 2] + b"<<<\x00\xff>>" + d[len(d) // 2 :],
        "utf16": lambda d: d.decode("utf-8").encode("utf-16"),
        "dtd_late": lambda d: d + b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
        "empty": lambda d: b"",
        "binary": lambda d: bytes(rnd.randrange(256) for _ in range(200)),
        "missing": lambda d: None,
        "badutf8": lambda d: d.replace(b"</t>", b"\xed\xa0\x80\xff</t>", 1),
    }
    for part in parts:
        for how, damage in xml_damage.items():
            if how == "dtd_late" and not part.endswith((".xml", ".rels")):
                continue
            name = f"part_{how}_{part.replace('/', '_').strip('[]')}.xlsx"
            cases.append(
                Case(name, f"part-{how}", rewrite(std, out / name, {part: damage}), DAMAGED_COMMANDS)
            )
    return cases + _rels(std, out)


def _bytes_case(path: Path, data: bytes, kind: str, commands: tuple[tuple[str, ...], ...]) -> Case:
    path.write_bytes(data)
    return Case(path.name, kind, path, commands)


def _rels(std: Path, out: Path) -> list[Case]:
    first = re.compile(rb'<Relationship [^>]*?Id="rId1"[^>]*/>')
    edits: dict[str, dict[str, Callable[[bytes], bytes | None]]] = {
        "dup_id": {RELS: lambda d: d.replace(b'Id="rId2"', b'Id="rId1"')},
        "self_target": {
            RELS: lambda d: d.replace(b"/xl/worksheets/sheet1.xml", b"/xl/_rels/workbook.xml.rels")
        },
        "outside": {RELS: lambda d: d.replace(b"/xl/worksheets/sheet1.xml", b"../../../../etc/passwd")},
        "missing_target": {
            RELS: lambda d: d.replace(b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/nothere.xml")
        },
        "no_rel": {RELS: lambda d: first.sub(b"", d)},
        "wrong_ct": {CT: lambda d: d.replace(b"sheet.main+xml", b"wordprocessingml.document.main+xml")},
        "no_ct": {CT: lambda d: re.sub(rb"<Override [^>]*workbook.xml[^>]*/>", b"", d)},
        "sheet_as_wb": {WB: lambda d: d.replace(b'r:id="rId1"', b'r:id="rId99"')},
        "no_sheets": {WB: lambda d: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", d)},
    }
    return [
        Case(f"rels_{k}.xlsx", "relationships", rewrite(std, out / f"rels_{k}.xlsx", e))
        for k, e in edits.items()
    ]


# ------------------------------------------------------------------------------ hostile cells
def cells(std: Path, out: Path, rnd: random.Random) -> list[Case]:
    long = "公" * 32767

    def cell(t: str, v: bytes) -> Callable[[bytes], bytes]:
        return lambda ref: b'<c r="' + ref + b'" t="' + t.encode() + b'"><v>' + v + b"</v></c>"

    def num(v: bytes, style: bytes = b"") -> Callable[[bytes], bytes]:
        return lambda ref: b'<c r="' + ref + b'"' + style + b"><v>" + v + b"</v></c>"

    edits: dict[str, Callable[[bytes], bytes]] = {
        "err_ref": lambda d: _set_cell(d, rnd, cell("e", b"#REF!")),
        "err_div": lambda d: _set_cell(d, rnd, cell("e", b"#DIV/0!")),
        "err_unknown": lambda d: _set_cell(d, rnd, cell("e", b"#BOGUS?")),
        "bool": lambda d: _set_cell(d, rnd, cell("b", b"1")),
        "str_num": lambda d: _set_cell(d, rnd, cell("str", b"12,345.6\xe4\xb8\x87")),
        "digits29": lambda d: _set_cell(d, rnd, num(b"12345678901234567890123456789")),
        "e308": lambda d: _set_cell(d, rnd, num(b"1.7976931348623157e308")),
        "e400": lambda d: _set_cell(d, rnd, num(b"1e400")),
        "nan": lambda d: _set_cell(d, rnd, num(b"NaN")),
        "neg_inf": lambda d: _set_cell(d, rnd, num(b"-INF")),
        "not_number": lambda d: _set_cell(d, rnd, num(b"abc")),
        "date_styled": lambda d: re.sub(rb'(<c r="[A-Z]+[0-9]+")(><v>)', rb'\1 s="1"\2', d),
        "huge_dim": lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d),
        "far_cell": lambda d: d.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
        "last_row": lambda d: d.replace(
            b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
        ),
        "beyond_grid": lambda d: d.replace(
            b"</sheetData>", b'<row r="99"><c r="C99999999999"><v>1</v></c></row></sheetData>'
        ),
        "beyond_cols": lambda d: d.replace(
            b"</sheetData>", b'<row r="99"><c r="ZZZZ99"><v>1</v></c></row></sheetData>'
        ),
        "no_refs": lambda d: re.sub(rb' r="[A-Z]+[0-9]+"', b"", d),
        "merge_all": lambda d: _merge(d, b"A1:XFD1048576"),
        "merge_rows": lambda d: _merge(d, b"A1:A1048576"),
        "long_text": lambda d: _set_text(d, rnd, long.encode()),
        "control": lambda d: _set_text(d, rnd, "行政\x01运行\x1b[31m红\x1b[0m\x07".encode()),
        "surrogate": lambda d: _set_text(d, rnd, b"&#xD800;\xe8\xa1\x8c\xe6\x94\xbf"),
        "formula_text": lambda d: _set_text(d, rnd, b"=HYPERLINK(&quot;http://x&quot;,&quot;a&quot;)"),
        "cmd_text": lambda d: _set_text(d, rnd, b"+cmd|' /C calc'!A0"),
        "at_text": lambda d: _set_text(d, rnd, b"@SUM(A1:A9)"),
        "emoji": lambda d: _set_text(d, rnd, "😀𠀀部门".encode()),
        "uncached": lambda d: _set_cell(
            d, rnd, lambda ref: b'<c r="' + ref + b'"><f>SUM(ZZZ1:ZZZ9)/0</f></c>'
        ),
        "bad_formula": lambda d: _set_cell(d, rnd, lambda ref: b'<c r="' + ref + b'"><f>SUM((((</f></c>'),
        "shared_idx": lambda d: _set_cell(d, rnd, cell("s", b"99999")),
    }
    cases = []
    for key, edit in edits.items():
        sheet = "xl/worksheets/sheet9.xml" if key.startswith(("far", "beyond")) else S1
        path = rewrite(std, out / f"cell_{key}.xlsx", {sheet: edit})
        cases.append(Case(path.name, "cells", path, readable=True))
    hidden = rewrite(
        std,
        out / "cell_far_hidden.xlsx",
        {
            "xl/worksheets/sheet9.xml": edits["far_cell"],
            WB: lambda d: d.replace(b'sheetId="9" state="visible"', b'sheetId="9" state="hidden"'),
        },
    )
    cases.append(Case(hidden.name, "cells", hidden, readable=True))
    for i, name in enumerate(("a'b\"c", "公开/01", "[公开01]", "x" * 31, "工作表*?:")):
        escaped = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").encode()
        old = 'name="公开01"'.encode()
        p = rewrite(
            std,
            out / f"sheetname_{i}.xlsx",
            {WB: lambda d, e=escaped, o=old: d.replace(o, b'name="' + e + b'"', 1)},
        )
        cases.append(Case(p.name, "sheet-names", p, readable=True))
    return cases


def _merge(xml: bytes, ref: bytes) -> bytes:
    tag = b'<mergeCell ref="' + ref + b'"/>'
    if b"<mergeCells" in xml:
        return re.sub(rb"<mergeCells[^>]*>", lambda m: m.group(0) + tag, xml, count=1)
    return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">' + tag + b"</mergeCells>")


# ------------------------------------------------------------------------------ what openpyxl drops
def kept_parts(std: Path, out: Path) -> list[Case]:
    ct_vba = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    drawing = (
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from>'
        b"<xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff>"
        b"</xdr:from><xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row>"
        b'<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" '
        b'name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/>'
        b"<a:p><a:r><a:t>\xe8\xaf\xb4\xe6\x98\x8e</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/>"
        b"</xdr:twoCellAnchor></xdr:wsDr>"
    )
    x14 = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/'
        b'office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft'
        b'.com/office/excel/2006/main"><x14:dataValidation type="list"><x14:formula1><xm:f>Sheet2!$A$1:$A$3'
        b"</xm:f></x14:formula1><xm:sqref>A1</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
        b"</extLst></worksheet>"
    )
    specs: dict[str, tuple[dict[str, Callable[[bytes], bytes | None]], dict[str, bytes], str]] = {
        "vba_in_xlsx": (
            {CT: lambda d: d.replace(b"<Default ", ct_vba + b"<Default ", 1)},
            {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(500)},
            ".xlsx",
        ),
        "xlsm_as_xlsx_ct": ({}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(500)}, ".xlsm"),
        "customxml": ({}, {"customXml/item1.xml": b"<root>x</root>"}, ".xlsx"),
        "threaded": (
            {},
            {
                "xl/threadedComments/threadedComment1.xml": b"<ThreadedComments/>",
                "xl/persons/person.xml": b"<personList/>",
            },
            ".xlsx",
        ),
        "textbox": ({}, {"xl/drawings/drawing9.xml": drawing}, ".xlsx"),
        "x14_validation": ({S1: lambda d: d.replace(b"</worksheet>", x14)}, {}, ".xlsx"),
        "macrosheet": ({}, {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}, ".xlsm"),
    }
    cases = []
    for key, (edits, extra, suffix) in specs.items():
        p = rewrite(std, out / f"keep_{key}{suffix}", edits, extra)
        cases.append(Case(p.name, "kept-parts", p, readable=True))
    return cases


# ------------------------------------------------------------------------------ the file system
def special(std: Path, out: Path) -> list[Case]:
    folder = out / "fs"
    folder.mkdir(exist_ok=True)
    cases = []
    fifo = folder / "pipe.xlsx"
    os.mkfifo(fifo)
    cases.append(Case(fifo.name, "special", fifo))
    d = folder / "folder.xlsx"
    d.mkdir()
    cases.append(Case(d.name, "special", d))
    for dev in ("/dev/zero", "/dev/urandom", "/dev/null"):
        link = folder / f"link_{Path(dev).name}.xlsx"
        link.symlink_to(dev)
        cases.append(Case(link.name, "special", link))
    loop = folder / "loop.xlsx"
    loop.symlink_to(loop)
    cases.append(Case(loop.name, "special", loop))
    cases.append(Case("missing.xlsx", "special", folder / "missing.xlsx"))
    (folder / "empty.xlsx").write_bytes(b"")
    cases.append(Case("empty.xlsx", "special", folder / "empty.xlsx"))
    named = folder / "带 空格 的 公开表 2021.xlsx"
    named.write_bytes(std.read_bytes())
    cases.append(Case(named.name, "special", named, readable=True))
    docx = folder / "word.xlsx"
    rewrite(std, docx, {WB: lambda d: None}, {"word/document.xml": b"<w:document/>"})
    cases.append(Case(docx.name, "special", docx))
    return cases


# ------------------------------------------------------------------------------ other input files
def inputs_files(out: Path) -> list[Case]:
    folder = out / "inputs"
    folder.mkdir(exist_ok=True)
    texts: dict[str, bytes] = {
        "nan.toml": b"year = 2021\n[prior]\ntotal = nan\n",
        "inf.toml": b"year = 2021\n[prior]\ntotal = 1e400\n",
        "huge.toml": b"year = 2021\n[prior]\ntotal = 123456789012345678901234567890.12\n",
        "gbk.toml": 'year = 2021\n# 部门\nunit = "某某局"\n'.encode("gbk"),
        "binary.toml": bytes(range(256)) * 4,
        "superscript.toml": "year = '²⁰²¹'\n".encode(),
        "year_big.yaml": b"year: 99999999999999999999\n",
        "list.yaml": b"- 1\n- 2\n",
        "bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        "control.toml": 'year = 2021\n[reasons]\nincome = "增加\u001b[31m\u0000"\n'.encode(),
        "empty.toml": b"",
    }
    cases = []
    for name, data in texts.items():
        (folder / name).write_bytes(data)
        cases.append(
            Case(
                f"inputs_{name}",
                "inputs",
                folder / name,
                (("narrative", "{good}", "--inputs", "{book}", "-o", "{dir}/n.docx"),),
                readable=True,
            )
        )
    fifo = folder / "pipe.toml"
    os.mkfifo(fifo)
    cases.append(
        Case(
            "inputs_pipe",
            "inputs",
            fifo,
            (("narrative", "{good}", "--inputs", "{book}", "-o", "{dir}/n.md"),),
        )
    )
    zero = folder / "zero.yaml"
    zero.symlink_to("/dev/zero")
    cases.append(
        Case(
            "inputs_zero",
            "inputs",
            zero,
            (("narrative", "{good}", "--inputs", "{book}", "-o", "{dir}/n.md"),),
        )
    )
    return cases


def reports(out: Path, docx: Path, rnd: random.Random) -> list[Case]:
    folder = out / "reports"
    folder.mkdir(exist_ok=True)
    cmd = (
        ("narrative-check", "{book}", "{good}"),
        ("narrative-check", "{book}", "{good}", "--format", "junit"),
    )
    raw = docx.read_bytes()
    files: dict[str, bytes] = {
        "random.docx": bytes(rnd.randrange(256) for _ in range(3000)),
        "truncated.docx": raw[: len(raw) // 2],
        "gbk.txt": "第三部分 情况说明\n一、收入支出决算总体情况说明\n2021年度收入总计１２３万元。\n".encode(
            "gbk"
        ),
        "binary.txt": bytes(range(256)) * 50,
        "control.md": "收入总计\x1b[2J123\x00万元\x07\n".encode(),
        "longline.txt": ("收入总计123.45万元，" * 60_000).encode(),
        "xlsx.docx": b"",
    }
    for i in range(8):
        data = bytearray(raw)
        data[rnd.randrange(len(data))] ^= 0xFF
        files[f"flip{i}.docx"] = bytes(data)
    cases = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        cases.append(Case(f"report_{name}", "reports", folder / name, cmd, readable=True))
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    cases.append(Case("report_pipe", "reports", fifo, cmd))
    zero = folder / "zero.txt"
    zero.symlink_to("/dev/zero")
    cases.append(Case("report_zero", "reports", zero, cmd))
    return cases


def data_folders(out: Path, sample: Path) -> list[Case]:
    cmd = (("fill", "{book}", "-o", "{dir}/filled.xlsx"),)
    base = {f.name: f.read_bytes() for f in sample.glob("*.csv")}
    func = "功能科目.csv"
    variants: dict[str, dict[str, bytes]] = {
        "gbk": {k: v.decode().encode("gb18030") for k, v in base.items()},
        "huge_field": {func: base[func].replace("行政运行".encode(), ("长" * 200_000).encode(), 1)},
        "formula_name": {func: base[func].replace("行政运行".encode(), b'=HYPERLINK("http://x","y")', 1)},
        "cmd_name": {func: base[func].replace("行政运行".encode(), b"+cmd|' /C calc'!A0", 1)},
        "binary": {func: bytes(range(256)) * 20},
        "nan": {func: base[func].replace(b"6128437.52", b"nan", 1)},
        "inf": {func: base[func].replace(b"6128437.52", b"1e400", 1)},
        "digits": {func: base[func].replace(b"6128437.52", b"123456789012345678901234567890", 1)},
        "control": {func: base[func].replace("行政运行".encode(), "行政\x1b[31m运行\x00".encode(), 1)},
        "empty": {func: b""},
        "nul": {func: base[func].replace(b",", b"\x00,", 3)},
    }
    cases = []
    for key, changed in variants.items():
        folder = out / f"data_{key}"
        folder.mkdir(exist_ok=True)
        for name, data in {**base, **changed}.items():
            (folder / name).write_bytes(data)
        cases.append(Case(folder.name, "data", folder, cmd, readable=True))
    pipe = out / "data_pipe"
    pipe.mkdir(exist_ok=True)
    for name, data in base.items():
        if name != func:
            (pipe / name).write_bytes(data)
    os.mkfifo(pipe / func)
    cases.append(Case(pipe.name, "data", pipe, cmd))
    return cases


def build_corpus(out: Path, seed: int = SEED) -> tuple[list[Case], dict[str, Path]]:
    """Every case, and the good files the commands need beside them ('good', 'report', 'docx')."""
    from fixture_books import write_workbook

    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    std = write_workbook("000", "std", out / "_std.xlsx")
    good = _good_files(std, out)
    sample = Path(__file__).resolve().parents[2] / "xltools" / "fill" / "sample"
    cases = damaged(std, out, rnd) + cells(std, out, rnd) + kept_parts(std, out) + special(std, out)
    cases += inputs_files(out) + reports(out, good["docx"], rnd) + data_folders(out, sample)
    return cases, good


def _good_files(std: Path, out: Path) -> dict[str, Path]:
    from xltools.narrative import generate, write
    from xltools.narrative.inputs import Inputs
    from xltools.read import read_report

    narrative = generate(read_report(std), Inputs())
    write(narrative, out / "_good.txt", "txt")
    write(narrative, out / "_good.docx", "docx")
    return {"good": std, "report": out / "_good.txt", "docx": out / "_good.docx"}


if __name__ == "__main__":
    found, _ = build_corpus(Path(sys.argv[1]))
    for kind, n in sorted(Counter(c.kind for c in found).items()):
        print(f"{kind}\t{n}")
    print(f"total\t{len(found)}\truns\t{sum(len(c.commands) for c in found)}")
