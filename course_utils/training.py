"""Experiments on training (notebook 06): steps to a target loss with a tuned learning rate,
and the curvature and gradient covariance at a point, which set the noise ball."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_int, check_weights, check_X_y
from .minibatch import per_sample_gradients
from .model import sigmoid
from .optimum import newton_minima, separable_mask
from .sgd import losses_along, sgd_paths, steps_to_target


def loss_hessian(X, y, w) -> np.ndarray:
    """The curvature H of the full-batch loss at ``w``: its matrix of second derivatives.

    ``H = (1/n) Σ p_i (1 - p_i) x_i x_iᵀ`` with ``p_i = sigmoid(w · x_i)``.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w : array of shape (2,)

    Returns
    -------
    ndarray of shape (2, 2), symmetric, positive semi-definite.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    p = sigmoid(X @ w)
    return (X * (p * (1.0 - p))[:, None]).T @ X / X.shape[0]


def gradient_covariance(X, y, w) -> np.ndarray:
    """Σ: the covariance of the per-sample gradients ``g_i(w)`` over the data set.

    ``Σ = (1/n) Σ (g_i - G)(g_i - G)ᵀ`` with ``G`` the full gradient; a batch of ``B`` drawn
    without replacement has a gradient error of covariance ``Σ/B · (n - B)/(n - 1)``.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w : array of shape (2,)

    Returns
    -------
    ndarray of shape (2, 2)
    """
    g = per_sample_gradients(X, y, w)
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


def steps_with_tuned_rate(
    X, y, w0, target, batch_sizes, learning_rates, n_steps, seeds
) -> list[StepsResult]:
    """For each batch size, the steps until the loss stays below ``target``, learning rate tuned.

    The learning rate is the one of ``learning_rates`` with the fewest median steps over the
    runs. The search is the one a person would do by hand: batch sizes in increasing order,
    each starting one rate below the previous batch size's best and trying larger ones until
    the steps stop falling (the best rate does not fall as the batch grows: a bigger batch is
    less noisy).

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w0 : array of shape (2,), the start
    target : float, the loss to reach and stay below
    batch_sizes : increasing sequence of int in 1..n
    learning_rates : increasing sequence of float > 0, the grid
    n_steps : int >= 1, the most steps a run takes
    seeds : sequence of int, one per run (the same runs for every batch size and rate)

    Returns
    -------
    list of StepsResult, one per batch size.
    """
    X, y = check_X_y(X, y)
    n_steps = check_int("n_steps", n_steps, 1)
    sizes = [check_int("batch_sizes", b, 1, X.shape[0]) for b in batch_sizes]
    rates = np.asarray(learning_rates, dtype=float)
    if sizes != sorted(sizes) or rates.ndim != 1 or rates.size == 0 or np.any(np.diff(rates) <= 0):
        raise ValueError("batch_sizes and learning_rates must be increasing sequences")
    if not np.all(rates > 0):
        raise ValueError("learning_rates must be > 0")
    target = float(target)
    if not np.isfinite(target):
        raise ValueError(f"target must be a finite number, got {target}")
    seeds = list(seeds)
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
                float(np.percentile(s, 25)),
                float(np.percentile(s, 75)),
                {float(r): m for r, m in tried.items()},
            )
        )
    return results


def minima_of_batches(X, y, batches) -> np.ndarray:
    """The refined minimum of each given batch's loss (the batches drawn once, by the caller).

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    batches : int array of shape (k, B), e.g. from :func:`course_utils.batch_indices`

    Returns
    -------
    ndarray of shape (k, 2)
        A row of NaN for a batch that a line through the origin separates (no minimum).
    """
    X, y = check_X_y(X, y)
    batches = np.asarray(batches)
    if batches.ndim != 2 or batches.size == 0 or not np.issubdtype(batches.dtype, np.integer):
        raise ValueError("batches must be a non-empty integer array of shape (k, B)")
    if batches.min() < 0 or batches.max() >= X.shape[0]:
        raise ValueError(f"batches must hold indices in 0..{X.shape[0] - 1}")
    signed = (X * (2.0 * y - 1.0)[:, None])[batches]  # (k, B, 2): y·x, as every margin uses
    separable = separable_mask(signed)
    minima = np.full((batches.shape[0], 2), np.nan)
    if not separable.all():
        minima[~separable] = newton_minima(signed[~separable])
    return minima
