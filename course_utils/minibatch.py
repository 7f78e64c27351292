"""Minibatches: their landscapes, the variance law, their minima, and the gradient noise scale."""

from __future__ import annotations

import numpy as np

from . import _engine
from ._validation import as_generator, check_grid, check_int, check_weights, check_X_y
from .model import sigmoid
from .optimum import newton_minima, separable_mask


def batch_indices(n, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Sample indices of minibatches drawn as in training: epochs of shuffled, disjoint batches.

    Parameters
    ----------
    n : int >= 1
        Size of the data set.
    batch_size : int in 1..n
    n_batches : int >= 1 or None
        None: one epoch, ``n // batch_size`` batches (the leftover samples are dropped).
        More batches than one epoch holds: further epochs, each freshly shuffled.
    seed : int or numpy.random.Generator

    Returns
    -------
    ndarray of shape (n_batches, batch_size), int
    """
    n = check_int("n", n, 1)
    batch_size = check_int("batch_size", batch_size, 1, n)
    per_epoch = n // batch_size
    if n_batches is None:
        n_batches = per_epoch
    n_batches = check_int("n_batches", n_batches, 1)
    rng = as_generator(seed)
    n_epochs = -(-n_batches // per_epoch)
    epochs = [rng.permutation(n)[: per_epoch * batch_size] for _ in range(n_epochs)]
    return np.concatenate(epochs).reshape(-1, batch_size)[:n_batches]


def _checked(X, y, w1, w2, batch_size):
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    batch_size = check_int("batch_size", batch_size, 1, X.shape[0])
    return X, y, w1, w2, batch_size


def minibatch_landscapes(X, y, w1, w2, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """The loss landscape of each of several minibatches.

    Each sample's loss over the grid is computed once and shared by every batch holding it.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,), labels in {0, 1}
    w1, w2 : 1-D arrays, the grid axes
    batch_size : int in 1..n
    n_batches : int >= 1 or None
        None: one epoch (``n // batch_size`` disjoint batches); see :func:`batch_indices`.
    seed : int or numpy.random.Generator

    Returns
    -------
    ndarray of shape (n_batches, len(w2), len(w1))
        The mean loss of batch k at ``(w1[j], w2[i])`` is element ``[k, i, j]``.
    """
    X, y, w1, w2, batch_size = _checked(X, y, w1, w2, batch_size)
    batches = batch_indices(X.shape[0], batch_size, n_batches, seed)
    k = batches.shape[0]
    signed = _engine.signed_points(X, y)
    if k * batch_size <= X.shape[0]:
        # One epoch: each sample is in at most one batch; compute its losses in batch order.
        return _engine.group_means(signed[batches.ravel()], w1, w2, batch_size)
    # Several epochs: each sample's losses are computed once per block, then shared.
    order = batches.ravel()
    averaging = np.full(batch_size, 1.0 / batch_size)

    def batch_means(losses: np.ndarray) -> np.ndarray:  # (points, n) -> (points, k)
        return losses[:, order].reshape(losses.shape[0], k, batch_size) @ averaging

    means = _engine.reduced_losses(signed, w1, w2, batch_means)  # (len(w2), len(w1), k)
    return np.ascontiguousarray(np.moveaxis(means, -1, 0))


def minibatch_loss_variance(X, y, w1, w2, batch_size) -> np.ndarray:
    """The exact variance of a random minibatch's loss at each grid point.

    For a batch of B samples drawn without replacement from n,
    ``Var[L_B(w)] = S²(w)/B · (n - B)/(n - 1)``, where ``S²(w)`` is the variance of the
    per-sample losses over the whole data set (divided by n).

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
    """
    X, y, w1, w2, batch_size = _checked(X, y, w1, w2, batch_size)
    n = X.shape[0]
    if n == 1:
        return np.zeros((w2.size, w1.size))
    signed = _engine.signed_points(X, y)
    spread = _engine.reduced_losses(signed, w1, w2, lambda losses: losses.var(axis=1))
    return (spread / batch_size * (n - batch_size) / (n - 1)).reshape(w2.size, w1.size)


def separable_batches(X, y, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Which minibatches a line through the origin separates (their loss has no minimum).

    Returns
    -------
    ndarray of shape (n_batches,), bool; batches as in :func:`batch_indices`.
    """
    X, y = check_X_y(X, y)
    batches = batch_indices(X.shape[0], batch_size, n_batches, seed)
    return separable_mask(_engine.signed_points(X, y)[batches])


def minibatch_minima(X, y, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """The refined minimum of each minibatch's loss (batches as in :func:`batch_indices`).

    Returns
    -------
    ndarray of shape (n_batches, 2)
        A row of NaN for a batch that is linearly separable: its loss has no finite minimum.
    """
    X, y = check_X_y(X, y)
    batches = batch_indices(X.shape[0], batch_size, n_batches, seed)
    signed = _engine.signed_points(X, y)[batches]
    separable = separable_mask(signed)
    minima = np.full((batches.shape[0], 2), np.nan)
    if not separable.all():
        minima[~separable] = newton_minima(signed[~separable])
    return minima


def per_sample_gradients(X, y, w) -> np.ndarray:
    """Gradient of each sample's loss at ``w``: ``(σ(x·w) - y)·x``, shape (n, 2)."""
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return (sigmoid(X @ w) - y)[:, None] * X


def gradient_noise_scale(X, y, w) -> float:
    """The simple gradient noise scale ``B_simple = tr(Σ) / |G|²`` at ``w``.

    ``G`` is the full-batch gradient and ``Σ`` the covariance of the per-sample gradients
    over the data set (McCandlish et al. 2018). Batches much smaller than ``B_simple`` are
    dominated by noise; much larger ones waste computation. ``inf`` where ``G = 0``.
    """
    grads = per_sample_gradients(X, y, w)
    mean = grads.mean(axis=0)
    trace = float(np.sum((grads - mean) ** 2) / grads.shape[0])
    norm2 = float(mean @ mean)
    return trace / norm2 if norm2 > 0 else float("inf")


def noise_scale_landscape(X, y, w1, w2) -> np.ndarray:
    """:func:`gradient_noise_scale` at every grid point, shape (len(w2), len(w1))."""
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    W = _engine.grid_points(w1, w2)
    cols = max(1, _engine.BLOCK_ELEMENTS // X.shape[0])
    out = []
    for start in range(0, W.shape[1], cols):
        residual = sigmoid(X @ W[:, start : start + cols]) - y[:, None]  # (n, cols)
        g1, g2 = residual * X[:, :1], residual * X[:, 1:]
        m1, m2 = g1.mean(axis=0), g2.mean(axis=0)
        trace = ((g1 - m1) ** 2 + (g2 - m2) ** 2).mean(axis=0)
        norm2 = m1**2 + m2**2
        ratio = np.full_like(norm2, np.inf)
        np.divide(trace, norm2, out=ratio, where=norm2 > 0)
        out.append(ratio)
    return np.concatenate(out).reshape(w2.size, w1.size)
