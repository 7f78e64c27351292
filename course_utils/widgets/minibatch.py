"""Notebook 05: the batch-size slider over minibatch landscapes, their minima, a slice."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._validation import check_int, check_X_y
from ..landscape import grid_window, loss_landscape
from ..minibatch import minibatch_landscapes, minibatch_minima
from ..optimum import find_minimum
from ..plots.landscape import landscape_map, loss_norm, mark_weights
from ..plots.minibatch import batch_colour, landscape_slice, minibatch_panels, minima_scatter
from ._base import SliderFigure


def batch_size_options(n: int) -> list[int]:
    """Batch sizes for a slider from 1 to n: the divisors of n, thinned to about 15 values."""
    n = check_int("n", n, 1)
    divisors = [b for b in range(1, n + 1) if n % b == 0]
    if len(divisors) <= 15:
        return divisors
    keep = np.unique(np.round(np.geomspace(1, len(divisors), 15)).astype(int) - 1)
    return [divisors[k] for k in keep]


def batch_size_explorer(X, y, batch_size=None, n_panels=4, grid=61, seed=0) -> SliderFigure:
    """The batch-size slider of notebook 05.

    For the chosen batch size B, one epoch of minibatches is drawn (the data shuffled and
    cut into ``N // B`` batches). Top: the landscapes of the first ``n_panels`` batches, on
    the colour scale of the full landscape. Bottom left: the full landscape's contours with
    the minima of every batch in the epoch (separable batches have none). Bottom right: the
    slice ``w2 = w2_min`` through all the landscapes. At B = N the one batch is the data set
    and its landscape is the full one.

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
    w1, w2 = grid_window(X, y, n=grid)
    full = loss_landscape(X, y, w1, w2)
    minimum = find_minimum(X, y)
    row = int(np.argmin(np.abs(w2 - (0.0 if minimum.separable else minimum.w[1]))))
    norm = loss_norm(full)

    fig = Figure(figsize=(3.1 * n_panels, 7.6), layout="constrained")
    grid_spec = fig.add_gridspec(2, n_panels, height_ratios=[1, 1.25])
    top = [fig.add_subplot(grid_spec[0, k]) for k in range(n_panels)]
    panels = minibatch_panels(np.repeat(full[None], n_panels, axis=0), w1, w2, axes=top, norm=norm)
    # Large batches leave fewer batches in an epoch than panels: say so in the empty ones.
    notes = [
        ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=11)
        for ax in top
    ]
    half = n_panels // 2
    map_ax = fig.add_subplot(grid_spec[1, :half])
    landscape_map(full, w1, w2, ax=map_ax, norm=norm, title="Full loss and minibatch minima")
    dots = minima_scatter(np.full((1, 2), np.nan), ax=map_ax)
    if not minimum.separable:
        mark_weights({"refined minimum": minimum.w}, ax=map_ax, legend=False)
    map_ax.axhline(w2[row], color="white", ls="--", lw=1)
    slice_ax = fig.add_subplot(grid_spec[1, half:])
    full_line, batch_lines = landscape_slice(
        w1,
        full[row],
        np.repeat(full[row][None], n_panels, axis=0),
        ax=slice_ax,
        title=f"Slice at $w_2$ = {w2[row]:.2f}",
    )
    slice_ax.set_ylim(norm.vmin / 3, norm.vmax * 1.5)
    slice_ax.set_ylabel("loss (log scale)")

    title = fig.suptitle(" ", fontsize=14)

    def update(batch_size):
        k = n // batch_size
        shown = min(k, n_panels)
        landscapes = minibatch_landscapes(X, y, w1, w2, batch_size, seed=seed)
        for j, (image, line) in enumerate(zip(panels, batch_lines, strict=True)):
            visible = j < shown
            image.set_visible(visible)
            line.set_visible(visible)
            top[j].set_title(f"batch {j + 1} of {k}" if visible else "", color=batch_colour(j))
            notes[j].set_text("" if visible else f"no batch {j + 1}:\nan epoch has only {k}")
            if visible:
                image.set_data(landscapes[j])
                line.set_ydata(landscapes[j, row])
        minima = minibatch_minima(X, y, batch_size, seed=seed)
        dots.set_offsets(minima)
        # The batches shown above keep their colours; the rest of the epoch is grey.
        dots.set_facecolor([batch_colour(j) if j < n_panels else "#BBBBBB" for j in range(k)])
        separable = int(np.isnan(minima[:, 0]).sum())
        title.set_text(
            f"B = {batch_size}: {k} batch{'es' if k > 1 else ''} in an epoch, "
            f"{separable} of them separable (no minimum)"
        )
        titles = [ax.title for ax in top]
        return [*panels, *batch_lines, full_line, dots, title, *titles, *notes]

    return SliderFigure(fig, sliders, update)
