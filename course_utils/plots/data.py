"""Figures of the data plane: the two classes, the decision boundary, the probability map."""

from __future__ import annotations

import numpy as np

from .._docs import shared_parameters
from .._validation import check_weights, check_X_y
from ..data import bayes_threshold, class_centres
from ..loss import softplus
from ..model import sigmoid
from .common import axes_or_new
from .style import CLASS_COLOURS, LOSS_LABEL, X1_LABEL, X2_LABEL

_FIGSIZE = (5.5, 5)  # data-plane figures: a square plane and its labels


@shared_parameters
def scatter_classes(X, y, distance=None, ax=None, title="Two Gaussian classes"):
    """Scatter plot of the points, one colour per class; the class centres as crosses.

    Parameters
    ----------
    distance : float, optional
        When given, the two class centres for this distance are marked.

    Returns
    -------
    list of matplotlib artists: the two point collections (class 0, class 1), then the
    centres' markers if drawn.
    """
    X, y = check_X_y(X, y)
    ax = axes_or_new(ax, _FIGSIZE)
    artists = [
        ax.scatter(*X[y == k].T, s=14, alpha=0.7, color=CLASS_COLOURS[k], label=f"class {k}")
        for k in (0, 1)
    ]
    if distance is not None:
        centres = class_centres(distance)
        artists.append(
            ax.scatter(
                *centres.T,
                marker="X",
                s=140,
                c=CLASS_COLOURS,
                edgecolors="black",
                linewidths=1.2,
                label="class centres",
                zorder=3,
            )
        )
    ax.set_xlabel(X1_LABEL)
    ax.set_ylabel(X2_LABEL)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return artists


def boundary_segment(w, limits, offset=0.0):
    """End points of the line ``w·x = offset`` across a square of half-width ``limits``.

    Parameters
    ----------
    w : array of shape (2,)
        The line's normal (need not be a unit vector; ``w = 0`` gives a line through 0).
    limits : float
        Half-width of the visible square; the segment is long enough to cross it.
    offset : float
        The line is ``w·x = offset``, i.e. ``offset / |w|`` from the origin along ``w``.

    Returns
    -------
    ndarray of shape (2, 2)
        Row k is an end point.
    """
    norm = max(np.hypot(*w), 1e-300)
    direction = np.array([-w[1], w[0]]) / norm
    foot = np.asarray(w, dtype=float) / norm * (offset / norm)  # 0 for w = 0, offset 0
    return foot + np.outer([-3 * limits, 3 * limits], direction)


@shared_parameters
def arrow_tip(w, limits):
    """Where the arrow of ``w`` drawn from the origin ends: ``w``, capped to 0.9·``limits``.

    Returns
    -------
    tuple of two floats
        The arrow's end point.
    """
    norm = np.hypot(*w)
    return tuple(w if norm <= 0.9 * limits else w * (0.9 * limits / norm))


@shared_parameters
def bayes_boundaries(distance, sigma, prior1=0.5, ax=None, limits=6.0):
    """Draw the Bayes rule's boundary and the best boundary through the origin.

    The Bayes rule's boundary is perpendicular to the line between the class centres and
    crosses it at :func:`course_utils.bayes_threshold` (it moves towards the rarer class);
    a model without a bias can only draw lines through the origin, and the best of them is
    the one with ``prior1 = 1/2``. For equal classes the two coincide.

    Parameters
    ----------
    distance, sigma : float > 0
        As in :func:`course_utils.make_two_gaussians`.
    prior1 : float in (0, 1)
        P(y = 1).
    limits : float
        Half-width of the square the lines must cross.

    Returns
    -------
    (bayes_line, origin_line) : two Line2D
    """
    ax = axes_or_new(ax, _FIGSIZE)
    towards_1 = -np.ones(2) / np.sqrt(2)  # unit vector from the class 0 centre to class 1
    t = bayes_threshold(distance, sigma, prior1)
    (bayes_line,) = ax.plot(
        *boundary_segment(towards_1, limits, t).T,
        color="black",
        lw=2.2,
        label="best boundary (Bayes rule)",
    )
    (origin_line,) = ax.plot(
        *boundary_segment(towards_1, limits).T,
        color="#777777",
        lw=2,
        ls=(0, (4, 3)),
        label="best line through the origin",
        zorder=bayes_line.get_zorder() + 0.1,
    )
    ax.set_xlim(-limits, limits)
    ax.set_ylim(-limits, limits)
    return bayes_line, origin_line


