"""The per-sample loss: its one formula, at any weights, and over a grid in cache-sized blocks.

Every loss in the course is built from one quantity, the loss of a sample at weights w,
``softplus(-m)`` (:func:`softplus`) with the margin ``m = (2y - 1)·x·w``. At given weights it
is :func:`point_losses` / :func:`mean_losses`. Over a grid, sample n at grid point
(w1[j], w2[i]) has ``m = a·w1[j] + b·w2[i]`` with ``(a, b) = (2y - 1)·x``; the full G × N
matrix can be gigabytes, so it is only formed block by block (a block: the samples of a chunk
× the points of a few grid rows), and the work is shared between the cores (NumPy's ufuncs
release the GIL): each core takes its own chunks or its own band of grid rows.

Fast path, an optimisation of the same formula: ``softplus(-m) = log1p(x)`` with
``x = exp(-m) = exp(-a·w1[j]) · exp(-b·w2[i])``, so the exponentials are taken once per sample
and grid *axis* value, not per grid point (this rounds like ``exp(-m)`` with m's rounding,
relative ~|m|·eps). It is used when every factor and product stays a normal float
(``|a·w1| + |b·w2| <= 700``); otherwise the general path evaluates :func:`softplus` per element.

Sums of losses (:func:`summed_losses`, :func:`group_means`) need no per-sample ``log1p``
(~10-30 ns an element, the cost of the rest): ``sum log1p(x_n) = log prod (1 + x_n)``, so
the kernel multiplies k factors ``u_n = fl(1 + x_n)`` and takes one ``log`` per product,
about 2 ns an element in all (a multiply, an add, a product). Why it is exact to a stated tolerance:

- No overflow: ``1 <= u_n <= 1 + e^reach <= e^(reach + log 2)``, where reach bounds ``|m|``
  over the block; with ``k·(reach + log 2) <= 700`` a product is a normal float below e^700
  (k at most 128; where only k = 1 would fit, ``log1p`` is kept).
- Rounding: ``fl(1 + x_n)`` is within a factor ``1 ± 2^-53`` of ``1 + x_n``, and so is each of
  the k - 1 multiplications; in the log each costs at most 2^-53 *absolute*. A group of n
  samples thus sums to within ``n·2^-52`` of ``sum log1p(x_n)`` (plus a few ulp relative from
  ``log`` and the sums).
- That is small *relative* to the sum only where the mean loss is not tiny (well-separated
  data, large |w|: 1 + x rounds to 1 and the loss is lost). So every group whose computed
  mean is below 2^-10 is summed again, as ``log1p(prod(1 + x_n) - 1)`` with the product
  minus 1 formed pairwise as ``(1 + q1)(1 + q2) - 1 = q1 + q2·(1 + q1)`` (non-negative terms:
  ~3 eps relative per halving, e.g. 9e-15 for n = 8192; :func:`_summed_log1p`; cheaper than
  per-element ``log1p`` for the ~4 % of a minibatch epoch's sums this concerns). Elsewhere
  the relative error of the products is at most 2^-52 / 2^-10 = 2^-42 ≈ 2.3e-13.
Padding samples (to make whole products) have x = 0, a factor of exactly 1.
"""

from __future__ import annotations

import math
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
# A product of factors 1 + x stays below e^this: a normal float, with room for its rounding.
_PRODUCT_LOG_LIMIT = 700.0
# At most this many factors per product (beyond, the logs' share of the time is negligible).
_MAX_FACTORS = 128
# Groups whose mean loss is below this are summed again exactly (:func:`_summed_log1p`): the
# products' rounding, up to eps per sample, is then not small against the loss.
_TINY_MEAN = 2.0**-10
# Elements of the product path's block of a few grid rows (~0.5 MB: cache-resident).
_ROWS_ELEMENTS = 1 << 16
# Below this many elements, threads cost more than they save.
_PARALLEL_MIN_ELEMENTS = 1 << 18
# The same for the product path (~2 ns an element): measured on the draft's workload (1M
# elements, ~2 ms), one thread beat two at any load above ~5 on this 2-core machine.
_PARALLEL_MIN_SUMMED = 1 << 22
_N_WORKERS = max(1, min(2, os.cpu_count() or 1))
_POOL: ThreadPoolExecutor | None = None  # made on first use, reused: a new pool costs ~1 ms
# (its _N_WORKERS - 1 threads: the calling thread is the other worker, see _map)


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
    """``[function(item) for item in items]``, on both cores when ``work`` is big.

    The pool thread takes items from the front; this thread works too, from the back, and
    takes every item the pool has not started yet (its future is cancelled). On a busy
    machine, where a pool thread can wait milliseconds to be scheduled, the work is then
    done here instead of waited for; on a quiet one, both cores share it.
    """
    global _POOL
    if work < _PARALLEL_MIN_ELEMENTS or _N_WORKERS == 1 or len(items) == 1:
        return [function(item) for item in items]
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_N_WORKERS - 1, thread_name_prefix="landscape")
    futures = [_POOL.submit(function, item) for item in items[:-1]]
    results = [None] * len(items)
    try:
        results[-1] = function(items[-1])
        for k in reversed(range(len(futures))):
            if futures[k].cancel():
                results[k] = function(items[k])
        for k, future in enumerate(futures):
            if not future.cancelled():
                results[k] = future.result()
    finally:
        for future in futures:
            future.cancel()  # after an error here: drop what the pool has not started
    return results


