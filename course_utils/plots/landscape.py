"""Figures of the loss over the weight plane: map, surface, gradient arrows, markers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.ticker import MaxNLocator

from .._docs import shared_parameters
from .._validation import check_grid, check_int
from ..landscape import gradient_field
from .common import (
    axes_or_new,
    checked_surface,
    label_colour_bar,
    legend_in_view,
    log_levels,
    loss_norm,
    round_log_axis,
    weight_plane_image,
)
from .style import FULL_BATCH_COLOUR, LOSS_CMAP, LOSS_LABEL, W1_LABEL, W2_LABEL

# The fixed places of map_panels, in inches: room for tick labels of up to four characters
# ("-2.8", "0.25"), an axis label, a one-line title and the colour bar's label. They are about
# what constrained layout finds for notebook 04's maps, which it solves again each time a
# figure is shown: about a third of the time of such a figure.
_PANEL_LEFT, _PANEL_BOTTOM, _PANEL_TOP, _PANEL_GAP = 0.62, 0.55, 0.36, 0.74
_BAR_PAD, _BAR_WIDTH, _BAR_ROOM = 0.16, 0.16, 0.66  # the bar's gap, width, room on its right
_SMALLEST_SIDE = 1.0
# Titles are put where Matplotlib puts them when no tick labels are above the axes (y = 1):
# a title given its place is not placed again at each draw, which lays out the y axis's
# tick labels once more (~15% of the time of drawing a map).
_TITLE_Y = 1.0
# The default figure of landscape_surface and the 3-D axes' place in it (figure fractions),
# fitted to the surface seen from (elev 35, azim -60) with its labels, ~0.1 inch to spare.
_SURFACE_FIGSIZE, _SURFACE_PLACE = (4.2, 4.0), (0.01, 0.07, 0.85, 0.85)


def map_panels(n=2, figsize=(8.5, 4.2), colorbar=True):
    """Return a pyplot figure of ``n`` square map axes in a row, and a colour bar's axes.

    The places are fixed (no layout engine): the maps as large as the figure allows, side
    by side, the bar as tall as they are, on their right. Square windows (as
    :func:`course_utils.grid_window` and :func:`course_utils.square_grid` give) fill the
    maps exactly; draw the bar with ``landscape_map(..., cax=bar)``.

    Parameters
    ----------
    n : int >= 1
        Map axes in the row.
    figsize : (float, float)
        The figure's width and height in inches, large enough for maps of 1 inch.
    colorbar : bool
        Make the colour bar's axes (labelled ``"<colorbar>"``).

    Returns
    -------
    fig : matplotlib Figure
    axes : list of n Axes
        Left to right.
    bar : Axes or None
        None when ``colorbar`` is False.
    """
    n = check_int("n", n, 1)
    width, height = (float(v) for v in figsize)
    bar_room = _BAR_PAD + _BAR_WIDTH + _BAR_ROOM if colorbar else 0.2
    side = min(
        height - _PANEL_BOTTOM - _PANEL_TOP,
        (width - _PANEL_LEFT - (n - 1) * _PANEL_GAP - bar_room) / n,
    )
    if not side >= _SMALLEST_SIDE:
        raise ValueError(
            f"figsize {tuple(figsize)} leaves maps of {side:.2f} inches; "
            f"it must allow at least {_SMALLEST_SIDE} inch for each of the {n}"
        )
    used = _PANEL_LEFT + n * side + (n - 1) * _PANEL_GAP + bar_room
    left = _PANEL_LEFT + (width - used) / 2  # the block centred: what is left over on both sides
    bottom = _PANEL_BOTTOM + (height - _PANEL_BOTTOM - _PANEL_TOP - side) / 2
    fig = plt.figure(figsize=(width, height))

    def place(x, w, label=""):
        return fig.add_axes((x / width, bottom / height, w / width, side / height), label=label)

    axes = [place(left + k * (side + _PANEL_GAP), side) for k in range(n)]
    for ax in axes:  # 4 to 7 round values an axis ("-4", "-2.8"): each tick costs its drawing
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MaxNLocator(7, steps=[1, 2, 5, 10]))
    bar = None
    if colorbar:
        bar = place(left + n * side + (n - 1) * _PANEL_GAP + _BAR_PAD, _BAR_WIDTH, "<colorbar>")
    return fig, axes, bar


@shared_parameters
def landscape_map(
    landscape, w1, w2, ax=None, norm=None, title="Full-batch loss", colorbar=True, cax=None
):
    """Map the loss over the weight plane: colour (log scale) with contour lines.

    Parameters
    ----------
    landscape : array of shape (len(w2), len(w1))
        Element [i, j] is the loss at (w1[j], w2[i]).
    w1, w2 : 1-D arrays, the grid axes (evenly spaced)
    norm : matplotlib.colors.LogNorm, optional
        Share one colour scale between panels; by default :func:`loss_norm` of ``landscape``.
    colorbar : bool or list of Axes
        Add a colour bar (labelled) beside ``ax``; or beside all of the given axes, for maps
        that share one ``norm`` (one bar, one scale).
    cax : Axes or None
        Draw the colour bar in this axes instead (a fixed layout, e.g. the ``bar`` of
        :func:`map_panels`); ``colorbar`` must then not be False.

    Returns
    -------
    (image, contours) : the AxesImage and the QuadContourSet.
    """
    surface, w1, w2 = checked_surface(landscape, w1, w2)
    if cax is not None and colorbar is False:
        raise ValueError("cax is where the colour bar goes: give it with colorbar=True, not False")
    ax = axes_or_new(ax)
    norm = loss_norm(surface) if norm is None else norm
    image = weight_plane_image(ax, surface, w1, w2, norm)
    contours = ax.contour(
        w1, w2, surface, levels=log_levels(norm), colors="white", linewidths=0.6, alpha=0.7
    )
    if colorbar is not False:
        label = f"{LOSS_LABEL} (log scale)"
        if cax is not None:
            bar = ax.figure.colorbar(image, cax=cax, label=label)
        else:
            beside = ax if colorbar is True else colorbar
            bar = ax.figure.colorbar(image, ax=beside, label=label, shrink=0.85)
        label_colour_bar(bar)
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_title(title, y=_TITLE_Y)
    return image, contours


@shared_parameters
def landscape_surface(landscape, w1, w2, ax=None, title="The loss as a surface"):
    """Draw a 3-D surface of the loss over the weight plane (log of the loss on the height axis).

    ``ax`` must be a 3-D axes (``projection="3d"``); by default one is made.

    Parameters
    ----------
    ax : 3-D Axes or None
        Where to draw (``projection="3d"``); None: the axes of a new pyplot figure, in fixed
        places that hold the surface, its tick labels and axis labels (no layout to solve,
        nothing to crop).

    Returns
    -------
    mpl_toolkits.mplot3d.art3d.Poly3DCollection
    """
    surface, w1, w2 = checked_surface(landscape, w1, w2)
    if ax is None:
        ax = plt.figure(figsize=_SURFACE_FIGSIZE).add_axes(_SURFACE_PLACE, projection="3d")
    ww1, ww2 = np.meshgrid(w1, w2)
    height = np.log10(surface)
    drawn = ax.plot_surface(
        ww1, ww2, height, cmap=LOSS_CMAP, linewidth=0, antialiased=True, rstride=1, cstride=1
    )
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_zlabel(f"log$_{{10}}$ {LOSS_LABEL}")
    ax.set_title(title)  # a 3-D axes places its title its own way
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):  # round values, and room between them
        axis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.view_init(elev=35, azim=-60)
    return drawn


@shared_parameters
def gradient_arrows(X, y, w1, w2, ax=None, every=6, color="black"):
    """Arrows of steepest descent, ``-∇L``, on a thinned grid (unit length: direction only).

    ``color="white"`` reads best over :func:`landscape_map`.

    Parameters
    ----------
    every : int >= 1
        One arrow every ``every`` grid values along each axis.
    color : matplotlib colour
        The arrows' colour.

    Returns
    -------
    matplotlib.quiver.Quiver
    """
    w1, w2 = check_grid(w1, w2)
    a1, a2 = w1[::every], w2[::every]
    gradient = gradient_field(X, y, a1, a2)
    length = np.hypot(gradient[0], gradient[1])
    scale = np.where(length > 0, length, 1.0)
    ax = axes_or_new(ax)
    arrows = ax.quiver(
        a1,
        a2,
        -gradient[0] / scale,
        -gradient[1] / scale,
        color=color,
        angles="xy",
        pivot="mid",
        width=0.004,
        label="steepest descent $-\\nabla L$",
    )
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    if not ax.get_title():
        ax.set_title("Directions of steepest descent", y=_TITLE_Y)
    return arrows


# Markers that stay visible wherever they land on the loss colours (dark purple to yellow)
# and when they coincide: hollow shapes of different sizes nest around the filled star, each
# outlined in a contrasting colour, and all above the map, arrows and paths.
# A white halo around a black line around the coloured edge: one of them contrasts with
# every colour of the map.
_OUTLINE = [
    patheffects.withStroke(linewidth=6.5, foreground="white"),
    patheffects.withStroke(linewidth=4.5, foreground="black"),
]
MARKERS = {
    "Bayes-optimal $w^*$": {
        "marker": "o",
        "s": 330,
        "facecolor": "none",
        "edgecolor": "#EE6677",
        "linewidths": 2.5,
        "path_effects": _OUTLINE,
    },
    "grid minimum": {
        "marker": "s",
        "s": 150,
        "facecolor": "none",
        "edgecolor": "white",
        "linewidths": 2,
        "path_effects": _OUTLINE,
    },
    "refined minimum": {
        "marker": "*",
        "s": 200,
        "facecolor": FULL_BATCH_COLOUR,
        "edgecolor": "white",
        "linewidths": 1.2,
        "zorder": 7,  # the point of most figures: on top of the hollow markers around it
    },
    "population minimum": {
        "marker": "D",
        "s": 110,
        "facecolor": "none",
        "edgecolor": "#CCBB44",
        "linewidths": 2.5,
        "path_effects": _OUTLINE,
    },
}
MARKER_ZORDER = 6  # above images (0), contours (2), arrows and paths (2-3)


@shared_parameters
def mark_weights(points, ax=None, legend=True):
    """Mark named weight vectors on a weight-plane plot, visible wherever they land.

    Parameters
    ----------
    points : mapping of label -> array of shape (2,)
        Labels with a house style (:data:`MARKERS`): "grid minimum", "refined minimum",
        "Bayes-optimal $w^*$", "population minimum"; others get a plain white dot.
    legend : bool
        Add a legend of the marked points inside the axes limits (:func:`legend_in_view`);
        set the limits before marking, or call ``legend_in_view`` again afterwards.

    Returns
    -------
    list of PathCollection, one per point.
    """
    ax = axes_or_new(ax)
    # Markers never move the window of a map already drawn: one outside it is left out.
    limits = (ax.get_xlim(), ax.get_ylim()) if ax.has_data() else None
    drawn = []
    for label, w in points.items():
        style = MARKERS.get(label, {"marker": "o", "s": 60, "color": "white", "edgecolor": "black"})
        style = {"zorder": MARKER_ZORDER, **style}
        drawn.append(ax.scatter([w[0]], [w[1]], label=label, **style))
    if limits is not None:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    if not ax.get_title():
        ax.set_title("Weights of interest", y=_TITLE_Y)
    if legend:
        legend_in_view(ax, loc="upper right", framealpha=0.85)
    return drawn


@shared_parameters
def loss_along_ray(ts, losses, ax=None, title="Loss along a ray $t \\cdot u$"):
    """Plot the loss at ``t·u`` against ``t`` for a direction ``u`` (log scale on the loss).

    Parameters
    ----------
    ts : array of shape (m,)
        The lengths ``t`` along the direction.
    losses : array of shape (m,)
        The loss at ``t·u`` for each ``t``, > 0 (log axis).

    Returns
    -------
    Line2D
    """
    ax = axes_or_new(ax)
    (line,) = ax.semilogy(ts, losses, color=FULL_BATCH_COLOUR, lw=2.5)
    # Plain labels (1e-08, 0.0001, 1) as the printed numbers; 10^{-8} would be typeset as
    # maths, a tenth of a second for a figure's worth of labels. No minor ticks: over 25
    # decades they were ~200 tick objects, most of the time of drawing this figure.
    round_log_axis(ax.yaxis)
    ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))  # round, few: 0, 5, 10
    ax.set_xlabel("distance $t$ from the origin along the direction $u$")
    ax.set_ylabel(f"{LOSS_LABEL} (log scale)")
    ax.set_title(title, y=_TITLE_Y)
    return line
