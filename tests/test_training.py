"""course_utils.training: the curvature and gradient covariance, tuned steps, batch minima."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import training

DATA = cu.make_two_gaussians(2.0, 1.0, 40, 40, seed=0)
W = np.array([-1.0, -0.8])


def _numerical_hessian(w, h=1e-4):
    columns = []
    for e in np.eye(2):
        plus = cu.loss_gradient(DATA.X, DATA.y, w + h * e)
        minus = cu.loss_gradient(DATA.X, DATA.y, w - h * e)
        columns.append((plus - minus) / (2 * h))
    return np.array(columns).T


def test_hessian_is_the_derivative_of_the_gradient():
    H = training.loss_hessian(DATA.X, DATA.y, W)
    np.testing.assert_allclose(H, _numerical_hessian(W), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(H, H.T)
    assert np.all(np.linalg.eigvalsh(H) > 0)


def test_gradient_covariance_is_the_spread_of_per_sample_gradients():
    g = cu.per_sample_gradients(DATA.X, DATA.y, W)
    expected = np.cov(g.T, bias=True)
    np.testing.assert_allclose(training.gradient_covariance(DATA.X, DATA.y, W), expected)
    # tr Σ / |G|² is the gradient noise scale
    sigma = training.gradient_covariance(DATA.X, DATA.y, W)
    G = cu.loss_gradient(DATA.X, DATA.y, W)
    assert np.trace(sigma) / (G @ G) == pytest.approx(cu.gradient_noise_scale(DATA.X, DATA.y, W))


def test_minima_of_batches_agree_with_minibatch_minima():
    for b in [2, 5, 16]:
        batches = cu.batch_indices(DATA.n, b, seed=3)
        np.testing.assert_allclose(
            training.minima_of_batches(DATA.X, DATA.y, batches),
            cu.minibatch_minima(DATA.X, DATA.y, b, seed=3),
            equal_nan=True,
        )


@pytest.mark.parametrize("bad", [np.array([[0, 1], [2, 80]]), np.array([0, 1]), np.zeros((1, 2))])
def test_minima_of_batches_refuses_bad_batches(bad):
    with pytest.raises(ValueError, match="batches"):
        training.minima_of_batches(DATA.X, DATA.y, bad)


def _exhaustive(b, rates, target, n_steps, seeds):
    w0 = np.array([2.0, 2.0])
    medians = []
    for lr in rates:
        paths = cu.sgd_paths(DATA.X, DATA.y, w0, lr, b, n_steps, seeds)
        medians.append(
            np.median(cu.steps_to_target(cu.losses_along(DATA.X, DATA.y, paths), target))
        )
    return float(rates[int(np.argmin(medians))]), float(np.min(medians))


def test_tuned_steps_match_an_exhaustive_search():
    target = cu.find_minimum(DATA.X, DATA.y).loss + 0.02
    rates = 2.0 ** np.arange(-4, 4)
    sizes = [1, 4, 16, 80]
    results = training.steps_with_tuned_rate(
        DATA.X, DATA.y, np.array([2.0, 2.0]), target, sizes, rates, 200, range(4)
    )
    for result in results:
        lr, steps = _exhaustive(result.batch_size, rates, target, 200, range(4))
        assert result.median == steps
        assert result.low <= result.median <= result.high
    # a bigger batch never needs more steps here, and the best rate does not fall
    assert [r.median for r in results] == sorted([r.median for r in results], reverse=True)


def test_tuned_steps_refuse_bad_input():
    with pytest.raises(ValueError, match="increasing"):
        training.steps_with_tuned_rate(DATA.X, DATA.y, np.zeros(2), 0.5, [4, 2], [0.1], 10, [0])
    with pytest.raises(ValueError, match="learning_rates"):
        training.steps_with_tuned_rate(DATA.X, DATA.y, np.zeros(2), 0.5, [2], [-1.0], 10, [0])
    with pytest.raises(ValueError, match="target"):
        training.steps_with_tuned_rate(DATA.X, DATA.y, np.zeros(2), np.nan, [2], [0.1], 10, [0])
    with pytest.raises(ValueError, match="batch_sizes"):
        training.steps_with_tuned_rate(DATA.X, DATA.y, np.zeros(2), 0.5, [0], [0.1], 10, [0])


def test_noise_ball_radii_are_those_of_sgd_paths_for_each_pair():
    centre = cu.find_minimum(DATA.X, DATA.y).w
    rates, sizes = np.array([0.05, 0.2]), np.array([2, 5, 16, 80])
    for sampling in ("epochs", "independent"):
        radii = training.noise_ball_radii(
            DATA.X, DATA.y, centre, rates[:, None], sizes, 120, range(3), sampling
        )
        assert radii.shape == (2, 4)
        for (i, j), radius in np.ndenumerate(radii):
            paths = cu.sgd_paths(
                DATA.X, DATA.y, centre, rates[i], sizes[j], 120, range(3), sampling=sampling
            )
            assert radius == pytest.approx(cu.noise_ball_radius(paths, centre), rel=1e-12)
    # a scalar pair gives a scalar; the burn-in is the fraction of points left out
    one = training.noise_ball_radii(DATA.X, DATA.y, centre, 0.1, 4, 50, [7], burn_in=0.2)
    path = cu.sgd(DATA.X, DATA.y, centre, 0.1, 4, 50, seed=7)
    assert one.shape == ()
    assert float(one) == pytest.approx(cu.noise_ball_radius(path[None], centre, 0.2), rel=1e-12)


def test_noise_ball_radii_refuse_pairs_that_do_not_broadcast():
    with pytest.raises(ValueError, match="^lr and batch_size"):
        training.noise_ball_radii(DATA.X, DATA.y, np.zeros(2), [0.1, 0.2], [1, 2, 4], 10, [0])
    with pytest.raises(ValueError, match="^batch_size"):
        training.noise_ball_radii(DATA.X, DATA.y, np.zeros(2), 0.1, [1, 81], 10, [0])
    with pytest.raises(ValueError, match="^lr"):
        training.noise_ball_radii(DATA.X, DATA.y, np.zeros(2), [0.1, np.nan], 4, 10, [0])


def _paths_of_every_kind():
    """SGD paths near and far from the minimum: settled, noisy, slow, and left far away."""
    w0 = np.array([2.0, 2.0])
    paths = [
        cu.sgd_paths(DATA.X, DATA.y, w0, lr, b, 150, range(3))
        for lr, b in [(0.5, 8), (4.0, 1), (0.05, 16), (1.0, 80), (8.0, 2)]
    ]
    far = np.full((1, 151, 2), 30.0)
    return np.concatenate([*paths, far])


@pytest.mark.parametrize("excess", [0.0, 1e-4, 0.005, 0.02, 0.3, 5.0])
def test_arrival_steps_are_steps_to_target_of_every_loss(excess):
    signed = DATA.X * (2.0 * DATA.y - 1.0)[:, None]
    minimum = cu.find_minimum(DATA.X, DATA.y)
    paths = _paths_of_every_kind()
    target = minimum.loss + excess
    expected = cu.steps_to_target(cu.losses_along(DATA.X, DATA.y, paths), target)
    got = training._arrival_steps(signed, paths, target, minimum)
    np.testing.assert_array_equal(got, expected)


def test_the_bound_never_calls_a_point_below_that_is_not():
    signed = DATA.X * (2.0 * DATA.y - 1.0)[:, None]
    minimum = cu.find_minimum(DATA.X, DATA.y)
    rng = np.random.default_rng(0)
    points = minimum.w + rng.normal(0, 0.6, (20_000, 2)) * rng.uniform(0, 1, (20_000, 1)) ** 2
    losses = cu.losses_along(DATA.X, DATA.y, points)
    for excess in (1e-3, 0.01, 0.05):
        target = minimum.loss + excess
        below = training._surely_below(signed, points[None], target, minimum)[0]
        assert np.all(losses[below] <= target)
        assert below.mean() > 0.2  # and it spares a good share of the evaluations
    # no minimum (separable data): nothing is known, every loss is evaluated
    separable = cu.find_minimum(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1, 0]))
    assert not training._surely_below(signed, points[None], 1.0, separable).any()
