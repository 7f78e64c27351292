"""Minibatches: landscapes, the variance law, minima, separability, the noise scale."""

import contextlib
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import brute_force_loss

import course_utils as cu

W1 = np.linspace(-3, 1, 9)
W2 = np.linspace(-2.5, 0.5, 7)


@contextlib.contextmanager
def _warning_free():
    """Any warning, and any overflow, invalid value or division by zero, fails the test."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


def _strictly_separable_on_an_angle_grid(X, y, n_angles=20000):
    angles = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    directions = np.stack([np.cos(angles), np.sin(angles)])
    signed = (2 * y - 1)[:, None] * X
    return bool(np.any(np.all(signed @ directions > 0, axis=0)))


# ---------------------------------------------------------------- batches


@given(
    n=st.integers(1, 60),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_batch_indices_are_epochs_of_disjoint_batches(n, data, seed):
    batch_size = data.draw(st.integers(1, n))
    n_batches = data.draw(st.none() | st.integers(1, 3 * n))
    batches = cu.batch_indices(n, batch_size, n_batches, seed=seed)
    per_epoch = n // batch_size
    k = per_epoch if n_batches is None else n_batches
    assert batches.shape == (k, batch_size) and batches.dtype.kind == "i"
    assert batches.min() >= 0 and batches.max() < n
    for start in range(0, k, per_epoch):
        epoch = batches[start : start + per_epoch].ravel()
        assert len(np.unique(epoch)) == epoch.size  # no sample twice in one epoch
    np.testing.assert_array_equal(cu.batch_indices(n, batch_size, n_batches, seed=seed), batches)
    generator = np.random.default_rng(seed)
    np.testing.assert_array_equal(cu.batch_indices(n, batch_size, n_batches, generator), batches)


def test_batch_indices_by_seed_and_epoch():
    batches = cu.batch_indices(103, 10, seed=1)
    assert batches.shape == (10, 10)
    assert len(np.unique(batches)) == 100  # three samples left over
    several = cu.batch_indices(103, 10, n_batches=25, seed=1)
    np.testing.assert_array_equal(several[:10], batches)
    assert not np.array_equal(np.sort(several[:10], axis=None), np.sort(several[10:20], axis=None))
    assert not np.array_equal(cu.batch_indices(103, 10, seed=2), batches)
    # one full batch is every sample; batches of one are a shuffle
    np.testing.assert_array_equal(np.sort(cu.batch_indices(7, 7, seed=3)[0]), np.arange(7))
    np.testing.assert_array_equal(np.sort(cu.batch_indices(7, 1, seed=3)[:, 0]), np.arange(7))


def test_batch_indices_are_one_permutation_per_epoch_from_the_seed():
    """The stored notebook numbers rest on this stream: epoch e is the e-th rng.permutation(n)."""
    rng = np.random.default_rng(4)
    epochs = np.concatenate([rng.permutation(103)[:100] for _ in range(3)])
    np.testing.assert_array_equal(
        cu.batch_indices(103, 10, n_batches=25, seed=4).ravel(), epochs[:250]
    )


# ---------------------------------------------------------------- landscapes


@pytest.mark.parametrize(
    ("batch_size", "n_batches"), [(7, None), (7, 40), (1, None), (33, 5), (100, 3), (3, 2)]
)
def test_each_batch_landscape_is_the_landscape_of_its_rows(overlapping, batch_size, n_batches):
    X, y = overlapping.X, overlapping.y
    landscapes = cu.minibatch_landscapes(X, y, W1, W2, batch_size, n_batches=n_batches, seed=3)
    batches = cu.batch_indices(len(y), batch_size, n_batches, seed=3)
    assert landscapes.shape == (len(batches), W2.size, W1.size)
    for k in sorted({0, len(batches) // 2, len(batches) - 1}):
        rows = batches[k]
        np.testing.assert_allclose(
            landscapes[k], cu.loss_landscape(X[rows], y[rows], W1, W2), rtol=1e-12
        )
    assert landscapes[-1, 2, 5] == pytest.approx(
        brute_force_loss(X[batches[-1]], y[batches[-1]], (W1[5], W2[2])), rel=1e-12
    )


def test_minibatch_landscapes_are_reproducible(overlapping):
    X, y = overlapping.X, overlapping.y
    a = cu.minibatch_landscapes(X, y, W1, W2, 10, seed=5)
    np.testing.assert_array_equal(a, cu.minibatch_landscapes(X, y, W1, W2, 10, seed=5))
    generator = np.random.default_rng(5)
    np.testing.assert_array_equal(a, cu.minibatch_landscapes(X, y, W1, W2, 10, seed=generator))
    assert not np.allclose(a, cu.minibatch_landscapes(X, y, W1, W2, 10, seed=6))


def test_epoch_mean_is_the_full_landscape_when_batches_divide_the_data(overlapping):
    X, y = overlapping.X, overlapping.y  # 100 points
    full = cu.loss_landscape(X, y, W1, W2)
    for batch_size in (1, 4, 20, 25, 50, 100):
        epoch = cu.minibatch_landscapes(X, y, W1, W2, batch_size, seed=0)
        assert epoch.shape[0] == 100 // batch_size
        np.testing.assert_allclose(epoch.mean(axis=0), full, rtol=1e-12)
    # a batch size that leaves samples over does not average to the full landscape
    leftover = cu.minibatch_landscapes(X, y, W1, W2, 30, seed=0).mean(axis=0)
    assert not np.allclose(leftover, full, rtol=1e-6)


def test_batch_of_all_samples_is_the_full_landscape(overlapping):
    X, y = overlapping.X, overlapping.y
    full = cu.loss_landscape(X, y, W1, W2)
    np.testing.assert_allclose(cu.minibatch_landscapes(X, y, W1, W2, 100)[0], full, rtol=1e-12)
    several = cu.minibatch_landscapes(X, y, W1, W2, 100, n_batches=3, seed=1)
    np.testing.assert_allclose(several, np.broadcast_to(full, several.shape), rtol=1e-12)


def test_batch_size_one_gives_the_per_sample_losses(overlapping):
    X, y = overlapping.X, overlapping.y
    singles = cu.minibatch_landscapes(X, y, W1, W2, 1, seed=0)
    order = cu.batch_indices(len(y), 1, seed=0)[:, 0]
    for i, b in enumerate(W2):
        for j, a in enumerate(W1):
            expected = cu.per_sample_loss_from_logits(y[order], X[order] @ [a, b])
            np.testing.assert_allclose(singles[:, i, j], expected, rtol=1e-12)


# ---------------------------------------------------------------- the variance law


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5, 7])
def test_variance_law_against_all_subsets(batch_size):
    d = cu.make_two_gaussians(1.5, 1.0, 4, 3, seed=8)
    w1, w2 = np.array([-1.0, 0.7, 30.0]), np.array([0.3, -2.0])
    # every subset of the batch size is equally likely: the exact variance is over all of them
    subsets = [list(s) for s in itertools.combinations(range(7), batch_size)]
    means = np.stack([_brute_landscape(d.X[s], d.y[s], w1, w2) for s in subsets])
    np.testing.assert_allclose(
        cu.minibatch_loss_variance(d.X, d.y, w1, w2, batch_size),
        means.var(axis=0),
        rtol=1e-9,
        atol=1e-15,
    )


def _brute_landscape(X, y, w1, w2):
    return np.array([[brute_force_loss(X, y, (a, b)) for a in w1] for b in w2])


def test_variance_law_against_many_epochs(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-1.0]), np.array([-0.5, 1.0])
    n_batches = 6000
    for batch_size in (5, 25, 50):
        batches = cu.minibatch_landscapes(X, y, w1, w2, batch_size, n_batches, seed=4)
        law = cu.minibatch_loss_variance(X, y, w1, w2, batch_size)
        # The batch means of each epoch average to the full loss, so their spread around it
        # estimates the variance. Relative standard error about sqrt(2 / draws): 1.8 % for
        # 6000 independent draws, 2.6 % at B = 50 (an epoch's two batches mirror each
        # other: 3000 draws). 9 % is 3.5 standard errors.
        np.testing.assert_allclose(batches.var(axis=0), law, rtol=0.09)
    assert not np.any(cu.minibatch_loss_variance(X, y, w1, w2, len(y)))


def test_variance_is_the_without_replacement_law(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-1.0, 2.0]), np.array([-0.5])
    per_sample = np.stack(
        [cu.per_sample_loss_from_logits(y, X @ [a, w2[0]]) for a in w1], axis=-1
    ).var(axis=0)
    for batch_size in (1, 10, 50, 99, 100):
        np.testing.assert_allclose(
            cu.minibatch_loss_variance(X, y, w1, w2, batch_size)[0],
            per_sample / batch_size * (100 - batch_size) / 99,
            rtol=1e-10,
            atol=1e-300,
        )


def test_single_sample_data_has_no_variance():
    X, y = np.array([[1.0, -2.0]]), np.array([1])
    np.testing.assert_array_equal(cu.minibatch_loss_variance(X, y, W1, W2, 1), 0.0)
    assert cu.minibatch_loss_variance_at(X, y, [0.5, 1.0], 1) == 0.0


# ---------------------------------------------------------------- the point forms


@pytest.mark.parametrize(("batch_size", "n_batches"), [(1, None), (7, None), (10, 40), (100, 3)])
def test_minibatch_losses_at_is_the_landscape_at_one_point(overlapping, batch_size, n_batches):
    X, y = overlapping.X, overlapping.y
    w = np.array([-1.3, 0.4])
    at = cu.minibatch_losses_at(X, y, w, batch_size, n_batches, seed=2)
    grid = cu.minibatch_landscapes(X, y, w[:1], w[1:], batch_size, n_batches, seed=2)
    assert at.shape == (grid.shape[0],)
    np.testing.assert_allclose(at, grid[:, 0, 0], rtol=1e-13)
    batches = cu.batch_indices(len(y), batch_size, n_batches, seed=2)
    for k in (0, len(batches) - 1):
        rows = batches[k]
        assert at[k] == pytest.approx(brute_force_loss(X[rows], y[rows], w), rel=1e-13)


@pytest.mark.parametrize("batch_size", [1, 10, 99, 100])
def test_minibatch_loss_variance_at_is_the_law_at_one_point(overlapping, batch_size):
    X, y = overlapping.X, overlapping.y
    w = np.array([2.0, -0.5])
    grid = cu.minibatch_loss_variance(X, y, w[:1], w[1:], batch_size)[0, 0]
    per_sample = cu.per_sample_loss_from_logits(y, X @ w).var()
    law = per_sample / batch_size * (100 - batch_size) / 99
    assert cu.minibatch_loss_variance_at(X, y, w, batch_size) == pytest.approx(grid, rel=1e-12)
    assert cu.minibatch_loss_variance_at(X, y, w, batch_size) == pytest.approx(law, rel=1e-12)


# ---------------------------------------------------------------- minima and separability


@pytest.mark.parametrize("batch_size", [4, 10, 25])
def test_minibatch_minima(overlapping, batch_size):
    X, y = overlapping.X, overlapping.y
    minima = cu.minibatch_minima(X, y, batch_size, n_batches=30, seed=6)
    separable = cu.separable_batches(X, y, batch_size, n_batches=30, seed=6)
    assert minima.shape == (30, 2) and separable.shape == (30,)
    np.testing.assert_array_equal(np.isnan(minima).any(axis=1), separable)
    np.testing.assert_array_equal(np.isnan(minima).all(axis=1), separable)
    for rows, w, flagged in zip(
        cu.batch_indices(len(y), batch_size, 30, seed=6), minima, separable, strict=True
    ):
        assert flagged == _strictly_separable_on_an_angle_grid(X[rows], y[rows])
        if not flagged:
            np.testing.assert_allclose(cu.loss_gradient(X[rows], y[rows], w), 0, atol=1e-12)
            for step in 0.05 * np.eye(2):
                assert brute_force_loss(X[rows], y[rows], w + step) > brute_force_loss(
                    X[rows], y[rows], w
                )
                assert brute_force_loss(X[rows], y[rows], w - step) > brute_force_loss(
                    X[rows], y[rows], w
                )
    if batch_size == 4:
        assert 0 < separable.sum() < len(separable)  # both kinds are tested


def test_small_batches_are_often_separable(overlapping):
    X, y = overlapping.X, overlapping.y
    assert cu.separable_batches(X, y, 1).all()
    assert cu.separable_batches(X, y, 100).sum() == 0
    fraction = [cu.separable_batches(X, y, b, n_batches=200, seed=1).mean() for b in (2, 5, 20)]
    assert fraction[0] > fraction[1] > fraction[2]


def test_minima_of_full_batches_are_the_full_minimum(overlapping):
    X, y = overlapping.X, overlapping.y
    np.testing.assert_allclose(
        cu.minibatch_minima(X, y, 100, n_batches=2), [cu.find_minimum(X, y).w] * 2, rtol=1e-9
    )


# ---------------------------------------------------------------- the gradient noise scale


def test_gradient_noise_scale_against_a_direct_computation(overlapping, rng):
    X, y = overlapping.X, overlapping.y
    for w in rng.uniform(-3, 3, (5, 2)):
        grads = np.array(
            [(1 / (1 + math.exp(-(x @ w))) - t) * x for x, t in zip(X, y, strict=True)]
        )
        # Σ: the covariance of the per-sample gradients over the data set (divided by n)
        covariance = np.cov(grads.T, bias=True)
        mean = grads.mean(axis=0)
        expected = np.trace(covariance) / (mean @ mean)
        assert cu.gradient_noise_scale(X, y, w) == pytest.approx(expected, rel=1e-10)
        np.testing.assert_allclose(cu.per_sample_gradients(X, y, w), grads, rtol=1e-12)
        np.testing.assert_allclose(mean, cu.loss_gradient(X, y, w), rtol=1e-12)


def test_gradient_noise_scale_closed_cases():
    # identical samples: no noise at all
    X, y = np.tile([[1.0, 2.0]], (5, 1)), np.ones(5, int)
    assert cu.gradient_noise_scale(X, y, np.array([0.3, -0.1])) == 0.0
    # two samples whose gradients cancel: G = 0, the noise scale is infinite
    X, y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, 1])
    assert cu.gradient_noise_scale(X, y, np.zeros(2)) == np.inf


def test_noise_scale_landscape_matches_pointwise(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-3.0, -1.0, 0.0, 2.0, 1e4]), np.array([-2.0, 0.5, -1e4])
    noise = cu.noise_scale_landscape(X, y, w1, w2)
    assert noise.shape == (3, 5)
    for i, b in enumerate(w2):
        for j, a in enumerate(w1):
            expected = cu.gradient_noise_scale(X, y, np.array([a, b]))
            assert noise[i, j] == pytest.approx(expected, rel=1e-10)


def test_noise_scale_is_large_near_the_minimum(overlapping):
    X, y = overlapping.X, overlapping.y
    minimum = cu.find_minimum(X, y).w
    near = cu.gradient_noise_scale(X, y, minimum + 1e-3)
    assert near > 100 * cu.gradient_noise_scale(X, y, np.zeros(2))


def test_no_warning_at_huge_weights(overlapping):
    X, y = overlapping.X, overlapping.y
    axis = np.array([-1e4, -3e3, 0.0, 1e4])
    with _warning_free():
        landscapes = cu.minibatch_landscapes(X, y, axis, axis, 10)
        several = cu.minibatch_landscapes(X, y, axis, axis, 30, n_batches=7)
        variance = cu.minibatch_loss_variance(X, y, axis, axis, 10)
        noise = cu.noise_scale_landscape(X, y, axis, axis)
        scale = cu.gradient_noise_scale(X, y, np.array([1e4, -1e4]))
        gradients = cu.per_sample_gradients(X, y, np.array([-1e4, 1e4]))
    for values in (landscapes, several, variance, gradients):
        assert np.all(np.isfinite(values))
    assert not np.any(np.isnan(noise)) and scale > 0
    rows = cu.batch_indices(len(y), 10, seed=0)[0]
    assert landscapes[0, 0, 3] == pytest.approx(
        brute_force_loss(X[rows], y[rows], (1e4, -1e4)), rel=1e-10
    )


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": -1}, "batch_size"),
        ({"batch_size": 101}, "batch_size"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"batch_size": 5, "n_batches": 0}, "n_batches"),
        ({"batch_size": 5, "n_batches": -3}, "n_batches"),
        ({"batch_size": 5, "n_batches": 1.5}, "n_batches"),
        ({"batch_size": 5, "seed": -2}, "seed"),
        ({"batch_size": 5, "seed": "x"}, "seed"),
    ],
)
def test_minibatch_functions_refuse_bad_input(overlapping, kwargs, name):
    X, y = overlapping.X, overlapping.y
    pattern = rf"^{name}\b"
    with pytest.raises(ValueError, match=pattern):
        cu.minibatch_landscapes(X, y, W1, W2, **kwargs)
    with pytest.raises(ValueError, match=pattern):
        cu.minibatch_minima(X, y, **kwargs)
    with pytest.raises(ValueError, match=pattern):
        cu.separable_batches(X, y, **kwargs)
    with pytest.raises(ValueError, match=pattern):
        cu.batch_indices(len(y), **kwargs)
    if "n_batches" not in kwargs and "seed" not in kwargs:
        with pytest.raises(ValueError, match=pattern):
            cu.minibatch_loss_variance(X, y, W1, W2, **kwargs)


@pytest.mark.parametrize("function", [cu.minibatch_landscapes, cu.minibatch_loss_variance])
@pytest.mark.parametrize(
    ("X", "y", "w1", "w2", "name"),
    [
        (None, None, [], W2, "w1"),
        (None, None, W1, [np.nan], "w2"),
        (None, None, W1, [[0.0]], "w2"),
        (None, "short", W1, W2, "y"),
        (None, "twos", W1, W2, "y"),
        ("nan", None, W1, W2, "X"),
    ],
)
def test_minibatch_functions_refuse_bad_grids_and_data(overlapping, function, X, y, w1, w2, name):
    X_ = overlapping.X.copy()
    y_ = overlapping.y.copy()
    if X == "nan":
        X_[3, 1] = np.nan
    if y == "short":
        y_ = y_[:-1]
    if y == "twos":
        y_ = 2 * y_
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(X_, y_, w1, w2, 5)


def test_noise_scale_functions_refuse_bad_input(overlapping):
    X, y = overlapping.X, overlapping.y
    with pytest.raises(ValueError, match=r"^w\b"):
        cu.gradient_noise_scale(X, y, np.array([np.nan, 0.0]))
    with pytest.raises(ValueError, match=r"^w\b"):
        cu.per_sample_gradients(X, y, np.ones(3))
    with pytest.raises(ValueError, match=r"^w1\b"):
        cu.noise_scale_landscape(X, y, [], W2)
    with pytest.raises(ValueError, match=r"^y\b"):
        cu.noise_scale_landscape(X, y + 1, W1, W2)
