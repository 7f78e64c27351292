"""Figures of the loss over the weight plane: map, surface, gradient arrows, markers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import LogFormatter

from .._validation import check_grid
from ..landscape import gradient_field
from .style import FULL_BATCH_COLOUR, LOSS_CMAP, LOSS_LABEL, W1_LABEL, W2_LABEL


def _axes(ax, **subplot_kw):
    if ax is not None:
        return ax
    fig = plt.figure(figsize=(6.5, 5.5))
    return fig.add_subplot(**subplot_kw)


def _checked_surface(landscape, w1, w2):
    w1, w2 = check_grid(w1, w2)
    surface = np.asarray(landscape, dtype=float)
    if surface.shape != (w2.size, w1.size):
        raise ValueError(
            f"landscape must have shape (len(w2), len(w1)) = {(w2.size, w1.size)}, "
            f"got {surface.shape}"
        )
    return surface, w1, w2


def loss_norm(landscape, low=None) -> LogNorm:
    """A logarithmic colour scale from the landscape's minimum (or ``low``) to its maximum.

    The loss spans orders of magnitude over a window (0.01 near the minimum, 10 at the
    corners): on a linear scale the whole basin would be one colour.
    """
    surface = np.asarray(landscape, dtype=float)
    vmin = float(surface.min()) if low is None else float(low)
    return LogNorm(vmin=max(vmin, 1e-12), vmax=max(float(surface.max()), 2 * max(vmin, 1e-12)))


class _PlainLogFormatter(LogFormatter):
    """Matplotlib's log-axis labelling (minor labels only on short axes), as plain numbers."""

    def _num_to_string(self, x, vmin, vmax):
        return f"{x:g}"


def plain_log_ticks(axis) -> None:
    """Label a log axis with plain numbers (0.2, 0.3, 1, 6) instead of 2×10⁻¹."""
    axis.set_major_formatter(_PlainLogFormatter(labelOnlyBase=False))
    axis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.4)))


def extent(w1, w2) -> tuple[float, float, float, float]:
    """The imshow extent that puts pixel centres on the grid points."""
    h1 = (w1[-1] - w1[0]) / max(w1.size - 1, 1) / 2
    h2 = (w2[-1] - w2[0]) / max(w2.size - 1, 1) / 2
    return (w1[0] - h1, w1[-1] + h1, w2[0] - h2, w2[-1] + h2)


def weight_plane_image(ax, surface, w1, w2, norm, cmap=LOSS_CMAP):
    """``surface`` (shape (len(w2), len(w1))) as an image whose pixels sit on the grid points."""
    return ax.imshow(
        surface,
        origin="lower",
        extent=extent(w1, w2),
        cmap=cmap,
        norm=norm,
        aspect="equal",
        interpolation="nearest",
    )


def log_levels(norm: LogNorm, count=12) -> np.ndarray:
    """Contour levels evenly spaced on the norm's log scale."""
    return np.geomspace(norm.vmin, norm.vmax, count)


def landscape_map(landscape, w1, w2, ax=None, norm=None, title="Full-batch loss", colorbar=True):
    """The loss over the weight plane: colour (log scale) with contour lines.

    Parameters
    ----------
    landscape : array of shape (len(w2), len(w1))
        Element [i, j] is the loss at (w1[j], w2[i]).
    w1, w2 : 1-D arrays, the grid axes (evenly spaced)
    norm : matplotlib.colors.LogNorm, optional
        Share one colour scale between panels; by default :func:`loss_norm` of ``landscape``.

    Returns
    -------
    (image, contours) : the AxesImage and the QuadContourSet.
    """
    surface, w1, w2 = _checked_surface(landscape, w1, w2)
    ax = _axes(ax)
    norm = loss_norm(surface) if norm is None else norm
    image = weight_plane_image(ax, surface, w1, w2, norm)
    contours = ax.contour(
        w1, w2, surface, levels=log_levels(norm), colors="white", linewidths=0.6, alpha=0.7
    )
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, label=f"{LOSS_LABEL} (log scale)", shrink=0.85)
        plain_log_ticks(bar.ax.yaxis)
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_title(title)
    return image, contours


def landscape_surface(landscape, w1, w2, ax=None, title="The loss as a surface"):
    """A 3-D surface of the loss over the weight plane (log of the loss on the height axis).

    ``ax`` must be a 3-D axes (``projection="3d"``); by default one is made.

    Returns
    -------
    mpl_toolkits.mplot3d.art3d.Poly3DCollection
    """
    surface, w1, w2 = _checked_surface(landscape, w1, w2)
    ax = _axes(ax, projection="3d")
    ww1, ww2 = np.meshgrid(w1, w2)
    height = np.log10(surface)
    drawn = ax.plot_surface(
        ww1, ww2, height, cmap=LOSS_CMAP, linewidth=0, antialiased=True, rstride=1, cstride=1
    )
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_zlabel(f"log$_{{10}}$ {LOSS_LABEL}")
    ax.set_title(title)
    ax.view_init(elev=35, azim=-60)
    return drawn


def gradient_arrows(X, y, w1, w2, ax=None, every=6, color="black"):
    """Arrows of steepest descent, ``-∇L``, on a thinned grid (unit length: direction only).

    ``color="white"`` reads best over :func:`landscape_map`.

    Returns
    -------
    matplotlib.quiver.Quiver
    """
    w1, w2 = check_grid(w1, w2)
    a1, a2 = w1[::every], w2[::every]
    gradient = gradient_field(X, y, a1, a2)
    length = np.hypot(gradient[0], gradient[1])
    scale = np.where(length > 0, length, 1.0)
    ax = _axes(ax)
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
        ax.set_title("Directions of steepest descent")
    return arrows


_MARKERS = {
    "grid minimum": {"marker": "s", "s": 70, "facecolor": "none", "edgecolor": "white", "lw": 2},
    "refined minimum": {"marker": "*", "s": 220, "color": FULL_BATCH_COLOUR, "edgecolor": "white"},
    "Bayes-optimal $w^*$": {"marker": "X", "s": 130, "color": "#EE6677", "edgecolor": "white"},
    "population minimum": {
        "marker": "o",
        "s": 90,
        "facecolor": "none",
        "edgecolor": "#CCBB44",
        "lw": 2.5,
    },
}


def mark_weights(points, ax=None, legend=True):
    """Mark named weight vectors on a weight-plane plot.

    Parameters
    ----------
    points : mapping of label -> array of shape (2,)
        Labels with a house style: "grid minimum", "refined minimum", "Bayes-optimal $w^*$",
        "population minimum"; others get a plain marker.

    Returns
    -------
    list of PathCollection, one per point.
    """
    ax = _axes(ax)
    drawn = []
    for label, w in points.items():
        style = _MARKERS.get(label, {"marker": "o", "s": 60, "color": "white"})
        drawn.append(ax.scatter([w[0]], [w[1]], label=label, zorder=4, **style))
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    if not ax.get_title():
        ax.set_title("Weights of interest")
    if legend:
        ax.legend(loc="upper right", framealpha=0.85)
    return drawn


def loss_along_ray(ts, losses, ax=None, title="Loss along a ray $t \\cdot u$"):
    """The loss at ``t·u`` against ``t`` for a direction ``u`` (log scale on the loss).

    Returns
    -------
    Line2D
    """
    ax = _axes(ax)
    (line,) = ax.semilogy(ts, losses, color=FULL_BATCH_COLOUR, lw=2.5)
    ax.set_xlabel("distance $t$ from the origin along the direction $u$")
    ax.set_ylabel(f"{LOSS_LABEL} (log scale)")
    ax.set_title(title)
    return line
