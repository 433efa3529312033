"""Build xltools.xlam from macros/ (VBA modules as text) and the ribbon the handlers describe
(xltools/excel/buttons.py): no Excel needed."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from xltools.addin.vba import CLASS, DOCUMENT, PROCEDURAL, Module, vba_project
from xltools.errors import UsageError
from xltools.excel.book import CONFIG_SHEET  # xlwings' add-in module reads the sheet PROJECT_NAME & ".conf"
from xltools.excel.buttons import ribbon_xml

ADDIN_NAME = "xltools.xlam"
UDF_MODULES = "xltools.excel.udfs"
MAIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
DOCUMENT_MODULES = ("ThisWorkbook", "Sheet1")  # the workbook's and the config sheet's code names


def macros_dir() -> Path:
    """The add-in's sources: the repository's macros/ folder, or the copy a wheel installs under
    <prefix>/share/xltools/macros. Raises UsageError when neither is present."""
    import sys

    repository = Path(__file__).resolve().parents[2] / "macros"
    for here in (repository, Path(sys.prefix) / "share" / "xltools" / "macros"):
        if (here / "XltoolsRibbon.bas").is_file():
            return here
    raise UsageError(
        "找不到加载项源文件（macros 文件夹）",
        hint="请重新安装 xltools（pip install xltools），或在源代码目录中运行 xltools addin build",
    )


def read_modules(folder: Path) -> list[Module]:
    """Every macros/*.bas (procedural) and *.cls (class, or document for ThisWorkbook/Sheet1)."""
    modules = []
    for path in sorted(folder.glob("*.bas")) + sorted(folder.glob("*.cls")):
        name = path.stem
        kind = PROCEDURAL if path.suffix == ".bas" else DOCUMENT if name in DOCUMENT_MODULES else CLASS
        modules.append(Module(name, kind, path.read_text(encoding="ascii")))
    return modules


@dataclass
class Config:
    """The xltools.conf sheet of the add-in: what xlwings reads to start Python."""

    interpreter_win: str = ""
    interpreter_mac: str = ""
    pythonpath: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str | bool]]:
        rows: list[tuple[str, str | bool]] = [
            ("Interpreter_Win", self.interpreter_win),
            ("Interpreter_Mac", self.interpreter_mac),
            ("PYTHONPATH", self.pythonpath),
            ("UDF Modules", UDF_MODULES),
            ("Debug UDFs", False),
            ("Use UDF Server", False),
            ("Show Console", False),
        ]
        return rows + list(self.extra.items())


def _cell(ref: str, value: str | bool) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if value == "":
        return ""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _sheet_xml(config: Config) -> str:
    rows = "".join(
        f'<row r="{i}">{_cell(f"A{i}", k)}{_cell(f"B{i}", v)}</row>'
        for i, (k, v) in enumerate(config.rows(), 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetPr codeName="Sheet1"/><cols><col min="1" max="1" width="18" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN_TYPE}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{RIBBON_REL}" Target="customUI/customUI14.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<workbookPr codeName="ThisWorkbook"/><bookViews><workbookView/></bookViews>'
    f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    'Target="vbaProject.bin"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def build_addin(target: Path, config: Config | None = None, sources: Path | None = None) -> Path:
    """Write the add-in to `target` (a .xlam) and return its path. Raises UsageError when the
    sources are missing, ValueError when a VBA module is not ASCII."""
    folder = sources or macros_dir()
    modules = read_modules(folder)
    ribbon = ribbon_xml().encode("utf-8")
    project = vba_project(modules)
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "customUI/customUI14.xml": ribbon,
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": _sheet_xml(config or Config()).encode("utf-8"),
        "xl/styles.xml": STYLES.encode(),
        "xl/vbaProject.bin": project,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    tmp.replace(target)
    return target
