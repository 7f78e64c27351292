"""The loss as a surface over the (w1, w2) plane: sample, population, gradient, window."""

from __future__ import annotations

import math

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import (
    check_grid,
    check_int,
    check_no_nan,
    check_positive,
    check_weights,
    check_X_y,
)
from .data import class_centres, normal_cdf
from .optimum import Minimum, minimum_of


@shared_parameters
def loss_landscape(X, y, w1, w2) -> np.ndarray:
    """Return the full-batch cross-entropy at every point of a weight grid.

    It is this line of plain NumPy, computed without holding its n × len(w2) × len(w1) array
    (:mod:`course_utils._engine` takes it in blocks, with the exponentials factorised)::

        np.logaddexp(0, -np.einsum("n,ni,ijk->njk", 2 * y - 1, X, np.meshgrid(w1, w2))).mean(0)

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
        Element ``[i, j]`` is the mean loss at ``(w1[j], w2[i])`` (``meshgrid`` order).
    """
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    return _engine.summed_losses(_engine.signed_points(X, y), w1, w2) / X.shape[0]


@shared_parameters
def loss_at(X, y, w) -> float:
    """Return the full-batch cross-entropy at one weight vector.

    Returns
    -------
    float
        ``mean(softplus(-(2y - 1)·(X @ w)))``.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return float(_engine.mean_losses(_engine.signed_points(X, y), w))


@shared_parameters
def loss_gradient(X, y, w) -> np.ndarray:
    """Return the gradient of the full-batch loss, ``X.T @ (σ(X @ w) - y) / n``.

    Returns
    -------
    ndarray of shape (2,)
        ``(dL/dw1, dL/dw2)`` at ``w``.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return X.T @ (_engine.sigmoid(X @ w) - y) / X.shape[0]


@shared_parameters
def gradient_field(X, y, w1, w2) -> np.ndarray:
    """Return the gradient of the full-batch loss at every grid point.

    Parameters
    ----------
    w1, w2 : 1-D arrays
        The grid axes (small: the n × grid residuals are held at once).

    Returns
    -------
    ndarray of shape (2, len(w2), len(w1))
        ``[0]`` is dL/dw1, ``[1]`` is dL/dw2, each in ``meshgrid`` order.
    """
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    W = _engine.grid_points(w1, w2)
    residual = _engine.sigmoid(X @ W) - y[:, None]  # (n, g); grids for arrows are small
    return (X.T @ residual / X.shape[0]).reshape(2, w2.size, w1.size)


@shared_parameters
def grid_argmin(landscape, w1, w2) -> np.ndarray:
    """Return the grid point(s) of lowest loss.

    Parameters
    ----------
    landscape : array of shape (len(w2), len(w1)) or (k, len(w2), len(w1)), no NaN
        One landscape, or k of them.

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
    """Return the axes of an ``n × n`` grid over the square ``centre ± half_width``.

    Parameters
    ----------
    centre : array of shape (2,)
        The centre of the square.
    half_width : float > 0
        Half its side.
    n : int >= 2
        Grid values per axis.

    Returns
    -------
    w1, w2 : ndarrays of shape (n,)
    """
    centre = check_weights(centre, name="centre")
    half_width = check_positive("half_width", half_width)
    n = check_int("n", n, 2)
    return _square(centre, half_width, n)


def _square(centre: np.ndarray, half_width: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.linspace(-half_width, half_width, n)
    return centre[0] + offsets, centre[1] + offsets


@shared_parameters
def grid_window(X, y, n=61, pad=1.5, separable_half_width=8.0, *, minimum=None):
    """Return a square grid around the origin that holds the loss minimum with room to spare.

    Parameters
    ----------
    n : int >= 2
        Grid values per axis.
    pad : float > 1
        The half-width is ``pad`` times the larger coordinate of the refined minimum,
        rounded up to a whole number (at least 1).
    separable_half_width : float > 0
        The half-width when the data are separable (there is no finite minimum).
    minimum : Minimum or None
        ``find_minimum(X, y)`` when the caller has it already (it is then not solved
        again); None: solved here.

    Returns
    -------
    w1, w2 : ndarrays of shape (n,)
    """
    X, y = check_X_y(X, y)
    n = check_int("n", n, 2)
    pad = check_positive("pad", pad)
    if pad <= 1:
        raise ValueError(f"pad must be > 1 for the minimum to lie inside the window, got {pad}")
    separable_half = check_positive("separable_half_width", separable_half_width)
    if minimum is None:
        minimum = minimum_of(_engine.signed_points(X, y))
    elif not isinstance(minimum, Minimum):
        raise ValueError(
            f"minimum must be the Minimum that find_minimum(X, y) returns, or None, "
            f"got {type(minimum).__name__}"
        )
    if minimum.separable:
        half = separable_half
    else:
        half = max(1.0, math.ceil(pad * float(np.max(np.abs(minimum.w)))))
    return _square(np.zeros(2), half, n)


# Gauss-Legendre nodes on [-1, 1] for each smooth piece of the expectation (see below).
_LEGENDRE_NODES, _LEGENDRE_WEIGHTS = np.polynomial.legendre.leggauss(128)
_LOG_LEGENDRE_WEIGHTS = np.log(_LEGENDRE_WEIGHTS)
_TAIL_SIGMAS = 12.0  # a Gaussian beyond ±12 s carries less than e^-72 of its mass
_TAIL_DECAYS = 45.0  # a decaying exponential beyond 45 decay lengths: less than e^-45
_SOFT_END = 40.0  # the pieces are split here: ρ (below) bends only at smaller t
_MILLS_TERMS = 40  # continued-fraction terms for the Mills ratio: converged for r > 8
_NARROW_SD = 1e-4  # below this the Taylor remainder, ~sd⁴/8, is under 1e-17


def _log_hinge(mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``log E[max(-m, 0)]`` for ``m ~ N(mean, sd²)``: ``log(sd·(φ(r) - r·Φ(-r)))``, r = mean/sd.

    For r > 8 the difference cancels (and φ underflows for r > 38); there
    ``φ(r) - r·Φ(-r) = φ(r)·c/(r + c)`` with ``Φ(-r) = φ(r)/(r + c)`` and c from Laplace's
    continued fraction ``c = 1/(r + 2/(r + 3/(r + ...)))``, and φ is taken in log form.
    """
    r = mean / sd
    out = np.empty_like(r)
    near = r <= 8.0
    rn = r[near]
    out[near] = np.log(np.exp(-0.5 * rn**2) / math.sqrt(2.0 * math.pi) - rn * normal_cdf(-rn))
    rf = r[~near]
    tail = np.zeros_like(rf)
    for k in range(_MILLS_TERMS, 1, -1):
        tail = k / (rf + tail)
    c = 1.0 / (rf + tail)
    out[~near] = -0.5 * rf**2 - 0.5 * math.log(2.0 * math.pi) + np.log(c / (rf + c))
    return np.log(sd) + out


