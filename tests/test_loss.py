"""Cross-entropy: sign, symmetry, agreement of the two forms, stability from logits."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu

sizes = st.integers(1, 40)


@st.composite
def labelled(draw, elements):
    n = draw(sizes)
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    return y, draw(arrays(float, n, elements=elements))


def _reference_loss(y, z) -> float:
    """Mean of -log σ(m), m = ±z, one sample at a time with the math module."""
    total = 0.0
    for label, logit in zip(y, z, strict=True):
        m = logit if label == 1 else -logit
        total += math.log1p(math.exp(-m)) if m > 0 else -m + math.log1p(math.exp(m))
    return total / len(y)


@given(labelled(st.floats(-1e300, 1e300)))
def test_loss_from_logits_is_finite_non_negative_and_warning_free(pair):
    y, z = pair
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        loss = cu.cross_entropy_from_logits(y, z)
        per_sample = cu.per_sample_loss_from_logits(y, z)
    assert np.isfinite(loss) and loss >= 0
    assert per_sample.shape == y.shape and np.all(per_sample >= 0)
    assert loss == pytest.approx(_reference_loss(y, z), rel=1e-12)


@given(labelled(st.floats(-1e300, 1e300)))
def test_swapping_labels_and_negating_logits_changes_nothing(pair):
    y, z = pair
    assert cu.cross_entropy_from_logits(1 - y, -z) == cu.cross_entropy_from_logits(y, z)


@given(labelled(st.floats(0, 1)))
def test_loss_from_probabilities_is_non_negative(pair):
    y, p = pair
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cu.cross_entropy(y, p)
    assert loss >= 0  # possibly inf: a confident mistake, never NaN


@given(
    # |z| <= 8: beyond ~30, 1 - p loses its digits; that is what the logit form is for.
    X=arrays(float, (30, 2), elements=st.floats(-2, 2)),
    w=arrays(float, 2, elements=st.floats(-2, 2)),
    y=arrays(np.int64, 30, elements=st.integers(0, 1)),
)
def test_probability_and_logit_forms_agree_where_both_are_finite(X, w, y):
    from_probabilities = cu.cross_entropy(y, cu.predict_proba(X, w))
    from_logits = cu.cross_entropy_from_logits(y, X @ w)
    assert from_probabilities == pytest.approx(from_logits, rel=1e-9, abs=1e-12)
    # the symmetry in the probability form: swap the labels and negate the weights
    assert cu.cross_entropy(1 - y, cu.predict_proba(X, -w)) == pytest.approx(
        from_probabilities, rel=1e-9
    )


def test_per_sample_loss_closed_values():
    y = np.array([1, 0, 1, 0, 1, 0])
    z = np.array([0.0, 0.0, 1000.0, 1000.0, -1000.0, -1e300])
    np.testing.assert_allclose(
        cu.per_sample_loss_from_logits(y, z), [math.log(2), math.log(2), 0.0, 1000.0, 1000.0, 0.0]
    )
    # tiny losses keep their relative precision: -log σ(40) = log1p(e^-40)
    assert cu.per_sample_loss_from_logits(np.array([1]), np.array([40.0]))[0] == pytest.approx(
        math.exp(-40.0), rel=1e-12
    )
    assert cu.cross_entropy_from_logits(np.array([0, 1]), np.array([1e300, -1e300])) == 1e300


def test_loss_is_the_negative_log_likelihood():
    y = np.array([1, 0, 1])
    p = np.array([0.9, 0.2, 0.6])
    log_likelihood = (math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    assert log_likelihood < 0
    assert cu.cross_entropy(y, p) == pytest.approx(-log_likelihood, rel=1e-15)
    z = np.log(p / (1 - p))
    assert cu.cross_entropy_from_logits(y, z) == pytest.approx(-log_likelihood, rel=1e-14)


def test_probability_form_is_infinite_for_a_confident_mistake_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cu.cross_entropy(np.array([0, 1]), np.array([1.0, 1.0])) == np.inf
        assert cu.cross_entropy(np.array([1]), np.array([0.0])) == np.inf
        # the same mistake through the model: σ(40) rounds to 1, so log(1 - p) = log 0
        p = cu.predict_proba(np.array([[1.0, 1.0]]), np.array([20.0, 20.0]))
        assert cu.cross_entropy(np.array([0]), p) == np.inf
    assert cu.cross_entropy_from_logits(np.array([0]), np.array([40.0])) == pytest.approx(40.0)
    assert cu.cross_entropy(np.array([1, 0]), np.array([1.0, 0.0])) == 0.0


def test_softplus():
    u = np.array([-np.inf, -800.0, 0.0, 30.0, 1e300, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = cu.softplus(u)
    np.testing.assert_allclose(
        got, [0.0, 0.0, math.log(2), 30 + math.log1p(math.exp(-30)), 1e300, np.inf]
    )
    assert cu.softplus(-40.0) == pytest.approx(math.exp(-40.0), rel=1e-12)


@pytest.mark.parametrize(
    ("y", "values", "name"),
    [
        ([0, 2], [0.5, 0.5], "y"),
        ([0, -1], [0.5, 0.5], "y"),
        ([0, 0.5], [0.5, 0.5], "y"),
        ([0, np.nan], [0.5, 0.5], "y"),
        ([0, 1], [0.5], "p"),
        ([0, 1], [[0.5, 0.5]], "p"),
        ([0, 1], [0.5, np.nan], "p"),
        ([0, 1], [0.5, np.inf], "p"),
        ([0, 1], [0.5, 1.5], "p"),
        ([0, 1], [-0.1, 0.5], "p"),
        ([], [], "y"),
        ([[0, 1]], [0.5, 0.5], "y"),
    ],
)
def test_cross_entropy_refuses_bad_input(y, values, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        cu.cross_entropy(np.array(y), np.array(values))


@pytest.mark.parametrize("function", [cu.cross_entropy_from_logits, cu.per_sample_loss_from_logits])
@pytest.mark.parametrize(
    ("y", "z", "name"),
    [
        ([0, 1], [0.5, np.inf], "z"),
        ([0, 1], [np.nan, 0.5], "z"),
        ([0, -1], [1.0, 1.0], "y"),
        ([0, 3], [1.0, 1.0], "y"),
        ([0, 1], [1.0, 2.0, 3.0], "z"),
        ([0, 1], [[1.0, 2.0]], "z"),
        ([], [], "y"),
    ],
)
def test_losses_from_logits_refuse_bad_input(function, y, z, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        function(np.array(y), np.array(z))


def test_softplus_refuses_nan():
    with pytest.raises(ValueError, match=r"^u\b"):
        cu.softplus(np.array([0.0, np.nan]))
