"""Two Gaussian classes: geometry, reproducibility, the Bayes error and the Bayes weights."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_utils as cu

positive = st.floats(0.05, 20.0)


@given(distance=positive)
def test_centres_are_exactly_distance_apart(distance):
    c0, c1 = cu.class_centres(distance)
    assert np.hypot(*(c0 - c1)) == pytest.approx(distance, rel=1e-12)
    # not the draft's sqrt(2·distance)
    if abs(distance - 2.0) > 0.1:
        assert np.hypot(*(c0 - c1)) != pytest.approx(math.sqrt(2 * distance), rel=1e-3)


def test_centres_are_symmetric_on_the_diagonal():
    c0, c1 = cu.class_centres(5.0)
    assert c0[0] == c0[1] > 0
    np.testing.assert_array_equal(c1, -c0)


def test_counts_labels_and_order():
    d = cu.make_two_gaussians(3.0, 1.0, n0=7, n1=13, seed=1)
    assert d.X.shape == (20, 2) and d.y.shape == (20,)
    assert d.y.dtype.kind == "i"
    np.testing.assert_array_equal(d.y, [0] * 7 + [1] * 13)
    assert d.n == 20


def test_reproducible_by_seed_and_generator():
    a = cu.make_two_gaussians(seed=42)
    b = cu.make_two_gaussians(seed=42)
    c = cu.make_two_gaussians(seed=43)
    g = cu.make_two_gaussians(seed=np.random.default_rng(42))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.X, g.X)
    assert not np.allclose(a.X, c.X)


def test_sample_moments_match_the_design():
    d = cu.make_two_gaussians(4.0, 1.5, 20000, 20000, seed=0)
    for k in (0, 1):
        points = d.X[d.y == k]
        np.testing.assert_allclose(points.mean(axis=0), d.centres[k], atol=0.04)
        np.testing.assert_allclose(points.std(axis=0), 1.5, rtol=0.02)


def test_bayes_error_closed_values():
    assert cu.bayes_error(1e-9, 1.0) == pytest.approx(0.5)
    assert cu.bayes_error(2.0, 1.0) == pytest.approx(0.15865525393145707, rel=1e-12)
    assert cu.bayes_error(5.0, 1.0) == pytest.approx(0.006209665325776132, rel=1e-12)
    # only the ratio matters
    assert cu.bayes_error(6.0, 3.0) == pytest.approx(cu.bayes_error(2.0, 1.0), rel=1e-14)


@pytest.mark.parametrize(("distance", "sigma"), [(2.0, 1.0), (3.0, 1.5), (1.0, 2.0)])
def test_bayes_error_against_monte_carlo(distance, sigma):
    n = 100_000
    d = cu.make_two_gaussians(distance, sigma, n, n, seed=7)
    w_star = cu.bayes_optimal_weights(distance, sigma)
    error = 1 - cu.accuracy(d.X, d.y, w_star)
    p = cu.bayes_error(distance, sigma)
    assert abs(error - p) < 4 * math.sqrt(p * (1 - p) / (2 * n))


def test_bayes_optimal_weights():
    np.testing.assert_allclose(cu.bayes_optimal_weights(5.0, 1.0), [-3.5355339, -3.5355339])
    c0, c1 = cu.class_centres(3.0)
    np.testing.assert_allclose(cu.bayes_optimal_weights(3.0, 2.0), (c1 - c0) / 4.0)


def test_model_at_w_star_is_the_true_posterior():
    distance, sigma = 3.0, 1.2
    d = cu.make_two_gaussians(distance, sigma, 5000, 5000, seed=2)
    c0, c1 = cu.class_centres(distance)

    def density(x, centre):
        return np.exp(-np.sum((x - centre) ** 2, axis=1) / (2 * sigma**2))

    posterior = density(d.X, c1) / (density(d.X, c0) + density(d.X, c1))
    p = cu.predict_proba(d.X, cu.bayes_optimal_weights(distance, sigma))
    np.testing.assert_allclose(p, posterior, rtol=1e-9, atol=1e-12)
    assert p.mean() == pytest.approx(posterior.mean(), abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"distance": 0.0}, "distance"),
        ({"distance": float("nan")}, "distance"),
        ({"sigma": 0.0}, "sigma"),
        ({"sigma": -1.0}, "sigma"),
        ({"sigma": float("inf")}, "sigma"),
        ({"n0": 0}, "n0"),
        ({"n1": -3}, "n1"),
        ({"n1": 2.5}, "n1"),
        ({"seed": -1}, "seed"),
        ({"seed": "a"}, "seed"),
    ],
)
def test_make_two_gaussians_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        cu.make_two_gaussians(**kwargs)


@pytest.mark.parametrize("function", [cu.bayes_error, cu.bayes_optimal_weights])
@pytest.mark.parametrize(("distance", "sigma", "name"), [(0, 1, "distance"), (1, 0, "sigma")])
def test_bayes_functions_refuse_bad_input(function, distance, sigma, name):
    with pytest.raises(ValueError, match=name):
        function(distance, sigma)
