"""Notebook 04: sliders for distance and sigma reshaping the full-batch landscape."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..data import bayes_optimal_weights, make_two_gaussians
from ..landscape import grid_window, loss_landscape
from ..optimum import find_minimum
from ..plots.landscape import (
    extent,
    landscape_map,
    log_levels,
    loss_norm,
    mark_weights,
    plain_log_ticks,
)
from ._base import SliderFigure

_GRID = 61


def landscape_explorer(distance=5.0, sigma=1.0, n_per_class=200, seed=0) -> SliderFigure:
    """Sliders ``distance`` and ``sigma`` over the full-batch landscape of fresh data.

    The window follows the minimum (:func:`course_utils.grid_window`); the refined minimum
    and ``w*`` are marked; the title says when the data are separable (no minimum).
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
    fig = Figure(figsize=(6.5, 5.5), layout="constrained")
    ax = fig.add_subplot()
    state = {}

    def landscape(distance, sigma):
        data = make_two_gaussians(distance, sigma, n_per_class, n_per_class, seed=seed)
        w1, w2 = grid_window(data.X, data.y, n=_GRID)
        return data, w1, w2, loss_landscape(data.X, data.y, w1, w2)

    data, w1, w2, surface = landscape(distance, sigma)
    image, state["contours"] = landscape_map(surface, w1, w2, ax=ax)
    star, cross = mark_weights(
        {"refined minimum": np.zeros(2), "Bayes-optimal $w^*$": np.zeros(2)}, ax=ax
    )

    def update(distance, sigma):
        data, w1, w2, surface = landscape(distance, sigma)
        norm = loss_norm(surface)
        image.set_data(surface)
        image.set_extent(extent(w1, w2))
        image.set_norm(norm)
        plain_log_ticks(image.colorbar.ax.yaxis)  # a new norm brings back default labels
        state["contours"].remove()
        state["contours"] = ax.contour(
            w1, w2, surface, levels=log_levels(norm), colors="white", linewidths=0.6, alpha=0.7
        )
        ax.set_xlim(*extent(w1, w2)[:2])
        ax.set_ylim(*extent(w1, w2)[2:])
        minimum = find_minimum(data.X, data.y)
        star.set_offsets([minimum.w] if not minimum.separable else np.empty((0, 2)))
        cross.set_offsets([bayes_optimal_weights(distance, sigma)])
        found = (
            "separable: no minimum"
            if minimum.separable
            else (f"minimum ({minimum.w[0]:.2f}, {minimum.w[1]:.2f})")
        )
        ax.set_title(f"distance {distance:.0f}, sigma {sigma:.2f}: {found}")

    return SliderFigure(fig, sliders, update)
