"""Notebook 02: sliders for the two weights of the classifier."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .._docs import shared_parameters
from .._validation import check_X_y
from ..data import population_accuracy
from ..model import sigmoid
from ..plots.data import (
    arrow_tip,
    boundary_segment,
    decision_boundary,
    probability_map,
    scatter_classes,
)
from ._base import SliderFigure
from .common import polygon_markers

_LIMITS = 6.0
_RESOLUTION = 101  # fine enough for a smooth map, cheap enough for a slider


@shared_parameters
def model_explorer(X, y, w1=1.0, w2=1.0, distance=None, sigma=None) -> SliderFigure:
    """Sliders ``w1`` and ``w2`` over the data, the decision boundary and ``p(y=1 | x)``.

    The title shows the accuracy of the current weights on the sample, and, when the
    ``distance`` and ``sigma`` the sample was drawn with are given, on new data
    (:func:`course_utils.population_accuracy`).

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w1, w2 : float
        The sliders' start values.
    distance, sigma : float > 0, optional
        The classes the sample comes from.

    Returns
    -------
    SliderFigure
        Sliders ``w1`` and ``w2``.
    """
    X, y = check_X_y(X, y)
    if (distance is None) != (sigma is None):
        raise ValueError("distance and sigma must be given together, or neither")
    sliders = {
        name: widgets.FloatSlider(
            value=value, min=-6.0, max=6.0, step=0.5, description=name, continuous_update=False
        )
        for name, value in (("w1", w1), ("w2", w2))
    }
    fig = Figure(figsize=(6.0, 4.4), layout="constrained")
    ax = fig.add_subplot()
    w = np.array([w1, w2], dtype=float)
    image = probability_map(w, ax=ax, limits=_LIMITS, resolution=_RESOLUTION)
    # The same colours, opaque: the map's colour map blended with the white axes once, here,
    # not at every draw (that halves the cost of drawing the map).
    faded = image.get_cmap()(np.linspace(0.0, 1.0, 256))
    faded[:, :3] = image.get_alpha() * faded[:, :3] + (1.0 - image.get_alpha())
    image.set_alpha(None)
    image.set_cmap(ListedColormap(faded, name="faded"))  # the colour bar follows
    points = scatter_classes(X, y, ax=ax)
    polygon_markers(*points)
    line, arrow = decision_boundary(w, ax=ax, limits=_LIMITS)
    # Below the plot, not over the map: the legend is then drawn once, in the cached background
    # (over the map it would be drawn again at every move, a third of a move's time).
    ax.get_legend().remove()
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    # y given: the title's place is not searched again at every full draw (it is the same).
    title = ax.set_title(" ", y=1.0)
    # Everything that does not depend on the sliders, once.
    axis = np.linspace(-_LIMITS, _LIMITS, _RESOLUTION)
    x1, x2 = np.meshgrid(axis, axis)
    is_1 = y == 1

    def update(w1, w2):
        w = np.array([w1, w2], dtype=float)
        image.set_data(sigmoid(w1 * x1 + w2 * x2))
        line.set_data(*boundary_segment(w, _LIMITS).T)
        line.set_visible(bool(np.any(w)))
        arrow.xy = arrow_tip(w, _LIMITS)
        accuracy = np.mean((X @ w > 0) == is_1)
        text = f"w = ({w1:+.1f}, {w2:+.1f}): accuracy {accuracy:.1%}"
        if distance is not None:
            text += f", on new data {population_accuracy(w, distance, sigma):.1%}"
        title.set_text(text)
        # Blitting: the axes, ticks and colour bar are a cached background; the map changes,
        # and what lies on it is drawn again over it, in z-order.
        return [image, *points, line, arrow, title]

    return SliderFigure(fig, sliders, update)
