"""What several slider figures share: the batch sizes a batch-size slider offers, a note box.

The window a slider figure shows is :func:`course_utils.grid_window`, given the minimum the
figure has already found (``minimum=``): the rule lives there, and is solved once per move.
"""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path

from .._docs import shared_parameters
from .._validation import check_int


def polygon_markers(*collections, sides: int = 32) -> None:
    """Draw the round markers of scatter collections as polygons of ``sides`` sides.

    Matplotlib measures a curved marker (the circle's Bézier arcs) afresh at every draw of a
    scatter, which costs more than drawing its points; a 32-gon of the same radius looks
    the same at marker sizes (no pixel differs by more than 1 of 255) and is measured at
    once. Collections whose marker has no curves are left as they are.

    Parameters
    ----------
    *collections : matplotlib.collections.PathCollection
        Scatter plots with one marker each.
    sides : int >= 3
        The polygon's number of sides.
    """
    angles = np.linspace(0.0, 2.0 * np.pi, sides, endpoint=False) + np.pi / sides
    unit = np.column_stack([np.cos(angles), np.sin(angles)])
    for collection in collections:
        paths = collection.get_paths()
        if len(paths) != 1 or paths[0].codes is None or Path.CURVE4 not in paths[0].codes:
            continue
        radius = np.abs(paths[0].vertices).max()
        vertices = np.vstack([unit, unit[:1]]) * radius
        collection.set_paths([Path(vertices, closed=True)])


def corner_note(ax):
    """Return an empty text box in the lower left corner of ``ax``, above the plot's artists.

    Slider figures write into it what the picture cannot show (a point outside the window,
    runs that left it); ``set_text`` fills it.

    Parameters
    ----------
    ax : matplotlib Axes
        Where the note goes.

    Returns
    -------
    matplotlib.text.Text
    """
    return ax.text(
        0.02,
        0.02,
        "",
        transform=ax.transAxes,
        fontsize=10,
        va="bottom",
        bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.85},
        zorder=8,
    )


@shared_parameters
def batch_size_options(n: int) -> list[int]:
    """Batch sizes for a slider from 1 to n: the divisors of n, thinned to about 15 values.

    Divisors only, so that an epoch is always whole: no sample is left out of it.

    Parameters
    ----------
    n : int >= 1
        The size of the data set.

    Returns
    -------
    list of int
        Increasing, from 1 to n.
    """
    n = check_int("n", n, 1)
    divisors = [b for b in range(1, n + 1) if n % b == 0]
    if len(divisors) <= 15:
        return divisors
    keep = np.unique(np.round(np.geomspace(1, len(divisors), 15)).astype(int) - 1)
    return [divisors[k] for k in keep]
