"""Minibatches: their landscapes, the variance law, their minima, and the gradient noise scale."""

from __future__ import annotations

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import as_generator, check_grid, check_int, check_weights, check_X_y
from .optimum import minima_of_sets, separable_mask


@shared_parameters
def batch_indices(n, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Sample indices of minibatches drawn as in training: epochs of shuffled, disjoint batches.

    Parameters
    ----------
    n : int >= 1
        Size of the data set.

    Returns
    -------
    ndarray of shape (n_batches, batch_size), int
        Row k holds the indices of batch k.
    """
    n = check_int("n", n, 1)
    return _checked_batches(n, batch_size, n_batches, seed)[1]


def _checked_batches(n: int, batch_size, n_batches, seed) -> tuple[int, np.ndarray]:
    """Validate ``batch_size``, ``n_batches``, ``seed`` for ``n`` samples; draw the batches."""
    batch_size = check_int("batch_size", batch_size, 1, n)
    if n_batches is not None:
        n_batches = check_int("n_batches", n_batches, 1)
    return batch_size, draw_batches(n, batch_size, n_batches, as_generator(seed))


def draw_batches(n: int, batch_size: int, n_batches: int | None, rng) -> np.ndarray:
    """:func:`batch_indices` without the checks: the private core (checked arguments only)."""
    per_epoch = n // batch_size
    n_batches = per_epoch if n_batches is None else n_batches
    n_epochs = -(-n_batches // per_epoch)
    # Row e is epoch e's shuffle: the same numbers as one rng.permutation(n) per epoch.
    epochs = rng.permuted(np.broadcast_to(np.arange(n), (n_epochs, n)), axis=1)
    return epochs[:, : per_epoch * batch_size].reshape(-1, batch_size)[:n_batches]


def _checked(X, y, w1, w2):
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    return X, y, w1, w2


@shared_parameters
def minibatch_landscapes(X, y, w1, w2, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Return the loss landscape of each of several minibatches.

    Each sample's loss over the grid is computed once and shared by every batch holding it.

    Returns
    -------
    ndarray of shape (n_batches, len(w2), len(w1))
        The mean loss of batch k at ``(w1[j], w2[i])`` is element ``[k, i, j]``.
    """
    X, y, w1, w2 = _checked(X, y, w1, w2)
    batch_size, batches = _checked_batches(X.shape[0], batch_size, n_batches, seed)
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


@shared_parameters
def minibatch_losses_at(X, y, w, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Return the loss of each of several minibatches at one weight vector.

    The point form of :func:`minibatch_landscapes`: the same batches, evaluated at ``w``.

    Returns
    -------
    ndarray of shape (n_batches,)
        Element k is the mean loss of batch k at ``w``.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    _, batches = _checked_batches(X.shape[0], batch_size, n_batches, seed)
    return _engine.point_losses(_engine.signed_points(X, y), w)[batches].mean(axis=1)


def _variance_law(spread, n: int, batch_size: int):
    """``Var[L_B] = S²/B · (n - B)/(n - 1)`` from ``spread`` = S², drawn without replacement."""
    if n == 1:  # the one batch is the data set
        return np.zeros_like(spread)
    return spread / batch_size * (n - batch_size) / (n - 1)


@shared_parameters
def minibatch_loss_variance(X, y, w1, w2, batch_size) -> np.ndarray:
    """Return the exact variance of a random minibatch's loss at each grid point.

    For a batch of B samples drawn without replacement from n,
    ``Var[L_B(w)] = S²(w)/B · (n - B)/(n - 1)``, where ``S²(w)`` is the variance of the
    per-sample losses over the whole data set (divided by n).

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
        The variance at ``(w1[j], w2[i])`` is element ``[i, j]``.
    """
    X, y, w1, w2 = _checked(X, y, w1, w2)
    n = X.shape[0]
    batch_size = check_int("batch_size", batch_size, 1, n)
    signed = _engine.signed_points(X, y)
    spread = _engine.reduced_losses(signed, w1, w2, lambda losses: losses.var(axis=1))
    return _variance_law(spread, n, batch_size).reshape(w2.size, w1.size)


@shared_parameters
def minibatch_loss_variance_at(X, y, w, batch_size) -> float:
    """Return the exact variance of a random minibatch's loss at one weight vector.

    The point form of :func:`minibatch_loss_variance`:
    ``Var[L_B(w)] = S²(w)/B · (n - B)/(n - 1)``.

    Returns
    -------
    float
        The variance at ``w`` (0 for ``batch_size = n``).
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    n = X.shape[0]
    batch_size = check_int("batch_size", batch_size, 1, n)
    spread = _engine.point_losses(_engine.signed_points(X, y), w).var()
    return float(_variance_law(spread, n, batch_size))


@shared_parameters
def separable_batches(X, y, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Tell which minibatches a line through the origin separates (their loss has no minimum).

    Returns
    -------
    ndarray of shape (n_batches,), bool
        True for a batch whose loss keeps falling along a ray.
    """
    X, y = check_X_y(X, y)
    _, batches = _checked_batches(X.shape[0], batch_size, n_batches, seed)
    return separable_mask(_engine.signed_points(X, y)[batches])


@shared_parameters
def minibatch_minima(X, y, batch_size, n_batches=None, seed=0) -> np.ndarray:
    """Return the refined minimum of each minibatch's loss.

    Returns
    -------
    ndarray of shape (n_batches, 2)
        Row k is the minimum of batch k; a row of NaN for a batch that is linearly
        separable: its loss has no finite minimum.
    """
    X, y = check_X_y(X, y)
    _, batches = _checked_batches(X.shape[0], batch_size, n_batches, seed)
    return minima_of_sets(_engine.signed_points(X, y)[batches])


@shared_parameters
def per_sample_gradients(X, y, w) -> np.ndarray:
    """Return the gradient of each sample's loss, ``(σ(x·w) - y)·x``.

    Returns
    -------
    ndarray of shape (n, 2)
        Row i is the gradient of sample i's loss at ``w``.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return (_engine.sigmoid(X @ w) - y)[:, None] * X


@shared_parameters
def gradient_noise_scale(X, y, w) -> float:
    """Return the simple gradient noise scale ``B_simple = tr(Σ) / |G|²`` at ``w``.

    ``G`` is the full-batch gradient and ``Σ`` the covariance of the per-sample gradients
    over the data set (McCandlish et al. 2018). Batches much smaller than ``B_simple`` are
    dominated by noise; much larger ones waste computation.

    Returns
    -------
    float
        ``B_simple`` at ``w``; ``inf`` where ``G = 0``.
    """
    X, y = check_X_y(X, y)
    w = check_weights(w)
    return float(_noise_scales(X, y, w[:, None])[0])


@shared_parameters
def noise_scale_landscape(X, y, w1, w2) -> np.ndarray:
    """Return :func:`gradient_noise_scale` at every grid point.

    Returns
    -------
    ndarray of shape (len(w2), len(w1))
        ``B_simple`` at ``(w1[j], w2[i])`` is element ``[i, j]``; ``inf`` where ``G = 0``.
    """
    X, y = check_X_y(X, y)
    w1, w2 = check_grid(w1, w2)
    return _noise_scales(X, y, _engine.grid_points(w1, w2)).reshape(w2.size, w1.size)


def _noise_scales(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``tr(Σ) / |G|²`` at each column of W (2, g), shape (g,); n × g in blocks."""
    cols = max(1, _engine.BLOCK_ELEMENTS // X.shape[0])
    out = []
    for start in range(0, W.shape[1], cols):
        residual = _engine.sigmoid(X @ W[:, start : start + cols]) - y[:, None]  # (n, cols)
        g1, g2 = residual * X[:, :1], residual * X[:, 1:]
        m1, m2 = g1.mean(axis=0), g2.mean(axis=0)
        trace = ((g1 - m1) ** 2 + (g2 - m2) ** 2).mean(axis=0)
        norm2 = m1**2 + m2**2
        ratio = np.full_like(norm2, np.inf)
        np.divide(trace, norm2, out=ratio, where=norm2 > 0)
        out.append(ratio)
    return np.concatenate(out)
