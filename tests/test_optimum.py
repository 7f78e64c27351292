"""The refined minimum and separability (no finite minimum)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from reference import brute_force_loss

import course_utils as cu


def _signed(X, y):
    return (2 * np.asarray(y) - 1)[:, None] * np.asarray(X)


def _strictly_separable_on_an_angle_grid(X, y, n_angles=20000):
    """Some direction on a fine grid of angles gives every point a positive margin."""
    angles = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    directions = np.stack([np.cos(angles), np.sin(angles)])
    return bool(np.any(np.all(_signed(X, y) @ directions > 0, axis=0)))


def _falling_direction(X, y):
    """For integer points, exactly: a d with every margin >= 0 and one > 0, else None.

    Such a d exists iff the loss has no finite minimum (it falls along d from anywhere). The
    set of d with all margins >= 0 is a cone whose edges are perpendicular to data points, so
    it suffices to try ±perp(s), s, and sums of two of those (the inside of a sector).
    """
    S = _signed(X, y).astype(np.int64)
    perpendicular = np.stack([-S[:, 1], S[:, 0]], axis=1)
    single = np.concatenate([perpendicular, -perpendicular, S])
    candidates = np.concatenate([single, (single[:, None] + single[None]).reshape(-1, 2)])
    margins = candidates @ S.T  # exact in integers
    falls = np.all(margins >= 0, axis=1) & np.any(margins > 0, axis=1)
    return candidates[np.argmax(falls)].astype(float) if falls.any() else None


def _assert_is_a_minimum(X, y, minimum):
    assert not minimum.separable
    scale = float(np.abs(X).max()) or 1.0
    np.testing.assert_allclose(cu.loss_gradient(X, y, minimum.w), 0, atol=1e-12 * scale)
    assert minimum.loss == pytest.approx(brute_force_loss(X, y, minimum.w), rel=1e-12)
    for radius in (1e-3, 0.1, 1.0):
        for angle in np.linspace(0, 2 * np.pi, 12, endpoint=False):
            step = radius * np.array([math.cos(angle), math.sin(angle)]) / scale
            assert brute_force_loss(X, y, minimum.w + step) >= minimum.loss * (1 - 1e-14)


# ---------------------------------------------------------------- minima


def test_minimum_has_zero_gradient_and_is_lowest(overlapping, data):
    for d in (overlapping, data):
        minimum = cu.find_minimum(d.X, d.y)
        _assert_is_a_minimum(d.X, d.y, minimum)
        assert minimum.w.shape == (2,)
        assert minimum.loss == pytest.approx(cu.loss_at(d.X, d.y, minimum.w), rel=1e-12)


def test_minimum_is_where_the_landscape_is_lowest(overlapping):
    X, y = overlapping.X, overlapping.y
    minimum = cu.find_minimum(X, y)
    w1 = minimum.w[0] + np.linspace(-0.5, 0.5, 51)
    w2 = minimum.w[1] + np.linspace(-0.5, 0.5, 51)
    surface = cu.loss_landscape(X, y, w1, w2)
    assert surface.min() >= minimum.loss
    np.testing.assert_allclose(cu.grid_argmin(surface, w1, w2), minimum.w, atol=0.011)


@given(
    distance=st.floats(0.1, 4.0),
    n=st.integers(6, 60),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1e-8, 1e-4, 1.0, 1e4]),
)
def test_minimum_of_any_overlapping_data_at_any_scale(distance, n, seed, scale):
    d = cu.make_two_gaussians(distance, 1.0, n, n, seed=seed)
    minimum = cu.find_minimum(d.X, d.y)
    if minimum.separable:
        assert _strictly_separable_on_an_angle_grid(d.X, d.y, 2000) or cu.is_separable(d.X, d.y)
        return
    _assert_is_a_minimum(d.X, d.y, minimum)
    # the same data in other units: the weights scale inversely, the loss is unchanged
    scaled = cu.find_minimum(d.X * scale, d.y)
    _assert_is_a_minimum(d.X * scale, d.y, scaled)
    np.testing.assert_allclose(scaled.w * scale, minimum.w, rtol=1e-6)
    assert scaled.loss == pytest.approx(minimum.loss, rel=1e-12)


# ---------------------------------------------------------------- separable data


def test_separable_data_has_no_minimum():
    d = cu.make_two_gaussians(8.0, 0.5, 10, 10, seed=0)
    minimum = cu.find_minimum(d.X, d.y)
    assert minimum.separable and np.all(np.isnan(minimum.w)) and minimum.loss == 0.0
    assert cu.is_separable(d.X, d.y)
    u = cu.bayes_optimal_weights(8.0, 0.5)
    u /= np.hypot(*u)
    losses = [cu.loss_at(d.X, d.y, t * u) for t in (1, 2, 4, 8, 16)]
    assert all(a > b > 0 for a, b in zip(losses, losses[1:], strict=False))


@pytest.mark.parametrize(
    ("X", "y", "separable"),
    [
        # points on the separating line, one off it: the loss falls towards +w2
        ([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], [1, 1, 1], True),
        # a point at the origin adds log 2 anywhere; the other two are separable
        ([[0.0, 0.0], [-1.0, 0.2], [-1.0, -0.2]], [1, 1, 1], True),
        ([[0.0, 0.0], [-0.0, 0.0]], [0, 1], False),  # constant loss: minimal everywhere
        ([[0.0, 0.0]], [1], False),
        ([[2.0, 1.0]], [0], True),  # one point
        ([[2.0, 1.0], [4.0, 2.0]], [1, 1], True),  # on one ray
        ([[1.0, 2.0], [-1.0, -2.0]], [1, 1], False),  # on a line, both sides
        ([[1.0, 2.0], [1.0, 2.0]], [1, 0], False),  # the same point in both classes
        ([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], [1, 1, 1], False),
    ],
)
def test_separability_with_points_on_the_line(X, y, separable):
    X, y = np.array(X), np.array(y)
    assert cu.is_separable(X, y) is separable
    minimum = cu.find_minimum(X, y)
    assert minimum.separable is separable
    if separable:
        assert np.all(np.isnan(minimum.w))
        d = _falling_direction(X, y)
        losses = [brute_force_loss(X, y, t * d) for t in (0.5, 1, 2, 4)]
        assert all(a > b for a, b in zip(losses, losses[1:], strict=False))
    else:
        _assert_is_a_minimum(X, y, minimum)


@given(
    X=arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.floats(-10, 10)),
    data=st.data(),
)
def test_is_separable_against_an_angle_grid(X, data):
    y = data.draw(arrays(np.int64, X.shape[0], elements=st.integers(0, 1)))
    signed = _signed(X, y)
    angles = np.sort(np.arctan2(signed[:, 1], signed[:, 0]))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    # leave out near-ties, where a finite angle grid cannot decide
    if np.any(np.hypot(*signed.T) < 1e-3) or np.any(np.abs(gaps - np.pi) < 1e-2):
        return
    assert cu.is_separable(X, y) == _strictly_separable_on_an_angle_grid(X, y)


@given(
    X=arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.integers(-3, 3)),
    data=st.data(),
)
def test_separability_and_minimum_on_integer_points(X, data):
    # Small integers give every tie: points at the origin, on one line, on both sides.
    y = data.draw(arrays(np.int64, X.shape[0], elements=st.integers(0, 1)))
    d = _falling_direction(X, y)
    assert cu.is_separable(X, y) == (d is not None)
    minimum = cu.find_minimum(X, y)
    assert minimum.separable == (d is not None)
    if d is None:
        _assert_is_a_minimum(X, y, minimum)
    else:
        assert np.all(np.isnan(minimum.w))
        d = d / np.hypot(*d)
        losses = [brute_force_loss(X, y, t * d) for t in (0.25, 0.5, 1.0)]
        assert losses[0] > losses[1] > losses[2]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("function", [cu.find_minimum, cu.is_separable])
@pytest.mark.parametrize(
    ("X", "y", "name"),
    [
        (np.full((3, 2), np.nan), [0, 1, 0], "X"),
        ([[0.0, np.inf], [1.0, 1.0]], [0, 1], "X"),
        (np.ones((3, 3)), [0, 1, 0], "X"),
        (np.ones((0, 2)), [], "X"),
        (np.ones((3, 2)), [0, 1, 2], "y"),
        (np.ones((3, 2)), [0, 1], "y"),
        (np.ones((3, 2)), [0, np.nan, 1], "y"),
    ],
)
def test_refuses_bad_input(function, X, y, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(X, np.array(y))
