"""Read a written report (docx, txt, md), find its part three and cut it into sections,
paragraphs and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xltools.errors import UsageError, XltoolsError
from xltools.text import squash

_MD = re.compile(r"^(?:#{1,6}\s*|[-*+]\s+|>\s*)")
_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_SUB = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[（(]\d+[)）])")
_TERMINAL = '。；;！？!?:：”")）'

SECTION_KINDS = (  # (kind, words the section title holds), first match wins
    ("fiscal_overall", ("财政拨款收入支出决算总体", "财政拨款收支决算总体")),
    ("overall", ("收入支出决算总体", "收支决算总体")),
    ("basic", ("基本支出",)),
    ("three", ("三公",)),
    ("general", ("一般公共预算财政拨款支出",)),
    ("fund", ("政府性基金",)),
    ("soe", ("国有资本经营",)),
    ("admin", ("机关运行经费",)),
    ("spending", ("一般性支出",)),
    ("procurement", ("政府采购",)),
    ("assets", ("国有资产",)),
    ("performance", ("绩效",)),
    ("income", ("收入决算",)),
    ("expense", ("支出决算",)),
)


SUBSECTION_KINDS = ("spending", "procurement", "assets", "performance", "fund", "soe", "admin")


class UnreadableDocument(XltoolsError):
    """The written report cannot be opened or holds no text."""


@dataclass
class Paragraph:
    text: str  # as written (joined across page breaks)
    section: str  # the section kind ('income', 'three' …; '' before the first section)
    section_title: str
    number: int  # 1-based position in part three

    @property
    def plain(self) -> str:
        """The comparable form: full-width → half-width, spaces removed."""
        return squash(self.text)


@dataclass
class PartThree:
    paragraphs: list[Paragraph] = field(default_factory=list)
    whole_report: bool = False  # part three was cut out of a whole report


def read_lines(path: Path) -> list[str]:
    """The paragraphs of a .docx, or the lines of a .txt/.md (markdown marks removed)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            from docx import Document

            return [p.text for p in Document(str(path)).paragraphs]
        if suffix in (".txt", ".md", ".markdown", ""):
            raw = path.read_bytes()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise UnreadableDocument("无法识别文件编码", path=str(path), hint="请另存为 UTF-8 文本")
            return [_MD.sub("", ln).replace("**", "").strip() for ln in text.splitlines()]
    except XltoolsError:
        raise
    except Exception as exc:  # a damaged docx raises whatever python-docx meets
        raise UnreadableDocument(
            f"无法读取：{exc}", path=str(path), hint="请确认是 .docx、.txt 或 .md 文件"
        ) from exc
    raise UsageError(f"不支持的文件类型 {suffix}", path=str(path), hint="请用 .docx、.txt 或 .md")


def _is_heading(line: str) -> bool:
    s = squash(line)
    if s.startswith(("第三部分", "第四部分", "第五部分")):
        return True
    return bool(_SECTION.match(s) or _SUB.match(s)) and len(s) <= 60 and "万元" not in s


def join_broken(lines: list[str]) -> list[str]:
    """Paragraphs as written: a line that stops mid-sentence (a page break in the PDF) goes on in
    the next line, unless either is a heading."""
    out: list[str] = []
    open_line = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and open_line and not _is_heading(line):
            out[-1] += line
        else:
            out.append(line)
        open_line = not _is_heading(out[-1]) and not out[-1].endswith(tuple(_TERMINAL))
    return out


def _part_three_span(lines: list[str]) -> tuple[int, int] | None:
    """The lines from a '第三部分' (or '…情况说明' title) to '第四部分'/'名词解释': of several (the
    table of contents lists them too), the one that says most in 万元."""
    starts = [i for i, ln in enumerate(lines) if squash(ln).startswith("第三部分")]
    if not starts:
        starts = [i for i, ln in enumerate(lines) if squash(ln).endswith("情况说明") and "决算" in ln]
    best: tuple[int, int] | None = None
    best_score = -1
    for start in starts:
        end = len(lines)
        for j in range(start + 1, len(lines)):
            s = squash(lines[j])
            if s.startswith("第四部分") or s == "名词解释":
                end = j
                break
        score = sum(ln.count("万元") for ln in lines[start:end])
        if score > best_score:
            best, best_score = (start, end), score
    return best


def section_kind(title: str) -> str:
    s = squash(title)
    for kind, words in SECTION_KINDS:
        if any(w in s for w in words):
            return kind
    return "other"


def part_three(lines: list[str]) -> PartThree:
    """Part three of a whole report, or the whole text when it is part three alone."""
    span = _part_three_span(lines)
    body = lines if span is None else lines[span[0] : span[1]]
    result = PartThree(whole_report=span is not None and (span[0] > 0 or span[1] < len(lines)))
    kind, title, top = "", "", ""
    for i, text in enumerate(join_broken(body), 1):
        s = squash(text)
        if _SECTION.match(s) and _is_heading(text):
            kind, title = section_kind(s), text
            top = kind
        elif top == "other" and _SUB.match(s) and _is_heading(text):
            kind, title = _subsection(s)  # '（一）一般性支出情况' under 其他重要事项
        result.paragraphs.append(Paragraph(text, kind, title, i))
    return result


def _subsection(title: str) -> tuple[str, str]:
    """A （一）（二） subsection of 其他重要事项 that is a section of its own elsewhere (一般性支出,
    政府采购, 国有资产, 绩效): its kind; else it stays in 其他."""
    kind = section_kind(title)
    return (kind, title) if kind in SUBSECTION_KINDS else ("other", title)


def read_part_three(path: str | Path) -> PartThree:
    """Read `path` and cut out its part three. Raises UnreadableDocument, UsageError."""
    p = Path(path)
    if not p.exists():
        raise UnreadableDocument("文件不存在", path=str(p))
    result = part_three(read_lines(p))
    if not any("万元" in para.text or "%" in para.text for para in result.paragraphs):
        raise UnreadableDocument(
            "没有找到情况说明（第三部分）的文字", path=str(p), hint="请确认文件中有“第三部分”或“情况说明”一节"
        )
    return result


_SENTENCE = re.compile(r"[^。;；！？!?]+[。;；！？!?]?")


def sentences(text: str) -> list[str]:
    """A squashed paragraph cut at 。；！？ (the clauses of one sentence stay together)."""
    return [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
