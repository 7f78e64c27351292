"""The classifier σ(w·x): stable for any weights, predictions, accuracy."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu

huge_logit = st.floats(-1e300, 1e300)
points = arrays(float, st.tuples(st.integers(1, 30), st.just(2)), elements=st.floats(-10, 10))
weights = arrays(float, 2, elements=st.floats(-1e4, 1e4))


@given(arrays(float, st.integers(1, 50), elements=huge_logit))
def test_sigmoid_is_in_range_and_warning_free(z):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        p = cu.sigmoid(z)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(p[z > 40] == pytest.approx(1.0)) and np.all(p[z < -800] == 0.0)


@given(arrays(float, st.integers(1, 50), elements=st.floats(-30, 30)))
def test_sigmoid_matches_the_definition_and_is_odd(z):
    expected = [1 / (1 + math.exp(-t)) for t in z]
    np.testing.assert_allclose(cu.sigmoid(z), expected, rtol=1e-13)
    np.testing.assert_allclose(cu.sigmoid(-z), 1 - cu.sigmoid(z), atol=1e-15)


def test_sigmoid_closed_values():
    np.testing.assert_array_equal(cu.sigmoid(np.array([-np.inf, 0.0, np.inf])), [0.0, 0.5, 1.0])
    # deep in the lower tail it keeps its relative precision: σ(-700) = e^-700 / (1 + e^-700)
    assert cu.sigmoid(-700.0) == pytest.approx(math.exp(-700), rel=1e-12)
    assert cu.sigmoid([[0.0]]).shape == (1, 1)


@given(X=points, w=weights)
def test_predict_proba_is_sigmoid_of_the_logits(X, w):
    z = cu.logits(X, w)
    np.testing.assert_array_equal(z, X @ w)
    p = cu.predict_proba(X, w)
    assert p.shape == (X.shape[0],)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(p, cu.sigmoid(X @ w))
    # negating the weights swaps the classes
    np.testing.assert_allclose(cu.predict_proba(X, -w), 1 - p, atol=1e-15)


@given(X=points, w=weights, data=st.data())
def test_predict_and_accuracy(X, w, data):
    y = data.draw(arrays(np.int64, X.shape[0], elements=st.integers(0, 1)))
    labels = cu.predict(X, w)
    assert labels.dtype.kind == "i"
    np.testing.assert_array_equal(labels, [int(x[0] * w[0] + x[1] * w[1] > 0) for x in X])
    assert cu.accuracy(X, y, w) == np.mean(labels == y)
    # a point on the boundary (logit 0, probability 1/2) is given class 0
    z = X @ w
    np.testing.assert_array_equal(labels[z == 0], 0)


def test_predict_proba_with_huge_weights(data):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        p = cu.predict_proba(data.X, np.array([1e6, -1e6]))
    assert np.all(np.isfinite(p))
    assert set(np.unique(p)) <= {0.0, 0.5, 1.0}


def test_accuracy_of_the_bayes_weights(data):
    w = cu.bayes_optimal_weights(5.0, 1.0)
    labels = cu.predict(data.X, w)
    assert cu.accuracy(data.X, data.y, w) == np.mean(labels == data.y) > 0.97
    assert cu.accuracy(data.X, data.y, -w) == pytest.approx(1 - np.mean(labels == data.y))


@pytest.mark.parametrize("function", [cu.logits, cu.predict_proba, cu.predict])
@pytest.mark.parametrize(
    ("X", "w", "name"),
    [
        (np.ones((3, 3)), np.ones(2), "X"),
        (np.ones(3), np.ones(2), "X"),
        (np.zeros((0, 2)), np.ones(2), "X"),
        (np.array([[np.nan, 1.0]]), np.ones(2), "X"),
        (np.array([[np.inf, 1.0]]), np.ones(2), "X"),
        (np.ones((3, 2)), np.ones(3), "w"),
        (np.ones((3, 2)), np.ones((2, 1)), "w"),
        (np.ones((3, 2)), np.array([np.inf, 1.0]), "w"),
        (np.ones((3, 2)), np.array([0.0, np.nan]), "w"),
    ],
)
def test_model_functions_refuse_bad_input(function, X, w, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(X, w)


@pytest.mark.parametrize(
    ("y", "name"),
    [
        (np.array([0, 2, 1]), "y"),
        (np.array([0, 1]), "y"),
        (np.array([0.5, 1, 0]), "y"),
        (np.array([[0, 1, 0]]), "y"),
    ],
)
def test_accuracy_refuses_bad_labels(y, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.accuracy(np.ones((3, 2)), y, np.ones(2))


def test_sigmoid_refuses_nan():
    with pytest.raises(ValueError, match=r"^z\b"):
        cu.sigmoid(np.array([1.0, np.nan]))