class _SumKernel:
    """Sums of per-sample losses over groups of samples, at every point of a grid.

    ``signed`` holds whole groups of ``group`` consecutive samples. :meth:`sums` gives each
    group's summed losses at every point ``(w1[j], w2[i])``, shape (len(w2), groups, len(w1)).
    Fast path: the sum of ``log1p(x)`` over a group is taken as the sum of logs of products
    of ``1 + x`` (module docstring), and summed again exactly where it is tiny.
    """

    def __init__(self, signed, w1, w2, group: int, w2_bound: float | None = None):
        # w2_bound: max |w2| of the whole grid, so that a band of its rows takes the same path
        self.groups, self.group, self.shape = signed.shape[0] // group, group, (w2.size, w1.size)
        a, b = signed[:, 0], signed[:, 1]
        w2_bound = np.max(np.abs(w2)) if w2_bound is None else w2_bound
        reach = np.max(np.abs(a)) * np.max(np.abs(w1)) + np.max(np.abs(b)) * w2_bound
        if reach > _FAST_PATH_LIMIT:
            self.rows = _RowKernel(signed, w1, w2)
            return
        self.rows = None
        # A factor 1 + x is <= 1 + e^reach <= e^(reach + log 2): k of them stay <= e^700.
        most = int(min(_MAX_FACTORS, _PRODUCT_LOG_LIMIT // (reach + math.log(2.0))))
        self.products = -(-group // max(1, most))  # products per group, each of ...
        self.factors = -(-group // self.products)  # ... this many factors (padded with x = 0)
        padded = np.zeros((self.groups, self.factors * self.products, 2))
        padded[:, :group] = signed.reshape(self.groups, group, 2)
        padded = padded.reshape(-1, 2)
        # rows: (group, factor, product) in C order; columns: the points of a grid row
        self.exp_w1 = np.exp(np.multiply.outer(-padded[:, 0], w1))  # (padded n, len(w1))
        self.exp_w2 = np.exp(np.multiply.outer(w2, -padded[:, 1]))  # (len(w2), padded n)
        self.exp_w2.reshape(w2.size, self.groups, -1)[:, :, group:] = 0.0  # padding: x = 0

    def sums(self) -> np.ndarray:
        out = np.empty((self.shape[0], self.groups, self.shape[1]))
        if self.rows is not None:  # general path: per-element softplus
            for i in range(self.shape[0]):
                losses = self.rows.losses(i, slice(None))  # (len(w1), n)
                out[i] = losses.reshape(-1, self.groups, self.group).sum(axis=-1).T
            return out
        # a few grid rows at a time: (rows, padded n, len(w1)), the buffer reused
        rows = max(1, _ROWS_ELEMENTS // self.exp_w1.size)
        buffer = np.empty((min(rows, self.shape[0]), *self.exp_w1.shape))
        for start in range(0, self.shape[0], rows):
            stop = min(start + rows, self.shape[0])
            x = np.multiply(
                self.exp_w1, self.exp_w2[start:stop, :, None], out=buffer[: stop - start]
            )
            if self.factors == 1:
                logs = np.log1p(x, out=x).reshape(stop - start, self.groups, self.group, -1)
                out[start:stop] = logs.sum(axis=2)
                continue
            u = np.add(x, 1.0, out=x).reshape(stop - start, self.groups, self.factors, -1)
            logs = np.log(np.multiply.reduce(u, axis=2))  # (rows, groups, products · points)
            out[start:stop] = logs.reshape(stop - start, self.groups, self.products, -1).sum(axis=2)
        if self.factors > 1:
            # where the mean loss is tiny, the rounding of 1 + x would cost relative precision
            tiny = np.nonzero(out < _TINY_MEAN * self.group)
            n_padded, points = self.exp_w1.shape
            offsets = np.arange(n_padded // self.groups)
            per_pass = max(1, _ROWS_ELEMENTS // offsets.size)  # bounds the memory of a pass
            for start in range(0, tiny[0].size, per_pass):
                i, g, j = (index[start : start + per_pass] for index in tiny)
                # x of those groups' padded samples, shape (padded group, tiny sums)
                first = g * offsets.size  # each group's first padded sample
                x = np.take(self.exp_w1, np.add.outer(offsets * points, first * points + j))
                x *= np.take(self.exp_w2, np.add.outer(offsets, i * n_padded + first))
                out[i, g, j] = _summed_log1p(x)
        return out


def _summed_log1p(x: np.ndarray) -> np.ndarray:
    """``sum log1p(x)`` over the first axis of ``x >= 0``, with relative accuracy, by halving.

    ``log1p`` of ``q = prod(1 + x) - 1``, formed pairwise as ``(1 + q1)(1 + q2) - 1 =
    q1 + q2·(1 + q1)``: the rounding of ``1 + q1`` costs ``q2·eps``, small against the sum,
    so each level of the halving costs at most ~3 eps *relative*, and no product of two tiny
    numbers (a slow subnormal) is formed. ``prod(1 + x)`` must stay finite: here it is at
    most ``e^(n·2^-10)`` for n values. ``x`` is overwritten.
    """
    n = x.shape[0]
    while n > 1:
        half = n // 2
        a, b = x[:half], x[n - half : n]  # an odd middle value waits for the next level
        term = a + 1.0
        term *= b
        a += term
        n -= half
    return np.log1p(x[0])


def _row_bands(n_rows: int, work: int) -> list[range]:
    """Cut the grid rows into one contiguous band per core (one band for small work)."""
    bands = 1 if work < _PARALLEL_MIN_SUMMED else min(_N_WORKERS, n_rows)
    edges = np.linspace(0, n_rows, bands + 1).round().astype(int)
    return [range(edges[k], edges[k + 1]) for k in range(bands)]


def summed_losses(signed: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """``sum_n loss[n]`` at every grid point, shape (len(w2), len(w1)).

    The samples are cut into chunks small enough that a chunk's exponential tables stay in
    cache while every grid row is computed from them; each core takes a band of grid rows.
    """
    n = signed.shape[0]
    per_chunk = int(np.clip(BLOCK_ELEMENTS // w1.size, 64, _CHUNK_SAMPLES))
    chunks = [signed[start : start + per_chunk] for start in range(0, n, per_chunk)]
    total = np.zeros((w2.size, w1.size))
    w2_bound = np.max(np.abs(w2))

    def band_sum(band: range) -> None:
        for chunk in chunks:
            kernel = _SumKernel(chunk, w1, w2[band.start : band.stop], chunk.shape[0], w2_bound)
            total[band.start : band.stop] += kernel.sums()[:, 0]

    _map(band_sum, _row_bands(w2.size, n * w1.size * w2.size), work=n * w1.size * w2.size)
    return total


def group_means(signed: np.ndarray, w1: np.ndarray, w2: np.ndarray, group: int) -> np.ndarray:
    """Mean loss of each run of ``group`` consecutive samples, shape (n // group, len(w2), len(w1)).

    ``len(signed)`` must be a multiple of ``group``. Chunks hold whole groups; each core takes
    a band of grid rows, as in :func:`summed_losses`, every sample computed once per band.
    """
    k = signed.shape[0] // group
    groups_per_chunk = max(1, BLOCK_ELEMENTS // (w1.size * group))
    means = np.empty((k, w2.size, w1.size))
    w2_bound = np.max(np.abs(w2))
    work = signed.shape[0] * w1.size * w2.size

    def fill(band: range) -> None:
        for first in range(0, k, groups_per_chunk):
            last = min(first + groups_per_chunk, k)
            chunk = signed[first * group : last * group]
            kernel = _SumKernel(chunk, w1, w2[band.start : band.stop], group, w2_bound)
            sums = kernel.sums().transpose(1, 0, 2)  # (groups, rows, len(w1))
            np.multiply(sums, 1.0 / group, out=means[first:last, band.start : band.stop])

    _map(fill, _row_bands(w2.size, work), work=work)
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
