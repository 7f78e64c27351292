"""The full-batch landscape against brute force; the population landscape; gradients; window."""

import contextlib
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import brute_force_loss, gaussian_expected_loss

import course_utils as cu
from course_utils import _engine

# weights from tiny to huge, mixed on one grid
weight = st.one_of(st.floats(-3, 3), st.floats(-1e4, 1e4))


def _brute_landscape(X, y, w1, w2):
    """Element [i, j] at (w1[j], w2[i]), one grid point and one sample at a time."""
    return np.array([[brute_force_loss(X, y, (a, b)) for a in w1] for b in w2])


@contextlib.contextmanager
def _warning_free():
    """Any warning, and any overflow, invalid value or division by zero, fails the test."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


@st.composite
def datasets(draw, max_count=25):
    return cu.make_two_gaussians(
        draw(st.floats(0.1, 8.0)),
        draw(st.floats(0.1, 3.0)),
        draw(st.integers(1, max_count)),
        draw(st.integers(1, max_count)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )


def _population_by_2d_quadrature(distance, sigma, w, nodes=801):
    """E[loss] over both classes by the trapezoid rule on a 2-D grid in x (no projection)."""
    c = distance / (2 * math.sqrt(2))
    t = np.linspace(-12, 12, nodes)
    u, v = np.meshgrid(t, t)
    density = np.exp(-(u**2 + v**2) / 2) / (2 * math.pi) * (t[1] - t[0]) ** 2
    total = 0.0
    for label, centre in ((0, c), (1, -c)):
        x1, x2 = centre + sigma * u, centre + sigma * v
        margin = (2 * label - 1) * (w[0] * x1 + w[1] * x2)
        total += 0.5 * np.sum(np.logaddexp(0, -margin) * density)
    return total


# ---------------------------------------------------------------- the sample landscape


def test_orientation_on_a_non_square_grid(data):
    w1 = np.array([-4.0, -1.0, 0.0, 2.0, 3.0])
    w2 = np.array([-3.0, 1.0, 5.0])
    surface = cu.loss_landscape(data.X, data.y, w1, w2)
    assert surface.shape == (3, 5)
    assert surface[1, 3] == pytest.approx(brute_force_loss(data.X, data.y, (2.0, 1.0)), rel=1e-12)
    assert surface[1, 3] != pytest.approx(brute_force_loss(data.X, data.y, (1.0, 2.0)), rel=1e-3)
    np.testing.assert_allclose(surface, _brute_landscape(data.X, data.y, w1, w2), rtol=1e-12)


@given(
    dataset=datasets(),
    w1=arrays(float, st.integers(1, 5), elements=weight),
    w2=arrays(float, st.integers(1, 4), elements=weight),
)
def test_landscape_matches_brute_force(dataset, w1, w2):
    with _warning_free():
        surface = cu.loss_landscape(dataset.X, dataset.y, w1, w2)
    assert surface.shape == (w2.size, w1.size)
    expected = _brute_landscape(dataset.X, dataset.y, w1, w2)
    # atol: losses that underflow into subnormals have no relative precision anywhere
    np.testing.assert_allclose(surface, expected, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3, 1e4])
def test_landscape_matches_brute_force_at_random_points(data, rng, scale):
    w1 = rng.uniform(-scale, scale, 4)
    w2 = rng.uniform(-scale, scale, 3)
    surface = cu.loss_landscape(data.X, data.y, w1, w2)
    np.testing.assert_allclose(surface, _brute_landscape(data.X, data.y, w1, w2), rtol=1e-10)


def test_both_engine_paths_and_several_sample_chunks():
    # More samples than one chunk of the engine, and weights on both sides of the fast path.
    big = cu.make_two_gaussians(2.0, 1.0, 5000, 4000, seed=4)
    assert big.n > _engine._CHUNK_SAMPLES
    for w1, w2 in [
        (np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)),
        (np.array([-400.0, 300.0]), np.array([250.0])),
    ]:
        reach = np.abs(big.X).max(axis=0) @ [np.abs(w1).max(), np.abs(w2).max()]
        surface = cu.loss_landscape(big.X, big.y, w1, w2)
        np.testing.assert_allclose(surface, _brute_landscape(big.X, big.y, w1, w2), rtol=1e-10)
        assert (reach <= _engine._FAST_PATH_LIMIT) == (w1.size == 7)


def test_tiny_losses_keep_relative_precision():
    X = np.array([[1.0, 1.0], [-1.0, -2.0]])
    y = np.array([1, 0])
    w = np.array([30.0, 30.0])  # margins 60 and 90: losses ~1e-26
    got = cu.loss_landscape(X, y, w[:1], w[1:])[0, 0]
    assert got == pytest.approx(brute_force_loss(X, y, w), rel=1e-12)


@given(dataset=datasets(), w=arrays(float, 2, elements=weight))
def test_loss_at_matches_brute_force_and_the_landscape(dataset, w):
    value = cu.loss_at(dataset.X, dataset.y, w)
    assert value == pytest.approx(brute_force_loss(dataset.X, dataset.y, w), rel=1e-10, abs=1e-300)
    # another grid takes another path through the engine: e^-m carries m's rounding, |m|·eps
    surface = cu.loss_landscape(dataset.X, dataset.y, [w[0], 0.0], [w[1]])
    assert value == pytest.approx(surface[0, 0], rel=1e-12, abs=1e-300)


def test_no_warning_at_huge_weights(data):
    axis = np.array([-1e4, -1.0, 0.0, 1e4])
    with _warning_free():
        assert np.all(np.isfinite(cu.loss_landscape(data.X, data.y, axis, axis)))
        assert np.all(np.isfinite(cu.gradient_field(data.X, data.y, axis, axis)))
        assert np.all(np.isfinite(cu.population_landscape(5.0, 1.0, axis, axis)))
        assert np.all(np.isfinite(cu.loss_gradient(data.X, data.y, np.array([1e4, -1e4]))))


def test_grid_argmin_approaches_w_star_for_large_samples():
    n = 20_000
    big = cu.make_two_gaussians(3.0, 1.0, n, n, seed=5)
    w_star = cu.bayes_optimal_weights(3.0, 1.0)
    # The refined minimum is the maximum-likelihood estimate: its covariance is the inverse
    # Fisher information over 2n, so its Mahalanobis distance² from w* is about chi² (2 dof).
    minimum = cu.find_minimum(big.X, big.y).w
    p = cu.predict_proba(big.X, w_star)
    fisher = (big.X * (p * (1 - p))[:, None]).T @ big.X / (2 * n)
    gap = minimum - w_star
    assert gap @ fisher @ gap * (2 * n) < 20.0  # P(chi²₂ > 20) = 5e-5
    # and the grid's lowest point is the grid point next to the refined minimum
    w1 = np.linspace(-3, -1, 81)
    w2 = np.linspace(-2.5, -1.5, 41)
    found = cu.grid_argmin(cu.loss_landscape(big.X, big.y, w1, w2), w1, w2)
    np.testing.assert_array_less(np.abs(found - minimum), [w1[1] - w1[0], w2[1] - w2[0]])
    np.testing.assert_allclose(found, w_star, atol=0.1)
    # a small sample lands further away
    small = cu.make_two_gaussians(3.0, 1.0, 50, 50, seed=5)
    assert np.hypot(*(cu.find_minimum(small.X, small.y).w - w_star)) > np.hypot(*gap)


def test_grid_argmin_orientation():
    w1, w2 = np.arange(4.0), np.arange(3.0) * 10
    surface = np.ones((3, 4))
    surface[2, 1] = 0.0
    np.testing.assert_array_equal(cu.grid_argmin(surface, w1, w2), [1.0, 20.0])
    stack = np.stack([surface, surface[::-1]])
    np.testing.assert_array_equal(cu.grid_argmin(stack, w1, w2), [[1.0, 20.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"^landscape\b"):
        cu.grid_argmin(surface.T, w1, w2)
    with pytest.raises(ValueError, match=r"^landscape\b"):
        cu.grid_argmin(np.where(surface == 1.0, np.nan, surface), w1, w2)
    with pytest.raises(ValueError, match=r"^landscape\b"):
        cu.grid_argmin(surface[None, None], w1, w2)


# ---------------------------------------------------------------- the population landscape


def test_population_at_the_origin_is_log_2():
    assert cu.population_landscape(3.0, 1.0, [0.0], [0.0])[0, 0] == pytest.approx(
        math.log(2), rel=1e-15
    )


@pytest.mark.parametrize(
    "w", [(-2.0, -1.0), (1.0, 0.5), (-3.5355, -3.5355), (0.01, 0.0), (-4.0, 3.0), (0.3, -0.2)]
)
def test_population_against_2d_quadrature(w):
    expected = _population_by_2d_quadrature(2.5, 1.3, w)
    got = cu.population_landscape(2.5, 1.3, [w[0]], [w[1]])[0, 0]
    assert got == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("w", [(-2.0, -1.0), (1.0, 0.5), (-8.0, 3.0), (0.01, 0.0)])
def test_population_against_monte_carlo(w):
    distance, sigma = 2.5, 1.3
    n = 400_000
    big = cu.make_two_gaussians(distance, sigma, n, n, seed=11)
    losses = np.logaddexp(0, -(2 * big.y - 1) * (big.X @ np.array(w)))
    expected = cu.population_landscape(distance, sigma, [w[0]], [w[1]])[0, 0]
    assert abs(losses.mean() - expected) < 5 * losses.std() / math.sqrt(losses.size)


# (distance, sigma, w1, w2): far out on the correct side, where the loss is tiny (the three of
# issue 14 first, then down to the smallest normal float, 2.2e-308); wide margins where the
# hinge dominates or the tilted Gaussian sits at 0; both signs of the mean; a narrow margin;
# the Taylor branch near the origin.
POPULATION_CASES = [
    (10.0, 0.1, -7.0, -7.0),  # 5.2e-22
    (10.0, 0.1, -8.0, -8.0),  # 5.1e-25
    (10.0, 0.1, -10.0, -10.0),  # 5.3e-31
    (10.0, 0.1, -60.0, -60.0),  # 2.4e-169
    (10.0, 0.1, -100.0, -100.0),  # 2.2e-264
    (10.0, 0.1, -120.0, -120.0),  # 1.1e-306
    (10.0, 0.1, -120.5, -120.5),  # 1.0e-307
    (3.0, 1.0, -50.0, -50.0),
    (3.0, 1.0, 40.0, 40.0),
    (2.0, 1.0, -5.0, -3.0),
    (10.0, 1.0, -3.54, -3.54),  # mean ≈ sd²: the tilted Gaussian centred on m = 0
    (10.0, 1 / 3, -42.4, -42.4),
    (10.0, 0.36, -99.0, -99.0),
    (3.0, 1.0, 1e-5, -2e-5),
    (3.0, 0.001, -50.0, -50.0),
    (3.0, 1.0, 5.0, -5.0),
    (3.0, 1.0, -2.121, -2.121),
    (5.0, 0.5, 0.3, -1.7),
    (1.0, 30.0, -400.0, 200.0),
]


@pytest.mark.parametrize(("distance", "sigma", "a", "b"), POPULATION_CASES)
def test_population_keeps_its_accuracy_against_mpmath(distance, sigma, a, b):
    mean = np.array([a, b]) @ cu.class_centres(distance)[1]
    expected = gaussian_expected_loss(mean, sigma * math.hypot(a, b))
    assert expected >= np.finfo(float).tiny  # the promise covers the normal floats
    got = cu.population_landscape(distance, sigma, [a], [b])[0, 0]
    assert got == pytest.approx(expected, rel=1e-9, abs=0)


def test_population_falls_along_a_ray_until_it_underflows():
    # w = -t·(1, 1) points at the class-1 centre: the loss falls like exp(-7.07 t + 0.01 t²)
    ray = np.array([cu.population_landscape(10.0, 0.1, [-t], [-t])[0, 0] for t in range(141)])
    normal = ray >= np.finfo(float).tiny
    assert normal[:121].all() and not normal[122:].any()
    assert np.all(np.diff(ray[normal]) < 0)
    assert np.all(ray >= 0) and ray[-1] == 0.0


def test_population_is_the_limit_of_the_sample_landscape():
    distance, sigma, n = 3.0, 1.2, 200_000
    big = cu.make_two_gaussians(distance, sigma, n, n, seed=12)
    w1, w2 = np.array([-4.0, -1.5, 0.5, 2.0]), np.array([-2.0, 0.0, 1.0])
    sample = cu.loss_landscape(big.X, big.y, w1, w2)
    population = cu.population_landscape(distance, sigma, w1, w2)
    assert population.shape == (3, 4)
    for i, b in enumerate(w2):
        for j, a in enumerate(w1):
            losses = cu.per_sample_loss_from_logits(big.y, big.X @ [a, b])
            error = losses.std() / math.sqrt(losses.size)
            assert abs(sample[i, j] - population[i, j]) < 5 * error


@pytest.mark.parametrize("scale", [1e3, 1e4, 1e8])
def test_population_at_huge_weights_is_the_hinge_plus_a_known_remainder(scale):
    # With s = sigma·|w| large, E[softplus(-m)] = E[max(-m, 0)] + (π²/6)·φ(mean/s)/s + O(s⁻³),
    # since the integral of log(1 + e^-|m|) over the line is π²/6.
    distance, sigma = 2.0, 0.8
    c = distance / (2 * math.sqrt(2))
    for angle in (0.3, 2.0, 3.5, 5.0):
        w = scale * np.array([math.cos(angle), math.sin(angle)])
        mean, s = -c * (w[0] + w[1]), sigma * scale
        r = mean / s
        phi = math.exp(-r * r / 2) / math.sqrt(2 * math.pi)
        hinge = s * phi - mean * 0.5 * math.erfc(r / math.sqrt(2))
        expected = hinge + math.pi**2 / 6 * phi / s
        got = cu.population_landscape(distance, sigma, [w[0]], [w[1]])[0, 0]
        assert got == pytest.approx(expected, rel=1e-9)


def test_population_minimum_is_w_star():
    w_star = cu.bayes_optimal_weights(3.0, 1.0)
    w1 = w_star[0] + np.linspace(-0.3, 0.3, 61)
    w2 = w_star[1] + np.linspace(-0.3, 0.3, 61)
    population = cu.population_landscape(3.0, 1.0, w1, w2)
    np.testing.assert_allclose(cu.grid_argmin(population, w1, w2), w_star, atol=0.011)


@given(w=arrays(float, 2, elements=st.floats(-50, 50)))
def test_population_is_finite_symmetric_and_above_the_bayes_floor(w):
    value = cu.population_landscape(3.0, 1.0, [w[0]], [w[1]])[0, 0]
    floor = cu.population_landscape(3.0, 1.0, *[[v] for v in cu.bayes_optimal_weights(3.0, 1.0)])
    assert np.isfinite(value) and value >= floor[0, 0] - 1e-9
    # the centres lie on the diagonal: swapping w1 and w2 changes nothing
    mirrored = cu.population_landscape(3.0, 1.0, [w[1]], [w[0]])[0, 0]
    assert mirrored == pytest.approx(value, rel=1e-12)


def test_population_orientation_on_a_non_square_grid():
    w1, w2 = np.array([-2.0, 0.5, 1.0, 3.0]), np.array([-1.0, 4.0])
    surface = cu.population_landscape(2.0, 1.0, w1, w2)
    assert surface.shape == (2, 4)
    for i, b in enumerate(w2):
        for j, a in enumerate(w1):
            assert surface[i, j] == cu.population_landscape(2.0, 1.0, [a], [b])[0, 0]


@pytest.mark.parametrize("scale", [0.0, 1e-310, 1e-12, 9e-5, 1.1e-4, 1e-3])
def test_population_near_the_origin_is_continuous(scale):
    w = scale * np.array([-1.0, -0.5])
    value = cu.population_landscape(3.0, 1.0, [w[0]], [w[1]])[0, 0]
    mean = w @ cu.class_centres(3.0)[1]
    sd2 = w @ w
    # second-order expansion around a constant margin, independent of the code's branches
    p = 1 / (1 + np.exp(-mean))
    assert value == pytest.approx(np.log1p(np.exp(-mean)) + sd2 / 2 * p * (1 - p), rel=1e-12)


# ---------------------------------------------------------------- gradients


def _central_differences(X, y, w, h):
    return np.array(
        [
            (brute_force_loss(X, y, w + h * e) - brute_force_loss(X, y, w - h * e)) / (2 * h)
            for e in np.eye(2)
        ]
    )


def test_gradient_against_finite_differences(overlapping, rng):
    X, y = overlapping.X, overlapping.y
    for w in rng.uniform(-4, 4, (6, 2)):
        numeric = _central_differences(X, y, w, 1e-5)
        np.testing.assert_allclose(cu.loss_gradient(X, y, w), numeric, rtol=1e-6, atol=1e-9)
    # huge weights: the loss is nearly piecewise linear; a wider step keeps rounding small
    w = np.array([3e3, -1e4])
    numeric = _central_differences(X, y, w, 1e-2)
    np.testing.assert_allclose(cu.loss_gradient(X, y, w), numeric, rtol=1e-6)


def test_gradient_field_against_finite_differences(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.array([-1.0, 0.0, 2.0, 2.5]), np.array([0.5, -3.0, 3.0])
    field = cu.gradient_field(X, y, w1, w2)
    assert field.shape == (2, 3, 4)
    for i, b in enumerate(w2):
        for j, a in enumerate(w1):
            numeric = _central_differences(X, y, np.array([a, b]), 1e-5)
            np.testing.assert_allclose(field[:, i, j], numeric, rtol=1e-6, atol=1e-9)
            np.testing.assert_allclose(field[:, i, j], cu.loss_gradient(X, y, [a, b]), rtol=1e-13)


def test_gradient_is_zero_at_the_refined_minimum(overlapping):
    minimum = cu.find_minimum(overlapping.X, overlapping.y).w
    np.testing.assert_allclose(
        cu.loss_gradient(overlapping.X, overlapping.y, minimum), 0, atol=1e-12
    )


# ---------------------------------------------------------------- the window


def test_grid_window_contains_the_minimum_strictly(overlapping, data):
    for d in (overlapping, data):
        w1, w2 = cu.grid_window(d.X, d.y, n=41)
        assert w1.shape == w2.shape == (41,)
        minimum = cu.find_minimum(d.X, d.y).w
        assert w1[0] < minimum[0] < w1[-1] and w2[0] < minimum[1] < w2[-1]
        assert w1[0] == -w1[-1] and w2[0] == -w2[-1]  # centred on the origin
        surface = cu.loss_landscape(d.X, d.y, w1, w2)
        i, j = np.unravel_index(surface.argmin(), surface.shape)
        assert 0 < i < w2.size - 1 and 0 < j < w1.size - 1


@given(dataset=datasets(max_count=40), pad=st.floats(1.05, 3.0))
def test_grid_window_contains_the_minimum_for_any_data(dataset, pad):
    w1, w2 = cu.grid_window(dataset.X, dataset.y, n=11, pad=pad)
    minimum = cu.find_minimum(dataset.X, dataset.y)
    if minimum.separable:
        np.testing.assert_array_equal(w1, np.linspace(-8, 8, 11))
    else:
        assert w1[0] < minimum.w[0] < w1[-1] and w2[0] < minimum.w[1] < w2[-1]


def test_grid_window_takes_a_minimum_already_found(overlapping, monkeypatch):
    import course_utils.landscape as landscape_module

    separable = cu.make_two_gaussians(10.0, 0.3, 5, 5, seed=1)
    for d in (overlapping, separable):
        minimum = cu.find_minimum(d.X, d.y)
        expected = cu.grid_window(d.X, d.y, n=21)
        monkeypatch.setattr(landscape_module, "minimum_of", _must_not_be_called)
        given_minimum = cu.grid_window(d.X, d.y, n=21, minimum=minimum)
        monkeypatch.undo()
        np.testing.assert_array_equal(given_minimum, expected)


def _must_not_be_called(*args):
    raise AssertionError("the minimum was solved again")


def test_loss_landscape_is_the_line_of_numpy_in_its_docstring(overlapping):
    X, y = overlapping.X, overlapping.y
    w1, w2 = np.linspace(-3, 2, 7), np.linspace(-1, 4, 5)
    line = cu.loss_landscape.__doc__.split("::")[1].strip().splitlines()[0]
    assert line.startswith("np.")
    documented = eval(line, {"np": np, "X": X, "y": y, "w1": w1, "w2": w2})
    np.testing.assert_allclose(cu.loss_landscape(X, y, w1, w2), documented, rtol=1e-13)


def test_one_loss_at_a_point_for_every_function(overlapping):
    X, y = overlapping.X, overlapping.y
    minimum = cu.find_minimum(X, y)
    w = np.array([1.5, -0.5])
    at = [cu.loss_at(X, y, w), cu.loss_at(X, y, minimum.w)]
    assert cu.losses_along(X, y, np.stack([w, minimum.w])).tolist() == at
    assert minimum.loss == at[1]
    assert cu.minibatch_losses_at(X, y, w, len(y))[0] == pytest.approx(at[0], rel=1e-15)
    assert at[0] == pytest.approx(brute_force_loss(X, y, w), rel=1e-14)


def test_grid_window_for_separable_data():
    d = cu.make_two_gaussians(10.0, 0.3, 5, 5, seed=1)
    w1, w2 = cu.grid_window(d.X, d.y, n=5, separable_half_width=3.0)
    np.testing.assert_array_equal(w1, [-3.0, -1.5, 0.0, 1.5, 3.0])
    np.testing.assert_array_equal(w2, w1)


def test_square_grid():
    w1, w2 = cu.square_grid([1.0, -2.0], 0.5, n=3)
    np.testing.assert_array_equal(w1, [0.5, 1.0, 1.5])
    np.testing.assert_array_equal(w2, [-2.5, -2.0, -1.5])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"pad": 1.0}, "pad"),
        ({"pad": 0.5}, "pad"),
        ({"pad": np.nan}, "pad"),
        ({"separable_half_width": 0.0}, "separable_half_width"),
        ({"separable_half_width": np.inf}, "separable_half_width"),
        ({"n": 1}, "n"),
        ({"n": 4.5}, "n"),
    ],
)
def test_grid_window_refuses_bad_input(overlapping, kwargs, name):
    # refused even for data with a minimum, where separable_half_width is not used
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.grid_window(overlapping.X, overlapping.y, **kwargs)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("w1", "w2", "name"),
    [
        ([], [1.0], "w1"),
        ([1.0], [], "w2"),
        ([np.nan], [1.0], "w1"),
        ([[1.0]], [1.0], "w1"),
        ([1.0], [np.inf], "w2"),
        ([1.0], [[2.0]], "w2"),
    ],
)
def test_landscapes_refuse_bad_grids(data, w1, w2, name):
    for function in (cu.loss_landscape, cu.gradient_field):
        with pytest.raises(ValueError, match=rf"^{name}\b"):
            function(data.X, data.y, w1, w2)
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.population_landscape(3.0, 1.0, w1, w2)


@pytest.mark.parametrize(
    ("distance", "sigma", "name"),
    [(3.0, -1.0, "sigma"), (3.0, 0.0, "sigma"), (np.nan, 1.0, "distance"), (0.0, 1.0, "distance")],
)
def test_population_refuses_bad_parameters(distance, sigma, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.population_landscape(distance, sigma, [0.0], [0.0])
