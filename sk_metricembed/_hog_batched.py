"""Batched HOG: :func:`skimage.feature.hog` for a whole stack of images at once.

The arithmetic follows skimage's, including its single-precision
accumulation of the cell histograms, so the output matches skimage to
rounding (the tests compare both); skimage stays the reference.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")
# skimage's block normalisation constant.
_EPS = 1e-5
# Images per batch are capped so that the temporaries stay in cache.
_PIXELS_PER_BATCH = 2**19


def _gradients(
    images: np.ndarray, n_cells: tuple[int, int], pixels_per_cell: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column gradients of the pixels that lie in a cell.

    ``images`` is ``(h, w, n)`` or ``(h, w, c, n)`` (image index last, so
    every operation runs along long contiguous rows). Gradients are central
    differences, zero on the image border; for colour images each pixel takes
    the gradient of its strongest channel. Both results are laid out
    ``(pixel in cell, cell row, cell column, image)`` and flattened to
    ``(pixels_per_cell, cells)``.
    """
    height, width = images.shape[:2]
    (n_cells_row, n_cells_col), (cell_rows, cell_cols) = n_cells, pixels_per_cell
    crop_rows, crop_cols = n_cells_row * cell_rows, n_cells_col * cell_cols
    g_row = np.zeros((crop_rows, crop_cols, *images.shape[2:]), images.dtype)
    g_col = np.zeros_like(g_row)
    last_row, last_col = min(crop_rows, height - 1), min(crop_cols, width - 1)
    np.subtract(
        images[2 : last_row + 1, :crop_cols],
        images[: last_row - 1, :crop_cols],
        out=g_row[1:last_row],
    )
    np.subtract(
        images[:crop_rows, 2 : last_col + 1],
        images[:crop_rows, : last_col - 1],
        out=g_col[:, 1:last_col],
    )
    if images.ndim == 4:
        strongest = np.hypot(g_row, g_col).argmax(axis=2)[:, :, None]
        g_row = np.take_along_axis(g_row, strongest, axis=2)[:, :, 0]
        g_col = np.take_along_axis(g_col, strongest, axis=2)[:, :, 0]

    def by_pixel_in_cell(values: np.ndarray) -> np.ndarray:
        values = values.reshape(n_cells_row, cell_rows, n_cells_col, cell_cols, -1)
        return values.transpose(1, 3, 0, 2, 4).reshape(cell_rows * cell_cols, -1)

    return by_pixel_in_cell(g_row), by_pixel_in_cell(g_col)


def _orientation_bins(
    g_row: np.ndarray, g_col: np.ndarray, orientations: int
) -> np.ndarray:
    """Orientation bin of each gradient, decided exactly as skimage does.

    skimage compares ``rad2deg(arctan2(g_row, g_col)) % 180`` with the bin
    edges ``180 / orientations * i``; the same angle and comparisons are
    used here (an angle on or past the last edge gets bin ``orientations``,
    which skimage ignores).
    """
    angle = np.rad2deg(np.arctan2(g_row, g_col))
    # `% 180` without np.remainder, which is several times slower; for
    # angles in [-180, 180] these two exact steps give the same values.
    angle -= 180.0 * (angle >= 180)
    angle += 180.0 * (angle < 0)
    edges = np.append(180.0 / orientations * np.arange(orientations + 1), np.inf)
    bins = np.minimum((angle * (orientations / 180.0)).astype(np.intp), orientations)
    # The estimate is off by at most one; the comparisons make it exact.
    bins -= angle < edges[bins]
    bins += angle >= edges[bins + 1]
    return bins


def _cell_histograms(
    images: np.ndarray, pixels_per_cell: tuple[int, int], orientations: int
) -> np.ndarray:
    """Orientation histograms ``(n, n_cells_row, n_cells_col, orientations)``.

    skimage sums each cell's magnitudes pixel by pixel (row-major) into a
    C ``float``; the loop over pixel positions below repeats that rounding
    for all cells at once, which is what makes the result match exactly.
    Pixels without gradient add nothing and are skipped.
    """
    height, width, n = images.shape[0], images.shape[1], images.shape[-1]
    cell_rows, cell_cols = pixels_per_cell
    n_cells = (height // cell_rows, width // cell_cols)
    g_row, g_col = _gradients(images, n_cells, pixels_per_cell)
    n_cells_total = g_row.shape[1]
    voting = np.flatnonzero((g_row != 0) | (g_col != 0))
    g_row = g_row.reshape(-1)[voting].astype(np.float64, copy=False)
    g_col = g_col.reshape(-1)[voting].astype(np.float64, copy=False)
    magnitude = np.hypot(g_col, g_row)
    index = _orientation_bins(g_row, g_col, orientations)
    # One spare bin per cell takes the ignored angles.
    index += (voting % n_cells_total) * (orientations + 1)
    # `voting` is sorted, so each pixel position is one contiguous run, and
    # within a run every cell appears once.
    run_starts = np.arange(cell_rows * cell_cols + 1) * n_cells_total
    runs = np.searchsorted(voting, run_starts)
    histogram = np.zeros(n_cells_total * (orientations + 1), dtype=np.float32)
    for start, stop in zip(runs[:-1], runs[1:]):
        cells = index[start:stop]
        total = histogram[cells].astype(np.float64) + magnitude[start:stop]
        histogram[cells] = total.astype(np.float32)
    histogram = histogram.reshape(*n_cells, n, orientations + 1)[..., :orientations]
    histogram = histogram / np.float32(cell_rows * cell_cols)
    return histogram.transpose(2, 0, 1, 3).astype(np.float64)


def _normalize_blocks(
    histogram: np.ndarray, cells_per_block: tuple[int, int], block_norm: str
) -> np.ndarray:
    """Normalised blocks ``(n, n_blocks_row, n_blocks_col, b_row, b_col, o)``."""
    blocks = sliding_window_view(histogram, cells_per_block, axis=(1, 2))
    blocks = blocks.transpose(0, 1, 2, 4, 5, 3)
    axes = (3, 4, 5)
    if block_norm in ("L1", "L1-sqrt"):
        out = blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + _EPS)
        return np.sqrt(out) if block_norm == "L1-sqrt" else out
    out = blocks / np.sqrt((blocks**2).sum(axis=axes, keepdims=True) + _EPS**2)
    if block_norm == "L2-Hys":
        out = np.minimum(out, 0.2)
        out /= np.sqrt((out**2).sum(axis=axes, keepdims=True) + _EPS**2)
    return out


def _hog_batch(images: np.ndarray, params: dict) -> np.ndarray:
    """HOG feature vectors of ``images`` (n, h, w[, c]), channels last."""
    if params["transform_sqrt"]:
        images = np.sqrt(images)
    # Image index last: (n, h, w[, c]) -> (h, w[, c], n).
    stacked = np.ascontiguousarray(np.moveaxis(images, 0, -1))
    histogram = _cell_histograms(
        stacked, params["pixels_per_cell"], params["orientations"]
    )
    blocks = _normalize_blocks(
        histogram, params["cells_per_block"], params["block_norm"]
    )
    return blocks.reshape(len(images), -1).astype(images.dtype)


def hog_stack(images: np.ndarray, params: dict) -> np.ndarray:
    """:func:`_hog_batch` over memory-bounded slices of ``images``."""
    batch_size = max(1, _PIXELS_PER_BATCH // math.prod(images.shape[1:]))
    return np.concatenate(
        [
            _hog_batch(images[start : start + batch_size], params)
            for start in range(0, len(images), batch_size)
        ]
    )
