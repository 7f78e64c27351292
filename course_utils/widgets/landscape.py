"""Notebook 04: sliders for distance and sigma reshaping the full-batch landscape."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .._docs import shared_parameters
from ..data import bayes_optimal_weights, make_two_gaussians
from ..landscape import grid_window, loss_landscape
from ..optimum import find_minimum
from ..plots.common import extent, inside_limits, label_colour_bar, legend_in_view, loss_norm
from ..plots.landscape import landscape_map, mark_weights
from ._base import SliderFigure
from .common import corner_note

_GRID = 61


@shared_parameters
def landscape_explorer(distance=5.0, sigma=1.0, n_per_class=200, seed=0) -> SliderFigure:
    """Sliders ``distance`` and ``sigma`` over the full-batch landscape of fresh data.

    The window follows the minimum (as :func:`course_utils.grid_window`); the refined minimum
    and ``w*`` are marked, visible wherever they land; the legend lists only what is inside
    the window, and a note says where ``w*`` is when it is outside; the title says when the
    data are separable (no minimum).

    Each slider position is computed once (data, minimum, landscape) and kept, so returning
    to a position costs only the drawing; the layout is fixed, so a move draws the two axes
    and nothing else.

    Parameters
    ----------
    n_per_class : int >= 1
        Points of each class.

    Returns
    -------
    SliderFigure
        Sliders ``distance`` and ``sigma``.
    """
    sliders = {
        "distance": widgets.FloatSlider(
            value=distance,
            min=1.0,
            max=8.0,
            step=1.0,
            description="distance",
            continuous_update=False,
        ),
        "sigma": widgets.FloatSlider(
            value=sigma, min=0.5, max=2.5, step=0.25, description="sigma", continuous_update=False
        ),
    }
    cache = {}

    def solved(distance, sigma):
        key = (round(float(distance), 6), round(float(sigma), 6))
        if key not in cache:
            data = make_two_gaussians(distance, sigma, n_per_class, n_per_class, seed=seed)
            minimum = find_minimum(data.X, data.y)  # once per position
            w1, w2 = grid_window(data.X, data.y, _GRID, minimum=minimum)
            cache[key] = (minimum, w1, w2, loss_landscape(data.X, data.y, w1, w2))
        return cache[key]

    # A fixed layout with room for the widest tick labels ("-10") and the colour bar's labels:
    # nothing is cut at any slider position, and no layout is solved at each move.
    fig = Figure(figsize=(6.5, 5.5), layout="none")
    ax = fig.add_axes((0.13, 0.1, 0.64, 0.8))
    cax = fig.add_axes((0.8, 0.1, 0.035, 0.8))
    minimum, w1, w2, surface = solved(distance, sigma)
    image, contours = landscape_map(surface, w1, w2, ax=ax, colorbar=False)
    bar = fig.colorbar(image, cax=cax, label="cross-entropy loss (log scale)")
    for axis in (ax.xaxis, ax.yaxis):  # fewer tick labels: text is most of a redraw's cost
        axis.set_major_locator(MaxNLocator(nbins=6))
    state = {"contours": contours}
    star, ring = mark_weights(
        {"refined minimum": np.zeros(2), "Bayes-optimal $w^*$": np.zeros(2)}, ax=ax, legend=False
    )
    note = corner_note(ax)

    def update(distance, sigma):
        minimum, w1, w2, surface = solved(distance, sigma)
        norm = loss_norm(surface)
        image.set_data(surface)
        image.set_extent(extent(w1, w2))
        image.set_norm(norm)
        label_colour_bar(bar)  # a new norm brings back the default ticks
        state["contours"].remove()
        state["contours"] = ax.contour(
            w1, w2, surface, levels=np.geomspace(norm.vmin, norm.vmax, 10), colors="white",
            linewidths=0.6, alpha=0.7,
        )  # fmt: skip
        ax.set_xlim(*extent(w1, w2)[:2])
        ax.set_ylim(*extent(w1, w2)[2:])
        star.set_offsets([minimum.w] if not minimum.separable else np.empty((0, 2)))
        w_star = bayes_optimal_weights(distance, sigma)
        ring.set_offsets([w_star])
        outside = not inside_limits(ax, w_star)
        note.set_text(
            f"$w^*$ = ({w_star[0]:.1f}, {w_star[1]:.1f}) is outside the window" if outside else ""
        )
        note.set_visible(outside)
        legend_in_view(ax, loc="upper right", framealpha=0.85)
        found = (
            "separable: no minimum"
            if minimum.separable
            else f"minimum ({minimum.w[0]:.2f}, {minimum.w[1]:.2f})"
        )
        ax.set_title(f"distance {distance:.0f}, sigma {sigma:.2f}: {found}")
        return [ax, cax]  # everything else in the figure stays as it is

    return SliderFigure(fig, sliders, update)
