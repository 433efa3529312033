"""The generated 情况说明 as data — sections of paragraphs — and its writers (docx, md, txt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from xltools.errors import UsageError, WriteError

Kind = Literal["body", "subheading"]
PENDING = "【待补充：{}】"  # where an input is missing: never an invented figure


def pending(what: str) -> str:
    return PENDING.format(what)


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: Kind = "body"


@dataclass
class Section:
    """One numbered section: '一、收入支出决算总体情况说明' and its paragraphs."""

    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    def add(self, text: str, kind: Kind = "body") -> None:
        self.paragraphs.append(Paragraph(text, kind))


@dataclass
class Narrative:
    """Part three of a report: a title and its sections in the standard order."""

    title: str
    sections: list[Section] = field(default_factory=list)

    def pending(self) -> list[str]:
        """Every 【待补充：…】 marker left in the text."""
        return [p.text for s in self.sections for p in s.paragraphs if "【待补充" in p.text]

    def lines(self) -> list[str]:
        out = ["第三部分", self.title]
        for s in self.sections:
            out.append(s.title)
            out.extend(p.text for p in s.paragraphs)
        return out


def to_text(narrative: Narrative) -> str:
    """Plain text, one paragraph a line (what the ribbon button puts on the clipboard)."""
    return "\n\n".join(narrative.lines()) + "\n"


def to_markdown(narrative: Narrative) -> str:
    out = ["# 第三部分", "", f"## {narrative.title}", ""]
    for s in narrative.sections:
        out += [f"### {s.title}", ""]
        for p in s.paragraphs:
            out += [f"#### {p.text}" if p.kind == "subheading" else p.text, ""]
    return "\n".join(out)


# fonts of the reports as published: 标题 方正小标宋简体, 一级标题 黑体, 二级标题 楷体, 正文 仿宋_GB2312 三号
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"
BODY_PT = 16  # 三号


def _docx_paragraph(
    doc: Any,
    text: str,
    font: str,
    size: int,
    *,
    center: bool = False,
    indent: bool = True,
    bold: bool = False,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters
    fmt.line_spacing = Pt(28)
    run = p.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)  # Word takes Chinese glyphs from w:eastAsia, not w:ascii


def write_docx(narrative: Narrative, path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    _docx_paragraph(doc, "第三部分", HEADING_FONT, BODY_PT, center=True)
    _docx_paragraph(doc, narrative.title, TITLE_FONT, 22, center=True)
    for s in narrative.sections:
        _docx_paragraph(doc, s.title, HEADING_FONT, BODY_PT)
        for p in s.paragraphs:
            font = SUBHEADING_FONT if p.kind == "subheading" else BODY_FONT
            _docx_paragraph(doc, p.text, font, BODY_PT)
    try:
        doc.save(str(path))
    except OSError as exc:
        raise WriteError(
            f"无法写入情况说明：{exc}", path=str(path), hint="请关闭已打开的同名文件或换一个输出位置"
        ) from exc


def write(narrative: Narrative, path: Path, fmt: str | None = None) -> None:
    """Write to `path` as docx, md or txt (from `fmt`, else the file's suffix). Raises WriteError."""
    kind = (fmt or path.suffix.lstrip(".") or "docx").lower()
    if kind == "docx":
        write_docx(narrative, path)
        return
    if kind not in ("md", "txt"):
        raise UsageError(f"不支持的输出格式 {kind}", hint="请用 docx、md 或 txt")
    text = to_markdown(narrative) if kind == "md" else to_text(narrative)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise WriteError(f"无法写入情况说明：{exc}", path=str(path)) from exc