@shared_parameters
def decision_boundary(w, ax=None, limits=6.0):
    """Draw the decision boundary ``w·x = 0`` and the weight vector ``w`` as an arrow from 0.

    The arrow points towards class 1 (where ``w·x > 0``). Its length is ``|w|``, capped to
    the visible square.

    Returns
    -------
    (line, arrow) : the boundary's Line2D and the arrow's FancyArrow-like annotation.
    """
    w = check_weights(w)
    ax = axes_or_new(ax, _FIGSIZE)
    (line,) = ax.plot(
        *boundary_segment(w, limits).T,
        color="black",
        lw=2,
        label="decision boundary $w \\cdot x = 0$",
    )
    arrow = ax.annotate(
        "",
        xy=arrow_tip(w, limits),
        xytext=(0, 0),
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2},
    )
    ax.set_xlim(-limits, limits)
    ax.set_ylim(-limits, limits)
    ax.set_xlabel(X1_LABEL)
    ax.set_ylabel(X2_LABEL)
    ax.set_title("Decision boundary and weight vector $w$")
    return line, arrow


@shared_parameters
def probability_map(w, ax=None, limits=6.0, resolution=201):
    """Show the model's ``p(y = 1 | x)`` over the data plane as a colour image with a colourbar.

    Parameters
    ----------
    resolution : int >= 2
        Image pixels per axis.

    Returns
    -------
    matplotlib.image.AxesImage
    """
    w = check_weights(w)
    ax = axes_or_new(ax, _FIGSIZE)
    image = ax.imshow(
        probability_grid(w, limits, resolution),
        origin="lower",
        cmap="RdBu_r",
        vmin=0,
        vmax=1,
        extent=(-limits, limits, -limits, limits),
        alpha=0.45,
    )
    ax.figure.colorbar(image, ax=ax, label="$p(y=1 \\mid x)$", shrink=0.85)
    ax.set_xlabel(X1_LABEL)
    ax.set_ylabel(X2_LABEL)
    ax.set_title("Probability of class 1")
    return image


@shared_parameters
def probability_grid(w, limits=6.0, resolution=201) -> np.ndarray:
    """``sigmoid(w·x)`` on a ``resolution × resolution`` grid over ``[-limits, limits]²``.

    Parameters
    ----------
    resolution : int >= 2
        Grid values per axis.

    Returns
    -------
    ndarray of shape (resolution, resolution)
        Row i at ``x2 = axis[i]``, column j at ``x1 = axis[j]``.
    """
    axis = np.linspace(-limits, limits, resolution)
    x1, x2 = np.meshgrid(axis, axis)
    return sigmoid(w[0] * x1 + w[1] * x2)


@shared_parameters
def loss_vs_margin(ax=None, margins=None):
    """Plot the per-sample cross-entropy ``softplus(-m)`` against the margin ``m = (2y-1)·w·x``.

    Parameters
    ----------
    margins : array of shape (m,) or None
        Where the curves are drawn; None: 601 margins over [-6, 6].

    Returns
    -------
    list of Line2D: the loss curve, then the 0–1 error for comparison.
    """
    ax = axes_or_new(ax, _FIGSIZE)
    m = np.linspace(-6, 6, 601) if margins is None else np.asarray(margins, dtype=float)
    (loss,) = ax.plot(
        m, softplus(-m), color=CLASS_COLOURS[0], lw=2.5, label="cross-entropy $\\log(1 + e^{-m})$"
    )
    (error,) = ax.step(
        m,
        (m < 0).astype(float),
        where="mid",
        color=CLASS_COLOURS[1],
        lw=2,
        ls="--",
        label="misclassified (0–1 error)",
    )
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel("margin $m = (2y - 1)\\, w \\cdot x$")
    ax.set_ylabel(f"per-sample {LOSS_LABEL}")
    ax.set_title("Loss of one sample against its margin")
    ax.legend()
    return [loss, error]
