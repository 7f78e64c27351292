"""Figures of training: SGD paths on the landscape, the noise ball, steps against batch size."""

from __future__ import annotations

import numpy as np

from .._docs import shared_parameters
from .common import axes_or_new, batch_colour, round_log_axis
from .style import FULL_BATCH_COLOUR, W1_LABEL, W2_LABEL

# Titles sit at the top of their axes (``y=1.0``), where Matplotlib would place them: left to
# itself it searches for that place at every draw, measuring the tick labels again (~10 % of
# drawing these figures, the same pixels). None of these axes has ticks or a label on top.


@shared_parameters
def sgd_paths_plot(paths, ax=None, title="SGD paths"):
    """Paths of several runs over the weight plane (draw them over a landscape map).

    Parameters
    ----------
    paths : array of shape (runs, steps + 1, 2)

    Returns
    -------
    list of Line2D, one per run (update with ``set_data``), then the start marker.
    """
    paths = np.asarray(paths, dtype=float)
    ax = axes_or_new(ax)
    lines = [
        ax.plot(*path.T, color=batch_colour(k), lw=1.4, alpha=0.9)[0]
        for k, path in enumerate(paths)
    ]
    (start,) = ax.plot(*paths[0, 0], "o", color="white", mec="black", ms=9, label="start")
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    ax.set_title(title, y=1.0)
    return [*lines, start]


@shared_parameters
def scaling_plot(
    values,
    radii,
    predicted,
    ax=None,
    xlabel="learning rate $\\eta$",
    title="Size of the noise ball",
    label="measured",
    prediction_label="prediction",
    colour=0,
    apart=None,
    apart_label="where the law does not hold",
):
    """Measured noise-ball radii against a parameter, log-log, with the predicted values.

    Call it again on the same ``ax`` for a second series (another ``colour``: a batch colour
    index; the prediction is drawn dashed in the same colour). Measured points the law is
    not meant for (``apart``) are drawn as open circles, with their own legend entry.

    Parameters
    ----------
    values : array of shape (m,)
        The parameter (x axis), > 0.
    radii : array of shape (m,)
        The measured noise-ball radius at each value, > 0.
    predicted : array of shape (m,)
        The predicted radius at each value.
    label : str
        The legend label of the measured points.
    prediction_label : str
        The legend label of the prediction.
    colour : int
        The series' batch-colour index (:func:`batch_colour`).
    apart : array of bool of shape (m,) or None
        The measured points drawn open; None: none.
    apart_label : str
        The legend label of the open points.

    Returns
    -------
    (points, prediction_line)
        ``points`` holds the filled points (the open ones, if any, are a further line).
    """
    ax = axes_or_new(ax)
    values, radii = np.asarray(values, dtype=float), np.asarray(radii, dtype=float)
    apart = np.zeros(values.shape, dtype=bool) if apart is None else np.asarray(apart, dtype=bool)
    (points,) = ax.loglog(
        values[~apart], radii[~apart], "o", color=batch_colour(colour), ms=8, label=label
    )
    if apart.any():
        ax.loglog(
            values[apart], radii[apart], "o", color=batch_colour(colour), mfc="white", mew=2,
            ms=8, label=apart_label,
        )  # fmt: skip
    (prediction,) = ax.loglog(
        values, predicted, "--", color=batch_colour(colour), lw=1.5, label=prediction_label
    )
    round_log_axis(ax.xaxis, ticks=values if values.size <= 8 else None)
    round_log_axis(ax.yaxis, at_least=4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("RMS distance from the minimum")
    ax.set_title(title, y=1.0)
    # The radii rise or fall along a line: the lower corner on the side of its high end is free
    # (placed, not searched: Matplotlib's "best" place costs a good share of the drawing).
    ax.legend(fontsize=9, loc="lower right" if radii[-1] >= radii[0] else "lower left")
    return points, prediction


@shared_parameters
def samples_vs_batch_size(batch_sizes, samples, noise_scale=None, ax=None):
    """Plot the samples (batch size × steps) until the loss stays below a target, against B.

    Flat where a bigger batch saves steps in proportion (each sample does the same work),
    rising where it no longer does; ``noise_scale`` is marked as a vertical line.

    Parameters
    ----------
    samples : array of shape (m,)
        Samples processed (batch size × steps) at each batch size, > 0.

    Returns
    -------
    (line, marker or None)
    """
    ax = axes_or_new(ax)
    b = np.asarray(batch_sizes, dtype=float)
    (line,) = ax.loglog(b, samples, "s-", color=batch_colour(3), lw=2, label="samples processed")
    marker = _mark_noise_scale(ax, noise_scale)
    ax.set_ylim(np.min(samples) / 2, np.max(samples) * 2)
    round_log_axis(ax.xaxis, at_least=5)
    round_log_axis(ax.yaxis, at_least=4)
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("samples = $B$ × steps")
    ax.set_title("The cost in samples", y=1.0)
    ax.legend(fontsize=9, loc="upper left")  # the samples rise at large B, on the right
    return line, marker


@shared_parameters
def steps_vs_batch_size(batch_sizes, median_steps, low, high, noise_scale=None, ax=None):
    """Plot the steps until the loss stays below a target against B, with the spread over runs.

    ``noise_scale`` (the gradient noise scale B_simple) is marked as a vertical line.

    Parameters
    ----------
    median_steps : array of shape (m,)
        The median steps over the runs at each batch size, > 0.
    low : array of shape (m,)
        The 25th percentile of the steps at each batch size.
    high : array of shape (m,)
        The 75th percentile of the steps at each batch size.

    Returns
    -------
    (line, band, marker or None)
    """
    ax = axes_or_new(ax)
    b = np.asarray(batch_sizes, dtype=float)
    (line,) = ax.loglog(
        b,
        median_steps,
        "o-",
        color=batch_colour(0),
        lw=2,
        label="median over runs (best learning rate)",
    )
    band = ax.fill_between(
        b, low, high, color=batch_colour(0), alpha=0.2, label="25th–75th percentile"
    )
    (ideal,) = ax.loglog(
        b, median_steps[0] * b[0] / b, ":", color="grey", label="perfect scaling $\\propto 1/B$"
    )
    marker = _mark_noise_scale(ax, noise_scale)
    ax.set_ylim(min(np.min(low), np.min(median_steps)) / 2, np.max(high) * 2)
    round_log_axis(ax.xaxis, at_least=5)
    round_log_axis(ax.yaxis, at_least=4)
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel("steps until the loss stays below the target")
    ax.set_title("Bigger batches need fewer steps — up to a point", y=1.0)
    ax.legend(fontsize=9, loc="upper right")  # the steps start at the upper left
    return line, band, marker


def _mark_noise_scale(ax, noise_scale):
    """Draw the gradient noise scale as a dashed vertical line, or nothing for None."""
    if noise_scale is None:
        return None
    return ax.axvline(
        noise_scale,
        color=FULL_BATCH_COLOUR,
        lw=1.5,
        ls="--",
        label=f"noise scale $B_{{simple}}$ = {noise_scale:.0f}",
    )
