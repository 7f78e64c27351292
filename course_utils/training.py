"""Experiments on training (notebook 06).

Steps to a target loss with a tuned learning rate, and the curvature and gradient covariance
at a point, which set the noise ball.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import check_int, check_real, check_seeds, check_weights, check_X_y
from .minibatch import per_sample_gradients
from .optimum import minima_of_sets
from .sgd import losses_along, sgd_paths, steps_to_target


@shared_parameters
def loss_hessian(X, y, w) -> np.ndarray:
    """Return the curvature H of the full-batch loss at ``w``: its matrix of second derivatives.

    ``H = (1/n) Σ p_i (1 - p_i) x_i x_iᵀ`` with ``p_i = sigmoid(w · x_i)``.

    Returns
    -------
    ndarray of shape (2, 2), symmetric, positive semi-definite.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    p = _engine.sigmoid(X @ w)
    return (X * (p * (1.0 - p))[:, None]).T @ X / X.shape[0]


@shared_parameters
def gradient_covariance(X, y, w) -> np.ndarray:
    """Return Σ, the covariance of the per-sample gradients ``g_i(w)`` over the data set.

    ``Σ = (1/n) Σ (g_i - G)(g_i - G)ᵀ`` with ``G`` the full gradient; a batch of ``B`` drawn
    without replacement has a gradient error of covariance ``Σ/B · (n - B)/(n - 1)``.

    Returns
    -------
    ndarray of shape (2, 2)
    """
    g = per_sample_gradients(X, y, w)  # checks X, y and w
    centred = g - g.mean(axis=0)
    return centred.T @ centred / g.shape[0]


@dataclass(frozen=True)
class StepsResult:
    """Steps to a target loss for one batch size, at the best learning rate tried.

    Attributes
    ----------
    batch_size : int
    learning_rate : float, the best one tried
    median, low, high : float, median, 25th and 75th percentile of the steps over the runs
        (inf where fewer than half the runs arrived)
    tried : dict of learning rate -> median steps, every learning rate evaluated
    """

    batch_size: int
    learning_rate: float
    median: float
    low: float
    high: float
    tried: dict


@shared_parameters
def steps_with_tuned_rate(
    X, y, w0, target, batch_sizes, learning_rates, n_steps, seeds
) -> list[StepsResult]:
    """Return, for each batch size, the steps until the loss stays below ``target``.

    The learning rate is tuned: it is the one of ``learning_rates`` with the fewest median
    steps over the runs. The search is the one a person would do by hand: batch sizes in
    increasing order, each starting one rate below the previous batch size's best and trying
    larger ones until the steps stop falling (the best rate does not fall as the batch grows:
    a bigger batch is less noisy).

    Parameters
    ----------
    target : float
        The loss to reach and stay below, finite.
    batch_sizes : increasing sequence of int in 1..n
        The batch sizes, one result each.
    learning_rates : increasing sequence of float > 0
        The learning rates tried (the grid of the search).
    n_steps : int >= 1
        The most steps a run takes.
    seeds : sequence of int >= 0
        One per run: the same runs for every batch size and rate.

    Returns
    -------
    list of StepsResult
        One per batch size, in the order of ``batch_sizes``.
    """
    X, y = check_X_y(X, y)
    w0 = check_weights(w0, name="w0")
    target = check_real("target", target)
    sizes = _increasing("batch_sizes", batch_sizes)
    if not all(isinstance(b, numbers.Integral) and 1 <= b <= X.shape[0] for b in sizes):
        raise ValueError(f"batch_sizes must hold integers in 1..{X.shape[0]}, got {sizes}")
    sizes = [int(b) for b in sizes]
    rates = np.asarray(_increasing("learning_rates", learning_rates), dtype=float)
    if not np.all(np.isfinite(rates) & (rates > 0)):
        raise ValueError(f"learning_rates must be finite numbers > 0, got {rates.tolist()}")
    n_steps = check_int("n_steps", n_steps, 1)
    check_seeds(seeds)
    seeds = list(seeds)
    if not all(isinstance(seed, numbers.Integral) for seed in seeds):
        raise ValueError("seeds must be ints >= 0 (the same runs for every batch size and rate)")
    # Each trial calls the public sgd_paths, losses_along and steps_to_target, which check
    # their arguments again (cheap next to the runs): SGD has no unchecked public core.
    results = []
    start = 0  # index of the best rate so far
    for b in sizes:
        tried, steps_of = {}, {}
        best = None
        for k in range(start, rates.size):
            paths = sgd_paths(X, y, w0, rates[k], b, n_steps, seeds)
            steps = steps_to_target(losses_along(X, y, paths), target)
            tried[rates[k]] = float(np.median(steps))
            steps_of[k] = steps
            if best is None or tried[rates[k]] < tried[rates[best]]:
                best = k
            elif np.isfinite(tried[rates[best]]):
                break  # slower than a smaller rate: larger ones will be slower still
        start = max(best - 1, 0)  # one below: a noisy measurement may have flattered it
        s = steps_of[best]
        results.append(
            StepsResult(
                b,
                float(rates[best]),
                float(np.median(s)),
                _percentile(s, 25),
                _percentile(s, 75),
                {float(r): m for r, m in tried.items()},
            )
        )
    return results


@shared_parameters
def minima_of_batches(X, y, batches) -> np.ndarray:
    """Return the refined minimum of each given batch's loss (the batches drawn by the caller).

    Parameters
    ----------
    batches : int array of shape (k, B)
        Row j holds the sample indices of batch j, in 0..n-1, e.g. from
        :func:`course_utils.batch_indices`.

    Returns
    -------
    ndarray of shape (k, 2)
        A row of NaN for a batch that a line through the origin separates (no minimum).
    """
    X, y = check_X_y(X, y)
    batches = np.asarray(batches)
    if batches.ndim != 2 or batches.size == 0 or not np.issubdtype(batches.dtype, np.integer):
        raise ValueError(
            f"batches must be a non-empty integer array of shape (k, B), got {batches!r}"
        )
    if batches.min() < 0 or batches.max() >= X.shape[0]:
        raise ValueError(f"batches must hold indices in 0..{X.shape[0] - 1}")
    return minima_of_sets(_engine.signed_points(X, y)[batches])


def _percentile(steps: np.ndarray, q: float) -> float:
    """Return ``np.percentile(steps, q)``, inf where it falls among runs that never arrived.

    (numpy gives NaN and a warning there: it interpolates between two infs.)
    """
    if np.all(np.isfinite(steps)):
        return float(np.percentile(steps, q))
    ordered = np.sort(steps)
    at = q / 100 * (ordered.size - 1)
    low, high = ordered[int(np.floor(at))], ordered[int(np.ceil(at))]
    if not np.isfinite(high):
        return float(high) if at > np.floor(at) or not np.isfinite(low) else float(low)
    return float(low + (high - low) * (at - np.floor(at)))


def _increasing(name: str, values) -> list:
    """``values`` as a non-empty list of strictly increasing real numbers, else a ValueError."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be an increasing sequence, got {values!r}")
    values = list(values)
    if not values or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values
    ):
        raise ValueError(f"{name} must be a non-empty sequence of numbers, got {values!r}")
    if any(not b > a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ValueError(f"{name} must be strictly increasing, got {values!r}")
    return values
