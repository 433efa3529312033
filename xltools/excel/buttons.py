"""The ribbon's words: each button's label, group, icon and tip, written from the constants its handler
uses (the sheets it reads and writes), so the help cannot name a sheet that does not exist.

The add-in builder renders the ribbon XML from BUTTONS (xltools/addin/build.py); the 帮助 button shows
HELP; xltools/excel/ribbon.py maps the same ids to handlers."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from xltools.excel.book import CONFIG_SHEET, FORMULA_SHEET, NARRATIVE_SHEET, RESULT_SHEET

TAB = "决算公开"
DISPATCH = "XltoolsDispatch"  # the one VBA callback (macros/XltoolsRibbon.bas)
# the data sheets 填表 reads (xltools/fill/README.md describes their columns); the first two are required
FILL_DATA_SHEETS = ("单位信息", "功能科目", "经济科目", "三公经费", "结转结余")
FILL_REQUIRED = FILL_DATA_SHEETS[:2]
FUNCTIONS = "CHECK_TOTAL 等工作表函数"


def quoted(names: tuple[str, ...]) -> str:
    return "".join(f"“{n}”" for n in names)


@dataclass(frozen=True)
class Button:
    id: str  # the handler's key in xltools.excel.ribbon.HANDLERS
    label: str
    group: str
    image: str  # an Office icon (imageMso)
    tip: str  # the supertip, and the button's line in 帮助


BUTTONS: tuple[Button, ...] = (
    Button(
        "new_template", "新建模板", "表格", "FileNew", "在本工作簿加入空白的公开01–09表（已有的表不改动）。"
    ),
    Button(
        "fill",
        "填表",
        "表格",
        "TableInsert",
        f"由{quoted(FILL_DATA_SHEETS)}工作表（至少{quoted(FILL_REQUIRED)}）填写各公开表。",
    ),
    Button(
        "check",
        "校验",
        "校验",
        "TraceError",
        f"核对表内、表间的勾稽关系；结果写入“{RESULT_SHEET}”工作表，问题单元格标色并批注原因。",
    ),
    Button(
        "add_formulas",
        "添加校验公式",
        "校验",
        "FunctionWizard",
        f"写入“{FORMULA_SHEET}”工作表：普通公式，Excel、WPS 和 LibreOffice 都能计算。",
    ),
    Button(
        "fix",
        "修正",
        "校验",
        "FormatPainter",
        "修正文本数字、尾差、空合计等；改动的单元格标绿并批注原因。",
    ),
    Button(
        "narrative",
        "生成说明",
        "输出",
        "TextBoxInsert",
        f"由公开表生成第三部分情况说明，写入“{NARRATIVE_SHEET}”工作表。",
    ),
    Button(
        "export_pdf",
        "导出PDF",
        "输出",
        "FileSaveAsPdfOrXps",
        "把各公开表导出为 PDF，保存在工作簿所在文件夹（工作簿须先保存）。",
    ),
    Button(
        "settings",
        "设置",
        "其他",
        "AddInManager",
        f"显示 Python 与 xltools 的设置（加载项的“{CONFIG_SHEET}”工作表），重新导入{FUNCTIONS}并保存加载项。",
    ),
    Button("help", "帮助", "其他", "Help", "各按钮的用途。"),
)
NOT_SAVED = "除“设置”保存加载项本身外，所有操作都不会自动保存工作簿。"
HELP = "\n".join([*(f"{b.label}：{b.tip}" for b in BUTTONS if b.id != "help"), NOT_SAVED])


def ribbon_xml() -> str:
    """The add-in's customUI14.xml (Office 2010 namespace): the tab, its groups and BUTTONS in order."""
    groups: dict[str, list[Button]] = {}
    for b in BUTTONS:
        groups.setdefault(b.group, []).append(b)
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui">',
        "  <ribbon>",
        "    <tabs>",
        f'      <tab id="xltoolsTab" label={quoteattr(TAB)}>',
    ]
    for i, (group, buttons) in enumerate(groups.items(), 1):
        lines.append(f'        <group id="group{i}" label={quoteattr(group)}>')
        lines += [
            f'          <button id={quoteattr(b.id)} label={quoteattr(b.label)} size="large" '
            f"imageMso={quoteattr(b.image)} onAction={quoteattr(DISPATCH)} "
            f"screentip={quoteattr(b.label)} supertip={quoteattr(b.tip)}/>"
            for b in buttons
        ]
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)
