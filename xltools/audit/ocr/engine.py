"""RapidOCR (ONNX models shipped in the wheel) on the text lines of one cell.

A cell is cut into its text lines by the ink's row profile (a wrapped label is two lines), and each
line is recognised alone — whole-page OCR would join an amount with the next cell's label. A second
pass (`second=True`: a wider frame, twice the size) re-reads the cells of a rule that fails; a
reading is sure only when it scored at least SURE and the second pass agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from xltools.text import parse_amount, parse_code, squash

REPAIRED = 0.9  # at most this sure: a reading whose decimal point was put back by the amount's shape
_PAD = 8  # px of white around a line: the recogniser drops a first stroke ('一、') framed tighter
_MIN_LINE = 5  # px: a shorter band of ink is a speck, not text
_DOT = (3, 4)  # px (width, height): a blob no larger is a dot — a speck, a decimal point, a comma


@lru_cache(maxsize=1)
def _rapid() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    # one thread: a page is small work, and --jobs runs files side by side; the detector sees a band
    # of the page at most 1280 px long (text of a 150-300 dpi scan stays legible)
    return RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, det_limit_type="max", det_limit_side_len=1280
    )


@dataclass(frozen=True)
class Reading:
    """What OCR made of one cell: its text (lines joined), and how sure the reading is (0..1)."""

    text: str
    confidence: float
    lines: int


def _clean_mask(crop: np.ndarray) -> np.ndarray:
    """Ink of a cell without scanner specks (blobs of a few pixels)."""
    mask = cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 21, 30)
    mask = cv2.bitwise_or(mask, (crop < 110).astype(np.uint8) * 255)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 3)
    if n > 1 and small.size:
        mask[np.isin(labels, small[small > 0])] = 0
    return mask


def _span(ink_cols: np.ndarray, gap: int) -> tuple[int, int]:
    """The run of inked columns with the most ink, runs closer than `gap` joined: a line's text
    without the stray mark a few characters away."""
    idx = np.flatnonzero(ink_cols)
    runs: list[list[int]] = [[int(idx[0]), int(idx[0]), 0]]
    for i in idx:
        if i - runs[-1][1] > gap:
            runs.append([int(i), int(i), 0])
        runs[-1][1] = int(i)
        runs[-1][2] += int(ink_cols[i])
    best = max(runs, key=lambda r: r[2])
    return best[0], best[1] + 1


def _body(mask: np.ndarray) -> np.ndarray:
    """The ink without dot-sized blobs (a speck, or a decimal point or comma): where text lines
    stand and how far they reach is decided by strokes; a speck a few characters away from a digit
    would otherwise stretch its line and be read as letters ('8' as 'WYE8'). The dots inside a line
    stay in its image."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    dots = np.flatnonzero((w <= _DOT[0]) & (h <= _DOT[1]))
    dots = dots[dots > 0]
    if n <= 1 or not dots.size:
        return mask
    out = mask.copy()
    out[np.isin(labels, dots)] = 0
    return out


