"""Experiments on training (notebook 06).

Steps to a target loss with a tuned learning rate, and the curvature and gradient covariance
at a point, which set the noise ball.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import (
    as_generator,
    check_int,
    check_real,
    check_seeds,
    check_weights,
    check_X_y,
)
from .minibatch import per_sample_gradients
from .optimum import Minimum, minima_of_sets, minimum_of
from .sgd import _descend, _schedules


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


# The search's rates run side by side in one SGD call: four at first (it usually stops after
# three or four: one below the last best, the best, one or two above), then three more.
# Fewer, larger calls: a step costs little more for four rates than for two (0.37 -> 0.27 s
# for notebook 06's search, measured; the same runs, the same results).
_FIRST_CHUNK, _NEXT_CHUNK = 4, 3


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
    # The runs of a batch size share their batches whatever the rate: drawn once, and the
    # rates run side by side, a few at a time (_FIRST_CHUNK, then _NEXT_CHUNK).
    signed = _engine.signed_points(X, y)
    minimum = minimum_of(signed)
    n_seeds = len(seeds)
    results = []
    start = 0  # index of the best rate so far
    for b in sizes:
        schedules = _schedules(X.shape[0], b, n_steps, [as_generator(s) for s in seeds], "epochs")
        steps_of = {}
        best = None
        for k in range(start, rates.size):
            if k not in steps_of:
                chunk = rates[k : k + (_FIRST_CHUNK if k == start else _NEXT_CHUNK)]
                paths = _descend(signed, w0, np.repeat(chunk, n_seeds), schedules * chunk.size)
                for j in range(chunk.size):
                    runs = paths[j * n_seeds : (j + 1) * n_seeds]
                    steps_of[k + j] = _arrival_steps(signed, runs, target, minimum)
            if best is None or np.median(steps_of[k]) < np.median(steps_of[best]):
                best = k
            elif np.isfinite(np.median(steps_of[best])):
                break  # slower than a smaller rate: larger ones will be slower still
        tried = {float(rates[j]): float(np.median(steps_of[j])) for j in range(start, k + 1)}
        start = max(best - 1, 0)  # one below: a noisy measurement may have flattered it
        s = steps_of[best]
        results.append(
            StepsResult(
                b,
                float(rates[best]),
                float(np.median(s)),
                _percentile(s, 25),
                _percentile(s, 75),
                tried,
            )
        )
    return results


def _arrival_steps(signed, paths, target, minimum: Minimum) -> np.ndarray:
    """``steps_to_target(losses_along(X, y, paths), target)``, evaluating few of the losses.

    Only the last point above the target matters. Points that a bound proves below it
    (:func:`_surely_below`) are not evaluated; the others are evaluated from the end of
    each path backwards, in growing chunks, until the last one above is found.

    Returns
    -------
    ndarray of shape (runs,), float (inf: the run ends above the target)
    """
    runs, points = paths.shape[:2]
    unknown = ~_surely_below(signed, paths, target, minimum)
    last_above = np.full(runs, -1)
    chunk = 16
    while unknown.any():
        # the last `chunk` unknown points of each run, evaluated at once
        from_end = np.cumsum(unknown[:, ::-1], axis=1)[:, ::-1]
        taken = unknown & (from_end <= chunk)
        run, step = np.nonzero(taken)
        at = paths[run, step]
        finite = np.all(np.isfinite(at), axis=1)
        above = ~finite
        above[finite] = _engine.mean_losses(signed, at[finite]) > target
        np.maximum.at(last_above, run[above], step[above])
        unknown &= ~taken
        unknown[np.unique(run[above])] = False  # found: earlier points do not matter
        chunk *= 2
    steps = (last_above + 1).astype(float)
    steps[last_above == points - 1] = np.inf
    return steps


def _surely_below(signed, paths, target, minimum: Minimum) -> np.ndarray:
    """Which points of the paths have a loss surely at most ``target``, shape (runs, points).

    Within a distance R of the minimum w*, sample i's margin is at least
    ``|m_i(w*)| - |s_i| R`` away from 0, so its curvature ``sigmoid'(m)`` is at most
    ``c_i = sigmoid'(max(0, |m_i(w*)| - |s_i| R))`` and the Hessian is below
    ``H_R = (1/n) Σ c_i s_i s_iᵀ``. Taylor's theorem then bounds the loss at ``w* + d``,
    ``|d| <= R``, by ``L(w*) + g·d + ½ dᵀ H_R d`` (g: the gradient at w*, about 0). A point is
    surely below when that bound is, with a margin for rounding, for one of a few R.
    """
    below = np.zeros(paths.shape[:2], dtype=bool)
    slack = target - minimum.loss - 1e-9 * max(1.0, abs(target))
    if minimum.separable or not slack > 0:
        return below
    with np.errstate(invalid="ignore"):  # inf - w* stays inf, never below
        d1, d2 = paths[..., 0] - minimum.w[0], paths[..., 1] - minimum.w[1]
        distance2 = d1**2 + d2**2
    g, bounds = _curvature_bounds(signed.tobytes(), minimum.w.tobytes())
    for radius, H in bounds:
        bound = (
            g[0] * d1
            + g[1] * d2
            + 0.5 * (H[0, 0] * d1**2 + 2 * H[0, 1] * d1 * d2 + H[1, 1] * d2**2)
        )
        below |= (distance2 <= radius**2) & (bound <= slack)
    return below


@functools.lru_cache(maxsize=4)
def _curvature_bounds(signed_bytes: bytes, w_bytes: bytes):
    """Return the gradient at w* and (R, H_R) for a few radii R (see :func:`_surely_below`)."""
    signed = np.frombuffer(signed_bytes).reshape(-1, 2)
    w = np.frombuffer(w_bytes)
    margins = signed @ w
    g = -(_engine.sigmoid(-margins)[:, None] * signed).mean(axis=0)
    lengths = np.sqrt(np.sum(signed**2, axis=1))
    bounds = []
    for radius in (0.125, 0.25, 0.5, 1.0, 2.0):
        q = _engine.sigmoid(np.maximum(np.abs(margins) - lengths * radius, 0.0))
        bounds.append((radius, (signed * (q * (1.0 - q))[:, None]).T @ signed / signed.shape[0]))
    return g, bounds


@shared_parameters
def noise_ball_radii(
    X, y, centre, lr, batch_size, n_steps, seeds, sampling="epochs", burn_in=0.5
) -> np.ndarray:
    """Return the noise-ball radius of SGD started at ``centre``, for each (lr, batch size).

    For each pair, one run per seed starts at ``centre`` (usually the minimum) and takes
    ``n_steps`` steps; the radius is :func:`course_utils.noise_ball_radius` of those runs.
    Every run of every pair goes in one vectorised SGD (the runs of one batch size share
    their batches, drawn once), the same runs as :func:`course_utils.sgd_paths` with these
    seeds.

    Parameters
    ----------
    centre : array of shape (2,)
        The start of every run, and the point the distances are taken from.
    lr : float > 0 or array of them
        Learning rates; broadcast against ``batch_size``.
    batch_size : int in 1..n or array of them
        Batch sizes; broadcast against ``lr``.
    n_steps : int >= 1
        Steps per run.
    seeds : sequence of int >= 0
        One per run: the same runs for every pair.
    sampling : "epochs" or "independent"
        How the batches are drawn (:func:`course_utils.sgd_paths`).
    burn_in : float in [0, 1)
        The fraction of each path's points left out at its start.

    Returns
    -------
    ndarray of shape ``np.broadcast(lr, batch_size).shape``
        The root-mean-square distance from ``centre`` after the burn-in, per pair.
    """
    X, y = check_X_y(X, y)
    centre = check_weights(centre, name="centre")
    rates = _positive_array("lr", lr)
    sizes = _size_array("batch_size", batch_size, X.shape[0])
    try:
        shape = np.broadcast_shapes(rates.shape, sizes.shape)
    except ValueError:
        raise ValueError(
            f"lr and batch_size must broadcast together, got shapes {rates.shape} and {sizes.shape}"
        ) from None
    n_steps = check_int("n_steps", n_steps, 1)
    check_seeds(seeds)
    seeds = list(seeds)
    if not all(isinstance(seed, numbers.Integral) for seed in seeds):
        raise ValueError("seeds must be ints >= 0 (the same runs for every pair)")
    if sampling not in ("epochs", "independent"):
        raise ValueError(f"sampling must be 'epochs' or 'independent', got {sampling!r}")
    burn_in = check_real("burn_in", burn_in)
    if not 0 <= burn_in < 1:
        raise ValueError(f"burn_in must be in [0, 1), got {burn_in}")
    rates = np.broadcast_to(rates, shape).ravel()
    sizes = np.broadcast_to(sizes, shape).ravel()
    drawn = {
        b: _schedules(X.shape[0], b, n_steps, [as_generator(s) for s in seeds], sampling)
        for b in dict.fromkeys(sizes.tolist())
    }
    schedules = [batches for b in sizes.tolist() for batches in drawn[b]]
    paths = _descend(_engine.signed_points(X, y), centre, np.repeat(rates, len(seeds)), schedules)
    settled = paths[:, int(burn_in * paths.shape[1]) :] - centre
    squared = np.sum(settled**2, axis=-1).reshape(rates.size, -1)
    return np.sqrt(np.mean(squared, axis=1)).reshape(shape)


def _positive_array(name: str, value) -> np.ndarray:
    """``value`` as a float array of finite numbers > 0, else a ValueError naming it."""
    values = np.asarray(value, dtype=object)
    if values.size == 0 or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values.ravel()
    ):
        raise ValueError(f"{name} must be a number > 0 or an array of them, got {value!r}")
    values = values.astype(float)
    if not np.all(np.isfinite(values) & (values > 0)):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return values


def _size_array(name: str, value, n: int) -> np.ndarray:
    """``value`` as an int array of batch sizes in 1..n, else a ValueError naming it."""
    values = np.asarray(value, dtype=object)
    if values.size == 0 or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and 1 <= v <= n
        for v in values.ravel()
    ):
        raise ValueError(f"{name} must be an int in 1..{n} or an array of them, got {value!r}")
    return values.astype(int)


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
