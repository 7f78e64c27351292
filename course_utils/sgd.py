"""Stochastic gradient descent on the two-weight model, many runs at once."""

from __future__ import annotations

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import (
    as_generator,
    check_int,
    check_no_nan,
    check_points,
    check_positive,
    check_real,
    check_seeds,
    check_weights,
    check_X_y,
)
from .minibatch import batch_indices


def _checked(X, y, w0, lr, batch_size, n_steps):
    X, y = check_X_y(X, y)
    w0 = check_weights(w0, name="w0")
    lr = check_positive("lr", lr)
    batch_size = check_int("batch_size", batch_size, 1, X.shape[0])
    n_steps = check_int("n_steps", n_steps, 0)
    return X, y, w0, lr, batch_size, n_steps


_KEYS_PER_DRAW = 1 << 20  # uniform keys drawn at once for large fresh batches (8 MB)


def _distinct_rows(n, k, n_rows, rng) -> np.ndarray:
    """Rows of ``k`` distinct indices in ``range(n)``, each a uniform random subset, sorted.

    Draws with replacement, then redraws the repeats of each row until it has none. The
    distinct values of a sequence of uniform draws, taken until there are ``k`` of them, form
    a uniform random subset (relabelling ``range(n)`` leaves the process unchanged), and each
    row uses its own draws, so rows are independent. About ``k log k`` work per row while
    ``k`` is small against ``n`` (the repeats are few).

    Returns
    -------
    ndarray of shape (n_rows, k), int
    """
    rows = rng.integers(0, n, (n_rows, k))
    rows.sort(axis=1)
    todo, block = np.arange(n_rows), rows
    while True:
        repeat = np.zeros(block.shape, dtype=bool)
        np.equal(block[:, 1:], block[:, :-1], out=repeat[:, 1:])
        has_repeat = repeat.any(axis=1)
        if not has_repeat.any():
            return rows
        todo, block, repeat = todo[has_repeat], block[has_repeat], repeat[has_repeat]
        block[repeat] = rng.integers(0, n, np.count_nonzero(repeat))
        block.sort(axis=1)
        rows[todo] = block


def _schedule(n, batch_size, n_steps, seed, sampling) -> np.ndarray:
    """Sample indices of each step's batch, shape (n_steps, batch_size)."""
    if sampling == "epochs":
        return batch_indices(n, batch_size, n_steps, seed=seed)
    # "independent": every step a fresh random subset, as if each batch were a new draw
    rng = as_generator(seed)
    if 8 * batch_size <= n:
        return _distinct_rows(n, batch_size, n_steps, rng)
    # Large batches: the batch_size smallest of n uniform keys per step, O(n) per step
    # (no more than 8x the batch itself), in blocks of steps to bound the memory.
    per_block = max(1, _KEYS_PER_DRAW // n)
    blocks = []
    for start in range(0, n_steps, per_block):
        keys = rng.random((min(per_block, n_steps - start), n))
        blocks.append(np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size])
    return np.concatenate(blocks)


@shared_parameters
def sgd_paths(X, y, w0, lr, batch_size, n_steps, seeds, sampling="epochs") -> np.ndarray:
    """Run SGD once per seed, all runs in step, vectorised over the runs.

    Each run steps ``w <- w - lr · ∇L_batch(w)``. With ``sampling="epochs"`` its batches are
    drawn as training does (:func:`course_utils.batch_indices`: epochs of shuffled, disjoint
    batches); with ``"independent"`` every batch is a fresh random subset of the data (the
    textbook model of SGD noise, whose errors do not cancel over an epoch).

    Parameters
    ----------
    seeds : sequence of int >= 0 or numpy.random.Generator
        One per run; they seed its batches.
    sampling : "epochs" or "independent"
        How the batches are drawn (see above).

    Returns
    -------
    ndarray of shape (len(seeds), n_steps + 1, 2)
        Row 0 of each path is ``w0``.
    """
    X, y, w0, lr, batch_size, n_steps = _checked(X, y, w0, lr, batch_size, n_steps)
    rngs = check_seeds(seeds)
    if sampling not in ("epochs", "independent"):
        raise ValueError(f"sampling must be 'epochs' or 'independent', got {sampling!r}")
    return _run(X, y, w0, lr, batch_size, n_steps, rngs, sampling)


