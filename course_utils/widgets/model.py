"""Notebook 02: sliders for the two weights of the classifier."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._validation import check_X_y
from ..loss import cross_entropy_from_logits
from ..plots.data import (
    _arrow_tip,
    _boundary_segment,
    decision_boundary,
    probability_grid,
    probability_map,
    scatter_classes,
)
from ._base import SliderFigure

_LIMITS = 6.0
_RESOLUTION = 101  # fine enough for a smooth map, cheap enough for a slider


def model_explorer(X, y, w1=1.0, w2=1.0) -> SliderFigure:
    """Sliders ``w1`` and ``w2`` over the data, the decision boundary and ``p(y=1 | x)``.

    The title shows the accuracy and the cross-entropy of the current weights.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    """
    X, y = check_X_y(X, y)
    sliders = {
        name: widgets.FloatSlider(
            value=value, min=-6.0, max=6.0, step=0.5, description=name, continuous_update=False
        )
        for name, value in (("w1", w1), ("w2", w2))
    }
    fig = Figure(figsize=(7, 6), layout="constrained")
    ax = fig.add_subplot()
    w = np.array([w1, w2], dtype=float)
    image = probability_map(w, ax=ax, limits=_LIMITS, resolution=_RESOLUTION)
    scatter_classes(X, y, ax=ax)
    line, arrow = decision_boundary(w, ax=ax, limits=_LIMITS)
    ax.legend(loc="upper left")

    def update(w1, w2):
        w = np.array([w1, w2], dtype=float)
        image.set_data(probability_grid(w, _LIMITS, _RESOLUTION))
        line.set_data(*_boundary_segment(w, _LIMITS).T)
        line.set_visible(bool(np.any(w)))
        arrow.xy = _arrow_tip(w, _LIMITS)
        z = X @ w
        accuracy = np.mean((z > 0) == (y == 1))
        loss = cross_entropy_from_logits(y, z)
        ax.set_title(f"w = ({w1:+.1f}, {w2:+.1f}): accuracy {accuracy:.1%}, loss {loss:.3f}")

    return SliderFigure(fig, sliders, update)
