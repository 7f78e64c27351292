"""The full-batch landscape against brute force; the population landscape; gradients; window."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import brute_force_loss

import course_utils as cu
from course_utils import _engine


def _brute_landscape(X, y, w1, w2):
    return np.array([[brute_force_loss(X, y, (a, b)) for a in w1] for b in w2])


def test_orientation_on_a_non_square_grid(data):
    w1 = np.array([-4.0, -1.0, 0.0, 2.0, 3.0])
    w2 = np.array([-3.0, 1.0, 5.0])
    surface = cu.loss_landscape(data.X, data.y, w1, w2)
    assert surface.shape == (3, 5)
    assert surface[1, 3] == pytest.approx(brute_force_loss(data.X, data.y, (2.0, 1.0)), rel=1e-12)


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3, 1e4])
def test_landscape_matches_brute_force_at_random_points(data, rng, scale):
    w1 = np.sort(rng.uniform(-scale, scale, 4))
    w2 = np.sort(rng.uniform(-scale, scale, 3))
    surface = cu.loss_landscape(data.X, data.y, w1, w2)
    np.testing.assert_allclose(surface, _brute_landscape(data.X, data.y, w1, w2), rtol=1e-10)


def test_both_engine_paths_and_several_sample_chunks(rng):
    # More samples than one chunk of the engine, and weights on both sides of the fast path.
    big = cu.make_two_gaussians(2.0, 1.0, 5000, 4000, seed=4)
    assert big.n > _engine._CHUNK_SAMPLES
    for w1, w2 in [
        (np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)),
        (np.array([-400.0, 300.0]), np.array([250.0])),
    ]:
        reach = np.abs(big.X).max(axis=0) @ [np.abs(w1).max(), np.abs(w2).max()]
        surface = cu.loss_landscape(big.X, big.y, w1, w2)
        expected = [[brute_force_loss(big.X, big.y, (a, b)) for a in w1] for b in w2]
        np.testing.assert_allclose(surface, expected, rtol=1e-10)
        assert (reach <= _engine._FAST_PATH_LIMIT) == (w1.size == 7)


def test_tiny_losses_keep_relative_precision():
    X = np.array([[1.0, 1.0], [-1.0, -2.0]])
    y = np.array([1, 0])
    w = np.array([30.0, 30.0])  # margins 60 and 90: losses ~1e-26
    got = cu.loss_landscape(X, y, w[:1], w[1:])[0, 0]
    assert got == pytest.approx(brute_force_loss(X, y, w), rel=1e-12)


def test_loss_at_matches_the_landscape(data):
    w1, w2 = np.array([-2.0, 1.0]), np.array([0.5])
    surface = cu.loss_landscape(data.X, data.y, w1, w2)
    assert cu.loss_at(data.X, data.y, np.array([1.0, 0.5])) == pytest.approx(surface[0, 1])


def test_no_warning_at_huge_weights(data):
    axis = np.array([-1e4, -1.0, 0.0, 1e4])
    assert np.all(np.isfinite(cu.loss_landscape(data.X, data.y, axis, axis)))
    assert np.all(np.isfinite(cu.gradient_field(data.X, data.y, axis, axis)))


def test_grid_argmin_approaches_w_star_for_large_samples():
    big = cu.make_two_gaussians(3.0, 1.0, 20000, 20000, seed=5)
    w1 = w2 = np.linspace(-4, 0, 81)
    found = cu.grid_argmin(cu.loss_landscape(big.X, big.y, w1, w2), w1, w2)
    np.testing.assert_allclose(found, cu.bayes_optimal_weights(3.0, 1.0), atol=0.15)


def test_grid_argmin_orientation():
    w1, w2 = np.arange(4.0), np.arange(3.0) * 10
    surface = np.ones((3, 4))
    surface[2, 1] = 0.0
    np.testing.assert_array_equal(cu.grid_argmin(surface, w1, w2), [1.0, 20.0])
    stack = np.stack([surface, surface[::-1]])
    np.testing.assert_array_equal(cu.grid_argmin(stack, w1, w2), [[1.0, 20.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="landscape"):
        cu.grid_argmin(surface.T, w1, w2)


def test_population_at_the_origin_is_log_2():
    assert cu.population_landscape(3.0, 1.0, [0.0], [0.0])[0, 0] == pytest.approx(np.log(2))


@pytest.mark.parametrize("w", [(-2.0, -1.0), (1.0, 0.5), (-8.0, 3.0), (0.01, 0.0)])
def test_population_against_monte_carlo(w):
    distance, sigma = 2.5, 1.3
    n = 400_000
    big = cu.make_two_gaussians(distance, sigma, n, n, seed=11)
    margins = (2 * big.y - 1) * (big.X @ np.array(w))
    losses = np.logaddexp(0, -margins)
    expected = cu.population_landscape(distance, sigma, [w[0]], [w[1]])[0, 0]
    assert abs(losses.mean() - expected) < 5 * losses.std() / np.sqrt(losses.size)


def test_population_minimum_is_w_star():
    w_star = cu.bayes_optimal_weights(3.0, 1.0)
    w1 = w_star[0] + np.linspace(-0.3, 0.3, 61)
    w2 = w_star[1] + np.linspace(-0.3, 0.3, 61)
    population = cu.population_landscape(3.0, 1.0, w1, w2)
    np.testing.assert_allclose(cu.grid_argmin(population, w1, w2), w_star, atol=0.011)


@given(w=arrays(float, 2, elements=st.floats(-50, 50)))
def test_population_is_finite_and_above_the_bayes_floor(w):
    value = cu.population_landscape(3.0, 1.0, [w[0]], [w[1]])[0, 0]
    floor = cu.population_landscape(3.0, 1.0, *[[v] for v in cu.bayes_optimal_weights(3.0, 1.0)])
    assert np.isfinite(value) and value >= floor[0, 0] - 1e-9


def test_gradient_against_finite_differences(overlapping, rng):
    for _ in range(5):
        w = rng.uniform(-4, 4, 2)
        h = 1e-6
        numeric = [
            (
                cu.loss_at(overlapping.X, overlapping.y, w + h * e)
                - cu.loss_at(overlapping.X, overlapping.y, w - h * e)
            )
            / (2 * h)
            for e in np.eye(2)
        ]
        np.testing.assert_allclose(
            cu.loss_gradient(overlapping.X, overlapping.y, w), numeric, rtol=1e-6, atol=1e-9
        )


def test_gradient_field_matches_loss_gradient(overlapping):
    w1, w2 = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 3.0])
    field = cu.gradient_field(overlapping.X, overlapping.y, w1, w2)
    assert field.shape == (2, 2, 3)
    np.testing.assert_allclose(
        field[:, 1, 2], cu.loss_gradient(overlapping.X, overlapping.y, np.array([2.0, 3.0]))
    )


def test_grid_window_contains_the_minimum_strictly(overlapping, data):
    for d in (overlapping, data):
        w1, w2 = cu.grid_window(d.X, d.y, n=41)
        minimum = cu.find_minimum(d.X, d.y).w
        assert w1[0] < minimum[0] < w1[-1] and w2[0] < minimum[1] < w2[-1]
        assert w1[0] < 0 < w1[-1]
        surface = cu.loss_landscape(d.X, d.y, w1, w2)
        i, j = np.unravel_index(surface.argmin(), surface.shape)
        assert 0 < i < w2.size - 1 and 0 < j < w1.size - 1


@pytest.mark.parametrize(
    ("w1", "w2", "name"),
    [
        ([], [1.0], "w1"),
        ([1.0], [], "w2"),
        ([np.nan], [1.0], "w1"),
        ([[1.0]], [1.0], "w1"),
        ([1.0], [np.inf], "w2"),
    ],
)
def test_landscapes_refuse_bad_grids(data, w1, w2, name):
    for function in (cu.loss_landscape, cu.gradient_field):
        with pytest.raises(ValueError, match=name):
            function(data.X, data.y, w1, w2)
    with pytest.raises(ValueError, match=name):
        cu.population_landscape(3.0, 1.0, w1, w2)


def test_population_refuses_bad_parameters():
    with pytest.raises(ValueError, match="sigma"):
        cu.population_landscape(3.0, -1.0, [0.0], [0.0])
    with pytest.raises(ValueError, match="distance"):
        cu.population_landscape(np.nan, 1.0, [0.0], [0.0])


@pytest.mark.parametrize("scale", [0.0, 1e-310, 1e-12, 9e-5, 1.1e-4, 1e-3])
def test_population_near_the_origin_is_continuous(scale):
    w = scale * np.array([-1.0, -0.5])
    value = cu.population_landscape(3.0, 1.0, [w[0]], [w[1]])[0, 0]
    mean = w @ cu.class_centres(3.0)[1]
    sd2 = w @ w
    # second-order expansion around a constant margin, independent of the code's branches
    p = 1 / (1 + np.exp(-mean))
    assert value == pytest.approx(np.log1p(np.exp(-mean)) + sd2 / 2 * p * (1 - p), rel=1e-12)
