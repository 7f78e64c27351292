"""Two Gaussian classes: geometry, reproducibility, the Bayes error and the Bayes weights."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_utils as cu

positive = st.floats(0.05, 20.0)
counts = st.integers(1, 40)
seeds = st.integers(0, 2**32 - 1)


def _centres_from_the_brief(distance):
    """Class 0 at +c·(1, 1), class 1 at -c·(1, 1), the centres `distance` apart."""
    c = distance / (2 * math.sqrt(2))
    return np.array([c, c]), np.array([-c, -c])


def _posterior(X, distance, sigma):
    """p(y=1 | x) from the two Gaussian densities and equal priors (Bayes' rule)."""
    mu0, mu1 = _centres_from_the_brief(distance)

    def log_density(centre):
        return -np.sum((X - centre) ** 2, axis=1) / (2 * sigma**2)

    # p1 / (p0 + p1) = 1 / (1 + p0/p1), the ratio taken in logs so no density underflows
    return 1 / (1 + np.exp(log_density(mu0) - log_density(mu1)))


@given(distance=positive)
def test_centres_are_exactly_distance_apart(distance):
    c0, c1 = cu.class_centres(distance)
    assert math.dist(c0, c1) == pytest.approx(distance, rel=1e-12)
    np.testing.assert_allclose(np.stack([c0, c1]), _centres_from_the_brief(distance), rtol=1e-15)
    dataset = cu.make_two_gaussians(distance, 1.0, 1, 1, seed=0)
    np.testing.assert_array_equal(dataset.centres, cu.class_centres(distance))


def test_centres_are_not_the_drafts():
    # The draft's offset distance / (2·sqrt(distance)) put them sqrt(2·distance) apart.
    c0, c1 = cu.class_centres(8.0)
    assert math.dist(c0, c1) == pytest.approx(8.0, rel=1e-14)
    assert math.dist(c0, c1) != pytest.approx(math.sqrt(2 * 8.0), rel=0.1)


def test_centres_are_symmetric_on_the_diagonal():
    c0, c1 = cu.class_centres(5.0)
    assert c0[0] == c0[1] > 0
    np.testing.assert_array_equal(c1, -c0)


def test_sample_centres_are_distance_apart():
    n = 50_000
    d = cu.make_two_gaussians(8.0, 1.0, n, n, seed=5)
    gap = d.X[d.y == 0].mean(axis=0) - d.X[d.y == 1].mean(axis=0)
    # each coordinate of the difference of means has standard error sigma·sqrt(2/n)
    assert abs(np.hypot(*gap) - 8.0) < 5 * math.sqrt(2 / n)


@given(n0=counts, n1=counts, seed=seeds)
def test_counts_labels_and_order(n0, n1, seed):
    d = cu.make_two_gaussians(3.0, 1.0, n0=n0, n1=n1, seed=seed)
    assert d.X.shape == (n0 + n1, 2) and d.y.shape == (n0 + n1,)
    assert d.X.dtype == float and d.y.dtype.kind == "i"
    np.testing.assert_array_equal(d.y, [0] * n0 + [1] * n1)
    assert d.n == n0 + n1
    assert np.all(np.isfinite(d.X))


@given(distance=positive, sigma=positive, n0=counts, n1=counts, seed=seeds)
def test_reproducible_by_seed(distance, sigma, n0, n1, seed):
    a = cu.make_two_gaussians(distance, sigma, n0, n1, seed=seed)
    b = cu.make_two_gaussians(distance, sigma, n0, n1, seed=seed)
    g = cu.make_two_gaussians(distance, sigma, n0, n1, seed=np.random.default_rng(seed))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.X, g.X)
    other = cu.make_two_gaussians(distance, sigma, n0, n1, seed=seed + 1)
    assert not np.any(a.X == other.X)
    assert (a.distance, a.sigma) == (distance, sigma)


def test_a_generator_seed_moves_on():
    rng = np.random.default_rng(9)
    first = cu.make_two_gaussians(seed=rng)
    second = cu.make_two_gaussians(seed=rng)
    assert not np.allclose(first.X, second.X)
    np.testing.assert_array_equal(first.X, cu.make_two_gaussians(seed=9).X)
    np.testing.assert_array_equal(cu.make_two_gaussians(seed=np.int64(9)).X, first.X)


