"""A scanned page as a grey image, turned straight: rendering (pypdfium2) and deskew by the table rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

MIN_DPI, MAX_DPI = 150, 300
_MAX_SKEW = 3.0  # degrees; a page leaning more than this is not corrected by the rules


@dataclass(frozen=True)
class PageImage:
    """One page rendered grey (0 black … 255 white) at `dpi`, straightened by `angle` degrees."""

    page: int  # 1-based
    dpi: float
    angle: float
    pixels: np.ndarray  # uint8, rows × cols
    turn: int = 0  # degrees clockwise the page was turned to stand upright (a scan fed in sideways)

    def to_points(self, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        """A pixel box (x0, y0, x1, y1) → PDF points, origin top-left (the cells' convention)."""
        k = 72.0 / self.dpi
        return (round(box[0] * k, 2), round(box[1] * k, 2), round(box[2] * k, 2), round(box[3] * k, 2))


def native_dpi(page: pdfium.PdfPage) -> float:
    """The resolution of the page's largest image (the scan), within MIN_DPI..MAX_DPI."""
    best = 0.0
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
        if not isinstance(obj, pdfium.PdfImage):
            continue
        wpx, _ = obj.get_px_size()
        x0, _, x1, _ = obj.get_bounds()
        if x1 - x0 > 1:
            best = max(best, wpx * 72.0 / (x1 - x0))
    return float(min(max(best or MIN_DPI, MIN_DPI), MAX_DPI))


def render(pdf: pdfium.PdfDocument, index: int) -> tuple[np.ndarray, float]:
    """Page `index` (0-based) as grey pixels at its scan's resolution, upright (/Rotate applied)."""
    page = pdf[index]
    dpi = native_dpi(page)
    bitmap = page.render(scale=dpi / 72.0, grayscale=True, may_draw_forms=False)
    pixels = np.array(bitmap.to_numpy(), dtype=np.uint8)
    if pixels.ndim == 3:
        pixels = pixels[:, :, 0]
    return pixels, dpi


def ink(grey: np.ndarray) -> np.ndarray:
    """Binary ink mask (255 = ink), tolerant of grain: adaptive threshold after a light blur."""
    smooth = cv2.GaussianBlur(grey, (3, 3), 0)
    return cv2.adaptiveThreshold(smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 25)


def horizontal_rules(mask: np.ndarray, length: int) -> np.ndarray:
    """The horizontal strokes at least `length` pixels long (table rules; text has none that long)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)


def skew_angle(grey: np.ndarray) -> float:
    """The page's skew in degrees, from its long horizontal rules (0.0 when it has none): a line
    fitted through each long rule, the length-weighted median of their slopes."""
    rules = horizontal_rules(ink(grey), max(40, grey.shape[1] // 40))
    joined = cv2.dilate(rules, np.ones((5, 1), np.uint8))  # a leaning rule is a staircase of runs
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    slopes: list[float] = []
    weights: list[float] = []
    limit = np.tan(np.radians(_MAX_SKEW))
    for i in range(1, n):
        x, y, w, h = stats[i, :4]
        if w < grey.shape[1] // 6 or h > w * limit + 8:
            continue
        box = (labels[y : y + h, x : x + w] == i) & (rules[y : y + h, x : x + w] > 0)
        ys, xs = np.nonzero(box)
        slopes.append(float(np.polyfit(xs, ys, 1)[0]))
        weights.append(float(w))
    if not slopes:
        return 0.0
    order = np.argsort(slopes)
    cum = np.cumsum(np.asarray(weights)[order])
    return float(np.degrees(np.arctan(slopes[order[np.searchsorted(cum, cum[-1] / 2)]])))


def straighten(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate the page by -angle (white fill) so that its rules run level."""
    if abs(angle) < 0.02:
        return grey
    h, w = grey.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def page_images(path: Path, turn: int | None = None) -> list[PageImage]:
    """Every page of the PDF at `path`, rendered, turned (`turn`, else as its text reads best) and
    straightened."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page_image(pdf, i, turn) for i in range(len(pdf))]
    finally:
        pdf.close()


def page_image(pdf: pdfium.PdfDocument, index: int, turn: int | None = None) -> PageImage:
    """Page `index` (0-based) rendered, turned upright (by `turn` degrees clockwise, else by the
    way its text reads best: ocr/orient.py) and straightened."""
    from xltools.audit.ocr.orient import best_turn, turned

    grey, dpi = render(pdf, index)
    if turn is None:
        turn = best_turn(grey)
    grey = turned(grey, turn)
    angle = skew_angle(grey)
    return PageImage(index + 1, dpi, angle, straighten(grey, angle), turn)
