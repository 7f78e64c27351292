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
    if n_steps == 0:
        return np.repeat(w0[None, None], len(seeds), axis=0)
    schedules = _schedules(len(y), batch_size, n_steps, seeds, sampling)
    return _descend(_engine.signed_points(X, y), w0, lr, schedules)


def _schedules(n, batch_size, n_steps, seeds, sampling) -> list[np.ndarray]:
    """Return :func:`_schedule` of each seed.

    With ``batch_size = n`` every batch is the whole data set: one array, shared, so that
    :func:`_descend` computes the (identical) gradient descent runs once.
    """
    if batch_size == n:
        return [np.broadcast_to(np.arange(n), (n_steps, n))] * len(seeds)
    return [_schedule(n, batch_size, n_steps, seed, sampling) for seed in seeds]


# Sample indices gathered at once, in blocks of steps (bounds the memory of long runs).
_GATHER_ELEMENTS = 1 << 16


def _einsum_row_dots(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.einsum("rb,rb->r", p, q)


# The dot product of each row of two matrices: NumPy >= 2's vecdot costs a third of einsum's
# call overhead, which a step of a few runs pays several times.
_row_dots = getattr(np, "vecdot", _einsum_row_dots)


def _descend(signed, w0, lr, schedules) -> np.ndarray:
    """SGD paths for checked arguments, every run in step; runs may differ in batch size.

    The loss of a sample at ``w`` is ``softplus(-s·w)`` (``s``: its signed point), whose
    gradient is ``-sigmoid(-s·w) s``: a step is ``w <- w + lr/B Σ sigmoid(-s·w) s`` over the
    batch. All runs' batches of a step are laid end to end in one vector, so a step costs a
    few NumPy calls whatever the number of runs; the sums per run are ``bincount``s.

    Parameters
    ----------
    signed : ndarray of shape (n, 2)
        The signed points (:func:`course_utils._engine.signed_points`).
    w0 : array of shape (2,) or (runs, 2)
        The start of every run, or of each.
    lr : float or array of shape (runs,)
        The learning rate of every run, or of each.
    schedules : list of int arrays of shape (n_steps, B_r)
        Run r's batches: the sample indices of each step's batch (its batch size ``B_r``).

    Returns
    -------
    ndarray of shape (runs, n_steps + 1, 2)
    """
    runs, n_steps = len(schedules), schedules[0].shape[0]
    w0 = np.broadcast_to(w0, (runs, 2))
    lr = np.broadcast_to(lr, (runs,))
    # Runs that share their batches (the same array), start and rate are computed once.
    keys = [(id(batches), *w0[r], lr[r]) for r, batches in enumerate(schedules)]
    first = {key: r for r, key in reversed(list(enumerate(keys)))}
    if len(first) < runs:
        unique = sorted(first.values())
        paths = _descend(signed, w0[unique], lr[unique], [schedules[r] for r in unique])
        return paths[[unique.index(first[key]) for key in keys]]
    paths = np.empty((runs, n_steps + 1, 2))
    paths[:, 0] = w0
    if n_steps == 0:
        return paths
    sizes = np.array([batches.shape[1] for batches in schedules])
    uniform = bool(np.all(sizes == sizes[0]))
    order = np.concatenate(schedules, axis=1)  # (n_steps, slots): the runs' batches end to end
    a_all, b_all = np.ascontiguousarray(signed[:, 0]), np.ascontiguousarray(signed[:, 1])
    w1, w2 = paths[:, 0, 0].copy(), paths[:, 0, 1].copy()
    if uniform:  # the slots as a (runs, B) matrix: sums along its rows
        weight = (lr / sizes)[:, None]
    else:  # sums per run by bincount over the slots' owners
        owner = np.repeat(np.arange(runs), sizes)
        weight = np.repeat(lr / sizes, sizes)
    per_block = max(1, _GATHER_ELEMENTS // order.shape[1])
    # sigmoid(-m) = 1 / (1 + exp(m)): exp overflows to inf for a huge margin, giving exactly 0
    with np.errstate(over="ignore"):
        for start in range(0, n_steps, per_block):
            rows = order[start : start + per_block]
            a_block, b_block = a_all[rows], b_all[rows]
            if uniform:
                a_block = a_block.reshape(len(rows), runs, -1)
                b_block = b_block.reshape(len(rows), runs, -1)
            for t, (a, b) in enumerate(zip(a_block, b_block, strict=True), start=start + 1):
                if uniform:
                    pull = a * w1[:, None]
                    pull += b * w2[:, None]
                else:
                    pull = a * w1[owner]
                    pull += b * w2[owner]
                np.exp(pull, out=pull)
                pull += 1.0
                np.divide(weight, pull, out=pull)  # lr/B · sigmoid(-margin)
                if uniform:
                    w1 = w1 + _row_dots(pull, a)
                    w2 = w2 + _row_dots(pull, b)
                else:
                    w1 = w1 + np.bincount(owner, pull * a, runs)
                    w2 = w2 + np.bincount(owner, pull * b, runs)
                paths[:, t, 0] = w1
                paths[:, t, 1] = w2
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