def test_sample_moments_match_the_design():
    n = 20_000
    d = cu.make_two_gaussians(4.0, 1.5, n, n, seed=0)
    for k, centre in enumerate(_centres_from_the_brief(4.0)):
        points = d.X[d.y == k]
        # standard errors: sigma/sqrt(n) for a mean, about sigma/sqrt(2n) for a std
        np.testing.assert_allclose(points.mean(axis=0), centre, atol=5 * 1.5 / math.sqrt(n))
        np.testing.assert_allclose(points.std(axis=0), 1.5, atol=5 * 1.5 / math.sqrt(2 * n))
        assert abs(np.corrcoef(points.T)[0, 1]) < 5 / math.sqrt(n)


def test_bayes_error_closed_values():
    assert cu.bayes_error(1e-12, 1.0) == pytest.approx(0.5, abs=1e-12)
    assert cu.bayes_error(2.0, 1.0) == pytest.approx(0.15865525393145707, rel=1e-12)
    assert cu.bayes_error(5.0, 1.0) == pytest.approx(0.006209665325776132, rel=1e-12)
    # the far tail keeps its relative precision (Φ(-20))
    assert cu.bayes_error(40.0, 1.0) == pytest.approx(2.7536241186062337e-89, rel=1e-12)
    # only the ratio distance / sigma matters
    assert cu.bayes_error(6.0, 3.0) == pytest.approx(cu.bayes_error(2.0, 1.0), rel=1e-14)


@given(distance=positive, sigma=positive)
def test_bayes_error_is_phi_of_minus_half_the_separation(distance, sigma):
    t = distance / (2 * sigma)
    assert cu.bayes_error(distance, sigma) == pytest.approx(0.5 * math.erfc(t / math.sqrt(2)))
    assert 0 <= cu.bayes_error(distance, sigma) < 0.5  # 0 once Φ(-t) underflows (t > 38)
    assert cu.bayes_error(distance * 1.1, sigma) <= cu.bayes_error(distance, sigma)


@pytest.mark.parametrize(("distance", "sigma"), [(2.0, 1.0), (3.0, 1.5), (1.0, 2.0), (5.0, 1.0)])
def test_bayes_error_against_monte_carlo(distance, sigma):
    n = 100_000
    d = cu.make_two_gaussians(distance, sigma, n, n, seed=7)
    w_star = cu.bayes_optimal_weights(distance, sigma)
    mistakes = (d.X @ w_star > 0) != (d.y == 1)
    p = cu.bayes_error(distance, sigma)
    assert abs(mistakes.mean() - p) < 4 * math.sqrt(p * (1 - p) / (2 * n))


def _bayes_error_by_quadrature(distance, sigma, prior1):
    """∫ min(π0·p(s | 0), π1·p(s | 1)) ds along the line between the centres, numerically."""
    s = np.linspace(-distance / 2 - 12 * sigma, distance / 2 + 12 * sigma, 400_001)
    density = np.exp(-0.5 * ((s[:, None] - [-distance / 2, distance / 2]) / sigma) ** 2)
    density /= sigma * math.sqrt(2 * math.pi)
    smaller = np.minimum((1 - prior1) * density[:, 0], prior1 * density[:, 1])
    return float(np.sum(smaller) * (s[1] - s[0]))


@pytest.mark.parametrize(
    ("distance", "sigma", "prior1"),
    [(2.0, 1.0, 0.5), (2.0, 3.0, 20 / 420), (5.0, 1.0, 0.2), (1.0, 2.0, 0.9), (3.0, 0.5, 0.01)],
)
def test_bayes_error_with_a_prior_is_the_overlap_of_the_weighted_densities(distance, sigma, prior1):
    expected = _bayes_error_by_quadrature(distance, sigma, prior1)
    assert cu.bayes_error(distance, sigma, prior1) == pytest.approx(expected, rel=1e-6)


