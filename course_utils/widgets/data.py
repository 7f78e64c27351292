"""Notebook 01: sliders for the distance, spread and sizes of the two classes."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..data import bayes_error, class_centres, make_two_gaussians
from ..plots.data import scatter_classes
from ._base import SliderFigure

_LIMITS = 8.0


def _slider(kind, description, value, low, high, step):
    return kind(
        value=value, min=low, max=high, step=step, description=description, continuous_update=False
    )


def data_explorer(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0) -> SliderFigure:
    """Sliders for ``distance``, ``sigma`` and the class counts over a scatter of the data.

    The title shows the Bayes error ``Φ(-distance / (2·sigma))`` for the current sliders.
    The same ``seed`` is used for every redraw, so a slider move changes only what it says.
    """
    sliders = {
        "distance": _slider(widgets.FloatSlider, "distance", distance, 0.0, 8.0, 0.5),
        "sigma": _slider(widgets.FloatSlider, "sigma", sigma, 0.25, 3.0, 0.25),
        "n0": _slider(widgets.IntSlider, "class 0 count", n0, 20, 400, 20),
        "n1": _slider(widgets.IntSlider, "class 1 count", n1, 20, 400, 20),
    }
    fig = Figure(figsize=(6, 5.5), layout="constrained")
    ax = fig.add_subplot()
    data = make_two_gaussians(max(distance, 1e-9), sigma, n0, n1, seed=seed)
    points0, points1, centres = scatter_classes(data.X, data.y, distance=max(distance, 1e-9), ax=ax)
    ax.set_xlim(-_LIMITS, _LIMITS)
    ax.set_ylim(-_LIMITS, _LIMITS)
    ax.set_aspect("equal", adjustable="box")

    def update(distance, sigma, n0, n1):
        # distance 0 is a legal slider position: both classes at the origin.
        distance = max(distance, 1e-9)
        data = make_two_gaussians(distance, sigma, n0, n1, seed=seed)
        points0.set_offsets(data.X[data.y == 0])
        points1.set_offsets(data.X[data.y == 1])
        centres.set_offsets(class_centres(distance))
        ax.set_title(
            f"distance {distance:.1f}, sigma {sigma:.2f}: "
            f"Bayes error {bayes_error(distance, sigma):.1%}"
        )

    return SliderFigure(fig, sliders, update)
