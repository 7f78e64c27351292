"""Minibatches: landscapes, the variance law, minima, separability, the noise scale."""

import itertools

import numpy as np
import pytest
from reference import brute_force_loss

import course_utils as cu

W1 = np.linspace(-3, 1, 9)
W2 = np.linspace(-2.5, 0.5, 7)


def test_batch_indices_make_disjoint_epochs():
    batches = cu.batch_indices(103, 10, seed=1)
    assert batches.shape == (10, 10)
    assert len(np.unique(batches)) == 100
    several = cu.batch_indices(103, 10, n_batches=25, seed=1)
    np.testing.assert_array_equal(several[:10], batches)
    for epoch in (several[:10], several[10:20]):
        assert len(np.unique(epoch)) == 100
    np.testing.assert_array_equal(cu.batch_indices(103, 10, seed=1), batches)
    assert not np.array_equal(cu.batch_indices(103, 10, seed=2), batches)


@pytest.mark.parametrize(("batch_size", "n_batches"), [(7, None), (7, 40), (1, None), (33, 5)])
def test_each_batch_landscape_is_the_landscape_of_its_rows(overlapping, batch_size, n_batches):
    X, y = overlapping.X, overlapping.y
    landscapes = cu.minibatch_landscapes(X, y, W1, W2, batch_size, n_batches=n_batches, seed=3)
    batches = cu.batch_indices(len(y), batch_size, n_batches, seed=3)
    assert landscapes.shape == (len(batches), W2.size, W1.size)
    for k in (0, len(batches) - 1):
        rows = batches[k]
        np.testing.assert_allclose(
            landscapes[k], cu.loss_landscape(X[rows], y[rows], W1, W2), rtol=1e-12
        )


def test_epoch_mean_is_the_full_landscape_when_batches_divide_the_data(overlapping):
    X, y = overlapping.X, overlapping.y  # 100 points
    full = cu.loss_landscape(X, y, W1, W2)
    for batch_size in (1, 4, 20, 100):
        epoch = cu.minibatch_landscapes(X, y, W1, W2, batch_size, seed=0)
        np.testing.assert_allclose(epoch.mean(axis=0), full, rtol=1e-12)
    np.testing.assert_allclose(cu.minibatch_landscapes(X, y, W1, W2, 100)[0], full, rtol=1e-12)


def test_batch_size_one_gives_the_per_sample_losses(overlapping):
    X, y = overlapping.X, overlapping.y
    w = np.array([W1[2], W2[5]])
    singles = cu.minibatch_landscapes(X, y, W1, W2, 1, seed=0)[:, 5, 2]
    order = cu.batch_indices(len(y), 1, seed=0)[:, 0]
    expected = cu.per_sample_loss_from_logits(y[order], X[order] @ w)
    np.testing.assert_allclose(singles, expected, rtol=1e-12)


def test_variance_law_against_all_subsets():
    d = cu.make_two_gaussians(1.5, 1.0, 4, 3, seed=8)
    w1, w2 = np.array([-1.0, 0.7]), np.array([0.3, -2.0])
    for batch_size in (1, 3, 5, 7):
        subsets = itertools.combinations(range(7), batch_size)
        means = np.stack([cu.loss_landscape(d.X[list(s)], d.y[list(s)], w1, w2) for s in subsets])
        np.testing.assert_allclose(
            cu.minibatch_loss_variance(d.X, d.y, w1, w2, batch_size),
            means.var(axis=0),
            rtol=1e-10,
            atol=1e-15,
        )


def test_variance_law_against_many_epochs(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-1.0]), np.array([-0.5, 1.0])
    for batch_size in (5, 25, 50):
        batches = cu.minibatch_landscapes(X, y, w1, w2, batch_size, n_batches=6000, seed=4)
        law = cu.minibatch_loss_variance(X, y, w1, w2, batch_size)
        # the sample variance of 6000 draws is within ~4 % (a few standard errors)
        np.testing.assert_allclose(batches.var(axis=0), law, rtol=0.12)
    assert not np.any(cu.minibatch_loss_variance(X, y, w1, w2, len(y)))


def test_variance_is_not_the_with_replacement_law(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-1.0]), np.array([-0.5])
    per_sample = cu.minibatch_loss_variance(X, y, w1, w2, 1)
    half = cu.minibatch_loss_variance(X, y, w1, w2, 50)
    np.testing.assert_allclose(half, per_sample / 50 * (100 - 50) / 99, rtol=1e-12)


