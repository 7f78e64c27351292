"""The refined minimum and separability."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu


def test_minimum_has_zero_gradient_and_is_lowest(overlapping, rng):
    minimum = cu.find_minimum(overlapping.X, overlapping.y)
    assert not minimum.separable
    np.testing.assert_allclose(
        cu.loss_gradient(overlapping.X, overlapping.y, minimum.w), 0, atol=1e-10
    )
    assert minimum.loss == pytest.approx(cu.loss_at(overlapping.X, overlapping.y, minimum.w))
    for step in rng.normal(size=(20, 2)) * 0.05:
        assert cu.loss_at(overlapping.X, overlapping.y, minimum.w + step) > minimum.loss


def test_separable_data_has_no_minimum():
    d = cu.make_two_gaussians(8.0, 0.5, 10, 10, seed=0)
    minimum = cu.find_minimum(d.X, d.y)
    assert minimum.separable and np.all(np.isnan(minimum.w))
    assert cu.is_separable(d.X, d.y)
    u = cu.bayes_optimal_weights(8.0, 0.5)
    u /= np.hypot(*u)
    losses = [cu.loss_at(d.X, d.y, t * u) for t in (1, 2, 4, 8)]
    assert all(a > b > 0 for a, b in zip(losses, losses[1:], strict=False))


def _separable_by_brute_force(X, y, n_angles=20000):
    signed = (2 * y - 1)[:, None] * X
    angles = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    directions = np.stack([np.cos(angles), np.sin(angles)])
    return bool(np.any(np.all(signed @ directions > 0, axis=0)))


@given(
    X=arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.floats(-10, 10)),
    data=st.data(),
)
def test_is_separable_against_brute_force(X, data):
    y = data.draw(arrays(np.int64, X.shape[0], elements=st.integers(0, 1)))
    signed = (2 * y - 1)[:, None] * X
    angles = np.sort(np.arctan2(signed[:, 1], signed[:, 0]))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    # leave out near-ties, where a finite angle grid cannot decide
    if np.any(np.hypot(*signed.T) < 1e-3) or np.any(np.abs(gaps - np.pi) < 1e-2):
        return
    assert cu.is_separable(X, y) == _separable_by_brute_force(X, y)


def test_refuses_bad_input(data):
    with pytest.raises(ValueError, match="y"):
        cu.find_minimum(data.X, data.y + 1)
    with pytest.raises(ValueError, match="X"):
        cu.is_separable(np.full((3, 2), np.nan), np.array([0, 1, 0]))
