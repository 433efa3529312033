"""Which way up a scanned page is: a page scanned a quarter or half turn round reads as garbage.

A few text lines are cut out of the page (bands of ink between the rules, as high as a line of
text) and recognised; the turn under which they read best is the page's. Upright pages — nearly
all — cost one small batch: when the page as it stands reads surely, no other turn is tried.
"""

from __future__ import annotations

import cv2
import numpy as np

from xltools.audit.ocr import engine
from xltools.audit.ocr.raster import horizontal_rules, ink
from xltools.text import squash

TURNS = (0, 90, 180, 270)  # clockwise
_UPRIGHT = 0.85  # sample lines read at least this well as they stand: the page is upright
_SAMPLES = 8  # text lines recognised per turn tried
_WIDTH = 480  # px of a sample line kept: a few words are enough to tell
_LINE_CHARS = 4  # a sample read shorter is no line of text (or a 栏次 number)
_MIN_WEIGHT = 20.0  # characters read (score-weighted) that a turn must give before a page is turned


def turned(grey: np.ndarray, turn: int) -> np.ndarray:
    """The page turned `turn` degrees clockwise."""
    return np.ascontiguousarray(np.rot90(grey, k=-(turn // 90) % 4)) if turn else grey


def best_turn(grey: np.ndarray) -> int:
    """The clockwise turn (0/90/180/270) under which the page's text reads best; 0 when the page
    reads well as it stands or shows no text lines."""
    sure, weight = _read(grey)
    if sure >= _UPRIGHT:
        return 0
    weights = {0: weight} | {t: _read(turned(grey, t))[1] for t in TURNS[1:]}
    best = max(weights, key=lambda t: weights[t])
    return best if weights[best] > max(1.5 * weights[0], _MIN_WEIGHT) else 0


def _read(grey: np.ndarray) -> tuple[float, float]:
    """Sample text lines of the page as it stands, recognised: the mean score of lines that read
    as lines (a turned page shows columns of single characters lined up: they can score well,
    but read short), and the characters read weighted by their score (what turns are compared by)."""
    samples = _sample_lines(grey)
    if not samples:
        return 0.0, 0.0
    read = [(len(squash(text)), score) for text, score in engine.recognise(samples)]
    chars = sum(n for n, _ in read)
    sure = float(np.mean([score if n >= _LINE_CHARS else 0.0 for n, score in read]))
    return sure, float(sum(n * score for n, score in read)) if chars else 0.0


def _sample_lines(grey: np.ndarray) -> list[np.ndarray]:
    """Up to _SAMPLES text lines of the page (the inkiest bands of line height), rules removed."""
    mask = ink(grey)
    rules = cv2.bitwise_or(
        horizontal_rules(mask, max(40, grey.shape[1] // 40)),
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 40))),
    )
    text = cv2.bitwise_and(mask, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    profile = np.count_nonzero(text, axis=1)
    scale = grey.shape[1] / 1240  # line heights below are for an A4 side at 150 dpi
    low, high = max(6, int(8 * scale)), int(40 * max(scale, 1.0))
    bands = []
    for y0, y1 in _runs(profile >= 2):
        if low <= y1 - y0 + 1 <= high:
            bands.append((int(profile[y0 : y1 + 1].sum()), y0, y1))
    pieces = []
    for _, y0, y1 in sorted(bands, reverse=True):
        height = y1 - y0 + 1
        cols = np.count_nonzero(text[y0 : y1 + 1], axis=0)
        for x0, x1 in _runs(cols > 0, gap=height):  # one cell's text, one phrase of a line
            if x1 - x0 + 1 >= 2 * height:
                pieces.append(
                    (int(cols[x0 : x1 + 1].sum()), y0, y1, x0, min(x1 + 1, x0 + int(_WIDTH * scale)))
                )
    out = []
    for _, y0, y1, x0, x1 in sorted(pieces, reverse=True)[:_SAMPLES]:
        piece = np.where(text[y0 : y1 + 1, x0:x1] > 0, grey[y0 : y1 + 1, x0:x1], np.uint8(255))
        framed = cv2.copyMakeBorder(piece.astype(np.uint8), 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=255)
        out.append(cv2.cvtColor(framed, cv2.COLOR_GRAY2BGR))
    return out


def _runs(flags: np.ndarray, gap: int = 1) -> list[tuple[int, int]]:
    """(first, last) of each run of set flags, runs less than `gap` apart joined."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
