"""The per-sample loss over a grid of weights, computed in cache-sized blocks.

Every landscape is built from one quantity: the loss of sample n at grid point g,
``softplus(-m[n, g])`` with the margin ``m = (2y - 1)·(x·w)``. The full N × G matrix can be
gigabytes, so it is only ever formed block by block, and the blocks are shared between the
two cores (NumPy's ufuncs release the GIL).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Elements of one block: a few float64 temporaries of this size fit in a core's L2 cache.
BLOCK_ELEMENTS = 1 << 15
# Below this many elements, threads cost more than they save.
_PARALLEL_MIN_ELEMENTS = 1 << 18
_N_WORKERS = max(1, min(2, os.cpu_count() or 1))


def signed_points(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``(2y - 1)·x`` for each sample, shape (n, 2): its margin at w is ``signed @ w``."""
    return X * (2.0 * y - 1.0)[:, None]


def grid_points(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """The grid as a (2, len(w2)·len(w1)) array, flattened in ``meshgrid`` (row-major) order."""
    ww1, ww2 = np.meshgrid(w1, w2)
    return np.stack([ww1.ravel(), ww2.ravel()])


def sample_losses(signed: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Loss of every sample at every weight vector, shape (n, g).

    Parameters
    ----------
    signed : ndarray of shape (n, 2), from :func:`signed_points`
    W : ndarray of shape (2, g), weight vectors as columns
    """
    u = signed @ -W  # u = -margin; the loss is softplus(u)
    e = np.abs(u)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=e)
    np.maximum(u, 0.0, out=u)
    u += e
    return u


def map_blocks(function, n_items: int, block: int, work: int) -> list:
    """``[function(slice) for each block of block items]``, on both cores for big ``work``."""
    slices = [slice(start, min(start + block, n_items)) for start in range(0, n_items, block)]
    if work < _PARALLEL_MIN_ELEMENTS or _N_WORKERS == 1 or len(slices) == 1:
        return [function(s) for s in slices]
    with ThreadPoolExecutor(max_workers=_N_WORKERS) as pool:
        return list(pool.map(function, slices))


def summed_losses(signed: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``sum_n loss[n, g]`` for every column of W, shape (g,), never holding the n × g matrix."""
    n, g = signed.shape[0], W.shape[1]
    rows = min(n, BLOCK_ELEMENTS)
    cols = max(1, BLOCK_ELEMENTS // rows)

    def column_block(cs: slice) -> np.ndarray:
        Wc = W[:, cs]
        total = np.zeros(Wc.shape[1])
        for start in range(0, n, rows):
            total += sample_losses(signed[start : start + rows], Wc).sum(axis=0)
        return total

    return np.concatenate(map_blocks(column_block, g, cols, work=n * g))
