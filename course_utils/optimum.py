"""Where the loss is lowest: separability and the refined minimum (Newton's method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import check_X_y

_NEWTON_STEPS = 50
_HALVINGS = 30


@dataclass(frozen=True)
class Minimum:
    """The minimum of a loss, or the fact that it has none.

    Attributes
    ----------
    w : ndarray of shape (2,)
        The minimising weights; NaN when the data are separable.
    loss : float
        The loss there. For separable data 0.0: the loss only approaches its infimum
        along a ray, and that infimum is 0 unless some points lie on the separating line.
    separable : bool
        True when some line through the origin puts every class on its own side (points on
        the line allowed, not all of them): the loss then keeps falling along a ray and has
        no finite minimum.
    """

    w: np.ndarray
    loss: float
    separable: bool


def separable_mask(signed: np.ndarray) -> np.ndarray:
    """Which sets of signed points have a loss with no finite minimum.

    Parameters
    ----------
    signed : ndarray of shape (k, b, 2)
        k sets of b points ``(2y - 1)·x``. The loss of a set keeps falling along a ray exactly
        when its points lie in a closed half-plane through the origin with at least one point
        off the boundary line: when exactly one angular gap between its points is at least π.
        (Two gaps of π: every point is on one line, on both sides; the loss is then lowest
        all along a line.)

    Returns
    -------
    ndarray of shape (k,), bool
    """
    at_origin = np.all(signed == 0, axis=-1)
    angles = np.arctan2(signed[..., 1], signed[..., 0])
    # A point at the origin has margin 0 at every w: it adds a constant and has no direction.
    # It borrows the angle of a point of its set that has one (a repeated angle changes no
    # gap); a set with no such point has a constant loss, minimal everywhere.
    first = np.argmax(~at_origin, axis=-1)[..., None]
    angles = np.where(at_origin, np.take_along_axis(angles, first, axis=-1), angles)
    angles = np.sort(angles, axis=-1)
    gaps = np.diff(angles, axis=-1, append=angles[..., :1] + 2.0 * np.pi)
    # Gaps within rounding of π count as π, so points on a common line are recognised.
    wide = gaps >= np.pi * (1.0 - 1e-12)
    return (wide.sum(axis=-1) == 1) & ~at_origin.all(axis=-1)


@shared_parameters
def is_separable(X, y) -> bool:
    """Tell whether the loss has no finite minimum: it keeps falling along a ray.

    That is when a line through the origin has each class on its own side; points on the
    line are allowed, as long as not every point is on it.

    Returns
    -------
    bool
    """
    X, y = check_X_y(X, y)
    return bool(separable_mask(_engine.signed_points(X, y)[None])[0])


def newton_minima(signed: np.ndarray) -> np.ndarray:
    """Minimise the loss of each of k point sets at once by damped Newton steps.

    Parameters
    ----------
    signed : ndarray of shape (k, b, 2), signed points of sets that are not separable

    Returns
    -------
    ndarray of shape (k, 2)
    """
    W = np.zeros((signed.shape[0], 2))
    loss = _engine.mean_losses(signed, W)
    for _ in range(_NEWTON_STEPS):
        q = _engine.sigmoid(-np.einsum("kbi,ki->kb", signed, W))  # σ(-m) = -dloss/dm
        grad = -np.einsum("kb,kbi->ki", q, signed) / signed.shape[1]
        curvature = q * (1.0 - q) / signed.shape[1]
        hessian = np.einsum("kb,kbi,kbj->kij", curvature, signed, signed)
        # Relative regulariser: a Hessian of any scale stays invertible (collinear points)
        # without slowing Newton down on data of small coordinates.
        trace = np.trace(hessian, axis1=-2, axis2=-1)
        hessian += (1e-12 * trace + 1e-300)[:, None, None] * np.eye(2)
        step = -np.linalg.solve(hessian, grad[..., None])[..., 0]
        # Where the Newton decrement g·H⁻¹g (twice the predicted fall) is below the rounding
        # of the loss, comparing losses cannot judge the step: that close, take it whole.
        final = -np.sum(grad * step, axis=-1) < 1e-13 * np.abs(loss)
        scale = np.ones(len(W))
        todo = np.ones(len(W), bool)
        for _ in range(_HALVINGS):
            trial = _engine.mean_losses(signed, W + scale[:, None] * step)
            todo = (trial > loss + 1e-15 * np.abs(loss)) & ~final
            if not todo.any():
                break
            scale[todo] /= 2
        scale[todo] = 0.0
        W += scale[:, None] * step
        new_loss = _engine.mean_losses(signed, W)
        # gradient small relative to the points' size: the test holds in any units
        flat = np.abs(grad) < 1e-13 * np.max(np.abs(signed), axis=(1, 2))[:, None]
        done = np.all(flat) or np.allclose(new_loss, loss, rtol=1e-15, atol=0)
        loss = new_loss
        if done:
            break
    return W


@shared_parameters
def find_minimum(X, y) -> Minimum:
    """Return the weights of lowest full-batch loss, refined beyond any grid by Newton's method.

    Returns
    -------
    Minimum
        ``separable=True`` (and ``w`` NaN) when no finite minimum exists.
    """
    X, y = check_X_y(X, y)
    return minimum_of(_engine.signed_points(X, y))


def minimum_of(signed: np.ndarray) -> Minimum:
    """:func:`find_minimum` of checked signed points of shape (n, 2) (no validation)."""
    signed = signed[None]
    if separable_mask(signed)[0]:
        return Minimum(w=np.full(2, np.nan), loss=0.0, separable=True)
    w = newton_minima(signed)[0]
    return Minimum(w=w, loss=float(_engine.mean_losses(signed, w[None])[0]), separable=False)


def minima_of_sets(signed: np.ndarray) -> np.ndarray:
    """Return the minimum of each of k sets of checked signed points (no validation).

    Parameters
    ----------
    signed : ndarray of shape (k, b, 2)
        k sets of b points ``(2y - 1)·x``, e.g. the batches ``signed_points(X, y)[batches]``.

    Returns
    -------
    ndarray of shape (k, 2)
        A row of NaN for a set that a line through the origin separates (no finite minimum).
    """
    separable = separable_mask(signed)
    minima = np.full((signed.shape[0], 2), np.nan)
    if not separable.all():
        minima[~separable] = newton_minima(signed[~separable])
    return minima