def test_bayes_error_with_a_prior_closed_form_and_limits():
    # the case: 400 : 20 points, distance 2, sigma 3
    prior1 = 20 / 420
    a, b = 2 / (2 * 3), 3 * math.log(400 / 20) / 2
    phi = cu.normal_cdf
    closed = (1 - prior1) * phi(-a - b) + prior1 * phi(-a + b)
    assert cu.bayes_error(2.0, 3.0, prior1) == pytest.approx(float(closed), rel=1e-12)
    # always answering the majority class errs prior1 = 4.76 %; the Bayes rule barely beats it
    assert prior1 * (1 - 1e-3) < cu.bayes_error(2.0, 3.0, prior1) < prior1
    # the old formula (36.9 %) is what a boundary through the origin gets, not the floor
    assert cu.bayes_error(2.0, 3.0) == pytest.approx(0.369441340, rel=1e-8)
    # equal classes: Φ(-distance / (2σ)); swapping the classes changes nothing
    assert cu.bayes_error(2.0, 1.0, 0.5) == cu.bayes_error(2.0, 1.0)
    for p in (0.1, 0.3, 0.77):
        assert cu.bayes_error(3.0, 1.5, p) == pytest.approx(cu.bayes_error(3.0, 1.5, 1 - p))
        assert cu.bayes_error(3.0, 1.5, p) < cu.bayes_error(3.0, 1.5)
    # a rare class: the floor tends to its share (the rule almost never names it)
    for p in (1e-3, 1e-6):
        assert cu.bayes_error(1.0, 1.0, p) == pytest.approx(p, rel=0.02)
    assert cu.bayes_error(1.0, 1.0, 1 - 1e-6) == pytest.approx(1e-6, rel=0.02)


def test_bayes_threshold_moves_towards_the_rarer_class():
    assert cu.bayes_threshold(2.0, 1.0) == 0.0
    assert cu.bayes_threshold(2.0, 3.0, 20 / 420) == pytest.approx(4.5 * math.log(20))
    assert cu.bayes_threshold(2.0, 1.0, 0.8) == pytest.approx(-0.5 * math.log(4))
    # at the threshold the weighted densities are equal
    distance, sigma, prior1 = 3.0, 1.2, 0.25
    t = cu.bayes_threshold(distance, sigma, prior1)
    weighted = [
        pk * math.exp(-0.5 * ((t - centre) / sigma) ** 2)
        for pk, centre in ((1 - prior1, -distance / 2), (prior1, distance / 2))
    ]
    assert weighted[0] == pytest.approx(weighted[1], rel=1e-12)


@pytest.mark.parametrize(
    ("distance", "sigma", "n0", "n1"),
    [(2.0, 1.0, 90_000, 30_000), (2.0, 3.0, 200_000, 10_000), (4.0, 1.0, 20_000, 100_000)],
)
def test_bayes_error_with_a_prior_against_monte_carlo(distance, sigma, n0, n1):
    prior1 = n1 / (n0 + n1)
    d = cu.make_two_gaussians(distance, sigma, n0, n1, seed=11)
    # the Bayes rule: class 1 beyond the threshold along the unit vector from centre 0 to 1
    unit = -np.ones(2) / math.sqrt(2)
    says_1 = d.X @ unit > cu.bayes_threshold(distance, sigma, prior1)
    mistakes = says_1 != (d.y == 1)
    p = cu.bayes_error(distance, sigma, prior1)
    assert abs(mistakes.mean() - p) < 4 * math.sqrt(p * (1 - p) / d.n)
    # any other threshold does worse on this large sample (the rule is the best)
    for shift in (-sigma, sigma):
        other = (d.X @ unit > cu.bayes_threshold(distance, sigma, prior1) + shift) != (d.y == 1)
        assert other.mean() >= mistakes.mean()
        if abs(cu.bayes_threshold(distance, sigma, prior1)) < 2 * sigma:  # points near it
            assert other.mean() > mistakes.mean()
    # and a boundary through the origin gets Φ(-distance/(2σ)) whatever the counts
    through_origin = (d.X @ unit > 0) != (d.y == 1)
    q = cu.bayes_error(distance, sigma)
    assert abs(through_origin.mean() - q) < 4 * math.sqrt(q * (1 - q) / d.n)


@pytest.mark.parametrize("prior1", [0.0, 1.0, -0.1, 1.5, float("nan"), "0.3", True, None])
def test_bayes_error_refuses_a_bad_prior(prior1):
    for function in (cu.bayes_error, cu.bayes_threshold):
        with pytest.raises(ValueError, match=r"^prior1\b.*\(0, 1\)"):
            function(2.0, 1.0, prior1)


def test_normal_cdf():
    x = np.array([-np.inf, -3.0, 0.0, 1.0, np.inf])
    expected = [0.0, 0.0013498980316300946, 0.5, 0.8413447460685429, 1.0]
    np.testing.assert_allclose(cu.normal_cdf(x), expected, rtol=1e-13)
    assert cu.normal_cdf(np.zeros((2, 3))).shape == (2, 3)


