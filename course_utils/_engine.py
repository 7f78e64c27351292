"""The per-sample loss: its one formula, at any weights, and over a grid in cache-sized blocks.

Every loss in the course is built from one quantity, the loss of a sample at weights w,
``softplus(-m)`` (:func:`softplus`) with the margin ``m = (2y - 1)·x·w``. At given weights it
is :func:`point_losses` / :func:`mean_losses`. Over a grid, sample n at grid point
(w1[j], w2[i]) has ``m = a·w1[j] + b·w2[i]`` with ``(a, b) = (2y - 1)·x``; the full G × N
matrix can be gigabytes, so it is only formed block by block (a block: a few points of one grid
row × the samples), and the blocks are shared between the cores (NumPy's ufuncs and BLAS
release the GIL). Sums over samples are BLAS matrix-vector products.

Fast path, an optimisation of the same formula: ``softplus(-m) = log1p(exp(-m))`` and
``exp(-m) = exp(-a·w1[j]) · exp(-b·w2[i])``, so the exponentials are taken once per sample and
grid *axis* value, not per grid point, and each element costs one multiply and one ``log1p``.
It is used when every factor and product stays a normal float (``|a·w1| + |b·w2| <= 700``);
otherwise the general path evaluates :func:`softplus` per element.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Elements of one block: a few float64 temporaries of this size fit in a core's L2 cache.
BLOCK_ELEMENTS = 1 << 15
# A block holds at least this many grid points, so Python's per-block cost stays small.
_MIN_BLOCK_POINTS = 8
# Samples in one pass of a summed landscape (bounds the memory of the per-axis tables).
_CHUNK_SAMPLES = 8192
# exp(-700) and exp(700) are normal floats: within this, the factorised exponential is exact.
_FAST_PATH_LIMIT = 700.0
# Below this many elements, threads cost more than they save.
_PARALLEL_MIN_ELEMENTS = 1 << 18
_N_WORKERS = max(1, min(2, os.cpu_count() or 1))
_POOL: ThreadPoolExecutor | None = None  # made on first use, reused: a new pool costs ~1 ms


def softplus(u, out=None):
    """``log(1 + exp(u))``, elementwise, without overflow: the one formula of the loss.

    The loss of a sample whose margin is ``m`` is ``softplus(-m)``. No validation: callers
    pass checked arrays (the checking, public form is :func:`course_utils.softplus`).
    """
    return np.logaddexp(0.0, u, out=out)


def sigmoid(z):
    """``1 / (1 + exp(-z))`` as ``exp(-softplus(-z))``: no overflow, since softplus >= 0."""
    return np.exp(-softplus(-z))


def signed_points(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(2y - 1)·x`` for each sample, shape (n, 2): its margin at w is ``signed @ w``."""
    return X * (2.0 * y - 1.0)[:, None]