def test_minibatch_minima(overlapping):
    X, y = overlapping.X, overlapping.y
    minima = cu.minibatch_minima(X, y, 10, seed=6)
    separable = cu.separable_batches(X, y, 10, seed=6)
    np.testing.assert_array_equal(np.isnan(minima[:, 0]), separable)
    assert 0 < separable.sum() < len(separable)
    for rows, w in zip(cu.batch_indices(len(y), 10, seed=6), minima, strict=True):
        assert cu.is_separable(X[rows], y[rows]) == np.isnan(w[0])
        if not np.isnan(w[0]):
            np.testing.assert_allclose(cu.loss_gradient(X[rows], y[rows], w), 0, atol=1e-9)


def test_small_batches_are_often_separable(overlapping):
    X, y = overlapping.X, overlapping.y
    assert cu.separable_batches(X, y, 1).all()
    assert cu.separable_batches(X, y, 100).sum() == 0


def test_gradient_noise_scale_against_a_direct_computation(overlapping, rng):
    X, y = overlapping.X, overlapping.y
    for w in rng.uniform(-3, 3, (4, 2)):
        grads = np.array([(cu.sigmoid(x @ w) - t) * x for x, t in zip(X, y, strict=True)])
        covariance = np.cov(grads.T, bias=True)
        mean = grads.mean(axis=0)
        expected = np.trace(covariance) / (mean @ mean)
        assert cu.gradient_noise_scale(X, y, w) == pytest.approx(expected, rel=1e-10)
        np.testing.assert_allclose(cu.per_sample_gradients(X, y, w), grads, rtol=1e-12)


def test_noise_scale_landscape_matches_pointwise(overlapping):
    X, y = overlapping.X, overlapping.y
    noise = cu.noise_scale_landscape(X, y, W1, W2)
    assert noise.shape == (W2.size, W1.size)
    assert noise[4, 6] == pytest.approx(cu.gradient_noise_scale(X, y, np.array([W1[6], W2[4]])))
    minimum = cu.find_minimum(X, y).w
    near = cu.gradient_noise_scale(X, y, minimum + 1e-3)
    assert near > 100 * cu.gradient_noise_scale(X, y, np.zeros(2))


def test_no_warning_at_huge_weights(overlapping):
    X, y = overlapping.X, overlapping.y
    axis = np.array([-1e4, 0.0, 1e4])
    assert np.all(np.isfinite(cu.minibatch_landscapes(X, y, axis, axis, 10)))
    assert np.all(np.isfinite(cu.minibatch_loss_variance(X, y, axis, axis, 10)))
    assert not np.any(np.isnan(cu.noise_scale_landscape(X, y, axis, axis)))
    assert cu.gradient_noise_scale(X, y, np.array([1e4, -1e4])) > 0
    landscape = cu.minibatch_landscapes(X, y, axis[:1], axis[2:], 10, seed=0)
    rows = cu.batch_indices(len(y), 10, seed=0)[0]
    assert landscape[0, 0, 0] == pytest.approx(brute_force_loss(X[rows], y[rows], (-1e4, 1e4)))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 101}, "batch_size"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"batch_size": 5, "n_batches": 0}, "n_batches"),
        ({"batch_size": 5, "seed": -2}, "seed"),
    ],
)
def test_minibatch_functions_refuse_bad_input(overlapping, kwargs, name):
    X, y = overlapping.X, overlapping.y
    with pytest.raises(ValueError, match=name):
        cu.minibatch_landscapes(X, y, W1, W2, **kwargs)
    if "n_batches" not in kwargs and "seed" not in kwargs:
        with pytest.raises(ValueError, match=name):
            cu.minibatch_loss_variance(X, y, W1, W2, **kwargs)
    with pytest.raises(ValueError, match=name):
        cu.minibatch_minima(X, y, **kwargs)


@pytest.mark.parametrize("function", [cu.minibatch_landscapes, cu.minibatch_loss_variance])
def test_minibatch_functions_refuse_bad_grids_and_data(overlapping, function):
    X, y = overlapping.X, overlapping.y
    with pytest.raises(ValueError, match="w1"):
        function(X, y, [], W2, 5)
    with pytest.raises(ValueError, match="y"):
        function(X, y[:-1], W1, W2, 5)


def test_noise_scale_refuses_bad_weights(overlapping):
    with pytest.raises(ValueError, match="w"):
        cu.gradient_noise_scale(overlapping.X, overlapping.y, np.array([np.nan, 0.0]))
