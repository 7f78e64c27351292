"""Helpers every figure shares.

Axes, checked surfaces, log colour scales and their ticks, the batch colours, and the rules
that keep markers and legends honest. What other modules use is public here.
"""

from __future__ import annotations

import math

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FixedLocator, Locator, NullLocator

from .._docs import shared_parameters
from .._validation import check_grid
from .style import BATCH_COLOURS, LOSS_CMAP


def axes_or_new(ax=None, figsize=(6.5, 5.5), **subplot_kw):
    """Return ``ax`` itself, or the axes of a new pyplot figure of ``figsize``.

    ``subplot_kw`` is passed on to ``add_subplot``, e.g. ``projection="3d"``.
    """
    if ax is not None:
        return ax
    return plt.figure(figsize=figsize).add_subplot(**subplot_kw)


def checked_surface(landscape, w1, w2):
    """``(surface, w1, w2)`` as float arrays, ``surface`` of shape (len(w2), len(w1)).

    Raises
    ------
    ValueError
        When the grid axes are not increasing 1-D arrays or the shape does not match.
    """
    w1, w2 = check_grid(w1, w2)
    surface = np.asarray(landscape, dtype=float)
    if surface.shape != (w2.size, w1.size):
        raise ValueError(
            f"landscape must have shape (len(w2), len(w1)) = {(w2.size, w1.size)}, "
            f"got {surface.shape}"
        )
    return surface, w1, w2


@shared_parameters
def batch_colour(k: int) -> str:
    """Return the colour of minibatch ``k`` in every figure.

    Parameters
    ----------
    k : int >= 0
        The batch's index (the palette repeats).

    Returns
    -------
    str
        A matplotlib colour.
    """
    return BATCH_COLOURS[k % len(BATCH_COLOURS)]


@shared_parameters
def loss_norm(landscape, low=None) -> LogNorm:
    """Return a logarithmic colour scale from the landscape's minimum (or ``low``) to its maximum.

    The loss spans orders of magnitude over a window (0.01 near the minimum, 10 at the
    corners): on a linear scale the whole basin would be one colour.

    Parameters
    ----------
    low : float or None
        The bottom of the scale; None: the landscape's minimum.

    Returns
    -------
    matplotlib.colors.LogNorm
    """
    surface = np.asarray(landscape, dtype=float)
    vmin = float(surface.min()) if low is None else float(low)
    return LogNorm(vmin=max(vmin, 1e-12), vmax=max(float(surface.max()), 2 * max(vmin, 1e-12)))


# Mantissas of "round" tick values, from sparse to dense; the first set that gives at least
# three ticks inside the range is used.
_TICK_MANTISSAS = (
    (1,),
    (1, 3),
    (1, 2, 5),
    (1, 1.5, 2, 3, 5, 7),
    (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9),
    tuple(np.round(np.arange(1.0, 10.0, 0.1), 1)),
)


@shared_parameters
def log_ticks(vmin: float, vmax: float, at_least: int = 3, at_most: int = 8) -> np.ndarray:
    """Return round values (1, 2, 5, 10, ...) inside ``[vmin, vmax]`` for a log axis.

    At least ``at_least`` of them however short the range, at most ``at_most`` when possible.

    Parameters
    ----------
    vmin : float > 0
        The bottom of the range.
    vmax : float > vmin
        The top of the range.
    at_least : int
        The fewest values returned.
    at_most : int
        The most values returned, where the range allows.

    Returns
    -------
    ndarray of shape (k,)
        Increasing.
    """
    if not 0 < vmin < vmax:
        raise ValueError(f"need 0 < vmin < vmax, got {vmin}, {vmax}")
    decades = np.arange(np.floor(np.log10(vmin)) - 1, np.ceil(np.log10(vmax)) + 1)
    best = np.array([])
    for mantissas in _TICK_MANTISSAS:
        # tenths (10..99) times a power of ten, one rounding: 3e-20 is the literal 3e-20
        # (rounding to 12 decimals turned every value below 5e-13 into 0)
        tenths, power = np.round(np.multiply(mantissas, 10)), decades[:, None] - 1
        scaled = np.where(power >= 0, tenths * 10.0 ** abs(power), tenths / 10.0 ** abs(power))
        values = np.unique(scaled.ravel())
        inside = values[(values >= vmin * (1 - 1e-9)) & (values <= vmax * (1 + 1e-9))]
        if inside.size > at_most and best.size >= at_least:
            break
        best = inside
        if inside.size >= at_least:
            if inside.size > at_most:  # every k-th value, from the top: even on the log axis
                step = math.ceil(inside.size / at_most)
                inside = inside[::-1][::step][::-1]
            return inside
    return best if best.size >= at_least else np.geomspace(vmin, vmax, at_least)