def point_losses(signed: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Per-sample losses ``softplus(-m)`` of point sets at weights, shape (..., n).

    ``signed`` of shape (..., n, 2) holds signed points (:func:`signed_points`), ``W`` of
    shape (..., 2) the weights; leading axes broadcast, so one set can be evaluated at many
    weights (``signed`` (n, 2), ``W`` (k, 2)) or each of k sets at its own weights
    (``signed`` (k, n, 2), ``W`` (k, 2)).
    """
    if signed.ndim == 2:  # one set: a matrix product
        return softplus(-(W @ signed.T))
    return softplus(-np.einsum("...ni,...i->...n", signed, W))


def mean_losses(signed: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Return the mean of :func:`point_losses` over the samples: the loss at each ``W``.

    Shape (...). Many weights for one set (``signed`` (n, 2), ``W`` (k, 2)) are taken in
    blocks, so the k × n losses are never all held at once.
    """
    if signed.ndim == 2 and W.ndim == 2 and W.shape[0] * signed.shape[0] > BLOCK_ELEMENTS:
        per_block = max(1, BLOCK_ELEMENTS // signed.shape[0])
        blocks = range(0, W.shape[0], per_block)
        return np.concatenate([mean_losses(signed, W[k : k + per_block]) for k in blocks])
    return point_losses(signed, W).mean(axis=-1)


def grid_points(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """Return the grid as a (2, len(w2)·len(w1)) array in ``meshgrid`` (row-major) order."""
    ww1, ww2 = np.meshgrid(w1, w2)
    return np.stack([ww1.ravel(), ww2.ravel()])


class _RowKernel:
    """Per-sample losses at the points ``(w1[js], w2[i])`` of one grid row, shape (len(js), n)."""

    def __init__(self, signed: np.ndarray, w1: np.ndarray, w2: np.ndarray):
        a, b = signed[:, 0], signed[:, 1]
        reach = np.max(np.abs(a)) * np.max(np.abs(w1)) + np.max(np.abs(b)) * np.max(np.abs(w2))
        self.fast = bool(reach <= _FAST_PATH_LIMIT)
        if self.fast:
            self.exp_w1 = np.exp(np.multiply.outer(w1, -a))  # (len(w1), n)
            self.exp_w2 = np.exp(np.multiply.outer(w2, -b))  # (len(w2), n)
        else:
            self.w1, self.w2 = w1, w2
            self.minus_signed_t = np.ascontiguousarray(-signed.T)  # (2, n)

    def losses(self, i: int, js: slice) -> np.ndarray:
        if self.fast:
            out = np.multiply(self.exp_w1[js], self.exp_w2[i])
            return np.log1p(out, out=out)
        w1 = self.w1[js]
        W = np.stack([w1, np.full_like(w1, self.w2[i])])
        u = W.T @ self.minus_signed_t  # minus the margins, (len(js), n)
        return softplus(u, out=u)


def _row_blocks(n_w1: int, n_w2: int, n_samples: int) -> list[tuple[int, slice]]:
    """Blocks of one grid row each, in row-major order of the grid."""
    points = min(n_w1, max(_MIN_BLOCK_POINTS, BLOCK_ELEMENTS // n_samples))
    return [
        (i, slice(j, min(j + points, n_w1))) for i in range(n_w2) for j in range(0, n_w1, points)
    ]


def _map(function, items: list, work: int) -> list:
    """``[function(item) for item in items]``, on both cores when ``work`` is big."""
    global _POOL
    if work < _PARALLEL_MIN_ELEMENTS or _N_WORKERS == 1 or len(items) == 1:
        return [function(item) for item in items]
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_N_WORKERS, thread_name_prefix="landscape")
    return list(_POOL.map(function, items))


def summed_losses(signed: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """``sum_n loss[n]`` at every grid point, shape (len(w2), len(w1)).

    The samples are cut into chunks small enough that a chunk's exponential tables stay in
    cache while every grid row is computed from them; each core sums its own chunks.
    """
    n = signed.shape[0]
    per_chunk = int(np.clip(BLOCK_ELEMENTS // w1.size, 64, _CHUNK_SAMPLES))
    chunks = [signed[start : start + per_chunk] for start in range(0, n, per_chunk)]
    shares = [chunks[k::_N_WORKERS] for k in range(min(_N_WORKERS, len(chunks)))]

    def share_sum(share: list[np.ndarray]) -> np.ndarray:
        total = np.zeros((w2.size, w1.size))
        for chunk in share:
            kernel = _RowKernel(chunk, w1, w2)
            ones = np.ones(chunk.shape[0])
            for i in range(w2.size):
                total[i] += kernel.losses(i, slice(None)) @ ones
        return total

    return sum(_map(share_sum, shares, work=n * w1.size * w2.size))


def group_means(signed: np.ndarray, w1: np.ndarray, w2: np.ndarray, group: int) -> np.ndarray:
    """Mean loss of each run of ``group`` consecutive samples, shape (n // group, len(w2), len(w1)).

    ``len(signed)`` must be a multiple of ``group``. Chunks hold whole groups, so each core
    works through its own chunks as in :func:`summed_losses`, every sample computed once.
    """
    k = signed.shape[0] // group
    groups_per_chunk = max(1, BLOCK_ELEMENTS // (w1.size * group))
    starts = range(0, k, groups_per_chunk)
    shares = [starts[w::_N_WORKERS] for w in range(min(_N_WORKERS, len(starts)))]
    averaging = np.full(group, 1.0 / group)
    means = np.empty((k, w2.size, w1.size))

    def fill(share) -> None:
        for first in share:
            last = min(first + groups_per_chunk, k)
            kernel = _RowKernel(signed[first * group : last * group], w1, w2)
            for i in range(w2.size):
                losses = kernel.losses(i, slice(None)).reshape(w1.size, last - first, group)
                means[first:last, i] = (losses @ averaging).T

    _map(fill, shares, work=signed.shape[0] * w1.size * w2.size)
    return means


def reduced_losses(signed, w1, w2, reduce) -> np.ndarray:
    """``reduce(per-sample losses)`` over the grid, shape (len(w2), len(w1), ...).

    ``reduce`` maps a block of losses of shape (points, n) — every sample, in the order of
    ``signed`` — to an array whose first axis is ``points``.
    """
    n = signed.shape[0]
    kernel = _RowKernel(signed, w1, w2)
    blocks = _row_blocks(w1.size, w2.size, n)
    parts = _map(lambda block: reduce(kernel.losses(*block)), blocks, work=w1.size * w2.size * n)
    joined = np.concatenate(parts, axis=0)
    return joined.reshape(w2.size, w1.size, *joined.shape[1:])
