"""The classifier: ``p(y=1 | x) = σ(w·x)`` with two weights and no bias."""

from __future__ import annotations

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import check_no_nan, check_weights, check_X, check_X_y


def sigmoid(z):
    """Return the logistic function ``1 / (1 + exp(-z))``, elementwise, without overflow.

    Parameters
    ----------
    z : float or array of any shape, no NaN
        ±inf give the limits 1 and 0.

    Returns
    -------
    float or ndarray of the shape of ``z``, in [0, 1]
    """
    return _engine.sigmoid(check_no_nan("z", z))


@shared_parameters
def logits(X, w) -> np.ndarray:
    """Return the scores ``z = X @ w``.

    Returns
    -------
    ndarray of shape (n,)
    """
    return check_X(X) @ check_weights(w)


@shared_parameters
def predict_proba(X, w) -> np.ndarray:
    """Return the probability of class 1 for each point, ``σ(X @ w)``.

    Returns
    -------
    ndarray of shape (n,), in [0, 1]
    """
    return _engine.sigmoid(logits(X, w))


@shared_parameters
def predict(X, w) -> np.ndarray:
    """Return the predicted label of each point: class 1 where ``w·x > 0``, else 0.

    Returns
    -------
    ndarray of shape (n,), int, in {0, 1}
    """
    return (logits(X, w) > 0).astype(np.int64)


@shared_parameters
def accuracy(X, y, w) -> float:
    """Return the fraction of points whose predicted label equals ``y``.

    Returns
    -------
    float in [0, 1]
    """
    X, y = check_X_y(X, y)
    return float(np.mean((X @ check_weights(w) > 0) == (y == 1)))
