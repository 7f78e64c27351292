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