def _run(X, y, w0, lr, batch_size, n_steps, seeds, sampling) -> np.ndarray:
    """:func:`sgd_paths` for checked arguments (``seeds``: Generators)."""
    paths = np.empty((len(seeds), n_steps + 1, 2))
    paths[:, 0] = w0
    if n_steps == 0:
        return paths
    # (runs, steps, batch): which samples each run sees at each step
    schedule = np.stack([_schedule(len(y), batch_size, n_steps, s, sampling) for s in seeds])
    w = np.repeat(w0[None], len(seeds), axis=0)
    for t in range(n_steps):
        rows = schedule[:, t]  # (runs, batch)
        Xb, yb = X[rows], y[rows]
        residual = _engine.sigmoid(np.einsum("rbi,ri->rb", Xb, w)) - yb
        w = w - lr * np.einsum("rb,rbi->ri", residual, Xb) / batch_size
        paths[:, t + 1] = w
    return paths


@shared_parameters
def sgd(X, y, w0, lr, batch_size, n_steps, seed=0) -> np.ndarray:
    """Return the path of one SGD run; ``batch_size = n`` is gradient descent.

    Each step is ``w <- w - lr · ∇L_batch(w)``, the batches drawn as training does: epochs of
    shuffled, disjoint batches (:func:`course_utils.batch_indices`).

    Parameters
    ----------
    seed : int >= 0 or numpy.random.Generator
        Seeds the batches; a Generator gives up one draw for the run's seed.

    Returns
    -------
    ndarray of shape (n_steps + 1, 2)
        Row 0 is ``w0``, row t the weights after t steps.
    """
    X, y, w0, lr, batch_size, n_steps = _checked(X, y, w0, lr, batch_size, n_steps)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    rng = as_generator(seed)
    return _run(X, y, w0, lr, batch_size, n_steps, [rng], "epochs")[0]


@shared_parameters
def losses_along(X, y, paths) -> np.ndarray:
    """Return the full-batch loss at every point of one or more paths.

    Parameters
    ----------
    paths : array of shape (..., 2)
        Weights, finite: a path (steps, 2), paths (runs, steps, 2), or any other stack.

    Returns
    -------
    ndarray of shape ``paths.shape[:-1]``
        The loss at each weight vector, as :func:`course_utils.loss_at` gives it.
    """
    X, y = check_X_y(X, y)
    points = check_points("paths", paths)
    flat = points.reshape(-1, 2)
    return _engine.mean_losses(_engine.signed_points(X, y), flat).reshape(points.shape[:-1])


def steps_to_target(losses, target) -> np.ndarray:
    """Return the step from which each run's loss stays at or below ``target``.

    A noisy walk in two dimensions touches a low loss by luck long before it settles there,
    so a run counts as arrived only once it no longer leaves the target.

    Parameters
    ----------
    losses : array of shape (runs, n_steps + 1), no NaN
        Each run's loss after 0, 1, ... steps, as :func:`losses_along` gives it; at least
        one column. ``inf`` (a diverged run) is above every target.
    target : float, finite
        The loss to reach.

    Returns
    -------
    ndarray of shape (runs,)
        Step numbers (0 when a run starts at or below the target and stays there), as floats
        so that ``inf`` marks the runs that end above it.
    """
    losses = check_no_nan("losses", losses)
    if losses.ndim != 2 or losses.shape[1] < 1:
        raise ValueError(
            f"losses must have shape (runs, n_steps + 1) with at least one column, "
            f"got {losses.shape}"
        )
    target = check_real("target", target)
    above = losses > target
    last_above = above.shape[-1] - 1 - np.argmax(above[..., ::-1], axis=-1)
    steps = np.where(above.any(axis=-1), last_above + 1, 0).astype(float)
    steps[above[..., -1]] = np.inf
    return steps


def noise_ball_radius(paths, centre, burn_in=0.5) -> float:
    """Return the root-mean-square distance of the paths from ``centre`` after the burn-in.

    Parameters
    ----------
    paths : array of shape (runs, n_steps + 1, 2)
        SGD paths as :func:`sgd_paths` returns them, finite, at least one run and one point;
        one path of shape (n_steps + 1, 2) is passed as ``path[None]``.
    centre : array of shape (2,)
        Usually the minimum.
    burn_in : float in [0, 1)
        The fraction of each path's points to leave out at its start.

    Returns
    -------
    float
        ``sqrt(mean |w - centre|²)`` over the points after the burn-in, of every run.
    """
    paths = check_points("paths", paths)
    if paths.ndim != 3 or paths.shape[0] < 1 or paths.shape[1] < 1:
        raise ValueError(
            f"paths must have shape (runs, n_steps + 1, 2) with at least one run and one "
            f"point (one path: path[None]), got {paths.shape}"
        )
    centre = check_weights(centre, name="centre")
    burn_in = check_real("burn_in", burn_in)
    if not 0 <= burn_in < 1:
        raise ValueError(f"burn_in must be in [0, 1), got {burn_in}")
    settled = paths[:, int(burn_in * paths.shape[1]) :]
    return float(np.sqrt(np.mean(np.sum((settled - centre) ** 2, axis=-1))))