def test_bayes_optimal_weights():
    np.testing.assert_allclose(cu.bayes_optimal_weights(5.0, 1.0), [-3.5355339, -3.5355339])
    np.testing.assert_allclose(
        cu.bayes_optimal_weights(5.0, 1.0), [-5 / math.sqrt(2)] * 2, rtol=1e-15
    )
    mu0, mu1 = _centres_from_the_brief(3.0)
    np.testing.assert_allclose(cu.bayes_optimal_weights(3.0, 2.0), (mu1 - mu0) / 4.0)


@pytest.mark.parametrize(("distance", "sigma"), [(3.0, 1.2), (5.0, 1.0), (1.0, 0.7)])
def test_model_at_w_star_is_the_true_posterior(distance, sigma):
    n = 20_000
    d = cu.make_two_gaussians(distance, sigma, n, n, seed=2)
    posterior = _posterior(d.X, distance, sigma)
    p = cu.predict_proba(d.X, cu.bayes_optimal_weights(distance, sigma))
    np.testing.assert_allclose(p, posterior, rtol=1e-9, atol=1e-15)
    assert p.mean() == pytest.approx(posterior.mean(), rel=1e-12)
    # with equal classes the posterior averages to the prior, 1/2
    assert abs(p.mean() - 0.5) < 5 * p.std() / math.sqrt(2 * n)


def test_probabilities_at_w_star_are_calibrated():
    # Without any formula for the posterior: among points given probability about p,
    # a fraction of about p belongs to class 1.
    n = 100_000
    d = cu.make_two_gaussians(2.0, 1.0, n, n, seed=3)
    p = cu.predict_proba(d.X, cu.bayes_optimal_weights(2.0, 1.0))
    bins = np.digitize(p, np.linspace(0, 1, 11)[1:-1])
    for b in range(10):
        inside = bins == b
        expected = p[inside].mean()
        error = math.sqrt(expected * (1 - expected) / inside.sum())
        assert abs(d.y[inside].mean() - expected) < 4.5 * error


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"distance": 0.0}, "distance"),
        ({"distance": float("nan")}, "distance"),
        ({"distance": -2.0}, "distance"),
        ({"sigma": 0.0}, "sigma"),
        ({"sigma": -1.0}, "sigma"),
        ({"sigma": float("inf")}, "sigma"),
        ({"n0": 0}, "n0"),
        ({"n1": -3}, "n1"),
        ({"n1": 2.5}, "n1"),
        ({"seed": -1}, "seed"),
        ({"seed": "a"}, "seed"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_make_two_gaussians_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.make_two_gaussians(**kwargs)


@pytest.mark.parametrize("function", [cu.bayes_error, cu.bayes_optimal_weights])
@pytest.mark.parametrize(
    ("distance", "sigma", "name"),
    [(0, 1, "distance"), (1, 0, "sigma"), (np.inf, 1, "distance"), (1, np.nan, "sigma")],
)
def test_bayes_functions_refuse_bad_input(function, distance, sigma, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(distance, sigma)


def test_normal_cdf_refuses_nan():
    with pytest.raises(ValueError, match=r"^x\b"):
        cu.normal_cdf(np.array([0.0, np.nan]))


def test_population_accuracy_against_monte_carlo():
    d = cu.make_two_gaussians(5.0, 1.0, 100_000, 20_000, seed=3)
    for w in ([-1.5, -1.0], [-1.0, 0.5], cu.bayes_optimal_weights(5.0, 1.0), [1.0, 0.2]):
        p = cu.population_accuracy(np.array(w), 5.0, 1.0)
        sampled = np.mean((d.X @ np.array(w) > 0) == (d.y == 1))
        assert abs(sampled - p) < 4 * np.sqrt(p * (1 - p) / d.n) + 1e-12
    assert cu.population_accuracy(np.zeros(2), 5.0, 1.0) == 0.5
    best = cu.population_accuracy(cu.bayes_optimal_weights(5.0, 1.0), 5.0, 1.0)
    assert best == pytest.approx(1 - cu.bayes_error(5.0, 1.0))
    assert cu.population_accuracy(np.array([-1.5, -1.0]), 5.0, 1.0) < best
