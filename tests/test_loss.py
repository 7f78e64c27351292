"""Cross-entropy: sign, symmetry, agreement of the two forms, stability from logits."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu

sizes = st.integers(1, 40)


@st.composite
def labelled_logits(draw, bound=1e300):
    n = draw(sizes)
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    z = draw(arrays(float, n, elements=st.floats(-bound, bound)))
    return y, z


@given(labelled_logits())
def test_loss_from_logits_is_finite_and_non_negative(pair):
    y, z = pair
    loss = cu.cross_entropy_from_logits(y, z)
    assert np.isfinite(loss) and loss >= 0


@given(labelled_logits())
def test_swapping_labels_and_negating_logits_changes_nothing(pair):
    y, z = pair
    assert cu.cross_entropy_from_logits(1 - y, -z) == cu.cross_entropy_from_logits(y, z)


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
    # and the symmetry of the whole model: swap the labels, negate the weights
    assert cu.cross_entropy(1 - y, cu.predict_proba(X, -w)) == pytest.approx(
        from_probabilities, rel=1e-9
    )


def test_per_sample_loss_closed_values():
    y = np.array([1, 0, 1, 0, 1])
    z = np.array([0.0, 0.0, 1000.0, 1000.0, -1000.0])
    np.testing.assert_allclose(
        cu.per_sample_loss_from_logits(y, z), [np.log(2), np.log(2), 0.0, 1000.0, 1000.0]
    )
    # tiny losses keep their relative precision
    assert cu.per_sample_loss_from_logits(np.array([1]), np.array([40.0]))[0] == pytest.approx(
        np.exp(-40.0), rel=1e-12
    )


def test_loss_is_the_negative_log_likelihood():
    y = np.array([1, 0, 1])
    p = np.array([0.9, 0.2, 0.6])
    log_likelihood = np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert log_likelihood < 0
    assert cu.cross_entropy(y, p) == pytest.approx(-log_likelihood)


def test_probability_form_is_infinite_for_a_confident_mistake_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cu.cross_entropy(np.array([0, 1]), np.array([1.0, 1.0])) == np.inf
    assert cu.cross_entropy(np.array([1, 0]), np.array([1.0, 0.0])) == 0.0


@pytest.mark.parametrize(
    ("y", "values", "name"),
    [
        ([0, 2], [0.5, 0.5], "y"),
        ([0, 1], [0.5], "p"),
        ([0, 1], [0.5, np.nan], "p"),
        ([0, 1], [0.5, 1.5], "p"),
        ([], [], "y"),
        ([[0, 1]], [0.5, 0.5], "y"),
    ],
)
def test_cross_entropy_refuses_bad_input(y, values, name):
    with pytest.raises(ValueError, match=name):
        cu.cross_entropy(np.array(y), np.array(values))


@pytest.mark.parametrize(
    ("y", "z", "name"),
    [([0, 1], [0.5, np.inf], "z"), ([0, -1], [1.0, 1.0], "y"), ([0, 1], [1.0, 2.0, 3.0], "z")],
)
def test_cross_entropy_from_logits_refuses_bad_input(y, z, name):
    with pytest.raises(ValueError, match=name):
        cu.cross_entropy_from_logits(np.array(y), np.array(z))
