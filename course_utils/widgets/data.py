"""Notebook 01: sliders for the distance, spread and sizes of the two classes."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from .._docs import shared_parameters
from .._validation import as_generator
from ..data import bayes_error, bayes_threshold, class_centres
from ..plots.data import bayes_boundaries, boundary_segment, scatter_classes
from ._base import SliderFigure
from .common import polygon_markers

# Half-widths the window may take: it grows in a few steps with the spread, so the axes (and
# the cached background behind the moving points) change only when a step is crossed.
_WINDOWS = (6.0, 7.5, 9.0, 12.0, 16.0)
_TOWARDS_1 = -np.ones(2) / math.sqrt(2)  # unit vector from the class 0 centre to class 1
_MOST = 400  # the count sliders' maximum


def data_window(distance, sigma, largest_noise) -> float:
    """Half-width of a square window centred at 0 that holds every point of the classes.

    A point is its centre, ``distance / 2`` from 0 along the diagonal, plus ``sigma`` times
    standard normal noise; with ``largest_noise`` the largest absolute noise coordinate drawn,
    no coordinate exceeds ``distance / (2·sqrt(2)) + sigma·largest_noise``. The window is the
    smallest of a few round values that holds that with a margin of 8 % (beyond the largest,
    the next even number that does), so it changes only when a step is crossed.

    Parameters
    ----------
    distance, sigma : float
        As in :func:`course_utils.make_two_gaussians`.
    largest_noise : float
        ``max |Z|`` over the standard normal noise of every point that can be shown.

    Returns
    -------
    float
    """
    need = 1.08 * (distance / (2.0 * math.sqrt(2.0)) + sigma * largest_noise)
    return next((w for w in _WINDOWS if w >= need), 2.0 * math.ceil(need / 2.0))


def _slider(kind, description, value, low, high, step):
    return kind(
        value=value, min=low, max=high, step=step, description=description, continuous_update=False
    )


@shared_parameters
def data_explorer(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0) -> SliderFigure:
    """Sliders for ``distance``, ``sigma`` and the class counts over a scatter of the data.

    The figure shows the boundary of the Bayes rule for the current class counts (prior
    ``P(y = 1) = n1 / (n0 + n1)``) and the best line through the origin; the title gives
    the Bayes error for these priors and the error of that line, ``Φ(-distance / (2·sigma))``.
    The window grows with the data, so every point stays in view. The same ``seed`` is used
    for every redraw, so a slider move changes only what it says.

    Returns
    -------
    SliderFigure
        Sliders ``distance``, ``sigma``, ``n0`` and ``n1``.
    """
    sliders = {
        "distance": _slider(widgets.FloatSlider, "distance", distance, 0.0, 8.0, 0.5),
        "sigma": _slider(widgets.FloatSlider, "sigma", sigma, 0.25, 3.0, 0.25),
        "n0": _slider(widgets.IntSlider, "class 0 count", n0, 20, 400, 20),
        "n1": _slider(widgets.IntSlider, "class 1 count", n1, 20, 400, 20),
    }
    # The noise is drawn once: make_two_gaussians draws the (n0 + n1) × 2 standard normals
    # of a seed as one stream, class 0 first, so every count's sample is a prefix of the
    # largest one (the tests check that the points are make_two_gaussians's).
    noise = as_generator(seed).standard_normal((2 * _MOST, 2))
    largest_noise = float(np.max(np.abs(noise)))

    def sample(distance, sigma, n0, n1):
        y = np.repeat(np.array([0, 1]), [n0, n1])
        return class_centres(distance)[y] + sigma * noise[: n0 + n1], y

    # A fixed layout (blitting needs one) with room for the widest window's tick labels (-15)
    # on the left, two title lines above and the legend on the right.
    fig = Figure(figsize=(6.6, 4.4))
    ax = fig.add_axes((0.12, 0.1, 0.46, 0.78))
    X, y = sample(max(distance, 1e-9), sigma, n0, n1)
    points0, points1, centres = scatter_classes(X, y, distance=max(distance, 1e-9), ax=ax)
    polygon_markers(points0, points1)
    bayes_line, origin_line = bayes_boundaries(
        max(distance, 1e-9), sigma, n1 / (n0 + n1), ax=ax, limits=_WINDOWS[-1]
    )
    ax.set_aspect("equal", adjustable="box")
    # Beside the axes: the legend never hides a point, whatever the window.
    ax.get_legend().remove()
    legend = fig.legend(
        *ax.get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(0.61, 0.87), fontsize=9
    )
    title = ax.set_title(" \n ", y=1.0)  # y given: its place is not searched at every draw
    off_screen = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=9, ha="left", va="bottom")
    # The axis labels stay where the widest window's tick labels put them: not searched
    # again at every new window (a quarter of the cost of drawing the axes).
    ax.set_xlim(-_WINDOWS[-1], _WINDOWS[-1])
    ax.set_ylim(-_WINDOWS[-1], _WINDOWS[-1])
    fig.draw_without_rendering()
    for axis in (ax.xaxis, ax.yaxis):
        at = axis.label.get_transform().transform(axis.label.get_position())
        axis.set_label_coords(*ax.transAxes.inverted().transform(at))
    window = data_window(distance, sigma, largest_noise)
    ax.set_xlim(-window, window)
    ax.set_ylim(-window, window)
    state = {"window": window, "explorer": None}

    def update(distance, sigma, n0, n1):
        # distance 0 is a legal slider position: both classes at the origin.
        distance = max(distance, 1e-9)
        X, y = sample(distance, sigma, n0, n1)
        prior1 = n1 / (n0 + n1)
        points0.set_offsets(X[:n0])
        points1.set_offsets(X[n0:])
        centres.set_offsets(class_centres(distance))
        window = data_window(distance, sigma, largest_noise)
        if window != state["window"]:
            state["window"] = window
            ax.set_xlim(-window, window)
            ax.set_ylim(-window, window)
            if state["explorer"] is not None:  # new ticks: the axes are drawn again, not the legend
                state["explorer"].invalidate_background(ax, region=state["left"])
        t = bayes_threshold(distance, sigma, prior1)
        on_screen = abs(t) < window * math.sqrt(2)  # the line crosses the square
        bayes_line.set_visible(on_screen)
        if on_screen:
            bayes_line.set_data(*boundary_segment(_TOWARDS_1, 2 * window, t).T)
        if on_screen:
            note = ""
        elif distance < 1e-6:
            note = "same centre: the best rule names the larger class"
        else:
            note = f"best boundary off-screen, {t:+.0f} along μ1 - μ0"
        off_screen.set_text(note)
        title.set_text(
            f"distance {distance:.1f}, sigma {sigma:.2f}, {n0} : {n1} points\n"
            f"Bayes error {bayes_error(distance, sigma, prior1):.1%}; "
            f"line through 0: {bayes_error(distance, sigma):.1%}"
        )
        # Blitting: these are drawn over a cached picture of the rest, in z-order (the line
        # through the origin never moves, but lies over the points and the Bayes line).
        return [points0, points1, centres, bayes_line, origin_line, off_screen, title]

    explorer = SliderFigure(fig, sliders, update)
    state["explorer"] = explorer
    # Everything left of the legend: the axes with their ticks, labels and title.
    state["left"] = Bbox.from_extents(0, 0, legend.get_window_extent().x0 - 1, fig.bbox.height)
    return explorer
