"""SGD: full batch is gradient descent, epochs average to the full gradient, noise-ball scaling."""

import math
from itertools import combinations
from math import comb

import numpy as np
import pytest

import course_utils as cu
from course_utils.sgd import _schedule, sgd_paths


def _gradient_descent(X, y, w0, lr, n_steps):
    """Independent reference: the full gradient written out sample by sample."""
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        grad = np.zeros(2)
        for x, label in zip(X, y, strict=True):
            grad += (1 / (1 + np.exp(-x @ w)) - label) * x
        w = w - lr * grad / len(y)
        path.append(w.copy())
    return np.array(path)


def test_full_batch_sgd_is_gradient_descent(overlapping):
    X, y = overlapping.X, overlapping.y
    path = cu.sgd(X, y, np.array([1.0, -2.0]), lr=0.7, batch_size=len(y), n_steps=25, seed=3)
    assert path.shape == (26, 2)
    np.testing.assert_allclose(path, _gradient_descent(X, y, [1.0, -2.0], 0.7, 25), rtol=1e-12)


def test_epoch_of_minibatch_gradients_averages_to_the_full_gradient(overlapping):
    X, y = overlapping.X, overlapping.y  # N = 100
    w = np.array([0.4, -1.3])
    for batch_size in (1, 5, 20):
        batches = cu.batch_indices(len(y), batch_size, seed=2)
        grads = [cu.loss_gradient(X[rows], y[rows], w) for rows in batches]
        np.testing.assert_allclose(np.mean(grads, axis=0), cu.loss_gradient(X, y, w), rtol=1e-12)
        # and the first SGD step is the step along the first batch's gradient
        step = cu.sgd(X, y, w, 0.1, batch_size, 1, seed=2)[1]
        np.testing.assert_allclose(step, w - 0.1 * grads[0], rtol=1e-12)


def test_runs_are_reproducible_and_seeds_differ(overlapping):
    X, y = overlapping.X, overlapping.y
    a = sgd_paths(X, y, np.zeros(2), 0.5, 4, 30, seeds=[1, 2])
    np.testing.assert_array_equal(a[0], cu.sgd(X, y, np.zeros(2), 0.5, 4, 30, seed=1))
    np.testing.assert_array_equal(a, sgd_paths(X, y, np.zeros(2), 0.5, 4, 30, seeds=[1, 2]))
    assert not np.allclose(a[0], a[1])


def test_zero_steps_is_the_start(overlapping):
    path = cu.sgd(overlapping.X, overlapping.y, np.array([3.0, 1.0]), 0.1, 5, 0)
    np.testing.assert_array_equal(path, [[3.0, 1.0]])


def test_noise_ball_of_fresh_batches_scales_like_sqrt_lr_over_b():
    d = cu.make_two_gaussians(2.0, 1.0, 200, 200, seed=0)
    centre = cu.find_minimum(d.X, d.y).w

    def radius(lr, b):
        paths = sgd_paths(d.X, d.y, centre, lr, b, 1500, range(16), sampling="independent")
        return cu.noise_ball_radius(paths, centre)

    lr_ratio = radius(0.04, 8) / radius(0.01, 8)
    b_ratio = radius(0.02, 32) / radius(0.02, 2)
    assert lr_ratio == pytest.approx(np.sqrt(4), rel=0.2)
    assert b_ratio == pytest.approx(1 / np.sqrt(16), rel=0.2)
    # doubling both leaves the noise ball unchanged
    assert radius(0.04, 16) == pytest.approx(radius(0.02, 8), rel=0.15)


def test_steps_to_target_and_losses_along(overlapping):
    X, y = overlapping.X, overlapping.y
    paths = sgd_paths(X, y, np.array([2.0, 2.0]), 1.0, len(y), 50, seeds=[0])
    losses = cu.losses_along(X, y, paths)
    assert losses.shape == (1, 51)
    assert losses[0, 7] == pytest.approx(cu.loss_at(X, y, paths[0, 7]))
    assert np.all(np.diff(losses[0]) <= 1e-12)  # gradient descent never goes up here
    target = losses[0, 10]
    assert cu.steps_to_target(losses, target)[0] == 10
    assert cu.steps_to_target(losses, -1.0)[0] == np.inf
    assert cu.steps_to_target(losses, losses[0, 0])[0] == 0


def test_steps_to_target_waits_until_the_loss_stays_below():
    losses = np.array(
        [[5.0, 0.9, 3.0, 0.8, 0.7], [5.0, 2.0, 1.0, 0.5, 1.5], [0.5, 0.5, 0.5, 0.5, 0.5]]
    )
    assert cu.steps_to_target(losses, 1.0).tolist() == [3.0, np.inf, 0.0]
    diverged = np.array([[5.0, 0.9, np.inf], [5.0, 0.9, 0.5]])
    assert cu.steps_to_target(diverged, 1.0).tolist() == [np.inf, 1.0]
    with pytest.raises(ValueError, match=r"^losses\b"):  # NaN is not below any target
        cu.steps_to_target([[0.9, 0.2, np.nan]], 0.5)


