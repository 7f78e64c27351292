"""The loss as a surface over the (w1, w2) plane: sample, population, gradient, window."""

from __future__ import annotations

import math

import numpy as np

from . import _engine
from ._validation import (
    check_grid,
    check_int,
    check_no_nan,
    check_positive,
    check_weights,
    check_X_y,
)
from .data import class_centres, normal_cdf
from .model import sigmoid
from .optimum import find_minimum


def loss_landscape(X, y, w1, w2) -> np.ndarray:
    """The full-batch cross-entropy at every point of a weight grid.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w1, w2 : 1-D arrays, the grid axes

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
        Element ``[i, j]`` is the mean loss at ``(w1[j], w2[i])`` (``meshgrid`` order).
    """
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    return _engine.summed_losses(_engine.signed_points(X, y), w1, w2) / X.shape[0]


def loss_at(X, y, w) -> float:
    """The full-batch cross-entropy at one weight vector ``w`` of shape (2,)."""
    X, y = check_X_y(X, y)
    w = check_weights(w)
    totals = _engine.summed_losses(_engine.signed_points(X, y), w[:1], w[1:])
    return float(totals[0, 0] / X.shape[0])


def loss_gradient(X, y, w) -> np.ndarray:
    """Gradient of the full-batch loss at ``w``: ``X.T @ (σ(X @ w) - y) / n``, shape (2,)."""
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0]


def gradient_field(X, y, w1, w2) -> np.ndarray:
    """The loss gradient at every grid point, shape (2, len(w2), len(w1)): dL/dw1, dL/dw2."""
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    W = _engine.grid_points(w1, w2)
    residual = sigmoid(X @ W) - y[:, None]  # (n, g); grids for arrows are small
    return (X.T @ residual / X.shape[0]).reshape(2, w2.size, w1.size)


def grid_argmin(landscape, w1, w2) -> np.ndarray:
    """The grid point(s) of lowest loss.

    Parameters
    ----------
    landscape : array of shape (len(w2), len(w1)) or (k, len(w2), len(w1)), no NaN

    Returns
    -------
    ndarray of shape (2,) or (k, 2)
        ``(w1, w2)`` of each landscape's smallest value.
    """
    w1, w2 = check_grid(w1, w2)
    surfaces = check_no_nan("landscape", landscape)
    if surfaces.shape[-2:] != (w2.size, w1.size) or surfaces.ndim > 3:
        raise ValueError(
            f"landscape must end in shape (len(w2), len(w1)) = {(w2.size, w1.size)}, "
            f"got {surfaces.shape}"
        )
    flat = surfaces.reshape(*surfaces.shape[:-2], -1).argmin(axis=-1)
    rows, cols = np.unravel_index(flat, (w2.size, w1.size))
    return np.stack([w1[cols], w2[rows]], axis=-1)


def square_grid(centre, half_width, n=61) -> tuple[np.ndarray, np.ndarray]:
    """Axes ``w1, w2`` of an ``n × n`` grid over the square ``centre ± half_width``."""
    centre = check_weights(centre, name="centre")
    half_width = check_positive("half_width", half_width)
    n = check_int("n", n, 2)
    offsets = np.linspace(-half_width, half_width, n)
    return centre[0] + offsets, centre[1] + offsets


def grid_window(X, y, n=61, pad=1.5, separable_half_width=8.0):
    """A square grid around the origin that contains the loss minimum with room to spare.

    The half-width is ``pad`` (> 1) times the larger coordinate of the refined minimum,
    rounded up to a whole number. When the data are separable there is no finite minimum,
    and ``separable_half_width`` (> 0) is used instead.

    Returns
    -------
    w1, w2 : ndarrays of shape (n,)
    """
    pad = check_positive("pad", pad)
    if pad <= 1:
        raise ValueError(f"pad must be > 1 for the minimum to lie inside the window, got {pad}")
    separable_half = check_positive("separable_half_width", separable_half_width)
    n = check_int("n", n, 2)
    minimum = find_minimum(X, y)
    if minimum.separable:
        half = separable_half
    else:
        half = max(1.0, math.ceil(pad * float(np.max(np.abs(minimum.w)))))
    return square_grid(np.zeros(2), half, n)