def _log_soft_side(a: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``log ∫_0^∞ log1p(exp(-t))·N(t; a, sd²) dt``, elementwise, by Gauss-Legendre in log space.

    ``log1p(exp(-t)) = exp(-t)·ρ(t)`` with ρ between log 2 and 1, so the integrand is ρ times
    a Gaussian tilted to the mean ``a - sd²`` (times a constant). It is integrated over the
    part of the half-line where that Gaussian has all but e^-45 of its mass there, cut at
    t = 40 (ρ has its only feature below): each piece holds a smooth function over at most a
    few dozen of its own length scales, which 128 nodes integrate to rounding.
    """
    tilted = a - sd**2
    far = np.minimum(_TAIL_SIGMAS * sd, _TAIL_DECAYS * sd**2 / np.maximum(-tilted, 1e-300))
    lo = np.where(tilted >= 0, np.maximum(tilted - _TAIL_SIGMAS * sd, 0.0), 0.0)
    hi = np.where(tilted >= 0, tilted + _TAIL_SIGMAS * sd, far)
    pieces = []
    for start, stop in ((lo, np.minimum(hi, _SOFT_END)), (np.maximum(lo, _SOFT_END), hi)):
        half = (stop - start) / 2.0
        used = half > 0
        log_piece = np.full(a.shape, -np.inf)
        # nodes as offsets from the mean: exact even where sd is far below the mean's rounding
        offset = (start - a)[used, None] + half[used, None] * (1.0 + _LEGENDRE_NODES)
        t = a[used, None] + offset
        # log(log1p(exp(-t))); beyond t = 700 it is -t to within e^-700
        clipped = np.minimum(t, 700.0)
        log_soft = np.log(_engine.softplus(-clipped)) - (t - clipped)
        terms = log_soft - 0.5 * (offset / sd[used, None]) ** 2 + _LOG_LEGENDRE_WEIGHTS
        peak = terms.max(axis=-1, keepdims=True)
        log_sum = peak[:, 0] + np.log(np.sum(np.exp(terms - peak), axis=-1))
        log_piece[used] = log_sum + np.log(half[used] / (sd[used] * math.sqrt(2.0 * math.pi)))
        pieces.append(log_piece)
    return np.logaddexp(*pieces)


def _gaussian_expected_loss(mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``E[softplus(-m)]`` for ``m ~ N(mean, sd²)``, elementwise, ``sd > 0``.

    ``softplus(-m) = max(-m, 0) + log1p(exp(-|m|))``: the first term has a closed form; the
    second is integrated on each side of m = 0 (:func:`_log_soft_side`). All three parts are
    positive and are added in log space, so the result keeps its relative accuracy down to
    the smallest normal float (the losses far beyond the minimum are as small as e^-700).
    """
    parts = np.stack([_log_hinge(mean, sd), _log_soft_side(mean, sd), _log_soft_side(-mean, sd)])
    peak = parts.max(axis=0)
    return np.exp(peak + np.log(np.sum(np.exp(parts - peak), axis=0)))


@shared_parameters
def population_landscape(distance, sigma, w1, w2) -> np.ndarray:
    """Return the expected loss over the two Gaussian classes in equal proportion, on a grid.

    The margin ``m = (2y - 1)·w·x`` of a random sample is Gaussian with mean ``w·μ1`` and
    standard deviation ``σ·|w|`` in both classes (the centres are ``±μ``), so the expectation
    is a one-dimensional integral, evaluated by quadrature in log space: relative error below
    1e-9 wherever the loss is a normal float (down to about 2.2e-308; smaller losses lose
    digits as subnormal floats do, and below about 5e-324 are 0).

    Parameters
    ----------
    distance : float > 0
        Distance between the class centres (:func:`course_utils.class_centres`).
    sigma : float > 0
        Per-axis standard deviation of each class.

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
        Element ``[i, j]`` is the expected loss at ``(w1[j], w2[i])`` (``meshgrid`` order).
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
    p = _engine.sigmoid(mean[narrow])
    loss = np.empty(mean.shape)
    loss[narrow] = _engine.softplus(-mean[narrow]) + 0.5 * sd[narrow] ** 2 * p * (1 - p)
    loss[~narrow] = _gaussian_expected_loss(mean[~narrow], sd[~narrow])
    return loss
