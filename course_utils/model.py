"""The classifier: ``p(y=1 | x) = σ(w·x)`` with two weights and no bias."""

from __future__ import annotations

import numpy as np

from ._validation import check_no_nan, check_weights, check_X, check_X_y


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, elementwise, without overflow for any z.

    ±inf give the limits 1 and 0; NaN is refused.
    """
    # exp(-softplus(-z)) never overflows: softplus(-z) >= 0.
    return np.exp(-np.logaddexp(0.0, -check_no_nan("z", z)))


def logits(X, w) -> np.ndarray:
    """The scores ``z = X @ w``, shape (n,)."""
    return check_X(X) @ check_weights(w)


def predict_proba(X, w) -> np.ndarray:
    """Probability of class 1 for each point, shape (n,), in [0, 1]."""
    return sigmoid(logits(X, w))


def predict(X, w) -> np.ndarray:
    """Predicted label (0 or 1) for each point, shape (n,): class 1 where ``w·x > 0``."""
    return (logits(X, w) > 0).astype(np.int64)


def accuracy(X, y, w) -> float:
    """Fraction of points whose predicted label equals ``y``."""
    X, y = check_X_y(X, y)
    return float(np.mean((X @ check_weights(w) > 0) == (y == 1)))
