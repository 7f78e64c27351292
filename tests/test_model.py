"""The classifier σ(w·x): stable for any weights, predictions, accuracy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu

logit = st.floats(-1e300, 1e300)


@given(arrays(float, st.integers(1, 50), elements=logit))
def test_sigmoid_is_in_range_and_warning_free(z):
    p = cu.sigmoid(z)
    assert np.all((p >= 0) & (p <= 1))


@given(arrays(float, st.integers(1, 50), elements=st.floats(-30, 30)))
def test_sigmoid_matches_the_definition_and_is_odd(z):
    np.testing.assert_allclose(cu.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-13)
    np.testing.assert_allclose(cu.sigmoid(-z), 1 - cu.sigmoid(z), atol=1e-15)


def test_predict_proba_with_huge_weights(data):
    p = cu.predict_proba(data.X, np.array([1e6, -1e6]))
    assert np.all(np.isfinite(p))
    assert set(np.unique(p)) <= {0.0, 0.5, 1.0}


def test_predict_and_accuracy(data):
    w = cu.bayes_optimal_weights(5.0, 1.0)
    labels = cu.predict(data.X, w)
    np.testing.assert_array_equal(labels, (data.X @ w > 0).astype(int))
    assert cu.accuracy(data.X, data.y, w) == pytest.approx(np.mean(labels == data.y))
    assert cu.accuracy(data.X, data.y, -w) == pytest.approx(1 - np.mean(labels == data.y))


def test_logits(data):
    w = np.array([0.3, -1.2])
    np.testing.assert_allclose(cu.logits(data.X, w), data.X @ w)


@pytest.mark.parametrize(
    ("X", "w", "name"),
    [
        (np.ones((3, 3)), np.ones(2), "X"),
        (np.ones(3), np.ones(2), "X"),
        (np.zeros((0, 2)), np.ones(2), "X"),
        (np.array([[np.nan, 1.0]]), np.ones(2), "X"),
        (np.ones((3, 2)), np.ones(3), "w"),
        (np.ones((3, 2)), np.array([np.inf, 1.0]), "w"),
    ],
)
def test_predict_proba_refuses_bad_input(X, w, name):
    with pytest.raises(ValueError, match=name):
        cu.predict_proba(X, w)


def test_accuracy_refuses_bad_labels(data):
    with pytest.raises(ValueError, match="y"):
        cu.accuracy(data.X, data.y * 2, np.ones(2))
    with pytest.raises(ValueError, match="y"):
        cu.accuracy(data.X, data.y[:-1], np.ones(2))
