"""Notebook 05: the batch-size slider over minibatch landscapes, their minima, a slice."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, MaxNLocator

from .. import _engine
from .._docs import shared_parameters
from .._validation import check_X_y
from ..landscape import grid_window, loss_landscape
from ..minibatch import batch_indices
from ..optimum import find_minimum
from ..plots.common import batch_colour, label_colour_bar, loss_norm
from ..plots.landscape import MARKERS, landscape_map, mark_weights
from ..plots.minibatch import landscape_slice, minibatch_panels, minima_scatter
from ..training import minima_of_batches
from ._base import SliderFigure
from .common import batch_size_options

OTHER_BATCHES = "#BBBBBB"  # the minima of the batches not shown in a panel
# The explorer's layout, in fractions of its 9.4 x 5.8 in figure: the top row of panels (and
# colour bar), the bottom row (map, legend, slice).
_TOP_LEFT, _TOP_RIGHT, _TOP_BOTTOM, _TOP_HEIGHT = 0.0583, 0.9155, 0.5532, 0.3802
_BOTTOM_BOTTOM, _BOTTOM_HEIGHT = 0.0822, 0.3681


class _CellImage(AxesImage):
    """An image of at most 64 x 64 RGBA cells, drawn nearest: Matplotlib's pixels, found once.

    Matplotlib resamples an image at every draw (~5 ms for a 61 x 61 panel). For nearest
    interpolation each screen pixel shows one cell, and which one depends only on where the
    image sits: an image of the cells' own indices is resampled by Matplotlib once per
    geometry, and each draw then looks the colours up (~0.3 ms), pixel for pixel as before.
    """

    _lookup: tuple | None = None

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        cells = self._A
        if cells.dtype != np.uint8 or cells.ndim != 3 or max(cells.shape[:2]) > 64 or unsampled:
            return super().make_image(renderer, magnification, unsampled)
        key = (
            renderer.width,
            renderer.height,
            magnification,
            cells.shape,
            tuple(self.axes.bbox.bounds),
            tuple(self.axes.viewLim.bounds),
            tuple(self.get_extent()),
        )
        if self._lookup is None or self._lookup[0] != key:
            rows, cols = np.indices(cells.shape[:2])
            index = np.zeros_like(cells)
            # Indices times 4 survive Matplotlib's round trip through floats (it truncates).
            index[..., 0], index[..., 1], index[..., 3] = 4 * rows, 4 * cols, 255
            self._A = index
            try:
                found, x, y, trans = super().make_image(renderer, magnification, unsampled)
            finally:
                self._A = cells
            at = np.rint(found[..., :2] / 4).astype(np.intp)
            flat = at[..., 0] * cells.shape[1] + at[..., 1]  # the cell shown at each pixel
            self._lookup = (key, flat, found[..., 3], x, y, trans)
        _, flat, alpha, x, y, trans = self._lookup
        # Each RGBA cell as one 32-bit number: a flat take, 25x faster than 2-d indexing.
        words = np.ascontiguousarray(cells).view(np.uint32).reshape(-1)
        output = words[flat].view(np.uint8).reshape(*flat.shape, 4)
        output[..., 3] = alpha
        return output, x, y, trans


def _cell_image(image: AxesImage) -> _CellImage:
    """Replace ``image`` in its axes by a :class:`_CellImage` that looks the same."""
    cells = _CellImage(
        image.axes,
        cmap=image.get_cmap(),
        norm=image.norm,
        interpolation=image.get_interpolation(),
        origin=image.origin,
        extent=image.get_extent(),
    )
    cells.set_data(image.get_array())
    cells.set_zorder(image.get_zorder())
    axes = image.axes
    image.remove()
    axes.add_image(cells)
    return cells


def _legend_dot(marker, colour, label, size=7, edge="black") -> Line2D:
    return Line2D([], [], ls="", marker=marker, ms=size, mfc=colour, mec=edge, label=label)


def _narrow_number(value: float, _position=None) -> str:
    """Write a loss as a tick label, small ones as powers ("1e-7", not "1e-07" or "0.0000001").

    The places of the colour bar and of the slice are fixed: their labels must stay narrow
    for the names beside them to keep inside the figure, and clear of the legend.
    """
    if 0 < value < 0.01:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:g}"


def _panel_ticks(half: float) -> np.ndarray:
    """Round ticks for the top panels' window ``[-half, half]``, none near its edges.

    Few ("-5", not "-7.5"), so that the labels beside the first panel fit its margin; none
    within a tenth of the edge, where a panel's last label would run into the next panel's
    first across the narrow gap between them ("4-4" in a window of +-4).

    Parameters
    ----------
    half : float > 0
        The window's half-width, in weight units.

    Returns
    -------
    ndarray of shape (k,), 3 <= k <= 5
        Increasing, symmetric about 0.
    """
    locator = MaxNLocator(5, steps=[1, 2, 5, 10])
    ticks = locator.tick_values(-half, half)
    if np.count_nonzero(np.abs(ticks) <= 0.9 * half) < 3:  # +-6: not just the 0 between +-10
        ticks = locator.tick_values(-0.9 * half, 0.9 * half)
    return ticks[np.abs(ticks) <= 0.9 * half]


@shared_parameters
def batch_size_explorer(X, y, batch_size=None, n_panels=4, grid=61, seed=0) -> SliderFigure:
    """Slide the batch size of notebook 05 over its minibatch landscapes and minima.

    For the chosen batch size B, one epoch of minibatches is drawn (the data shuffled and
    cut into ``N // B`` batches), once: the panels and the minima show the same batches.
    Top: the landscapes of the first ``n_panels`` batches, framed in their colours, on the
    colour scale of the full landscape. Bottom left: the full landscape with the minima of
    every batch in the epoch (separable batches have none; minima outside the window are
    drawn on its edge as triangles, and counted in the title). Bottom right: the slice
    ``w2 = w2_min`` through all the landscapes. At B = N the one batch is the data set and its
    landscape is the full one.

    Parameters
    ----------
    batch_size : int or None
        The slider's start: one of ``batch_size_options(n)``; None: the middle one.
    n_panels : int >= 1
        Minibatch landscapes in the top row.
    grid : int >= 2
        Grid values per axis of the landscapes.

    Returns
    -------
    SliderFigure whose ``sliders["batch_size"]`` is the batch-size slider.
    """
    X, y = check_X_y(X, y)
    n = X.shape[0]
    options = batch_size_options(n)
    batch_size = options[len(options) // 2] if batch_size is None else batch_size
    if batch_size not in options:
        raise ValueError(f"batch_size must be one of {options}, got {batch_size}")
    sliders = {
        "batch_size": widgets.SelectionSlider(
            options=options, value=batch_size, description="batch size"
        )
    }
    # Everything that does not depend on B is computed once.
    minimum = find_minimum(X, y)
    w1, w2 = grid_window(X, y, grid, minimum=minimum)
    full = loss_landscape(X, y, w1, w2)
    row = int(np.argmin(np.abs(w2 - (0.0 if minimum.separable else minimum.w[1]))))
    norm = loss_norm(full)
    half = w1[-1]
    # Each sample's loss at every grid point, (n, grid points), float32 (~6 MB for 400
    # samples on 61 x 61; colours need no more): a batch's landscape is then a mean of rows.
    signed = _engine.signed_points(X, y).astype(np.float32)
    margins = signed @ _engine.grid_points(w1, w2).astype(np.float32)  # (n, grid points)
    per_sample = _engine.softplus(-margins, out=margins)  # the loss of a margin m: softplus(-m)
    # Minima of the batches shown above in their colours, the rest of the epoch grey.
    colours = to_rgba_array([batch_colour(j) for j in range(n_panels)] + [OTHER_BATCHES] * n)

    # Fixed places (figure fractions): what constrained layout finds for this figure, solved
    # once here rather than at every build (~15 % of the build's time, measured).
    # Square panels shrink to fit inside their places, centred, as under constrained layout.
    fig = Figure(figsize=(9.4, 5.8))
    gap, width = 0.014, (_TOP_RIGHT - _TOP_LEFT + 0.014) / n_panels - 0.014
    top = [
        fig.add_axes((_TOP_LEFT + k * (width + gap), _TOP_BOTTOM, width, _TOP_HEIGHT))
        for k in range(n_panels)
    ]
    panels = minibatch_panels(np.repeat(full[None], n_panels, axis=0), w1, w2, axes=top, norm=norm)
    panels = [_cell_image(image) for image in panels]
    to_rgba = panels[0].to_rgba  # the panels' colour scale, as 8-bit RGBA
    ticks = _panel_ticks(half)
    for ax in top:
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(FixedLocator(ticks))
    for ax in top[1:]:
        ax.set_ylabel("")
        ax.tick_params(labelleft=False)
    bar_ax = fig.add_axes((0.9244, _TOP_BOTTOM, 0.0163, _TOP_HEIGHT))
    bar = fig.colorbar(panels[0], cax=bar_ax)
    label_colour_bar(bar)
    bar_ax.yaxis.set_major_formatter(_narrow_number)
    # Named above the bar: beside it, the name would leave the figure when the tick labels
    # are wide ("1e-07" for separable data).
    bar_ax.set_title("loss", fontsize=10, y=1.0)
    # Large batches leave fewer batches in an epoch than panels: say so in the empty ones.
    notes = [
        ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=11)
        for ax in top
    ]
    map_ax = fig.add_axes((0.0068, _BOTTOM_BOTTOM, 0.3564, _BOTTOM_HEIGHT))
    landscape_map(
        full, w1, w2, ax=map_ax, norm=norm, title="Full loss, batch minima", colorbar=False
    )
    map_ax.set_title(map_ax.get_title(), y=1.0)  # placed, not searched at each draw (plots/)
    dots = minima_scatter(np.full((1, 2), np.nan), ax=map_ax)
    edge = map_ax.scatter(
        [], [], marker="^", s=60, color=OTHER_BATCHES, edgecolors="black", linewidths=0.6, zorder=4
    )
    if not minimum.separable:
        mark_weights({"refined minimum": minimum.w}, ax=map_ax, legend=False)
    map_ax.axhline(w2[row], color="white", ls="--", lw=1)
    handles = [
        _legend_dot("o", batch_colour(0), "minimum of a\nbatch above"),
        _legend_dot("o", OTHER_BATCHES, "minimum of\nanother batch"),
        _legend_dot("^", OTHER_BATCHES, "minimum outside\nthe window,\ndrawn on its edge"),
    ]
    if not minimum.separable:
        star = MARKERS["refined minimum"]
        handles.append(_legend_dot("*", star["facecolor"], "full minimum", size=13, edge="white"))
    # Centred between the map and the slice: a figure legend (an Axes of its own, switched
    # off, cost a ninth of the build).
    fig.legend(
        handles=handles,
        loc="center",
        bbox_to_anchor=(0.3721 + 0.2056 / 2, _BOTTOM_BOTTOM + _BOTTOM_HEIGHT / 2),
        fontsize=10,
        frameon=False,
    )
    slice_ax = fig.add_axes((0.6392, _BOTTOM_BOTTOM, 0.3564, _BOTTOM_HEIGHT))
    full_line, batch_lines = landscape_slice(
        w1,
        full[row],
        np.repeat(full[row][None], n_panels, axis=0),
        ax=slice_ax,
        title=f"Slice at $w_2$ = {w2[row]:.2f}",
    )
    slice_ax.set_ylim(norm.vmin / 3, norm.vmax * 1.5)
    slice_ax.yaxis.set_major_formatter(_narrow_number)
    slice_ax.set_ylabel("loss (log scale)")
    slice_legend = slice_ax.get_legend()  # placed clear of the full curve, which never moves

    title = fig.suptitle(" ", fontsize=13, y=0.993)

    def update(batch_size):
        batches = batch_indices(n, batch_size, seed=seed)  # drawn once, used by every panel
        k = batches.shape[0]
        shown = min(k, n_panels)
        if k == 1 and batch_size == n:  # the one batch is the data set: the full landscape
            landscapes = full[None]
        else:  # each shown batch's mean of its samples' losses (no BLAS: its threads
            # spin on a busy machine, 50 ms for what a gather and a sum do in 1 ms)
            landscapes = per_sample[batches[:shown]].mean(axis=1).reshape(shown, *full.shape)
        # Coloured here, all panels in one call: each image then draws its pixels as they are.
        pixels = to_rgba(landscapes.reshape(-1, full.shape[1]), bytes=True).reshape(
            shown, *full.shape, 4
        )
        for j, (image, line) in enumerate(zip(panels, batch_lines, strict=True)):
            visible = j < shown
            image.set_visible(visible)
            line.set_visible(visible)
            notes[j].set_text("" if visible else f"no batch {j + 1}:\nan epoch has only {k}")
            if visible:
                image.set_data(pixels[j])
                line.set_ydata(landscapes[j][row])
        minima = minima_of_batches(X, y, batches)
        found = ~np.isnan(minima[:, 0])
        outside = found & (np.abs(minima) > half).any(axis=1)
        inside = found & ~outside
        dots.set_offsets(np.where(inside[:, None], minima, np.nan))
        # The batches shown above keep their colours; the rest of the epoch is grey.
        dots.set_facecolor(colours[:k])
        edge.set_offsets(np.clip(minima[outside], -half, half).reshape(-1, 2))
        edge.set_facecolor(colours[np.flatnonzero(outside)])
        separable = int((~found).sum())
        away = f", {int(outside.sum())} outside the window" if outside.any() else ""
        title.set_text(
            f"B = {batch_size}: {k} batch{'es' if k > 1 else ''} in an epoch; "
            f"{separable} separable (no minimum){away}"
        )
        # The slice's legend last: the curves of small batches run through its corner.
        return [*panels, *batch_lines, full_line, slice_legend, dots, edge, title, *notes]

    return SliderFigure(fig, sliders, update)