def line_boxes(crop: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The text lines of a cell image as boxes (x0, y0, x1, y1), top to bottom; [] for a blank cell."""
    mask = _body(_clean_mask(crop))
    rows = np.flatnonzero(np.count_nonzero(mask, axis=1) >= 1)
    if rows.size == 0:
        return []
    bands: list[list[int]] = [[int(rows[0]), int(rows[0])]]
    for r in rows[1:]:
        if r - bands[-1][1] <= 2:
            bands[-1][1] = int(r)
        else:
            bands.append([int(r), int(r)])
    out = []
    for y0, y1 in bands:
        if y1 - y0 + 1 < _MIN_LINE:
            continue
        x0, x1 = _span(np.count_nonzero(mask[y0 : y1 + 1], axis=0), 2 * (y1 - y0 + 1))
        out.append((x0, y0, x1, y1 + 1))
    return out


def line_image(crop: np.ndarray, box: tuple[int, int, int, int], second: bool = False) -> np.ndarray:
    """One text line of a cell, framed in white, as the recogniser takes it (BGR). The second pass
    frames it wider, with the neighbouring pixels, and doubles its size."""
    x0, y0, x1, y1 = box
    if second:
        piece = crop[max(0, y0 - 2) : y1 + 2, max(0, x0 - 3) : x1 + 3]
        piece = cv2.resize(piece, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)
        piece = cv2.copyMakeBorder(piece, 8, 8, 16, 16, cv2.BORDER_CONSTANT, value=255)
    else:
        piece = cv2.copyMakeBorder(crop[y0:y1, x0:x1], _PAD, _PAD, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(piece, cv2.COLOR_GRAY2BGR)


def recognise(images: list[np.ndarray]) -> list[tuple[str, float]]:
    """RapidOCR's recogniser on text-line images (batched): (text, score) each."""
    if not images:
        return []
    results, _ = _rapid().text_rec(images)
    return [(str(text), float(score)) for text, score in results]


def read_cells(crops: list[np.ndarray], second: bool = False) -> list[Reading]:
    """Read cell images: every text line recognised alone, the lines of a cell joined; the cell's
    confidence is its least sure line (1.0 for a blank cell). A one-line reading that looks like a
    misread number is read again two other ways (`_vote`)."""
    boxes = [line_boxes(c) for c in crops]
    found = recognise([line_image(c, b, second) for c, bs in zip(crops, boxes, strict=True) for b in bs])
    readings: list[Reading] = []
    pos = 0
    for bs in boxes:
        part = found[pos : pos + len(bs)]
        pos += len(bs)
        text = "".join(t for t, _ in part)
        score = min((s for _, s in part), default=1.0)
        fixed = separators(text)
        if fixed is not None:  # the digits as read, the separators set by the amount's shape
            text, score = fixed, score if _same_digits(text, fixed) else min(score, REPAIRED)
        else:
            text = label(text)
        readings.append(_specks(Reading(text, _doubt(text, score), len(bs))))
    if second:
        return readings
    return _vote(crops, boxes, readings)


_PUNCTUATION = re.compile(r"^[.,:;'\"`·．，。：；、‘’“”]+$")


def _specks(r: Reading) -> Reading:
    """Scanner specks read as punctuation in a blank cell: blank, not quite sure."""
    if _PUNCTUATION.match(squash(r.text)):
        return Reading("", min(r.confidence, 0.9), r.lines)
    return r


def _vote(crops: list[np.ndarray], boxes: list[list[Any]], readings: list[Reading]) -> list[Reading]:
    """Doubted one-line numbers ('2;225.27', '23:26') read again, specks removed, in two framings;
    when both give the same well-formed number it stands, below SURE — so a rule can use it, but
    never confirm an error with it. Otherwise the doubted reading stays."""
    todo = [i for i, r in enumerate(readings) if r.lines == 1 and r.confidence <= 0.5 and digitish(r.text)]
    if not todo:
        return readings
    clean = [_despeckled(crops[i]) for i in todo]
    images = [line_image(c, boxes[i][0]) for c, i in zip(clean, todo, strict=True)]
    wider = [line_image(c, boxes[i][0], True) for c, i in zip(clean, todo, strict=True)]
    again = recognise(images + wider)
    out = list(readings)
    for k, i in enumerate(todo):
        (a, sa), (b, sb) = again[k], again[k + len(todo)]
        if squash(a) == squash(b) and _WELL_FORMED.match(squash(a)) and parse_amount(a).value is not None:
            out[i] = Reading(a, min(sa, sb, 0.9), 1)
    return out


def _despeckled(crop: np.ndarray) -> np.ndarray:
    """The cell with everything but its ink (specks removed) turned white: a speck by a decimal
    point makes ':' of '.', one by a comma ';' of ','."""
    keep = cv2.dilate(_clean_mask(crop), np.ones((2, 2), np.uint8))
    return np.where(keep > 0, crop, np.uint8(255)).astype(np.uint8)


_DIGITISH = re.compile(r"[0-9０-９]")
_ONE_DECIMAL = re.compile(r"^\d+\.\d$")
_WELL_FORMED = re.compile(r"^[-(]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$")


_GROUPS = re.compile(r"^(-?)(\d+(?:[.,:;'·，。．：；]\d+)+)$")


def separators(text: str) -> str | None:
    """An amount whose separators OCR confused, written right ('2,225,27' → '2,225.27', '2.211.04'
    → '2,211.04', '23:26' → '23.26'): amounts print two decimals, so a last group of two digits
    follows the decimal point and every group before it is a thousands group ('2,22527': the point
    dropped after a thousands group). None when the text is no such amount or is already right."""
    squashed = squash(text)
    m = _GROUPS.match(squashed)
    if m is None:
        return None
    groups = re.split(r"\D", m.group(2))
    if len(groups[-1]) == 5:  # '2,22527': the decimal point dropped after a thousands group
        groups[-1:] = [groups[-1][:3], groups[-1][3:]]
    head, last = groups[:-1], groups[-1]
    if len(last) != 2 or (len(head) > 1 and not (len(head[0]) <= 3 and all(len(g) == 3 for g in head[1:]))):
        return None
    fixed = f"{m.group(1)}{','.join(head)}.{last}"
    return None if fixed == squashed else fixed


_MIXED = (re.compile(r"\(([^()（）]*)）"), re.compile(r"（([^()（）]*)\)"))


def label(text: str) -> str:
    """A label as OCR read it, its usual slips undone: '、一般…' (the numeral of '一、' lost) loses
    the '、'; a bracket pair read half one width, half the other ('(室）') is full-width, as the
    classification's names print it."""
    if text.startswith("、"):
        text = text[1:]
    for mixed in _MIXED:
        text = mixed.sub(r"（\1）", text)
    return text


def _same_digits(read: str, fixed: str) -> bool:
    """Only commas and points swapped (the recogniser's usual slip), nothing inserted and no other
    mark ('23:26' has a speck by its point): the reading is as sure as the recogniser says."""
    marks = re.findall(r"\D", squash(read).lstrip("-"))
    return all(m in ",." for m in marks) and len(marks) == len(re.findall(r"\D", fixed.lstrip("-")))


def digitish(text: str) -> bool:
    """Mostly digits: a code, an amount, a 栏次 number (or a misreading of one)."""
    squashed = squash(text)
    return bool(squashed) and len(_DIGITISH.findall(squashed)) * 2 > len(squashed)


def _doubt(text: str, score: float) -> float:
    """Mostly digits that are no amount ('23:26', '2.211.04') is a misreading, whatever the score."""
    squashed = squash(text)
    if digitish(text) and parse_code(text)[0] is None and not _WELL_FORMED.match(squashed):
        return min(score, 0.5)
    if _ONE_DECIMAL.match(squashed):  # amounts print two decimals: '3010.6' is a code misread
        return min(score, 0.5)
    return score


def agree(first: Reading, second: Reading) -> bool:
    """Two readings of one cell say the same: the same amount, else the same squashed text."""
    a, b = parse_amount(first.text).value, parse_amount(second.text).value
    if a is not None or b is not None:
        return a == b
    return squash(first.text) == squash(second.text)


def detect_and_read(page: np.ndarray) -> list[tuple[tuple[int, int, int, int], str, float]]:
    """Detection and recognition on a band of a page (the text outside tables): ((x0, y0, x1, y1),
    text, score) per detected line."""
    result, _ = _rapid()(page, use_cls=False)
    out = []
    for quad, text, score in result or []:
        xs = [int(p[0]) for p in quad]
        ys = [int(p[1]) for p in quad]
        out.append(((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
    return out