# Gauss-Legendre nodes on [-1, 1]; enough for 1e-12 on each smooth piece (see below).
_LEGENDRE_NODES, _LEGENDRE_WEIGHTS = np.polynomial.legendre.leggauss(128)
_TAIL_SIGMAS = 12.0  # the Gaussian beyond ±12 s carries less than 1e-32 of the mass
_SOFT_RANGE = 50.0  # log1p(exp(-|m|)) < 2e-22 beyond |m| = 50
_NARROW_SD = 1e-4  # below this the Taylor remainder, ~sd⁴/8, is under 1e-17


def _gaussian_expected_loss(mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``E[softplus(-m)]`` for ``m ~ N(mean, sd²)``, elementwise, ``sd > 0``.

    softplus(-m) = max(-m, 0) + log1p(exp(-|m|)): the first term has a closed form, the
    second is smooth on each side of m = 0 and negligible far from it, so it is integrated
    by Gauss-Legendre on the pieces [lo, 0] and [0, hi] of the Gaussian's bulk.
    """
    ratio = mean / sd
    pdf = np.exp(-0.5 * ratio**2) / math.sqrt(2.0 * math.pi)
    hinge = sd * pdf - mean * normal_cdf(-ratio)
    # The bulk's half-width, capped where it reaches past ±50 anyway (12·sd can overflow).
    reach = _TAIL_SIGMAS * np.minimum(sd, (np.abs(mean) + _SOFT_RANGE) / _TAIL_SIGMAS)
    lo = np.maximum(mean - reach, -_SOFT_RANGE)
    hi = np.minimum(mean + reach, _SOFT_RANGE)
    smooth = np.zeros_like(mean)
    for a, b in ((lo, np.minimum(hi, 0.0)), (np.maximum(lo, 0.0), hi)):
        half = np.maximum(b - a, 0.0)[..., None] / 2.0
        m = (a + b)[..., None] / 2.0 + half * _LEGENDRE_NODES
        density = np.exp(-0.5 * ((m - mean[..., None]) / sd[..., None]) ** 2)
        density /= math.sqrt(2.0 * math.pi) * sd[..., None]
        smooth += np.sum(half * _LEGENDRE_WEIGHTS * np.log1p(np.exp(-np.abs(m))) * density, -1)
    return hinge + smooth


def population_landscape(distance, sigma, w1, w2) -> np.ndarray:
    """The expected loss over the two Gaussian classes in equal proportion, on a grid.

    The margin ``m = (2y - 1)·w·x`` of a random sample is Gaussian with mean ``w·μ1`` and
    standard deviation ``σ·|w|`` in both classes (the centres are ``±μ``), so the expectation
    is a one-dimensional integral, evaluated by quadrature (relative error below 1e-9).

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
    """
    sigma = check_positive("sigma", sigma)
    mu1 = class_centres(distance)[1]
    w1, w2 = check_grid(w1, w2)
    ww1, ww2 = np.meshgrid(w1, w2)
    mean = ww1 * mu1[0] + ww2 * mu1[1]
    sd = sigma * np.hypot(ww1, ww2)
    # For a nearly constant margin (tiny |w|), quadrature would divide by ~0: use Taylor,
    # E[f(m)] = f(mean) + sd²/2 · f''(mean) + O(sd⁴), with f = softplus(-m), f'' = σ(1 - σ).
    narrow = sd < _NARROW_SD
    p = sigmoid(mean[narrow])
    loss = np.empty(mean.shape)
    loss[narrow] = np.logaddexp(0.0, -mean[narrow]) + 0.5 * sd[narrow] ** 2 * p * (1 - p)
    loss[~narrow] = _gaussian_expected_loss(mean[~narrow], sd[~narrow])
    return loss