def test_noise_ball_radius_of_one_run():
    path = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    # the last half, (2, 0) and (3, 0): sqrt((4 + 9) / 2)
    assert cu.noise_ball_radius(path[None], [0.0, 0.0]) == pytest.approx(math.sqrt(6.5))
    assert cu.noise_ball_radius(path[None], [0.0, 0.0], burn_in=0) == pytest.approx(
        math.sqrt(14 / 4)
    )
    with pytest.raises(ValueError, match=r"^paths\b.*path\[None\]"):
        cu.noise_ball_radius(path, [0.0, 0.0])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"lr": 0.0}, "lr"),
        ({"lr": np.inf}, "lr"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 101}, "batch_size"),
        ({"n_steps": -1}, "n_steps"),
        ({"w0": np.array([np.nan, 0.0])}, "w0"),
        ({"w0": np.zeros(3)}, "w0"),
        ({"seed": -1}, "seed"),
    ],
)
def test_sgd_refuses_bad_input(overlapping, kwargs, name):
    arguments = {"w0": np.zeros(2), "lr": 0.1, "batch_size": 4, "n_steps": 3, **kwargs}
    with pytest.raises(ValueError, match=name):
        cu.sgd(overlapping.X, overlapping.y, **arguments)


def test_sgd_paths_refuses_bad_sampling_and_seeds(overlapping):
    with pytest.raises(ValueError, match="sampling"):
        sgd_paths(overlapping.X, overlapping.y, np.zeros(2), 0.1, 4, 3, [0], sampling="iid")
    with pytest.raises(ValueError, match="seeds"):
        sgd_paths(overlapping.X, overlapping.y, np.zeros(2), 0.1, 4, 3, [])


# Fresh batches (sampling="independent"): distinct indices, every subset equally likely, and
# consecutive batches independent. Sizes on both sides of the switch from redrawing repeats
# (8 * batch_size <= n) to taking the smallest of n random keys.


def _chi_square_limit(df: int, z: float = 4.0) -> float:
    """The chi-square quantile z standard deviations up (Wilson-Hilferty), df degrees of freedom."""
    c = 2 / (9 * df)
    return df * (1 - c + z * np.sqrt(c)) ** 3


def _chi_square(counts, expected) -> float:
    return float(np.sum((counts - expected) ** 2 / expected))


@pytest.mark.parametrize(
    "n, batch_size",
    [(1, 1), (5, 1), (40, 1), (40, 5), (40, 6), (40, 39), (40, 40), (1000, 125), (1000, 126)],
)
def test_fresh_batches_hold_distinct_indices(n, batch_size):
    batches = _schedule(n, batch_size, 300, 0, "independent")
    assert batches.shape == (300, batch_size)
    assert batches.min() >= 0 and batches.max() < n
    ordered = np.sort(batches, axis=1)
    assert not np.any(ordered[:, 1:] == ordered[:, :-1])


@pytest.mark.parametrize("n, batch_size", [(24, 3), (8, 3), (7, 5)])
def test_fresh_batches_draw_every_subset_equally_often(n, batch_size):
    batches = np.sort(_schedule(n, batch_size, 60_000, 1, "independent"), axis=1)
    codes = np.ravel_multi_index(tuple(batches.T), (n,) * batch_size)
    counts = np.bincount(codes, minlength=n**batch_size)
    subsets = np.ravel_multi_index(
        tuple(np.array(list(combinations(range(n), batch_size))).T), (n,) * batch_size
    )
    assert counts.sum() == counts[subsets].sum()  # nothing but sorted distinct tuples
    expected = len(batches) / len(subsets)
    assert _chi_square(counts[subsets], expected) < _chi_square_limit(len(subsets) - 1)


@pytest.mark.parametrize("n, batch_size", [(24, 3), (8, 3)])
def test_consecutive_fresh_batches_share_indices_as_independent_draws_do(n, batch_size):
    batches = _schedule(n, batch_size, 60_001, 2, "independent")
    member = np.zeros((len(batches), n), dtype=bool)
    member[np.arange(len(batches))[:, None], batches] = True
    shared = np.sum(member[1:] & member[:-1], axis=1)
    # two independent uniform subsets share j indices with the hypergeometric probability
    hypergeometric = np.array(
        [comb(batch_size, j) * comb(n - batch_size, batch_size - j) for j in range(batch_size + 1)]
    ) / comb(n, batch_size)
    counts = np.bincount(shared, minlength=batch_size + 1)
    assert _chi_square(counts, len(shared) * hypergeometric) < _chi_square_limit(batch_size)


def test_runs_of_different_batch_sizes_and_rates_in_one_descent_are_the_single_runs(
    overlapping,
):
    from course_utils import _engine
    from course_utils._validation import as_generator
    from course_utils.sgd import _descend, _schedules

    X, y = overlapping.X, overlapping.y
    w0 = np.array([1.5, -0.5])
    pairs = [(0.3, 1), (0.3, 7), (1.2, 7), (2.0, len(y)), (0.5, len(y))]
    schedules, rates = [], []
    for lr, b in pairs:
        schedules += _schedules(len(y), b, 40, [as_generator(s) for s in (4, 5)], "epochs")
        rates += [lr, lr]
    paths = _descend(_engine.signed_points(X, y), w0, np.array(rates), schedules)
    for k, (lr, b) in enumerate(pairs):
        alone = sgd_paths(X, y, w0, lr, b, 40, seeds=[4, 5])
        np.testing.assert_allclose(paths[2 * k : 2 * k + 2], alone, rtol=1e-12, atol=1e-15)
    # full batches: every seed is the same gradient descent
    np.testing.assert_array_equal(paths[6], paths[7])
