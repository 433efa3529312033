"""Text as the clerks type it: labels to compare, and amounts to parse (blank, '-', '1, 022. 32')."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# every kind of space met in exports: ideographic (U+3000), no-break (U+00A0), thin, zero-width …
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十百]+[)）、.．]|[（(][0-9]+[)）]|[0-9]+[、.．](?![0-9]))"
)
_QUOTES = str.maketrans(
    {"−": "-", "﹣": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"', "「": '"', "」": '"'}
)
_ZERO_MARKS = {"", "-", "--", "—", "——", "－", "–", "/", "0", "0.0", "0.00"}
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")


@lru_cache(maxsize=16384)
def squash(text: str) -> str:
    """Full-width → half-width (NFKC), every space removed, quotes unified."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


@lru_cache(maxsize=16384)
def label_key(text: str) -> str:
    """The comparable form of a row or column label: squashed, leading 一、/（一）/1. numbering
    removed, brackets made half-width. '一、一般公共预算财政拨款收入' → '一般公共预算财政拨款收入'."""
    s = squash(text)
    s = _NUMBERING.sub("", s)
    return s.replace("（", "(").replace("）", ")")


def name_key(text: str) -> str:
    """The comparable form of a 科目 name: label_key, and the trailing 支出 that reports add or drop
    ('…相关机构事务' vs '…相关机构事务支出') removed, brackets dropped."""
    s = label_key(text).replace("(", "").replace(")", "")
    return s[:-2] if s.endswith("支出") and len(s) > 4 else s


MAX_AMOUNT = 10**15  # 千万亿: no 部门决算 amount comes near it; a larger "number" is not an amount


@dataclass(frozen=True)
class Parsed:
    """A cell read as an amount: its value, whether it printed nothing, and the text it was typed as."""

    value: Decimal | None  # None: the cell is not a number at all (a label, a note)
    blank: bool = False
    text: str | None = None  # set when the number was stored as text


def parse_amount(raw: object) -> Parsed:
    """Read a cell as the amount it prints.

    Blank, '-', '—' → zero (blank); numbers stored as text with thousands separators, ideographic or
    no-break spaces, full-width digits or OCR gaps ('1, 022. 32') → the number, with `text` kept;
    anything else → value None."""
    if raw is None:
        return Parsed(Decimal(0), blank=True)
    if isinstance(raw, float):  # the common case first
        return Parsed(Decimal(repr(raw)) if math.isfinite(raw) and abs(raw) < MAX_AMOUNT else None)
    if isinstance(raw, bool):
        return Parsed(None)
    if isinstance(raw, int | Decimal):
        d = Decimal(raw)
        return Parsed(d) if d.is_finite() and abs(d) < MAX_AMOUNT else Parsed(None)
    if not isinstance(raw, str):
        return Parsed(None)
    s = squash(raw)
    if s in _ZERO_MARKS:
        return Parsed(Decimal(0), blank=s in ("", "-", "--", "—", "——", "－", "–", "/"), text=raw or None)
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = s.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    if not _NUMBER.match(s):
        return Parsed(None)
    try:
        value = Decimal(s)
    except InvalidOperation:
        return Parsed(None)
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        return Parsed(None)
    return Parsed(-value if negative else value, text=raw)


CODE_LENGTHS = (3, 5, 7)  # a 科目编码 is a 类 (3 digits), a 款 (5) or a 项 (7): the patterns below
LANCI_BELOW = 40  # a 栏次 the reader takes is a whole number from 1 to 39
_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\.0+)?$")
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")


def parse_code(raw: object) -> tuple[str | None, str]:
    """A 科目编码 cell → (code, the name typed after it in the same cell, if any).
    Codes stored as numbers (2010301.0) or text ('2010301', '201 03 01' is not accepted) work."""
    if raw is None:
        return None, ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    s = squash(str(raw))
    m = _CODE.match(s)
    if m:
        return m.group(1), ""
    m = _CODE_AND_NAME.match(squash(str(raw)))
    if m:
        return m.group(1), m.group(2)
    return None, ""


_YEAR = re.compile(r"(20[0-9]{2})\s*年")


def find_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None