class _RoundLogLocator(Locator):
    """Round values (1, 3, 10 or 1, 2, 5, ...) inside the axis's view, at least ``at_least``."""

    def __init__(self, at_least: int = 3):
        self.at_least = at_least

    def __call__(self):
        vmin, vmax = sorted(self.axis.get_view_interval())
        return log_ticks(vmin, vmax, at_least=self.at_least) if 0 < vmin < vmax else []


def round_log_axis(axis, ticks=None, at_least: int = 3) -> None:
    """Label a log axis with plain numbers at ``ticks`` (default: round values), no minor ticks.

    Matplotlib's minor ticks on a log axis (eight a decade, each a tick object with its
    label) cost most of the time of drawing these small figures; a few labelled round
    values read as well.
    """
    axis.set_major_locator(FixedLocator(ticks) if ticks is not None else _RoundLogLocator(at_least))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(lambda x, _pos: f"{x:g}")


def label_colour_bar(bar) -> None:
    """Ticks on a log colour bar: at least three labelled round values, as plain numbers."""
    ticks = log_ticks(bar.norm.vmin, bar.norm.vmax)
    bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
    bar.ax.yaxis.set_minor_locator(FixedLocator([]))
    bar.ax.yaxis.set_major_formatter(lambda x, _pos: f"{x:.3g}")


def extent(w1, w2) -> tuple[float, float, float, float]:
    """Return the imshow extent that puts pixel centres on the grid points."""
    h1 = (w1[-1] - w1[0]) / max(w1.size - 1, 1) / 2
    h2 = (w2[-1] - w2[0]) / max(w2.size - 1, 1) / 2
    return (w1[0] - h1, w1[-1] + h1, w2[0] - h2, w2[-1] + h2)


def weight_plane_image(ax, surface, w1, w2, norm, cmap=LOSS_CMAP):
    """``surface`` (shape (len(w2), len(w1))) as an image whose pixels sit on the grid points."""
    return ax.imshow(
        surface,
        origin="lower",
        extent=extent(w1, w2),
        cmap=cmap,
        norm=norm,
        aspect="equal",
        interpolation="nearest",
    )


def log_levels(norm: LogNorm, count=12) -> np.ndarray:
    """Contour levels evenly spaced on the norm's log scale."""
    return np.geomspace(norm.vmin, norm.vmax, count)


# ---- rules that keep markers and legends honest (tested in tests/test_figures.py) ----------


def inside_limits(ax, point) -> bool:
    """Return True when ``point`` (w1, w2) lies inside the axes' current x and y limits."""
    x0, x1 = sorted(ax.get_xlim())
    y0, y1 = sorted(ax.get_ylim())
    return bool(x0 <= point[0] <= x1 and y0 <= point[1] <= y1)


def relative_luminance(colour) -> float:
    """WCAG relative luminance of a colour (0 black, 1 white)."""
    rgb = np.asarray(mcolors.to_rgb(colour))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(a, b) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def legend_in_view(ax, **kwargs):
    """Draw a legend of only the labelled artists that show something inside the axes limits.

    Markers (scatter points) outside the limits, or with no points, are left out; call it
    again after the limits change. Returns the Legend, or None when nothing is to be listed.
    """
    handles, labels = [], []
    for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
        offsets = getattr(handle, "get_offsets", None)
        if offsets is not None:
            points = np.asarray(offsets())
            if points.size == 0 or not any(inside_limits(ax, p) for p in points.reshape(-1, 2)):
                continue
        if not handle.get_visible():
            continue
        handles.append(handle)
        labels.append(label)
    old = ax.get_legend()
    if old is not None:
        old.remove()
    if not handles:
        return None
    return ax.legend(handles, labels, **kwargs)
