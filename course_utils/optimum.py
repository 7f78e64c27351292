"""Where the loss is lowest: separability and the refined minimum (Newton's method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _engine
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
        The loss there; for separable data the infimum, 0 (never reached).
    separable : bool
        True when some line through the origin puts every class on its own side: the loss
        then keeps falling along a ray and has no finite minimum.
    """

    w: np.ndarray
    loss: float
    separable: bool


def separable_mask(signed: np.ndarray) -> np.ndarray:
    """Which sets of signed points lie strictly inside a half-plane through the origin.

    Parameters
    ----------
    signed : ndarray of shape (k, b, 2)
        k sets of b points ``(2y - 1)·x``. A set is separable by a line through the origin
        exactly when the largest angular gap between its points exceeds π.

    Returns
    -------
    ndarray of shape (k,), bool
    """
    angles = np.sort(np.arctan2(signed[..., 1], signed[..., 0]), axis=-1)
    gaps = np.diff(angles, axis=-1, append=angles[..., :1] + 2.0 * np.pi)
    return gaps.max(axis=-1) > np.pi * (1.0 + 1e-12)


def is_separable(X, y) -> bool:
    """True when a line through the origin separates the two classes (no finite minimum)."""
    X, y = check_X_y(X, y)
    return bool(separable_mask(_engine.signed_points(X, y)[None])[0])


def _mean_losses(signed: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Loss of each set k at its own weights W[k]: signed (k, b, 2), W (k, 2) -> (k,)."""
    u = -np.einsum("kbi,ki->kb", signed, W)
    return np.mean(np.logaddexp(0.0, u), axis=-1)


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
    loss = _mean_losses(signed, W)
    for _ in range(_NEWTON_STEPS):
        q = _engine_sigmoid(-np.einsum("kbi,ki->kb", signed, W))  # σ(-m) = -dloss/dm
        grad = -np.einsum("kb,kbi->ki", q, signed) / signed.shape[1]
        curvature = q * (1.0 - q) / signed.shape[1]
        hessian = np.einsum("kb,kbi,kbj->kij", curvature, signed, signed)
        hessian += 1e-12 * np.eye(2)
        step = -np.linalg.solve(hessian, grad[..., None])[..., 0]
        scale = np.ones(len(W))
        todo = np.ones(len(W), bool)
        for _ in range(_HALVINGS):
            trial = _mean_losses(signed, W + scale[:, None] * step)
            todo = trial > loss + 1e-15 * np.abs(loss)
            if not todo.any():
                break
            scale[todo] /= 2
        scale[todo] = 0.0
        W += scale[:, None] * step
        new_loss = _mean_losses(signed, W)
        done = np.all(np.abs(grad) < 1e-13) or np.allclose(new_loss, loss, rtol=1e-15, atol=0)
        loss = new_loss
        if done:
            break
    return W


def _engine_sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def find_minimum(X, y) -> Minimum:
    """The weights of lowest full-batch loss, refined beyond any grid by Newton's method.

    Returns
    -------
    Minimum
        ``separable=True`` (and ``w`` NaN) when no finite minimum exists.
    """
    X, y = check_X_y(X, y)
    signed = _engine.signed_points(X, y)[None]
    if separable_mask(signed)[0]:
        return Minimum(w=np.full(2, np.nan), loss=0.0, separable=True)
    w = newton_minima(signed)[0]
    return Minimum(w=w, loss=float(_mean_losses(signed, w[None])[0]), separable=False)
