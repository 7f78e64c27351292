"""Figures of minibatch noise: batch landscapes, their minima, the variance law, noise scale."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from .._docs import shared_parameters
from .common import (
    axes_or_new,
    batch_colour,
    checked_surface,
    label_colour_bar,
    loss_norm,
    round_log_axis,
    weight_plane_image,
)
from .style import FULL_BATCH_COLOUR, LOSS_LABEL, W1_LABEL, W2_LABEL

# Titles sit at the top of their axes (``y=1.0``), where Matplotlib would place them: left to
# itself it searches for that place at every draw, measuring the tick labels again (~10 % of
# drawing these figures, the same pixels). None of these axes has ticks or a label on top.


def frame_in_batch_colour(ax, k: int) -> None:
    """Draw the frame of ``ax`` thick in the colour of batch ``k``.

    Titles stay black: light batch colours such as yellow are unreadable as text on white.
    """
    for spine in ax.spines.values():
        spine.set_edgecolor(batch_colour(k))
        # Whole pixels, snapped: crisp, and the same when a slider figure redraws it.
        spine.set_linewidth(4 * 72 / ax.figure.dpi)
        spine.set_snap(True)


@shared_parameters
def minibatch_panels(landscapes, w1, w2, axes=None, norm=None):
    """One panel per minibatch landscape, on one shared logarithmic colour scale.

    Parameters
    ----------
    landscapes : array of shape (k, len(w2), len(w1))
    axes : sequence of k Axes, optional (default: a new row of panels)
    norm : LogNorm, optional; default: the range of all the panels

    Returns
    -------
    list of AxesImage, one per panel (update with ``set_data``).
    """
    surfaces = np.asarray(landscapes, dtype=float)
    if axes is None:
        axes = plt.subplots(1, len(surfaces), figsize=(3.2 * len(surfaces), 3.4))[1]
        axes = np.atleast_1d(axes)
    norm = loss_norm(surfaces) if norm is None else norm
    images = []
    for k, (ax, surface) in enumerate(zip(axes, surfaces, strict=True)):
        surface, a1, a2 = checked_surface(surface, w1, w2)
        images.append(weight_plane_image(ax, surface, a1, a2, norm))
        ax.set_title(f"batch {k + 1}", y=1.0)
        frame_in_batch_colour(ax, k)
        ax.set_xlabel(W1_LABEL)
        ax.set_ylabel(W2_LABEL)
    return images


@shared_parameters
def minima_scatter(minima, ax=None, title="Minima of the minibatch losses"):
    """Scatter the minima of several minibatch losses as points, batch k in its batch colour.

    Rows of NaN (separable batches, no minimum) are not drawn.

    Parameters
    ----------
    minima : array of shape (k, 2)
        Row k is the minimum of batch k; rows of NaN are not drawn.

    Returns
    -------
    PathCollection (update with ``set_offsets`` and ``set_facecolor``).
    """
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    ax = axes_or_new(ax)
    colours = [batch_colour(k) for k in range(len(minima))]
    drawn = ax.scatter(
        minima[:, 0],
        minima[:, 1],
        c=colours or None,
        s=40,
        edgecolors="black",
        linewidths=0.6,
        zorder=4,
        label="minibatch minima",
    )
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    if not ax.get_title():
        ax.set_title(title, y=1.0)
    return drawn


@shared_parameters
def landscape_slice(
    w_axis,
    full_curve,
    batch_curves,
    ax=None,
    xlabel=W1_LABEL,
    title="A slice through the landscapes",
):
    """Plot the full-batch loss along one line of the grid, with minibatch losses around it.

    The legend sits in the upper corner over the full curve's lower end.

    Parameters
    ----------
    w_axis : array of shape (m,), the weight along the slice
    full_curve : array of shape (m,)
    batch_curves : array of shape (k, m)

    Returns
    -------
    (full_line, batch_lines)
    """
    ax = axes_or_new(ax)
    batch_lines = [
        ax.semilogy(w_axis, curve, color=batch_colour(k), lw=1.5, alpha=0.9)[0]
        for k, curve in enumerate(np.atleast_2d(batch_curves))
    ]
    (full_line,) = ax.semilogy(
        w_axis, full_curve, color=FULL_BATCH_COLOUR, lw=3, label="full batch"
    )
    round_log_axis(ax.yaxis, at_least=4)  # round values, no minor ticks (most of the drawing)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{LOSS_LABEL} (log scale)")
    ax.set_title(title, y=1.0)
    # Over the full curve's lower end: for separable data the curve climbs to the top of the
    # axes at one end, where the legend would cover it.
    ax.legend(loc="upper left" if full_curve[0] < full_curve[-1] else "upper right")
    return full_line, batch_lines


@shared_parameters
def variance_law(batch_sizes, empirical, theory, n, ax=None):
    """Variance of a minibatch's loss against the batch size, log-log, with the exact law.

    ``empirical`` and ``theory`` are at the same batch sizes; the law
    ``S²/B·(n-B)/(n-1)`` falls with slope -1 and bends down to 0 at ``B = n``, which a log
    axis cannot show: batch sizes with zero variance are left out and the text says so.

    Parameters
    ----------
    empirical : array of shape (m,)
        The measured variance of the batch loss at each batch size.
    theory : array of shape (m,)
        The exact law at the same batch sizes.
    n : int >= 1
        The size of the data set.

    Returns
    -------
    (empirical_points, theory_line, slope_line)
    """
    b = np.asarray(batch_sizes, dtype=float)
    empirical, theory = np.asarray(empirical, float), np.asarray(theory, float)
    shown = theory > 0
    ax = axes_or_new(ax)
    (theory_line,) = ax.loglog(
        b[shown], theory[shown], color=FULL_BATCH_COLOUR, lw=2, label="$S^2/B \\cdot (N-B)/(N-1)$"
    )
    (slope_line,) = ax.loglog(
        b[shown],
        theory[shown][0] * b[shown][0] / b[shown],
        ls=":",
        color="grey",
        lw=1.5,
        label="$S^2/B$ (with replacement)",
    )
    (points,) = ax.loglog(
        b[shown],
        empirical[shown],
        "o",
        color=batch_colour(0),
        ms=7,
        label="measured over many batches",
    )
    ax.set_xlabel("batch size $B$")
    # Plain round values (1, 10, 100; 0.001, 0.01), no 10^k mathtext and no minor ticks:
    # those cost most of the time of drawing the figure.
    round_log_axis(ax.xaxis)
    round_log_axis(ax.yaxis)
    ax.set_ylabel("variance of the minibatch loss")
    ax.set_title(f"Variance law (N = {n}; at B = N the variance is 0)", y=1.0)
    ax.legend()
    return points, theory_line, slope_line


@shared_parameters
def separable_fraction(batch_sizes, fractions, ax=None):
    """Plot the fraction of minibatches that are linearly separable against the batch size.

    Parameters
    ----------
    fractions : array of shape (m,)
        The fraction of separable minibatches at each batch size, in [0, 1].

    Returns
    -------
    Line2D
    """
    ax = axes_or_new(ax)
    (line,) = ax.semilogx(batch_sizes, fractions, "o-", color=batch_colour(3), lw=2)
    ax.set_ylim(-0.03, 1.03)
    round_log_axis(ax.xaxis, ticks=batch_sizes if len(batch_sizes) <= 8 else None)
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("fraction of batches that are separable")
    ax.set_title("Small batches often have no minimum", y=1.0)
    return line


@shared_parameters
def noise_scale_map(noise, w1, w2, ax=None):
    """Map the gradient noise scale ``B_simple = tr(Σ)/|G|²`` over the weight plane.

    Parameters
    ----------
    noise : array of shape (len(w2), len(w1))
        The gradient noise scale on the grid, > 0 (log colour).

    Returns
    -------
    AxesImage
    """
    surface, w1, w2 = checked_surface(noise, w1, w2)
    finite = surface[np.isfinite(surface)]
    ax = axes_or_new(ax)
    norm = LogNorm(vmin=max(finite.min(), 1e-3), vmax=max(finite.max(), 1e-2))
    # where the gradient vanishes exactly the scale is infinite: show it as the largest value
    shown = np.where(np.isfinite(surface), surface, finite.max())
    image = weight_plane_image(ax, shown, w1, w2, norm, cmap="magma")
    bar = ax.figure.colorbar(
        image, ax=ax, label="noise scale $B_{simple}$ (log scale)", shrink=0.85
    )
    # Batch sizes read as plain numbers (10, 100, 1000), like the slider; and no 10^k
    # labels, whose mathtext costs a tenth of the notebook's drawing time.
    label_colour_bar(bar)
    bar.ax.yaxis.set_major_formatter(lambda x, _pos: f"{x:g}")
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_title("Gradient noise scale $\\mathrm{tr}(\\Sigma) / |G|^2$", y=1.0)
    return image
